import { describe, expect, test } from 'vitest';
import { TEMPLATES, TEMPLATE_IDS, templateAgents } from './templates.js';
import {
  DOSE_LIMITS, checkAgentDose, checkMaxMg, checkRadiationDose, doseLimit, toMgM2, type AgentDoseInput, type DoseContext,
} from './dose-limits.js';

const errors = (a: AgentDoseInput, ctx?: DoseContext) => checkAgentDose(a, ctx).filter((f) => f.level === 'error');
const warnings = (a: AgentDoseInput, ctx?: DoseContext) => checkAgentDose(a, ctx).filter((f) => f.level === 'warning');

describe('the dose-limit table', () => {
  test('has a row for every agent the template library uses', () => {
    const agents = new Set(TEMPLATE_IDS.flatMap((id) => templateAgents(TEMPLATES[id])));
    for (const a of agents) expect(doseLimit(a), a).toBeDefined();
  });

  test('every template dose per administration is within its agent\'s range', () => {
    for (const id of TEMPLATE_IDS) {
      for (const phase of TEMPLATES[id].phases) for (const cycle of phase.cycles) for (const a of cycle.agents) {
        expect(errors(a as AgentDoseInput), `${id} ${cycle.name} ${a.agent}`).toEqual([]);
      }
    }
  });

  test('every row says where its bound comes from', () => {
    for (const [agent, row] of Object.entries(DOSE_LIMITS)) expect(row.source.length, agent).toBeGreaterThan(10);
  });
});

describe('checkAgentDose', () => {
  test.each([
    ['doxorubicin', 90, true], ['doxorubicin', 90.01, false], ['doxorubicin', 75, true],
    ['methotrexate', 12000, true], ['methotrexate', 12001, false],
    ['cisplatin', 120, true], ['cisplatin', 121, false],
    ['ifosfamide', 3000, true], ['ifosfamide', 3001, false],
    ['cyclophosphamide', 2200, true], ['cyclophosphamide', 2201, false],
    ['vincristine', 2, true], ['vincristine', 2.1, false],
    ['etoposide', 200, true], ['irinotecan', 125, true], ['vinorelbine', 30, true], ['vinorelbine', 31, false],
    ['temozolomide', 200, true], ['carboplatin', 800, true], ['topotecan', 2.5, false],
  ])('%s %d mg/m² per administration is accepted: %s', (agent, doseMgM2, ok) => {
    expect(errors({ agent, doseMgM2 }).length === 0).toBe(ok);
  });

  test('an absurd doxorubicin dose (5,000 mg/m²) is rejected naming the allowed range and its source', () => {
    const [e] = errors({ agent: 'doxorubicin', doseMgM2: 5000 });
    expect(e?.field).toBe('doseMgM2');
    expect(e?.message).toMatch(/^doxorubicin 5,000 mg\/m² per administration is outside the allowed range 0–90 mg\/m² \(.+\)$/);
  });

  test.each([
    ['negative', -1, /is negative; allowed range 0–90 mg\/m²/],
    ['NaN', Number.NaN, /is not a number; allowed range 0–90 mg\/m²/],
    ['infinite', Number.POSITIVE_INFINITY, /is not a number/],
    ['zero in a plan', 0, /zero dose is not allowed in a plan/],
  ])('a %s dose is an error', (_label, doseMgM2, message) => {
    expect(errors({ agent: 'doxorubicin', doseMgM2 }, { context: 'plan' })[0]?.message).toMatch(message);
  });

  test('a zero dose is accepted where a withheld dose is allowed (an administration with a deviation)', () => {
    expect(errors({ agent: 'doxorubicin', doseMgM2: 0 }, { zeroAllowed: true })).toEqual([]);
    expect(errors({ agent: 'doxorubicin', doseMgM2: 0 }, { context: 'administration' })[0]?.message).toMatch(/needs a deviation/);
  });

  test('a dose given in two units at once is unit confusion', () => {
    const [e] = errors({ agent: 'doxorubicin', doseMgM2: 75, doseMg: 110 });
    expect(e?.message).toMatch(/doseMgM2 \(mg\/m²\) and doseMg \(mg\); give exactly one unit/);
  });

  test('dactinomycin may be dosed per kg in any child (0.045 mg/kg), up to 0.06 mg/kg', () => {
    expect(errors({ agent: 'dactinomycin', doseMgKg: 0.045 }, { ageMonths: 120 })).toEqual([]);
    expect(errors({ agent: 'dactinomycin', doseMgKg: 0.07 }, { ageMonths: 120 })[0]?.message).toMatch(/0–0.06 mg\/kg/);
  });

  test('an agent dosed per m² may be given per kg only to a small child (R-AGE-INFANT)', () => {
    const perKg = { agent: 'doxorubicin', doseMgKg: 2.5 };
    expect(errors(perKg, { ageMonths: 120 })[0]?.message).toMatch(/dosed per m²: mg\/kg is accepted only for a small child .*R-AGE-INFANT/);
    expect(errors(perKg, {})[0]?.message).toMatch(/neither age, weight nor BSA is given/);
    expect(errors(perKg, { ageMonths: 11 })).toEqual([]);
    expect(errors(perKg, { ageMonths: 30, weightKg: 9.5 })).toEqual([]);
    expect(errors(perKg, { ageMonths: 30, bsaM2: 0.55 })).toEqual([]);
    // mg/m² ÷ 30: 90 / 30 = 3 mg/kg.
    expect(errors({ agent: 'doxorubicin', doseMgKg: 3.1 }, { ageMonths: 6 })[0]?.message).toMatch(/0–3 mg\/kg .*÷ 30 \(R-AGE-INFANT\)/);
  });

  test('a flat mg dose is converted with the BSA and checked in mg/m²', () => {
    expect(errors({ agent: 'doxorubicin', doseMg: 110 }, { bsaM2: 1.5 })).toEqual([]);
    expect(errors({ agent: 'doxorubicin', doseMg: 150 }, { bsaM2: 1.5 })[0]?.message).toMatch(/150 mg per administration \(100 mg\/m² at BSA 1.5 m²\) is outside the allowed range 0–90 mg\/m²/);
  });

  test('a flat mg dose without BSA, where the agent is dosed per m², is flagged, not rejected', () => {
    expect(errors({ agent: 'doxorubicin', doseMg: 110 })).toEqual([]);
    expect(warnings({ agent: 'doxorubicin', doseMg: 110 })[0]?.message).toMatch(/dosed per m²: a flat dose of 110 mg cannot be checked or converted to mg\/m² without the BSA/);
  });

  test('a flat mg dose that is too much at any body size is rejected even without BSA', () => {
    expect(errors({ agent: 'doxorubicin', doseMg: 271 })[0]?.message).toMatch(/at any body size/);
  });

  test('a capped agent is rejected above its cap in mg whatever the BSA', () => {
    expect(errors({ agent: 'vincristine', doseMg: 2 }, { bsaM2: 1.2 })).toEqual([]);
    expect(errors({ agent: 'vincristine', doseMg: 2.5 })[0]?.message).toMatch(/exceeds the cap of 2 mg/);
    // 2 mg in a 0.5 m² child is 4 mg/m², above the 2 mg/m² range.
    expect(errors({ agent: 'vincristine', doseMg: 2 }, { bsaM2: 0.5 })[0]?.message).toMatch(/4 mg\/m² at BSA 0.5 m²/);
  });

  test('aliases resolve to the table row (adriamycin is doxorubicin)', () => {
    expect(errors({ agent: 'Adriamycin', doseMgM2: 5000 })[0]?.message).toMatch(/0–90 mg\/m²/);
  });

  test('an agent outside the table is an error without a note and a warning with one', () => {
    expect(errors({ agent: 'doxorubicine', doseMgM2: 75 })[0]).toMatchObject({ field: 'agent', message: expect.stringMatching(/check the spelling, or add a note/) });
    const withNote = { agent: 'dexrazoxane', doseMgM2: 750, note: 'cardioprotection 10:1 per institutional guideline' };
    expect(errors(withNote)).toEqual([]);
    expect(warnings(withNote)[0]?.message).toMatch(/not range-checked/);
  });

  test('an agent outside the table still cannot have a negative dose', () => {
    expect(errors({ agent: 'dexrazoxane', doseMgM2: -5, note: 'x' })[0]?.message).toMatch(/negative/);
  });

  test('no dose set gives no finding (it is an open item of the plan, not an error)', () => {
    expect(checkAgentDose({ agent: 'doxorubicin' })).toEqual([]);
  });
});

describe('checkMaxMg', () => {
  test.each([
    ['vincristine', 2, 0], ['vincristine', 2.5, 1], ['dactinomycin', 2.5, 0], ['dactinomycin', 3, 1], ['vincristine', 0, 1],
  ])('%s capped at %d mg gives %d error(s)', (agent, maxMg, n) => {
    expect(checkMaxMg({ agent, maxMg })).toHaveLength(n);
  });
});

describe('checkRadiationDose', () => {
  test.each([
    ['extremity', 55.8, undefined, 0], ['extremity', 45, 10.8, 0], ['extremity', 80, undefined, 0], ['extremity', 81, undefined, 1],
    ['extremity', 70, 15, 1], ['whole_lung', 15, undefined, 0], ['whole_lung', 21, undefined, 1], ['total_body', 16, undefined, 1],
    ['extremity', 0, undefined, 1], ['extremity', -2, undefined, 1],
  ] as const)('%s %d Gy with boost %s gives %d error(s)', (field, doseGy, boostGy, n) => {
    expect(checkRadiationDose({ field, doseGy, boostGy })).toHaveLength(n);
  });

  test('an error names the field\'s allowed range', () => {
    expect(checkRadiationDose({ field: 'whole_lung', doseGy: 150 })[0]?.message).toMatch(/whole_lung RT 150 Gy is outside the allowed range 0–20 Gy/);
  });

  test('a dose per fraction above 20 Gy is caught (50.4 Gy in 2 fractions)', () => {
    expect(checkRadiationDose({ field: 'pelvis', doseGy: 50.4, fractions: 2 })[0]?.field).toBe('fractions');
    expect(checkRadiationDose({ field: 'pelvis', doseGy: 50.4, fractions: 28 })).toEqual([]);
  });

  test('a heart dose above the prescription is an error', () => {
    expect(checkRadiationDose({ field: 'chest_wall', doseGy: 30, heartDoseGy: 40 })[0]?.field).toBe('heartDoseGy');
  });
});

describe('toMgM2', () => {
  test('mg/m² stays as given, lowered by the mg cap when the BSA is known', () => {
    expect(toMgM2({ doseMgM2: 75 }, {})).toMatchObject({ mgM2: 75, capped: false, upperBound: false });
    expect(toMgM2({ doseMgM2: 2, maxMg: 2 }, { bsaM2: 1.6 })).toMatchObject({ mgM2: 1.25, capped: true });
    expect(toMgM2({ doseMgM2: 2, maxMg: 2 }, {})).toMatchObject({ mgM2: 2, upperBound: true });
  });

  test('flat mg and mg/kg are converted only with the body size they need', () => {
    expect(toMgM2({ doseMg: 150 }, { bsaM2: 1.5 }).mgM2).toBe(100);
    expect(toMgM2({ doseMg: 150 }, {})).toMatchObject({ mgM2: null, unknown: expect.stringMatching(/needs the BSA/) });
    expect(toMgM2({ doseMgKg: 0.045 }, { bsaM2: 1, weightKg: 30 }).mgM2).toBeCloseTo(1.35);
    expect(toMgM2({ doseMgKg: 0.045 }, { bsaM2: 1 })).toMatchObject({ mgM2: null, unknown: expect.stringMatching(/weight and BSA/) });
    expect(toMgM2({}, {})).toMatchObject({ mgM2: null, unknown: 'dose not set' });
  });
});
