import { describe, expect, test } from 'vitest';
import type { CaseFacts } from '../facts/case-facts.js';
import { plannedExposure } from './exposure.js';
import { fertilityIndication, fertilityOptions } from './fertility.js';

const facts = (o: Partial<CaseFacts> = {}): CaseFacts => ({
  ageMonths: 168, sex: 'male', pubertalStatus: 'postpubertal', morphology: '9260/3', topography: 'C40.2', siteCategory: 'bone_extremity', ...o,
});

describe('fertilityOptions (R-FERT)', () => {
  test.each<[CaseFacts['sex'], NonNullable<CaseFacts['pubertalStatus']>, string[]]>([
    ['male', 'postpubertal', ['sperm_cryopreservation']],
    ['male', 'pubertal', ['sperm_cryopreservation', 'testicular_tissue_cryopreservation']],
    ['male', 'prepubertal', ['testicular_tissue_cryopreservation']],
    ['female', 'postpubertal', ['oocyte_cryopreservation', 'embryo_cryopreservation', 'ovarian_tissue_cryopreservation']],
    ['female', 'pubertal', ['oocyte_cryopreservation', 'ovarian_tissue_cryopreservation']],
    ['female', 'prepubertal', ['ovarian_tissue_cryopreservation']],
  ])('a %s %s child planned for alkylators is offered %j', (sex, pubertalStatus, options) => {
    const d = fertilityOptions(facts({ sex, pubertalStatus }), plannedExposure('T-EWS-ICC'));
    expect(d.value).toEqual(options);
    expect(d.explanations[0]).toMatchObject({ output: 'fertilityOptions', rules: ['R-FERT'] });
  });

  test('the pubertal choice is documented as a platform decision', () => {
    expect(fertilityOptions(facts({ pubertalStatus: 'pubertal' }), 4800).explanations[0]?.text).toMatch(/platform decision/);
  });

  const PLAN_ROWS: Array<[string, number | Record<string, number>, boolean]> = [
    ['planned CED 0', 0, false],
    ['planned CED 4,800 mg/m²', 4800, true],
    ['a plan with cisplatin only', { cisplatin: 480 }, true],
    ['a plan with doxorubicin and methotrexate only', { doxorubicin: 450, methotrexate: 144000 }, false],
    ['a plan with ifosfamide', { ifosfamide: 54000 }, true],
  ];
  test.each(PLAN_ROWS.map(([label, plan, indicated]) => [label, indicated, plan] as const))('with %s fertility preservation indicated is %s', (_label, indicated, plan) => {
    expect(fertilityIndication(facts(), plan).value).toBe(indicated);
    expect(fertilityOptions(facts(), plan).value?.length !== 0).toBe(indicated);
  });

  test.each([
    ['T-OS-MAP (cisplatin)', 'T-OS-MAP', true],
    ['T-RMS-LR-SUBSET-B (cyclophosphamide, total not given)', 'T-RMS-LR-SUBSET-B', true],
    ['T-RMS-VLR-VA24 (no alkylator)', 'T-RMS-VLR-VA24', false],
    ['T-BN-OBSERVE', 'T-BN-OBSERVE', false],
  ] as const)('template %s: indicated %s', (_label, id, indicated) => {
    expect(fertilityIndication(facts(), plannedExposure(id)).value).toBe(indicated);
  });

  test('not indicated gives no options but still an explanation', () => {
    const d = fertilityOptions(facts(), plannedExposure('T-RMS-VLR-VA24'));
    expect(d.value).toEqual([]);
    expect(d.explanations[0]?.text).toMatch(/not indicated/);
  });

  test('an unknown plan with no other trigger makes the options unknown', () => {
    const d = fertilityOptions(facts(), null);
    expect(d.value).toBeNull();
    expect(d.missing).toEqual([{ field: 'plannedCumulativeMgM2', needed_for: 'fertilityOptions' }]);
  });

  test('an indicated case without pubertal status names it as missing', () => {
    const d = fertilityOptions(facts({ pubertalStatus: undefined }), 4800);
    expect(d.value).toBeNull();
    expect(d.missing).toEqual([{ field: 'pubertalStatus', needed_for: 'fertilityOptions' }]);
  });

  test('a not-indicated case does not need the pubertal status', () => {
    expect(fertilityOptions(facts({ pubertalStatus: undefined }), 0)).toMatchObject({ value: [], missing: [] });
  });

  const RT_ROWS: Array<[string, Partial<CaseFacts>, number | null, string[] | null]> = [
    ['girl with pelvic Ewing and planned RT 55.8 Gy', { sex: 'female', siteCategory: 'bone_pelvis', topography: 'C41.4' }, 55.8,
      ['oocyte_cryopreservation', 'embryo_cryopreservation', 'ovarian_tissue_cryopreservation', 'ovarian_transposition', 'gonadal_shielding']],
    ['boy with bladder/prostate RMS and planned RT 50.4 Gy', { siteCategory: 'gu_bladder_prostate', topography: 'C67.9' }, 50.4,
      ['sperm_cryopreservation', 'gonadal_shielding']],
    ['girl with pelvic soft-tissue primary (C49.5) and planned RT', { sex: 'female', pubertalStatus: 'prepubertal', siteCategory: 'soft_tissue_trunk', topography: 'C49.5' }, 45,
      ['ovarian_tissue_cryopreservation', 'ovarian_transposition', 'gonadal_shielding']],
    ['girl with extremity primary and planned RT', { sex: 'female' }, 55.8, []],
    ['girl with pelvic primary and no RT planned', { sex: 'female', siteCategory: 'bone_pelvis', topography: 'C41.4' }, 0, []],
  ];
  test.each(RT_ROWS.map(([label, o, rt, options]) => [label, options, o, rt] as const))('RT near the gonads: %s → %j', (_label, options, o, rt) => {
    expect(fertilityOptions(facts(o), {}, rt).value).toEqual(options);
  });

  test('received RT with the gonads in the field indicates fertility preservation', () => {
    const f = facts({ exposures: { radiation: [{ field: 'flank', doseGy: 10.8, gonadsInField: true }] } });
    expect(fertilityIndication(f, {}).value).toBe(true);
  });
});

test('a pelvic primary whose RT dose is not yet set explains the RT add-ons without guessing them', () => {
  const d = fertilityOptions(facts({ sex: 'female', siteCategory: 'bone_pelvis', topography: 'C41.4' }), 8400, null);
  expect(d.value).toEqual(['oocyte_cryopreservation', 'embryo_cryopreservation', 'ovarian_tissue_cryopreservation']);
  expect(d.explanations[0]?.text).toMatch(/if RT is planned, add ovarian transposition/);
});
