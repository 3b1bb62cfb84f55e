import { describe, expect, test } from 'vitest';
import { assess, assessMany, isInternalError, type AssessResult } from './assess.js';
import type { Assessment, FactError } from './facts/assessment.js';
import { PENDING_RULE_IDS, isRuleId } from './rules/rule-ids.js';

/** The assessment of facts that must be valid (fails the test with the errors otherwise). */
function assessed(input: unknown): Assessment {
  const r = assess(input);
  if (!r.ok) throw new Error(`expected valid facts, got ${JSON.stringify(r.errors)}`);
  return r.assessment;
}

function errorsOf(input: unknown): FactError[] {
  const r = assess(input);
  if (r.ok) throw new Error('expected invalid facts');
  return r.errors;
}

/** Every explanation cites at least one rule, and every rule it cites is a rules.md ID (or a known pending one). */
function expectRulesFromRulesMd(a: Assessment): void {
  for (const e of a.explanations) {
    expect(e.rules.length, `${e.output}: ${e.text}`).toBeGreaterThan(0);
    for (const id of e.rules) expect(isRuleId(id) || id in PENDING_RULE_IDS, `${id} (${e.output})`).toBe(true);
  }
}

const KEYS = [
  'enneking', 'ajcc', 'rms', 'ewing', 'osteosarcoma', 'nrsts', 'treatmentTemplate', 'plannedCumulativeMgM2', 'cedMgM2',
  'doxorubicinEquivalentMgM2', 'echoFrequency', 'radiation', 'icd10cm', 'flags', 'siteSpecificDisciplines',
  'conferenceDisciplines', 'fertilityOptions', 'survivorship', 'missing', 'explanations',
];

// DESIGN.md §4: a 14-year-old boy with a 7.5 cm osteosarcoma of the right distal femur and lung metastases.
const OSTEOSARCOMA = {
  ageMonths: 168, sex: 'male', pubertalStatus: 'postpubertal', morphology: '9180/3', topography: 'C40.2',
  siteCategory: 'bone_extremity', primarySite: 'distal femur', laterality: 'right', sizeCm: 7.5,
  bone: { extraosseousExtension: true, compartment: 'extracompartmental', skipLesion: 'none' },
  regionalNodes: 'N0', metastases: ['lung'], metastaticSiteCount: 1,
};

const EWING_PELVIS = {
  ageMonths: 150, sex: 'female', pubertalStatus: 'pubertal', morphology: '9260/3', topography: 'C41.4',
  siteCategory: 'bone_pelvis', primarySite: 'left iliac wing and acetabulum', laterality: 'left', sizeCm: 9.5,
  bone: { extraosseousExtension: true, compartment: 'extracompartmental', skipLesion: 'none', pelvicSegments: 2, sacroiliacCrossing: false, greatVesselInvolvement: false },
  regionalNodes: 'N0', metastases: [], metastaticSiteCount: 0, surgery: { status: 'biopsy' }, diseaseStatus: 'newly_diagnosed',
};

const RMS_ORBIT = {
  ageMonths: 60, sex: 'male', pubertalStatus: 'prepubertal', morphology: '8910/3', topography: 'C69.6', siteCategory: 'hn_orbit',
  primarySite: 'right orbit', laterality: 'right', sizeCm: 3, invasiveness: 'T1', regionalNodes: 'N0', metastases: [],
  surgery: { status: 'biopsy' }, molecular: { foxo1Fusion: 'negative', myod1: 'wild_type', tp53: 'wild_type' },
  headNeck: { intracranialExtension: false, skullBaseErosion: false, cranialNervePalsy: false, boneErosion: false },
};

const RMS_ALVEOLAR_METASTATIC = {
  ageMonths: 144, sex: 'male', pubertalStatus: 'pubertal', morphology: '8920/3', topography: 'C49.2',
  siteCategory: 'soft_tissue_extremity', primarySite: 'left thigh', laterality: 'left', sizeCm: 8, depth: 'deep',
  invasiveness: 'T2', regionalNodes: 'N1', metastases: ['lung', 'bone_marrow'], metastaticSiteCount: 2,
  surgery: { status: 'biopsy' }, molecular: { foxo1Fusion: 'positive', fusionPartner: 'PAX3' },
};

const SYNOVIAL = {
  ageMonths: 192, sex: 'female', pubertalStatus: 'postpubertal', morphology: '9040/3', topography: 'C49.2',
  siteCategory: 'soft_tissue_extremity', primarySite: 'right popliteal fossa', laterality: 'right', sizeCm: 4.5, depth: 'deep',
  regionalNodes: 'N0', metastases: [], grade: { fnclcc: 3, twoTier: 'high' }, surgery: { status: 'resected', margin: 'R1' },
};

const ABC = {
  ageMonths: 96, sex: 'female', pubertalStatus: 'prepubertal', morphology: '9260/0', topography: 'C40.0',
  siteCategory: 'bone_extremity', primarySite: 'proximal humerus', laterality: 'left', sizeCm: 4,
  bone: { radiographicBehavior: 'active', compartment: 'intracompartmental', skipLesion: 'none' },
};

describe('assessing the DESIGN §4 osteosarcoma (14-year-old boy, right distal femur, 7.5 cm, lung metastases)', () => {
  const a = assessed(OSTEOSARCOMA);

  test('has exactly the assessment keys, in contract order', () => {
    expect(Object.keys(a)).toEqual(KEYS);
  });

  test('is AJCC appendicular T1 N0 M1a high grade, stage IVA', () => {
    expect(a.ajcc).toEqual({ scheme: 'AJCC8-bone-appendicular', T: 'T1', N: 'N0', M: 'M1a', grade: 'high', stageGroup: 'IVA' });
  });

  test('is Enneking III (IIIB: extracompartmental with metastasis)', () => {
    expect(a.enneking).toEqual({ stage: 'III', substage: 'IIIB' });
  });

  test('is metastatic to the lung only, with the histologic response unknown before surgery', () => {
    expect(a.osteosarcoma).toEqual({ metastaticCategory: 'metastatic_lung_only', huvosGrade: null, responseByNecrosis90: null, euramosResponse: null });
    expect(a.missing).toContainEqual({ field: 'histologicResponse', needed_for: 'osteosarcoma.huvosGrade' });
  });

  test('gets MAP with planned doxorubicin 450, cisplatin 480 and methotrexate 144,000 mg/m²', () => {
    expect(a.treatmentTemplate).toBe('T-OS-MAP');
    expect(a.plannedCumulativeMgM2).toEqual({ doxorubicin: 450, cisplatin: 480, methotrexate: 144000 });
    expect(a.cedMgM2).toBe(0);
    expect(a.doxorubicinEquivalentMgM2).toBe(450);
    expect(a.echoFrequency).toBe('every_2_years');
  });

  test('is not staged by the other systems', () => {
    expect([a.rms, a.ewing, a.nrsts]).toEqual([null, null, null]);
  });

  test('raises the growth, fertility, cisplatin and anthracycline flags', () => {
    expect(a.flags).toEqual([
      'GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS', 'FERTILITY_PRESERVATION_INDICATED', 'CISPLATIN_OTOTOXICITY_MONITORING',
      'ANTHRACYCLINE_CARDIAC_MONITORING',
    ]);
  });

  test('offers sperm cryopreservation to a post-pubertal boy', () => {
    expect(a.fertilityOptions).toEqual(['sperm_cryopreservation']);
  });

  test('brings orthopaedic oncology, rehabilitation and thoracic surgery, and the standing conference groups', () => {
    expect(a.siteSpecificDisciplines).toEqual(['orthopedic_oncology', 'rehabilitation', 'thoracic_surgery']);
    expect(a.conferenceDisciplines).toEqual(['pediatric_oncology', 'orthopedic_oncology', 'radiation_oncology', 'pathology', 'radiology']);
  });

  test('is coded C40.21 (right lower-limb long bone)', () => {
    expect(a.icd10cm).toBe('C40.21');
  });

  test('leaves the RT dose unknown until the surgery status is recorded', () => {
    expect(a.radiation).toEqual({ primaryGy: null, situation: 'unknown' });
    expect(a.missing).toContainEqual({ field: 'surgery.status', needed_for: 'radiation.primaryGy' });
  });

  test('explains AJCC T from the size with its rule ID', () => {
    expect(a.explanations).toContainEqual({ output: 'ajcc.T', rules: ['R-AJCC-BONE-T-APP'], text: '7.5 cm ≤ 8 cm → T1' });
  });

  test('cites only rules.md rule IDs', () => {
    expectRulesFromRulesMd(a);
  });

  test('has no survivorship screening without received exposures', () => {
    expect(a.survivorship).toBeNull();
  });
});

describe('assessing a localized Ewing sarcoma of the pelvis (12-year-old girl, 9.5 cm, two segments)', () => {
  const a = assessed(EWING_PELVIS);

  test('is localized and gets interval-compressed VDC/IE', () => {
    expect(a.ewing).toEqual({ metastaticCategory: 'localized' });
    expect(a.treatmentTemplate).toBe('T-EWS-ICC');
    expect(a.plannedCumulativeMgM2).toEqual({ doxorubicin: 375, cyclophosphamide: 8400, ifosfamide: 63000, etoposide: 3500 });
  });

  test('has the planned CED of about 23,772 mg/m² and doxorubicin equivalent 375 mg/m² (rules.md §2.1)', () => {
    expect(a.cedMgM2).toBe(23772);
    expect(a.doxorubicinEquivalentMgM2).toBe(375);
    expect(a.echoFrequency).toBe('every_2_years');
  });

  test('is AJCC pelvis T3b with no stage group (R-AJCC-BONE-NOGROUP) and Enneking IIB with the Ewing caveat', () => {
    expect(a.ajcc).toEqual({ scheme: 'AJCC8-bone-pelvis', T: 'T3b', N: 'N0', M: 'M0', grade: 'high', stageGroup: null });
    expect(a.enneking).toEqual({ stage: 'IIB', substage: null });
    expect(a.flags).toContain('ENNEKING_CAVEAT_EWING');
  });

  test('waits for local control before an RT dose, and plans no whole-lung RT', () => {
    expect(a.radiation).toEqual({ primaryGy: null, situation: 'ewing_local_control_pending', wholeLungGy: 0 });
  });

  test('raises the pelvic-site, fertility, anthracycline and ifosfamide flags', () => {
    expect(a.flags).toEqual([
      'PELVIC_SITE', 'FERTILITY_PRESERVATION_INDICATED', 'ANTHRACYCLINE_CARDIAC_MONITORING', 'IFOSFAMIDE_NEPHROTOXICITY_RISK',
      'ENNEKING_CAVEAT_EWING',
    ]);
  });

  test('offers oocyte or ovarian tissue cryopreservation to a pubertal girl', () => {
    expect(a.fertilityOptions).toEqual(['oocyte_cryopreservation', 'ovarian_tissue_cryopreservation']);
  });

  test('is coded C41.4 and misses no fact', () => {
    expect(a.icd10cm).toBe('C41.4');
    expect(a.missing).toEqual([]);
    expectRulesFromRulesMd(a);
  });
});

describe('assessing an embryonal RMS of the orbit, group III, fusion-negative (5-year-old boy)', () => {
  const a = assessed(RMS_ORBIT);

  test('is stage 1 group III at a favourable site, low risk both ways, ARST2032 LR subset A', () => {
    expect(a.rms).toEqual({
      stage: 1, clinicalGroup: 'III', siteCategory: 'favorable', cogRiskHistologyBased: 'low', cogRiskFusionBased: 'low',
      arst2032Category: 'LR', lowRiskSubset: 'A', oberlinFactorCount: null, oberlinCategory: null, epssgHighRisk: false,
    });
  });

  test('gets VAC ×4 then VA with cyclophosphamide 4.8 g/m² and no anthracycline', () => {
    expect(a.treatmentTemplate).toBe('T-RMS-LR-VAC4-VA');
    expect(a.plannedCumulativeMgM2).toEqual({ cyclophosphamide: 4800 });
    expect(a.cedMgM2).toBe(4800);
    expect(a.doxorubicinEquivalentMgM2).toBe(0);
  });

  test('gets 45 Gy orbital RT with the 45 vs 50.4 Gy disagreement shown', () => {
    expect(a.radiation).toEqual({ primaryGy: 45, situation: 'rms_group_III_orbit', wholeLungGy: 0 });
    const why = a.explanations.find((e) => e.output === 'radiation.primaryGy');
    expect(why?.rules).toEqual(['R-RMS-RT']);
    expect(why?.disagreement).toMatch(/50\.4 Gy/);
  });

  test('leaves the echo frequency open while the chest RT dose of the plan is unknown', () => {
    expect(a.echoFrequency).toBeNull();
    expect(a.missing).toEqual([{ field: 'exposures.radiation', needed_for: 'echoFrequency' }]);
  });

  test('is not staged by Enneking or AJCC (IRS/COG systems instead)', () => {
    expect(a.enneking).toBeNull();
    expect(a.ajcc).toBeNull();
    expect(a.explanations.find((e) => e.output === 'enneking')?.rules).toEqual(['R-ENN-RMS']);
  });

  test('raises ORBIT and fertility flags and offers testicular tissue cryopreservation to a pre-pubertal boy', () => {
    expect(a.flags).toEqual(['ORBIT', 'FERTILITY_PRESERVATION_INDICATED']);
    expect(a.fertilityOptions).toEqual(['testicular_tissue_cryopreservation']);
  });

  test('brings ophthalmology and otolaryngology, and is coded C69.61', () => {
    expect(a.siteSpecificDisciplines).toEqual(['ophthalmology']);
    expect(a.conferenceDisciplines).toContain('otolaryngology');
    expect(a.icd10cm).toBe('C69.61');
    expectRulesFromRulesMd(a);
  });
});

describe('assessing a fusion-positive alveolar RMS of the thigh with lung and marrow metastases (12-year-old boy)', () => {
  const a = assessed(RMS_ALVEOLAR_METASTATIC);

  test('is stage 4 group IV, high risk both ways, not eligible for ARST2032, with three Oberlin factors', () => {
    expect(a.rms).toMatchObject({
      stage: 4, clinicalGroup: 'IV', siteCategory: 'unfavorable', cogRiskHistologyBased: 'high', cogRiskFusionBased: 'high',
      arst2032Category: 'NOT_ELIGIBLE_FUSION_POSITIVE', lowRiskSubset: null, oberlinFactorCount: 3, oberlinCategory: '>=2',
    });
  });

  test('gets the intensive high-risk template, whose totals rules.md does not give (so no CED or anthracycline dose)', () => {
    expect(a.treatmentTemplate).toBe('T-RMS-HR-INTENSIVE');
    expect(a.plannedCumulativeMgM2).toBeNull();
    expect(a.cedMgM2).toBeNull();
    expect(a.doxorubicinEquivalentMgM2).toBeNull();
    expect(a.echoFrequency).toBeNull();
    expect(a.explanations.find((e) => e.output === 'plannedCumulativeMgM2')?.text).toMatch(/rules\.md gives no planned total/);
  });

  test('plans 15 Gy whole-lung RT at ≥6 years and leaves the group IV primary dose to the template', () => {
    expect(a.radiation).toEqual({ primaryGy: null, situation: 'rms_group_IV', wholeLungGy: 15 });
    expect(a.flags).toContain('WHOLE_LUNG_RT');
  });

  test('raises the age, extremity node-evaluation and fertility flags', () => {
    expect(a.flags).toEqual(expect.arrayContaining(['AGE_GE_10Y', 'EXTREMITY_RMS_REGIONAL_NODE_EVALUATION', 'FERTILITY_PRESERVATION_INDICATED']));
    expect(a.siteSpecificDisciplines).toContain('pediatric_surgery');
  });

  test('offers sperm or testicular tissue cryopreservation to a pubertal boy, and is coded C49.22', () => {
    expect(a.fertilityOptions).toEqual(['sperm_cryopreservation', 'testicular_tissue_cryopreservation']);
    expect(a.icd10cm).toBe('C49.22');
    expectRulesFromRulesMd(a);
  });
});

describe('assessing a 4.5 cm high-grade synovial sarcoma resected R1 (16-year-old girl)', () => {
  const a = assessed(SYNOVIAL);

  test('is ARST0332 low risk, arm B, with post-operative RT 55.8 Gy', () => {
    expect(a.nrsts).toEqual({ arst0332RiskGroup: 'low', arst0332Arm: 'B' });
    expect(a.treatmentTemplate).toBe('T-NRSTS-B');
    expect(a.radiation).toEqual({ primaryGy: 55.8, situation: 'nrsts_arm_B_postop_rt' });
  });

  test('plans no chemotherapy, so fertility preservation is not indicated', () => {
    expect(a.plannedCumulativeMgM2).toEqual({});
    expect(a.cedMgM2).toBe(0);
    expect(a.doxorubicinEquivalentMgM2).toBe(0);
    expect(a.fertilityOptions).toEqual([]);
    expect(a.flags).toEqual([]);
  });

  test('is AJCC soft-tissue T1 N0 M0 high grade, stage II', () => {
    expect(a.ajcc).toEqual({ scheme: 'AJCC8-sts-trunk-extremity', T: 'T1', N: 'N0', M: 'M0', grade: 'high', stageGroup: 'II' });
  });

  test('adds medical oncology at 16 years and is coded C49.21', () => {
    expect(a.conferenceDisciplines).toContain('medical_oncology');
    expect(a.icd10cm).toBe('C49.21');
    expectRulesFromRulesMd(a);
  });
});

describe('assessing an active aneurysmal bone cyst of the humerus (benign, Enneking stage 2)', () => {
  const a = assessed(ABC);

  test('is Enneking stage 2 and gets curettage', () => {
    expect(a.enneking).toEqual({ stage: '2', substage: null });
    expect(a.treatmentTemplate).toBe('T-BN-CURETTAGE');
  });

  test('plans no chemotherapy and no radiation, so no echo, flags or fertility options', () => {
    expect(a.plannedCumulativeMgM2).toEqual({});
    expect(a.cedMgM2).toBe(0);
    expect(a.doxorubicinEquivalentMgM2).toBe(0);
    expect(a.echoFrequency).toBe('none');
    expect(a.explanations).toContainEqual({ output: 'echoFrequency', rules: ['T-BN-CURETTAGE', 'R-LE-ECHO'], text: 'T-BN-CURETTAGE plans no radiation → planned chest/heart RT 0 Gy' });
    expect(a.radiation).toBeNull();
    expect(a.flags).toEqual([]);
    expect(a.fertilityOptions).toEqual([]);
  });

  test('has no AJCC stage and leaves the ICD-10-CM code to a coder (M85.5-, not D16)', () => {
    expect(a.ajcc).toBeNull();
    expect(a.icd10cm).toBeNull();
    expect(a.explanations.find((e) => e.output === 'icd10cm')?.text).toMatch(/needs a coder/);
    expect(a.missing).toEqual([]);
    expectRulesFromRulesMd(a);
  });
});

describe('assessing a case with only the required facts (Ewing sarcoma of the femur)', () => {
  const a = assessed({ ageMonths: 100, sex: 'male', morphology: '9260/3', topography: 'C40.2', siteCategory: 'bone_extremity' });

  test('leaves the staging outputs null and names the facts they need', () => {
    expect(a.ewing).toEqual({ metastaticCategory: null });
    expect(a.enneking).toEqual({ stage: null, substage: null });
    expect(a.ajcc).toMatchObject({ T: null, N: null, M: null, grade: 'high', stageGroup: null });
    expect(a.missing).toEqual(expect.arrayContaining([
      { field: 'metastases', needed_for: 'ewing.metastaticCategory' },
      { field: 'sizeCm', needed_for: 'ajcc.T' },
      { field: 'bone.compartment', needed_for: 'enneking.stage' },
      { field: 'laterality', needed_for: 'icd10cm' },
    ]));
  });

  test('has no template or planned exposure, and says what blocks them', () => {
    expect(a.treatmentTemplate).toBeNull();
    expect([a.plannedCumulativeMgM2, a.cedMgM2, a.doxorubicinEquivalentMgM2, a.echoFrequency, a.icd10cm]).toEqual([null, null, null, null, null]);
    expect(a.missing).toEqual(expect.arrayContaining([
      { field: 'ewing.metastaticCategory', needed_for: 'treatmentTemplate' },
      { field: 'treatmentTemplate', needed_for: 'plannedCumulativeMgM2' },
    ]));
  });

  test('gives no fertility options while the plan is unknown, and lists the plan as missing for them', () => {
    expect(a.fertilityOptions).toEqual([]);
    expect(a.missing).toContainEqual({ field: 'plannedCumulativeMgM2', needed_for: 'fertilityOptions' });
  });

  test('lists each missing fact once', () => {
    const keys = a.missing.map((m) => `${m.field}|${m.needed_for}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('still gives the arrays and the conference groups', () => {
    expect(a.flags).toEqual(['GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS']);
    expect(a.conferenceDisciplines).toEqual(['pediatric_oncology', 'orthopedic_oncology', 'radiation_oncology', 'pathology', 'radiology']);
    expectRulesFromRulesMd(a);
  });
});

describe('assessing cases outside the rules.md templates', () => {
  test('a relapsed osteosarcoma gets no front-line template but survivorship screening for what it received', () => {
    const a = assessed({
      ...OSTEOSARCOMA, ageMonths: 200, diseaseStatus: 'relapsed',
      exposures: { ageAtTreatmentMonths: 170, agents: { doxorubicin: 450, cisplatin: 480, methotrexate: 144000 }, radiation: [] },
    });
    expect(a.treatmentTemplate).toBeNull();
    expect(a.plannedCumulativeMgM2).toBeNull();
    expect(a.missing).not.toContainEqual({ field: 'treatmentTemplate', needed_for: 'plannedCumulativeMgM2' });
    expect(a.survivorship).toMatchObject({ cedMgM2: 0, doxorubicinEquivalentMgM2: 450, echoFrequency: 'every_2_years' });
    expect(a.survivorship?.items.map((i) => i.test)).toEqual(expect.arrayContaining(['Echocardiogram', 'Audiological evaluation']));
    expect(a.flags).toEqual(expect.arrayContaining(['CISPLATIN_OTOTOXICITY_MONITORING', 'ANTHRACYCLINE_CARDIAC_MONITORING']));
    expectRulesFromRulesMd(a);
  });

  test('a desmoid tumour has no staging system, template or radiation rule, and is coded D48.1', () => {
    const a = assessed({ ageMonths: 150, sex: 'female', morphology: '8821/1', topography: 'C49.6', siteCategory: 'soft_tissue_trunk' });
    expect([a.enneking, a.ajcc, a.rms, a.ewing, a.osteosarcoma, a.nrsts, a.treatmentTemplate, a.radiation]).toEqual([null, null, null, null, null, null, null, null]);
    expect(a.icd10cm).toBe('D48.1');
    expectRulesFromRulesMd(a);
  });
});

describe('invalid case facts', () => {
  const base = { ageMonths: 120, sex: 'female', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity' };

  test.each<[string, unknown, FactError]>([
    ['an unknown morphology code', { ...base, morphology: '1234/3' }, { field: 'morphology', message: 'unknown ICD-O-3 morphology code 1234/3' }],
    ['a negative size', { ...base, sizeCm: -2 }, { field: 'sizeCm', message: 'must be > 0, got -2' }],
    ['a zero size', { ...base, sizeCm: 0 }, { field: 'sizeCm', message: 'must be > 0, got 0' }],
    ['a negative age', { ...base, ageMonths: -1 }, { field: 'ageMonths', message: 'must be ≥ 0 months, got -1' }],
    ['an age of 1500 months', { ...base, ageMonths: 1500 }, { field: 'ageMonths', message: 'must be ≤ 1440 months (120 years), got 1500' }],
    ['an unknown site category', { ...base, siteCategory: 'bone_femur' }, { field: 'siteCategory', message: expect.stringMatching(/^"bone_femur" is not one of bone_extremity, /) as unknown as string }],
    ['an unknown key', { ...base, tumorVolumeMl: 250 }, { field: 'tumorVolumeMl', message: 'unknown field' }],
    ['an unknown key inside bone', { ...base, bone: { skipLesion: 'none', skipLesions: 2 } }, { field: 'bone.skipLesions', message: 'unknown field' }],
    ['a wrong value inside bone', { ...base, bone: { skipLesion: 'yes' } }, { field: 'bone.skipLesion', message: '"yes" is not one of none, same_bone, other_bone' }],
    ['an FNCLCC grade of 4', { ...base, grade: { fnclcc: 4 } }, { field: 'grade.fnclcc', message: '4 is not one of 1, 2, 3' }],
    ['an unknown metastatic site', { ...base, metastases: ['lung', 'spleen'] }, { field: 'metastases[1]', message: expect.stringMatching(/^"spleen" is not one of/) as unknown as string }],
    ['a missing sex', { ...base, sex: undefined }, { field: 'sex', message: 'required' }],
    ['a topography ICD-O-3 does not use', { ...base, topography: 'C45.0' }, { field: 'topography', message: 'C45.0 is not an ICD-O-3 topography code (C00–C80)' }],
    ['a topography beyond C80', { ...base, topography: 'C97' }, { field: 'topography', message: 'C97 is not an ICD-O-3 topography code (C00–C80)' }],
    ['a malformed topography', { ...base, topography: 'femur' }, { field: 'topography', message: 'must be an ICD-O-3 topography code like C40.2' }],
    ['fewer metastatic sites counted than listed', { ...base, metastases: ['lung', 'bone', 'lung'], metastaticSiteCount: 1 }, { field: 'metastaticSiteCount', message: 'is 1 but metastases lists 2 distinct sites' }],
  ])('%s is an error naming the field', (_name, input, error) => {
    expect(errorsOf(input)).toEqual([error]);
  });

  test('each problem is listed, schema problems first in schema order', () => {
    expect(errorsOf({ ...base, ageMonths: 1500, sizeCm: -1, extra: true }).map((e) => e.field)).toEqual(['ageMonths', 'sizeCm', 'extra']);
  });

  test('the checks beyond the schema are all reported together', () => {
    expect(errorsOf({ ...base, morphology: '1234/3', topography: 'C79.9', metastases: ['lung'], metastaticSiteCount: 0 }).map((e) => e.field))
      .toEqual(['morphology', 'topography', 'metastaticSiteCount']);
  });

  test('a metastatic site count equal to the distinct sites listed, or above it, is accepted', () => {
    expect(assess({ ...base, metastases: ['lung', 'lung'], metastaticSiteCount: 1 }).ok).toBe(true);
    expect(assess({ ...base, metastases: ['lung'], metastaticSiteCount: 3 }).ok).toBe(true);
  });

  test.each([
    ['a number', 5], ['null', null], ['an array', []], ['a string', 'case'], ['undefined', undefined],
  ])('%s instead of an object is an error on (facts)', (_name, input) => {
    const errors = errorsOf(input);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.field).toBe('(facts)');
    expect(isInternalError(errors[0]!)).toBe(false);
  });

  test('an input that throws while being read is reported, not thrown', () => {
    const hostile = { ...base, get sizeCm(): number { throw new Error('boom'); } };
    const r: AssessResult = assess(hostile);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.field).toBe('(facts)');
  });
});

describe('agent names that are also JavaScript property names', () => {
  test.each(['constructor', '__proto__', ' __proto__ ', 'toString', 'hasOwnProperty'])('such as %j are read as agent names, not looked up on a prototype', (name) => {
    const r = assess({
      ...OSTEOSARCOMA, diseaseStatus: 'relapsed',
      priorTherapy: [{ kind: 'chemotherapy', agents: [name] }], exposures: { agents: { [name]: 100 }, radiation: [] },
    });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.assessment.survivorship).toMatchObject({ cedMgM2: 0, doxorubicinEquivalentMgM2: 0 });
      expect(r.assessment.flags).not.toContain('ANTHRACYCLINE_CARDIAC_MONITORING');
      for (const e of r.assessment.explanations) expect(e.text).not.toMatch(/native code/);
    }
  });

  test('do not disturb the real agents beside them', () => {
    const a = assessed({
      ...OSTEOSARCOMA, diseaseStatus: 'relapsed',
      exposures: { agents: { constructor: 100, ' __proto__ ': 7, Doxorubicin: 200, doxorubicin: 100, ifosfamide: 10000 }, radiation: [] },
    });
    expect(a.survivorship).toMatchObject({ cedMgM2: 2440, doxorubicinEquivalentMgM2: 300 });
  });
});

describe('assessMany', () => {
  test('assesses each case on its own, in order', () => {
    const results = assessMany([OSTEOSARCOMA, { nonsense: true }, ABC]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[0]).toEqual(assess(OSTEOSARCOMA));
    expect(results[2]).toEqual(assess(ABC));
  });

  test('of nothing is nothing', () => {
    expect(assessMany([])).toEqual([]);
  });
});

describe('the assessment as data', () => {
  test.each([
    ['osteosarcoma', OSTEOSARCOMA], ['Ewing', EWING_PELVIS], ['orbit RMS', RMS_ORBIT], ['metastatic RMS', RMS_ALVEOLAR_METASTATIC],
    ['synovial sarcoma', SYNOVIAL], ['ABC', ABC],
  ])('of the %s case survives a JSON round trip unchanged and is the same when assessed twice', (_name, facts) => {
    const a = assessed(facts);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(assessed(structuredClone(facts))).toEqual(a);
  });

  test('does not share the template library objects (changing an output does not change the next one)', () => {
    const first = assessed(OSTEOSARCOMA);
    first.plannedCumulativeMgM2!.doxorubicin = 1;
    expect(assessed(OSTEOSARCOMA).plannedCumulativeMgM2).toEqual({ doxorubicin: 450, cisplatin: 480, methotrexate: 144000 });
  });
});
