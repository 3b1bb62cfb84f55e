import { z } from 'zod';
import { RADIATION_FIELDS } from '../facts/case-facts.js';
import { AppError, validationError, type FieldIssue } from '../errors.js';
import { dayFromIsoDate, isoDateFromDay } from '../demo/dates.js';
import {
  DOSE_FIELDS, checkAgentDose, checkMaxMg, checkRadiationDose, doseFieldsSet, doseLimit, type DoseContext, type DoseFinding,
} from './dose-limits.js';
import { normalizeAgent } from './exposure.js';
import { TEMPLATE_IDS } from './templates.js';

/**
 * The editable treatment plan document (DESIGN.md §2.5): built from a template (builder.ts), tailored by the team,
 * stored as immutable versions (versions.ts) and signed by disciplines. The zod schema is the write contract; it is
 * strict (unknown keys are errors) and every error names its field path, e.g. `phases[0].cycles[1].agents[0].doseMgM2`.
 *
 * Conventions:
 * - Doses are per administration; `administrations` is how many per cycle; `count` is how many cycles of that
 *   regimen the phase gives. A dose states its unit by the field that is set: exactly one of `doseMgM2`,
 *   `doseMgKg`, `doseMg`. A draft may leave the dose (or a cycle count) unset where the template gives none; those
 *   are open items (`planOpenItems`) to settle before sign-off.
 * - Radiation `doseGy` is the dose before any boost; the total is `doseGy + boostGy`.
 * - Checklist answers are the team's: the builder never answers them.
 */

// ---- Vocabularies ----

export const PLAN_INTENTS = ['curative', 'palliative', 'observation'] as const;
export type PlanIntent = (typeof PLAN_INTENTS)[number];

export const PHASE_KINDS = [
  'induction', 'neoadjuvant', 'local_control', 'consolidation', 'adjuvant', 'maintenance', 'observation',
] as const;
export type PhaseKind = (typeof PHASE_KINDS)[number];

/** Local-control option kinds, as the template library has them (templates.ts `LocalControlOption`). */
export const LOCAL_CONTROL_OPTION_KINDS = [
  'surgery', 'radiation', 'surgery_and_radiation', 'curettage', 'observation', 'medical', 'none',
] as const;

/** What the team selects: surgery and radiation are separate entries (both for surgery followed by RT). */
export const SELECTED_LOCAL_CONTROL_KINDS = ['surgery', 'radiation', 'curettage', 'observation', 'medical', 'none'] as const;

export const SURGERY_TYPES = [
  'biopsy', 'resection', 'wide_resection', 'limb_salvage', 'expandable_prosthesis', 'rotationplasty', 'amputation',
  'biological_reconstruction', 'curettage', 'hemipelvectomy', 'orchiectomy', 'rplnd', 'sentinel_node_biopsy',
  'metastasectomy', 'other',
] as const;
export type SurgeryType = (typeof SURGERY_TYPES)[number];

export const RADIATION_TARGETS = ['primary', 'metastases', 'nodes', 'whole_lung', 'other'] as const;
export const RADIATION_TIMINGS = ['definitive', 'preoperative', 'postoperative'] as const;
export const RADIATION_TECHNIQUES = ['photon', 'proton', 'brachytherapy'] as const;
export const SIDES = ['left', 'right', 'bilateral', 'midline'] as const;
export const ROUTES = ['iv', 'oral', 'im', 'sc', 'intrathecal'] as const;
export const CHECKLIST_ANSWERS = ['yes', 'no', 'not_applicable'] as const;
export type ChecklistAnswer = (typeof CHECKLIST_ANSWERS)[number];

// ---- Shared pieces ----

/** `YYYY-MM-DD`, a real calendar date. */
export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-09')
  .refine((s) => {
    try { dayFromIsoDate(s); return true; } catch { return false; }
  }, 'is not a real date');

const id = z.string().trim().min(1, 'must not be empty').max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'must be letters, digits, _ . : or -');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const ruleIds = z.array(z.string().regex(/^[RT]-[A-Z0-9-]+$/, 'must be a rule ID like R-FERT')).max(12);
/** Dose numbers are checked by the dose-limit table (dose-limits.ts), which names the allowed range. */
const dose = z.number();

/** The unit confusion check and per-agent ranges run after the schema; the schema only fixes the shape. */
export const planAgentSchema = z.strictObject({
  agent: z.string().trim().min(1, 'must not be empty').max(60),
  doseMgM2: dose.optional(),
  doseMgKg: dose.optional(),
  doseMg: dose.optional(),
  administrations: z.number().int('must be a whole number').min(1).max(60),
  maxMg: z.number().optional(),
  route: z.enum(ROUTES).optional(),
  note: z.string().trim().max(2000).optional(),
  /** A rule-based change from the full dose (e.g. infants 50%, R-AGE-INFANT): `fullDose` is in the unit that is set. */
  doseModification: z.strictObject({
    percent: z.number().min(1).max(200),
    fullDose: z.number().positive(),
    rules: ruleIds,
    reason: text(500),
  }).optional(),
  /** The dose rests on [K] knowledge in rules.md. */
  unverified: z.boolean().optional(),
});
export type PlanAgent = z.infer<typeof planAgentSchema>;

export const planCycleSchema = z.strictObject({
  id,
  regimen: text(120),
  /** Cycles of this regimen in the phase; null while the template gives no number (an open item). */
  count: z.number().int('must be a whole number').min(1).max(100).nullable(),
  agents: z.array(planAgentSchema).max(20),
  note: z.string().trim().max(2000).optional(),
  unverified: z.boolean().optional(),
});
export type PlanCycle = z.infer<typeof planCycleSchema>;

export const planPhaseSchema = z.strictObject({
  id,
  name: text(200),
  kind: z.enum(PHASE_KINDS),
  /** Protocol week the phase starts (week 1 = the plan's start date); null when not scheduled. */
  startWeek: z.number().int().min(1).max(520).nullable().optional(),
  /** Days from one cycle start to the next within the phase; null when not scheduled. */
  cycleIntervalDays: z.number().int().min(1).max(365).nullable().optional(),
  /**
   * Order of the cycles: `sequential` gives each regimen's cycles in turn; `alternating` alternates the last regimen
   * with the others taken in order (VDC, IE, VDC, IE…; VDC, IE, VC, IE…).
   */
  order: z.enum(['sequential', 'alternating']).optional(),
  cycles: z.array(planCycleSchema).max(20),
  note: z.string().trim().max(2000).optional(),
  unverified: z.boolean().optional(),
});
export type PlanPhase = z.infer<typeof planPhaseSchema>;

/** The fields a radiation course is described by, planned or delivered. `doseGy` excludes the boost. */
export const radiationCourseFields = {
  field: z.enum(RADIATION_FIELDS),
  side: z.enum(SIDES).optional(),
  target: z.enum(RADIATION_TARGETS).optional(),
  technique: z.enum(RADIATION_TECHNIQUES).optional(),
  doseGy: z.number(),
  boostGy: z.number().optional(),
  fractions: z.number().int().min(1).max(60).optional(),
  heartInField: z.boolean().optional(),
  heartDoseGy: z.number().optional(),
  breastInField: z.boolean().optional(),
  gonadsInField: z.boolean().optional(),
  bladderInField: z.boolean().optional(),
  kidneyInField: z.boolean().optional(),
};

/** A radiation prescription (one course). `doseGy` excludes the boost. */
export const radiationPlanSchema = z.strictObject({
  ...radiationCourseFields,
  timing: z.enum(RADIATION_TIMINGS).optional(),
});
export type RadiationPlanCourse = z.infer<typeof radiationPlanSchema>;

const selectedCommon = {
  description: z.string().trim().max(1000).optional(),
  /** Protocol week of the local control; when absent the timeline uses the local-control phase's start week. */
  plannedWeek: z.number().int().min(1).max(520).optional(),
  rules: ruleIds.optional(),
  note: z.string().trim().max(2000).optional(),
};

export const selectedLocalControlSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('surgery'), surgeryType: z.enum(SURGERY_TYPES), ...selectedCommon }),
  z.strictObject({ kind: z.literal('curettage'), surgeryType: z.enum(SURGERY_TYPES).optional(), ...selectedCommon }),
  z.strictObject({ kind: z.literal('radiation'), radiation: radiationPlanSchema, ...selectedCommon }),
  z.strictObject({ kind: z.literal('observation'), ...selectedCommon }),
  z.strictObject({ kind: z.literal('medical'), ...selectedCommon }),
  z.strictObject({ kind: z.literal('none'), ...selectedCommon }),
]);
export type SelectedLocalControl = z.infer<typeof selectedLocalControlSchema>;

/** An option the team considered (from the template or added), with its rule IDs and [K]/[D] markers. */
export const consideredOptionSchema = z.strictObject({
  kind: z.enum(LOCAL_CONTROL_OPTION_KINDS),
  description: text(1000),
  doseGy: z.number().min(0).max(100).optional(),
  rules: ruleIds,
  unverified: z.boolean().optional(),
  disagreement: z.string().trim().max(1000).optional(),
});
export type ConsideredOption = z.infer<typeof consideredOptionSchema>;

export const checklistItemSchema = z.strictObject({
  /** The assessment flag the question comes from (R-FLAGS vocabulary or a platform flag). */
  flag: z.string().regex(/^[A-Z0-9_]{2,80}$/, 'must be a flag name like FERTILITY_PRESERVATION_INDICATED'),
  question: text(1000),
  rules: ruleIds,
  answer: z.enum(CHECKLIST_ANSWERS).nullable(),
  note: z.string().trim().max(2000).optional(),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const planContentSchema = z.strictObject({
  templateId: z.enum(TEMPLATE_IDS).nullable(),
  templateVersion: z.string().trim().min(1).max(40).nullable(),
  title: text(300),
  intent: z.enum(PLAN_INTENTS),
  /** Body surface area (m²) used to convert mg/m² to mg. */
  bsaM2: z.number().min(0.1, 'must be 0.1–3 m²').max(3, 'must be 0.1–3 m²').optional(),
  weightKg: z.number().min(0.5, 'must be 0.5–250 kg').max(250, 'must be 0.5–250 kg').optional(),
  phases: z.array(planPhaseSchema).max(30),
  localControl: z.strictObject({
    selected: z.array(selectedLocalControlSchema).max(12),
    considered: z.array(consideredOptionSchema).max(30),
  }),
  checklist: z.array(checklistItemSchema).max(40),
  trialNctId: z.string().regex(/^NCT\d{8}$/, 'must be a ClinicalTrials.gov ID like NCT01234567').nullable().optional(),
  notes: z.string().trim().max(10000).optional(),
});
export type PlanContent = z.infer<typeof planContentSchema>;

// ---- Validation ----

/** A problem with a field of the plan (or an administration): path as `phases[0].cycles[1].agents[0].doseMgM2`. */
export type PlanIssue = FieldIssue;

export type PlanValidation =
  | { ok: true; content: PlanContent; warnings: PlanIssue[] }
  | { ok: false; errors: PlanIssue[]; warnings: PlanIssue[] };

export interface PlanValidationOptions {
  /** Age of the child, for small-child per-kg dosing (R-AGE-INFANT). */
  readonly ageMonths?: number;
  /** Also report open items (unset doses and counts, unanswered checklist questions) as errors: for sign-off. */
  readonly requireComplete?: boolean;
}

/** Field path of an agent. */
export const agentPath = (p: number, c: number, a: number) => `phases[${p}].cycles[${c}].agents[${a}]`;

function pushFindings(findings: readonly DoseFinding[], base: string, errors: PlanIssue[], warnings: PlanIssue[]): void {
  for (const f of findings) (f.level === 'error' ? errors : warnings).push({ field: `${base}.${f.field}`, message: f.message });
}

/** Reads `path` from an unknown value (zod issue paths into the raw input). */
function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/**
 * Zod issues as field issues. A dose field that is not a number (NaN, a string) gets the dose-limit message,
 * which names the agent and its allowed range, instead of zod's generic one.
 */
export function schemaIssues(input: unknown, issues: ReadonlyArray<z.core.$ZodIssue>): PlanIssue[] {
  const list = validationError(issues.map((i) => ({ ...i, path: i.path as PropertyKey[] }))).issues ?? [];
  return list.map((issue, n) => {
    const path = issues[n]?.path ?? [];
    const last = path[path.length - 1];
    if (typeof last === 'string' && Object.hasOwn(DOSE_FIELDS, last)) {
      const agent = at(input, [...path.slice(0, -1), 'agent']);
      const raw = at(input, path);
      if (typeof agent === 'string' && doseLimit(agent) !== undefined) {
        const finding = checkAgentDose({ agent, [last]: typeof raw === 'number' ? raw : Number.NaN });
        const msg = finding.find((f) => f.level === 'error')?.message;
        if (msg !== undefined) return { field: issue.field, message: `${msg} (got ${typeof raw === 'string' ? JSON.stringify(raw) : String(raw)})` };
      }
    }
    return issue;
  });
}

/** The checks the schema cannot express: unique IDs and flags, dose ranges and units, RT doses, the phase order. */
export function contentIssues(c: PlanContent, opts: PlanValidationOptions = {}): { errors: PlanIssue[]; warnings: PlanIssue[] } {
  const errors: PlanIssue[] = [];
  const warnings: PlanIssue[] = [];
  const ids = new Map<string, string>();
  const unique = (value: string, field: string) => {
    const seen = ids.get(value);
    if (seen !== undefined) errors.push({ field, message: `id "${value}" is already used at ${seen}` });
    else ids.set(value, field);
  };
  const ctx: DoseContext = { bsaM2: c.bsaM2, weightKg: c.weightKg, ageMonths: opts.ageMonths, context: 'plan' };
  c.phases.forEach((phase, p) => {
    unique(phase.id, `phases[${p}].id`);
    phase.cycles.forEach((cycle, ci) => {
      unique(cycle.id, `phases[${p}].cycles[${ci}].id`);
      const seenAgents = new Set<string>();
      cycle.agents.forEach((a, ai) => {
        const base = agentPath(p, ci, ai);
        const key = normalizeAgent(a.agent);
        if (seenAgents.has(key)) errors.push({ field: `${base}.agent`, message: `${a.agent} is listed twice in this cycle: give one entry with its number of administrations` });
        seenAgents.add(key);
        pushFindings(checkAgentDose(a, ctx), base, errors, warnings);
        pushFindings(checkMaxMg(a), base, errors, warnings);
        if (a.doseModification !== undefined && doseFieldsSet(a).length === 0) {
          errors.push({ field: `${base}.doseModification`, message: `${a.agent}: a dose modification needs the dose it modifies` });
        }
      });
    });
  });
  c.localControl.selected.forEach((s, i) => {
    if (s.kind === 'radiation') pushFindings(checkRadiationDose(s.radiation), `localControl.selected[${i}].radiation`, errors, warnings);
  });
  const flags = new Set<string>();
  c.checklist.forEach((item, i) => {
    if (flags.has(item.flag)) errors.push({ field: `checklist[${i}].flag`, message: `${item.flag} already has a question` });
    flags.add(item.flag);
  });
  if (c.intent === 'observation' && c.phases.some((p) => p.cycles.length > 0)) {
    errors.push({ field: 'intent', message: 'an observation plan gives no chemotherapy: change the intent or remove the cycles' });
  }
  if (opts.requireComplete) errors.push(...planOpenItems(c));
  return { errors, warnings };
}

/**
 * Validates a plan document: the schema first (shape, unknown keys), then the content checks (dose units and ranges,
 * RT doses, unique IDs). Errors and warnings name field paths; warnings (e.g. a flat mg dose without BSA, an agent
 * outside the dose table accepted on its note) do not make the plan invalid.
 */
export function validatePlanContent(input: unknown, opts: PlanValidationOptions = {}): PlanValidation {
  const parsed = planContentSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: schemaIssues(input, parsed.error.issues), warnings: [] };
  const { errors, warnings } = contentIssues(parsed.data, opts);
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, content: parsed.data, warnings };
}

/** Parses a plan document or throws the validation AppError (with every issue) that HTTP and the CLI report. */
export function parsePlanContent(input: unknown, opts: PlanValidationOptions = {}): PlanContent {
  const v = validatePlanContent(input, opts);
  if (v.ok) return v.content;
  const first = v.errors[0]!;
  throw new AppError('validation', `${first.field}: ${first.message}`, { issues: v.errors });
}

/**
 * What is still open before sign-off: agents without a dose, cycles without a count, and checklist questions
 * without an answer. Each names its field.
 */
export function planOpenItems(c: PlanContent): PlanIssue[] {
  const out: PlanIssue[] = [];
  c.phases.forEach((phase, p) => {
    phase.cycles.forEach((cycle, ci) => {
      if (cycle.count === null) out.push({ field: `phases[${p}].cycles[${ci}].count`, message: `${phase.name} › ${cycle.regimen}: number of cycles not set` });
      cycle.agents.forEach((a, ai) => {
        if (doseFieldsSet(a).length === 0) {
          out.push({ field: `${agentPath(p, ci, ai)}.doseMgM2`, message: `${phase.name} › ${cycle.regimen} › ${a.agent}: dose not set (give exactly one of ${Object.keys(DOSE_FIELDS).join(', ')})` });
        }
      });
    });
  });
  c.checklist.forEach((item, i) => {
    if (item.answer === null) out.push({ field: `checklist[${i}].answer`, message: `${item.flag}: not answered` });
  });
  return out;
}

/** True when every checklist question has an answer (yes, no or not applicable). */
export function checklistComplete(c: Pick<PlanContent, 'checklist'>): boolean {
  return c.checklist.every((i) => i.answer !== null);
}

// ---- Calendar arithmetic on ISO dates (UTC days) ----

/** `date` plus `days` days. */
export function addDays(date: string, days: number): string {
  return isoDateFromDay(dayFromIsoDate(date) + Math.round(days));
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return dayFromIsoDate(b) - dayFromIsoDate(a);
}

/** `date` plus `months` calendar months; the day is clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  dayFromIsoDate(date);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}-${pad(month + 1)}-${pad(Math.min(d, last))}`;
}

/** Whole months from `a` to `b` (floor; a birthday counts on its day). */
export function monthsBetween(a: string, b: string): number {
  const ya = Number(a.slice(0, 4)); const ma = Number(a.slice(5, 7)); const da = Number(a.slice(8, 10));
  const yb = Number(b.slice(0, 4)); const mb = Number(b.slice(5, 7)); const db = Number(b.slice(8, 10));
  let months = (yb - ya) * 12 + (mb - ma);
  if (db < da && addMonths(a, months) > b) months -= 1;
  return months;
}
