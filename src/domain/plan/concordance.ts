import { z } from 'zod';
import type { Recommendation } from '../conference/types.js';
import { AppError } from '../errors.js';
import { fmt } from './context.js';
import {
  checkAgentDose, checkRadiationDose, formatDose, toMgM2, type DoseFinding,
} from './dose-limits.js';
import { normalizeAgent } from './exposure.js';
import {
  SURGERY_TYPES, daysBetween, isoDateSchema, radiationCourseFields, schemaIssues,
  type PlanAgent, type PlanContent, type PlanIssue, type SelectedLocalControl,
} from './plan.js';

/**
 * What was actually given (administrations) and whether the plan was carried out (concordance, DESIGN.md §2.5 and
 * §2.9 "recommendation concordance"). An administration is one chemotherapy cycle, one operation or one radiation
 * course; doses are checked against the same table as the plan (dose-limits.ts).
 *
 * Concordance compares the administrations with the plan. Its thresholds are platform rules, not rules.md rules,
 * and are kept in CONCORDANCE_THRESHOLDS with their reasons.
 */

export const DEVIATION_REASONS = ['toxicity', 'delay', 'dose_reduction', 'patient_choice', 'progression', 'other'] as const;
export type DeviationReason = (typeof DEVIATION_REASONS)[number];

export const deviationSchema = z.strictObject({
  reason: z.enum(DEVIATION_REASONS),
  note: z.string().trim().min(1, 'must say what happened').max(2000),
});
export type Deviation = z.infer<typeof deviationSchema>;

/** One agent given in a cycle: the dose per administration in mg/m² or in mg (exactly one), and how many administrations. */
export const administeredAgentSchema = z.strictObject({
  agent: z.string().trim().min(1, 'must not be empty').max(60),
  doseMgM2: z.number().optional(),
  doseMg: z.number().optional(),
  /** Administrations in this cycle at that dose (default 1). */
  administrations: z.number().int('must be a whole number').min(1).max(60).optional(),
  note: z.string().trim().max(2000).optional(),
});
export type AdministeredAgent = z.infer<typeof administeredAgentSchema>;

const note = z.string().trim().max(2000).optional();

export const chemoAdministrationSchema = z.strictObject({
  kind: z.literal('chemo'),
  date: isoDateSchema,
  /** The plan phase and cycle (`PlanCycle.id`) this cycle belongs to; matched by agents when absent. */
  phaseId: z.string().max(64).optional(),
  cycleId: z.string().max(64).optional(),
  agents: z.array(administeredAgentSchema).min(1, 'must list at least one agent').max(20),
  /** BSA used for this cycle (m²): converts flat mg doses. */
  bsaM2: z.number().min(0.1, 'must be 0.1–3 m²').max(3, 'must be 0.1–3 m²').optional(),
  deviation: deviationSchema.optional(),
  note,
});

export const surgeryAdministrationSchema = z.strictObject({
  kind: z.literal('surgery'),
  date: isoDateSchema,
  surgeryType: z.enum(SURGERY_TYPES),
  procedure: z.string().trim().max(300).optional(),
  /** Resection margin; required except for biopsies and node procedures. */
  margin: z.enum(['R0', 'R1', 'R2']).optional(),
  deviation: deviationSchema.optional(),
  note,
});

export const radiationAdministrationSchema = z.strictObject({
  kind: z.literal('radiation'),
  startDate: isoDateSchema,
  endDate: isoDateSchema.optional(),
  /** Delivered dose excluding any boost (Gy); the total is doseGy + boostGy, as in the plan. */
  ...radiationCourseFields,
  deviation: deviationSchema.optional(),
  note,
});

export const administrationSchema = z.discriminatedUnion('kind', [
  chemoAdministrationSchema, surgeryAdministrationSchema, radiationAdministrationSchema,
]);
export type Administration = z.infer<typeof administrationSchema>;
export type ChemoAdministration = z.infer<typeof chemoAdministrationSchema>;
export type SurgeryAdministration = z.infer<typeof surgeryAdministrationSchema>;
export type RadiationAdministration = z.infer<typeof radiationAdministrationSchema>;

/** Surgery types that are diagnostic or staging procedures: no margin, and not local control. */
export const NON_RESECTION_SURGERY = ['biopsy', 'sentinel_node_biopsy', 'rplnd'] as const;
const isResection = (t: string) => !(NON_RESECTION_SURGERY as readonly string[]).includes(t);

/** The date an administration happened (start date for radiation). */
export function administrationDate(a: Administration): string {
  return a.kind === 'radiation' ? a.startDate : a.date;
}

export type AdministrationValidation =
  | { ok: true; administration: Administration; warnings: PlanIssue[] }
  | { ok: false; errors: PlanIssue[]; warnings: PlanIssue[] };

function push(findings: readonly DoseFinding[], base: string, errors: PlanIssue[], warnings: PlanIssue[]): void {
  for (const f of findings) (f.level === 'error' ? errors : warnings).push({ field: `${base}${base ? '.' : ''}${f.field}`, message: f.message });
}

/**
 * Validates one administration: the schema (strict, field paths), then the dose table as for a plan (dose-limits.ts);
 * a zero dose (withheld) or zero RT dose is accepted only with a deviation saying why. A resection needs its margin;
 * a radiation course cannot end before it starts.
 */
export function validateAdministration(input: unknown, opts: { ageMonths?: number } = {}): AdministrationValidation {
  const parsed = administrationSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: schemaIssues(input, parsed.error.issues), warnings: [] };
  const a = parsed.data;
  const errors: PlanIssue[] = [];
  const warnings: PlanIssue[] = [];
  const zeroAllowed = a.deviation !== undefined;
  if (a.kind === 'chemo') {
    const seen = new Set<string>();
    a.agents.forEach((g, i) => {
      const key = normalizeAgent(g.agent);
      if (seen.has(key)) errors.push({ field: `agents[${i}].agent`, message: `${g.agent} is listed twice: give one entry with its number of administrations` });
      seen.add(key);
      push(checkAgentDose(g, { bsaM2: a.bsaM2, ageMonths: opts.ageMonths, zeroAllowed, context: 'administration' }), `agents[${i}]`, errors, warnings);
      if (g.doseMgM2 === undefined && g.doseMg === undefined) errors.push({ field: `agents[${i}].doseMgM2`, message: `${g.agent}: give the dose given, in doseMgM2 or doseMg` });
    });
  } else if (a.kind === 'surgery') {
    if (isResection(a.surgeryType) && a.margin === undefined) errors.push({ field: 'margin', message: `a ${a.surgeryType.replaceAll('_', ' ')} needs its margin (R0, R1 or R2)` });
  } else {
    push(checkRadiationDose(a, { zeroAllowed, context: 'administration' }), '', errors, warnings);
    if (a.endDate !== undefined && a.endDate < a.startDate) errors.push({ field: 'endDate', message: 'must not be before startDate' });
  }
  return errors.length > 0 ? { ok: false, errors, warnings } : { ok: true, administration: a, warnings };
}

/** Parses an administration or throws the validation AppError with every issue. */
export function parseAdministration(input: unknown, opts: { ageMonths?: number } = {}): Administration {
  const v = validateAdministration(input, opts);
  if (v.ok) return v.administration;
  const first = v.errors[0]!;
  throw new AppError('validation', `${first.field}: ${first.message}`, { issues: v.errors });
}

// ---- The plan as a sequence of cycles ----

/** One planned cycle (one occurrence of a cycle group), in the order the plan gives them. */
export interface PlannedCycle {
  /** 1-based chemotherapy cycle number over the whole plan. */
  readonly number: number;
  readonly phaseIndex: number;
  readonly phaseId: string;
  readonly phaseName: string;
  readonly cycleIndex: number;
  readonly cycleId: string;
  readonly regimen: string;
  /** 1-based occurrence within its cycle group. */
  readonly occurrence: number;
  readonly agents: readonly PlanAgent[];
  /** Days from the plan's start (week 1, day 1) to this cycle's planned start; null when the phase is not scheduled. */
  readonly offsetDays: number | null;
}

/**
 * The plan's cycles in order: each phase's groups in turn (`sequential`), or the last group alternating with the
 * others in listed order (`alternating`: VDC, IE, VDC, IE…). Planned start = (startWeek − 1) × 7 + k × interval
 * days, known only when the phase has both. Groups whose count is not set contribute no cycle (`openGroups`).
 */
export function expandPlan(plan: PlanContent): { cycles: PlannedCycle[]; openGroups: ReadonlySet<string> } {
  const cycles: PlannedCycle[] = [];
  const openGroups = new Set<string>();
  let number = 0;
  plan.phases.forEach((phase, phaseIndex) => {
    type Slot = { cycleIndex: number; occurrence: number };
    const streams: Slot[][] = phase.cycles.map((c, cycleIndex) => {
      if (c.count === null) openGroups.add(c.id);
      return Array.from({ length: c.count ?? 0 }, (_, k) => ({ cycleIndex, occurrence: k + 1 }));
    });
    let order: Slot[];
    if (phase.order === 'alternating' && streams.length > 1) {
      const a = streams.slice(0, -1).flat();
      const b = streams[streams.length - 1]!;
      order = [];
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (i < a.length) order.push(a[i]!);
        if (i < b.length) order.push(b[i]!);
      }
    } else {
      order = streams.flat();
    }
    const start = phase.startWeek ?? null;
    const interval = phase.cycleIntervalDays ?? null;
    order.forEach((slot, k) => {
      const c = phase.cycles[slot.cycleIndex]!;
      number++;
      const offsetDays = start === null ? null : k === 0 ? (start - 1) * 7 : interval === null ? null : (start - 1) * 7 + k * interval;
      cycles.push({
        number, phaseIndex, phaseId: phase.id, phaseName: phase.name, cycleIndex: slot.cycleIndex, cycleId: c.id,
        regimen: c.regimen, occurrence: slot.occurrence, agents: c.agents, offsetDays,
      });
    });
  });
  return { cycles, openGroups };
}

// ---- Matching administrations to planned cycles ----

/** How one given agent compares with the plan. */
export interface AgentComparison {
  readonly agent: string;
  readonly planned: string;
  readonly given: string | null;
  /** Given per cycle ÷ planned per cycle (dose × administrations), in %; null when not comparable. */
  readonly percent: number | null;
  readonly why?: string;
}

/** A chemotherapy administration and the planned cycle(s) it carries out. */
export interface ChemoMatch {
  /** Index into the administrations array as given. */
  readonly administration: number;
  /** Planned cycles it carries out: usually one; two when cycles of one phase are given together (NRSTS doxorubicin with ifosfamide). */
  readonly cycles: readonly PlannedCycle[];
  /** Extra occurrences of a group whose count is not set are matched to a group, not a numbered cycle. */
  readonly openGroup: string | null;
  readonly agents: readonly AgentComparison[];
  /** Given agents the matched cycles do not plan. */
  readonly extraAgents: readonly string[];
  /** Extra agents that appear nowhere in the plan. */
  readonly offPlanAgents: readonly string[];
  /** Why nothing in the plan matched (then `cycles` is empty). */
  readonly unmatched?: string;
}

/** Platform thresholds for concordance (not rules.md rules): each with why it is what it is. */
export const CONCORDANCE_THRESHOLDS = {
  /** A dose within ±10% of the plan is as planned: BSA rounding and vial sizes move doses by a few per cent. */
  doseTolerancePercent: 10,
  /** A cycle starting up to 7 days later than the planned interval is on time: count recovery days are normal. */
  delayToleranceDays: 7,
  /** A radiation course within ±5% of the planned total dose is as planned. */
  radiationTolerancePercent: 5,
  /** With `asOf` and a start date, nothing given 28 days after the planned start is "not followed", not "too early". */
  nothingGivenGraceDays: 28,
} as const;

const round1 = (n: number) => Math.round(n * 10) / 10;

function compareAgent(planned: PlanAgent, given: AdministeredAgent | undefined, plan: PlanContent, bsaM2: number | undefined): AgentComparison {
  const body = { bsaM2: bsaM2 ?? plan.bsaM2, weightKg: plan.weightKg };
  const plannedText = `${formatDose(planned)}${planned.administrations > 1 ? ` × ${planned.administrations}` : ''}`;
  if (given === undefined) return { agent: planned.agent, planned: plannedText, given: null, percent: 0, why: 'not given' };
  const givenAdmins = given.administrations ?? 1;
  const givenText = `${formatDose(given)}${givenAdmins > 1 ? ` × ${givenAdmins}` : ''}`;
  // Same unit without conversion: flat mg against flat mg, mg/m² against mg/m² without a cap in play.
  let p: number | null = null;
  let g: number | null = null;
  let why: string | undefined;
  if (planned.doseMg !== undefined && given.doseMg !== undefined) {
    p = planned.doseMg; g = given.doseMg;
  } else {
    const pm = toMgM2(planned, body);
    const gm = toMgM2(given, body);
    // A capped agent given at its cap is as planned: compare in mg when the cap is the binding limit.
    if (planned.maxMg !== undefined && given.doseMg !== undefined && pm.mgM2 !== null && body.bsaM2 !== undefined) {
      p = Math.min(pm.mgM2 * body.bsaM2, planned.maxMg); g = given.doseMg;
    } else if (pm.mgM2 !== null && gm.mgM2 !== null && !pm.upperBound) {
      p = pm.mgM2; g = gm.mgM2;
    } else if (pm.upperBound && given.doseMgM2 !== undefined && planned.doseMgM2 !== undefined) {
      p = planned.doseMgM2; g = given.doseMgM2;
    } else {
      why = pm.unknown ?? gm.unknown ?? 'units cannot be compared without the BSA';
    }
  }
  if (p === null || g === null || p <= 0) return { agent: planned.agent, planned: plannedText, given: givenText, percent: null, why: why ?? 'not comparable' };
  return { agent: planned.agent, planned: plannedText, given: givenText, percent: round1(((g * givenAdmins) / (p * planned.administrations)) * 100) };
}

const agentKey = (a: { agent: string }) => normalizeAgent(a.agent);

/**
 * Matches chemotherapy administrations (in date order) to planned cycles: by `cycleId` when given (the group's next
 * occurrence), otherwise to the first unmatched cycle whose agents match best (same set first, then the largest
 * overlap; within `phaseId` when given). Given agents the cycle does not plan are matched to another unmatched cycle
 * of the same phase that plans only them (cycles given together), else reported as extra.
 */
export function matchChemo(
  plan: PlanContent, administrations: readonly Administration[], expanded: ReturnType<typeof expandPlan> = expandPlan(plan),
): ChemoMatch[] {
  const { cycles, openGroups } = expanded;
  const used = new Set<PlannedCycle>();
  const planAgents = new Set(plan.phases.flatMap((p) => p.cycles.flatMap((c) => c.agents.map(agentKey))));
  const groups = new Map(plan.phases.flatMap((p, pi) => p.cycles.map((c) => [c.id, { phase: p, phaseIndex: pi, cycle: c }] as const)));
  const chemo = administrations
    .map((a, i) => ({ a, i }))
    .filter((x): x is { a: ChemoAdministration; i: number } => x.a.kind === 'chemo')
    .sort((x, y) => (x.a.date < y.a.date ? -1 : x.a.date > y.a.date ? 1 : x.i - y.i));
  const out: ChemoMatch[] = [];
  for (const { a, i } of chemo) {
    const given = new Map(a.agents.map((g) => [agentKey(g), g]));
    const keys = [...given.keys()];
    let primary: PlannedCycle | undefined;
    let openGroup: string | null = null;
    let unmatched: string | undefined;
    const overlap = (c: { agents: readonly PlanAgent[] }) => c.agents.filter((p) => given.has(agentKey(p))).length;
    if (a.cycleId !== undefined) {
      const group = groups.get(a.cycleId);
      if (group === undefined) unmatched = `cycle "${a.cycleId}" is not in the plan`;
      else {
        primary = cycles.find((c) => c.cycleId === a.cycleId && !used.has(c));
        if (primary === undefined) {
          if (openGroups.has(a.cycleId)) openGroup = a.cycleId;
          else unmatched = `more ${group.cycle.regimen} cycles than the ${group.cycle.count} planned`;
        }
      }
    } else {
      // The earliest phase with an unmatched cycle (or open group) sharing an agent is the current one; within it the
      // same agents win, then the closest agent set (shared minus missing minus extra), then the earlier cycle. An open
      // group (count not set) competes with its agents and takes any number of cycles.
      const score = (c: { agents: readonly PlanAgent[] }) => {
        const o = overlap(c);
        if (o === 0) return null;
        return o === c.agents.length && o === keys.length ? 1000 : o - (c.agents.length - o) - (keys.length - o);
      };
      for (const phase of plan.phases) {
        if (a.phaseId !== undefined && phase.id !== a.phaseId) continue;
        let best: PlannedCycle | undefined;
        let bestScore: number | null = null;
        for (const c of cycles) {
          if (c.phaseId !== phase.id || used.has(c)) continue;
          const sc = score(c);
          if (sc !== null && (bestScore === null || sc > bestScore)) { best = c; bestScore = sc; }
        }
        for (const c of phase.cycles) {
          if (!openGroups.has(c.id)) continue;
          const sc = score(c);
          if (sc !== null && (bestScore === null || sc > bestScore)) { best = undefined; openGroup = c.id; bestScore = sc; }
        }
        if (best !== undefined) { primary = best; openGroup = null; }
        if (bestScore !== null) break;
      }
      if (primary === undefined && openGroup === null) unmatched = 'no planned cycle gives these agents';
    }
    const matched: PlannedCycle[] = [];
    const planned: PlanAgent[] = [];
    if (primary !== undefined) {
      matched.push(primary); used.add(primary); planned.push(...primary.agents);
      // Cycles of the same phase given together (e.g. doxorubicin with 5 of the 6 ifosfamide cycles).
      let rest = keys.filter((k) => !primary!.agents.some((p) => agentKey(p) === k));
      while (rest.length > 0) {
        const together = cycles.find((c) => !used.has(c) && c.phaseId === primary!.phaseId && c.agents.length > 0
          && c.agents.every((p) => rest.includes(agentKey(p))));
        if (together === undefined) break;
        matched.push(together); used.add(together); planned.push(...together.agents);
        rest = rest.filter((k) => !together.agents.some((p) => agentKey(p) === k));
      }
    } else if (openGroup !== null) {
      planned.push(...groups.get(openGroup)!.cycle.agents);
    }
    const plannedKeys = new Set(planned.map(agentKey));
    const extra = a.agents.filter((g) => !plannedKeys.has(agentKey(g))).map((g) => g.agent);
    out.push({
      administration: i,
      cycles: matched,
      openGroup,
      agents: planned.map((p) => compareAgent(p, given.get(agentKey(p)), plan, a.bsaM2)),
      extraAgents: extra,
      offPlanAgents: extra.filter((x) => !planAgents.has(normalizeAgent(x))),
      ...(unmatched !== undefined ? { unmatched } : {}),
    });
  }
  return out;
}

// ---- Local control ----

/** A given operation or radiation course and the selected local control it carries out (index into `selected`). */
export interface LocalControlMatch {
  readonly administration: number;
  readonly selected: number | null;
  /** RT given so far to this selected course (this and earlier records) ÷ its planned total, in %. */
  readonly percent: number | null;
  /** A later record continues the same course (e.g. the boost recorded separately): its dose is not final yet. */
  readonly continued: boolean;
  readonly why?: string;
}

const rtTotal = (r: { doseGy: number; boostGy?: number | undefined }) => r.doseGy + (r.boostGy ?? 0);

/**
 * Matches surgery to a selected surgery/curettage (same type first) and radiation to a selected course (same field
 * first). A second radiation record to the field of a course already matched continues that course (a boost recorded
 * on its own), and the dose percentage is cumulative.
 */
export function matchLocalControl(plan: PlanContent, administrations: readonly Administration[]): LocalControlMatch[] {
  const sel = plan.localControl.selected;
  const used = new Set<number>();
  const out: Array<LocalControlMatch & { gy?: number }> = [];
  const order = administrations.map((a, i) => ({ a, i }))
    .sort((x, y) => (administrationDate(x.a) < administrationDate(y.a) ? -1 : administrationDate(x.a) > administrationDate(y.a) ? 1 : x.i - y.i));
  for (const { a, i } of order) {
    if (a.kind === 'surgery') {
      if (!isResection(a.surgeryType)) continue;
      const isSurg = (s: SelectedLocalControl) => s.kind === 'surgery' || s.kind === 'curettage';
      const pick = sel.findIndex((s, k) => !used.has(k) && isSurg(s) && 'surgeryType' in s && s.surgeryType === a.surgeryType);
      const k = pick >= 0 ? pick : sel.findIndex((s, j) => !used.has(j) && isSurg(s));
      if (k >= 0) used.add(k);
      out.push({ administration: i, selected: k >= 0 ? k : null, percent: null, continued: false });
    } else if (a.kind === 'radiation') {
      const isRt = (s: SelectedLocalControl): s is Extract<SelectedLocalControl, { kind: 'radiation' }> => s.kind === 'radiation';
      let k = sel.findIndex((s, j) => !used.has(j) && isRt(s) && s.radiation.field === a.field);
      if (k < 0) k = sel.findIndex((s, j) => !used.has(j) && isRt(s));
      if (k < 0) k = sel.findIndex((s, j) => used.has(j) && isRt(s) && s.radiation.field === a.field);
      const s = k >= 0 ? sel[k] : undefined;
      let percent: number | null = null;
      if (s?.kind === 'radiation') {
        used.add(k);
        const before = out.filter((m) => m.selected === k);
        for (const m of before) (m as { continued: boolean }).continued = true;
        const planned = rtTotal(s.radiation);
        const sofar = before.reduce((sum, m) => sum + (m.gy ?? 0), 0) + rtTotal(a);
        percent = planned > 0 ? round1((sofar / planned) * 100) : null;
      }
      out.push({
        administration: i, selected: s ? k : null, percent, continued: false, gy: rtTotal(a),
        ...(s?.kind === 'radiation' && s.radiation.field !== a.field ? { why: `given to ${a.field}, planned to ${s.radiation.field}` } : {}),
      });
    }
  }
  return out.map(({ gy: _gy, ...m }) => m);
}

// ---- Concordance ----

export const CONCORDANCE_STATUSES = ['concordant', 'deviation', 'not_followed', 'too_early'] as const;
export type ConcordanceStatus = (typeof CONCORDANCE_STATUSES)[number];

/** One finding: a deviation, a departure from the plan (not followed), or information that does not change the status. */
export interface ConcordanceReason {
  readonly kind: 'deviation' | 'not_followed' | 'info';
  readonly code:
    | 'dose' | 'omitted_agent' | 'extra_agent' | 'off_plan_agent' | 'extra_cycle' | 'missed_cycle' | 'delay'
    | 'recorded' | 'surgery_type' | 'off_plan_surgery' | 'radiation_dose' | 'radiation_field' | 'off_plan_radiation'
    | 'observation_treated' | 'nothing_given' | 'local_control_undecided' | 'trial';
  readonly text: string;
  /** Index of the administration concerned. */
  readonly administration?: number;
  /** The recorded deviation reason, when one was recorded on that administration. */
  readonly reason?: DeviationReason;
}

export interface ConcordanceResult {
  readonly status: ConcordanceStatus;
  readonly reasons: readonly ConcordanceReason[];
  /** Recorded deviations by reason, plus `unrecorded`: administrations that deviate without a recorded reason. */
  readonly deviationsByReason: Readonly<Record<DeviationReason | 'unrecorded', number>>;
  readonly progress: { readonly plannedCycles: number | null; readonly matchedCycles: number; readonly chemoGiven: number };
}

export interface ConcordanceOptions {
  /** The plan's start date and today: with both, nothing given well after the start is "not followed". */
  readonly startDate?: string;
  readonly asOf?: string;
}

const NCT = /NCT\d{8}/;

/**
 * Was the plan carried out? (DESIGN.md §2.5, §2.9; thresholds in CONCORDANCE_THRESHOLDS, platform rules.)
 * - `too_early`: no therapy given yet (biopsies and node procedures do not count).
 * - `not_followed`: therapy the plan does not contain (an agent, an operation or a radiation course outside the
 *   plan, or any therapy under an observation plan) without a recorded deviation explaining it; or, with
 *   `startDate` and `asOf`, nothing given 28 days after the planned start.
 * - `deviation`: everything given is in the plan, but a dose is outside ±10%, an agent was omitted, a cycle was
 *   delayed more than 7 days over its planned interval, a cycle was missed or added, the radiation dose or field
 *   differs, or a deviation was recorded (an off-plan therapy with a recorded reason is also a deviation).
 * - `concordant`: otherwise (so far: cycles still to come are not deviations).
 * The recommendation, when given, is compared for its trial only (information; free text is not interpreted).
 */
export function concordance(
  plan: PlanContent, administrations: readonly Administration[], recommendation?: Pick<Recommendation, 'trialToOffer'> | null,
  opts: ConcordanceOptions = {},
): ConcordanceResult {
  const T = CONCORDANCE_THRESHOLDS;
  const reasons: ConcordanceReason[] = [];
  const deviates = new Set<number>();
  const add = (r: ConcordanceReason) => {
    const a = r.administration === undefined ? undefined : administrations[r.administration];
    const recorded = a?.deviation;
    // A recorded reason turns an off-plan therapy into an explained deviation.
    const kind = r.kind === 'not_followed' && recorded !== undefined ? 'deviation' : r.kind;
    reasons.push({ ...r, kind, ...(recorded !== undefined ? { reason: recorded.reason } : {}) });
    if (kind !== 'info' && r.administration !== undefined) deviates.add(r.administration);
  };
  const label = (i: number) => {
    const a = administrations[i]!;
    return `${a.kind === 'chemo' ? 'cycle' : a.kind} of ${administrationDate(a)}`;
  };

  const treatment = administrations.map((a, i) => ({ a, i })).filter(({ a }) => a.kind !== 'surgery' || isResection(a.surgeryType));
  if (plan.intent === 'observation') {
    for (const { a, i } of treatment) add({ kind: 'not_followed', code: 'observation_treated', text: `${label(i)}: ${a.kind} given under an observation plan`, administration: i });
  }

  const expanded = expandPlan(plan);
  const { cycles } = expanded;
  const matches = matchChemo(plan, administrations, expanded);
  const hasOpen = plan.phases.some((p) => p.cycles.some((c) => c.count === null));
  if (plan.intent !== 'observation') {
    for (const m of matches) {
      const i = m.administration;
      if (m.unmatched !== undefined) {
        const code = m.unmatched.startsWith('more ') ? 'extra_cycle' : 'off_plan_agent';
        add({ kind: code === 'extra_cycle' ? 'deviation' : 'not_followed', code, text: `${label(i)}: ${m.unmatched}`, administration: i });
        continue;
      }
      for (const x of m.offPlanAgents) add({ kind: 'not_followed', code: 'off_plan_agent', text: `${label(i)}: ${x} is not in the plan`, administration: i });
      for (const x of m.extraAgents.filter((e) => !m.offPlanAgents.includes(e))) {
        add({ kind: 'deviation', code: 'extra_agent', text: `${label(i)}: ${x} given, not planned in this cycle`, administration: i });
      }
      for (const c of m.agents) {
        if (c.given === null) add({ kind: 'deviation', code: 'omitted_agent', text: `${label(i)}: ${c.agent} planned (${c.planned}) but not given`, administration: i });
        else if (c.percent !== null && Math.abs(c.percent - 100) > T.doseTolerancePercent) {
          add({ kind: 'deviation', code: 'dose', text: `${label(i)}: ${c.agent} ${c.given} is ${fmt(c.percent)}% of the planned ${c.planned}`, administration: i });
        }
      }
    }
    // Delays: the gap between consecutive given cycles against their planned interval.
    const timed = matches.filter((m) => m.cycles[0]?.offsetDays !== null && m.cycles[0] !== undefined);
    for (let k = 1; k < timed.length; k++) {
      const prev = timed[k - 1]!; const cur = timed[k]!;
      const planned = cur.cycles[0]!.offsetDays! - prev.cycles[0]!.offsetDays!;
      if (planned <= 0) continue;
      const a = administrations[cur.administration] as ChemoAdministration;
      const b = administrations[prev.administration] as ChemoAdministration;
      const late = daysBetween(b.date, a.date) - planned;
      if (late > T.delayToleranceDays) {
        add({ kind: 'deviation', code: 'delay', text: `${label(cur.administration)}: started ${late} days later than the planned ${planned}-day interval`, administration: cur.administration });
      }
    }
    // Missed cycles: unmatched planned cycles before the last matched one.
    const given = new Set(matches.flatMap((m) => m.cycles.map((c) => c.number)));
    const lastMatched = Math.max(0, ...given);
    for (const c of cycles) {
      if (c.number < lastMatched && !given.has(c.number)) {
        add({ kind: 'deviation', code: 'missed_cycle', text: `cycle ${c.number} (${c.phaseName} › ${c.regimen}) not recorded although later cycles were given` });
      }
    }

    const lc = matchLocalControl(plan, administrations);
    const decided = plan.localControl.selected.length > 0;
    for (const m of lc) {
      const a = administrations[m.administration]!;
      const i = m.administration;
      if (m.selected === null) {
        const kindWord = a.kind === 'surgery' ? 'surgery' : 'radiation';
        if (!decided) {
          add({ kind: 'info', code: 'local_control_undecided', text: `${label(i)}: given while the plan has not selected local control yet`, administration: i });
        } else {
          add({ kind: 'not_followed', code: a.kind === 'surgery' ? 'off_plan_surgery' : 'off_plan_radiation', text: `${label(i)}: ${kindWord} is not in the selected local control`, administration: i });
        }
        continue;
      }
      const s = plan.localControl.selected[m.selected]!;
      if (a.kind === 'surgery' && 'surgeryType' in s && s.surgeryType !== undefined && s.surgeryType !== a.surgeryType) {
        add({ kind: 'deviation', code: 'surgery_type', text: `${label(i)}: ${a.surgeryType.replaceAll('_', ' ')} instead of the planned ${s.surgeryType.replaceAll('_', ' ')}`, administration: i });
      }
      if (a.kind === 'radiation') {
        if (m.why !== undefined) add({ kind: 'deviation', code: 'radiation_field', text: `${label(i)}: ${m.why}`, administration: i });
        if (!m.continued && m.percent !== null && Math.abs(m.percent - 100) > T.radiationTolerancePercent) {
          add({ kind: 'deviation', code: 'radiation_dose', text: `${label(i)}: ${m.percent}% of the planned ${fmt(rtTotal((s as Extract<SelectedLocalControl, { kind: 'radiation' }>).radiation))} Gy given`, administration: i });
        }
      }
    }
  }

  administrations.forEach((a, i) => {
    if (a.deviation !== undefined && !deviates.has(i)) add({ kind: 'deviation', code: 'recorded', text: `${label(i)}: ${a.deviation.reason.replaceAll('_', ' ')}: ${a.deviation.note}`, administration: i });
  });

  const nct = recommendation?.trialToOffer?.match(NCT)?.[0];
  if (nct !== undefined && plan.trialNctId !== nct) {
    reasons.push({ kind: 'info', code: 'trial', text: `the conference recommended offering ${nct}; the plan ${plan.trialNctId ? `follows ${plan.trialNctId}` : 'names no trial'}` });
  }

  const byReason = Object.fromEntries([...DEVIATION_REASONS, 'unrecorded'].map((r) => [r, 0])) as Record<DeviationReason | 'unrecorded', number>;
  administrations.forEach((a, i) => {
    if (a.deviation !== undefined) byReason[a.deviation.reason]++;
    else if (deviates.has(i)) byReason.unrecorded++;
  });

  // Does the plan give therapy still to come? Cycles, selected active local control, or (nothing selected yet) active
  // options in a plan that is not an observation plan (T-NRSTS-A: observation after a resection already done).
  const active = (kind: string) => kind !== 'none' && kind !== 'observation';
  const activePlan = plan.intent !== 'observation' && (
    plan.phases.some((p) => p.cycles.length > 0)
    || plan.localControl.selected.some((s) => active(s.kind))
    || (plan.localControl.selected.length === 0 && !plan.phases.some((p) => p.kind === 'observation')
      && plan.localControl.considered.some((o) => active(o.kind))));
  if (treatment.length === 0 && activePlan) {
    const { startDate, asOf } = opts;
    if (startDate !== undefined && asOf !== undefined && daysBetween(startDate, asOf) > T.nothingGivenGraceDays) {
      reasons.push({ kind: 'not_followed', code: 'nothing_given', text: `no therapy recorded ${daysBetween(startDate, asOf)} days after the planned start (${startDate})` });
    }
  }

  let status: ConcordanceStatus;
  if (reasons.some((r) => r.kind === 'not_followed')) status = 'not_followed';
  else if (treatment.length === 0 && activePlan) status = 'too_early';
  else if (reasons.some((r) => r.kind === 'deviation')) status = 'deviation';
  else status = 'concordant';

  return {
    status,
    reasons,
    deviationsByReason: byReason,
    progress: {
      plannedCycles: hasOpen ? null : cycles.length,
      matchedCycles: matches.reduce((n, m) => n + m.cycles.length + (m.openGroup !== null ? 1 : 0), 0),
      chemoGiven: matches.length,
    },
  };
}
