import { z } from 'zod';
import { assess } from '../assess.js';
import { lookupMorphology, TUMOR_FAMILIES, type TumorFamily } from '../coding/morphology.js';
import type { Assessment } from '../facts/assessment.js';
import { caseFactsFromRegistry, wholeMonthsBetween, type RegistryTumorFacts } from '../facts/from-registry.js';
import { TEMPLATE_IDS } from '../plan/templates.js';
import { suppressBreakdown, suppressCount, type CountCell, type SuppressedCount } from './suppression.js';

/**
 * The research cohort builder (issue 8 item 5): one subject per patient, described by the index (first) tumour;
 * filters on tumour family, stage/risk group (from the rules engine's assessment of the registry facts), age band
 * at diagnosis, year of diagnosis, treatment template (the plan's) and trial enrollment; counts and breakdowns with
 * small-cell suppression. Pure: the service loads subjects, this decides.
 */

/** Everything the store holds about one patient that an export may need, identifiers included (rows.ts drops them). */
export interface ResearchSubject {
  patientId: string;
  mrn: string;
  familyName: string;
  givenName: string;
  birthDate: string;
  sex: string;
  preferredLanguage: string;
  interpreterNeeded: boolean;
  homeCountry: string;
  /** State or province (referral or travel plan), when recorded. */
  homeState: string | null;
  /** TumorBoard holds no city or ZIP today; a source that supplies them (e.g. an imported address) fills these. */
  city: string | null;
  postalCode: string | null;
  guardians: ReadonlyArray<{ name: string; relationship?: string; phone?: string | undefined; email?: string | undefined }>;
  /** The index tumour, or null when none is recorded yet. */
  tumor: (RegistryTumorFacts & { pathologySummary?: string | null | undefined; imagingSummary?: string | null | undefined }) | null;
  /** Diagnosis date of a later tumour record (relapse or second primary), if any. */
  relapseDiagnosisDate: string | null;
  caseStatus: string | null;
  /** Free text: never exported. */
  caseQuestion: string | null;
  /** Date (YYYY-MM-DD) the first case was referred. */
  referredOn: string | null;
  plan: { templateId: string | null; status: string; startedOn: string | null } | null;
  enrolledTrials: ReadonlyArray<{ nctId: string | null; network: string }>;
}

/** Age bands at diagnosis (SEER childhood/AYA bands); "90+" is the Safe Harbor group for ages over 89. */
export const AGE_BANDS = [
  { key: '<1', label: 'under 1 year', belowMonths: 12 },
  { key: '1-4', label: '1–4 years', belowMonths: 60 },
  { key: '5-9', label: '5–9 years', belowMonths: 120 },
  { key: '10-14', label: '10–14 years', belowMonths: 180 },
  { key: '15-19', label: '15–19 years', belowMonths: 240 },
  { key: '20-29', label: '20–29 years', belowMonths: 360 },
  { key: '30-89', label: '30–89 years', belowMonths: 1080 },
  { key: '90+', label: '90 years or older', belowMonths: Number.POSITIVE_INFINITY },
] as const;
export type AgeBand = (typeof AGE_BANDS)[number]['key'];
export const AGE_BAND_KEYS = AGE_BANDS.map((b) => b.key) as [AgeBand, ...AgeBand[]];

/** The band of an age in whole months (null → unknown). */
export function ageBand(ageMonths: number | null): AgeBand | 'unknown' {
  if (ageMonths === null || ageMonths < 0) return 'unknown';
  return AGE_BANDS.find((b) => ageMonths < b.belowMonths)!.key;
}

/**
 * Stage/risk group, one system per family (the grouping a sarcoma program reports by): COG risk for
 * rhabdomyosarcoma (fusion-based, else histology-based; R-RMS-RISK), metastatic category for Ewing (R-EWS) and
 * osteosarcoma (R-OS), ARST0332 risk group for NRSTS (R-NRSTS), Enneking/MSTS stage otherwise (R-ENNEKING).
 */
export const STAGE_RISK_SYSTEMS = [
  { family: 'rhabdomyosarcoma', prefix: 'rms', title: 'RMS COG risk', values: ['low', 'intermediate', 'high'], pick: (a: Assessment) => a.rms?.cogRiskFusionBased ?? a.rms?.cogRiskHistologyBased ?? null },
  { family: 'ewing', prefix: 'ewing', title: 'Ewing', values: ['localized', 'metastatic_lung_pleura_only', 'metastatic_bone_or_marrow', 'metastatic_other'], pick: (a: Assessment) => a.ewing?.metastaticCategory ?? null },
  { family: 'osteosarcoma', prefix: 'os', title: 'Osteosarcoma', values: ['localized', 'metastatic_lung_only', 'metastatic_extrapulmonary'], pick: (a: Assessment) => a.osteosarcoma?.metastaticCategory ?? null },
  { family: 'nrsts', prefix: 'nrsts', title: 'NRSTS ARST0332 risk', values: ['low', 'intermediate', 'high'], pick: (a: Assessment) => a.nrsts?.arst0332RiskGroup ?? null },
  { family: null, prefix: 'enneking', title: 'Enneking/MSTS stage', values: ['1', '2', '3', 'IA', 'IB', 'IIA', 'IIB', 'III'], pick: (a: Assessment) => a.enneking?.stage ?? null },
] as const;

export const STAGE_RISK_KEYS = ['unknown', ...STAGE_RISK_SYSTEMS.flatMap((s) => s.values.map((v) => `${s.prefix}:${v}`))] as [string, ...string[]];

/** A readable label for a stage/risk key, e.g. `rms:low` → "RMS COG risk: low". */
export function stageRiskLabel(key: string): string {
  const [prefix, value] = key.split(':');
  const sys = STAGE_RISK_SYSTEMS.find((s) => s.prefix === prefix);
  return sys && value ? `${sys.title}: ${value.replace(/_/g, ' ')}` : 'unknown';
}

/** The stage/risk key of an assessment for a family (the system table above); `unknown` when not derivable. */
export function stageRiskKey(family: TumorFamily | 'unknown', a: Assessment | null): string {
  if (!a) return 'unknown';
  const sys = STAGE_RISK_SYSTEMS.find((s) => s.family === family) ?? STAGE_RISK_SYSTEMS[STAGE_RISK_SYSTEMS.length - 1]!;
  const v = sys.pick(a);
  return v ? `${sys.prefix}:${v}` : 'unknown';
}

export const TEMPLATE_FILTER_KEYS = ['none', ...TEMPLATE_IDS] as const;

const year = z.number().int().min(1900, 'must be a year from 1900').max(2100, 'must be a year up to 2100');

/** Cohort filters: each list is "any of" (empty or absent = no filter); the filters are "all of". */
export const cohortFiltersSchema = z.strictObject({
  families: z.array(z.enum(TUMOR_FAMILIES)).max(TUMOR_FAMILIES.length).optional(),
  stageRisk: z.array(z.enum(STAGE_RISK_KEYS)).max(STAGE_RISK_KEYS.length).optional(),
  ageBands: z.array(z.enum(AGE_BAND_KEYS)).max(AGE_BAND_KEYS.length).optional(),
  diagnosisYearFrom: year.optional(),
  diagnosisYearTo: year.optional(),
  templates: z.array(z.enum(TEMPLATE_FILTER_KEYS)).max(TEMPLATE_FILTER_KEYS.length).optional(),
  trialEnrolled: z.boolean().optional(),
}).refine((f) => f.diagnosisYearFrom === undefined || f.diagnosisYearTo === undefined || f.diagnosisYearFrom <= f.diagnosisYearTo, {
  path: ['diagnosisYearTo'], message: 'must not be before diagnosisYearFrom',
});
export type CohortFilters = z.infer<typeof cohortFiltersSchema>;

/** A subject with what the filters and breakdowns need. */
export interface ClassifiedSubject {
  subject: ResearchSubject;
  family: TumorFamily | 'unknown';
  ageMonths: number | null;
  ageBand: AgeBand | 'unknown';
  diagnosisYear: number | null;
  assessment: Assessment | null;
  stageRisk: string;
  template: string;
  enrolled: boolean;
}

/** Derives family, age at diagnosis, stage/risk (the rules engine on the registry facts), template and enrollment. */
export function classify(subject: ResearchSubject): ClassifiedSubject {
  const t = subject.tumor;
  const family = (t && lookupMorphology(t.morphology)?.family) || 'unknown';
  let ageMonths: number | null = null;
  let assessment: Assessment | null = null;
  if (t) {
    try {
      ageMonths = wholeMonthsBetween(subject.birthDate, t.diagnosisDate);
      const res = assess(caseFactsFromRegistry({ birthDate: subject.birthDate, sex: subject.sex as 'male' | 'female' }, t));
      assessment = res.ok ? res.assessment : null;
    } catch {
      // An impossible date in the registry: the subject stays in the cohort with unknown age and stage.
      ageMonths = null;
    }
  }
  const dy = t ? Number(t.diagnosisDate.slice(0, 4)) : Number.NaN;
  return {
    subject, family, ageMonths, ageBand: ageBand(ageMonths), diagnosisYear: Number.isFinite(dy) ? dy : null, assessment,
    stageRisk: stageRiskKey(family, assessment), template: subject.plan?.templateId ?? 'none', enrolled: subject.enrolledTrials.length > 0,
  };
}

/**
 * The filters that need no assessment (family, year, template, enrollment), checked on the raw subject so the rules
 * engine runs only for subjects that can still match. `matches` re-checks everything after `classify`.
 */
export function mayMatch(s: ResearchSubject, f: CohortFilters): boolean {
  const family = (s.tumor && lookupMorphology(s.tumor.morphology)?.family) || 'unknown';
  if (f.families?.length && !(f.families as readonly string[]).includes(family)) return false;
  if (f.templates?.length && !(f.templates as readonly string[]).includes(s.plan?.templateId ?? 'none')) return false;
  if (f.trialEnrolled !== undefined && (s.enrolledTrials.length > 0) !== f.trialEnrolled) return false;
  const y = s.tumor ? Number(s.tumor.diagnosisDate.slice(0, 4)) : Number.NaN;
  if (f.diagnosisYearFrom !== undefined && !(y >= f.diagnosisYearFrom)) return false;
  if (f.diagnosisYearTo !== undefined && !(y <= f.diagnosisYearTo)) return false;
  return true;
}

/** Does a subject pass every filter? */
export function matches(c: ClassifiedSubject, f: CohortFilters): boolean {
  const anyOf = <T>(list: readonly T[] | undefined, v: T) => !list || list.length === 0 || list.includes(v);
  if (!anyOf(f.families as readonly string[] | undefined, c.family)) return false;
  if (!anyOf(f.stageRisk, c.stageRisk)) return false;
  if (!anyOf(f.ageBands as readonly string[] | undefined, c.ageBand)) return false;
  if (!anyOf(f.templates as readonly string[] | undefined, c.template)) return false;
  if (f.diagnosisYearFrom !== undefined && (c.diagnosisYear === null || c.diagnosisYear < f.diagnosisYearFrom)) return false;
  if (f.diagnosisYearTo !== undefined && (c.diagnosisYear === null || c.diagnosisYear > f.diagnosisYearTo)) return false;
  if (f.trialEnrolled !== undefined && c.enrolled !== f.trialEnrolled) return false;
  return true;
}

const FAMILY_LABELS: Record<TumorFamily | 'unknown', string> = {
  osteosarcoma: 'Osteosarcoma', ewing: 'Ewing sarcoma', rhabdomyosarcoma: 'Rhabdomyosarcoma', nrsts: 'Non-rhabdomyosarcoma soft tissue sarcoma',
  other_bone_malignant: 'Other malignant bone tumour', benign_bone: 'Benign bone tumour', intermediate_soft_tissue: 'Intermediate soft-tissue tumour',
  unknown: 'Not yet characterised',
};

/** The breakdowns a cohort shows, each a partition of the cohort (every subject in exactly one cell). */
export const BREAKDOWNS = [
  { dimension: 'family', title: 'Tumour type', key: (c: ClassifiedSubject) => c.family, label: (k: string) => FAMILY_LABELS[k as TumorFamily] ?? k },
  { dimension: 'stageRisk', title: 'Stage / risk group', key: (c: ClassifiedSubject) => c.stageRisk, label: stageRiskLabel },
  { dimension: 'ageBand', title: 'Age at diagnosis', key: (c: ClassifiedSubject) => c.ageBand, label: (k: string) => AGE_BANDS.find((b) => b.key === k)?.label ?? 'unknown' },
  { dimension: 'diagnosisYear', title: 'Year of diagnosis', key: (c: ClassifiedSubject) => (c.diagnosisYear === null ? 'unknown' : String(c.diagnosisYear)), label: (k: string) => k },
  { dimension: 'template', title: 'Treatment template (plan)', key: (c: ClassifiedSubject) => c.template, label: (k: string) => (k === 'none' ? 'no plan' : k) },
  { dimension: 'trialEnrolled', title: 'Enrolled on a trial', key: (c: ClassifiedSubject) => (c.enrolled ? 'yes' : 'no'), label: (k: string) => k },
  { dimension: 'sex', title: 'Sex', key: (c: ClassifiedSubject) => c.subject.sex, label: (k: string) => k },
] as const;

export interface CohortCounts {
  total: SuppressedCount;
  breakdowns: Array<{ dimension: string; title: string; cells: CountCell[]; withheld: boolean }>;
  /** Counts from 1 to this minus one are never shown. */
  threshold: number;
}

/** Keys in a stable order: known order for enumerated dimensions, numeric/alphabetical otherwise, unknown last. */
function order(dimension: string, keys: string[]): string[] {
  const known: Record<string, readonly string[]> = { family: [...TUMOR_FAMILIES, 'unknown'], stageRisk: STAGE_RISK_KEYS.slice(1).concat('unknown'), ageBand: [...AGE_BAND_KEYS, 'unknown'], template: [...TEMPLATE_IDS, 'none'], trialEnrolled: ['yes', 'no'] };
  const k = known[dimension];
  return [...keys].sort((a, b) => (k ? k.indexOf(a) - k.indexOf(b) : a === 'unknown' ? 1 : b === 'unknown' ? -1 : a.localeCompare(b)));
}

/**
 * Counts of a cohort with small-cell suppression (45 CFR 164.514(b): aggregate release of de-identified data):
 * the total, and each breakdown with primary and complementary suppression so no count of 1–10 is shown or can be
 * worked out from the total. `forceHide` (dimension → cell keys) hides further cells, e.g. ones an earlier answer
 * could be subtracted from (differencing.ts).
 */
export function cohortCounts(cohort: readonly ClassifiedSubject[], forceHide?: ReadonlyMap<string, ReadonlySet<string>>): CohortCounts {
  const total = cohort.length;
  return {
    total: suppressCount(total),
    threshold: 11,
    breakdowns: BREAKDOWNS.map((b) => {
      const counts = new Map<string, number>();
      for (const c of cohort) counts.set(b.key(c), (counts.get(b.key(c)) ?? 0) + 1);
      const cells = order(b.dimension, [...counts.keys()]).map((key) => ({ key, label: b.label(key), count: counts.get(key)! }));
      return { dimension: b.dimension, title: b.title, ...suppressBreakdown(total, cells, forceHide?.get(b.dimension)) };
    }),
  };
}
