import { describe, expect, test } from 'vitest';
import type { Assessment } from '../facts/assessment.js';
import type { CaseFacts } from '../facts/case-facts.js';
import { NO_STAGING } from './context.js';
import { buildPlanFromTemplate } from './builder.js';
import type { Administration } from './concordance.js';
import type { PlanContent, SelectedLocalControl } from './plan.js';
import { planTimeline } from './timeline.js';

const f: CaseFacts = { ageMonths: 150, sex: 'female', pubertalStatus: 'pubertal', morphology: '9260/3', topography: 'C41.4', siteCategory: 'bone_pelvis' };
const ews = (selected: SelectedLocalControl[] = []): PlanContent => {
  const p = buildPlanFromTemplate('T-EWS-ICC', { facts: f, assessment: { ...NO_STAGING, radiation: null } as unknown as Assessment });
  return { ...p, bsaM2: 1.2, localControl: { ...p.localControl, selected } };
};
const START = '2026-01-05';
const VDC = [{ agent: 'vincristine', doseMgM2: 1.5 }, { agent: 'doxorubicin', doseMgM2: 75 }, { agent: 'cyclophosphamide', doseMgM2: 1200 }];
const IE = [{ agent: 'ifosfamide', doseMgM2: 1800, administrations: 5 }, { agent: 'etoposide', doseMgM2: 100, administrations: 5 }];

describe('planTimeline', () => {
  test('with nothing given, the planned induction cycles fall every 14 days from the start date, then local control and consolidation', () => {
    const t = planTimeline(ews([{ kind: 'surgery', surgeryType: 'wide_resection' }]), [], START);
    expect(t.slice(0, 7).map((e) => [e.label, e.plannedWeek, e.plannedDate, e.status])).toEqual([
      ['Cycle 1: VDC', 1, '2026-01-05', 'planned'],
      ['Cycle 2: IE', 3, '2026-01-19', 'planned'],
      ['Cycle 3: VDC', 5, '2026-02-02', 'planned'],
      ['Cycle 4: IE', 7, '2026-02-16', 'planned'],
      ['Cycle 5: VDC', 9, '2026-03-02', 'planned'],
      ['Cycle 6: IE', 11, '2026-03-16', 'planned'],
      ['Surgery (wide resection)', 12, '2026-03-23', 'planned'],
    ]);
    // Consolidation has no start week in the template: its cycles are listed, undated, after local control.
    expect(t.slice(7).map((e) => [e.cycleNumber, e.plannedDate])).toEqual([7, 8, 9, 10, 11, 12, 13, 14].map((n) => [n, null]));
  });

  test('a given cycle shows its date, the days from plan and the dose as a percentage per agent', () => {
    const given: Administration[] = [
      { kind: 'chemo', date: START, agents: VDC, bsaM2: 1.2 },
      { kind: 'chemo', date: '2026-01-22', agents: [{ agent: 'ifosfamide', doseMgM2: 1440, administrations: 5 }, IE[1]!], bsaM2: 1.2, deviation: { reason: 'dose_reduction', note: 'creatinine rise' } },
    ];
    const [c1, c2] = planTimeline(ews(), given, START);
    // Vincristine 1.5 mg/m² at 1.2 m² is 1.8 mg; the plan's 2 mg/m² is capped at 2 mg: 90%.
    expect(c1).toMatchObject({ status: 'given', givenDate: START, daysFromPlan: 0, dosePercent: 90, administration: 0 });
    expect(c1!.agents.map((a) => a.percent)).toEqual([90, 100, 100]);
    expect(c2).toMatchObject({
      label: 'Cycle 2: IE', plannedWeek: 3, plannedDate: '2026-01-19', givenDate: '2026-01-22', daysFromPlan: 3, dosePercent: 80,
      deviation: { reason: 'dose_reduction', note: 'creatinine rise' },
    });
  });

  test('given local control is matched to the selected one, with the RT dose percentage', () => {
    const rt: SelectedLocalControl = { kind: 'radiation', radiation: { field: 'pelvis', doseGy: 45, boostGy: 10.8 }, plannedWeek: 13 };
    const t = planTimeline(ews([rt]), [{ kind: 'radiation', startDate: '2026-04-01', field: 'pelvis', doseGy: 45 }], START);
    expect(t.find((e) => e.kind === 'radiation')).toMatchObject({
      label: 'Radiation pelvis 55.8 Gy', status: 'given', plannedWeek: 13, plannedDate: '2026-03-30', givenDate: '2026-04-01', dosePercent: 80.6,
    });
  });

  test('a course recorded in two parts shows its first date and the cumulative dose', () => {
    const rt: SelectedLocalControl = { kind: 'radiation', radiation: { field: 'pelvis', doseGy: 45, boostGy: 10.8 } };
    const t = planTimeline(ews([rt]), [
      { kind: 'radiation', startDate: '2026-04-01', field: 'pelvis', doseGy: 45 },
      { kind: 'radiation', startDate: '2026-05-06', field: 'pelvis', doseGy: 10.8 },
    ], START);
    expect(t.filter((e) => e.kind === 'radiation')).toMatchObject([{ givenDate: '2026-04-01', dosePercent: 100, plannedWeek: 12 }]);
  });

  test('chemotherapy outside the plan appears as off plan, in date order among the planned cycles', () => {
    const t = planTimeline(ews(), [{ kind: 'chemo', date: '2026-02-10', agents: [{ agent: 'topotecan', doseMgM2: 0.75, administrations: 5 }] }], START);
    const i = t.findIndex((e) => e.status === 'off_plan');
    expect(t[i]).toMatchObject({ label: 'Chemotherapy outside the plan', givenDate: '2026-02-10', cycleNumber: null });
    expect(t[i - 1]?.plannedDate).toBe('2026-02-02');
    expect(t[i + 1]?.plannedDate).toBe('2026-02-16');
  });

  test('a biopsy is listed as given, not off plan', () => {
    const t = planTimeline(ews(), [{ kind: 'surgery', date: '2025-12-20', surgeryType: 'biopsy' }], START);
    expect(t[0]).toMatchObject({ kind: 'surgery', status: 'given', label: 'Surgery (biopsy)', givenDate: '2025-12-20' });
  });

  test('a cycle given late sorts by its given date', () => {
    const t = planTimeline(ews(), [{ kind: 'chemo', date: '2026-01-30', agents: VDC, bsaM2: 1.2 }], START);
    expect(t.map((e) => e.label).slice(0, 3)).toEqual(['Cycle 2: IE', 'Cycle 1: VDC', 'Cycle 3: VDC']);
  });
});
