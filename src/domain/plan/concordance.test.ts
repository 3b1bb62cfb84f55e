import { describe, expect, test } from 'vitest';
import type { Assessment } from '../facts/assessment.js';
import type { CaseFacts } from '../facts/case-facts.js';
import { NO_STAGING } from './context.js';
import { buildPlanFromTemplate } from './builder.js';
import {
  concordance, expandPlan, matchChemo, validateAdministration, type Administration, type ChemoAdministration,
} from './concordance.js';
import { addDays, type PlanContent, type SelectedLocalControl } from './plan.js';
import type { TemplateId } from './templates.js';

const f: CaseFacts = { ageMonths: 150, sex: 'female', pubertalStatus: 'pubertal', morphology: '9260/3', topography: 'C41.4', siteCategory: 'bone_pelvis' };
const assessment = { ...NO_STAGING, radiation: null } as unknown as Assessment;
const plan = (id: TemplateId = 'T-EWS-ICC', selected: SelectedLocalControl[] = []): PlanContent => {
  const p = buildPlanFromTemplate(id, { facts: f, assessment });
  return { ...p, localControl: { ...p.localControl, selected } };
};

const START = '2026-01-05';
const VDC = [{ agent: 'vincristine', doseMg: 2 }, { agent: 'doxorubicin', doseMgM2: 75 }, { agent: 'cyclophosphamide', doseMgM2: 1200 }];
const IE = [{ agent: 'ifosfamide', doseMgM2: 1800, administrations: 5 }, { agent: 'etoposide', doseMgM2: 100, administrations: 5 }];
const chemo = (day: number, agents: ChemoAdministration['agents'], o: Partial<ChemoAdministration> = {}): Administration =>
  ({ kind: 'chemo', date: addDays(START, day), agents, bsaM2: 1.3, ...o });
/** The first n induction cycles exactly on schedule (every 14 days, VDC then IE). */
const onSchedule = (n: number) => Array.from({ length: n }, (_, k) => chemo(k * 14, k % 2 === 0 ? VDC : IE));

describe('administrations', () => {
  test('a chemotherapy cycle, an operation and a radiation course validate', () => {
    for (const a of [
      chemo(0, VDC),
      { kind: 'surgery', date: '2026-03-30', surgeryType: 'limb_salvage', margin: 'R0' },
      { kind: 'radiation', startDate: '2026-04-06', endDate: '2026-05-15', field: 'pelvis', doseGy: 45, boostGy: 10.8, fractions: 31 },
    ]) expect(validateAdministration(a)).toMatchObject({ ok: true });
  });

  test('doses are checked against the same table as the plan, naming the field', () => {
    expect(validateAdministration(chemo(0, [{ agent: 'doxorubicin', doseMgM2: 5000 }]))).toMatchObject({
      ok: false, errors: [{ field: 'agents[0].doseMgM2', message: expect.stringMatching(/outside the allowed range 0–90 mg\/m²/) }],
    });
  });

  test('a withheld (zero) dose needs a deviation saying why', () => {
    expect(validateAdministration(chemo(0, [{ agent: 'doxorubicin', doseMgM2: 0 }]))).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/needs a deviation/) }] });
    expect(validateAdministration(chemo(0, [{ agent: 'doxorubicin', doseMgM2: 0 }], { deviation: { reason: 'toxicity', note: 'EF 48%' } })).ok).toBe(true);
  });

  test('an agent without a dose, in two units, or listed twice is an error', () => {
    const v = validateAdministration(chemo(0, [{ agent: 'doxorubicin' }, { agent: 'etoposide', doseMgM2: 100, doseMg: 130 }, { agent: 'Doxorubicin', doseMgM2: 75 }]));
    expect(v.ok ? [] : v.errors.map((e) => e.field)).toEqual(['agents[0].doseMgM2', 'agents[1].doseMgM2', 'agents[2].agent']);
  });

  test('a flat dose without the cycle\'s BSA is accepted with a warning', () => {
    const v = validateAdministration({ kind: 'chemo', date: START, agents: [{ agent: 'doxorubicin', doseMg: 100 }] });
    expect(v).toMatchObject({ ok: true, warnings: [{ field: 'agents[0].doseMg' }] });
  });

  test('a resection needs its margin; a biopsy does not', () => {
    expect(validateAdministration({ kind: 'surgery', date: START, surgeryType: 'amputation' })).toMatchObject({ ok: false, errors: [{ field: 'margin' }] });
    expect(validateAdministration({ kind: 'surgery', date: START, surgeryType: 'biopsy' }).ok).toBe(true);
  });

  test('a radiation course cannot end before it starts, and its dose is range-checked', () => {
    expect(validateAdministration({ kind: 'radiation', startDate: '2026-04-06', endDate: '2026-04-01', field: 'pelvis', doseGy: 45 })).toMatchObject({ ok: false, errors: [{ field: 'endDate' }] });
    expect(validateAdministration({ kind: 'radiation', startDate: '2026-04-06', field: 'whole_lung', doseGy: 150 })).toMatchObject({ ok: false, errors: [{ field: 'doseGy' }] });
  });

  test('schema errors name their paths; unknown keys and kinds are refused', () => {
    expect(validateAdministration({ kind: 'chemo', date: '2026-02-30', agents: [] })).toMatchObject({ ok: false, errors: [{ field: 'date', message: 'is not a real date' }, { field: 'agents' }] });
    expect(validateAdministration({ ...chemo(0, VDC), extra: 1 })).toMatchObject({ ok: false, errors: [{ field: 'extra', message: 'unknown field' }] });
    expect(validateAdministration({ kind: 'transfusion', date: START }).ok).toBe(false);
    expect(validateAdministration(chemo(0, VDC, { deviation: { reason: 'toxicity', note: '' } }))).toMatchObject({ ok: false, errors: [{ field: 'deviation.note' }] });
  });
});

describe('expandPlan', () => {
  test('T-EWS-ICC gives 14 numbered cycles, VDC alternating with IE, induction every 14 days from week 1', () => {
    const { cycles, openGroups } = expandPlan(plan());
    expect(cycles).toHaveLength(14);
    expect(openGroups.size).toBe(0);
    expect(cycles.slice(0, 6).map((c) => [c.number, c.regimen, c.offsetDays])).toEqual([
      [1, 'VDC', 0], [2, 'IE', 14], [3, 'VDC', 28], [4, 'IE', 42], [5, 'VDC', 56], [6, 'IE', 70],
    ]);
    // Consolidation: VDC, IE, VDC, IE, VC, IE, VC, IE; no start week, so no planned dates.
    expect(cycles.slice(6).map((c) => c.regimen)).toEqual(['VDC', 'IE', 'VDC', 'IE', 'VC', 'IE', 'VC', 'IE']);
    expect(cycles.slice(6).every((c) => c.offsetDays === null)).toBe(true);
  });

  test('a group whose count is not set is open: it gives no numbered cycle', () => {
    const { cycles, openGroups } = expandPlan(plan('T-RMS-IR-VACVI-MAINT'));
    expect(cycles.filter((c) => c.regimen === 'VI')).toEqual([]);
    expect([...openGroups]).toEqual(['phase-1-cycle-2']);
  });
});

describe('matchChemo', () => {
  test('cycles are matched by agents in plan order; a capped vincristine at 2 mg is 100%', () => {
    const m = matchChemo(plan(), onSchedule(2));
    expect(m.map((x) => x.cycles.map((c) => c.number))).toEqual([[1], [2]]);
    expect(m[0]!.agents.map((a) => a.percent)).toEqual([100, 100, 100]);
  });

  test('an explicit cycle ID picks that group\'s next cycle', () => {
    const m = matchChemo(plan(), [chemo(0, IE, { cycleId: 'phase-1-cycle-2' })]);
    expect(m[0]!.cycles[0]!.number).toBe(2);
  });

  test('NRSTS doxorubicin given with ifosfamide carries out both planned cycles', () => {
    const nrsts = plan('T-NRSTS-C');
    const m = matchChemo(nrsts, [chemo(0, [{ agent: 'ifosfamide', doseMgM2: 3000, administrations: 3 }, { agent: 'doxorubicin', doseMgM2: 37.5, administrations: 2 }])]);
    expect(m[0]!.cycles.map((c) => c.regimen)).toEqual(['Ifosfamide', 'Doxorubicin (with 5 of the ifosfamide cycles)']);
    expect(m[0]!.extraAgents).toEqual([]);
  });
});

describe('concordance', () => {
  test('nothing given yet is too early', () => {
    expect(concordance(plan(), []).status).toBe('too_early');
  });

  test('a biopsy alone is not therapy: still too early', () => {
    expect(concordance(plan(), [{ kind: 'surgery', date: START, surgeryType: 'biopsy' }]).status).toBe('too_early');
  });

  test('nothing given 28+ days after the planned start is not followed', () => {
    const r = concordance(plan(), [], null, { startDate: START, asOf: addDays(START, 40) });
    expect(r.status).toBe('not_followed');
    expect(r.reasons[0]).toMatchObject({ code: 'nothing_given', text: 'no therapy recorded 40 days after the planned start (2026-01-05)' });
    expect(concordance(plan(), [], null, { startDate: START, asOf: addDays(START, 20) }).status).toBe('too_early');
  });

  test('cycles given as planned, on schedule, are concordant so far', () => {
    const r = concordance(plan(), onSchedule(4));
    expect(r).toMatchObject({ status: 'concordant', reasons: [], progress: { plannedCycles: 14, matchedCycles: 4, chemoGiven: 4 } });
  });

  test('a dose reduced beyond ±10% without a recorded reason is an unrecorded deviation', () => {
    const given = onSchedule(3);
    given[2] = chemo(28, [VDC[0]!, { agent: 'doxorubicin', doseMgM2: 60 }, VDC[2]!]);
    const r = concordance(plan(), given);
    expect(r.status).toBe('deviation');
    expect(r.reasons).toEqual([{ kind: 'deviation', code: 'dose', text: 'cycle of 2026-02-02: doxorubicin 60 mg/m² is 80% of the planned 75 mg/m²', administration: 2 }]);
    expect(r.deviationsByReason).toMatchObject({ unrecorded: 1, dose_reduction: 0 });
  });

  test('a dose within 10% is as planned', () => {
    const given = onSchedule(1);
    given[0] = chemo(0, [VDC[0]!, { agent: 'doxorubicin', doseMgM2: 68 }, VDC[2]!]);
    expect(concordance(plan(), given).status).toBe('concordant');
  });

  test('a recorded dose reduction is counted by its reason', () => {
    const given = [chemo(0, [VDC[0]!, { agent: 'doxorubicin', doseMgM2: 56 }, VDC[2]!], { deviation: { reason: 'dose_reduction', note: 'mucositis grade 3' } })];
    const r = concordance(plan(), given);
    expect(r.status).toBe('deviation');
    expect(r.reasons[0]).toMatchObject({ code: 'dose', reason: 'dose_reduction' });
    expect(r.deviationsByReason).toMatchObject({ dose_reduction: 1, unrecorded: 0 });
  });

  test('a recorded deviation on a cycle given as planned still counts (e.g. a delay for toxicity)', () => {
    const given = onSchedule(2);
    given[1] = chemo(14, IE, { deviation: { reason: 'delay', note: 'holiday closure, one day' } });
    const r = concordance(plan(), given);
    expect(r.status).toBe('deviation');
    expect(r.reasons).toEqual([{ kind: 'deviation', code: 'recorded', text: 'cycle of 2026-01-19: delay: holiday closure, one day', administration: 1, reason: 'delay' }]);
  });

  test('a cycle started more than 7 days after its planned interval is a delay', () => {
    const given = [chemo(0, VDC), chemo(22, IE)];
    expect(concordance(plan(), given).reasons).toEqual([{ kind: 'deviation', code: 'delay', text: 'cycle of 2026-01-27: started 8 days later than the planned 14-day interval', administration: 1 }]);
    expect(concordance(plan(), [chemo(0, VDC), chemo(21, IE)]).status).toBe('concordant');
  });

  test('an omitted agent is a deviation', () => {
    const r = concordance(plan(), [chemo(0, [VDC[0]!, VDC[2]!])]);
    expect(r.reasons).toMatchObject([{ code: 'omitted_agent', text: expect.stringMatching(/doxorubicin planned \(75 mg\/m²\) but not given/) }]);
  });

  test('an agent that is nowhere in the plan means the plan was not followed, unless a reason is recorded', () => {
    const off = chemo(0, [{ agent: 'irinotecan', doseMgM2: 50, administrations: 5 }, { agent: 'temozolomide', doseMgM2: 100, administrations: 5 }]);
    const r = concordance(plan(), [off]);
    expect(r.status).toBe('not_followed');
    expect(r.reasons[0]).toMatchObject({ kind: 'not_followed', code: 'off_plan_agent' });
    const explained = concordance(plan(), [{ ...off, deviation: { reason: 'progression', note: 'progression at week 6' } } as Administration]);
    expect(explained.status).toBe('deviation');
    expect(explained.deviationsByReason.progression).toBe(1);
  });

  test('a cycle skipped while later cycles were given is a missed cycle', () => {
    const given = [chemo(0, VDC), chemo(14, IE), chemo(28, IE)];
    const r = concordance(plan(), given);
    expect(r.reasons.map((x) => x.code)).toContain('missed_cycle');
  });

  test('more cycles of a group than planned is an extra cycle', () => {
    const given = [1, 2, 3, 4].map((k) => chemo(k * 28, VDC, { cycleId: 'phase-1-cycle-1' }));
    expect(concordance(plan(), given).reasons.map((x) => x.code)).toContain('extra_cycle');
  });

  test('a plan of observation after a resection already done is concordant with nothing given; curettage still to do is too early', () => {
    expect(concordance(plan('T-NRSTS-A'), []).status).toBe('concordant');
    expect(concordance(plan('T-BN-CURETTAGE'), []).status).toBe('too_early');
  });

  test('therapy under an observation plan is not followed', () => {
    const obs = plan('T-BN-OBSERVE');
    expect(concordance(obs, [{ kind: 'surgery', date: START, surgeryType: 'curettage', margin: 'R2' }]).status).toBe('not_followed');
    expect(concordance(obs, []).status).toBe('concordant');
  });

  describe('local control', () => {
    const limbSalvage: SelectedLocalControl = { kind: 'surgery', surgeryType: 'limb_salvage' };
    const rt: SelectedLocalControl = { kind: 'radiation', radiation: { field: 'pelvis', doseGy: 45, boostGy: 10.8 } };
    const surgery = (surgeryType: 'limb_salvage' | 'amputation'): Administration => ({ kind: 'surgery', date: '2026-03-30', surgeryType, margin: 'R0' });

    test('the selected operation, as planned, is concordant', () => {
      expect(concordance(plan('T-EWS-ICC', [limbSalvage]), [...onSchedule(6), surgery('limb_salvage')]).status).toBe('concordant');
    });

    test('a different operation than selected is a deviation', () => {
      const r = concordance(plan('T-EWS-ICC', [limbSalvage]), [surgery('amputation')]);
      expect(r).toMatchObject({ status: 'deviation', reasons: [{ code: 'surgery_type', text: expect.stringMatching(/amputation instead of the planned limb salvage/) }] });
    });

    test('an operation when only RT was selected is not followed', () => {
      expect(concordance(plan('T-EWS-ICC', [rt]), [surgery('limb_salvage')]).reasons[0]).toMatchObject({ kind: 'not_followed', code: 'off_plan_surgery' });
    });

    test('an operation before local control is selected is information only', () => {
      const r = concordance(plan(), [surgery('limb_salvage')]);
      expect(r.status).toBe('concordant');
      expect(r.reasons).toMatchObject([{ kind: 'info', code: 'local_control_undecided' }]);
    });

    test('RT within 5% of the planned total is as planned; 45 of 55.8 Gy is a dose deviation', () => {
      const course = (doseGy: number, boostGy?: number): Administration => ({ kind: 'radiation', startDate: '2026-04-06', field: 'pelvis', doseGy, ...(boostGy ? { boostGy } : {}) });
      expect(concordance(plan('T-EWS-ICC', [rt]), [course(45, 10.8)]).status).toBe('concordant');
      expect(concordance(plan('T-EWS-ICC', [rt]), [course(45)]).reasons).toMatchObject([{ code: 'radiation_dose', text: expect.stringMatching(/80.6% of the planned 55.8 Gy given/) }]);
    });

    test('a boost recorded as its own course continues the planned course: the total is compared', () => {
      const given: Administration[] = [
        { kind: 'radiation', startDate: '2026-04-06', field: 'pelvis', doseGy: 45 },
        { kind: 'radiation', startDate: '2026-05-11', field: 'pelvis', doseGy: 10.8 },
      ];
      expect(concordance(plan('T-EWS-ICC', [rt]), given)).toMatchObject({ status: 'concordant', reasons: [] });
    });

    test('RT to another field than planned is a deviation', () => {
      const r = concordance(plan('T-EWS-ICC', [rt]), [{ kind: 'radiation', startDate: '2026-04-06', field: 'abdomen', doseGy: 45, boostGy: 10.8 }]);
      expect(r.reasons).toMatchObject([{ code: 'radiation_field', text: expect.stringMatching(/given to abdomen, planned to pelvis/) }]);
    });
  });

  test('a recommended trial the plan does not follow is noted as information', () => {
    const r = concordance(plan(), onSchedule(1), { trialToOffer: 'Offer AEWS1221 (NCT02306161)' });
    expect(r.status).toBe('concordant');
    expect(r.reasons).toEqual([{ kind: 'info', code: 'trial', text: 'the conference recommended offering NCT02306161; the plan names no trial' }]);
    expect(concordance({ ...plan(), trialNctId: 'NCT02306161' }, onSchedule(1), { trialToOffer: 'NCT02306161' }).reasons).toEqual([]);
  });

  test('an open group (count not set) takes any number of its cycles', () => {
    const ir = plan('T-RMS-IR-VACVI-MAINT');
    const vi = [{ agent: 'vincristine', doseMgM2: 1.5 }, { agent: 'irinotecan', doseMgM2: 50, administrations: 5 }];
    const r = concordance(ir, [chemo(0, vi), chemo(21, vi), chemo(42, vi)]);
    expect(r).toMatchObject({ status: 'concordant', progress: { plannedCycles: null, chemoGiven: 3, matchedCycles: 3 } });
  });
});
