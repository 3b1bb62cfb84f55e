import { TUMOR_FAMILIES, type TumorFamily } from '../coding/morphology.js';
import { DISCIPLINES } from '../registry/types.js';
import type { SiteCategory } from '../facts/case-facts.js';
import type { Count, Distribution, Share } from './stats.js';

/**
 * Program analytics (issue 10, DESIGN.md §2.9): what the program promises (every child discussed, every discipline
 * weighing in, tailored plans, a trial offered to nearly every child), measured live. Each metric is typed data:
 * its id (the key in the summary JSON, stable for outside checks), label, the precise definition shown as help in
 * the dashboard and printed in the annual report, its unit, how it is computed, and whether small cells are
 * suppressed for researchers. The figures follow the Commission on Cancer Standard 2.5 (multidisciplinary cancer
 * case conference) style: share of cases presented, presented before first treatment, required-specialty
 * attendance, and whether stage, guidelines and trials were discussed.
 */

export const METRIC_GROUPS = ['caseload', 'conference', 'trials', 'turnaround', 'plan', 'survivorship'] as const;
export type MetricGroup = (typeof METRIC_GROUPS)[number];

/** `patients`: counts of children, suppressed below 11 for researchers; `none`: not patient counts (meetings, staff). */
export type SmallCellRule = 'patients' | 'none';

export interface MetricDefinition {
  readonly id: string;
  readonly group: MetricGroup;
  readonly label: string;
  /** Precise definition: what is counted, over which period, with which denominator. Shown as help text. */
  readonly definition: string;
  readonly unit: 'cases' | 'referrals' | 'conferences' | 'percent' | 'days' | 'patients' | 'administrations';
  /** How it is computed (SQL aggregate over which tables; percentiles from one sorted duration column). */
  readonly computation: string;
  readonly smallCells: SmallCellRule;
}

/**
 * The four groups R-CONF requires for every case (rules.md §3.9b): a conference where one of them is absent
 * cannot make a complete recommendation for any child.
 */
export const CORE_GROUPS = ['pediatric_oncology', 'pathology', 'radiology', 'radiation_oncology'] as const satisfies readonly (typeof DISCIPLINES)[number][];

/** The nine standing groups, in the order the conference lists them. */
export const STANDING_GROUPS = DISCIPLINES;

/**
 * Default attendance target per group: the share of held conferences each standing group should attend. CoC
 * Standard 2.5 asks required specialties to attend at least 90% of conferences [K]; configurable per request.
 */
export const DEFAULT_ATTENDANCE_TARGET_PERCENT = 90;

/** Agenda item statuses and procedures that do not start treatment (a biopsy before conference is diagnosis). */
export const NON_TREATMENT_SURGERY = ['biopsy', 'sentinel_node_biopsy', 'rplnd'] as const;

/** Screening-log statuses that mean a trial was offered to the family (declined = offered, then declined). */
export const OFFERED_STATUSES = ['offered', 'enrolled', 'declined'] as const;

/** Trial networks reported separately (trials.network); anything else is `other`. */
export const TRIAL_NETWORKS = ['COG', 'SARC', 'POETIC', 'industry', 'institutional', 'other'] as const;

/** Referral origin (referrals.origin). */
export const REFERRAL_ORIGINS = ['internal', 'domestic', 'international'] as const;

/** Age at diagnosis, in whole years, as paediatric cancer registries band it (SEER/ICCC 0, 1–4, 5–9, 10–14, 15–19, 20+). */
export const AGE_BANDS = [
  { key: '<1', label: 'Under 1 year', minYears: 0, maxYears: 0 },
  { key: '1-4', label: '1–4 years', minYears: 1, maxYears: 4 },
  { key: '5-9', label: '5–9 years', minYears: 5, maxYears: 9 },
  { key: '10-14', label: '10–14 years', minYears: 10, maxYears: 14 },
  { key: '15-19', label: '15–19 years', minYears: 15, maxYears: 19 },
  { key: '20+', label: '20 years or more', minYears: 20, maxYears: 200 },
] as const;

export const TUMOR_FAMILY_LABELS = {
  osteosarcoma: 'Osteosarcoma', ewing: 'Ewing sarcoma', rhabdomyosarcoma: 'Rhabdomyosarcoma', nrsts: 'Non-rhabdomyosarcoma soft-tissue sarcoma',
  other_bone_malignant: 'Other malignant bone tumour', benign_bone: 'Benign bone tumour', intermediate_soft_tissue: 'Intermediate soft-tissue tumour',
} as const satisfies Record<TumorFamily, string>;

export { TUMOR_FAMILIES };

/** Site categories (rules.md §3.9) as the dashboard names them. */
export const SITE_LABELS = {
  bone_extremity: 'Bone, extremity', bone_pelvis: 'Bone, pelvis', bone_spine: 'Bone, spine', bone_chest_wall: 'Bone, chest wall',
  bone_skull_face: 'Bone, skull and face', other: 'Other site', soft_tissue_extremity: 'Soft tissue, extremity', soft_tissue_trunk: 'Soft tissue, trunk',
  retroperitoneum_abdomen: 'Retroperitoneum and abdomen', hn_orbit: 'Head and neck, orbit', hn_parameningeal: 'Head and neck, parameningeal',
  hn_nonparameningeal: 'Head and neck, non-parameningeal', gu_paratesticular: 'Genitourinary, paratesticular', gu_bladder_prostate: 'Genitourinary, bladder/prostate',
  gu_gynecologic: 'Genitourinary, gynecologic', perineum: 'Perineum', biliary: 'Biliary tract',
} as const satisfies Record<SiteCategory, string>;

const PERIOD = 'in the period (from and to dates inclusive, UTC)';
const PRESENTED = 'a case is presented when its agenda item at a conference held in the period was marked discussed';

/** Every metric of the summary, keyed by the id used in `GET /api/v1/analytics/summary`. */
export const METRICS = [
  {
    id: 'caseload.new_cases', group: 'caseload', label: 'New cases', unit: 'cases', smallCells: 'patients',
    definition: `Cases opened ${PERIOD}, by tumour type (ICD-O-3 morphology family), site category and age at diagnosis in whole years (0, 1–4, 5–9, 10–14, 15–19, 20+). A relapse opens a new case and counts again; a case whose tumour is not yet recorded counts under "Not yet characterised".`,
    computation: 'COUNT(*) of cases LEFT JOIN tumours and patients, GROUP BY morphology, site category and an age-band CASE expression.',
  },
  {
    id: 'caseload.referrals', group: 'caseload', label: 'Referrals by source', unit: 'referrals', smallCells: 'patients',
    definition: `Referrals received ${PERIOD}, by origin: internal (the hospital's own clinics), domestic (outside physicians and families in the country) and international. Declined and redirected referrals count too. With a tumour-type filter, only referrals whose suspected or confirmed tumour is of that type.`,
    computation: 'COUNT(*) of referrals GROUP BY origin.',
  },
  {
    id: 'conference.meetings', group: 'conference', label: 'Conferences held vs scheduled', unit: 'conferences', smallCells: 'none',
    definition: `Conference occurrences dated ${PERIOD} and not in the future: scheduled = every such occurrence (held, cancelled or never run), held = finished meetings, cancelled = cancelled meetings. Not filtered by tumour type.`,
    computation: 'COUNT(*) of conferences with a CASE on status.',
  },
  {
    id: 'conference.presented', group: 'conference', label: 'Cases presented', unit: 'cases', smallCells: 'patients',
    definition: `Distinct cases presented ${PERIOD} (${PRESENTED}); presentations counts every discussion, so a case discussed twice counts once in cases and twice in presentations.`,
    computation: 'COUNT(DISTINCT case) and COUNT(*) of discussed agenda items JOIN conferences.',
  },
  {
    id: 'conference.prospective', group: 'conference', label: 'Presented before first treatment', unit: 'percent', smallCells: 'patients',
    definition: `Of the cases first presented ${PERIOD}, the share presented prospectively: no treatment (chemotherapy, radiation, or an operation other than a biopsy, sentinel node biopsy or RPLND) was recorded before the date of that first presentation. Treatment on the conference day counts as after it.`,
    computation: 'Per case: MIN(conference start) of discussed items and MIN(given_on) of treatment administrations (GROUP BY case), compared in SQL.',
  },
  {
    id: 'conference.attendance', group: 'conference', label: 'Required-group attendance', unit: 'percent', smallCells: 'none',
    definition: `For each conference held ${PERIOD}: which of the nine standing groups checked in (at least one member, in person or remote), and whether all four groups R-CONF requires for every case (pediatric oncology, pathology, radiology, radiation oncology) were present. Per group: the share of held conferences it attended, against the attendance target (default 90%, the Commission on Cancer Standard 2.5 style figure; set with attendanceTarget).`,
    computation: 'COUNT(DISTINCT discipline) of attendance JOIN conferences GROUP BY conference, and COUNT(DISTINCT conference) GROUP BY discipline.',
  },
  {
    id: 'conference.documentation', group: 'conference', label: 'Stage, guideline and trials discussed', unit: 'percent', smallCells: 'patients',
    definition: `Of the presentations ${PERIOD} (${PRESENTED}): stage documented = the recommendation records the confirmed stage; guideline referenced = the case has a treatment plan, which is always built from a named protocol template of the clinical rules, or the plan of care names a template ID (T-…); trial eligibility discussed = the recommendation names a trial to offer, or the case has a trial screening-log entry.`,
    computation: 'SUM(CASE …) over discussed agenda items with EXISTS sub-queries on plans and trial_screenings; the recommendation JSON fields are read with the dialect\'s JSON function.',
  },
  {
    id: 'trials.funnel', group: 'trials', label: 'Trial screening, eligibility, offer and enrolment', unit: 'percent', smallCells: 'patients',
    definition: `Of the children (distinct cases) presented ${PERIOD}: screened = at least one trial screening-log entry; eligible = an entry whose matcher verdict was eligible or which went on to an offer; offered = an entry offered, enrolled or declined (a declined offer was made); enrolled = an entry enrolled. By network: the same, counting only entries for that network's trials (COG, SARC, POETIC, industry, institutional, other), over all presented children.`,
    computation: 'COUNT(DISTINCT case) with CASE on screening status and verdict, over trial_screenings JOIN trials, GROUP BY network.',
  },
  {
    id: 'trials.declined', group: 'trials', label: 'Declined trial offers by reason', unit: 'cases', smallCells: 'patients',
    definition: `Screening-log entries with status declined, of children presented ${PERIOD}, grouped by the recorded reason (as typed; first 80 characters; researchers see the total only, the reasons being free text).`,
    computation: 'COUNT(*) of declined trial_screenings GROUP BY reason.',
  },
  {
    id: 'turnaround.referral_to_conference', group: 'turnaround', label: 'Referral to conference', unit: 'days', smallCells: 'patients',
    definition: `Days from the referral's receipt to the case's first presentation, for cases first presented ${PERIOD} that came through a referral. Median and 90th percentile (nearest rank).`,
    computation: 'One column of day differences computed in SQL, sorted; median and p90 in code.',
  },
  {
    id: 'turnaround.conference_to_treatment', group: 'turnaround', label: 'Conference to treatment start', unit: 'days', smallCells: 'patients',
    definition: `Days from a case's first presentation to its first treatment (as in "presented before first treatment"), for cases whose first treatment was ${PERIOD} and came on or after the first presentation. Median and 90th percentile (nearest rank).`,
    computation: 'One column of day differences computed in SQL, sorted; median and p90 in code.',
  },
  {
    id: 'turnaround.records_complete', group: 'turnaround', label: 'Referral to records complete', unit: 'days', smallCells: 'patients',
    definition: `Days from the referral's receipt to the day its records checklist was complete (outside pathology, imaging and reports in hand), for referrals whose records were complete ${PERIOD}. Median and 90th percentile (nearest rank).`,
    computation: 'One column of day differences computed in SQL, sorted; median and p90 in code.',
  },
  {
    id: 'plan.concordance', group: 'plan', label: 'Treatment concordant with the plan', unit: 'percent', smallCells: 'patients',
    definition: `Plans whose first treatment was ${PERIOD} (plans follow the conference recommendation and are signed by the required groups): concordant = no administration recorded so far carries a recorded deviation. Deviations by reason counts administrations given ${PERIOD} with a recorded deviation (toxicity, delay, dose reduction, patient choice, progression, other). The plan page's full comparison (dose tolerance, delays, omitted agents) is not re-run here: unrecorded departures are not counted.`,
    computation: 'Per plan: MIN(given_on) and SUM(CASE deviation recorded) over plan_administrations GROUP BY plan; deviations GROUP BY the JSON reason.',
  },
  {
    id: 'survivorship.due', group: 'survivorship', label: 'Survivors due or overdue for screening', unit: 'patients', smallCells: 'patients',
    definition: 'Children whose therapy ended (completed plan) on or before the period end, by long-term follow-up entry (end of therapy + 24 months, COG LTFU, where late-effect screening starts): overdue = entry on or before the period end (screening due, and TumorBoard records no completed screening yet, so these are the children to call); due soon = entry within 90 days after the period end; upcoming = later. Not limited to the period start.',
    computation: 'COUNT(DISTINCT patient) of completed plans with a CASE on ended_on against cut-off dates computed in code.',
  },
] as const satisfies readonly MetricDefinition[];

export type MetricId = (typeof METRICS)[number]['id'];

/** A row of a breakdown table. */
export interface CountRow { readonly key: string; readonly label: string; readonly count: Count }

export interface TrialFunnelRow {
  readonly key: string;
  readonly label: string;
  readonly screened: Share;
  readonly eligible: Share;
  readonly offered: Share;
  readonly enrolled: Share;
}

export interface ConferenceAttendanceRow {
  readonly conferenceId: string;
  readonly date: string;
  readonly status: string;
  readonly groupsPresent: readonly string[];
  readonly coreGroupsPresent: number;
  readonly allCorePresent: boolean;
  /** Cases discussed at the meeting; null for researchers when 1–10 (a count of children). */
  readonly casesDiscussed: number | null;
}

/** What each metric's `value` holds. */
export interface MetricValues {
  'caseload.new_cases': { total: Count; byTumorType: CountRow[]; bySite: CountRow[]; byAgeBand: CountRow[] };
  'caseload.referrals': { total: Count; byOrigin: CountRow[] };
  'conference.meetings': { scheduled: Count; held: Count; cancelled: Count; heldShare: Share };
  'conference.presented': { cases: Count; presentations: Count };
  'conference.prospective': Share;
  'conference.attendance': {
    targetPercent: number;
    allCorePresent: Share;
    byGroup: Array<{ key: string; label: string; core: boolean; share: Share; meetsTarget: boolean | null }>;
    conferences: ConferenceAttendanceRow[];
  };
  'conference.documentation': { stage: Share; guideline: Share; trialDiscussed: Share };
  'trials.funnel': { overall: TrialFunnelRow; byNetwork: TrialFunnelRow[] };
  'trials.declined': { total: Count; byReason: CountRow[] };
  'turnaround.referral_to_conference': Distribution;
  'turnaround.conference_to_treatment': Distribution;
  'turnaround.records_complete': Distribution;
  'plan.concordance': { plans: Count; concordant: Share; deviationsByReason: CountRow[] };
  'survivorship.due': { survivors: Count; overdue: Count; dueSoon: Count; upcoming: Count };
}

export type MetricResult<K extends MetricId> = (typeof METRICS)[number] & { readonly id: K; readonly value: MetricValues[K] };

/** The summary JSON of `GET /api/v1/analytics/summary` (a contract: extend, don't rename). */
export interface AnalyticsSummary {
  readonly institution: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly filters: { readonly tumorType: TumorFamily | null };
  readonly generatedAt: string;
  /** Small cells (1–10 children) are null with `suppressed: true` when applied (researcher role). */
  readonly suppression: { readonly applied: boolean; readonly threshold: number };
  readonly metrics: { readonly [K in MetricId]: MetricDefinition & { readonly value: MetricValues[K] } };
}

/** The definition of a metric by id. */
export function metricDefinition(id: MetricId): MetricDefinition {
  return METRICS.find((m) => m.id === id)!;
}

/** Human label of a discipline id (`radiation_oncology` → "Radiation oncology"). */
export function groupLabel(id: string): string {
  const s = id.replaceAll('_', ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Age band key of an age in whole years (AGE_BANDS). */
export function ageBandOf(years: number): string {
  return AGE_BANDS.find((b) => years >= b.minYears && years <= b.maxYears)?.key ?? '20+';
}
