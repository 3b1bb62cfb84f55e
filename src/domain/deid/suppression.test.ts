import fc from 'fast-check';
import { expect, test } from 'vitest';
import { protectedSum, suppressBreakdown, suppressCount } from './suppression.js';

const cells = (...counts: number[]) => counts.map((count, i) => ({ key: `k${i}`, label: `k${i}`, count }));
const shown = (total: number, ...counts: number[]) => {
  const b = suppressBreakdown(total, cells(...counts));
  return b.withheld ? 'withheld' : b.cells.map((c) => c.display);
};

test.each([[0, '0'], [1, '<11'], [10, '<11'], [11, '11'], [120, '120']])('a total of %d is shown as %s', (n, display) => {
  expect(suppressCount(n).display).toBe(display);
});

test('a single small cell takes the next smallest cell with it, so it cannot be worked out from the total', () => {
  expect(shown(60, 5, 20, 35)).toEqual(['<11', '<11', '35']);
});

test('two small cells that do not give each other away are enough on their own', () => {
  expect(shown(60, 3, 4, 53)).toEqual(['<11', '<11', '53']);
});

test('hidden cells that could only all be ones (or all tens) take another cell with them', () => {
  expect(shown(42, 1, 1, 15, 25)).toEqual(['<11', '<11', '<11', '25']);
  expect(shown(60, 10, 10, 15, 25)).toEqual(['<11', '<11', '<11', '25']);
});

test('zero is shown; cells of 11 or more stay visible when nothing needs protecting', () => {
  expect(shown(50, 0, 11, 39)).toEqual(['0', '11', '39']);
});

test('a small total hides every non-zero cell', () => {
  expect(shown(7, 3, 4, 0)).toEqual(['<11', '<11', '0']);
});

test('a breakdown no pattern can protect is withheld (twelve cells of one)', () => {
  expect(shown(12, ...Array<number>(12).fill(1))).toBe('withheld');
});

/**
 * The attacker: knows the total and the visible cells, and that each hidden cell is at least 1 (and, taking "<11"
 * at its word, at most 10). For small breakdowns we enumerate every assignment and require each hidden cell to have
 * at least two possible values whenever any assignment is consistent.
 */
function possibleValues(hiddenSum: number, k: number, max: number): Array<Set<number>> {
  const sets = Array.from({ length: k }, () => new Set<number>());
  const walk = (i: number, left: number, chosen: number[]) => {
    if (i === k) { if (left === 0) chosen.forEach((v, j) => sets[j]!.add(v)); return; }
    for (let v = 1; v <= Math.min(max, left); v++) walk(i + 1, left - v, [...chosen, v]);
  };
  walk(0, hiddenSum, []);
  return sets;
}

test('no count from 1 to 10 is ever visible, and no hidden cell can be recovered from the total', () => {
  fc.assert(fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 60 })), { minLength: 1, maxLength: 5 }), (counts) => {
    const total = counts.reduce((a, b) => a + b, 0);
    const out = suppressBreakdown(total, cells(...counts));
    if (out.withheld) { expect(out.cells).toEqual([]); return; }
    for (const c of out.cells) if (!c.suppressed) expect(c.count === 0 || c.count! >= 11).toBe(true);
    if (suppressCount(total).suppressed) return; // the total is hidden too
    const hidden = out.cells.map((c, i) => (c.suppressed ? counts[i]! : null)).filter((x): x is number => x !== null);
    const s = hidden.reduce((a, b) => a + b, 0);
    expect(protectedSum(hidden.length, s)).toBe(true);
    if (hidden.length > 0) {
      for (const max of [10, s]) {
        const sets = possibleValues(s, hidden.length, max);
        if (sets[0]!.size > 0) for (const set of sets) expect(set.size).toBeGreaterThanOrEqual(2);
      }
    }
  }), { numRuns: 300 });
});
