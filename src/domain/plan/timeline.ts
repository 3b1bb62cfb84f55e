import {
  administrationDate, expandPlan, matchChemo, matchLocalControl, type Administration, type AgentComparison, type Deviation,
  type PlannedCycle,
} from './concordance.js';
import { addDays, daysBetween, type PlanContent, type SelectedLocalControl } from './plan.js';

/**
 * The plan against what was given, in date order, for the plan page: planned cycle n at week w (and its date from the
 * plan's start) beside the cycle given on date d with its dose as a percentage of the plan, and the same for local
 * control. Planned dates exist only where the plan schedules its phases (start week and cycle interval); nothing is
 * extrapolated.
 */

export interface TimelineEntry {
  readonly kind: 'chemo' | 'surgery' | 'radiation';
  /** `given`: carried out (or a procedure outside the plan's scope, e.g. a biopsy); `planned`: not given yet; `off_plan`: given but not in the plan. */
  readonly status: 'given' | 'planned' | 'off_plan';
  readonly label: string;
  readonly phaseId: string | null;
  readonly phaseName: string | null;
  readonly cycleId: string | null;
  /** 1-based chemotherapy cycle number over the plan; null for local control and for cycles of a group whose count is not set. */
  readonly cycleNumber: number | null;
  /** Protocol week (1 = the start date's week); null when not scheduled. */
  readonly plannedWeek: number | null;
  readonly plannedDate: string | null;
  readonly givenDate: string | null;
  /** Days between the planned and the given date (positive = later). */
  readonly daysFromPlan: number | null;
  /** The lowest per-agent dose percentage (the most reduced agent), or the RT dose percentage; null when not comparable. */
  readonly dosePercent: number | null;
  readonly agents: readonly AgentComparison[];
  /** Index into the administrations array. */
  readonly administration: number | null;
  readonly deviation: Deviation | null;
}

const week = (offsetDays: number) => Math.round((offsetDays / 7 + 1) * 10) / 10;

function minPercent(agents: readonly AgentComparison[]): number | null {
  const ps = agents.map((a) => a.percent).filter((p): p is number => p !== null);
  return ps.length === 0 ? null : Math.min(...ps);
}

/** Entries of the plan and of the administrations, ordered by date (given, else planned; undated entries keep their place after the previous one). */
export function planTimeline(plan: PlanContent, administrations: readonly Administration[], startDate: string): TimelineEntry[] {
  const expanded = expandPlan(plan);
  const { cycles } = expanded;
  const chemo = matchChemo(plan, administrations, expanded);
  const byCycle = new Map<PlannedCycle, (typeof chemo)[number]>();
  for (const m of chemo) for (const c of m.cycles) byCycle.set(c, m);
  const entries: TimelineEntry[] = [];

  const planned = (offsetDays: number | null) => ({
    plannedWeek: offsetDays === null ? null : week(offsetDays),
    plannedDate: offsetDays === null ? null : addDays(startDate, offsetDays),
  });
  const given = (i: number | null, plannedDate: string | null) => {
    if (i === null) return { givenDate: null, daysFromPlan: null, administration: null, deviation: null };
    const a = administrations[i]!;
    const d = administrationDate(a);
    return { givenDate: d, daysFromPlan: plannedDate === null ? null : daysBetween(plannedDate, d), administration: i, deviation: a.deviation ?? null };
  };

  const lc = matchLocalControl(plan, administrations);
  const lcEntries = (): TimelineEntry[] => {
    const lcPhase = plan.phases.find((p) => p.kind === 'local_control');
    return plan.localControl.selected.flatMap((s: SelectedLocalControl, k): TimelineEntry[] => {
      if (s.kind !== 'surgery' && s.kind !== 'curettage' && s.kind !== 'radiation') return [];
      const w = s.plannedWeek ?? lcPhase?.startWeek ?? null;
      const p = planned(w === null ? null : (w - 1) * 7);
      // A course recorded in parts (a boost on its own): the first date, the cumulative dose percentage.
      const parts = lc.filter((x) => x.selected === k);
      const m = parts[0];
      const what = s.kind === 'radiation'
        ? `Radiation ${s.radiation.field} ${s.radiation.doseGy + (s.radiation.boostGy ?? 0)} Gy`
        : `${s.kind === 'curettage' ? 'Curettage' : 'Surgery'}${'surgeryType' in s && s.surgeryType ? ` (${s.surgeryType.replaceAll('_', ' ')})` : ''}`;
      return [{
        kind: s.kind === 'radiation' ? 'radiation' : 'surgery', status: m ? 'given' : 'planned', label: what,
        phaseId: lcPhase?.id ?? null, phaseName: lcPhase?.name ?? null, cycleId: null, cycleNumber: null, ...p,
        ...given(m?.administration ?? null, p.plannedDate), dosePercent: parts[parts.length - 1]?.percent ?? null, agents: [],
      }];
    });
  };

  let lcPlaced = false;
  plan.phases.forEach((phase, pi) => {
    for (const c of cycles.filter((x) => x.phaseIndex === pi)) {
      const m = byCycle.get(c);
      const names = new Set(c.agents.map((a) => a.agent));
      const agents = m ? m.agents.filter((a) => names.has(a.agent)) : [];
      const p = planned(c.offsetDays);
      entries.push({
        kind: 'chemo', status: m ? 'given' : 'planned', label: `Cycle ${c.number}: ${c.regimen}`,
        phaseId: c.phaseId, phaseName: c.phaseName, cycleId: c.cycleId, cycleNumber: c.number, ...p,
        ...given(m?.administration ?? null, p.plannedDate), dosePercent: m ? minPercent(agents) : null, agents,
      });
    }
    if (!lcPlaced && phase.kind === 'local_control') { entries.push(...lcEntries()); lcPlaced = true; }
  });
  if (!lcPlaced) entries.push(...lcEntries());

  // Given cycles of groups whose count is not set, and what the plan does not contain.
  const groupOf = new Map(plan.phases.flatMap((p) => p.cycles.map((c) => [c.id, { phase: p, cycle: c }] as const)));
  for (const m of chemo) {
    if (m.cycles.length > 0) continue;
    const g = m.openGroup !== null ? groupOf.get(m.openGroup) : undefined;
    entries.push({
      kind: 'chemo', status: g ? 'given' : 'off_plan', label: g ? g.cycle.regimen : 'Chemotherapy outside the plan',
      phaseId: g?.phase.id ?? null, phaseName: g?.phase.name ?? null, cycleId: g?.cycle.id ?? null, cycleNumber: null,
      plannedWeek: null, plannedDate: null, ...given(m.administration, null), dosePercent: g ? minPercent(m.agents) : null, agents: m.agents,
    });
  }
  administrations.forEach((a, i) => {
    if (a.kind === 'chemo') return;
    const m = lc.find((x) => x.administration === i);
    if (m !== undefined && m.selected !== null) return;
    const label = a.kind === 'radiation' ? `Radiation ${a.field} ${a.doseGy + (a.boostGy ?? 0)} Gy` : `Surgery (${a.surgeryType.replaceAll('_', ' ')})`;
    entries.push({
      // Biopsies are outside local control; with no local control selected yet nothing given is off the plan.
      kind: a.kind, status: m === undefined || plan.localControl.selected.length === 0 ? 'given' : 'off_plan', label, phaseId: null, phaseName: null, cycleId: null,
      cycleNumber: null, plannedWeek: null, plannedDate: null, ...given(i, null), dosePercent: null, agents: [],
    });
  });

  // Date order; an undated entry sorts with the entry before it in plan order.
  let carry = '';
  const keyed = entries.map((e, n) => {
    const k = e.givenDate ?? e.plannedDate;
    if (k !== null) carry = k;
    return { e, n, k: k ?? carry };
  });
  keyed.sort((x, y) => (x.k < y.k ? -1 : x.k > y.k ? 1 : x.n - y.n));
  return keyed.map((x) => x.e);
}
