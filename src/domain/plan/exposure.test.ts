import { describe, expect, test } from 'vitest';
import type { CaseFacts } from '../facts/case-facts.js';
import type { RmsResult } from '../facts/assessment.js';
import { NO_STAGING, type StagingContext } from './context.js';
import {
  ANTHRACYCLINE_FACTORS_COG_LTFU_V5, ANTHRACYCLINE_FACTORS_DEFAULT, CED_COEFFICIENTS, asPlannedExposure, cedMgM2,
  doxorubicinEquivalentMgM2, echoFrequency, plannedCedMgM2, plannedCumulativeMgM2, plannedDoxorubicinEquivalentMgM2,
  plannedExposure, radiationPlan, type AnthracyclineFactorTable,
} from './exposure.js';
import type { TemplateId } from './templates.js';

const facts = (o: Partial<CaseFacts> = {}): CaseFacts => ({
  ageMonths: 120, sex: 'male', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity', ...o,
});
const ctx = (o: Partial<StagingContext> = {}): StagingContext => ({ ...NO_STAGING, ...o });
const rms = (o: Partial<RmsResult>): RmsResult => ({
  stage: null, clinicalGroup: null, siteCategory: null, cogRiskHistologyBased: null, cogRiskFusionBased: null,
  arst2032Category: null, lowRiskSubset: null, oberlinFactorCount: null, oberlinCategory: null, epssgHighRisk: null, ...o,
});

describe('cedMgM2 (R-LE-CED)', () => {
  test.each([
    ['AEWS0031 (CPM 8,400 + IFO 63,000)', { cyclophosphamide: 8400, ifosfamide: 63000 }, 23772],
    ['RMS IR VAC/VI + maintenance (8,400 + 4,200)', { cyclophosphamide: 8400 + 4200 }, 12600],
    ['ARST0332 ifosfamide 54 g/m²', { ifosfamide: 54000 }, 13176],
    ['EpSSG RMS2005 (IFO 54,000 + oral CPM 4,200)', { ifosfamide: 54000, cyclophosphamide: 4200 }, 17376],
    ['ARST2032 LR / ARST0331 subset 1', { cyclophosphamide: 4800 }, 4800],
  ])('the worked total for %s is %d mg/m²', (_label, agents, ced) => {
    expect(cedMgM2(agents).value).toBe(ced);
  });

  test.each(Object.entries(CED_COEFFICIENTS))('100 mg/m² of %s counts %d × 100', (agent, coefficient) => {
    expect(cedMgM2({ [agent]: 100 }).value).toBeCloseTo(coefficient * 100, 6);
  });

  test.each([
    ['upper-case keys', { Cyclophosphamide: 1000 }, 1000],
    ['BCNU as carmustine', { BCNU: 10 }, 150],
    ['nitrogen mustard as mechlorethamine', { 'nitrogen mustard': 6 }, 600],
    ['non-alkylators', { doxorubicin: 375, etoposide: 3500, cisplatin: 480 }, 0],
    ['no agents', {}, 0],
  ])('CED handles %s', (_label, agents, ced) => {
    expect(cedMgM2(agents).value).toBe(ced);
  });

  test('the CED explanation shows the sum and is marked unverified (coefficients [K])', () => {
    const e = cedMgM2({ cyclophosphamide: 8400, ifosfamide: 63000 }).explanations[0];
    expect(e).toMatchObject({ output: 'cedMgM2', rules: ['R-LE-CED'], unverified: true });
    expect(e?.text).toBe('CED = cyclophosphamide 8,400 × 1 + ifosfamide 63,000 × 0.244 = 23,772 mg/m²');
  });
});

describe('doxorubicinEquivalentMgM2 (R-LE-ANTHRA)', () => {
  test.each([
    ['doxorubicin', 375, 375, false],
    ['daunorubicin', 100, 60, false],
    ['epirubicin', 100, 80, false],
    ['idarubicin', 10, 50, true],
    ['mitoxantrone', 12, 126, false],
  ])('with the default table, %s %d mg/m² is %d mg/m² doxorubicin equivalent', (agent, dose, eq, unverified) => {
    const d = doxorubicinEquivalentMgM2({ [agent]: dose });
    expect(d.value).toBe(eq);
    expect(d.explanations[0]?.unverified === true).toBe(unverified);
  });

  test.each([
    ['daunorubicin', 100, 50], ['epirubicin', 100, 67], ['idarubicin', 10, 50], ['mitoxantrone', 12, 48], ['doxorubicin', 100, 100],
  ])('with the older COG table, %s %d mg/m² is %d mg/m²', (agent, dose, eq) => {
    const d = doxorubicinEquivalentMgM2({ [agent]: dose }, ANTHRACYCLINE_FACTORS_COG_LTFU_V5);
    expect(d.value).toBe(eq);
    expect(d.explanations[0]?.unverified).toBe(true);
  });

  test('the default table is versioned and doxorubicin is 1 in every table', () => {
    expect(ANTHRACYCLINE_FACTORS_DEFAULT.version).toBeTruthy();
    expect(ANTHRACYCLINE_FACTORS_DEFAULT.factors.doxorubicin?.factor).toBe(1);
    expect(ANTHRACYCLINE_FACTORS_COG_LTFU_V5.factors.doxorubicin.factor).toBe(1);
  });

  test('a non-doxorubicin anthracycline carries the source disagreement; doxorubicin alone does not', () => {
    expect(doxorubicinEquivalentMgM2({ daunorubicin: 100 }).explanations[0]?.disagreement).toMatch(/older COG/);
    expect(doxorubicinEquivalentMgM2({ doxorubicin: 100 }).explanations[0]?.disagreement).toBeUndefined();
  });

  test('an anthracycline missing from the chosen table makes the equivalent unknown instead of zero', () => {
    const table: AnthracyclineFactorTable = { id: 'doxo-only', version: 'x', title: 't', sources: [], factors: { doxorubicin: { factor: 1 } } };
    expect(doxorubicinEquivalentMgM2({ doxorubicin: 100, mitoxantrone: 10 }, table).value).toBeNull();
  });

  test('several anthracyclines add up', () => {
    expect(doxorubicinEquivalentMgM2({ doxorubicin: 240, daunorubicin: 100 }).value).toBe(300);
  });
});

describe('echoFrequency (R-LE-ECHO)', () => {
  test.each([
    [0, 0, 'none'], [0, 14.9, 'none'], [0, 15, 'every_5_years'], [0, 34.9, 'every_5_years'], [0, 35, 'every_2_years'],
    [1, 0, 'every_5_years'], [249.9, 14.9, 'every_5_years'], [249.9, 15, 'every_2_years'],
    [250, 0, 'every_2_years'], [450, 50, 'every_2_years'], [450, null, 'every_2_years'],
  ])('doxorubicin equivalent %d mg/m² with chest/heart RT %s Gy → %s', (dox, rt, freq) => {
    const d = echoFrequency(dox, rt);
    expect(d.value).toBe(freq);
    expect(d.explanations[0]).toMatchObject({ output: 'echoFrequency', rules: ['R-LE-ECHO'], unverified: true });
  });

  test('below 250 mg/m² an unknown chest RT dose is reported missing', () => {
    expect(echoFrequency(100, null)).toEqual({ value: null, explanations: [], missing: [{ field: 'exposures.radiation', needed_for: 'echoFrequency' }] });
  });

  test('a negative dose is a programming error', () => {
    expect(() => echoFrequency(-1, 0)).toThrow(RangeError);
  });
});

describe('planned exposure from a template', () => {
  test.each<[TemplateId, number, number]>([
    ['T-EWS-ICC', 23772, 375],
    ['T-OS-MAP', 0, 450],
    ['T-RMS-LR-VAC4-VA', 4800, 0],
    ['T-RMS-IR-VACVI-MAINT', 12600, 0],
    ['T-RMS-EPSSG-MAINT', 17376, 240],
    ['T-NRSTS-C', 13176, 375],
    ['T-RMS-VLR-VA24', 0, 0],
    ['T-BN-OBSERVE', 0, 0],
  ])('%s plans CED %d mg/m² and doxorubicin equivalent %d mg/m²', (id, ced, dox) => {
    const p = plannedExposure(id);
    expect(plannedCedMgM2(p).value).toBe(ced);
    expect(plannedDoxorubicinEquivalentMgM2(p).value).toBe(dox);
  });

  test.each<TemplateId>(['T-RMS-HR-INTENSIVE', 'T-RMS-LR-SUBSET-B'])('%s has unknown totals, so its planned totals and CED are null, not 0', (id) => {
    const p = plannedExposure(id);
    expect(p.incomplete).toContain('cyclophosphamide');
    expect(plannedCumulativeMgM2(id).value).toBeNull();
    expect(plannedCedMgM2(p).value).toBeNull();
  });

  test('planned totals of T-EWS-ICC are given with the template as rule and marked unverified for doxorubicin', () => {
    const d = plannedCumulativeMgM2('T-EWS-ICC');
    expect(d.value).toEqual({ doxorubicin: 375, cyclophosphamide: 8400, ifosfamide: 63000, etoposide: 3500 });
    expect(d.explanations[0]).toMatchObject({ output: 'plannedCumulativeMgM2', rules: ['T-EWS-ICC'], unverified: true });
  });

  test('a surgery-only template plans no chemotherapy', () => {
    expect(plannedCumulativeMgM2('T-OS-LOWGRADE').value).toEqual({});
  });

  test('no template means planned totals are unknown and the template is named as missing', () => {
    expect(plannedCumulativeMgM2(null).missing).toEqual([{ field: 'treatmentTemplate', needed_for: 'plannedCumulativeMgM2' }]);
  });

  test.each([[11, true], [12, false]])('an infant of %d months gets a dose-modification note: %s', (ageMonths, note) => {
    const d = plannedCumulativeMgM2('T-EWS-ICC', { ageMonths });
    expect(d.explanations[0]?.rules.includes('R-AGE-INFANT')).toBe(note);
  });

  test('a bare totals record becomes a planned exposure with its positive agents', () => {
    expect(asPlannedExposure({ Cisplatin: 480, doxorubicin: 0 })).toEqual({ templateId: null, totalsMgM2: { cisplatin: 480, doxorubicin: 0 }, agents: ['cisplatin'], incomplete: [] });
  });
});

describe('radiationPlan', () => {
  const RMS = facts({ morphology: '8910/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity', metastases: [] });
  const ARMS = { ...RMS, morphology: '8920/3' };
  const NOS = { ...RMS, morphology: '8900/3' };
  const RMS_RT_ROWS: Array<[string, CaseFacts, RmsResult['clinicalGroup'], CaseFacts['molecular'], number | null, string]> = [
    ['embryonal group I, fusion-negative', RMS, 'I', { foxo1Fusion: 'negative' }, 0, 'rms_group_I_fusion_negative'],
    ['alveolar group I, fusion-negative', ARMS, 'I', { foxo1Fusion: 'negative' }, 0, 'rms_group_I_fusion_negative'],
    ['alveolar group I, fusion-positive', ARMS, 'I', { foxo1Fusion: 'positive' }, 36, 'rms_group_I_fusion_positive'],
    ['embryonal group I, fusion not tested', RMS, 'I', undefined, 0, 'rms_group_I_embryonal'],
    ['alveolar group I, fusion not tested', ARMS, 'I', undefined, 36, 'rms_group_I_alveolar'],
    ['group IIA', RMS, 'IIA', undefined, 36, 'rms_group_II_n0'],
    ['group IIB', RMS, 'IIB', undefined, 41.4, 'rms_group_II_n1'],
    ['group IIC', RMS, 'IIC', undefined, 41.4, 'rms_group_II_n1'],
    ['group III extremity', RMS, 'III', undefined, 50.4, 'rms_group_III'],
    ['group III orbit', { ...RMS, siteCategory: 'hn_orbit', topography: 'C69.6' }, 'III', undefined, 45, 'rms_group_III_orbit'],
    ['group IV', RMS, 'IV', undefined, null, 'rms_group_IV'],
  ];
  test.each(RMS_RT_ROWS.map(([label, f, group, molecular, gy, situation]) => [label, gy, f, group, molecular, situation] as const))(
    'RMS %s → primary RT %s Gy (R-RMS-RT)', (_label, gy, f, clinicalGroup, molecular, situation) => {
    const d = radiationPlan({ ...f, molecular }, ctx({ rms: rms({ clinicalGroup }) }));
    expect(d.value?.primaryGy).toBe(gy);
    expect(d.value?.situation).toBe(situation);
    expect(d.explanations[0]).toMatchObject({ output: 'radiation.primaryGy', rules: ['R-RMS-RT'] });
  });

  test('group III orbit at 45 Gy carries the 45 vs 50.4 Gy disagreement', () => {
    const d = radiationPlan({ ...RMS, siteCategory: 'hn_orbit' }, ctx({ rms: rms({ clinicalGroup: 'III' }) }));
    expect(d.explanations[0]?.disagreement).toMatch(/50\.4/);
  });

  test('RMS NOS group I without fusion status names the fusion as missing', () => {
    const d = radiationPlan(NOS, ctx({ rms: rms({ clinicalGroup: 'I' }) }));
    expect(d.value?.primaryGy).toBeNull();
    expect(d.missing).toContainEqual({ field: 'molecular.foxo1Fusion', needed_for: 'radiation.primaryGy' });
  });

  test('RMS without a clinical group names the group as missing', () => {
    expect(radiationPlan(RMS, ctx({ rms: rms({}) })).missing).toContainEqual({ field: 'rms.clinicalGroup', needed_for: 'radiation.primaryGy' });
  });

  test('RMS under 24 months cites R-AGE-RT24 for individualized local control', () => {
    const d = radiationPlan({ ...RMS, ageMonths: 23 }, ctx({ rms: rms({ clinicalGroup: 'III' }) }));
    expect(d.explanations[0]?.rules).toContain('R-AGE-RT24');
  });

  test.each([
    ['rhabdomyosarcoma', '8910/3', 71, 12], ['rhabdomyosarcoma', '8910/3', 72, 15],
    ['Ewing', '9260/3', 71, 12], ['Ewing', '9260/3', 72, null], ['Ewing', '9260/3', 167, null], ['Ewing', '9260/3', 168, 15],
  ])('%s with lung metastases at %d months → whole-lung RT %s Gy', (_label, morphology, ageMonths, gy) => {
    const d = radiationPlan(facts({ morphology, ageMonths, metastases: ['lung'], surgery: { status: 'biopsy' } }), ctx({ rms: rms({ clinicalGroup: 'IV' }) }));
    expect(d.value?.wholeLungGy).toBe(gy);
    expect(d.explanations.find((e) => e.output === 'radiation.wholeLungGy')).toBeDefined();
  });

  test('the protocol-dependent Ewing whole-lung dose is explained with the disagreement and marked unverified', () => {
    const d = radiationPlan(facts({ morphology: '9260/3', ageMonths: 120, metastases: ['lung'], surgery: { status: 'biopsy' } }), ctx());
    expect(d.explanations.find((e) => e.output === 'radiation.wholeLungGy')).toMatchObject({ unverified: true, disagreement: expect.stringMatching(/14 y/) });
  });

  test('no lung metastases means no whole-lung RT; unknown metastases is missing', () => {
    expect(radiationPlan(facts({ morphology: '9260/3', metastases: ['bone'], surgery: { status: 'biopsy' } }), ctx()).value?.wholeLungGy).toBe(0);
    expect(radiationPlan(facts({ morphology: '9260/3', surgery: { status: 'biopsy' } }), ctx()).missing)
      .toContainEqual({ field: 'metastases', needed_for: 'radiation.wholeLungGy' });
  });

  const EWS_RT_ROWS: Array<[string, CaseFacts['surgery'], number | null, string]> = [
    ['biopsy only (local control pending)', { status: 'biopsy' }, null, 'ewing_local_control_pending'],
    ['resected R0', { status: 'resected', margin: 'R0' }, 0, 'ewing_resected_r0'],
    ['resected R1 (microscopic residual)', { status: 'resected', margin: 'R1' }, 50.4, 'ewing_postop_microscopic_residual'],
    ['resected R2 (gross residual)', { status: 'resected', margin: 'R2' }, 55.8, 'ewing_gross_residual'],
  ];
  test.each(EWS_RT_ROWS.map(([label, surgery, gy, situation]) => [label, gy, surgery, situation] as const))(
    'Ewing %s → primary RT %s Gy, unverified (R-EWS-LC [K])', (_label, gy, surgery, situation) => {
    const d = radiationPlan(facts({ morphology: '9260/3', metastases: [], surgery }), ctx());
    expect(d.value).toMatchObject({ primaryGy: gy, situation });
    expect(d.explanations[0]).toMatchObject({ rules: ['R-EWS-LC'], unverified: true });
  });

  test('pending Ewing local control explains the definitive dose 55.8 Gy', () => {
    const d = radiationPlan(facts({ morphology: '9260/3', metastases: [], surgery: { status: 'biopsy' } }), ctx());
    expect(d.explanations[0]?.text).toMatch(/definitive RT 55\.8 Gy/);
  });

  test.each<[CaseFacts['surgery'], string]>([
    [undefined, 'surgery.status'], [{ status: 'resected' }, 'surgery.margin'],
  ])('Ewing with surgery %j names %s as missing', (surgery, field) => {
    expect(radiationPlan(facts({ morphology: '9260/3', metastases: [], surgery }), ctx()).missing).toContainEqual({ field, needed_for: 'radiation.primaryGy' });
  });

  test.each<[CaseFacts['surgery'], number, boolean]>([
    [{ status: 'biopsy' }, 0, false], [{ status: 'resected', margin: 'R0' }, 0, false],
    [{ status: 'resected', margin: 'R1' }, 60, true], [{ status: 'resected', margin: 'R2' }, 60, true],
  ])('osteosarcoma with surgery %j → primary RT %d Gy', (surgery, gy, unverified) => {
    const d = radiationPlan(facts({ surgery }), ctx());
    expect(d.value?.primaryGy).toBe(gy);
    expect(d.value?.wholeLungGy).toBeUndefined();
    expect(d.explanations[0]?.unverified === true).toBe(unverified);
  });

  test.each([['A', 0], ['B', 55.8], ['C', 55.8], ['D', 45], ['HR', null]] as const)('NRSTS arm %s → primary RT %s Gy', (arm, gy) => {
    const d = radiationPlan(facts({ morphology: '9040/3', topography: 'C49.2' }), ctx({ nrsts: { arst0332RiskGroup: null, arst0332Arm: arm } }));
    expect(d.value?.primaryGy).toBe(gy);
    expect(d.explanations[0]?.rules).toEqual(['R-NRSTS-ARM']);
  });

  test('NRSTS arm D leaves the boost to be set after delayed surgery', () => {
    const d = radiationPlan(facts({ morphology: '9040/3', topography: 'C49.2' }), ctx({ nrsts: { arst0332RiskGroup: null, arst0332Arm: 'D' } }));
    expect(d.value?.boostGy).toBeNull();
    expect(d.explanations[0]?.text).toMatch(/10\.8 Gy.*19\.8 Gy/);
  });

  test('a benign bone tumour has no radiation rule', () => {
    expect(radiationPlan(facts({ morphology: '9250/1' }), ctx()).value).toBeNull();
  });
});
