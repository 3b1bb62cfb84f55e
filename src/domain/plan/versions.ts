import { createHash } from 'node:crypto';
import { formatDose } from './dose-limits.js';
import { normalizeAgent } from './exposure.js';
import type { ChecklistItem, PlanAgent, PlanContent, PlanCycle, PlanPhase } from './plan.js';

/**
 * Plan versions: a canonical JSON form and its SHA-256 (a signature is bound to a version and the hash of its
 * content), a readable diff of two versions for the side-by-side compare view, and the sign-off state.
 */

// ---- Canonical JSON and hash ----

/**
 * JSON with object keys in sorted order at every level, no whitespace: two documents with the same content give the
 * same text whatever order their keys were written in. Follows JSON.stringify for the rest (undefined properties
 * are left out, undefined array items become null); non-finite numbers and values JSON cannot carry are errors,
 * so a hash never silently covers a lossy form.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, '(root)');
  return out.join('');
}

function write(v: unknown, out: string[], path: string): void {
  if (v === null) { out.push('null'); return; }
  switch (typeof v) {
    case 'string': out.push(JSON.stringify(v)); return;
    case 'boolean': out.push(v ? 'true' : 'false'); return;
    case 'number':
      if (!Number.isFinite(v)) throw new RangeError(`canonicalJson: ${path} is ${v}, which JSON cannot carry`);
      out.push(JSON.stringify(v)); return;
    case 'object': break;
    default: throw new TypeError(`canonicalJson: ${path} is a ${typeof v}, which JSON cannot carry`);
  }
  if (Array.isArray(v)) {
    out.push('[');
    v.forEach((x, i) => {
      if (i > 0) out.push(',');
      if (x === undefined) out.push('null');
      else write(x, out, `${path}[${i}]`);
    });
    out.push(']');
    return;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  out.push('{');
  keys.forEach((k, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(k), ':');
    write(o[k], out, `${path}.${k}`);
  });
  out.push('}');
}

/** SHA-256 (lowercase hex) of the canonical JSON of a plan's content: what a signature is bound to. */
export function contentHash(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

// ---- Diff ----

/** One difference between two versions. `path` is for people, `field` for code (both address the same place). */
export interface PlanDiffEntry {
  readonly path: string;
  readonly field: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before: unknown;
  readonly after: unknown;
}

const SEP = ' › ';

const TOP_LABELS = {
  templateId: 'Template', templateVersion: 'Template version', title: 'Title', intent: 'Intent', bsaM2: 'BSA (m²)',
  weightKg: 'Weight (kg)', trialNctId: 'Trial', notes: 'Notes',
} as const satisfies Partial<Record<keyof PlanContent, string>>;

const PHASE_LABELS = {
  name: 'name', kind: 'kind', startWeek: 'start week', cycleIntervalDays: 'cycle interval (days)', order: 'cycle order',
  note: 'note', unverified: 'unverified',
} as const satisfies Partial<Record<keyof PlanPhase, string>>;

const CYCLE_LABELS = {
  regimen: 'regimen', count: 'number of cycles', note: 'note', unverified: 'unverified',
} as const satisfies Partial<Record<keyof PlanCycle, string>>;

const AGENT_LABELS = {
  administrations: 'administrations per cycle', maxMg: 'cap (mg)', route: 'route', note: 'note', unverified: 'unverified',
} as const satisfies Partial<Record<keyof PlanAgent, string>>;

const CHECKLIST_LABELS = {
  question: 'question', rules: 'rules', answer: 'answer', note: 'note',
} as const satisfies Partial<Record<keyof ChecklistItem, string>>;

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return canonicalJson(a) === canonicalJson(b);
}

function leaf(out: PlanDiffEntry[], path: string, field: string, before: unknown, after: unknown): void {
  if (same(before, after)) return;
  const kind = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  out.push({ path, field, kind, before, after });
}

function fields<T extends object>(out: PlanDiffEntry[], labels: Partial<Record<keyof T, string>>, base: string, field: string, a: T, b: T): void {
  for (const [k, label] of Object.entries(labels) as Array<[keyof T & string, string]>) {
    leaf(out, `${base}${SEP}${label}`, `${field}.${k}`, a[k], b[k]);
  }
}

/** Matches two lists by key: pairs in `b` order, then what only `a` had. */
function pair<T>(a: readonly T[], b: readonly T[], key: (x: T) => string): Array<{ a?: T; ai: number; b?: T; bi: number }> {
  const ia = new Map(a.map((x, i) => [key(x), i]));
  const out: Array<{ a?: T; ai: number; b?: T; bi: number }> = [];
  const seen = new Set<string>();
  b.forEach((x, bi) => {
    const k = key(x);
    seen.add(k);
    const ai = ia.get(k);
    out.push(ai === undefined ? { b: x, bi, ai: -1 } : { a: a[ai], ai, b: x, bi });
  });
  a.forEach((x, ai) => { if (!seen.has(key(x))) out.push({ a: x, ai, bi: -1 }); });
  return out;
}

const doseModText = (a: PlanAgent) => (a.doseModification ? `${a.doseModification.percent}% of ${a.doseModification.fullDose} (${a.doseModification.reason})` : undefined);

function diffAgents(out: PlanDiffEntry[], base: string, field: string, a: readonly PlanAgent[], b: readonly PlanAgent[]): void {
  for (const p of pair(a, b, (x) => normalizeAgent(x.agent))) {
    const name = (p.b ?? p.a)!.agent;
    const f = `${field}.agents[${p.b ? p.bi : p.ai}]`;
    const path = `${base}${SEP}${name}`;
    if (p.a === undefined) { out.push({ path, field: f, kind: 'added', before: undefined, after: p.b }); continue; }
    if (p.b === undefined) { out.push({ path, field: f, kind: 'removed', before: p.a, after: undefined }); continue; }
    // The dose as one value with its unit: a change of unit reads as one change, not a removal and an addition.
    leaf(out, `${path} dose`, `${f}.dose`, formatDose(p.a), formatDose(p.b));
    leaf(out, `${path}${SEP}dose modification`, `${f}.doseModification`, doseModText(p.a), doseModText(p.b));
    fields(out, AGENT_LABELS, path, f, p.a, p.b);
  }
}

/** The regimen name, numbered when a phase has two groups of the same regimen. */
function cycleLabel(c: PlanCycle, siblings: readonly PlanCycle[]): string {
  const namesakes = siblings.filter((s) => s.regimen === c.regimen);
  return namesakes.length > 1 ? `${c.regimen} (${namesakes.indexOf(c) + 1})` : c.regimen;
}

function diffPhases(out: PlanDiffEntry[], a: readonly PlanPhase[], b: readonly PlanPhase[]): void {
  const common = (xs: readonly PlanPhase[], other: readonly PlanPhase[]) => xs.filter((x) => other.some((y) => y.id === x.id)).map((x) => x.id);
  if (common(a, b).join('\n') !== common(b, a).join('\n')) {
    out.push({ path: 'Phase order', field: 'phases', kind: 'changed', before: a.map((p) => p.name), after: b.map((p) => p.name) });
  }
  for (const p of pair(a, b, (x) => x.id)) {
    const f = `phases[${p.b ? p.bi : p.ai}]`;
    const name = (p.b ?? p.a)!.name;
    if (p.a === undefined) { out.push({ path: name, field: f, kind: 'added', before: undefined, after: p.b }); continue; }
    if (p.b === undefined) { out.push({ path: name, field: f, kind: 'removed', before: p.a, after: undefined }); continue; }
    fields(out, PHASE_LABELS, name, f, p.a, p.b);
    const ca = p.a.cycles; const cb = p.b.cycles;
    for (const c of pair(ca, cb, (x) => x.id)) {
      const cf = `${f}.cycles[${c.b ? c.bi : c.ai}]`;
      const label = `${name}${SEP}${c.b ? cycleLabel(c.b, cb) : cycleLabel(c.a!, ca)}`;
      if (c.a === undefined) { out.push({ path: label, field: cf, kind: 'added', before: undefined, after: c.b }); continue; }
      if (c.b === undefined) { out.push({ path: label, field: cf, kind: 'removed', before: c.a, after: undefined }); continue; }
      fields(out, CYCLE_LABELS, label, cf, c.a, c.b);
      diffAgents(out, label, cf, c.a.agents, c.b.agents);
    }
  }
}

/** Any JSON value, walked key by key (used for local control, whose entries have varied shapes). */
function diffValue(out: PlanDiffEntry[], path: string, field: string, a: unknown, b: unknown): void {
  const obj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
  if (obj(a) && obj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) diffValue(out, `${path}${SEP}${k}`, `${field}.${k}`, a[k], b[k]);
    return;
  }
  leaf(out, path, field, a, b);
}

/**
 * Differences from version `a` to version `b`, for a side-by-side compare view: phases and cycles are matched by ID
 * and agents by name (so inserting a phase does not show every later phase as changed), checklist questions by flag,
 * considered options by description, selected local control by position. Paths read like
 * "Induction › VDC › doxorubicin dose"; `field` is the path in `b` (or `a` for a removal).
 */
export function diffPlans(a: PlanContent, b: PlanContent): PlanDiffEntry[] {
  const out: PlanDiffEntry[] = [];
  for (const [k, label] of Object.entries(TOP_LABELS) as Array<[keyof typeof TOP_LABELS, string]>) leaf(out, label, k, a[k], b[k]);
  diffPhases(out, a.phases, b.phases);
  const sa = a.localControl.selected; const sb = b.localControl.selected;
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const x = sa[i]; const y = sb[i];
    const path = `Local control${SEP}selected ${i + 1}${y ?? x ? ` (${(y ?? x)!.kind})` : ''}`;
    if (x !== undefined && y !== undefined && x.kind === y.kind) diffValue(out, path, `localControl.selected[${i}]`, x, y);
    else leaf(out, path, `localControl.selected[${i}]`, x, y);
  }
  for (const p of pair(a.localControl.considered, b.localControl.considered, (o) => o.description)) {
    const o = (p.b ?? p.a)!;
    const f = `localControl.considered[${p.b ? p.bi : p.ai}]`;
    if (p.a === undefined || p.b === undefined) leaf(out, `Local control${SEP}option${SEP}${o.description}`, f, p.a, p.b);
    else diffValue(out, `Local control${SEP}option${SEP}${o.description}`, f, p.a, p.b);
  }
  for (const p of pair(a.checklist, b.checklist, (c) => c.flag)) {
    const flag = (p.b ?? p.a)!.flag;
    const f = `checklist[${p.b ? p.bi : p.ai}]`;
    const path = `Checklist${SEP}${flag}`;
    if (p.a === undefined || p.b === undefined) leaf(out, path, f, p.a, p.b);
    else fields(out, CHECKLIST_LABELS, path, f, p.a, p.b);
  }
  return out;
}

// ---- Sign-off ----

/** A discipline's signature, bound to one version and the hash of that version's content. */
export interface PlanSignature {
  readonly discipline: string;
  readonly version: number;
  readonly contentHash: string;
  readonly userId?: string;
  readonly signedAt?: string;
}

export interface SignoffState {
  /** Every required discipline signed the current version, with the current content hash. */
  readonly agreed: boolean;
  /** The version all required disciplines signed: the current one when agreed, else the latest earlier one (or null). */
  readonly signedVersion: number | null;
  /** Required disciplines without a valid signature on the current version. */
  readonly missing: readonly string[];
  /** Signatures that do not count for the current version: on an older version, or on it with another hash. */
  readonly stale: readonly PlanSignature[];
  /** Signatures that count for the current version. */
  readonly valid: readonly PlanSignature[];
}

/** Every required discipline signed version `v` with one and the same hash. */
function fullySigned(required: readonly string[], signatures: readonly PlanSignature[], v: number): boolean {
  const on = signatures.filter((s) => s.version === v);
  const hashes = new Set(on.filter((s) => required.includes(s.discipline)).map((s) => s.contentHash));
  return hashes.size === 1 && required.every((d) => on.some((s) => s.discipline === d));
}

/**
 * Sign-off of a plan (DESIGN.md §2.5): agreed when every required discipline signed the current version with the
 * current content hash. A signature on an earlier version, or on the current version number with a different hash
 * (the content was changed under it), is stale. With no required discipline nothing can be agreed.
 */
export function signoffState(
  requiredDisciplines: readonly string[], signatures: readonly PlanSignature[], currentVersion: number, currentHash: string,
): SignoffState {
  const required = [...new Set(requiredDisciplines)];
  const valid = signatures.filter((s) => s.version === currentVersion && s.contentHash === currentHash);
  const stale = signatures.filter((s) => !valid.includes(s));
  const missing = required.filter((d) => !valid.some((s) => s.discipline === d));
  const agreed = required.length > 0 && missing.length === 0;
  let signedVersion: number | null = agreed ? currentVersion : null;
  if (!agreed && required.length > 0) {
    const older = [...new Set(signatures.map((s) => s.version).filter((v) => v < currentVersion))].sort((x, y) => y - x);
    signedVersion = older.find((v) => fullySigned(required, signatures, v)) ?? null;
  }
  return { agreed, signedVersion, missing, stale, valid };
}
