/**
 * Small pure helpers for program analytics (issue 10): percentiles from a sorted column of durations, shares with
 * their numerator and denominator, and small-cell suppression for views a researcher can see.
 */

/**
 * Cells below this count are suppressed in researcher views (the common "fewer than 11" rule of registry and
 * CMS data-release policies: a small count in a small programme can identify a child).
 */
export const SMALL_CELL_THRESHOLD = 11;

/** A count that may be suppressed: `value` is null and `suppressed` true when the count is 1–10. */
export interface Count {
  readonly value: number | null;
  readonly suppressed?: true;
}

/** A share: numerator over denominator and the percentage (one decimal); null when the denominator is 0. */
export interface Share {
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly percent: number | null;
  readonly suppressed?: true;
}

/** Median and 90th percentile of durations in days, with how many durations they summarise. */
export interface Distribution {
  readonly n: number | null;
  readonly medianDays: number | null;
  readonly p90Days: number | null;
  readonly suppressed?: true;
}

/**
 * The p-th percentile (0–100) of an ascending array by the nearest-rank method: the smallest value with at least
 * p% of the values at or below it. Null for an empty array. Nearest rank always returns an observed duration
 * (no interpolated half-days), which is what a coordinator can check by counting.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  if (p <= 0) return sorted[0]!;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/**
 * Median of an ascending array: the middle value, or the mean of the two middle values for an even count (the
 * usual median, as reports quote it). Null for an empty array.
 */
export function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median and nearest-rank 90th percentile of an ascending array of durations (days). */
export function distribution(sorted: readonly number[]): Distribution {
  return { n: sorted.length, medianDays: median(sorted), p90Days: percentile(sorted, 90) };
}

/** A share with its percentage rounded to one decimal; the percentage is null when nothing is in the denominator. */
export function share(numerator: number, denominator: number): Share {
  return { numerator, denominator, percent: denominator === 0 ? null : Math.round((numerator / denominator) * 1000) / 10 };
}

/** Whether a count must be hidden: 1 to 10 (zero reveals no one and is shown). */
export function isSmall(n: number | null): boolean {
  return n !== null && n > 0 && n < SMALL_CELL_THRESHOLD;
}

/** A count, suppressed (null, `suppressed: true`) when `suppress` is on and the count is 1–10. */
export function count(n: number, suppress: boolean): Count {
  return suppress && isSmall(n) ? { value: null, suppressed: true } : { value: n };
}

/**
 * Suppresses a share when either its numerator or its denominator is 1–10, or when the complement
 * (denominator − numerator) is: otherwise the small count could be recovered by subtraction.
 */
export function suppressShare(s: Share, suppress: boolean): Share {
  if (!suppress) return s;
  const small = isSmall(s.numerator) || isSmall(s.denominator)
    || (s.numerator !== null && s.denominator !== null && isSmall(s.denominator - s.numerator));
  return small ? { numerator: null, denominator: null, percent: null, suppressed: true } : s;
}

/** Suppresses a distribution computed from 1–10 durations (its median would describe a handful of children). */
export function suppressDistribution(d: Distribution, suppress: boolean): Distribution {
  return suppress && isSmall(d.n) ? { n: null, medianDays: null, p90Days: null, suppressed: true } : d;
}
