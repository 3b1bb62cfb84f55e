import { lookupMorphology } from '../coding/morphology.js';
import { wholeMonthsBetween } from '../facts/from-registry.js';
import type { ClassifiedSubject } from './cohort.js';
import { MODE_LABELS, type ExportMode } from './identifiers.js';
import { pseudonym, shiftDate, shiftDays } from './pseudonym.js';
import type { Row } from './writers.js';
import { parseZip, safeHarborZip3 } from './zip3.js';

/**
 * Export rows for the three research modes. The builders are an allow-list: a column exists only if it is named
 * here, so an identifier added to the registry later cannot leak by default. Free text (primary site as typed,
 * pathology and imaging summaries, case questions, notes) is never written: it may hold names.
 */

/** Clinical columns common to every mode (coded values only). */
export const CLINICAL_COLUMNS = [
  'sex', 'age_at_diagnosis_years', 'age_band', 'tumor_family', 'morphology', 'morphology_term', 'topography', 'site_category',
  'laterality', 'size_cm', 'depth', 'regional_nodes', 'metastatic', 'metastatic_sites', 'grade', 'disease_status',
  'stage_risk_group', 'enneking_stage', 'ajcc_stage_group', 'rms_stage', 'rms_clinical_group', 'rms_cog_risk', 'ewing_category',
  'osteosarcoma_category', 'nrsts_risk_group', 'recommended_template', 'plan_template', 'plan_status', 'trial_enrolled',
  'enrolled_trials', 'case_status', 'relapsed', 'home_country', 'home_state', 'interpreter_needed',
] as const;

/** Columns per mode: dates as year (Safe Harbor), as recorded (Limited Data Set) or shifted (date-shifted). */
export const MODE_COLUMNS = {
  safe_harbor: ['subject', 'birth_year', 'diagnosis_year', 'referral_year', 'plan_start_year', 'relapse_year', 'zip3', ...CLINICAL_COLUMNS],
  limited: ['subject', 'birth_date', 'diagnosis_date', 'referral_date', 'plan_start_date', 'relapse_date', 'city', 'postal_code', ...CLINICAL_COLUMNS],
  date_shifted: ['subject', 'birth_date', 'diagnosis_date', 'referral_date', 'plan_start_date', 'relapse_date', 'zip3', ...CLINICAL_COLUMNS],
} as const satisfies Record<ExportMode, readonly string[]>;

export interface ExportContext {
  /** Per-export secret (HMAC key for pseudonyms and date shifts); never stored with the output. */
  key: Uint8Array;
  /** Today (YYYY-MM-DD): ages over 89 are judged against it. */
  today: string;
  /** Uniform [0, 1): orders the rows and so assigns the random study codes (crypto-backed in the service). */
  random: () => number;
}

/** Whole years from whole months. */
const years = (months: number) => Math.floor(months / 12);

/**
 * An age for Safe Harbor (45 CFR 164.514(b)(2)(i)(C)): whole years, with every age over 89 in one "90+" group.
 */
export function safeHarborAge(ageMonths: number | null): number | '90+' | null {
  if (ageMonths === null) return null;
  const y = years(ageMonths);
  return y > 89 ? '90+' : y;
}

/** The year of a `YYYY-MM-DD` (or ISO timestamp), as a number; null stays null. */
export function yearOf(date: string | null | undefined): number | null {
  const m = /^(\d{4})-/.exec(date ?? '');
  return m ? Number(m[1]) : null;
}

function clinical(c: ClassifiedSubject, mode: ExportMode): Row {
  const s = c.subject;
  const t = s.tumor;
  const d = (t?.details ?? {}) as Record<string, unknown>;
  const a = c.assessment;
  const grade = d.grade as { twoTier?: string; fnclcc?: number; pog?: number } | undefined;
  const mets = Array.isArray(d.metastases) ? (d.metastases as unknown[]).filter((x): x is string => typeof x === 'string') : null;
  const age = mode === 'limited' ? (c.ageMonths === null ? null : years(c.ageMonths)) : safeHarborAge(c.ageMonths);
  return {
    sex: s.sex,
    age_at_diagnosis_years: age,
    age_band: c.ageBand,
    tumor_family: c.family,
    morphology: t?.morphology ?? null,
    morphology_term: t ? lookupMorphology(t.morphology)?.term ?? null : null,
    topography: t?.topography ?? null,
    site_category: t?.siteCategory ?? null,
    laterality: t?.laterality ?? null,
    size_cm: t?.sizeCm ?? null,
    depth: typeof d.depth === 'string' ? d.depth : null,
    regional_nodes: typeof d.regionalNodes === 'string' ? d.regionalNodes : null,
    metastatic: mets === null ? null : mets.length > 0 ? 'yes' : 'no',
    metastatic_sites: mets && mets.length > 0 ? mets.join(';') : null,
    grade: grade?.twoTier ?? (grade?.pog !== undefined ? `POG ${grade.pog}` : grade?.fnclcc !== undefined ? `FNCLCC ${grade.fnclcc}` : null),
    disease_status: typeof d.diseaseStatus === 'string' ? d.diseaseStatus : null,
    stage_risk_group: c.stageRisk,
    enneking_stage: a?.enneking?.stage ?? null,
    ajcc_stage_group: a?.ajcc?.stageGroup ?? null,
    rms_stage: a?.rms?.stage ?? null,
    rms_clinical_group: a?.rms?.clinicalGroup ?? null,
    rms_cog_risk: a?.rms ? (a.rms.cogRiskFusionBased ?? a.rms.cogRiskHistologyBased) : null,
    ewing_category: a?.ewing?.metastaticCategory ?? null,
    osteosarcoma_category: a?.osteosarcoma?.metastaticCategory ?? null,
    nrsts_risk_group: a?.nrsts?.arst0332RiskGroup ?? null,
    recommended_template: a?.treatmentTemplate ?? null,
    plan_template: s.plan?.templateId ?? null,
    plan_status: s.plan?.status ?? null,
    trial_enrolled: c.enrolled ? 'yes' : 'no',
    enrolled_trials: s.enrolledTrials.length > 0 ? s.enrolledTrials.map((x) => `${x.network}:${x.nctId ?? 'local'}`).sort().join(';') : null,
    case_status: s.caseStatus,
    relapsed: s.relapseDiagnosisDate ? 'yes' : 'no',
    home_country: s.homeCountry || null,
    home_state: s.homeState,
    interpreter_needed: s.interpreterNeeded ? 'yes' : 'no',
  };
}

/** Is the patient over 89 today? Then Safe Harbor drops the birth year (it is "indicative of such age"). */
function over89Today(birthDate: string, today: string): boolean {
  try {
    return wholeMonthsBetween(birthDate, today) >= 90 * 12;
  } catch {
    return true; // an unreadable birth date is never written
  }
}

/**
 * Safe Harbor row (45 CFR 164.514(b)(2)): all 18 identifiers removed; dates as years; ages over 89 as "90+" with
 * no birth year; ZIP to three digits or 000; the subject code is random for this export (164.514(c)).
 */
export function safeHarborRow(c: ClassifiedSubject, code: string, today: string): Row {
  const s = c.subject;
  const old = over89Today(s.birthDate, today) || (c.ageMonths !== null && c.ageMonths >= 90 * 12);
  return {
    subject: code,
    birth_year: old ? null : yearOf(s.birthDate),
    diagnosis_year: yearOf(s.tumor?.diagnosisDate),
    referral_year: yearOf(s.referredOn),
    plan_start_year: yearOf(s.plan?.startedOn),
    relapse_year: yearOf(s.relapseDiagnosisDate),
    zip3: safeHarborZip3(s.postalCode),
    ...clinical(c, 'safe_harbor'),
  };
}

/**
 * Limited Data Set row (45 CFR 164.514(e)(2)): the direct identifiers removed (names, addresses other than city,
 * state and ZIP, phones, emails, record numbers, free text); dates and ages kept. Only under a data-use agreement
 * (164.514(e)(4)), which the service checks.
 */
export function limitedRow(c: ClassifiedSubject, code: string): Row {
  const s = c.subject;
  return {
    subject: code,
    birth_date: s.birthDate,
    diagnosis_date: s.tumor?.diagnosisDate ?? null,
    referral_date: s.referredOn,
    plan_start_date: s.plan?.startedOn ?? null,
    relapse_date: s.relapseDiagnosisDate,
    city: s.city,
    postal_code: parseZip(s.postalCode),
    ...clinical(c, 'limited'),
  };
}

/**
 * Date-shifted, pseudonymized row: Safe Harbor's treatment of every identifier except the dates (each moved by the
 * patient's consistent keyed shift) and the subject (a keyed pseudonym). Not Safe Harbor: shifted dates are still
 * "elements of dates" under 45 CFR 164.514(b)(2)(i)(C), so the output says so.
 */
export function dateShiftedRow(c: ClassifiedSubject, key: Uint8Array, today: string): Row {
  const s = c.subject;
  const shift = shiftDays(key, s.patientId);
  const old = over89Today(s.birthDate, today) || (c.ageMonths !== null && c.ageMonths >= 90 * 12);
  return {
    subject: pseudonym(key, s.patientId),
    birth_date: old ? null : shiftDate(s.birthDate, shift),
    diagnosis_date: shiftDate(s.tumor?.diagnosisDate, shift),
    referral_date: shiftDate(s.referredOn, shift),
    plan_start_date: shiftDate(s.plan?.startedOn, shift),
    relapse_date: shiftDate(s.relapseDiagnosisDate, shift),
    zip3: safeHarborZip3(s.postalCode),
    ...clinical(c, 'date_shifted'),
  };
}

/** Fisher–Yates with the given uniform source. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The export rows of a cohort for one mode (45 CFR 164.514(b)(2) Safe Harbor, 164.514(e) Limited Data Set, or the
 * date-shifted pseudonymized set). Rows come in a random order so neither the order nor the study codes reflect
 * record creation or MRN order.
 */
export function exportRows(mode: ExportMode, cohort: readonly ClassifiedSubject[], ctx: ExportContext): { columns: readonly string[]; rows: Row[] } {
  const order = shuffled(cohort, ctx.random);
  const code = (i: number) => `S${String(i + 1).padStart(5, '0')}`;
  const rows = order.map((c, i) => (mode === 'safe_harbor' ? safeHarborRow(c, code(i), ctx.today)
    : mode === 'limited' ? limitedRow(c, code(i))
      : dateShiftedRow(c, ctx.key, ctx.today)));
  if (mode === 'date_shifted') rows.sort((a, b) => String(a.subject).localeCompare(String(b.subject)));
  return { columns: MODE_COLUMNS[mode], rows };
}

/** The metadata line(s) of an export: mode, whether it is Safe Harbor (in words), the rule, the DUA. */
export function exportPreamble(mode: ExportMode, info: { rows: number; dua?: { reference: string; recipient: string; expires: string } | null; filters: string }): string[] {
  const m = MODE_LABELS[mode];
  const rule = mode === 'safe_harbor' ? 'HIPAA Safe Harbor, 45 CFR 164.514(b)(2)'
    : mode === 'limited' ? 'Limited Data Set, 45 CFR 164.514(e): NOT Safe Harbor'
      : 'date-shifted pseudonymized data: NOT Safe Harbor (45 CFR 164.514(b)(2) not met; treat as identifiable)';
  const lines = [`TumorBoard research export; mode=${mode}; ${rule}`, `${m.title}: ${m.words}`];
  if (mode === 'limited' && info.dua) lines.push(`Data-use agreement ${info.dua.reference} with ${info.dua.recipient}, expires ${info.dua.expires}`);
  lines.push(`rows=${info.rows}; filters=${info.filters}; small-cell rule: counts under 11 are never published from this file`);
  return lines;
}
