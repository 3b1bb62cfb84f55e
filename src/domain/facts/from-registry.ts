import { AppError } from '../errors.js';

/**
 * Case facts from registry records (DESIGN.md §4): the patient's sex and age at diagnosis, the tumour columns, and
 * the tumour `details` (the case-facts tumour fields: depth, bone, invasiveness, regionalNodes, metastases, grade,
 * surgery, molecular, headNeck, histologicResponse, diseaseStatus, pubertalStatus, performance, …). The result is
 * not validated here: `assess` checks it and names any field the rules engine cannot accept.
 */

export interface RegistryPatientFacts {
  birthDate: string;
  sex: 'male' | 'female';
}

export interface RegistryTumorFacts {
  diagnosisDate: string;
  morphology: string;
  topography: string;
  siteCategory: string;
  primarySite: string;
  laterality?: string | undefined;
  sizeCm?: number | undefined;
  details: Record<string, unknown>;
}

/** A calendar date from `YYYY-MM-DD` (no time zone, no clock). */
interface CalendarDate { y: number; m: number; d: number }

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function parseDate(s: string, field: string): CalendarDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const date = m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : undefined;
  if (date === undefined || date.m < 1 || date.m > 12 || date.d < 1 || date.d > daysInMonth(date.y, date.m)) {
    throw new AppError('validation', `${field}: ${JSON.stringify(s)} is not a date like 2014-03-09`, { field });
  }
  return date;
}

/**
 * Whole months from `birthDate` to `diagnosisDate` (R-GEN-AGE: ages in months), by calendar arithmetic only. A
 * month is complete on the same day of the month, or on the last day of a shorter month (born 31 January: one month
 * on 28 or 29 February; born 29 February: twelve months on 28 February of a common year). A diagnosis date before
 * the birth date (e.g. a prenatal diagnosis) gives a negative number, at least −1, which `assess` rejects: case
 * facts cannot express it and the clinician must decide the age to use.
 */
export function wholeMonthsBetween(birthDate: string, diagnosisDate: string): number {
  const b = parseDate(birthDate, 'birthDate');
  const d = parseDate(diagnosisDate, 'diagnosisDate');
  const before = d.y !== b.y ? d.y < b.y : d.m !== b.m ? d.m < b.m : d.d < b.d;
  return before ? -Math.max(1, completedMonths(d, b)) : completedMonths(b, d);
}

/** Completed months from `from` to `to` (`to` not before `from`). */
function completedMonths(from: CalendarDate, to: CalendarDate): number {
  const months = (to.y - from.y) * 12 + (to.m - from.m);
  const anniversaryDay = Math.min(from.d, daysInMonth(to.y, to.m));
  return to.d >= anniversaryDay ? months : months - 1;
}

/**
 * Case facts for a registry tumour (input of `assess`): `ageMonths` = whole months between the patient's birth
 * date and the diagnosis date, the patient's sex, the tumour columns (morphology, topography, siteCategory,
 * primarySite, laterality, sizeCm) and the `details` fields spread in. The columns are authoritative: a details
 * key with the same name does not override them. Throws a validation AppError naming `birthDate` or
 * `diagnosisDate` when either is not a calendar date.
 */
export function caseFactsFromRegistry(patient: RegistryPatientFacts, tumor: RegistryTumorFacts): unknown {
  const ageMonths = wholeMonthsBetween(patient.birthDate, tumor.diagnosisDate);
  return {
    ...tumor.details,
    ageMonths,
    sex: patient.sex,
    morphology: tumor.morphology,
    topography: tumor.topography,
    siteCategory: tumor.siteCategory,
    primarySite: tumor.primarySite,
    ...(tumor.laterality !== undefined ? { laterality: tumor.laterality } : {}),
    ...(tumor.sizeCm !== undefined ? { sizeCm: tumor.sizeCm } : {}),
  };
}
