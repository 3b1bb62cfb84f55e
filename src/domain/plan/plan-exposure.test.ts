import { describe, expect, test } from 'vitest';
import type { CaseFacts } from '../facts/case-facts.js';
import { NO_STAGING } from './context.js';
import { isRuleId } from '../rules/rule-ids.js';
import { buildPlanFromTemplate } from './builder.js';
import type { Administration } from './concordance.js';
import { planExposure, receivedExposure, type ExposureSummary } from './plan-exposure.js';
import type { PlanContent, SelectedLocalControl } from './plan.js';
import { TEMPLATES, TEMPLATE_IDS, type TemplateId } from './templates.js';
import type { Assessment } from '../facts/assessment.js';

const facts = (o: Partial<CaseFacts> = {}): CaseFacts => ({
  ageMonths: 168, sex: 'male', pubertalStatus: 'postpubertal', morphology: '9180/3', topography: 'C40.2',
  siteCategory: 'bone_extremity', ...o,
});

/** A minimal assessment: the builder reads staging, radiation and (recomputed) flags from it. */
const assessment = { ...NO_STAGING, radiation: null } as unknown as Assessment;
const plan = (id: TemplateId, f: CaseFacts = facts(), o: Partial<PlanContent> = {}): PlanContent => ({
  ...buildPlanFromTemplate(id, { facts: f, assessment }), ...o,
});
const select = (p: PlanContent, selected: SelectedLocalControl[]): PlanContent => ({ ...p, localControl: { ...p.localControl, selected } });

function allRules(e: ExposureSummary): string[] {
  const parts = [...Object.values(e.agents), e.cedMgM2, e.doxorubicinEquivalentMgM2, e.echoFrequency, e.hearing, e.fertility, e.radiation];
  return parts.flatMap((d) => d.explanations.flatMap((x) => x.rules));
}

describe('planExposure', () => {
  test('T-OS-MAP gives the rules.md §2.2 planned totals: doxorubicin 450, cisplatin 480, methotrexate 144 g/m²', () => {
    const e = planExposure(plan('T-OS-MAP'), facts());
    expect(e.cumulativeMgM2).toEqual({ cisplatin: 480, doxorubicin: 450, methotrexate: 144000 });
    expect(e.unknown).toEqual([]);
    expect(e.cedMgM2.value).toBe(0);
    expect(e.doxorubicinEquivalentMgM2.value).toBe(450);
    expect(e.echoFrequency.value).toBe('every_2_years');
    expect(e.agents.doxorubicin?.explanations[0]?.text).toBe(
      'doxorubicin planned: 2 × 75 (Pre-operative MAP (two 5-week cycles) › MAP) + 2 × 75 (Post-operative MAP ×2 and MA ×2 › MAP) + 2 × 75 (Post-operative MAP ×2 and MA ×2 › MA) = 450 mg/m²',
    );
    expect(e.agents.cisplatin?.explanations[0]?.rules).toEqual(['R-LE-OTO', 'T-OS-MAP']);
  });

  test.each(TEMPLATE_IDS.filter((id) => Object.keys(TEMPLATES[id].plannedCumulativeMgM2).length > 0))(
    '%s: the plan built from the template sums to the template\'s stated totals', (id) => {
      const e = planExposure(plan(id), facts());
      for (const [agent, total] of Object.entries(TEMPLATES[id].plannedCumulativeMgM2)) expect(e.cumulativeMgM2[agent], agent).toBe(total);
    },
  );

  test.each<[TemplateId, number]>([
    ['T-EWS-ICC', 23772], ['T-RMS-IR-VACVI-MAINT', 12600], ['T-RMS-EPSSG-MAINT', 17376], ['T-NRSTS-C', 13176], ['T-RMS-LR-VAC4-VA', 4800],
  ])('%s has the planned CED of rules.md §4.3 (%d mg/m²)', (id, ced) => {
    expect(planExposure(plan(id), facts()).cedMgM2.value).toBe(ced);
  });

  test('a cycle count that is not set leaves that agent, and the CED, unknown', () => {
    const e = planExposure(plan('T-RMS-LR-SUBSET-B'), facts());
    expect(e.cumulativeMgM2.cyclophosphamide).toBeUndefined();
    expect(e.unknown.find((u) => u.agent === 'cyclophosphamide')?.reason).toMatch(/number of cycles not set/);
    expect(e.cedMgM2.value).toBeNull();
    expect(e.cedMgM2.explanations[0]?.text).toMatch(/CED unknown/);
  });

  test('a flat mg dose is converted only when the plan gives the BSA; otherwise it is unknown', () => {
    const p = plan('T-OS-MAP');
    const mapAgents = p.phases[0]!.cycles[0]!.agents;
    mapAgents[1] = { agent: 'doxorubicin', doseMg: 112.5, administrations: 1 };
    const without = planExposure(p, facts());
    expect(without.cumulativeMgM2.doxorubicin).toBeUndefined();
    expect(without.agents.doxorubicin?.explanations[0]?.text).toMatch(/flat dose 112.5 mg needs the BSA/);
    expect(without.doxorubicinEquivalentMgM2.value).toBeNull();
    expect(without.echoFrequency.value).toBeNull();
    const withBsa = planExposure({ ...p, bsaM2: 1.5 }, facts());
    expect(withBsa.cumulativeMgM2.doxorubicin).toBe(450);
  });

  test('the vincristine cap lowers the per-m² total when the BSA is known, and is an upper bound when not', () => {
    const p = plan('T-EWS-ICC', facts({ morphology: '9260/3' }));
    expect(planExposure(p, facts()).agents.vincristine?.explanations[0]?.text).toMatch(/= 14 mg\/m²; an upper bound/);
    expect(planExposure({ ...p, bsaM2: 1.6 }, facts()).cumulativeMgM2.vincristine).toBe(8.75);
  });

  test('the infant 50% dose of T-EWS-ICC halves the planned totals and cites R-AGE-INFANT', () => {
    const infant = facts({ ageMonths: 8, pubertalStatus: 'prepubertal', morphology: '9260/3' });
    const e = planExposure(plan('T-EWS-ICC', infant), infant);
    expect(e.cumulativeMgM2.doxorubicin).toBe(187.5);
    expect(e.cedMgM2.value).toBe(11886);
    expect(e.agents.doxorubicin?.explanations[0]?.rules).toContain('R-AGE-INFANT');
  });

  test('while local control is not selected and RT is an option, planned radiation is unknown', () => {
    const e = planExposure(plan('T-RMS-LR-VAC4-VA', facts({ morphology: '8910/3' })), facts());
    expect(e.radiation.value).toBeNull();
    expect(e.radiation.missing).toEqual([{ field: 'localControl.selected', needed_for: 'exposure.radiation' }]);
    // No anthracycline: the echo frequency depends on chest RT, which is unknown.
    expect(e.echoFrequency.value).toBeNull();
    expect(e.echoFrequency.missing[0]?.field).toBe('localControl.selected');
  });

  test('selected chest-wall RT counts toward the echo frequency and the breast dose', () => {
    const p = select(plan('T-RMS-LR-VAC4-VA', facts({ morphology: '8910/3' })), [
      { kind: 'radiation', radiation: { field: 'chest_wall', doseGy: 36, boostGy: 5.4, breastInField: true } },
    ]);
    const e = planExposure(p, facts());
    expect(e.radiation.value).toMatchObject({ chestHeartGy: 41.4, breastGy: 41.4, byFieldGy: { chest_wall: 41.4 } });
    expect(e.echoFrequency.value).toBe('every_2_years');
    expect(e.courses[0]?.course).toEqual({ field: 'chest_wall', doseGy: 41.4, breastInField: true });
  });

  test('surgery only selected means no planned RT', () => {
    const p = select(plan('T-RMS-LR-VAC4-VA', facts({ morphology: '8910/3' })), [{ kind: 'surgery', surgeryType: 'wide_resection' }]);
    const e = planExposure(p, facts());
    expect(e.radiation.value?.courses).toEqual([]);
    expect(e.echoFrequency.value).toBe('none');
  });

  test('platinum: cisplatin plans audiology at baseline and before each cycle; no platinum, none', () => {
    expect(planExposure(plan('T-OS-MAP'), facts()).hearing.value).toMatchObject({ platinum: true, cisplatinMgM2: 480, monitoring: expect.stringMatching(/before each cisplatin cycle/) });
    expect(planExposure(plan('T-EWS-ICC'), facts()).hearing.value).toMatchObject({ platinum: false });
  });

  test('fertility: a post-pubertal boy on MAP is offered sperm cryopreservation; CED ≥4,000 flags spermatogenesis', () => {
    expect(planExposure(plan('T-OS-MAP'), facts()).fertility.value).toEqual({ indicated: true, options: ['sperm_cryopreservation'], impairedSpermatogenesisRisk: false });
    expect(planExposure(plan('T-EWS-ICC'), facts()).fertility.value?.impairedSpermatogenesisRisk).toBe(true);
  });

  test('fertility near the gonads stays unknown while RT is undecided, and pelvic RT adds transposition for a girl', () => {
    const girl = facts({ sex: 'female', pubertalStatus: 'prepubertal', morphology: '8910/3', topography: 'C52.9', siteCategory: 'gu_gynecologic' });
    const p = plan('T-RMS-VLR-VA24', girl);
    p.localControl.considered.push({ kind: 'radiation', description: 'brachytherapy', rules: ['R-RMS-RT'] });
    expect(planExposure(p, girl).fertility.value).toBeNull();
    const rt = select(p, [{ kind: 'radiation', radiation: { field: 'pelvis', doseGy: 36, gonadsInField: true } }]);
    expect(planExposure(rt, girl).fertility.value).toEqual({
      indicated: true, options: ['ovarian_tissue_cryopreservation', 'ovarian_transposition', 'gonadal_shielding'], impairedSpermatogenesisRisk: null,
    });
  });

  test('every explanation cites rule IDs that rules.md defines', () => {
    for (const id of TEMPLATE_IDS) for (const r of allRules(planExposure(plan(id), facts()))) expect(isRuleId(r), `${id}: ${r}`).toBe(true);
  });
});

describe('receivedExposure', () => {
  const given: Administration[] = [
    { kind: 'chemo', date: '2026-01-05', agents: [{ agent: 'cisplatin', doseMgM2: 120 }, { agent: 'doxorubicin', doseMgM2: 75 }] },
    { kind: 'chemo', date: '2026-02-09', agents: [{ agent: 'cisplatin', doseMgM2: 90 }, { agent: 'doxorubicin', doseMg: 105 }], bsaM2: 1.4 },
    { kind: 'surgery', date: '2026-03-09', surgeryType: 'limb_salvage', margin: 'R0' },
    { kind: 'radiation', startDate: '2026-04-01', endDate: '2026-05-10', field: 'chest_wall', doseGy: 45, boostGy: 5.4, heartInField: true },
  ];

  test('sums what was given (a flat mg dose through that cycle\'s BSA) and keeps the therapy period', () => {
    const e = receivedExposure(given, facts());
    expect(e.source).toBe('received');
    expect(e.cumulativeMgM2).toEqual({ cisplatin: 210, doxorubicin: 150 });
    expect(e.period).toEqual({ first: '2026-01-05', last: '2026-05-10' });
    expect(e.radiation.value).toMatchObject({ chestHeartGy: 50.4, courses: [{ field: 'chest_wall', totalGy: 50.4, startDate: '2026-04-01' }] });
    expect(e.echoFrequency.value).toBe('every_2_years');
  });

  test('a flat mg dose without a BSA on that cycle leaves the total unknown and says so', () => {
    const e = receivedExposure([{ kind: 'chemo', date: '2026-01-05', agents: [{ agent: 'cyclophosphamide', doseMg: 1500 }] }], facts());
    expect(e.cumulativeMgM2).toEqual({});
    expect(e.unknown).toEqual([{ agent: 'cyclophosphamide', reason: '2026-01-05: flat dose 1,500 mg needs the BSA to convert to mg/m²' }]);
    expect(e.cedMgM2.value).toBeNull();
    expect(e.fertility.value?.indicated).toBe(true);
  });

  test('a withheld dose (0) counts as nothing given', () => {
    const e = receivedExposure([{ kind: 'chemo', date: '2026-01-05', agents: [{ agent: 'doxorubicin', doseMgM2: 0 }], deviation: { reason: 'toxicity', note: 'low EF' } }], facts());
    expect(e.cumulativeMgM2.doxorubicin).toBe(0);
  });

  test('received fertility reasons speak of received therapy, not planned', () => {
    const e = receivedExposure(given, facts());
    expect(e.fertility.explanations.map((x) => x.text).join(' ')).not.toMatch(/planned/);
  });

  test('nothing given: no exposure and no radiation', () => {
    const e = receivedExposure([], facts());
    expect(e.cumulativeMgM2).toEqual({});
    expect(e.radiation.value?.courses).toEqual([]);
    expect(e.echoFrequency.value).toBe('none');
    expect(e.period).toEqual({ first: null, last: null });
  });
});
