/**
 * The shape every clinical output takes: a value (or null when unknown), the rule IDs and plain-language reason
 * behind it, and the facts that were missing. Rule tables are typed data; `firstMatch` walks one.
 */

/** One line a clinician can check: which output, which rules, why. */
export interface Explanation {
  /** Dotted path of the assessment field, e.g. `ajcc.T`. */
  output: string;
  /** Rule IDs from rules.md that produced the value, e.g. `['R-AJCC-BONE-T-APP']`. */
  rules: string[];
  /** One-line reason, e.g. `7.5 cm ≤ 8 cm → T1`. */
  text: string;
  /** Where sources disagree (rules.md §6), what they say and which rule the platform chose. */
  disagreement?: string;
  /** True when the rule is tagged [K] (not re-checked against a primary source). */
  unverified?: boolean;
}

/** A fact that was needed but absent: the output it blocks stays null. */
export interface MissingFact {
  field: string;
  needed_for: string;
}

/** A derived value with its provenance. `value === null` means unknown or not applicable. */
export interface Derived<T> {
  value: T | null;
  explanations: Explanation[];
  missing: MissingFact[];
}

/** A row of a rule table: the value it gives, when it applies, and why (shown to the clinician). */
export interface TRule<F, V> {
  readonly value: V;
  readonly when: (f: F) => boolean;
  readonly why: string | ((f: F) => string);
}

export function derived<T>(value: T, output: string, rules: string[], text: string, extra?: Partial<Explanation>): Derived<T> {
  return { value, explanations: [{ output, rules, text, ...extra }], missing: [] };
}

export function missing<T = never>(field: string, neededFor: string): Derived<T> {
  return { value: null, explanations: [], missing: [{ field, needed_for: neededFor }] };
}

/** Several missing facts at once (each blocks the same output). */
export function missingAll<T = never>(fields: string[], neededFor: string): Derived<T> {
  return { value: null, explanations: [], missing: fields.map((field) => ({ field, needed_for: neededFor })) };
}

/** Null because the system does not apply, with a reason (no missing facts). */
export function notApplicable<T = never>(output: string, rules: string[], text: string): Derived<T> {
  return { value: null, explanations: [{ output, rules, text }], missing: [] };
}

/**
 * The first row of `table` whose `when` holds gives the value. Rows are ordered most specific first.
 * Returns null with an explanation when no row applies (the table does not cover the facts).
 */
export function firstMatch<F, V>(
  table: readonly TRule<F, V>[], f: F, rule: string, output: string, extra?: Partial<Explanation>,
): Derived<V> {
  for (const row of table) {
    if (row.when(f)) {
      const why = typeof row.why === 'function' ? row.why(f) : row.why;
      return derived(row.value, output, [rule], `${why} → ${String(row.value)}`, extra);
    }
  }
  return notApplicable(output, [rule], 'no rule row applies to these facts');
}

/** Merges the provenance of several derivations (explanations and missing facts), deduplicating missing facts. */
export function provenance(...parts: Array<Pick<Derived<unknown>, 'explanations' | 'missing'>>): Pick<Derived<unknown>, 'explanations' | 'missing'> {
  // Plain loops: this runs for many derivations of every case, and flatMap plus a Set of joined strings was most of
  // its cost (bench/assess.ts). Short lists are deduplicated by scanning; long ones through an index.
  const explanations: Explanation[] = [];
  const miss: MissingFact[] = [];
  let index: Map<string, Set<string>> | undefined;
  for (const p of parts) {
    for (const e of p.explanations) explanations.push(e);
    for (const m of p.missing) if (!seenMissing(miss, m, index)) {
      miss.push(m);
      if (index !== undefined) addToIndex(index, m);
      else if (miss.length > 32) index = miss.reduce((ix, x) => addToIndex(ix, x), new Map<string, Set<string>>());
    }
  }
  return { explanations, missing: miss };
}

function seenMissing(list: readonly MissingFact[], m: MissingFact, index: Map<string, Set<string>> | undefined): boolean {
  if (index !== undefined) return index.get(m.field)?.has(m.needed_for) === true;
  for (const x of list) if (x.field === m.field && x.needed_for === m.needed_for) return true;
  return false;
}

function addToIndex(index: Map<string, Set<string>>, m: MissingFact): Map<string, Set<string>> {
  const outputs = index.get(m.field);
  if (outputs === undefined) index.set(m.field, new Set([m.needed_for]));
  else outputs.add(m.needed_for);
  return index;
}
