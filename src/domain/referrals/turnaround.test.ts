import { describe, expect, test } from 'vitest';
import { TURNAROUND_TARGETS, median, percentile, percentile90, turnaround, type TurnaroundInput } from './turnaround.js';

const created = '2025-03-03T09:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(created) + hours * 3_600_000);
const iso = (hours: number) => at(hours).toISOString();
const referral = (o: Partial<TurnaroundInput> = {}): TurnaroundInput => ({
  createdAt: created, triagedAt: null, recordsCompleteAt: null, scheduledAt: null, closedAt: null,
  urgency: 'routine', status: 'received', ...o,
});
const clock = (r: TurnaroundInput, now: Date, key: 'triage' | 'records' | 'conference') =>
  turnaround(r, now).clocks.find((c) => c.key === key)!;

describe('TURNAROUND_TARGETS', () => {
  test.each([
    ['triage', 2, 1],
    ['records', 14, 5],
    ['conference', 21, 7],
  ] as const)('the %s target is %d days routine and %d days urgent', (key, routine, urgent) => {
    expect(TURNAROUND_TARGETS[key].days).toEqual({ routine, urgent });
  });
});

describe('turnaround', () => {
  test.each([
    ['routine', 47, false],
    ['routine', 48, false],
    ['routine', 49, true],
    ['urgent', 24, false],
    ['urgent', 25, true],
  ] as const)('an untriaged %s referral after %d hours is overdue for triage: %s', (urgency, hours, overdue) => {
    const c = clock(referral({ urgency }), at(hours), 'triage');
    expect(c.stoppedAt).toBeNull();
    expect(c.elapsedHours).toBe(hours);
    expect(c.overdue).toBe(overdue);
  });

  test.each([
    ['records', 'routine', 14 * 24], ['records', 'urgent', 5 * 24],
    ['conference', 'routine', 21 * 24], ['conference', 'urgent', 7 * 24],
  ] as const)('the %s clock of a %s referral is due %d hours after the referral', (key, urgency, hours) => {
    const c = clock(referral({ urgency }), at(1), key);
    expect(c.targetHours).toBe(hours);
    expect(c.dueAt).toBe(iso(hours));
    expect(c.startedAt).toBe(created);
  });

  test('triage stops the triage clock, the others keep running', () => {
    const r = referral({ status: 'triaged', triagedAt: iso(30) });
    const { clocks } = turnaround(r, at(100));
    expect(clocks.map((c) => [c.key, c.stoppedAt, c.elapsedHours])).toEqual([
      ['triage', iso(30), 30], ['records', null, 100], ['conference', null, 100],
    ]);
  });

  test('a late triage stays overdue on its clock but no longer makes the referral overdue', () => {
    const r = referral({ status: 'triaged', triagedAt: iso(60) });
    const t = turnaround(r, at(70));
    expect(t.clocks[0]!.overdue).toBe(true);
    expect(t.overdue).toBe(false);
  });

  test('a running clock past its target makes the referral overdue', () => {
    const r = referral({ status: 'records_requested', triagedAt: iso(10) });
    expect(turnaround(r, at(14 * 24 + 1)).overdue).toBe(true);
    expect(turnaround(r, at(14 * 24)).overdue).toBe(false);
  });

  test('a scheduled referral has all three clocks stopped and is not overdue', () => {
    const r = referral({ status: 'scheduled', triagedAt: iso(5), recordsCompleteAt: iso(200), scheduledAt: iso(300) });
    const t = turnaround(r, at(1000));
    expect(t.clocks.map((c) => c.stoppedAt)).toEqual([iso(5), iso(200), iso(300)]);
    expect(t.clocks.map((c) => c.overdue)).toEqual([false, false, false]);
    expect(t.overdue).toBe(false);
  });

  test.each(['declined', 'redirected'] as const)('a %s referral stops every running clock at closedAt', (status) => {
    const r = referral({ status, triagedAt: iso(20), closedAt: iso(40) });
    const t = turnaround(r, at(5000));
    expect(t.clocks.map((c) => [c.stoppedAt, c.elapsedHours])).toEqual([[iso(20), 20], [iso(40), 40], [iso(40), 40]]);
    expect(t.overdue).toBe(false);
  });

  test('a referral declined before triage has its triage clock stopped at closedAt', () => {
    const r = referral({ status: 'declined', closedAt: iso(72) });
    const c = clock(r, at(500), 'triage');
    expect(c.stoppedAt).toBe(iso(72));
    expect(c.overdue).toBe(true);
    expect(turnaround(r, at(500)).overdue).toBe(false);
  });

  test('a closed referral without closedAt stops at now rather than running forever', () => {
    const t = turnaround(referral({ status: 'declined' }), at(10));
    expect(t.clocks.every((c) => c.stoppedAt === iso(10))).toBe(true);
  });

  test('a clock never shows negative time when now is before the referral', () => {
    expect(clock(referral(), at(-2), 'triage').elapsedHours).toBe(0);
  });

  test('a program can pass its own targets', () => {
    const targets = { ...TURNAROUND_TARGETS, triage: { ...TURNAROUND_TARGETS.triage, days: { routine: 1, urgent: 0.5 } } };
    const t = turnaround(referral({ urgency: 'urgent' }), at(13), targets);
    expect(t.clocks[0]!.targetHours).toBe(12);
    expect(t.overdue).toBe(true);
  });

  test('a timestamp that is not one is refused', () => {
    expect(() => turnaround(referral({ createdAt: 'yesterday' }), at(1))).toThrow(/createdAt/);
  });
});

describe('median and percentile90', () => {
  test.each<[number[], number | null, number | null]>([
    [[], null, null],
    [[5], 5, 5],
    [[1, 3], 2, 2.8],
    [[3, 1, 2], 2, 2.8],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9.1],
    [[10, Number.NaN, 20, Number.POSITIVE_INFINITY], 15, 19],
  ])('durations %j have median %s and 90th percentile %s', (values, med, p90) => {
    const round = (v: number | null) => (v === null ? null : Math.round(v * 1e9) / 1e9);
    expect(round(median(values))).toBe(med);
    expect(round(percentile90(values))).toBe(p90);
  });

  test('the input is not reordered', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  test.each([-1, 101, Number.NaN])('a percentile of %s is refused', (p) => {
    expect(() => percentile([1, 2], p)).toThrow(RangeError);
  });
});
