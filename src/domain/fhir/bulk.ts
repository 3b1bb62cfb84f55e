import type { Bundle, Resource } from '@medplum/fhirtypes';
import { AppError } from '../errors.js';
import { EXPORTED_TYPES } from './profiles.js';
import { errorsOf, validateBundle, type FhirIssue } from './validate.js';

/**
 * FHIR Bulk Data export (HL7 FHIR Bulk Data Access IG v2, `Patient/$export`), as pure functions: reading the kick-off
 * request, validating and serializing a batch of patients' bundles, splitting the lines into per-type NDJSON parts, and
 * the completion manifest.
 * The async request pattern itself (202 + Content-Location, polling, files) is in the service and the route.
 */

/** Resource types a bulk export can contain (what a patient's `$everything` holds), in file order. */
export const BULK_TYPES = EXPORTED_TYPES;
export type BulkType = (typeof BULK_TYPES)[number];

/** `_outputFormat` values that mean NDJSON (the IG lists these abbreviations). */
const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);

/** How long a finished export's files stay downloadable. */
export const BULK_OUTPUT_TTL_MS = 24 * 60 * 60 * 1000;

export interface BulkKickoff {
  /** The requested types, or undefined for every type. */
  types: BulkType[] | undefined;
}

/**
 * Checks a kick-off request: `Prefer: respond-async` is required (the IG's async pattern), `_outputFormat` must be
 * NDJSON, `_type` a comma list of exportable types. `_since` and `_typeFilter` are refused by name rather than
 * ignored: TumorBoard does not record a last-updated time per FHIR resource, so it cannot honour them, and a
 * client that asked for a subset must not silently get everything.
 */
export function parseKickoff(query: Record<string, unknown>, prefer: string | undefined): BulkKickoff {
  if (!/(^|[,;\s])respond-async($|[,;\s])/.test(prefer ?? '')) {
    throw new AppError('validation', 'Prefer: a bulk export must be requested with the header "Prefer: respond-async"', { field: 'Prefer' });
  }
  for (const name of Object.keys(query)) {
    if (name === '_since' || name === '_typeFilter') throw new AppError('validation', `${name}: not supported by this server (TumorBoard keeps no per-resource update time); export without it`, { field: name });
    if (name !== '_outputFormat' && name !== '_type') throw new AppError('validation', `${name}: unknown parameter (use _outputFormat, _type)`, { field: name });
  }
  const one = (name: string): string | undefined => {
    const v = query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new AppError('validation', `${name}: give it once`, { field: name });
    return v;
  };
  const format = one('_outputFormat');
  if (format !== undefined && !NDJSON_FORMATS.has(format)) {
    throw new AppError('validation', `_outputFormat: ${JSON.stringify(format.slice(0, 60))} is not supported (use application/fhir+ndjson)`, { field: '_outputFormat' });
  }
  const typeParam = one('_type');
  if (typeParam === undefined) return { types: undefined };
  const types: BulkType[] = [];
  for (const raw of typeParam.split(',')) {
    const t = raw.trim();
    if (!(BULK_TYPES as readonly string[]).includes(t)) {
      throw new AppError('validation', `_type: ${JSON.stringify(t.slice(0, 60))} is not an exported resource type (${BULK_TYPES.join(', ')})`, { field: '_type' });
    }
    if (!types.includes(t as BulkType)) types.push(t as BulkType);
  }
  return { types };
}

/** One exported resource, serialized: the file it goes to, its `Type/id`, and its NDJSON line. */
export interface BulkLine {
  type: BulkType;
  key: string;
  json: string;
}

/** A batch of patients' bundles, validated and serialized (the unit a validation worker handles). */
export interface BulkBatch {
  /** Validation errors (paths and messages, never patient data); any error means the export offers nothing. */
  errors: FhirIssue[];
  /** The requested types' resources, each `Type/id` once per batch, in bundle order. */
  lines: BulkLine[];
}

/**
 * Validates a batch of patients' bundles, each whole (three layers on every resource, fullUrls, references resolving
 * inside the bundle), and serializes the requested types' resources. A resource identical to one already validated in
 * this batch (the institution's Organization is in every bundle) is validated once; its references are still checked
 * in each bundle. Every line written is the JSON of a resource that was validated in exactly that form.
 */
export function bulkBatch(bundles: readonly Bundle[], types?: readonly BulkType[]): BulkBatch {
  const wanted = new Set<string>(types ?? BULK_TYPES);
  const validated = new Map<string, string>();
  const written = new Set<string>();
  const errors: FhirIssue[] = [];
  const lines: BulkLine[] = [];
  for (const b of bundles) {
    const json = new Map<Resource, { key: string; json: string; seen: boolean }>();
    for (const e of b.entry ?? []) {
      const r = e.resource as Resource | undefined;
      if (!r) continue;
      const key = `${r.resourceType}/${r.id ?? ''}`;
      const text = JSON.stringify(r);
      json.set(r, { key, json: text, seen: validated.get(key) === text });
    }
    errors.push(...errorsOf(validateBundle(b, (r) => json.get(r)?.seen === true)));
    for (const [r, { key, json: text }] of json) {
      validated.set(key, text);
      if (!wanted.has(r.resourceType) || written.has(key)) continue;
      written.add(key);
      lines.push({ type: r.resourceType as BulkType, key, json: text });
    }
  }
  return { errors, lines };
}

/** One batch's resources of one type, one JSON object per line; a type's file is its parts in batch order. */
export interface BulkPart {
  type: BulkType;
  count: number;
  ndjson: string;
}

/**
 * A batch's lines as one NDJSON part per resource type (in BULK_TYPES order), skipping resources already written by
 * an earlier batch of the same export (`written`, shared across the export's batches, so the institution's
 * Organization is written once) and recording the rest in it. Types with no new resource give no part.
 */
export function bulkParts(lines: readonly BulkLine[], written: Set<string>): BulkPart[] {
  const byType = new Map<string, string[]>();
  for (const l of lines) {
    if (written.has(l.key)) continue;
    written.add(l.key);
    let list = byType.get(l.type);
    if (!list) byType.set(l.type, (list = []));
    list.push(l.json);
  }
  return BULK_TYPES.filter((t) => byType.has(t)).map((t) => {
    const list = byType.get(t)!;
    return { type: t, count: list.length, ndjson: `${list.join('\n')}\n` };
  });
}

export interface BulkManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: true;
  output: Array<{ type: string; url: string; count: number }>;
  error: Array<{ type: 'OperationOutcome'; url: string }>;
}

/** The completion manifest (IG "Response - Complete Status"); file URLs need the same session or bearer token. */
export function bulkManifest(job: { id: string; requestUrl: string; completedAt: string }, files: ReadonlyArray<{ type: string; count: number }>, baseUrl: string): BulkManifest {
  return {
    transactionTime: job.completedAt,
    request: job.requestUrl,
    requiresAccessToken: true,
    output: files.map((f) => ({ type: f.type, url: `${baseUrl}/$export-file/${job.id}/${f.type}.ndjson`, count: f.count })),
    error: [],
  };
}
