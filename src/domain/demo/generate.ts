import type { CaseStatus, PatientInput, TumorInput } from '../registry/types.js';
import { STATUS_MIX, drawQuestion, drawUrgent, layoutCases, pickRelapseStatus } from './cases.js';
import { DAYS_PER_YEAR, dayFromIsoDate, isoDateFromDay } from './dates.js';
import { drawFamily, drawHousehold } from './names.js';
import { GOLDEN, SILVER, createRng, quantile, weyl } from './prng.js';
import { FAMILY_MIX } from './profiles.js';
import { MAX_AGE_DAYS, buildRelapse, buildTumor, drawDraft, drawPuberty } from './tumor.js';

/**
 * Synthetic demo program for the pediatric musculoskeletal tumour service (DESIGN.md §7: only synthetic data in
 * the demo). Pure domain code: no I/O, no clock, no `Math.random`.
 */

export interface DemoCase {
  /** Index into `DemoPatient.tumors`. */
  tumorIndex: number;
  status: CaseStatus;
  question: string;
  urgent: boolean;
  /** A forward walk referred → … → status, timestamps ISO-8601 UTC, increasing, before `today`. */
  timeline: Array<{ status: CaseStatus; at: string }>;
}

export interface DemoPatient {
  patient: PatientInput;
  tumors: TumorInput[];
  cases: DemoCase[];
}

export interface DemoOptions {
  seed: number;
  count: number;
  /** `YYYY-MM-DD`: every date and timestamp generated lies before this day. */
  today: string;
  /** MRN prefix (default `TB`): MRNs are `<prefix>-000001`, `<prefix>-000002`, … */
  mrnPrefix?: string;
}

export { FAMILY_MIX, DEMO_FAMILIES, type DemoFamily } from './profiles.js';
export { STATUS_MIX };
export { INTERNATIONAL_SHARE } from './names.js';
export { keyFactPaths, hasFact, INCOMPLETE_SHARE } from './tumor.js';

const familyAt = quantile(FAMILY_MIX);
const statusAt = quantile(STATUS_MIX);

/** Share of malignant patients in follow-up whose disease relapsed (a second tumour record and case). */
const RELAPSE_SHARE_OF_FOLLOW_UP = 0.25;

/**
 * Generates `count` synthetic patients, each with one tumour and its conference case (occasionally a relapse as a
 * second tumour and case). Deterministic: the same options give a deep-equal result (a seeded mulberry32 stream;
 * `today` is a parameter), and patient i does not depend on `count`, so a smaller demo is a prefix of a larger
 * one. Every record parses with `patientInputSchema` / `tumorInputSchema`; codes come from `MORPHOLOGY`
 * (R-CODE-MORPH) and site categories from rules.md §3.9 (R-DISC). Throws `RangeError` on invalid options.
 */
export function generateDemoPatients(opts: DemoOptions): DemoPatient[] {
  const { seed, count, today, mrnPrefix = 'TB' } = opts;
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,22}$/.test(mrnPrefix)) {
    throw new RangeError(`mrnPrefix must be 1-23 letters, digits or dashes, got "${mrnPrefix}"`);
  }
  const todayDay = dayFromIsoDate(today);
  const rng = createRng(seed);
  // Family and status follow low-discrepancy sequences so the mix is right at any count; the rest is random.
  const familyU = weyl(rng.next(), GOLDEN);
  const statusU = weyl(rng.next(), SILVER);
  const out: DemoPatient[] = new Array(count);

  for (let i = 0; i < count; i++) {
    const draft = drawDraft(rng, familyAt(familyU(i)));
    const benign = draft.family === 'benign_bone';
    const status = statusAt(statusU(i));
    const relapse = !benign && status === 'follow_up' && rng.chance(RELAPSE_SHARE_OF_FOLLOW_UP);
    const placed = layoutCases(rng, todayDay, status, benign, relapse ? pickRelapseStatus(rng) : undefined);
    const index = placed[0] as (typeof placed)[number];
    const second = placed[1];

    // Keep every diagnosis (the relapse too) at age ≤ 25 years.
    const lastDiagnosisDay = second?.diagnosisDay ?? index.diagnosisDay;
    const ageDays = Math.min(draft.ageDays, MAX_AGE_DAYS - (lastDiagnosisDay - index.diagnosisDay));
    const birthDay = index.diagnosisDay - ageDays;
    const puberty = drawPuberty(rng, draft.sex);

    const household = drawHousehold(rng);
    const family = drawFamily(rng, household, draft.sex);

    const tumors: TumorInput[] = [buildTumor(rng, draft, {
      diagnosisDay: index.diagnosisDay, ageDays, status, daysSinceDx: todayDay - index.diagnosisDay, puberty, relapsesLater: second !== undefined,
    })];
    if (second !== undefined) {
      tumors.push(buildRelapse(rng, draft, tumors[0] as TumorInput, {
        diagnosisDay: second.diagnosisDay, ageDays: second.diagnosisDay - birthDay, status: second.status,
        daysSinceDx: todayDay - second.diagnosisDay, puberty,
      }));
    }

    const cases: DemoCase[] = placed.map((p, tumorIndex) => {
      const tumor = tumors[tumorIndex] as TumorInput;
      const isRelapse = tumorIndex > 0;
      return {
        tumorIndex,
        status: p.status,
        question: drawQuestion(rng, draft.family, { t: tumor, ageYears: (p.diagnosisDay - birthDay) / DAYS_PER_YEAR }, isRelapse, household.international),
        urgent: drawUrgent(rng, draft.family, tumor, isRelapse),
        timeline: p.timeline,
      };
    });

    out[i] = {
      patient: {
        mrn: `${mrnPrefix}-${String(i + 1).padStart(6, '0')}`,
        familyName: family.patient.familyName,
        givenName: family.patient.givenName,
        birthDate: isoDateFromDay(birthDay),
        sex: draft.sex,
        preferredLanguage: household.preferredLanguage,
        interpreterNeeded: household.interpreterNeeded,
        homeCountry: household.homeCountry,
        guardians: family.guardians,
      },
      tumors,
      cases,
    };
  }
  return out;
}
