/**
 * Small-cell suppression for counts and summaries. Counts from 1 to 10 are never shown (the threshold used by CMS
 * and most registries for de-identified aggregate data; HHS 45 CFR 164.514(b) leaves the method to the entity);
 * zero is shown. Complementary suppression then hides further cells until no suppressed cell can be worked out from
 * the total: with `k` suppressed cells (each at least 1) summing to `s` = total − visible cells, a cell is exposed
 * when k = 1, when s = k (all ones), or when s = 10k (all tens, for a reader who takes "<11" at its word).
 */

export const SMALL_CELL_MIN = 11;
export const SUPPRESSED = '<11';

export interface CountCell {
  key: string;
  label: string;
  /** Null when suppressed. */
  count: number | null;
  /** The number, or "<11". */
  display: string;
  suppressed: boolean;
}

/** A suppressed breakdown; `withheld` (no cells) when no suppression pattern protects it against the total. */
export interface SuppressedBreakdown {
  cells: CountCell[];
  withheld: boolean;
}

export interface SuppressedCount {
  count: number | null;
  display: string;
  suppressed: boolean;
}

function isSmall(n: number): boolean {
  return n > 0 && n < SMALL_CELL_MIN;
}

/** A single count (a cohort total): 1–10 is suppressed (45 CFR 164.514(b) aggregate release, threshold 11). */
export function suppressCount(n: number): SuppressedCount {
  return isSmall(n) ? { count: null, display: SUPPRESSED, suppressed: true } : { count: n, display: String(n), suppressed: false };
}

/** True when no suppressed cell's value follows from the total and the visible cells. */
export function protectedSum(suppressedCount: number, suppressedSum: number): boolean {
  if (suppressedCount === 0) return true;
  return suppressedCount >= 2 && suppressedSum !== suppressedCount && suppressedSum !== 10 * suppressedCount;
}

/**
 * One breakdown (cells that partition `total`) with primary and complementary suppression: cells of 1–10 are
 * hidden; then the smallest visible non-zero cells are hidden too until the hidden cells cannot be recovered from
 * the total (`protectedSum`); when nothing more can be hidden, the breakdown is withheld. When the total itself is
 * small, every cell is hidden. Suppressed cells all read
 * "<11", whatever their reason, so a reader cannot tell a complementary cell from a primary one.
 * `forceHide` names cells to hide whatever their count (e.g. ones that earlier answers could be subtracted from,
 * src/domain/deid/differencing.ts); they are protected by complementary cells like small ones.
 */
export function suppressBreakdown(total: number, cells: ReadonlyArray<{ key: string; label: string; count: number }>, forceHide?: ReadonlySet<string>): SuppressedBreakdown {
  const hide = new Set<number>();
  let withheld = false;
  if (isSmall(total)) {
    cells.forEach((c, i) => { if (c.count > 0) hide.add(i); });
  } else {
    cells.forEach((c, i) => { if (isSmall(c.count) || (c.count > 0 && forceHide?.has(c.key))) hide.add(i); });
    const hiddenSum = () => [...hide].reduce((a, i) => a + cells[i]!.count, 0);
    while (!protectedSum(hide.size, hiddenSum())) {
      const next = cells.map((c, i) => ({ c, i })).filter(({ c, i }) => !hide.has(i) && c.count > 0)
        .sort((a, b) => a.c.count - b.c.count || a.i - b.i)[0];
      if (!next) {
        // Nothing left to hide that would protect the rest (e.g. twelve cells of one): withhold the breakdown.
        withheld = true;
        break;
      }
      hide.add(next.i);
    }
  }
  if (withheld) return { cells: [], withheld: true };
  return {
    withheld: false,
    cells: cells.map((c, i) => hide.has(i)
      ? { key: c.key, label: c.label, count: null, display: SUPPRESSED, suppressed: true }
      : { key: c.key, label: c.label, count: c.count, display: String(c.count), suppressed: false }),
  };
}
