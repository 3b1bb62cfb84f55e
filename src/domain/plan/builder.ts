import type { CaseFacts } from '../facts/case-facts.js';
import type { Assessment } from '../facts/assessment.js';
import type { StagingContext } from './context.js';
import { plannedExposure } from './exposure.js';
import { fertilityOptions } from './fertility.js';
import { FLAG_RULES, flags, type FlagName } from './flags.js';
import type {
  ChecklistItem, ConsideredOption, PhaseKind, PlanAgent, PlanContent, PlanCycle, PlanPhase,
} from './plan.js';
import { TEMPLATES, type AgentDose, type TemplateId, type TreatmentTemplate } from './templates.js';

/**
 * Builds the first draft of a plan from a template (rules.md §2) and the case (rules.md §3): phases, cycles and
 * doses from the template, the infant dose rule where the template has one (R-AGE-INFANT), the template's
 * local-control options (plus the growing-child reconstruction options, R-LOC-GROWTH), and a tailoring checklist
 * with one unanswered question per age/site/exposure flag. The builder applies nothing the team has to decide:
 * local control is not selected and every question is left for the team to answer.
 */

/** How a template phase becomes a plan phase: its kind, cycle order and (where rules.md states it) the cycle interval. */
export interface PhaseLayout {
  readonly kind: PhaseKind;
  readonly order?: 'sequential' | 'alternating';
  /** Days between cycle starts, only where rules.md states it (the `source` quotes it). */
  readonly cycleIntervalDays?: number;
  readonly source?: string;
}

const EWS_LAYOUT = [
  { kind: 'induction', order: 'alternating', cycleIntervalDays: 14, source: 'rules.md §2.1: VDC and IE alternating, started every 14 days' },
  { kind: 'local_control' },
  { kind: 'consolidation', order: 'alternating', cycleIntervalDays: 14, source: 'rules.md §2.1: VDC and IE alternating, started every 14 days' },
] as const satisfies readonly PhaseLayout[];

/** Phase layout per template, one row per template phase (builder.test.ts checks the lengths match). */
export const PHASE_LAYOUTS = {
  'T-EWS-ICC': EWS_LAYOUT,
  'T-EWS-MET': EWS_LAYOUT,
  'T-OS-MAP': [
    { kind: 'neoadjuvant', cycleIntervalDays: 35, source: 'rules.md §2.2: two 5-week MAP cycles' },
    { kind: 'local_control' },
    { kind: 'adjuvant' },
  ],
  'T-OS-LOWGRADE': [{ kind: 'local_control' }],
  'T-RMS-VLR-VA24': [{ kind: 'adjuvant' }],
  'T-RMS-LR-VAC4-VA': [{ kind: 'induction' }, { kind: 'consolidation' }],
  'T-RMS-LR-SUBSET-B': [{ kind: 'induction' }],
  'T-RMS-IR-VACVI-MAINT': [
    { kind: 'induction', order: 'alternating' },
    { kind: 'maintenance', cycleIntervalDays: 28, source: 'rules.md §2.3: 28-day maintenance cycles × 6' },
  ],
  'T-RMS-HR-INTENSIVE': [
    { kind: 'induction' }, { kind: 'induction', order: 'alternating' }, { kind: 'local_control' },
    { kind: 'consolidation', order: 'alternating' }, { kind: 'consolidation' }, { kind: 'consolidation' },
  ],
  'T-RMS-EPSSG-MAINT': [
    { kind: 'induction' }, { kind: 'consolidation' },
    { kind: 'maintenance', cycleIntervalDays: 28, source: 'rules.md §2.3: 6 × 28-day cycles' },
  ],
  'T-NRSTS-A': [{ kind: 'observation' }],
  'T-NRSTS-B': [{ kind: 'local_control' }],
  'T-NRSTS-C': [{ kind: 'adjuvant' }],
  'T-NRSTS-D': [{ kind: 'neoadjuvant' }, { kind: 'local_control' }, { kind: 'local_control' }, { kind: 'local_control' }],
  'T-NRSTS-HR': [{ kind: 'induction' }],
  'T-BN-OBSERVE': [{ kind: 'observation' }],
  'T-BN-CURETTAGE': [{ kind: 'local_control' }],
  'T-BN-AGGRESSIVE': [{ kind: 'local_control' }],
} as const satisfies Record<TemplateId, readonly PhaseLayout[]>;

/** A dose rule for infants that a template itself states (R-AGE-INFANT). */
export interface InfantDoseRule {
  readonly percent: number;
  readonly rules: readonly string[];
  readonly reason: string;
}

/**
 * R-AGE-INFANT, where the template states the rule: AEWS0031 gave infants <12 months 50% of the m²-calculated dose,
 * then 75% and 100% if tolerated. Other templates have no rule of their own (rules.md §3.1 [D]: per-kg conversion
 * thresholds differ by protocol), so their doses stay as they are and the checklist asks the team.
 */
export const INFANT_DOSE_RULES = {
  'T-EWS-ICC': {
    percent: 50, rules: ['R-AGE-INFANT'],
    reason: 'AEWS0031: infants <12 months start at 50% of the m²-calculated dose, then 75% and 100% if tolerated',
  },
} as const satisfies Partial<Record<TemplateId, InfantDoseRule>>;

/** Reconstruction options for a growing child after resecting a lower-limb bone sarcoma (rules.md §3.2, R-LOC-GROWTH). */
export const GROWTH_OPTIONS = [
  { kind: 'surgery', description: 'Expandable (growing) endoprosthesis with non-invasive lengthening; high complication and revision rates', rules: ['R-LOC-GROWTH'] },
  { kind: 'surgery', description: 'Rotationplasty (young children with distal femur or proximal tibia tumours)', rules: ['R-LOC-GROWTH'] },
  { kind: 'surgery', description: 'Amputation', rules: ['R-LOC-GROWTH'] },
  { kind: 'surgery', description: 'Biological reconstruction: allograft, vascularized fibula, physeal-sparing intercalary resection', rules: ['R-LOC-GROWTH'] },
] as const satisfies readonly ConsideredOption[];

/** What a question reads: the template and the fertility options for it. */
interface QuestionInput {
  readonly fertilityOptions: readonly string[];
  readonly templateId: TemplateId;
}

/** One checklist question per flag, with the rule IDs it comes from (rules.md §3, §4). */
export interface ChecklistQuestion {
  readonly question: string | ((x: QuestionInput) => string);
  readonly rules: readonly string[];
}

/**
 * Tailoring questions by flag (rules.md §3.10 vocabulary). Flags without a question here (AGE_GE_10Y,
 * ENNEKING_CAVEAT_EWING, PELVIC_RT_GONADAL_AND_BLADDER_LATE_EFFECTS) inform staging or survivorship, not the plan.
 */
export const CHECKLIST_QUESTIONS = {
  INFANT_LT_12MO: {
    question: (x) => (x.templateId in INFANT_DOSE_RULES
      ? 'Infant <12 months: the doses are set to 50% of the m²-calculated dose (AEWS0031), to be raised to 75% and 100% if tolerated. Does the team confirm this dosing?'
      : 'Infant <12 months: has the team set the dosing per the protocol document (e.g. per-kg conversion, mg/kg ≈ mg/m² ÷ 30, or a reduced m² dose)?'),
    rules: ['R-AGE-INFANT'],
  },
  RT_INDIVIDUALIZE_LT_24MO: {
    question: 'RMS under 24 months: has the team agreed an individualized local-control plan (RT dose, timing, or delayed/omitted RT), keeping in mind that infants fail locally more often when RT is reduced?',
    rules: ['R-AGE-RT24'],
  },
  PARATESTICULAR_RPLND_REQUIRED: {
    question: 'Paratesticular RMS at ≥10 years: is ipsilateral retroperitoneal lymph-node dissection planned before the clinical group is assigned?',
    rules: ['R-FLAGS'],
  },
  EXTREMITY_RMS_REGIONAL_NODE_EVALUATION: {
    question: 'Extremity RMS: is regional nodal evaluation (sentinel node biopsy or sampling) planned?',
    rules: ['R-FLAGS'],
  },
  PARAMENINGEAL: {
    question: 'Parameningeal RMS: are MRI of brain and skull base and CSF cytology done, and is definitive chemoradiation (proton therapy considered) the local-control plan?',
    rules: ['R-RMS-PM', 'R-FLAGS'],
  },
  MENINGEAL_IMPINGEMENT_EARLY_RT: {
    question: 'Meningeal impingement (intracranial extension, skull-base erosion or cranial nerve palsy): is RT planned immediately (weeks 1–6)?',
    rules: ['R-RMS-PM', 'R-FLAGS'],
  },
  ORBIT: {
    question: 'Orbit RMS: is the RT dose decided (45 Gy, escalating if less than complete response at week 12) and is ophthalmology involved, avoiding exenteration?',
    rules: ['R-RMS-RT', 'R-FLAGS'],
  },
  BLADDER_PROSTATE_ORGAN_PRESERVATION: {
    question: 'Bladder/prostate primary: is the plan bladder-preserving (chemotherapy and RT ± limited surgery), with pediatric urology involved?',
    rules: ['R-FLAGS'],
  },
  GYNECOLOGIC_SITE: {
    question: 'Gynecologic primary: is local control organ-sparing (brachytherapy considered), with ovarian transposition if external-beam RT is planned?',
    rules: ['R-FLAGS'],
  },
  BILIARY: {
    question: 'Biliary RMS: are hepatobiliary surgery and gastroenterology involved, avoiding aggressive resection?',
    rules: ['R-FLAGS'],
  },
  SPINE_CORD_RISK: {
    question: 'Spine/paraspinal primary: is RT kept within spinal cord tolerance (about 45–50.4 Gy), covering the whole vertebral body symmetrically in a growing child, with a plan for cord compression?',
    rules: ['R-FLAGS'],
  },
  PELVIC_SITE: {
    question: 'Pelvic primary: have the effects of pelvic surgery (lumbosacral plexus, bladder and bowel function) and of pelvic RT on fertility been weighed in choosing local control?',
    rules: ['R-FLAGS'],
  },
  GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS: {
    question: 'Growing child with a lower-limb bone sarcoma: has orthopedic oncology discussed expandable prosthesis, rotationplasty, amputation or biological reconstruction, and limb-length planning?',
    rules: ['R-LOC-GROWTH'],
  },
  FERTILITY_PRESERVATION_INDICATED: {
    question: (x) => `Fertility preservation: has the family been counselled and offered ${x.fertilityOptions.length > 0 ? x.fertilityOptions.join(', ').replaceAll('_', ' ') : 'the options for the child\'s sex and pubertal status'} before the first alkylator, cisplatin or gonadal RT?`,
    rules: ['R-FERT'],
  },
  CISPLATIN_OTOTOXICITY_MONITORING: {
    question: 'Cisplatin: is audiology scheduled at baseline and before each cisplatin cycle?',
    rules: ['R-LE-OTO'],
  },
  ANTHRACYCLINE_CARDIAC_MONITORING: {
    question: 'Anthracycline: is a baseline echocardiogram done and cardiac monitoring during therapy scheduled?',
    rules: ['R-LE-ANTHRA', 'R-LE-ECHO'],
  },
  IFOSFAMIDE_NEPHROTOXICITY_RISK: {
    question: 'Ifosfamide ≥60 g/m²: is renal monitoring (GFR, phosphate, bicarbonate, urinalysis) planned during and after therapy?',
    rules: ['R-LE-IFO'],
  },
  WHOLE_LUNG_RT: {
    question: 'Lung metastases: is whole-lung RT part of the plan, with its dose by age and protocol (12 or 15 Gy)?',
    rules: ['R-RMS-RT', 'R-EWS-LC'],
  },
  WLI_DOSE_PROTOCOL_DEPENDENT: {
    question: 'Ewing lung metastases at 6–14 years: which whole-lung dose (12 or 15 Gy) does the protocol give?',
    rules: ['R-EWS-LC'],
  },
  OSTEOSARCOMA_RESPONSE_DISAGREEMENT_90: {
    question: 'Exactly 90% necrosis (good by Huvos, poor by EURAMOS): has the team recorded how the response is read for post-operative therapy?',
    rules: ['R-OS-RESP-90'],
  },
  RMS_DNA_MUTATION_REGIMEN_UNVERIFIED: {
    question: 'RMS with MYOD1 or TP53 mutation: has the regimen been taken from the ARST2032 protocol document (not verified in rules.md)?',
    rules: ['R-RMS-ARST2032'],
  },
} as const satisfies Partial<Record<FlagName, ChecklistQuestion>>;

/** Input of the builder: the case facts, its assessment, and optionally the body size used to convert doses. */
export interface BuildInput {
  readonly facts: CaseFacts;
  readonly assessment: Assessment;
  readonly bsaM2?: number;
  readonly weightKg?: number;
}

function toAgent(a: AgentDose, infant: InfantDoseRule | undefined): PlanAgent {
  const out: PlanAgent = { agent: a.agent, administrations: a.administrations ?? 1 };
  if (a.doseMgM2 !== undefined) {
    if (infant !== undefined) {
      out.doseMgM2 = Math.round(a.doseMgM2 * infant.percent) / 100;
      out.doseModification = { percent: infant.percent, fullDose: a.doseMgM2, rules: [...infant.rules], reason: infant.reason };
    } else {
      out.doseMgM2 = a.doseMgM2;
    }
  } else if (a.doseMgKg !== undefined) {
    out.doseMgKg = a.doseMgKg;
  }
  if (a.maxMg !== undefined) out.maxMg = a.maxMg;
  if (a.route !== undefined) out.route = a.route;
  if (a.note !== undefined) out.note = a.note;
  if (a.unverified) out.unverified = true;
  return out;
}

/** The staging context the flag rules read, taken from the assessment (the same values `assess` passed them). */
function contextOf(a: Assessment): StagingContext {
  return { enneking: a.enneking, ajcc: a.ajcc, rms: a.rms, ewing: a.ewing, osteosarcoma: a.osteosarcoma, nrsts: a.nrsts };
}

/**
 * The tailoring checklist (rules.md §3.10 flags → questions): one unanswered question per raised flag that calls for
 * a team decision, in R-FLAGS order, each with its rule IDs. Flags are recomputed for the chosen template, so a
 * template other than the assessment's gets its own exposure flags (fertility, cisplatin, anthracycline, ifosfamide).
 */
export function tailoringChecklist(templateId: TemplateId, input: BuildInput): ChecklistItem[] {
  const { facts: f, assessment } = input;
  const planned = plannedExposure(templateId);
  const primaryGy = assessment.radiation?.primaryGy ?? null;
  const raised = new Set(flags(f, contextOf(assessment), planned, primaryGy).value ?? []);
  const x: QuestionInput = { templateId, fertilityOptions: fertilityOptions(f, planned, primaryGy).value ?? [] };
  const out: ChecklistItem[] = [];
  for (const row of FLAG_RULES) {
    const q = (CHECKLIST_QUESTIONS as Partial<Record<FlagName, ChecklistQuestion>>)[row.value];
    if (q === undefined || !raised.has(row.value)) continue;
    out.push({ flag: row.value, question: typeof q.question === 'function' ? q.question(x) : q.question, rules: [...q.rules], answer: null });
  }
  return out;
}

/**
 * A draft plan from a template (rules.md §2) for this case: phases and cycles as the template gives them (IDs
 * `phase-1`, `phase-1-cycle-1`, …; counts and doses left unset where the template has none), the template's own
 * infant rule (R-AGE-INFANT) applied and recorded on each modified dose, start weeks from the template and cycle
 * intervals only where rules.md states them, the template's local-control options (none selected), growing-child
 * reconstruction options when GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS is raised (R-LOC-GROWTH), and the tailoring
 * checklist, unanswered.
 */
export function buildPlanFromTemplate(templateId: TemplateId, input: BuildInput): PlanContent {
  const t: TreatmentTemplate = TEMPLATES[templateId];
  const layout: readonly PhaseLayout[] = PHASE_LAYOUTS[templateId];
  const infant = input.facts.ageMonths < 12 ? (INFANT_DOSE_RULES as Partial<Record<TemplateId, InfantDoseRule>>)[templateId] : undefined;

  const phases: PlanPhase[] = t.phases.map((tp, i) => {
    const l = layout[i] ?? { kind: 'induction' };
    const phaseId = `phase-${i + 1}`;
    const cycles: PlanCycle[] = tp.cycles.map((c, j) => ({
      id: `${phaseId}-cycle-${j + 1}`,
      regimen: c.name,
      count: c.count,
      agents: c.agents.map((a) => toAgent(a, infant)),
      ...(c.note !== undefined ? { note: c.note } : {}),
      ...(c.unverified ? { unverified: true } : {}),
    }));
    const phase: PlanPhase = { id: phaseId, name: tp.name, kind: l.kind, startWeek: tp.weeks?.from ?? null, cycles };
    if (cycles.length > 0) phase.cycleIntervalDays = l.cycleIntervalDays ?? null;
    if (l.order !== undefined) phase.order = l.order;
    if (tp.note !== undefined) phase.note = tp.note;
    if (tp.unverified) phase.unverified = true;
    return phase;
  });

  const checklist = tailoringChecklist(templateId, input);
  const considered: ConsideredOption[] = t.localControl.map((o) => ({
    kind: o.kind, description: o.description, rules: [...o.rules],
    ...(o.doseGy !== undefined ? { doseGy: o.doseGy } : {}),
    ...(o.unverified ? { unverified: true } : {}),
    ...(o.disagreement !== undefined ? { disagreement: o.disagreement } : {}),
  }));
  if (checklist.some((c) => c.flag === 'GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS')) {
    considered.push(...GROWTH_OPTIONS.map((o) => ({ ...o, rules: [...o.rules] })));
  }

  const content: PlanContent = {
    templateId,
    templateVersion: t.version,
    title: t.title,
    intent: phases.every((p) => p.kind === 'observation') && t.family === 'benign_bone' ? 'observation' : 'curative',
    phases,
    localControl: { selected: [], considered },
    checklist,
    trialNctId: null,
  };
  if (input.bsaM2 !== undefined) content.bsaM2 = input.bsaM2;
  if (input.weightKg !== undefined) content.weightKg = input.weightKg;
  return content;
}
