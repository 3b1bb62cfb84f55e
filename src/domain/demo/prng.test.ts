import { describe, expect, test } from 'vitest';
import { GOLDEN, SILVER, createRng, mulberry32, quantile, seedToUint32, weighted, weyl } from './prng.js';

const take = (f: () => number, n: number) => Array.from({ length: n }, f);

describe('mulberry32', () => {
  test('the sequence for seed 1 matches the reference implementation, so demo data does not silently change', () => {
    expect(take(mulberry32(1), 3)).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  test('the same seed repeats the same sequence', () => {
    expect(take(mulberry32(123), 50)).toEqual(take(mulberry32(123), 50));
  });

  test('different seeds give different sequences', () => {
    expect(take(mulberry32(1), 10)).not.toEqual(take(mulberry32(2), 10));
  });

  test('values lie in [0, 1) and spread evenly over ten buckets', () => {
    const xs = take(mulberry32(99), 100_000);
    const buckets = new Array<number>(10).fill(0);
    let outOfRange = 0;
    for (const x of xs) {
      if (x < 0 || x >= 1) outOfRange++;
      else buckets[Math.floor(x * 10)]! += 1;
    }
    expect(outOfRange).toBe(0);
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(500);
  });
});

describe('seedToUint32', () => {
  test.each([0, 1, -1, 2 ** 32 + 5, 1.9, Number.MAX_SAFE_INTEGER])('folds %d into an unsigned 32-bit integer', (seed) => {
    const s = seedToUint32(seed);
    expect(Number.isInteger(s)).toBe(true);
    expect(s).toBeGreaterThanOrEqual(0);
    expect(s).toBeLessThan(2 ** 32);
  });

  test('seeds that differ only above 32 bits or only in sign still differ', () => {
    expect(seedToUint32(5)).not.toBe(seedToUint32(2 ** 32 + 5));
    expect(seedToUint32(7)).not.toBe(seedToUint32(-7));
  });

  test.each([Number.NaN, Number.POSITIVE_INFINITY])('rejects the non-finite seed %d', (seed) => {
    expect(() => seedToUint32(seed)).toThrow(RangeError);
  });
});

describe('createRng', () => {
  test('int stays within inclusive bounds and reaches both ends', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 5_000; i++) seen.add(rng.int(2, 6));
    expect([...seen].sort()).toEqual([2, 3, 4, 5, 6]);
  });

  test('triangular stays within its bounds and centres near its mode', () => {
    const rng = createRng(4);
    const xs = Array.from({ length: 20_000 }, () => rng.triangular(2, 9, 18));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...xs)).toBeLessThanOrEqual(18);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeCloseTo((2 + 9 + 18) / 3, 0);
  });

  test('chance(p) comes true about p of the time', () => {
    const rng = createRng(5);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (rng.chance(0.3)) hits++;
    expect(hits / 20_000).toBeCloseTo(0.3, 1);
  });

  test('pick refuses an empty list', () => {
    expect(() => createRng(1).pick([])).toThrow(RangeError);
  });
});

describe('weighted', () => {
  test('draws each value in proportion to its weight and never a zero-weight value', () => {
    const pick = weighted([['a', 1], ['b', 3], ['never', 0], ['c', 6]] as const);
    const rng = createRng(11);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 50_000; i++) {
      const v = pick(rng);
      counts[v] = (counts[v] ?? 0) + 1;
    }
    expect(counts.never).toBeUndefined();
    expect((counts.a ?? 0) / 50_000).toBeCloseTo(0.1, 1);
    expect((counts.b ?? 0) / 50_000).toBeCloseTo(0.3, 1);
    expect((counts.c ?? 0) / 50_000).toBeCloseTo(0.6, 1);
  });

  test.each([
    ['an empty table', []],
    ['only zero weights', [['a', 0]]],
    ['a negative weight', [['a', -1]]],
  ] as const)('rejects %s', (_label, table) => {
    expect(() => weighted(table)).toThrow(RangeError);
  });
});

describe('quantile', () => {
  test.each([
    [0, 'a'], [0.099, 'a'], [0.1, 'b'], [0.399, 'b'], [0.4, 'c'], [0.999, 'c'],
  ] as const)('u = %d falls in the slice of %s', (u, value) => {
    expect(quantile([['a', 1], ['b', 3], ['c', 6]] as const)(u)).toBe(value);
  });
});

describe('weyl', () => {
  test.each([['golden', GOLDEN], ['silver', SILVER]] as const)('the %s sequence fills ten buckets almost exactly after 1,000 steps', (_name, alpha) => {
    const u = weyl(0.37, alpha);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 1_000; i++) {
      const x = u(i);
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)]! += 1;
    }
    for (const b of buckets) expect(Math.abs(b - 100)).toBeLessThanOrEqual(3);
  });
});
