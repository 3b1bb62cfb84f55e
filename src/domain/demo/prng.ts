/**
 * A small seeded pseudo-random generator for synthetic demo data. The domain ring has no clock and no
 * `Math.random` (DESIGN.md §3): the same seed must give the same demo program on every machine, so tests and
 * benchmarks are reproducible. Not for anything security-related.
 */

/**
 * mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, good enough statistical quality for
 * picking names and sites, and a handful of integer operations per draw.
 * Returns a function giving floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Folds any finite number into a 32-bit seed. Integers beyond 2^32 keep their high bits (so `Date.now()`-sized
 * seeds still differ), and the result goes through one splitmix-style scramble so that neighbouring seeds
 * (1, 2, 3…) start far apart in the sequence.
 */
export function seedToUint32(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const whole = Math.trunc(seed);
  const low = whole >>> 0;
  const high = Math.floor(Math.abs(whole) / 4294967296) >>> 0;
  let h = (low ^ Math.imul(high, 0x9e3779b9) ^ (whole < 0 ? 0x85ebca6b : 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Convenience draws over one mulberry32 stream. Every method consumes the stream in a fixed order. */
export interface Rng {
  /** Float in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Float in [min, max). */
  float(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element, uniformly. Throws on an empty list. */
  pick<T>(items: readonly T[]): T;
  /** Triangular distribution on [min, max] with its peak at mode: cheap, bounded, and skewable. */
  triangular(min: number, mode: number, max: number): number;
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seedToUint32(seed));
  return {
    next,
    int(min, max) {
      return min + Math.floor(next() * (max - min + 1));
    },
    float(min, max) {
      return min + next() * (max - min);
    },
    chance(p) {
      return next() < p;
    },
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    triangular(min, mode, max) {
      const u = next();
      const c = (mode - min) / (max - min);
      return u < c
        ? min + Math.sqrt(u * (max - min) * (mode - min))
        : max - Math.sqrt((1 - u) * (max - min) * (max - mode));
    },
  };
}

/** A weighted table: `[value, weight]` rows. Weights are relative and need not sum to 1. */
export type Weighted<T> = readonly (readonly [T, number])[];

/**
 * Inverse CDF of a weighted table: maps u in [0, 1) to a value, each value owning a slice of [0, 1) in
 * proportion to its weight. Built once (cumulative weights, binary search), so a draw allocates nothing.
 */
export function quantile<T>(table: Weighted<T>): (u: number) => T {
  const values: T[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [value, weight] of table) {
    if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`weight must be finite and ≥ 0, got ${weight}`);
    if (weight === 0) continue;
    total += weight;
    values.push(value);
    cumulative.push(total);
  }
  if (values.length === 0) throw new RangeError('weighted table needs at least one positive weight');
  return (u) => {
    const x = u * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < (cumulative[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return values[lo] as T;
  };
}

/** A sampler for a weighted table: one uniform draw through its `quantile`. */
export function weighted<T>(table: Weighted<T>): (rng: Rng) => T {
  const at = quantile(table);
  return (rng) => at(rng.next());
}

/**
 * Additive-recurrence (Weyl) sequence: u_i = frac(start + i·α) with α irrational covers [0, 1) far more evenly
 * than independent draws, so the demo case mix holds for a 50-patient demo as well as for 10,000. `start`
 * comes from the seeded stream, so different seeds still give different sequences.
 */
export function weyl(start: number, alpha: number): (i: number) => number {
  return (i) => {
    const x = start + i * alpha;
    return x - Math.floor(x);
  };
}

/** 1/φ and √2 − 1: badly approximable, so their Weyl sequences are as even as such sequences get. */
export const GOLDEN = (Math.sqrt(5) - 1) / 2;
export const SILVER = Math.SQRT2 - 1;
