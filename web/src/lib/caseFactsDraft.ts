import { tumorCodeErrors } from './tumorCodes.js';
import { ALL_FIELDS, detailsToDraft, draftToDetails } from './tumorFacts.js';
import type { Details } from './tumorFacts.js';

/**
 * Case facts (DESIGN §4, the JSON `assess` takes) as the Assessment page's form edits them: the child and tumour
 * basics as typed text, the tumour's structured facts as the tumour form's draft, and any other facts (exposures,
 * labs, prior therapy…) kept as they are, so switching between the form and the JSON loses nothing.
 */
export interface CaseFactsDraft {
  basics: Basics;
  details: Details;
  /** Facts the form has no field for, carried through unchanged. */
  rest: Record<string, unknown>;
}

export interface Basics {
  ageYears: string;
  ageMonths: string;
  sex: string;
  morphology: string;
  topography: string;
  siteCategory: string;
  primarySite: string;
  laterality: string;
  sizeCm: string;
}

const BASIC_KEYS = new Set(['ageMonths', 'sex', 'morphology', 'topography', 'siteCategory', 'primarySite', 'laterality', 'sizeCm']);
/** Top-level keys of the tumour's structured facts (regionalNodes, metastases, grade, bone, surgery, …). */
const DETAIL_KEYS = new Set(ALL_FIELDS.map((f) => f.path.split('.')[0]!));

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function factsToDraft(facts: Record<string, unknown>): CaseFactsDraft {
  const details: Details = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) {
    if (BASIC_KEYS.has(k)) continue;
    if (DETAIL_KEYS.has(k)) details[k] = v;
    else rest[k] = v;
  }
  const months = typeof facts.ageMonths === 'number' ? facts.ageMonths : undefined;
  return {
    basics: {
      ageYears: months === undefined ? '' : String(Math.floor(months / 12)),
      ageMonths: months === undefined ? '' : String(Math.round((months % 12) * 100) / 100),
      sex: text(facts.sex), morphology: text(facts.morphology), topography: text(facts.topography),
      siteCategory: text(facts.siteCategory), primarySite: text(facts.primarySite), laterality: text(facts.laterality),
      sizeCm: text(facts.sizeCm),
    },
    details: detailsToDraft(details),
    rest,
  };
}

/**
 * The case facts the draft describes, or errors keyed by field (`details.<path>` for the structured facts, as the
 * tumour form keys them). Only what the form can check here; the server checks the rest and names the field.
 */
export function draftToFacts(d: CaseFactsDraft): { facts?: Record<string, unknown>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const b = d.basics;
  const years = b.ageYears.trim() === '' ? 0 : Number(b.ageYears);
  const months = b.ageMonths.trim() === '' ? 0 : Number(b.ageMonths);
  if (b.ageYears.trim() === '' && b.ageMonths.trim() === '') errors.ageYears = 'Enter the age at diagnosis';
  else if (!Number.isInteger(years) || years < 0 || years > 120) errors.ageYears = 'Enter whole years from 0 to 120';
  else if (!Number.isFinite(months) || months < 0 || months >= 12) errors.ageMonths = 'Enter months from 0 to 11';
  if (!b.sex) errors.sex = 'Choose the sex';
  const size = b.sizeCm.trim() === '' ? undefined : Number(b.sizeCm.trim().replace(',', '.'));
  Object.assign(errors, tumorCodeErrors(b, size, { primarySiteRequired: false }));
  const { details, errors: factErrors } = draftToDetails(d.details);
  Object.assign(errors, factErrors);
  if (Object.keys(errors).length > 0 || !details) return { errors };
  const facts: Record<string, unknown> = {
    ageMonths: years * 12 + months, sex: b.sex, morphology: b.morphology.trim(), topography: b.topography.trim(), siteCategory: b.siteCategory,
  };
  if (b.primarySite.trim()) facts.primarySite = b.primarySite.trim();
  if (b.laterality) facts.laterality = b.laterality;
  if (size !== undefined) facts.sizeCm = size;
  return { facts: { ...facts, ...details, ...d.rest }, errors };
}

/** Where a server error about a case-facts field shows in the form: basics by name, the rest as `details.<path>`. */
export function formErrorKey(field: string): string {
  if (field === 'ageMonths') return 'ageYears';
  return BASIC_KEYS.has(field) ? field : `details.${field}`;
}
