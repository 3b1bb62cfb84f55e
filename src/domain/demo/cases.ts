import { CASE_STATUSES, type CaseStatus, type TumorInput } from '../registry/types.js';
import { isoInstant } from './dates.js';
import type { DemoFamily } from './profiles.js';
import { type Rng, type Weighted, weighted } from './prng.js';

/**
 * Where each demo case stands on the referral → conference → treatment pathway, its status timeline, and the
 * question put to the conference. Timelines are laid out backwards from `today` so a case further along the
 * pathway has an older diagnosis.
 */

/** Share of (index) cases per status. */
export const STATUS_MIX = [
  ['referred', 10], ['under_review', 20], ['presented', 10], ['plan_agreed', 10], ['in_treatment', 35], ['follow_up', 15],
] as const satisfies Weighted<CaseStatus>;

/** A relapse is being worked up: it cannot have reached follow-up yet. */
const RELAPSE_STATUS_MIX = [
  ['referred', 20], ['under_review', 25], ['presented', 15], ['plan_agreed', 15], ['in_treatment', 25],
] as const satisfies Weighted<CaseStatus>;

export const pickRelapseStatus = weighted(RELAPSE_STATUS_MIX);

/** Diagnoses stay within this many days before `today` (about three years). */
export const MAX_DIAGNOSIS_AGE_DAYS = 1094;

/** Days between entering a status and entering the next one: `[min, max]`. */
const STEP_DAYS: Record<Exclude<CaseStatus, 'referred'>, readonly [number, number]> = {
  under_review: [1, 7], // triage
  presented: [3, 21], // next weekly conference with records complete
  plan_agreed: [1, 14],
  in_treatment: [2, 21],
  follow_up: [150, 330], // end of therapy
};
const BENIGN_THERAPY_DAYS = [14, 120] as const;

/** How long the case has sat in its current status. */
const DWELL_DAYS: Record<CaseStatus, readonly [number, number]> = {
  referred: [0, 10], under_review: [0, 14], presented: [0, 10], plan_agreed: [0, 14], in_treatment: [0, 300], follow_up: [0, 720],
};

/** A stretch of days with its floor: compression never goes below `min`. */
interface Span { min: number; days: number }

const span = (rng: Rng, [min, max]: readonly [number, number]): Span => ({ min, days: rng.int(min, max) });

interface CasePlan { status: CaseStatus; lag: Span; steps: Span[]; dwell: Span }

function planCase(rng: Rng, status: CaseStatus, benign: boolean, dwell: boolean): CasePlan {
  const upTo = CASE_STATUSES.indexOf(status);
  const steps: Span[] = [];
  for (let i = 1; i <= upTo; i++) {
    const s = CASE_STATUSES[i] as Exclude<CaseStatus, 'referred'>;
    steps.push(span(rng, s === 'follow_up' && benign ? BENIGN_THERAPY_DAYS : STEP_DAYS[s]));
  }
  // Referral the day of diagnosis or up to three weeks after (outside biopsy, records gathered).
  return { status, lag: span(rng, [0, 21]), steps, dwell: dwell ? span(rng, DWELL_DAYS[status]) : { min: 0, days: 0 } };
}

/** Scales every span's excess over its floor so the total fits the budget (floors are kept). */
function compress(spans: Span[], budget: number): void {
  const total = spans.reduce((a, s) => a + s.days, 0);
  if (total <= budget) return;
  const floor = spans.reduce((a, s) => a + s.min, 0);
  const factor = Math.max(0, budget - floor) / (total - floor);
  for (const s of spans) s.days = s.min + Math.floor((s.days - s.min) * factor);
}

export interface PlacedCase {
  status: CaseStatus;
  diagnosisDay: number;
  timeline: Array<{ status: CaseStatus; at: string }>;
}

function place(rng: Rng, plan: CasePlan, diagnosisDay: number): { placed: PlacedCase; lastDay: number } {
  let day = diagnosisDay + plan.lag.days;
  const timeline = [{ status: 'referred' as CaseStatus, at: isoInstant(day, rng.int(720, 1379)) }];
  plan.steps.forEach((step, i) => {
    day += step.days;
    timeline.push({ status: CASE_STATUSES[i + 1] as CaseStatus, at: isoInstant(day, rng.int(720, 1379)) });
  });
  return { placed: { status: plan.status, diagnosisDay, timeline }, lastDay: day };
}

/**
 * Lays out the index case and, when `relapseStatus` is given, a relapse diagnosed during follow-up. Every event
 * falls on a day strictly after the previous one and strictly before `today` (events 12:00–22:59 UTC), the
 * first referral on or after the diagnosis date, and the index diagnosis no more than ~3 years back.
 */
export function layoutCases(rng: Rng, todayDay: number, status: CaseStatus, benign: boolean, relapseStatus?: CaseStatus): PlacedCase[] {
  const first = planCase(rng, status, benign, relapseStatus === undefined);
  const second = relapseStatus === undefined ? undefined : planCase(rng, relapseStatus, false, true);
  const untilRelapse: Span = { min: 30, days: rng.int(60, 540) };
  const spans = [first.lag, ...first.steps, first.dwell];
  if (second !== undefined) spans.push(untilRelapse, second.lag, ...second.steps, second.dwell);
  const end: Span = { min: 1, days: 1 }; // the last event is at the latest yesterday
  spans.push(end);
  compress(spans, MAX_DIAGNOSIS_AGE_DAYS);
  const total = spans.reduce((a, s) => a + s.days, 0);
  const a = place(rng, first, todayDay - total);
  if (second === undefined) return [a.placed];
  const b = place(rng, second, a.lastDay + untilRelapse.days);
  return [a.placed, b.placed];
}

// ---------------------------------------------------------------- conference questions

/** What the question may depend on. */
export interface QuestionContext {
  readonly t: TumorInput;
  readonly ageYears: number;
}

/** A question the conference could be asked, and the cases it makes sense for (always, when absent). */
interface Question { readonly q: string; readonly when?: (c: QuestionContext) => boolean }

const mets = ({ t }: QuestionContext) => (t.details.metastases?.length ?? 0) > 0;
const lungMets = ({ t }: QuestionContext) => t.details.metastases?.includes('lung') === true;
const boneMets = ({ t }: QuestionContext) => t.details.metastases?.some((m) => m === 'bone' || m === 'bone_marrow') === true;
const noKnownMets = ({ t }: QuestionContext) => t.details.metastases?.length === 0;
const resected = ({ t }: QuestionContext) => t.details.surgery?.status === 'resected';
const biopsyOnly = ({ t }: QuestionContext) => t.details.surgery?.status === 'biopsy';
const margin = (m: 'R0' | 'R1' | 'R2') => ({ t }: QuestionContext) => t.details.surgery?.margin === m;
const category = (...cs: string[]) => ({ t }: QuestionContext) => cs.includes(t.siteCategory);
const lowGradeOs = ({ t }: QuestionContext) => t.morphology === '9187/3' || t.morphology === '9192/3';

/** Per family; a case draws uniformly among the questions that fit it. */
const QUESTIONS: Record<DemoFamily, readonly Question[]> = {
  osteosarcoma: [
    { q: 'Limb salvage vs rotationplasty?', when: (c) => c.t.topography === 'C40.2' && c.ageYears < 14 },
    { q: 'Expandable endoprosthesis vs biological reconstruction after resection?', when: (c) => category('bone_extremity')(c) && c.ageYears < 16 },
    { q: 'Limb salvage vs amputation?', when: category('bone_extremity') },
    { q: 'Fertility preservation before starting MAP: time to bank?', when: (c) => !resected(c) && !lowGradeOs(c) },
    { q: 'Timing of pulmonary metastasectomy relative to primary resection?', when: lungMets },
    { q: 'Poor histologic response: continue MAP or change therapy?', when: (c) => (c.t.details.histologicResponse?.necrosisPercent ?? 100) < 90 },
    { q: 'Exactly 90% necrosis: good or poor responder (Huvos vs EURAMOS)?', when: (c) => c.t.details.histologicResponse?.necrosisPercent === 90 },
    { q: 'Close or positive margin: re-excision or observe?', when: (c) => c.t.details.surgery?.closeMarginLt5mm === true || margin('R1')(c) },
    { q: 'Confirm MAP and offer of the open osteosarcoma study.', when: (c) => !lowGradeOs(c) && !resected(c) },
    { q: 'Wide resection alone for low-grade osteosarcoma?', when: lowGradeOs },
    { q: 'Unresectable primary: role of high-dose RT?', when: category('bone_pelvis', 'bone_spine') },
    { q: 'Jaw resection and reconstruction: timing with chemotherapy?', when: category('bone_skull_face') },
  ],
  ewing: [
    { q: 'Local control: surgery, RT, or both?', when: (c) => !resected(c) },
    { q: 'Interval-compressed VDC/IE and trial eligibility?', when: (c) => !resected(c) },
    { q: 'Role of RT after R1 resection?', when: margin('R1') },
    { q: 'Post-operative RT after poor histologic response?', when: (c) => (c.t.details.histologicResponse?.necrosisPercent ?? 100) < 90 },
    { q: 'Whole-lung irradiation for pulmonary metastases?', when: lungMets },
    { q: 'Bone or marrow metastases: consolidation options and trials?', when: boneMets },
    { q: 'Definitive RT vs resection for pelvic primary?', when: category('bone_pelvis') },
    { q: 'Chest wall resection and reconstruction, or RT?', when: category('bone_chest_wall') },
    { q: 'Cord tolerance limits RT dose: role of spine surgery?', when: category('bone_spine') },
    { q: 'Extraosseous primary: resection before or after induction?', when: (c) => !c.t.siteCategory.startsWith('bone_') },
  ],
  rhabdomyosarcoma: [
    { q: 'Risk group assignment and RT timing?' },
    { q: 'FOXO1 status pending: provisional risk group and start of VAC?', when: (c) => c.t.details.molecular?.foxo1Fusion === undefined || c.t.details.molecular.foxo1Fusion === 'unknown' },
    { q: 'Delayed primary excision vs definitive RT?', when: (c) => biopsyOnly(c) && category('soft_tissue_extremity', 'soft_tissue_trunk', 'retroperitoneum_abdomen', 'perineum', 'gu_bladder_prostate')(c) },
    { q: 'Sentinel node biopsy before starting chemotherapy?', when: (c) => category('soft_tissue_extremity')(c) && c.t.details.surgery?.nodesSampled !== true },
    { q: 'Bladder preservation strategy and role of brachytherapy?', when: category('gu_bladder_prostate') },
    { q: 'Ipsilateral RPLND needed before assigning the clinical group?', when: (c) => category('gu_paratesticular')(c) && c.ageYears >= 10 },
    { q: 'Paratesticular primary under 10 years: imaging-only nodal staging enough?', when: (c) => category('gu_paratesticular')(c) && c.ageYears < 10 },
    { q: 'Early RT for meningeal impingement?', when: (c) => category('hn_parameningeal')(c) && (c.t.details.headNeck?.intracranialExtension === true || c.t.details.headNeck?.skullBaseErosion === true || c.t.details.headNeck?.cranialNervePalsy === true) },
    { q: 'Proton vs photon RT for the head and neck primary?', when: category('hn_orbit', 'hn_parameningeal', 'hn_nonparameningeal') },
    { q: 'Orbit: biopsy only, chemotherapy and RT 45 Gy?', when: category('hn_orbit') },
    { q: 'Brachytherapy vs observation after chemotherapy for the gynecologic primary?', when: category('gu_gynecologic') },
    { q: 'Biliary drainage and the role of resection?', when: category('biliary') },
    { q: 'Metastatic RMS: Oberlin factors and intensified therapy?', when: mets },
    { q: 'Under 24 months: individualized local control?', when: (c) => c.ageYears < 2 },
  ],
  nrsts: [
    { q: 'ARST0332-style risk group and arm?' },
    { q: 'Role of RT after R1 resection?', when: margin('R1') },
    { q: 'Re-excision after unplanned excision elsewhere?', when: (c) => resected(c) && !margin('R0')(c) },
    { q: 'Neoadjuvant chemoradiation before resection?', when: (c) => biopsyOnly(c) && c.t.details.grade?.twoTier === 'high' },
    { q: 'Targeted therapy or trial for the identified fusion?', when: (c) => c.t.details.molecular?.fusionPartner !== undefined && /NTRK|ALK|TFE3|PDGFB/.test(c.t.details.molecular.fusionPartner) },
    { q: 'Observation after R0 resection of a low-grade tumour?', when: (c) => margin('R0')(c) && c.t.details.grade?.twoTier === 'low' },
    { q: 'Metastatic NRSTS: chemotherapy and metastasis-directed local therapy?', when: mets },
    { q: 'Larotrectinib vs VA chemotherapy for infantile fibrosarcoma?', when: (c) => c.t.morphology === '8814/3' },
  ],
  benign_bone: [
    { q: 'Curettage with adjuvant vs en bloc resection?', when: (c) => c.t.details.bone?.radiographicBehavior === 'aggressive' },
    { q: 'Biopsy needed to exclude a malignant lesion?', when: (c) => c.t.details.surgery?.status !== 'resected' },
    { q: 'Observation vs surgery?', when: (c) => c.t.details.bone?.radiographicBehavior !== 'aggressive' },
    { q: 'Fracture risk: prophylactic fixation?', when: category('bone_extremity') },
  ],
};

/** Benign bone questions are mostly specific to the lesion. */
const BENIGN_QUESTIONS: Partial<Record<string, readonly string[]>> = {
  '9210/0': ['Observation vs excision of a symptomatic osteochondroma?', 'Excise now or after skeletal maturity (lesion near the physis)?'],
  '9210/1': ['Multiple hereditary exostoses: which lesion first, and surveillance plan?', 'Forearm deformity and limb-length discrepancy: guided growth?'],
  '9260/0': ['Sclerotherapy vs curettage for aneurysmal bone cyst?', 'Exclude telangiectatic osteosarcoma before treating as ABC?'],
  '9250/1': ['Denosumab before surgery vs extended curettage?', 'Extended curettage with PMMA vs resection and reconstruction?'],
  '9191/0': ['Radiofrequency ablation vs open excision?', 'CT-guided RFA close to the physis: safe?'],
  '9230/0': ['Curettage of epiphyseal chondroblastoma: approach that protects the physis and joint?'],
  '9230/1': ['Curettage of epiphyseal chondroblastoma: approach that protects the physis and joint?'],
  '8830/0': ['Observation vs curettage and grafting for fracture risk?'],
  '9751/1': ['Unifocal bone LCH: curettage alone or systemic therapy?', 'Biopsy alone and observation for solitary LCH?'],
};

const RELAPSE_QUESTIONS: readonly Question[] = [
  { q: 'Salvage options and trial eligibility at first relapse?' },
  { q: 'Phase 1/2 trial options after relapse?' },
  { q: 'Metastasectomy for pulmonary relapse?', when: lungMets },
  { q: 'Re-resection or re-irradiation of the local recurrence?', when: noKnownMets },
];

function pickFitting(rng: Rng, questions: readonly Question[], c: QuestionContext): string {
  const fitting = questions.filter((x) => x.when === undefined || x.when(c));
  return rng.pick(fitting.length > 0 ? fitting : questions).q;
}

export function drawQuestion(rng: Rng, family: DemoFamily, c: QuestionContext, relapse: boolean, international: boolean): string {
  if (relapse) return pickFitting(rng, RELAPSE_QUESTIONS, c);
  if (international && rng.chance(0.12)) return 'International second opinion: treat here or return home with a plan?';
  const benign = family === 'benign_bone' ? BENIGN_QUESTIONS[c.t.morphology] : undefined;
  if (benign !== undefined && rng.chance(0.8)) return rng.pick(benign);
  return pickFitting(rng, QUESTIONS[family], c);
}

/** Flagged urgent by the referrer: cord or brain threat, metastatic disease at presentation, relapse. */
export function drawUrgent(rng: Rng, family: DemoFamily, t: TumorInput, relapse: boolean): boolean {
  if (family === 'benign_bone') return rng.chance(0.02);
  let p = 0.085;
  if (t.details.bone?.spinalCanalInvasion || t.details.headNeck?.intracranialExtension || t.details.headNeck?.cranialNervePalsy) p += 0.35;
  if ((t.details.metastases?.length ?? 0) > 0) p += 0.08;
  if (relapse) p += 0.08;
  return rng.chance(p);
}
