import { describe, expect, test } from 'vitest';
import type { CaseFacts, RadiationCourse } from '../facts/case-facts.js';
import { chestHeartRtGy, survivorshipScreening } from './late-effects.js';

const survivor = (exposures: CaseFacts['exposures'], o: Partial<CaseFacts> = {}): CaseFacts => ({
  ageMonths: 240, sex: 'female', morphology: '9260/3', topography: 'C41.3', siteCategory: 'bone_chest_wall', exposures, ...o,
});
const course = (o: Partial<RadiationCourse> & Pick<RadiationCourse, 'field' | 'doseGy'>): RadiationCourse => o;
const tests = (f: CaseFacts) => survivorshipScreening(f).value?.items.map((i) => i.test) ?? [];
const item = (f: CaseFacts, prefix: string) => survivorshipScreening(f).value?.items.find((i) => i.test.startsWith(prefix));

describe('survivorshipScreening', () => {
  test('without recorded exposures there is no survivorship screening', () => {
    const d = survivorshipScreening(survivor(undefined));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual([]);
  });

  test('the DESIGN.md example survivor (AEWS0031 totals, left chest wall 50.4 Gy with breast in field) gets the expected plan', () => {
    const d = survivorshipScreening(survivor({
      ageAtTreatmentMonths: 144,
      agents: { doxorubicin: 375, cyclophosphamide: 8400, ifosfamide: 63000 },
      radiation: [course({ field: 'chest_wall', side: 'left', doseGy: 50.4, heartInField: true, heartDoseGy: 15, breastInField: true, gonadsInField: false, bladderInField: false, kidneyInField: false })],
    }));
    expect(d.value).toMatchObject({ cedMgM2: 23772, doxorubicinEquivalentMgM2: 375, echoFrequency: 'every_2_years' });
    expect(d.value?.items.map((i) => i.test)).toEqual([
      'Echocardiogram',
      'Blood pressure',
      'Electrolytes (incl. Mg, PO₄, bicarbonate), creatinine/eGFR and urinalysis',
      'Breast MRI and mammogram',
      'Complete blood count (therapy-related MDS/AML)',
      'Gonadal function, pubertal development and fertility counselling',
      'Examination of irradiated skin, soft tissue and bone',
    ]);
    expect(d.missing).toEqual([]);
    for (const i of d.value?.items ?? []) expect(i.rules.length).toBeGreaterThan(0);
    expect(d.explanations.filter((e) => e.output === 'survivorship.items')).toHaveLength(7);
  });

  const ECHO_ROWS: Array<[string, RadiationCourse[], Record<string, number>, string | undefined]> = [
    ['whole-lung 15 Gy, no anthracycline', [course({ field: 'whole_lung', doseGy: 15 })], {}, 'every 5 years'],
    ['mediastinum 35 Gy, no anthracycline', [course({ field: 'mediastinum', doseGy: 35 })], {}, 'every 2 years'],
    ['total body 12 Gy, no anthracycline', [course({ field: 'total_body', doseGy: 12 })], {}, undefined],
    ['abdomen with heart dose 16 Gy', [course({ field: 'abdomen', doseGy: 30, heartInField: true, heartDoseGy: 16 })], {}, 'every 5 years'],
    ['abdomen without the heart in field', [course({ field: 'abdomen', doseGy: 30, heartInField: false })], {}, undefined],
    ['doxorubicin 100 and whole lung 12 Gy + chest wall 3 Gy (summed to 15)', [course({ field: 'whole_lung', doseGy: 12 }), course({ field: 'chest_wall', doseGy: 3, breastInField: false })], { doxorubicin: 100 }, 'every 2 years'],
    ['doxorubicin 100 without RT', [], { doxorubicin: 100 }, 'every 5 years'],
  ];
  test.each(ECHO_ROWS.map(([label, radiation, agents, frequency]) => [label, frequency ?? 'not screened', frequency, radiation, agents] as const))(
    'echocardiogram after %s: %s', (_label, _shown, frequency, radiation, agents) => {
    expect(item(survivor({ agents, radiation }), 'Echocardiogram')?.frequency).toBe(frequency);
  });

  test('a heart-in-field course without a heart dose counts its prescribed dose as the upper bound', () => {
    expect(chestHeartRtGy([course({ field: 'spine', doseGy: 20, heartInField: true })]).gy).toBe(20);
  });

  test.each([
    [144, 'from age 25 y'], [204, 'from age 25 y'], [216, 'from age 26 y'], [240, 'from age 28 y'],
  ])('breast screening after chest RT at %d months starts %s (later of 25 y and RT + 8 y)', (ageAtTreatmentMonths, start) => {
    const i = item(survivor({ ageAtTreatmentMonths, agents: {}, radiation: [course({ field: 'chest_wall', doseGy: 20, breastInField: true })] }), 'Breast');
    expect(i?.frequency).toMatch(new RegExp(`^yearly, ${start} `));
    expect(i?.rules).toEqual(['R-LE-SMN']);
  });

  test.each([[9.9, false], [10, true], [19.9, true], [20, true]])('breast in field at %d Gy triggers breast screening: %s', (doseGy, screened) => {
    const f = survivor({ ageAtTreatmentMonths: 144, agents: {}, radiation: [course({ field: 'mediastinum', doseGy, breastInField: true })] });
    expect(tests(f).includes('Breast MRI and mammogram')).toBe(screened);
  });

  test('breast screening carries the ≥10 vs ≥20 Gy disagreement', () => {
    const d = survivorshipScreening(survivor({ ageAtTreatmentMonths: 144, agents: {}, radiation: [course({ field: 'chest_wall', doseGy: 15, breastInField: true })] }));
    expect(d.explanations.find((e) => e.text.startsWith('Breast'))?.disagreement).toMatch(/≥20 Gy/);
  });

  test('a male survivor with the breast in the field gets no breast screening', () => {
    expect(tests(survivor({ agents: {}, radiation: [course({ field: 'chest_wall', doseGy: 30, breastInField: true })] }, { sex: 'male' })))
      .not.toContain('Breast MRI and mammogram');
  });

  test('a female chest-field course without breastInField names it as missing', () => {
    expect(survivorshipScreening(survivor({ agents: {}, radiation: [course({ field: 'chest_wall', doseGy: 30 })] })).missing)
      .toContainEqual({ field: 'exposures.radiation[0].breastInField', needed_for: 'survivorship.items' });
  });

  test('breast screening without the age at RT keeps the start rule and names the age as missing', () => {
    const d = survivorshipScreening(survivor({ agents: {}, radiation: [course({ field: 'chest_wall', doseGy: 30, breastInField: true })] }));
    expect(d.value?.items.find((i) => i.test.startsWith('Breast'))?.frequency).toMatch(/whichever is later/);
    expect(d.missing).toContainEqual({ field: 'exposures.ageAtTreatmentMonths', needed_for: 'survivorship.items' });
  });

  const COLON_ROWS: Array<[string, RadiationCourse[], boolean]> = [
    ['pelvis 29.9 Gy', [course({ field: 'pelvis', doseGy: 29.9 })], false],
    ['pelvis 30 Gy', [course({ field: 'pelvis', doseGy: 30 })], true],
    ['spine 20 + abdomen 10 Gy', [course({ field: 'spine', doseGy: 20 }), course({ field: 'abdomen', doseGy: 10 })], true],
    ['extremity 50 Gy', [course({ field: 'extremity', doseGy: 50 })], false],
  ];
  test.each(COLON_ROWS.map(([label, radiation, screened]) => [label, screened, radiation] as const))('colonoscopy after %s: %s', (_label, screened, radiation) => {
    const i = item(survivor({ ageAtTreatmentMonths: 120, agents: {}, radiation }), 'Colonoscopy');
    expect(i !== undefined).toBe(screened);
    if (i) expect(i.frequency).toMatch(/^every 5 years, from age 35 y/);
  });

  test('audiology after cisplatin is unverified and names the higher risk with head and neck RT', () => {
    const d = survivorshipScreening(survivor({ ageAtTreatmentMonths: 48, agents: { cisplatin: 480 }, radiation: [course({ field: 'head_neck', doseGy: 50.4 })] }));
    const i = d.value?.items.find((x) => x.test === 'Audiological evaluation');
    expect(i?.rules).toEqual(['R-LE-OTO']);
    expect(i?.because).toMatch(/cisplatin 480 mg\/m², with cranial\/head and neck RT/);
    expect(d.explanations.find((e) => e.text.startsWith('Audiological'))?.unverified).toBe(true);
  });

  test.each([[59999, false], [60000, true]])('ifosfamide %d mg/m² is high risk for nephrotoxicity: %s', (ifosfamide, high) => {
    const i = item(survivor({ agents: { ifosfamide }, radiation: [] }), 'Blood pressure');
    expect(i?.frequency).toBe('yearly');
    expect(i?.because.includes('≥60 g/m²: high risk')).toBe(high);
    expect(i?.rules).toEqual(['R-LE-IFO']);
  });

  const TMN_ROWS: Array<[string, Record<string, number>, boolean]> = [
    ['alkylators', { cyclophosphamide: 4800 }, true], ['etoposide', { etoposide: 3500 }, true], ['vincristine only', { vincristine: 12 }, false],
  ];
  test.each(TMN_ROWS.map(([label, agents, screened]) => [label, screened, agents] as const))('CBC surveillance for therapy-related myeloid neoplasm after %s: %s', (_label, screened, agents) => {
    expect(tests(survivor({ agents, radiation: [] })).includes('Complete blood count (therapy-related MDS/AML)')).toBe(screened);
  });

  test('a male with CED ≥4,000 mg/m² is offered semen analysis', () => {
    expect(item(survivor({ agents: { cyclophosphamide: 4800 }, radiation: [] }, { sex: 'male' }), 'Gonadal')?.because).toMatch(/semen analysis/);
  });

  const PELVIC_ROWS: Array<[string, RadiationCourse, boolean]> = [
    ['a pelvis field', course({ field: 'pelvis', doseGy: 36 }), true],
    ['gonads in a flank field', course({ field: 'flank', doseGy: 10, gonadsInField: true }), true],
    ['bladder in field', course({ field: 'abdomen', doseGy: 20, bladderInField: true }), true],
    ['an extremity field', course({ field: 'extremity', doseGy: 50.4 }), false],
  ];
  test.each(PELVIC_ROWS.map(([label, c, screened]) => [label, screened, c] as const))('pelvic RT late-effects surveillance after %s: %s', (_label, screened, c) => {
    const i = item(survivor({ agents: {}, radiation: [c] }), 'Pelvic RT late effects');
    expect(i !== undefined).toBe(screened);
    if (i) expect(i.rules).toEqual(['R-LE-RT', 'R-FLAGS']);
  });

  test('spinal RT at ≥50 Gy names scoliosis and fracture risk in the irradiated-tissue examination', () => {
    const i = item(survivor({ agents: {}, radiation: [course({ field: 'spine', doseGy: 50.4 })] }), 'Examination of irradiated');
    expect(i?.because).toMatch(/scoliosis/);
    expect(i?.because).toMatch(/fracture/);
  });

  test('orbital RT adds head and neck follow-up with an eye examination', () => {
    expect(item(survivor({ agents: {}, radiation: [course({ field: 'orbit', doseGy: 45 })] }), 'Head and neck RT')?.test).toMatch(/cataract/);
  });

  test('unknown agents leave CED and the doxorubicin equivalent null and say so', () => {
    const d = survivorshipScreening(survivor({ radiation: [] }));
    expect(d.value).toMatchObject({ cedMgM2: null, doxorubicinEquivalentMgM2: null, echoFrequency: null });
    expect(d.missing).toContainEqual({ field: 'exposures.agents', needed_for: 'survivorship.cedMgM2' });
  });

  test.each([[300, 'every_2_years', false], [100, null, true]])('unknown radiation with doxorubicin %d mg/m² → echo %s', (doxorubicin, echo, echoMissing) => {
    const d = survivorshipScreening(survivor({ agents: { doxorubicin } }));
    expect(d.value?.echoFrequency).toBe(echo);
    expect(d.missing.some((m) => m.needed_for === 'survivorship.echoFrequency')).toBe(echoMissing);
    expect(d.missing).toContainEqual({ field: 'exposures.radiation', needed_for: 'survivorship.items' });
  });
});
