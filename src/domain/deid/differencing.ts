import { BREAKDOWNS, cohortCounts, type ClassifiedSubject, type CohortCounts } from './cohort.js';
import { SMALL_CELL_MIN } from './suppression.js';

/**
 * Query-set overlap control on released cohort counts (a differencing attack: "all Ewing" = 40 and "Ewing not on a
 * trial" = 35 give away that 5 children are enrolled, though each answer is suppressed on its own). Every count an
 * answer shows exactly is a *released set* of subjects; a new exact count is refused (the total) or hidden (a cell)
 * when an earlier released set of the same researcher is nested with it and differs by 1 to 10 subjects. Equal sets
 * give nothing away. Pure: the service loads and stores the released sets.
 */

/** Earlier answers count for this long... */
export const OVERLAP_WINDOW_DAYS = 90;
/** ...and at most this many of the latest ones (bounds the work and the storage per researcher). */
export const OVERLAP_MAX_ANSWERS = 200;
/** The key of a cohort's total; a breakdown cell is `<dimension>:<cellKey>` (e.g. `ageBand:10-14`). */
export const TOTAL_KEY = 'total';

/** A set of subjects whose exact count was (or would be) shown; `members` are internal ids, sorted ascending. */
export interface ReleasedSet {
  key: string;
  members: readonly string[];
}

/** A breakdown as answered, with how many of its cells were hidden only because of earlier answers. */
export type GuardedBreakdown = CohortCounts['breakdowns'][number] & { overlapSuppressed?: number };
export type GuardedCohortCounts = Omit<CohortCounts, 'breakdowns'> & { breakdowns: GuardedBreakdown[] };

/** The key of a breakdown cell's set. */
export function cellSetKey(dimension: string, cellKey: string): string {
  return `${dimension}:${cellKey}`;
}

/**
 * True when every id of `small` is in `big` (both sorted ascending, without duplicates): one merge walk, given up
 * as soon as what is left of `big` is shorter than what is left of `small`.
 */
export function isSortedSubset(small: readonly string[], big: readonly string[]): boolean {
  let j = 0;
  for (let i = 0; i < small.length; i++) {
    const id = small[i]!;
    while (j < big.length && big[j]! < id) j++;
    if (big.length - j < small.length - i || big[j] !== id) return false;
    j++;
  }
  return true;
}

/** True when one set is inside the other and they differ by 1 to 10 members: the difference is a small group. */
export function subtractable(a: readonly string[], b: readonly string[]): boolean {
  const d = Math.abs(a.length - b.length);
  if (d < 1 || d >= SMALL_CELL_MIN) return false;
  return a.length < b.length ? isSortedSubset(a, b) : isSortedSubset(b, a);
}

/** What an answer may not show exactly because of earlier answers. */
export interface OverlapCheck {
  /** The total itself could be subtracted from an earlier count: the answer must be refused. */
  totalAtRisk: boolean;
  /** Dimension → cell keys to hide (then protected by complementary suppression like small cells). */
  forceHide: Map<string, Set<string>>;
}

/**
 * Checks a new answer's candidate sets (each count it could show exactly, with its members) against the sets the
 * same researcher was shown before. A candidate equal to an earlier set is never at risk (it was released already,
 * so anything it can be subtracted from was in reach before). Only pairs whose sizes differ by 1 to 10 are compared
 * (priors are bucketed by size), so hundreds of earlier sets cost little.
 */
export function checkOverlap(candidates: readonly ReleasedSet[], prior: readonly ReleasedSet[]): OverlapCheck {
  const bySize = new Map<number, Array<readonly string[]>>();
  for (const p of prior) {
    const list = bySize.get(p.members.length);
    if (list) list.push(p.members);
    else bySize.set(p.members.length, [p.members]);
  }
  const out: OverlapCheck = { totalAtRisk: false, forceHide: new Map() };
  for (const c of candidates) {
    const n = c.members.length;
    // A set shown before adds nothing new: whatever it can be subtracted from was already in reach.
    if ((bySize.get(n) ?? []).some((m) => isSortedSubset(c.members, m))) continue;
    let risky = false;
    for (let d = 1; d < SMALL_CELL_MIN && !risky; d++) {
      for (const size of [n - d, n + d]) {
        if ((bySize.get(size) ?? []).some((m) => subtractable(c.members, m))) { risky = true; break; }
      }
    }
    if (!risky) continue;
    if (c.key === TOTAL_KEY) { out.totalAtRisk = true; continue; }
    const at = c.key.indexOf(':');
    const dimension = c.key.slice(0, at);
    const set = out.forceHide.get(dimension) ?? new Set<string>();
    set.add(c.key.slice(at + 1));
    out.forceHide.set(dimension, set);
  }
  return out;
}

/** The member set of the total and of every breakdown cell of a cohort (ids sorted ascending). */
export function cohortSets(cohort: readonly ClassifiedSubject[]): Map<string, string[]> {
  const sets = new Map<string, string[]>([[TOTAL_KEY, cohort.map((c) => c.subject.patientId)]]);
  for (const b of BREAKDOWNS) {
    for (const c of cohort) {
      const key = cellSetKey(b.dimension, b.key(c));
      const list = sets.get(key);
      if (list) list.push(c.subject.patientId);
      else sets.set(key, [c.subject.patientId]);
    }
  }
  for (const list of sets.values()) list.sort();
  return sets;
}

/** A guarded answer: refused (its total could be subtracted), or counts and the sets it shows exactly. */
export type GuardedAnswer =
  | { refused: true }
  | { refused: false; counts: GuardedCohortCounts; released: ReleasedSet[] };

/**
 * Cohort counts with small-cell suppression and overlap control against `prior` (the researcher's earlier released
 * sets): refused when the total is at risk; otherwise risky cells are hidden with complementary cells in their
 * breakdown, each breakdown says how many cells it hides only because of earlier answers, and `released` lists the
 * sets shown exactly (non-empty ones: an empty set can never be subtracted to a small group), to be remembered.
 */
export function guardCounts(cohort: readonly ClassifiedSubject[], prior: readonly ReleasedSet[]): GuardedAnswer {
  const sets = cohortSets(cohort);
  // Only counts of 11 or more can be shown exactly with members; checking all of them (not only those shown without
  // the check) covers a cell that becomes visible when complementary suppression picks differently.
  const candidates = [...sets].filter(([, m]) => m.length >= SMALL_CELL_MIN).map(([key, members]) => ({ key, members }));
  const check = checkOverlap(candidates, prior);
  if (check.totalAtRisk) return { refused: true };
  const plain = cohortCounts(cohort);
  const guarded = check.forceHide.size === 0 ? plain : cohortCounts(cohort, check.forceHide);
  const shown = (b: GuardedBreakdown) => new Set(b.cells.filter((c) => !c.suppressed && c.count! > 0).map((c) => c.key));
  const counts: GuardedCohortCounts = {
    ...guarded,
    breakdowns: guarded.breakdowns.map((b, i) => {
      // Cells the plain answer would show that this one hides (risky ones and their complementary cells).
      const now = shown(b);
      const hidden = [...shown(plain.breakdowns[i]!)].filter((k) => !now.has(k)).length;
      return hidden > 0 ? { ...b, overlapSuppressed: hidden } : b;
    }),
  };
  const released: ReleasedSet[] = [];
  if (!counts.total.suppressed && counts.total.count! > 0) released.push({ key: TOTAL_KEY, members: sets.get(TOTAL_KEY)! });
  for (const b of counts.breakdowns) {
    for (const c of b.cells) {
      if (c.suppressed || c.count === 0) continue;
      const key = cellSetKey(b.dimension, c.key);
      released.push({ key, members: sets.get(key)! });
    }
  }
  return { refused: false, counts, released };
}
