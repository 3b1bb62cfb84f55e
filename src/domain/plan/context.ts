import type { CaseFacts } from '../facts/case-facts.js';
import type { Assessment } from '../facts/assessment.js';
import { isBoneTopography, tumorFamily, type TumorFamily } from '../coding/morphology.js';
import { provenance, type Derived, type Explanation, type MissingFact } from '../rules/derive.js';

/**
 * The staging outputs the plan, team and flag rules read. Plan code does not call the staging modules: the
 * caller (the assessment) passes their results in, typed as the public `Assessment` fields (DESIGN.md §4).
 */
export type StagingContext = Pick<Assessment, 'enneking' | 'rms' | 'ewing' | 'osteosarcoma' | 'nrsts' | 'ajcc'>;

/** A context where no staging system applies (every key null). */
export const NO_STAGING: StagingContext = {
  enneking: null, ajcc: null, rms: null, ewing: null, osteosarcoma: null, nrsts: null,
};

/** Tumour family from the full ICD-O-3 code (R-CODE-MORPH); undefined for a code the table does not know. */
export function familyOf(f: Pick<CaseFacts, 'morphology'>): TumorFamily | undefined {
  return tumorFamily(f.morphology);
}

/** ICD-O-3 behaviour /3 = malignant (R-GEN-ICDO). */
export function isMalignant(f: Pick<CaseFacts, 'morphology'>): boolean {
  return f.morphology.endsWith('/3');
}

/** Primary in bone (C40/C41, R-CODE-TOPO). */
export function isBonePrimary(f: Pick<CaseFacts, 'topography'>): boolean {
  return isBoneTopography(f.topography);
}

/** Lung metastases: true/false when `metastases` is recorded, undefined when it is not. */
export function hasLungMetastases(f: Pick<CaseFacts, 'metastases'>): boolean | undefined {
  return f.metastases === undefined ? undefined : f.metastases.includes('lung');
}

/** Extremity primary (bone or soft tissue). */
export function isExtremitySite(f: Pick<CaseFacts, 'siteCategory'>): boolean {
  return f.siteCategory === 'soft_tissue_extremity' || f.siteCategory === 'bone_extremity';
}

/** Head and neck site categories (R-RMS-SITE, R-FLAGS). */
export const HEAD_NECK_SITES = ['hn_orbit', 'hn_parameningeal', 'hn_nonparameningeal'] as const;

/** Head and neck primary by site category (orbit, parameningeal, non-parameningeal). */
export function isHeadNeckSite(f: Pick<CaseFacts, 'siteCategory'>): boolean {
  return (HEAD_NECK_SITES as readonly string[]).includes(f.siteCategory);
}

/**
 * Sites where the gonads are in or near a radiation field to the primary (R-FERT): pelvis, perineum,
 * bladder/prostate, vagina/uterus, inguinal/paratesticular and retroperitoneal nodal fields. Pelvic soft tissue
 * (C49.5) and pelvic bone (C41.4) count whatever the site category says.
 */
export const GONAD_NEAR_SITES = [
  'bone_pelvis', 'gu_paratesticular', 'gu_bladder_prostate', 'gu_gynecologic', 'perineum', 'retroperitoneum_abdomen',
] as const;

/** RT to this primary would have the gonads in or near the field (R-FERT). */
export function isGonadNearSite(f: Pick<CaseFacts, 'siteCategory' | 'topography'>): boolean {
  return (GONAD_NEAR_SITES as readonly string[]).includes(f.siteCategory)
    || f.topography === 'C41.4' || f.topography === 'C49.5';
}

/** One formatter for every reason line: `toLocaleString` with options builds a new Intl.NumberFormat per call. */
const NUMBER_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/**
 * Numbers whose shortest decimal form already has the digits the formatter prints: at most 3 decimals and an
 * integer part short enough (< 10^12) that the double is within far less than 0.0005 of that form.
 */
const PLAIN_NUMBER = /^(-?)(\d{1,12})(\.\d{1,3})?$/;

/** Formats a number for a clinician-facing reason: 23772 → "23,772". */
export function fmt(n: number): string {
  // Fast path (reason lines format many doses and ages): the same text Intl gives, without calling it.
  if (!Object.is(n, -0)) {
    const s = String(n);
    const m = PLAIN_NUMBER.exec(s);
    if (m !== null) {
      const int = m[2]!;
      if (int.length <= 3) return s;
      let grouped = int.slice(0, int.length % 3 || 3);
      for (let i = grouped.length; i < int.length; i += 3) grouped += `,${int.slice(i, i + 3)}`;
      return `${m[1]}${grouped}${m[3] ?? ''}`;
    }
  }
  return NUMBER_FORMAT.format(n);
}

/** Rounds away floating-point noise (0.244 × 63000 = 15372.000000000002 → 15372). */
export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * Null because an upstream output (e.g. `rms.clinicalGroup`) is unknown: names the blocking output as the missing
 * field, and says why in an explanation. The staging output carries the case-facts path that was missing.
 */
export function blocked<T = never>(
  field: string, neededFor: string, rules: string[], text: string, extra?: Partial<Explanation>,
): Derived<T> {
  return { value: null, explanations: [{ output: neededFor, rules, text, ...extra }], missing: [{ field, needed_for: neededFor }] };
}

/** Deduplicates missing facts (same field and output). */
export function uniqueMissing(list: readonly MissingFact[]): MissingFact[] {
  return provenance({ explanations: [], missing: list as MissingFact[] }).missing;
}

/** Null (not decidable by rule, no fact missing) with a reason and optional [D]/[K] markers. */
export function undecided<T = never>(output: string, rules: string[], text: string, extra?: Partial<Explanation>): Derived<T> {
  return { value: null, explanations: [{ output, rules, text, ...extra }], missing: [] };
}
