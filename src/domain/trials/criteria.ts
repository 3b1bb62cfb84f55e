import { z } from 'zod';
import { TUMOR_FAMILIES, type TumorFamily } from '../coding/morphology.js';
import { METASTATIC_SITES, type MetastaticSite } from '../facts/case-facts.js';
import type { Assessment } from '../facts/assessment.js';
import { validationError, type FieldIssue } from '../errors.js';

/**
 * Structured trial eligibility (trial-eligibility.md E.2): a typed expression tree per criterion, closed leaf types,
 * shared versioned macros (COG_RENAL_V1 …), and the zod schema of the stored curated definition, so the API can
 * validate a curator's edit and name the exact field path that is wrong.
 *
 * Conventions:
 * - Ages are in days on a 365.25-day year and a 30.4375-day month, so limits in years or months line up exactly
 *   with an age in whole months. "≤ N years" is read as "before the (N+1)th birthday" (completed years ≤ N), which
 *   is stored as an exclusive upper bound at N+1 years; the explanation says so.
 * - An exclusion is stored positively ("is pregnant") and evaluated as NOT (E.3).
 */

// ---- Vocabularies ----

export const AGE_UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes'] as const;
export type AgeUnit = (typeof AGE_UNITS)[number];

/**
 * Days per age unit. Years and months use the mean Gregorian year (365.25 d, month = 365.25/12 d) so a limit in
 * years lines up exactly with an age in whole months (see evaluate.ts, age leaf).
 */
export const DAYS_PER_UNIT = {
  years: 365.25, months: 30.4375, weeks: 7, days: 1, hours: 1 / 24, minutes: 1 / 1440,
} as const satisfies Record<AgeUnit, number>;

export const CURATION_STATUSES = ['proposed', 'accepted', 'edited', 'rejected', 'needs_review'] as const;
/** Per item: a draft starts `proposed`; only `accepted`/`edited` (and `rejected`, which removes it) count as curated. */
export type CurationStatus = (typeof CURATION_STATUSES)[number];
export const CURATED_STATUSES: ReadonlySet<CurationStatus> = new Set(['accepted', 'edited', 'rejected']);

export const SCOPE_KINDS = ['trial', 'step', 'arm', 'cohort'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export const DISEASE_STATUSES = ['newly_diagnosed', 'relapsed', 'refractory', 'progressive'] as const;
export type DiseaseStatus = (typeof DISEASE_STATUSES)[number];
export const THERAPY_KINDS = ['chemotherapy', 'radiation', 'surgery', 'immunotherapy'] as const;
export type TherapyKind = (typeof THERAPY_KINDS)[number];
export const PERFORMANCE_SCALES = ['lansky', 'karnofsky', 'ecog'] as const;
export type PerformanceScale = (typeof PERFORMANCE_SCALES)[number];
export const COMPARATORS = ['>=', '>', '<=', '<'] as const;
export type Comparator = (typeof COMPARATORS)[number];

export interface LabFactInfo {
  readonly label: string;
  readonly unit: string;
  /** Case-facts field holding this lab's upper limit of normal, if the facts carry one. */
  readonly uln: 'bilirubinUln' | 'altUln' | null;
  /** A blood draw: `labs.drawnDaysAgo` dates it (echocardiography is not dated by it). */
  readonly drawn: boolean;
}

/** Lab facts a leaf can test (case-facts `labs.*`), with display units. */
export const LAB_FACTS = {
  anc: { label: 'ANC', unit: '/µL', uln: null, drawn: true },
  platelets: { label: 'platelets', unit: '/µL', uln: null, drawn: true },
  hemoglobinGDl: { label: 'hemoglobin', unit: 'g/dL', uln: null, drawn: true },
  creatinineMgDl: { label: 'creatinine', unit: 'mg/dL', uln: null, drawn: true },
  gfrMlMin173: { label: 'GFR/creatinine clearance', unit: 'mL/min/1.73 m²', uln: null, drawn: true },
  bilirubinTotalMgDl: { label: 'total bilirubin', unit: 'mg/dL', uln: 'bilirubinUln', drawn: true },
  altUL: { label: 'ALT', unit: 'U/L', uln: 'altUln', drawn: true },
  shorteningFractionPct: { label: 'shortening fraction', unit: '%', uln: null, drawn: false },
  ejectionFractionPct: { label: 'ejection fraction', unit: '%', uln: null, drawn: false },
} as const satisfies Record<string, LabFactInfo>;
export type LabFact = keyof typeof LAB_FACTS;
const LAB_FACT_KEYS = Object.keys(LAB_FACTS) as [LabFact, ...LabFact[]];

export const MOLECULAR_MARKERS = ['foxo1Fusion', 'fusionPartner', 'myod1', 'tp53', 'ewsr1Fusion'] as const;
export type MolecularMarker = (typeof MOLECULAR_MARKERS)[number];

/** Stage and risk values a `stageRisk` leaf can test, read from the assessment (DESIGN.md §4) passed with the facts. */
export const STAGE_RISK_MEASURES = {
  'rms.stage': { label: 'RMS stage', system: 'rms', read: (a: Assessment) => a.rms?.stage },
  'rms.clinicalGroup': { label: 'RMS clinical group', system: 'rms', read: (a: Assessment) => a.rms?.clinicalGroup },
  'rms.cogRiskHistologyBased': { label: 'COG RMS risk group (histology-based)', system: 'rms', read: (a: Assessment) => a.rms?.cogRiskHistologyBased },
  'rms.cogRiskFusionBased': { label: 'COG RMS risk group (FOXO1-based)', system: 'rms', read: (a: Assessment) => a.rms?.cogRiskFusionBased },
  'rms.arst2032Category': { label: 'ARST2032 category', system: 'rms', read: (a: Assessment) => a.rms?.arst2032Category },
  'ewing.metastaticCategory': { label: 'Ewing metastatic category', system: 'ewing', read: (a: Assessment) => a.ewing?.metastaticCategory },
  'osteosarcoma.metastaticCategory': { label: 'osteosarcoma metastatic category', system: 'osteosarcoma', read: (a: Assessment) => a.osteosarcoma?.metastaticCategory },
  'osteosarcoma.responseByNecrosis90': { label: 'osteosarcoma histologic response (90% necrosis)', system: 'osteosarcoma', read: (a: Assessment) => a.osteosarcoma?.responseByNecrosis90 },
  'nrsts.arst0332RiskGroup': { label: 'NRSTS risk group (ARST0332)', system: 'nrsts', read: (a: Assessment) => a.nrsts?.arst0332RiskGroup },
  'ajcc.stageGroup': { label: 'AJCC stage group', system: 'ajcc', read: (a: Assessment) => a.ajcc?.stageGroup },
} as const satisfies Record<string, { label: string; system: keyof Assessment; read: (a: Assessment) => string | number | null | undefined }>;
export type StageRiskMeasure = keyof typeof STAGE_RISK_MEASURES;
const STAGE_RISK_KEYS = Object.keys(STAGE_RISK_MEASURES) as [StageRiskMeasure, ...StageRiskMeasure[]];

export const REPRODUCTIVE_CONDITIONS = ['pregnant_or_nursing', 'contraception_if_fertile'] as const;
export type ReproductiveCondition = (typeof REPRODUCTIVE_CONDITIONS)[number];

// ---- Expression tree ----

/** An age limit in days; `inclusive` says whether the limit itself is allowed. */
export interface AgeBound { readonly days: number; readonly inclusive: boolean }
export interface AgeRange { readonly min?: AgeBound; readonly max?: AgeBound }
export interface CodeSet { readonly codes?: readonly string[]; readonly families?: readonly TumorFamily[] }
export interface PerformanceRule {
  readonly scale: PerformanceScale;
  /** The age range this scale is used for (D.3: the boundary is per trial: > 16, ≥ 16, > 10 …). */
  readonly appliesIf?: AgeRange;
  readonly min?: number;
  readonly max?: number;
}

export type Leaf =
  | { readonly op: 'age'; readonly min?: AgeBound; readonly max?: AgeBound; readonly note?: string }
  | { readonly op: 'sex'; readonly anyOf: readonly ('male' | 'female')[] }
  | { readonly op: 'diagnosis'; readonly label: string; readonly anyOf?: CodeSet; readonly noneOf?: CodeSet; readonly site?: 'bone' | 'soft_tissue' }
  | { readonly op: 'diseaseStatus'; readonly anyOf: readonly DiseaseStatus[] }
  | { readonly op: 'metastatic'; readonly present: boolean; readonly sites?: readonly MetastaticSite[] }
  | { readonly op: 'stageRisk'; readonly measure: StageRiskMeasure; readonly anyOf: readonly (string | number)[] }
  | { readonly op: 'priorTherapy'; readonly kinds?: readonly TherapyKind[]; readonly agents?: readonly string[]; readonly excludingAgents?: readonly string[]; readonly minCount?: number }
  | { readonly op: 'molecular'; readonly marker: MolecularMarker; readonly anyOf: readonly string[] }
  | { readonly op: 'performance'; readonly rules: readonly PerformanceRule[] }
  | { readonly op: 'lab'; readonly fact: LabFact; readonly cmp: Comparator; readonly absolute?: number; readonly xUln?: number; readonly withinDays?: number }
  | { readonly op: 'creatinineTable'; readonly table: 'COG_CREATININE_AGE_SEX_V1'; readonly withinDays?: number }
  | { readonly op: 'labsRecent'; readonly withinDays: number }
  | { readonly op: 'enrolledOnStudy'; readonly studies: readonly string[]; readonly allowConcurrent: boolean }
  | { readonly op: 'reproductive'; readonly condition: ReproductiveCondition }
  | { readonly op: 'manual'; readonly note?: string };

export type Expr =
  | { readonly op: 'and'; readonly args: readonly Expr[] }
  | { readonly op: 'or'; readonly args: readonly Expr[] }
  | { readonly op: 'not'; readonly arg: Expr }
  | { readonly op: 'atLeast'; readonly n: number; readonly args: readonly Expr[] }
  | { readonly op: 'when'; readonly if: Expr; readonly then: Expr }
  | { readonly op: 'ref'; readonly macro: MacroId; readonly withinDays?: number }
  | Leaf;

export type LeafOp = Leaf['op'];
export const LEAF_OPS = [
  'age', 'sex', 'diagnosis', 'diseaseStatus', 'metastatic', 'stageRisk', 'priorTherapy', 'molecular', 'performance',
  'lab', 'creatinineTable', 'labsRecent', 'enrolledOnStudy', 'reproductive', 'manual',
] as const satisfies readonly LeafOp[];
const LEAF_OP_SET: ReadonlySet<string> = new Set(LEAF_OPS);
/** Is this node one of the closed leaf types (E.2 leaf catalogue), not a connective or macro reference? */
export function isLeaf(e: Expr): e is Leaf {
  return LEAF_OP_SET.has(e.op);
}

/** Where a criterion comes from: an item of the criteria text (with its span) or a registry field. */
export interface CriterionSource {
  readonly itemId: string | null;
  readonly childItemIds: readonly string[];
  /** Registry field for structured criteria (`eligibilityModule.minimumAge`), else null. */
  readonly field: string | null;
  readonly text: string;
  readonly start: number | null;
  readonly end: number | null;
}

export interface Criterion {
  readonly id: string;
  readonly kind: 'inclusion' | 'exclusion';
  readonly source: CriterionSource;
  /** For an exclusion: the excluding condition, stated positively. */
  readonly expr: Expr;
  readonly status: CurationStatus;
  /** `assume_met`: a curator's explicit, visible assumption (e.g. consent obtained at enrollment). */
  readonly policy?: 'assume_met';
  /** Could a NOT_MET change with time or treatment (labs, washouts)? Histology cannot. */
  readonly recoverable?: boolean;
  readonly note?: string;
  /** Draft rule IDs that proposed the expression (draft.ts), for the curator. */
  readonly draftRules?: readonly string[];
}

export interface Scope {
  readonly id: string;
  readonly kind: ScopeKind;
  readonly label: string;
  readonly parent: string | null;
  /** A closed arm or cohort is reported but never counted as eligible (E.3). */
  readonly open: boolean;
  readonly criteria: readonly Criterion[];
}

export interface RegistrySnapshot {
  readonly lastUpdatePostDate: string | null;
  readonly criteriaSha256: string | null;
}

export interface TrialDefinition {
  readonly schemaVersion: 1;
  readonly nctId: string;
  readonly title: string | null;
  /** Curation version: the store bumps it on every saved edit. */
  readonly version: number;
  readonly registry: RegistrySnapshot & { readonly overallStatus: string | null };
  readonly curation: {
    readonly state: 'draft' | 'in_review' | 'curated';
    /** The registry snapshot the curation was made against; a different current snapshot makes it stale (E.7 step 5). */
    readonly basedOn: RegistrySnapshot;
    readonly stale: boolean;
    readonly note?: string;
  };
  readonly scopes: readonly Scope[];
}

/** Is the curation out of date: flagged stale, or made against another registry text or update date (E.7 step 5). */
export function isCurationStale(def: TrialDefinition): boolean {
  return def.curation.stale
    || def.curation.basedOn.criteriaSha256 !== def.registry.criteriaSha256
    || def.curation.basedOn.lastUpdatePostDate !== def.registry.lastUpdatePostDate;
}

/**
 * The definition with the registry snapshot of a fresh import (E.5 "incremental re-matching", E.7 step 5): a changed
 * criteria hash or update date marks the curation stale, so ELIGIBLE outcomes drop to "possible" until re-approved.
 */
export function refreshRegistry(def: TrialDefinition, current: RegistrySnapshot & { overallStatus: string | null }): TrialDefinition {
  const changed = current.criteriaSha256 !== def.curation.basedOn.criteriaSha256 || current.lastUpdatePostDate !== def.curation.basedOn.lastUpdatePostDate;
  return {
    ...def,
    registry: { lastUpdatePostDate: current.lastUpdatePostDate, criteriaSha256: current.criteriaSha256, overallStatus: current.overallStatus },
    curation: { ...def.curation, stale: def.curation.stale || changed },
  };
}

// ---- COG tables and macros ----

export interface CreatinineRow {
  readonly fromMonths: number;
  /** Exclusive; null = no upper end. */
  readonly toMonths: number | null;
  readonly male: number;
  readonly female: number;
  readonly label: string;
}

/**
 * COG maximum serum creatinine by age and sex (trial-eligibility.md D.1; rows 1 month–< 13 years from ACNS0331
 * NCT00085735, 2–≥ 16 years from a COG cHL listing; the overlap agrees). Below 1 month the table has no row.
 */
export const COG_CREATININE_AGE_SEX_V1 = [
  { fromMonths: 1, toMonths: 6, male: 0.4, female: 0.4, label: '1 month to < 6 months' },
  { fromMonths: 6, toMonths: 12, male: 0.5, female: 0.5, label: '6 months to < 1 y' },
  { fromMonths: 12, toMonths: 24, male: 0.6, female: 0.6, label: '1 to < 2 y' },
  { fromMonths: 24, toMonths: 72, male: 0.8, female: 0.8, label: '2 to < 6 y' },
  { fromMonths: 72, toMonths: 120, male: 1, female: 1, label: '6 to < 10 y' },
  { fromMonths: 120, toMonths: 156, male: 1.2, female: 1.2, label: '10 to < 13 y' },
  { fromMonths: 156, toMonths: 192, male: 1.5, female: 1.4, label: '13 to < 16 y' },
  { fromMonths: 192, toMonths: null, male: 1.7, female: 1.4, label: '≥ 16 y' },
] as const satisfies readonly CreatinineRow[];

export interface MacroDef {
  readonly title: string;
  readonly source: string;
  readonly expr: Expr;
}

/** Shared, versioned blocks (E.2): a change is a new version (V2), never an edit, so curated trials keep their meaning. */
export const MACROS = {
  COG_RENAL_V1: {
    title: 'COG renal function: CrCl or radioisotope GFR ≥ 70 mL/min/1.73 m², or serum creatinine ≤ the COG age/sex table',
    source: 'trial-eligibility.md D.1',
    expr: {
      op: 'or',
      args: [
        { op: 'lab', fact: 'gfrMlMin173', cmp: '>=', absolute: 70 },
        { op: 'creatinineTable', table: 'COG_CREATININE_AGE_SEX_V1' },
      ],
    },
  },
  COG_PERF_50_V1: {
    title: 'COG performance: Lansky ≥ 50 for ≤ 16 y, Karnofsky ≥ 50 for > 16 y',
    source: 'trial-eligibility.md D.3 (APEC1621SC wording)',
    expr: {
      op: 'performance',
      rules: [
        { scale: 'lansky', appliesIf: { max: { days: 17 * 365.25, inclusive: false } }, min: 50 },
        { scale: 'karnofsky', appliesIf: { min: { days: 17 * 365.25, inclusive: true } }, min: 50 },
      ],
    },
  },
} as const satisfies Record<string, MacroDef>;
export type MacroId = keyof typeof MACROS;
const MACRO_IDS = Object.keys(MACROS) as [MacroId, ...MacroId[]];

/**
 * The expression a `ref` stands for, with its `withinDays` applied to the dated lab leaves inside (the stricter of
 * the two windows). Both evaluators expand through this one function.
 */
export function expandRef(ref: { macro: MacroId; withinDays?: number }): Expr {
  const body = MACROS[ref.macro].expr as Expr;
  return ref.withinDays === undefined ? body : withWindow(body, ref.withinDays);
}

function withWindow(e: Expr, days: number): Expr {
  switch (e.op) {
    case 'lab':
      return LAB_FACTS[e.fact].drawn ? { ...e, withinDays: Math.min(days, e.withinDays ?? Infinity) } : e;
    case 'creatinineTable':
      return { ...e, withinDays: Math.min(days, e.withinDays ?? Infinity) };
    case 'and': case 'or': return { op: e.op, args: e.args.map((a) => withWindow(a, days)) };
    case 'atLeast': return { op: 'atLeast', n: e.n, args: e.args.map((a) => withWindow(a, days)) };
    case 'not': return { op: 'not', arg: withWindow(e.arg, days) };
    case 'when': return { op: 'when', if: e.if, then: withWindow(e.then, days) };
    case 'ref': return { ...e, withinDays: Math.min(days, e.withinDays ?? Infinity) };
    default: return e;
  }
}

// ---- Age bounds ----

/** Age bound builders on the completed-units convention (E.3 "Age"): "≤ 21 y" = before the 22nd birthday. */
export const ageBound = {
  /** ≥ n units (on or after the nth birthday / n-month day). */
  atLeast: (n: number, unit: AgeUnit = 'years'): AgeBound => ({ days: n * DAYS_PER_UNIT[unit], inclusive: true }),
  /** > n units in completed units: from the (n+1)th birthday. */
  over: (n: number, unit: AgeUnit = 'years'): AgeBound => ({ days: (n + 1) * DAYS_PER_UNIT[unit], inclusive: true }),
  /** ≤ n units in completed units: before the (n+1)th birthday. */
  atMost: (n: number, unit: AgeUnit = 'years'): AgeBound => ({ days: (n + 1) * DAYS_PER_UNIT[unit], inclusive: false }),
  /** < n units: before the nth birthday. */
  under: (n: number, unit: AgeUnit = 'years'): AgeBound => ({ days: n * DAYS_PER_UNIT[unit], inclusive: false }),
} as const;

/** An age in days as the largest whole unit that divides it ("12 y", "6 months", "10 days"). */
export function formatDays(days: number): { n: number; unit: 'y' | 'months' | 'weeks' | 'days'; text: string } {
  const pick = (n: number, unit: 'y' | 'months' | 'weeks' | 'days') => ({ n, unit, text: `${n} ${unit === 'months' && n === 1 ? 'month' : unit === 'days' && n === 1 ? 'day' : unit}` });
  if (days % 365.25 === 0) return pick(days / 365.25, 'y');
  if (days % 30.4375 === 0) return pick(days / 30.4375, 'months');
  if (days % 7 === 0) return pick(days / 7, 'weeks');
  return pick(+days.toFixed(2), 'days');
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${s}`;
}

/** "≥ 12 y", "≤ 21 y (before the 22nd birthday)": the convention stated with the limit. */
export function describeAgeBound(b: AgeBound, side: 'min' | 'max'): string {
  const f = formatDays(b.days);
  if (side === 'min') {
    if (b.inclusive) return `≥ ${f.text}`;
    return `> ${f.text}`;
  }
  if (!b.inclusive && f.unit === 'y' && f.n >= 1) return `≤ ${formatDays(b.days - 365.25).text} (before the ${ordinal(f.n)} birthday)`;
  if (!b.inclusive && f.unit === 'months' && f.n >= 1) return `≤ ${formatDays(b.days - 30.4375).text} (before ${f.text})`;
  return b.inclusive ? `≤ ${f.text}` : `< ${f.text}`;
}

/** "≥ 12 y and ≤ 50 y (before the 51st birthday)" (E.3 "Age": the convention is stated with the limit). */
export function describeAgeRange(r: AgeRange): string {
  const parts: string[] = [];
  if (r.min) parts.push(describeAgeBound(r.min, 'min'));
  if (r.max) parts.push(describeAgeBound(r.max, 'max'));
  return parts.length === 0 ? 'any age' : parts.join(' and ');
}

// ---- Rendering ----

const CMP_TEXT: Record<Comparator, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };
export const cmpText = (c: Comparator): string => CMP_TEXT[c];

const described = new WeakMap<object, string>();

/** One-line rendering of an expression ("COG_RENAL_V1 (…)", "age ≥ 12 y and ≤ 50 y (before the 51st birthday)"); cached per node. */
export function describeExpr(e: Expr): string {
  const hit = described.get(e);
  if (hit !== undefined) return hit;
  const s = render(e);
  described.set(e, s);
  return s;
}

function render(e: Expr): string {
  switch (e.op) {
    case 'and': return e.args.map(wrap).join(' AND ');
    case 'or': return e.args.map(wrap).join(' OR ');
    case 'not': return `NOT ${wrap(e.arg)}`;
    case 'atLeast': return `at least ${e.n} of [${e.args.map(describeExpr).join('; ')}]`;
    case 'when': return `IF ${wrap(e.if)} THEN ${wrap(e.then)}`;
    case 'ref': return `${e.macro}${e.withinDays !== undefined ? ` (within ${e.withinDays} days)` : ''}`;
    case 'age': return `age ${describeAgeRange(e)}`;
    case 'sex': return `sex ${e.anyOf.join(' or ')}`;
    case 'diagnosis': return `diagnosis ${e.label}${e.site ? ` (${e.site.replace('_', ' ')})` : ''}`;
    case 'diseaseStatus': return `disease status ${e.anyOf.join(' or ').replace(/_/g, ' ')}`;
    case 'metastatic': return e.present ? `metastatic${e.sites ? ` (${e.sites.join(', ')})` : ''}` : `no metastases${e.sites ? ` at ${e.sites.join(', ')}` : ''}`;
    case 'stageRisk': return `${STAGE_RISK_MEASURES[e.measure].label} ${e.anyOf.join(' or ')}`;
    case 'priorTherapy': return `prior ${[...(e.kinds ?? []), ...(e.agents ?? [])].join(' or ') || 'therapy'}${e.excludingAgents?.length ? ` (excluding ${e.excludingAgents.join(', ')})` : ''}${(e.minCount ?? 1) > 1 ? ` ×${e.minCount}` : ''}`;
    case 'molecular': return `${e.marker} ${e.anyOf.join(' or ')}`;
    case 'performance': return e.rules.map((r) => `${r.scale}${r.min !== undefined ? ` ≥ ${r.min}` : ''}${r.max !== undefined ? ` ≤ ${r.max}` : ''}${r.appliesIf ? ` if ${describeAgeRange(r.appliesIf)}` : ''}`).join('; ');
    case 'lab': {
      const info = LAB_FACTS[e.fact];
      const thr = e.xUln !== undefined ? `${e.xUln} × ULN` : `${e.absolute} ${info.unit}`;
      return `${info.label} ${CMP_TEXT[e.cmp]} ${thr}${e.withinDays !== undefined ? ` (within ${e.withinDays} days)` : ''}`;
    }
    case 'creatinineTable': return `creatinine ≤ COG age/sex table${e.withinDays !== undefined ? ` (within ${e.withinDays} days)` : ''}`;
    case 'labsRecent': return `labs within ${e.withinDays} days`;
    case 'enrolledOnStudy': return `enrolled on ${e.studies.join(' or ')}`;
    case 'reproductive': return e.condition === 'pregnant_or_nursing' ? 'pregnant or nursing' : 'uses contraception if of reproductive potential';
    case 'manual': return `manual review${e.note ? `: ${e.note}` : ''}`;
  }
}

function wrap(e: Expr): string {
  const s = describeExpr(e);
  return e.op === 'and' || e.op === 'or' || e.op === 'when' ? `(${s})` : s;
}

// ---- Stored JSON schema ----

const days = z.number().finite().min(0).max(200 * 365.25);
const ageBoundSchema = z.strictObject({ days, inclusive: z.boolean() });
const ageRangeSchema = z.strictObject({ min: ageBoundSchema.optional(), max: ageBoundSchema.optional() });
const morphologyCode = z.string().regex(/^\d{4}\/\d$/, 'must be an ICD-O-3 morphology code like 9180/3');
const codeSetSchema = z.strictObject({
  codes: z.array(morphologyCode).max(500).optional(),
  families: z.array(z.enum(TUMOR_FAMILIES)).max(TUMOR_FAMILIES.length).optional(),
});
const windowDays = z.number().int().min(0).max(3650);
const note = z.string().max(2000);

const leafSchemas = [
  z.strictObject({ op: z.literal('age'), min: ageBoundSchema.optional(), max: ageBoundSchema.optional(), note: note.optional() }),
  z.strictObject({ op: z.literal('sex'), anyOf: z.array(z.enum(['male', 'female'])).min(1).max(2) }),
  z.strictObject({ op: z.literal('diagnosis'), label: z.string().min(1).max(300), anyOf: codeSetSchema.optional(), noneOf: codeSetSchema.optional(), site: z.enum(['bone', 'soft_tissue']).optional() }),
  z.strictObject({ op: z.literal('diseaseStatus'), anyOf: z.array(z.enum(DISEASE_STATUSES)).min(1).max(4) }),
  z.strictObject({ op: z.literal('metastatic'), present: z.boolean(), sites: z.array(z.enum(METASTATIC_SITES)).min(1).max(METASTATIC_SITES.length).optional() }),
  z.strictObject({ op: z.literal('stageRisk'), measure: z.enum(STAGE_RISK_KEYS), anyOf: z.array(z.union([z.string().max(40), z.number()])).min(1).max(20) }),
  z.strictObject({
    op: z.literal('priorTherapy'), kinds: z.array(z.enum(THERAPY_KINDS)).min(1).max(4).optional(),
    agents: z.array(z.string().min(1).max(60)).max(50).optional(), excludingAgents: z.array(z.string().min(1).max(60)).max(50).optional(),
    minCount: z.number().int().min(1).max(20).optional(),
  }),
  z.strictObject({ op: z.literal('molecular'), marker: z.enum(MOLECULAR_MARKERS), anyOf: z.array(z.string().min(1).max(40)).min(1).max(20) }),
  z.strictObject({
    op: z.literal('performance'),
    rules: z.array(z.strictObject({
      scale: z.enum(PERFORMANCE_SCALES), appliesIf: ageRangeSchema.optional(),
      min: z.number().min(0).max(100).optional(), max: z.number().min(0).max(100).optional(),
    })).min(1).max(6),
  }),
  z.strictObject({
    op: z.literal('lab'), fact: z.enum(LAB_FACT_KEYS), cmp: z.enum(COMPARATORS),
    absolute: z.number().finite().min(0).optional(), xUln: z.number().finite().positive().max(100).optional(), withinDays: windowDays.optional(),
  }),
  z.strictObject({ op: z.literal('creatinineTable'), table: z.literal('COG_CREATININE_AGE_SEX_V1'), withinDays: windowDays.optional() }),
  z.strictObject({ op: z.literal('labsRecent'), withinDays: windowDays }),
  z.strictObject({ op: z.literal('enrolledOnStudy'), studies: z.array(z.string().min(1).max(40)).min(1).max(10), allowConcurrent: z.boolean() }),
  z.strictObject({ op: z.literal('reproductive'), condition: z.enum(REPRODUCTIVE_CONDITIONS) }),
  z.strictObject({ op: z.literal('manual'), note: note.optional() }),
] as const;

/** zod schema of an expression (recursive; unknown keys rejected so a typo names its path). */
export const exprSchema: z.ZodType<Expr> = z.lazy(() => z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('and'), args: z.array(exprSchema).min(1).max(100) }),
  z.strictObject({ op: z.literal('or'), args: z.array(exprSchema).min(1).max(100) }),
  z.strictObject({ op: z.literal('not'), arg: exprSchema }),
  z.strictObject({ op: z.literal('atLeast'), n: z.number().int().min(1), args: z.array(exprSchema).min(1).max(100) }),
  z.strictObject({ op: z.literal('when'), if: exprSchema, then: exprSchema }),
  z.strictObject({ op: z.literal('ref'), macro: z.enum(MACRO_IDS), withinDays: windowDays.optional() }),
  ...leafSchemas,
])) as unknown as z.ZodType<Expr>;

const idSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _ . : - only (1–64)');
const registrySnapshotSchema = z.strictObject({
  lastUpdatePostDate: z.string().max(10).nullable(),
  criteriaSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest').nullable(),
});

export const criterionSchema = z.strictObject({
  id: idSchema,
  kind: z.enum(['inclusion', 'exclusion']),
  source: z.strictObject({
    itemId: z.string().max(64).nullable(),
    childItemIds: z.array(z.string().max(64)).max(200),
    field: z.string().max(100).nullable(),
    text: z.string().max(50_000),
    start: z.number().int().min(0).nullable(),
    end: z.number().int().min(0).nullable(),
  }),
  expr: exprSchema,
  status: z.enum(CURATION_STATUSES),
  policy: z.literal('assume_met').optional(),
  recoverable: z.boolean().optional(),
  note: note.optional(),
  draftRules: z.array(z.string().max(40)).max(40).optional(),
});

export const scopeSchema = z.strictObject({
  id: idSchema,
  kind: z.enum(SCOPE_KINDS),
  label: z.string().max(300),
  parent: idSchema.nullable(),
  open: z.boolean(),
  criteria: z.array(criterionSchema).max(500),
});

/** The stored curated-trial JSON (one per NCT id and curation version). */
export const trialDefinitionSchema = z.strictObject({
  schemaVersion: z.literal(1),
  // A registered trial's NCT number, or a local trial's protocol number (local.ts LOCAL_TRIAL_ID).
  nctId: z.string().regex(/^(?:NCT\d{8}|[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)$/, 'must be an NCT number like NCT01231906 or a local protocol number like JHU-SARC-2026-01'),
  title: z.string().max(1000).nullable(),
  version: z.number().int().min(0),
  registry: registrySnapshotSchema.extend({ overallStatus: z.string().max(60).nullable() }),
  curation: z.strictObject({
    state: z.enum(['draft', 'in_review', 'curated']),
    basedOn: registrySnapshotSchema,
    stale: z.boolean(),
    note: note.optional(),
  }),
  scopes: z.array(scopeSchema).min(1).max(50),
});

/**
 * Validates a stored or edited definition: the schema, then what it cannot say (one trial scope, known parents,
 * unique ids, `atLeast` n ≤ its arguments, min ≤ max, a lab threshold that is absolute or × ULN, a performance rule
 * with a threshold). Errors name the field path, e.g. `scopes[0].criteria[3].expr.args[1].min.days`.
 */
export function validateTrialDefinition(input: unknown): { ok: true; definition: TrialDefinition } | { ok: false; errors: FieldIssue[] } {
  const parsed = trialDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const err = validationError(parsed.error.issues as never);
    return { ok: false, errors: err.issues ?? [{ field: '(body)', message: err.message }] };
  }
  const def = parsed.data as TrialDefinition;
  const errors: FieldIssue[] = [];
  const scopeIds = new Set<string>();
  const criterionIds = new Set<string>();
  let trialScopes = 0;
  def.scopes.forEach((s, si) => {
    const sp = `scopes[${si}]`;
    if (scopeIds.has(s.id)) errors.push({ field: `${sp}.id`, message: `duplicate scope id ${s.id}` });
    scopeIds.add(s.id);
    if (s.kind === 'trial') {
      trialScopes++;
      if (s.parent !== null) errors.push({ field: `${sp}.parent`, message: 'the trial scope has no parent' });
    }
    s.criteria.forEach((c, ci) => {
      const cp = `${sp}.criteria[${ci}]`;
      if (criterionIds.has(c.id)) errors.push({ field: `${cp}.id`, message: `duplicate criterion id ${c.id}` });
      criterionIds.add(c.id);
      checkExpr(c.expr, `${cp}.expr`, errors);
    });
  });
  def.scopes.forEach((s, si) => {
    if (s.kind !== 'trial' && (s.parent === null || !scopeIds.has(s.parent))) {
      errors.push({ field: `scopes[${si}].parent`, message: s.parent === null ? `a ${s.kind} scope needs a parent scope` : `no scope ${s.parent}` });
    }
  });
  if (trialScopes !== 1) errors.push({ field: 'scopes', message: `needs exactly one scope of kind trial (found ${trialScopes})` });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, definition: def };
}

/** Like `validateTrialDefinition`, throwing the validation AppError (HTTP 400 naming the first field). */
export function parseTrialDefinition(input: unknown): TrialDefinition {
  const r = validateTrialDefinition(input);
  if (r.ok) return r.definition;
  throw validationError(r.errors.map((e) => ({ path: [e.field], message: e.message })));
}

function checkRange(r: AgeRange, path: string, errors: FieldIssue[]): void {
  if (r.min && r.max && (r.min.days > r.max.days || (r.min.days === r.max.days && !(r.min.inclusive && r.max.inclusive)))) {
    errors.push({ field: `${path}.max`, message: `the upper age limit (${r.max.days} days) is below the lower one (${r.min.days} days)` });
  }
}

function checkExpr(e: Expr, path: string, errors: FieldIssue[]): void {
  switch (e.op) {
    case 'and': case 'or': e.args.forEach((a, i) => checkExpr(a, `${path}.args[${i}]`, errors)); return;
    case 'atLeast':
      if (e.n > e.args.length) errors.push({ field: `${path}.n`, message: `at least ${e.n} of ${e.args.length} can never hold` });
      e.args.forEach((a, i) => checkExpr(a, `${path}.args[${i}]`, errors));
      return;
    case 'not': checkExpr(e.arg, `${path}.arg`, errors); return;
    case 'when': checkExpr(e.if, `${path}.if`, errors); checkExpr(e.then, `${path}.then`, errors); return;
    case 'age':
      if (!e.min && !e.max) errors.push({ field: path, message: 'an age leaf needs min or max' });
      checkRange(e, path, errors);
      return;
    case 'lab':
      if ((e.absolute === undefined) === (e.xUln === undefined)) errors.push({ field: path, message: 'give exactly one of absolute or xUln' });
      return;
    case 'performance':
      e.rules.forEach((r, i) => {
        if (r.min === undefined && r.max === undefined) errors.push({ field: `${path}.rules[${i}]`, message: 'a performance rule needs min or max' });
        if (r.appliesIf) checkRange(r.appliesIf, `${path}.rules[${i}].appliesIf`, errors);
      });
      return;
    case 'diagnosis':
      if (!e.anyOf && !e.noneOf && !e.site) errors.push({ field: path, message: 'a diagnosis leaf needs anyOf, noneOf or site' });
      return;
    case 'priorTherapy':
      if (!e.kinds && !e.agents) errors.push({ field: path, message: 'a prior-therapy leaf needs kinds or agents' });
      return;
    default:
  }
}
