import { describe, expect, test } from 'vitest';
import { count, distribution, isSmall, median, percentile, share, suppressDistribution, suppressShare } from './stats.js';

describe('percentiles from a sorted column of durations', () => {
  test.each([
    [[], 90, null],
    [[7], 90, 7],
    [[4, 10, 20], 90, 20],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, 5],
    [[3, 8], 0, 3],
    [[3, 8], 100, 8],
  ])('the nearest-rank p of %j at %d is %s', (xs, p, want) => {
    expect(percentile(xs, p)).toBe(want);
  });

  test.each([
    [[], null], [[5], 5], [[16, 17, 19], 17], [[1, 2, 3, 10], 2.5],
  ])('the median of %j is %s', (xs, want) => {
    expect(median(xs)).toBe(want);
  });

  test('a distribution reports n, median and p90', () => {
    expect(distribution([4, 10, 20])).toEqual({ n: 3, medianDays: 10, p90Days: 20 });
    expect(distribution([])).toEqual({ n: 0, medianDays: null, p90Days: null });
  });
});

describe('shares keep numerator and denominator', () => {
  test.each([
    [2, 3, 66.7], [1, 3, 33.3], [0, 5, 0], [5, 5, 100], [0, 0, null],
  ])('%d of %d is %s%%', (n, d, pct) => {
    expect(share(n, d)).toEqual({ numerator: n, denominator: d, percent: pct });
  });
});

describe('small cells (1–10) are suppressed for researchers', () => {
  test.each([[0, false], [1, true], [10, true], [11, false], [null, false]])('%s is small: %s', (n, small) => {
    expect(isSmall(n)).toBe(small);
  });

  test('a count of 1–10 becomes null with suppressed: true, only when suppression is on', () => {
    expect(count(7, true)).toEqual({ value: null, suppressed: true });
    expect(count(7, false)).toEqual({ value: 7 });
    expect(count(0, true)).toEqual({ value: 0 });
    expect(count(11, true)).toEqual({ value: 11 });
  });

  test('a share is suppressed when its numerator, denominator or complement is small', () => {
    expect(suppressShare(share(5, 40), true).suppressed).toBe(true);
    expect(suppressShare(share(35, 40), true).suppressed).toBe(true);
    expect(suppressShare(share(20, 40), true)).toEqual({ numerator: 20, denominator: 40, percent: 50 });
    expect(suppressShare(share(0, 40), true).suppressed).toBeUndefined();
    expect(suppressShare(share(5, 40), false)).toEqual({ numerator: 5, denominator: 40, percent: 12.5 });
  });

  test('a distribution of fewer than 11 durations is suppressed', () => {
    expect(suppressDistribution(distribution([1, 2, 3]), true)).toEqual({ n: null, medianDays: null, p90Days: null, suppressed: true });
    expect(suppressDistribution(distribution([]), true)).toEqual({ n: 0, medianDays: null, p90Days: null });
  });
});
