import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ClassifiedSubject, ResearchSubject } from './cohort.js';
import { checkOverlap, guardCounts, isSortedSubset, subtractable, TOTAL_KEY, type ReleasedSet } from './differencing.js';
import { suppressBreakdown } from './suppression.js';

const id = (i: number) => `p${String(i).padStart(4, '0')}`;
/** Ids from..to-1, sorted. */
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => id(from + i));
const set = (key: string, members: string[]): ReleasedSet => ({ key, members: [...members].sort() });

describe('nested sets that differ by a small group', () => {
  test.each([1, 5, 10])('a subset %d smaller than an earlier set is caught', (d) => {
    const check = checkOverlap([set(TOTAL_KEY, ids(0, 40 - d))], [set(TOTAL_KEY, ids(0, 40))]);
    expect(check.totalAtRisk).toBe(true);
  });

  test.each([1, 5, 10])('a superset %d larger than an earlier set is caught', (d) => {
    const check = checkOverlap([set('ageBand:10-14', ids(0, 30 + d))], [set('family:ewing', ids(0, 30))]);
    expect(check.totalAtRisk).toBe(false);
    expect([...check.forceHide.get('ageBand') ?? []]).toEqual(['10-14']);
  });

  test('an equal set is not a risk: it was shown already', () => {
    expect(checkOverlap([set(TOTAL_KEY, ids(0, 40))], [set(TOTAL_KEY, ids(0, 40))]).totalAtRisk).toBe(false);
    // Also when it equals one earlier set and is nested with another within 10: that pair was in reach already.
    expect(checkOverlap([set(TOTAL_KEY, ids(0, 40))], [set(TOTAL_KEY, ids(0, 40)), set('sex:female', ids(0, 35))]).totalAtRisk).toBe(false);
  });

  test('a difference of 11 or more is not a risk', () => {
    expect(checkOverlap([set(TOTAL_KEY, ids(0, 29))], [set(TOTAL_KEY, ids(0, 40))]).totalAtRisk).toBe(false);
    expect(checkOverlap([set(TOTAL_KEY, ids(0, 51))], [set(TOTAL_KEY, ids(0, 40))]).totalAtRisk).toBe(false);
  });

  test('overlapping sets that are not nested are not a risk', () => {
    expect(checkOverlap([set(TOTAL_KEY, ids(3, 40))], [set(TOTAL_KEY, ids(0, 38))]).totalAtRisk).toBe(false);
    expect(subtractable(ids(3, 40), ids(0, 38))).toBe(false);
  });

  test('subset checks walk sorted ids and stop early', () => {
    expect(isSortedSubset(ids(5, 10), ids(0, 20))).toBe(true);
    expect(isSortedSubset([...ids(5, 10), 'zz'], ids(0, 20))).toBe(false);
    expect(isSortedSubset([], ids(0, 2))).toBe(true);
    expect(isSortedSubset(ids(0, 3), ids(0, 2))).toBe(false);
  });

  test('the check agrees with comparing every pair by brute force', () => {
    const universe = ids(0, 40);
    const subsetOf = fc.subarray(universe).map((a) => [...a].sort());
    fc.assert(fc.property(subsetOf, fc.array(subsetOf, { maxLength: 12 }), (cand, priors) => {
      const has = (a: string[], b: string[]) => a.every((x) => b.includes(x));
      const equalToOne = priors.some((p) => p.length === cand.length && has(cand, p));
      const nestedSmall = priors.some((p) => {
        const d = Math.abs(p.length - cand.length);
        return d >= 1 && d <= 10 && (has(cand, p) || has(p, cand));
      });
      const expected = !equalToOne && nestedSmall;
      expect(checkOverlap([set(TOTAL_KEY, cand)], priors.map((p) => set(TOTAL_KEY, p))).totalAtRisk).toBe(expected);
    }), { numRuns: 300 });
  });

  test('hundreds of earlier answers are checked quickly (only sizes within 10 are compared)', () => {
    // 200 answers of 30 sets of 100–700 children, against 40 new sets of similar sizes over the same children.
    const prior: ReleasedSet[] = [];
    for (let a = 0; a < 200; a++) for (let c = 0; c < 30; c++) prior.push({ key: `x:${c}`, members: ids(a % 13, a % 13 + 100 + 20 * c) });
    const candidates = Array.from({ length: 40 }, (_, c) => ({ key: `y:${c}`, members: ids(15, 140 + 15 * c) }));
    const start = performance.now();
    const check = checkOverlap(candidates, prior);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(check.forceHide.get('y')?.size).toBeGreaterThan(0);
  });
});

describe('suppression with cells forced hidden', () => {
  const cells = (...counts: number[]) => counts.map((count, i) => ({ key: `k${i}`, label: `k${i}`, count }));

  test('a forced-hidden cell takes a complementary cell with it', () => {
    const b = suppressBreakdown(100, cells(30, 20, 50), new Set(['k0']));
    expect(b.cells.map((c) => c.display)).toEqual(['<11', '<11', '50']);
  });

  test('without forced cells the breakdown is suppressed as before', () => {
    expect(suppressBreakdown(100, cells(30, 20, 50)).cells.map((c) => c.display)).toEqual(['30', '20', '50']);
    expect(suppressBreakdown(100, cells(30, 20, 50), new Set()).cells.map((c) => c.display)).toEqual(['30', '20', '50']);
  });
});

describe('guarded cohort counts', () => {
  /** A classified subject with just what the breakdowns read. */
  const subject = (i: number, over: Partial<ClassifiedSubject> = {}): ClassifiedSubject => ({
    subject: { patientId: id(i), sex: 'female' } as ResearchSubject, family: 'osteosarcoma', ageMonths: 150, ageBand: '10-14',
    diagnosisYear: 2026, assessment: null, stageRisk: 'unknown', template: 'none', enrolled: false, ...over,
  });
  const byAge = (b: string) => (a: ReturnType<typeof guardCounts>) => (a.refused ? null : a.counts.breakdowns.find((x) => x.dimension === b)!);

  test('a cell that would differ by 1 to 10 from an earlier count is hidden, with a complementary cell, and says so', () => {
    // 30 aged 10–14 and 30 aged 15–19; an earlier answer showed 25 of the 10–14 group (e.g. "10–14, no plan").
    const cohort = [...ids(0, 30).map((_, i) => subject(i)), ...ids(30, 60).map((_, i) => subject(30 + i, { ageBand: '15-19', ageMonths: 200 }))];
    const answer = guardCounts(cohort, [set('template:none', ids(0, 25))]);
    expect(answer.refused).toBe(false);
    const age = byAge('ageBand')(answer)!;
    expect(age.cells.map((c) => c.display)).toEqual(['<11', '<11']);
    expect(age.overlapSuppressed).toBe(2);
    if (answer.refused) return;
    expect(answer.counts.total.display).toBe('60');
    expect(answer.released.map((r) => r.key)).not.toContain('ageBand:10-14');
    expect(answer.released.map((r) => r.key)).not.toContain('ageBand:15-19');
    expect(answer.counts.breakdowns.find((b) => b.dimension === 'family')!.overlapSuppressed).toBeUndefined();
  });

  test('without earlier answers the same cohort is shown whole and every exact count is released', () => {
    const cohort = [...ids(0, 30).map((_, i) => subject(i)), ...ids(30, 60).map((_, i) => subject(30 + i, { ageBand: '15-19', ageMonths: 200 }))];
    const answer = guardCounts(cohort, []);
    expect(byAge('ageBand')(answer)!.cells.map((c) => c.display)).toEqual(['30', '30']);
    if (answer.refused) return;
    expect(answer.released.find((r) => r.key === 'ageBand:15-19')!.members).toEqual(ids(30, 60));
    expect(answer.released.find((r) => r.key === TOTAL_KEY)!.members).toEqual(ids(0, 60));
  });

  test('a total that differs by 1 to 10 from an earlier count is refused', () => {
    const cohort = ids(0, 35).map((_, i) => subject(i));
    expect(guardCounts(cohort, [set(TOTAL_KEY, ids(0, 40))])).toEqual({ refused: true });
  });

  test('a cell that is suppressed anyway is not released and is not stored', () => {
    // 35 aged 10–14 and 5 aged 15–19: the 5 is small, the 35 its complementary cell.
    const cohort = [...ids(0, 35).map((_, i) => subject(i)), ...ids(35, 40).map((_, i) => subject(35 + i, { ageBand: '15-19', ageMonths: 200 }))];
    const answer = guardCounts(cohort, []);
    expect(byAge('ageBand')(answer)!.cells.map((c) => c.display)).toEqual(['<11', '<11']);
    expect(byAge('ageBand')(answer)!.overlapSuppressed).toBeUndefined();
    if (answer.refused) return;
    const keys = answer.released.map((r) => r.key);
    expect(keys).toContain(TOTAL_KEY);
    expect(keys.filter((k) => k.startsWith('ageBand:'))).toEqual([]);
  });

  test('a small total releases nothing', () => {
    const answer = guardCounts(ids(0, 7).map((_, i) => subject(i)), []);
    expect(answer.refused ? null : answer.released).toEqual([]);
  });
});
