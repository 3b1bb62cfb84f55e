import type { z } from 'zod';
import { caseFactsSchema, type CaseFacts } from './facts/case-facts.js';
import type { FactError } from './facts/assessment.js';
import { lookupMorphology } from './coding/morphology.js';

/**
 * Validation of case facts for `assess` (DESIGN.md §4): the zod schema, then the checks it cannot express. Valid
 * facts take a fast check compiled from the same schema (zod's parse was over a third of the engine's time in
 * bench/assess.ts); anything the fast check does not accept goes to zod, which decides and names the fields.
 */

export type ValidationResult = { ok: true; facts: CaseFacts } | { ok: false; errors: FactError[] };

/** The field an error names when the whole input is wrong (not an object) or the engine failed. */
export const ROOT_FIELD = '(facts)';

/**
 * ICD-O-3 topography categories (R-CODE-TOPO, R-GEN-ICDO): C00–C80 without the numbers ICD-O-3 leaves unused
 * (C27–C29, C35–C36, C43, C45–C46, C59, C78–C79). Subsite digits are not checked.
 */
const ICDO_TOPOGRAPHY_CATEGORIES: ReadonlySet<number> = new Set(
  Array.from({ length: 81 }, (_, i) => i).filter((n) => ![27, 28, 29, 35, 36, 43, 45, 46, 59, 78, 79].includes(n)),
);

/**
 * Validates case facts: the zod schema (unknown keys named as the key itself, e.g. `bone.skipLesions`), then the
 * checks it cannot express: a morphology the platform knows (R-CODE-MORPH), a topography ICD-O-3 defines
 * (R-CODE-TOPO), and a metastatic site count no smaller than the distinct sites listed. The facts returned are
 * the input itself when the fast path accepts it (zod's copy otherwise): read them, do not change them.
 */
export function validateCaseFacts(input: unknown): ValidationResult {
  let facts = parseFast(input);
  if (facts === FAIL) {
    const parsed = caseFactsSchema.safeParse(input);
    if (!parsed.success) return { ok: false, errors: parsed.error.issues.flatMap((i) => toFactErrors(i as Issue, input)) };
    facts = parsed.data;
  }
  const errors: FactError[] = [];
  if (lookupMorphology(facts.morphology) === undefined) {
    errors.push({ field: 'morphology', message: `unknown ICD-O-3 morphology code ${facts.morphology}` });
  }
  if (!ICDO_TOPOGRAPHY_CATEGORIES.has(Number(facts.topography.slice(1, 3)))) {
    errors.push({ field: 'topography', message: `${facts.topography} is not an ICD-O-3 topography code (C00–C80)` });
  }
  if (facts.metastases !== undefined && facts.metastaticSiteCount !== undefined) {
    const distinct = new Set(facts.metastases).size;
    if (facts.metastaticSiteCount < distinct) {
      errors.push({
        field: 'metastaticSiteCount',
        message: `is ${facts.metastaticSiteCount} but metastases lists ${distinct} distinct site${distinct === 1 ? '' : 's'}`,
      });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, facts };
}

// ---- Error messages ----

/** The zod issue fields the messages read (zod 4 `$ZodIssue`, loosely typed so every issue kind fits). */
interface Issue {
  readonly code?: string;
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
  readonly keys?: readonly string[];
  readonly values?: readonly unknown[];
  readonly origin?: string;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean;
  /** invalid_union: the issues of each option. */
  readonly errors?: ReadonlyArray<ReadonlyArray<Issue>>;
}

/** A zod issue as field errors: `a.b[0].c`, the root as `(facts)`, each unknown key by its own path. */
function toFactErrors(issue: Issue, input: unknown): FactError[] {
  if (issue.code === 'unrecognized_keys' && issue.keys !== undefined && issue.keys.length > 0) {
    return issue.keys.map((k) => ({ field: pathOf([...issue.path, k]), message: 'unknown field' }));
  }
  return [{ field: pathOf(issue.path), message: messageOf(issue, input) }];
}

/** A one-line message with the offending value, in place of zod's generic wording where that helps. */
function messageOf(issue: Issue, input: unknown): string {
  const value = valueAt(input, issue.path);
  if (value === undefined && issue.path.length > 0) return 'required';
  const age = issue.path.length === 1 && issue.path[0] === 'ageMonths';
  if (issue.code === 'invalid_value' && issue.values !== undefined) {
    return `${show(value)} is not one of ${issue.values.map((v) => String(v)).join(', ')}`;
  }
  // A union of literals (grade.fnclcc: 1 | 2 | 3): list the allowed values, as for an enum.
  const branches = issue.code === 'invalid_union' ? issue.errors?.flat() : undefined;
  if (branches !== undefined && branches.length > 0 && branches.every((b) => b.code === 'invalid_value' && b.values !== undefined)) {
    return `${show(value)} is not one of ${branches.flatMap((b) => b.values ?? []).map((v) => String(v)).join(', ')}`;
  }
  if (typeof value === 'number' && issue.origin === 'number') {
    if (issue.code === 'too_small') {
      return `must be ${issue.inclusive === false ? '>' : '≥'} ${String(issue.minimum)}${age ? ' months' : ''}, got ${show(value)}`;
    }
    if (issue.code === 'too_big') {
      return `must be ${issue.inclusive === false ? '<' : '≤'} ${String(issue.maximum)}${age ? ' months (120 years)' : ''}, got ${show(value)}`;
    }
  }
  return issue.message;
}

function pathOf(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || ROOT_FIELD;
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function show(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  } catch {
    s = String(typeof value);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

// ---- Fast path ----

/**
 * A check that accepts only values zod accepts (never the reverse). Accepted facts are used as given: the schema
 * has no defaults or transforms, so zod's parse would return an equal copy, and building that copy was most of the
 * validation time. The engine only reads facts and its output shares no object with them.
 */
export type FastCheck = (v: unknown) => boolean;

/** Zod definition fields the compiler reads (zod 4 `_zod.def`). */
interface Def {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, unknown>;
  values?: unknown[];
}
interface CheckDef {
  check: string;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
  maximum?: number;
  minimum?: number;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

const isPlain = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * Compiles a fast check from a zod schema built of the pieces case facts use (strict objects, optional, nullable,
 * numbers with bounds and safe-integer checks, strings with length bounds and one plain regex, booleans, enums,
 * literals, unions, arrays with a max length, records with string keys). Returns undefined for anything else
 * (defaults, transforms, refinements…), so a schema change the compiler does not understand only loses speed, never
 * correctness. Stricter than zod: plain or null-prototype objects only, no `__proto__` key, no sparse arrays.
 */
export function compileFastCheck(schema: z.ZodType): FastCheck | undefined {
  const def = defOf(schema);
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  switch (def.type) {
    case 'object': {
      if (checks.length > 0 || def.shape === undefined || def.catchall === undefined || defOf(def.catchall).type !== 'never') return undefined;
      const fields = new Map<string, FastCheck>();
      for (const [key, s] of Object.entries(def.shape)) {
        const c = compileFastCheck(s);
        if (c === undefined) return undefined;
        fields.set(key, c);
      }
      const required = [...fields].filter(([, c]) => !c(undefined)).map(([k]) => k);
      return (v) => {
        if (!isPlain(v)) return false;
        // for…in, as zod's strict check: an inherited enumerable key is an unknown key too.
        for (const k in v) {
          const c = fields.get(k);
          if (c === undefined || !c(v[k])) return false;
        }
        for (const k of required) if (!(k in v)) return false;
        return true;
      };
    }
    case 'optional': {
      const inner = def.innerType && compileFastCheck(def.innerType);
      return inner && ((v) => v === undefined || inner(v));
    }
    case 'nullable': {
      const inner = def.innerType && compileFastCheck(def.innerType);
      return inner && ((v) => v === null || inner(v));
    }
    case 'number': {
      let min = -Infinity;
      let minInclusive = true;
      let max = Infinity;
      let maxInclusive = true;
      let int = false;
      for (const c of checks) {
        if (c.check === 'greater_than' && typeof c.value === 'number' && c.value >= min) {
          min = c.value;
          minInclusive = c.inclusive === true;
        } else if (c.check === 'less_than' && typeof c.value === 'number' && c.value <= max) {
          max = c.value;
          maxInclusive = c.inclusive === true;
        } else if (c.check === 'number_format' && c.format === 'safeint') {
          int = true;
        } else {
          return undefined;
        }
      }
      return (v) => typeof v === 'number' && Number.isFinite(v)
        && (minInclusive ? v >= min : v > min) && (maxInclusive ? v <= max : v < max)
        && (!int || Number.isSafeInteger(v));
    }
    case 'string': {
      let minLength = 0;
      let maxLength = Infinity;
      const patterns: RegExp[] = [];
      for (const c of checks) {
        if (c.check === 'max_length' && typeof c.maximum === 'number') {
          maxLength = Math.min(maxLength, c.maximum);
        } else if (c.check === 'min_length' && typeof c.minimum === 'number') {
          minLength = Math.max(minLength, c.minimum);
        } else if (c.check === 'string_format' && c.format === 'regex' && c.pattern instanceof RegExp && !c.pattern.global && !c.pattern.sticky) {
          patterns.push(c.pattern);
        } else {
          return undefined;
        }
      }
      if (patterns.length > 1) return undefined;
      const re = patterns[0];
      return (v) => typeof v === 'string' && v.length >= minLength && v.length <= maxLength && (re === undefined || re.test(v));
    }
    case 'boolean':
      return checks.length > 0 ? undefined : (v) => typeof v === 'boolean';
    case 'enum': {
      if (checks.length > 0 || def.entries === undefined) return undefined;
      const allowed = new Set(Object.values(def.entries).filter((x) => typeof x === 'string'));
      return (v) => typeof v === 'string' && allowed.has(v);
    }
    case 'literal': {
      if (checks.length > 0 || def.values === undefined || !def.values.every((x) => typeof x === 'string' || (typeof x === 'number' && x !== 0))) return undefined;
      const allowed = new Set(def.values);
      return (v) => allowed.has(v);
    }
    case 'union': {
      if (checks.length > 0 || def.options === undefined) return undefined;
      const options: FastCheck[] = [];
      for (const o of def.options) {
        const c = compileFastCheck(o);
        if (c === undefined) return undefined;
        options.push(c);
      }
      return (v) => options.some((c) => c(v));
    }
    case 'array': {
      let max = Infinity;
      for (const c of checks) {
        if (c.check === 'max_length' && typeof c.maximum === 'number') max = Math.min(max, c.maximum);
        else return undefined;
      }
      const element = def.element && compileFastCheck(def.element);
      if (element === undefined || element(undefined)) return undefined;
      return (v) => {
        if (!Array.isArray(v) || v.length > max) return false;
        for (let i = 0; i < v.length; i++) if (!(i in v) || !element(v[i])) return false;
        return true;
      };
    }
    case 'record': {
      if (checks.length > 0 || def.keyType === undefined || def.valueType === undefined || defOf(def.keyType).type !== 'string') return undefined;
      const key = compileFastCheck(def.keyType);
      const value = compileFastCheck(def.valueType);
      if (key === undefined || value === undefined || value(undefined)) return undefined;
      return (v) => {
        if (!isPlain(v)) return false;
        for (const k in v) if (k === '__proto__' || !Object.hasOwn(v, k) || !key(k) || !value(v[k])) return false;
        return true;
      };
    }
    default:
      return undefined;
  }
}

const FAST_CASE_FACTS = compileFastCheck(caseFactsSchema);

/** What `parseFast` returns for input the fast check does not accept. */
export const FAIL: unique symbol = Symbol('fail');

/** The facts themselves when the fast check accepts them, FAIL otherwise (zod then decides and reports). */
export function parseFast(input: unknown): CaseFacts | typeof FAIL {
  if (FAST_CASE_FACTS === undefined) return FAIL;
  try {
    return FAST_CASE_FACTS(input) ? input as CaseFacts : FAIL;
  } catch {
    return FAIL;
  }
}
