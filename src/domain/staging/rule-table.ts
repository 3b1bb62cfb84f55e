import {
  derived, missingAll, notApplicable, type Derived, type Explanation, type TRule,
} from '../rules/derive.js';

/**
 * Three-valued rule tables for the paediatric sarcoma staging modules (rms*, ewing, osteosarcoma, nrsts).
 *
 * A row's `when` holds only when every fact the row needs is known and matches, so a row can decide even when
 * unrelated facts are missing (a favourable-site M0 RMS is stage 1 whatever its size). When no row holds, the
 * table's `needs` says which absent facts could decide it; the output stays null and names them (never a guess).
 */

/** A rule row that may also carry a [D] note, a [K] mark or extra rule IDs (rules.md tag conventions). */
export interface RuleRow<F, V> extends TRule<F, V> {
  /** rules.md [D]: what the sources say and which rule the platform chose; shown when this row decides. */
  readonly disagreement?: string | ((f: F) => string | undefined);
  /** rules.md [K]: not re-checked against a primary source (or a fact this row relies on is [K]). */
  readonly unverified?: boolean | ((f: F) => boolean);
  /** Further rule IDs this row relies on (e.g. `R-GEN-AGE` for an age cut-off). */
  readonly rules?: readonly string[];
}

/**
 * The first row whose `when` holds gives the value, with its reason; otherwise null with the missing facts named
 * by `needs` (or a "not covered" explanation when nothing is missing).
 */
export function decide<F, V>(
  table: readonly RuleRow<F, V>[], f: F, rules: readonly string[], output: string,
  needs: (f: F) => readonly string[],
): Derived<V> {
  const hit = matchRow(table, f);
  if (hit === undefined) {
    const fields = [...new Set(needs(f))];
    return fields.length > 0 ? missingAll(fields, output) : notApplicable(output, [...rules], 'no rule row covers these facts');
  }
  const extra: Partial<Explanation> = {};
  if (hit.disagreement !== undefined) extra.disagreement = hit.disagreement;
  if (hit.unverified) extra.unverified = true;
  const ruleIds = [...new Set([...rules, ...hit.rules])];
  return derived(hit.value, output, ruleIds, `${hit.why} → ${show(hit.value)}`, extra);
}

/** The first row whose `when` holds, with its reason and tags resolved (undefined when none holds). */
export function matchRow<F, V>(
  table: readonly RuleRow<F, V>[], f: F,
): { value: V; why: string; disagreement?: string; unverified: boolean; rules: readonly string[] } | undefined {
  const row = table.find((r) => r.when(f));
  if (row === undefined) return undefined;
  const disagreement = typeof row.disagreement === 'function' ? row.disagreement(f) : row.disagreement;
  const unverified = (typeof row.unverified === 'function' ? row.unverified(f) : row.unverified) === true;
  return {
    value: row.value, why: typeof row.why === 'function' ? row.why(f) : row.why, unverified, rules: row.rules ?? [],
    ...(disagreement !== undefined ? { disagreement } : {}),
  };
}

/** How a value reads in a reason line. */
export function show(value: unknown): string {
  return value === null ? 'not assigned' : String(value);
}

/** Marks every explanation of a derivation [K] (e.g. the morphology code behind it is unverified). */
export function markUnverified<T>(d: Derived<T>, when = true): Derived<T> {
  if (!when) return d;
  return { ...d, explanations: d.explanations.map((e) => ({ ...e, unverified: true })) };
}

/** Null with a reason and the facts that would decide it. */
export function unknownBecause<T = never>(output: string, rules: readonly string[], text: string, fields: readonly string[]): Derived<T> {
  return {
    value: null,
    explanations: [{ output, rules: [...rules], text }],
    missing: fields.map((field) => ({ field, needed_for: output })),
  };
}

/** The missing fact paths of upstream derivations, to be re-stated for a downstream output. */
export function missingFields(...parts: ReadonlyArray<Pick<Derived<unknown>, 'missing'>>): string[] {
  return [...new Set(parts.flatMap((p) => p.missing.map((m) => m.field)))];
}
