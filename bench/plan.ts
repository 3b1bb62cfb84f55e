import { performance } from 'node:perf_hooks';
import type { Assessment } from '../src/domain/facts/assessment.js';
import type { CaseFacts } from '../src/domain/facts/case-facts.js';
import { buildPlanFromTemplate } from '../src/domain/plan/builder.js';
import { concordance, validateAdministration, type Administration } from '../src/domain/plan/concordance.js';
import { NO_STAGING } from '../src/domain/plan/context.js';
import { planExposure, receivedExposure } from '../src/domain/plan/plan-exposure.js';
import { addDays, validatePlanContent, type PlanContent } from '../src/domain/plan/plan.js';
import { survivorshipPlan } from '../src/domain/plan/survivorship-schedule.js';
import { planTimeline } from '../src/domain/plan/timeline.js';
import { contentHash } from '../src/domain/plan/versions.js';

/**
 * Treatment-plan figure (issue "Treatment plan, sign-off and survivorship"): recomputing the exposure of a 40-cycle
 * plan and the survivorship plan from its 40 given cycles (plus surgery and radiation) must take < 5 ms.
 * One "recompute" = planExposure(plan) + receivedExposure(administrations) + survivorshipPlan(received). Timed
 * separately, for the plan page: validation, content hash, concordance and timeline. Median and p95 over `runs` runs
 * after a warm-up, one core, no I/O.
 */

const FACTS: CaseFacts = {
  ageMonths: 150, sex: 'female', pubertalStatus: 'pubertal', morphology: '9260/3', topography: 'C41.4', siteCategory: 'bone_pelvis',
};

/** A 40-cycle plan: T-EWS-ICC with its induction and consolidation stretched to 20 cycles each. */
export function fortyCyclePlan(): PlanContent {
  const p = buildPlanFromTemplate('T-EWS-ICC', { facts: FACTS, assessment: { ...NO_STAGING, radiation: null } as unknown as Assessment, bsaM2: 1.3, weightKg: 40 });
  const [induction, , consolidation] = p.phases;
  induction!.cycles[0]!.count = 10; induction!.cycles[1]!.count = 10;
  consolidation!.startWeek = 24;
  consolidation!.cycles[0]!.count = 5; consolidation!.cycles[1]!.count = 5; consolidation!.cycles[2]!.count = 10;
  p.localControl.selected = [
    { kind: 'surgery', surgeryType: 'resection' },
    { kind: 'radiation', radiation: { field: 'pelvis', doseGy: 45, boostGy: 5.4, fractions: 28, gonadsInField: true } },
  ];
  return p;
}

/** The 40 cycles as given (every 14 days, a few reduced), the operation and the radiation course. */
export function fortyAdministrations(p: PlanContent, start = '2026-01-05'): Administration[] {
  const out: Administration[] = [];
  let day = 0;
  for (const phase of p.phases) {
    const groups = phase.cycles.map((c) => ({ c, left: c.count ?? 0 }));
    // Alternating: the last group alternates with the others, as the plan orders them.
    const first = groups.slice(0, -1);
    const last = groups[groups.length - 1];
    while (groups.some((g) => g.left > 0)) {
      for (const g of [first.find((x) => x.left > 0), last].filter((x): x is NonNullable<typeof x> => x !== undefined && x.left > 0)) {
        g.left--;
        const reduced = out.length % 7 === 3;
        out.push({
          kind: 'chemo', date: addDays(start, day), cycleId: g.c.id, bsaM2: 1.3,
          agents: g.c.agents.map((a) => ({ agent: a.agent, doseMgM2: (a.doseMgM2 ?? 1) * (reduced ? 0.8 : 1), administrations: a.administrations })),
          ...(reduced ? { deviation: { reason: 'toxicity' as const, note: 'febrile neutropenia' } } : {}),
        });
        day += 14;
      }
    }
    if (phase.kind === 'local_control') {
      out.push({ kind: 'surgery', date: addDays(start, day), surgeryType: 'resection', margin: 'R1' });
      out.push({ kind: 'radiation', startDate: addDays(start, day + 21), endDate: addDays(start, day + 60), field: 'pelvis', doseGy: 45, boostGy: 5.4, fractions: 28, gonadsInField: true });
      day += 28;
    }
  }
  return out;
}

function stats(samples: number[]): { medianMs: number; p95Ms: number; maxMs: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { medianMs: +at(0.5).toFixed(3), p95Ms: +at(0.95).toFixed(3), maxMs: +(s[s.length - 1] ?? 0).toFixed(3) };
}

function time(runs: number, fn: () => unknown): ReturnType<typeof stats> {
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

export async function benchPlan(runs = 2_000): Promise<Record<string, unknown>> {
  const plan = fortyCyclePlan();
  const given = fortyAdministrations(plan);
  const v = validatePlanContent(plan);
  if (!v.ok) throw new Error(`bench plan is invalid: ${JSON.stringify(v.errors)}`);
  for (const a of given) if (!validateAdministration(a).ok) throw new Error(`bench administration is invalid: ${JSON.stringify(a)}`);
  const chemo = given.filter((a) => a.kind === 'chemo').length;

  let sink = 0;
  const recompute = () => {
    const planned = planExposure(plan, FACTS);
    const received = receivedExposure(given, FACTS);
    const s = survivorshipPlan(FACTS, received, { endOfTherapyDate: received.period.last!, birthDate: '2013-11-01', asOf: '2029-01-01' });
    sink += (planned.cedMgM2.value ?? 0) + (s.value?.items.length ?? 0);
  };
  const result = {
    runs,
    plannedCycles: plan.phases.reduce((n, p) => n + p.cycles.reduce((m, c) => m + (c.count ?? 0), 0), 0),
    administrations: given.length, chemoAdministrations: chemo,
    recomputeExposureAndSurvivorship: time(runs, recompute),
    validatePlan: time(runs, () => validatePlanContent(plan)),
    contentHash: time(runs, () => contentHash(plan)),
    concordance: time(runs, () => concordance(plan, given)),
    timeline: time(runs, () => planTimeline(plan, given, '2026-01-05')),
    targetMs: 5,
    check: {
      plannedCed: planExposure(plan, FACTS).cedMgM2.value,
      receivedCed: receivedExposure(given, FACTS).cedMgM2.value,
      concordance: concordance(plan, given).status,
      survivorshipItems: survivorshipPlan(FACTS, receivedExposure(given, FACTS), { endOfTherapyDate: '2027-06-01', birthDate: '2013-11-01', asOf: '2029-01-01' }).value?.items.length,
      sink: sink > 0,
    },
  };
  return { ...result, meetsTarget: result.recomputeExposureAndSurvivorship.p95Ms < 5 };
}
