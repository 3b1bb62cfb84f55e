import type { OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { AppError, type ErrorCode } from '../errors.js';
import { REST_TYPES, type RestType } from './profiles.js';

/**
 * The read-only FHIR REST API's search (issue #8 item 4), as pure functions: which parameters each type takes,
 * parsing them (bad input names the parameter), and matching a resource. Dates match at day precision.
 */

/** Search parameters per type (besides `_id`, `_count`, `_offset`). */
export const SEARCH_PARAMS = {
  Patient: { identifier: 'token', birthdate: 'date' },
  Condition: { patient: 'reference', subject: 'reference', code: 'token', 'recorded-date': 'date', 'clinical-status': 'token' },
  Observation: { patient: 'reference', subject: 'reference', code: 'token', date: 'date', category: 'token' },
  CarePlan: { patient: 'reference', subject: 'reference', date: 'date', category: 'token', status: 'token' },
  Procedure: { patient: 'reference', subject: 'reference', code: 'token', date: 'date' },
} as const satisfies Record<RestType, Record<string, 'token' | 'date' | 'reference'>>;

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 1000;

export interface Token { system?: string; code: string }
export interface DateBound { prefix: 'eq' | 'ge' | 'le' | 'gt' | 'lt'; start: string; end: string }

export interface SearchQuery {
  type: RestType;
  ids?: string[];
  /** Patient FHIR ids (from `patient`/`subject`, or `_id` for Patient). */
  patients?: string[];
  /** Token parameters: each parameter is an OR list; parameters AND together. */
  tokens: Array<{ name: string; any: Token[] }>;
  dates: Array<{ name: string; bound: DateBound }>;
  count: number;
  offset: number;
}

export function isRestType(t: string): t is RestType {
  return (REST_TYPES as readonly string[]).includes(t);
}

const bad = (field: string, message: string) => new AppError('validation', `${field}: ${message}`, { field });

function parseToken(v: string): Token {
  const i = v.indexOf('|');
  if (i < 0) return { code: v };
  const system = v.slice(0, i);
  return system ? { system, code: v.slice(i + 1) } : { code: v.slice(i + 1) };
}

const DATE_RE = /^(eq|ge|le|gt|lt)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** `ge2024-03`, `le2025-01-31`, `2024` → a day range with its comparison. */
export function parseDate(field: string, v: string): DateBound {
  const m = DATE_RE.exec(v);
  if (!m) throw bad(field, `${JSON.stringify(v)} is not a date like 2024-03-09 (optionally prefixed ge, le, gt, lt, eq)`);
  const [, prefix, y, mo, d] = m;
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) throw bad(field, `${JSON.stringify(v)} has no month ${mo}`);
  if (d !== undefined && (Number(d) < 1 || Number(d) > 31)) throw bad(field, `${JSON.stringify(v)} has no day ${d}`);
  const start = `${y}-${mo ?? '01'}-${d ?? '01'}`;
  const end = `${y}-${mo ?? '12'}-${d ?? '31'}`;
  return { prefix: (prefix ?? 'eq') as DateBound['prefix'], start, end };
}

function patientId(field: string, v: string): string {
  const m = /^(?:.*\/)?Patient\/([A-Za-z0-9.-]{1,64})$/.exec(v) ?? /^([A-Za-z0-9.-]{1,64})$/.exec(v);
  if (!m) throw bad(field, `${JSON.stringify(v)} is not a Patient reference like Patient/pt-…`);
  return m[1]!;
}

function intParam(field: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v)) throw bad(field, `must be a whole number ${min}–${max}`);
  const n = Number(v);
  if (n < min || n > max) throw bad(field, `must be a whole number ${min}–${max}`);
  return n;
}

/**
 * Parses a query string object (values may repeat) for a type. Unknown parameters are refused (400 naming them):
 * silently ignoring a filter would return more patient data than asked for.
 */
export function parseSearch(type: RestType, query: Record<string, string | string[] | undefined>): SearchQuery {
  const known = SEARCH_PARAMS[type] as Record<string, 'token' | 'date' | 'reference'>;
  const q: SearchQuery = { type, tokens: [], dates: [], count: DEFAULT_COUNT, offset: 0 };
  for (const [name, raw] of Object.entries(query)) {
    if (raw === undefined) continue;
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => v.trim());
    if (name === '_format') continue;
    if (name === '_count') { q.count = intParam('_count', values[values.length - 1]!, 0, MAX_COUNT); continue; }
    if (name === '_offset') { q.offset = intParam('_offset', values[values.length - 1]!, 0, 1_000_000); continue; }
    if (name === '_id') {
      const list = values.flatMap((v) => v.split(',')).filter(Boolean);
      if (type === 'Patient') q.patients = intersect(q.patients, list.map((v) => patientId('_id', v)));
      else q.ids = intersect(q.ids, list);
      continue;
    }
    const kind = Object.hasOwn(known, name) ? known[name] : undefined;
    if (!kind) {
      throw bad(name, `unknown search parameter for ${type} (supported: _id, _count, _offset, ${Object.keys(known).join(', ')})`);
    }
    for (const v of values) {
      if (v === '') throw bad(name, 'must not be empty');
      if (kind === 'reference') q.patients = intersect(q.patients, v.split(',').map((x) => patientId(name, x)));
      else if (kind === 'token') q.tokens.push({ name, any: v.split(',').map(parseToken) });
      else q.dates.push({ name, bound: parseDate(name, v) });
    }
  }
  return q;
}

function intersect(a: string[] | undefined, b: string[]): string[] {
  return a === undefined ? b : a.filter((x) => b.includes(x));
}

type Codeable = { coding?: Array<{ system?: string; code?: string }>; text?: string } | undefined;

function tokenMatches(c: Codeable, t: Token): boolean {
  return (c?.coding ?? []).some((x) => x.code === t.code && (t.system === undefined || x.system === t.system));
}

/** The values of a token parameter on a resource. */
function tokenValues(r: Resource, name: string): Array<{ coding?: Array<{ system?: string; code?: string }> }> {
  switch (name) {
    case 'code': return 'code' in r && r.code && typeof r.code === 'object' ? [r.code as Codeable ?? {}] : [];
    case 'category': {
      const c = (r as { category?: Codeable | Codeable[] }).category;
      return (Array.isArray(c) ? c : c ? [c] : []).filter((x): x is NonNullable<Codeable> => !!x);
    }
    case 'clinical-status': return r.resourceType === 'Condition' && r.clinicalStatus ? [r.clinicalStatus] : [];
    case 'status': return 'status' in r && typeof r.status === 'string' ? [{ coding: [{ code: r.status }] }] : [];
    case 'identifier': return r.resourceType === 'Patient' ? (r.identifier ?? []).map((i) => ({ coding: [{ system: i.system, code: i.value }] })) : [];
    default: return [];
  }
}

/** The day range a date parameter covers on a resource (null end = still open). */
function dateRange(r: Resource, name: string): { start: string; end: string | null } | undefined {
  const day = (s: string | undefined) => s?.slice(0, 10);
  switch (r.resourceType) {
    case 'Patient': return r.birthDate ? { start: r.birthDate, end: r.birthDate } : undefined;
    case 'Condition': return name === 'recorded-date' && r.recordedDate ? { start: day(r.recordedDate)!, end: day(r.recordedDate)! } : undefined;
    case 'Observation': return r.effectiveDateTime ? { start: day(r.effectiveDateTime)!, end: day(r.effectiveDateTime)! } : undefined;
    case 'Procedure':
      if (r.performedDateTime) return { start: day(r.performedDateTime)!, end: day(r.performedDateTime)! };
      return r.performedPeriod?.start ? { start: day(r.performedPeriod.start)!, end: day(r.performedPeriod.end) ?? null } : undefined;
    case 'CarePlan':
      return r.period?.start ? { start: day(r.period.start)!, end: day(r.period.end) ?? null } : r.created ? { start: day(r.created)!, end: day(r.created)! } : undefined;
    default: return undefined;
  }
}

function dateMatches(range: { start: string; end: string | null }, b: DateBound): boolean {
  const end = range.end ?? '9999-12-31';
  switch (b.prefix) {
    case 'ge': return end >= b.start;
    case 'gt': return end > b.end;
    case 'le': return range.start <= b.end;
    case 'lt': return range.start < b.start;
    case 'eq': return range.start <= b.end && end >= b.start;
  }
}

/** Does the resource match every parameter of the query (other than patient scoping, done by the caller)? */
export function matches(r: Resource, q: SearchQuery): boolean {
  if (r.resourceType !== q.type) return false;
  if (q.ids && !q.ids.includes(r.id!)) return false;
  for (const t of q.tokens) {
    const values = tokenValues(r, t.name);
    if (!values.some((v) => t.any.some((tok) => tokenMatches(v, tok)))) return false;
  }
  for (const d of q.dates) {
    const range = dateRange(r, d.name);
    if (!range || !dateMatches(range, d.bound)) return false;
  }
  return true;
}

/** OperationOutcome issue types for the app's error codes (DESIGN.md §5: one error type, also as OperationOutcome). */
const ISSUE_TYPE: Partial<Record<ErrorCode, OperationOutcomeIssue['code']>> = {
  bad_request: 'invalid', validation: 'invalid', unauthenticated: 'login', forbidden: 'forbidden', not_found: 'not-found',
  conflict: 'conflict', stale: 'conflict', payload_too_large: 'too-costly', precondition_required: 'required',
  rate_limited: 'throttled', internal: 'exception', unavailable: 'transient',
};

/** An AppError as a FHIR OperationOutcome: the message as diagnostics, the field as expression. */
export function operationOutcome(err: AppError): OperationOutcome {
  const issues = err.issues?.length ? err.issues : [{ field: err.field, message: err.message }];
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i, n) => ({
      severity: err.status >= 500 ? 'fatal' : 'error',
      code: ISSUE_TYPE[err.code] ?? 'processing',
      diagnostics: n === 0 ? err.message : `${i.field ?? ''}: ${i.message}`,
      ...(i.field ? { expression: [i.field] } : {}),
    })),
  };
}
