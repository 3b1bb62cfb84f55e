import { describe, test, expect } from 'vitest';
import type { BoneFacts, CaseFacts } from '../facts/case-facts.js';
import { assessEnneking, ennekingBenign, ennekingMalignant, stageBenign, ENNEKING_III_DISAGREEMENT, ENNEKING_EWING_DISAGREEMENT } from './enneking.js';

/** A localized, fully described malignant bone case; tests override what they walk. */
function bone(over: Partial<CaseFacts> = {}, b: Partial<BoneFacts> = {}): CaseFacts {
  return {
    ageMonths: 168, sex: 'male', morphology: '9220/3', topography: 'C40.2', siteCategory: 'bone_extremity',
    laterality: 'right', sizeCm: 7.5, regionalNodes: 'N0', metastases: [],
    bone: { compartment: 'intracompartmental', skipLesion: 'none', ...b },
    ...over,
  };
}

function softTissue(over: Partial<CaseFacts> = {}): CaseFacts {
  return {
    ageMonths: 180, sex: 'female', morphology: '8810/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity',
    laterality: 'left', sizeCm: 6, regionalNodes: 'N0', metastases: [], bone: { compartment: 'extracompartmental' },
    ...over,
  };
}

describe('Enneking benign bone stages (R-ENN)', () => {
  test.each([
    ['latent', '1'], ['active', '2'], ['aggressive', '3'],
  ] as const)('a %s benign bone lesion is stage %s', (radiographicBehavior, stage) => {
    const r = assessEnneking(bone({ morphology: '9210/0' }, { radiographicBehavior }));
    expect(r.value).toEqual({ stage, substage: null });
    expect(r.explanations[0]).toMatchObject({ output: 'enneking.stage', rules: ['R-ENN'] });
    expect(r.missing).toEqual([]);
  });

  test('every benign row is reachable and ordered 1, 2, 3', () => {
    expect(ennekingBenign.map((r) => r.value)).toEqual(['1', '2', '3']);
  });

  test('a benign bone lesion without radiographic behaviour has no stage and says what is missing', () => {
    const r = assessEnneking(bone({ morphology: '9250/1' }));
    expect(r.value).toEqual({ stage: null, substage: null });
    expect(r.missing).toEqual([{ field: 'bone.radiographicBehavior', needed_for: 'enneking.stage' }]);
  });

  test('a metastasis from an aggressive benign tumour (e.g. giant cell tumour) leaves it stage 3', () => {
    const r = assessEnneking(bone({ morphology: '9250/1', metastases: ['lung'] }, { radiographicBehavior: 'aggressive' }));
    expect(r.value?.stage).toBe('3');
  });

  test('stageBenign explains the radiographic reason', () => {
    expect(stageBenign('latent').explanations[0]?.text).toMatch(/latent.*→ 1$/);
  });
});

describe('Enneking does not apply (R-ENN-RMS, benign or intermediate soft tissue)', () => {
  test.each([
    ['embryonal rhabdomyosarcoma', '8910/3', 'C49.2', 'R-ENN-RMS'],
    ['alveolar rhabdomyosarcoma of bone', '8920/3', 'C40.2', 'R-ENN-RMS'],
    ['desmoid-type fibromatosis', '8821/1', 'C49.2', 'R-ENN'],
    ['a benign fibrous histiocytoma of soft tissue', '8830/0', 'C49.2', 'R-ENN'],
  ])('%s has no Enneking stage (value null, with the reason)', (_name, morphology, topography, rule) => {
    const r = assessEnneking(softTissue({ morphology, topography }));
    expect(r.value).toBeNull();
    expect(r.missing).toEqual([]);
    expect(r.explanations[0]).toMatchObject({ output: 'enneking', rules: [rule] });
  });

  test('an unknown morphology gives no stage and says why, without pretending a fact is missing', () => {
    const r = assessEnneking(bone({ morphology: '9999/3' }));
    expect(r.value).toEqual({ stage: null, substage: null });
    expect(r.explanations[0]?.text).toMatch(/not in the platform ICD-O-3 table/);
  });
});

describe('Enneking malignant stages (R-ENN)', () => {
  test.each([
    ['low', 'intracompartmental', 'IA'],
    ['low', 'extracompartmental', 'IB'],
    ['high', 'intracompartmental', 'IIA'],
    ['high', 'extracompartmental', 'IIB'],
  ] as const)('a %s-grade %s chondrosarcoma without metastasis is %s', (twoTier, compartment, stage) => {
    const r = assessEnneking(bone({ grade: { twoTier } }, { compartment }));
    expect(r.value).toEqual({ stage, substage: null });
    expect(r.missing).toEqual([]);
    expect(r.explanations[0]?.rules).toContain('R-ENN');
  });

  test('the stage explanation reads as a checkable sentence', () => {
    const r = assessEnneking(bone({ morphology: '9180/3' }, { compartment: 'extracompartmental' }));
    expect(r.explanations[0]?.text).toBe(
      'Osteosarcoma NOS / conventional: high grade by histology (G2), extracompartmental (T2), N0, no distant metastasis, no skip lesion (M0) → IIB',
    );
  });

  test('size is not used: a 20 cm and a 2 cm intracompartmental high-grade tumour are both IIA', () => {
    for (const sizeCm of [2, 20]) expect(assessEnneking(bone({ sizeCm, grade: { twoTier: 'high' } })).value?.stage).toBe('IIA');
  });

  test('the malignant table puts III (any G, any T, M1) before the M0 rows', () => {
    expect(ennekingMalignant.map((r) => r.value)).toEqual(['III', 'IA', 'IB', 'IIA', 'IIB']);
  });
});

describe('Enneking surgical grade', () => {
  test.each([
    ['FNCLCC 1', '9220/3', { fnclcc: 1 }, 'IA'],
    ['FNCLCC 2', '9220/3', { fnclcc: 2 }, 'IIA'],
    ['FNCLCC 3', '9220/3', { fnclcc: 3 }, 'IIA'],
    ['two-tier low over FNCLCC 3', '9220/3', { twoTier: 'low', fnclcc: 3 }, 'IA'],
    ['conventional osteosarcoma with no recorded grade', '9180/3', undefined, 'IIA'],
    ['telangiectatic osteosarcoma with no recorded grade', '9183/3', undefined, 'IIA'],
    ['high-grade surface osteosarcoma with no recorded grade', '9194/3', undefined, 'IIA'],
    ['parosteal osteosarcoma with no recorded grade', '9192/3', undefined, 'IA'],
    ['low-grade central osteosarcoma with no recorded grade', '9187/3', undefined, 'IA'],
    ['parosteal osteosarcoma recorded high grade (dedifferentiated)', '9192/3', { twoTier: 'high' }, 'IIA'],
  ] as const)('%s gives an intracompartmental M0 tumour stage %s', (_name, morphology, grade, stage) => {
    const r = assessEnneking(bone({ morphology, ...(grade ? { grade } : {}) }));
    expect(r.value?.stage).toBe(stage);
  });

  test('Ewing sarcoma is staged as high grade even when a low grade is recorded, with the R-ENN-EWS caveat', () => {
    const r = assessEnneking(bone({ morphology: '9260/3', grade: { twoTier: 'low' } }));
    expect(r.value?.stage).toBe('IIA');
    expect(r.explanations[0]?.rules).toEqual(['R-ENN', 'R-ENN-EWS']);
    expect(r.explanations[0]?.disagreement).toBe(ENNEKING_EWING_DISAGREEMENT);
  });

  test.each([
    ['periosteal osteosarcoma (intermediate grade)', '9193/3', undefined],
    ['chondrosarcoma', '9220/3', undefined],
    ['fibrosarcoma with only POG grade 2', '8810/3', { pog: 2 }],
  ] as const)('%s with no usable grade has no stage and reports grade missing', (_name, morphology, grade) => {
    const r = assessEnneking(bone({ morphology, ...(grade ? { grade } : {}) }));
    expect(r.value).toEqual({ stage: null, substage: null });
    expect(r.missing).toEqual([{ field: 'grade', needed_for: 'enneking.stage' }]);
  });

  test.each([
    ['synovial sarcoma (POG 3 by histology)', '9040/3', undefined, 'IIB'],
    ['myxoid liposarcoma (POG 1 by histology)', '8852/3', undefined, 'IB'],
    ['fibrosarcoma recorded POG 3', '8810/3', { pog: 3 }, 'IIB'],
    ['fibrosarcoma recorded POG 1', '8810/3', { pog: 1 }, 'IB'],
  ] as const)('an extracompartmental %s without metastasis is %s', (_name, morphology, grade, stage) => {
    const r = assessEnneking(softTissue({ morphology, ...(grade ? { grade } : {}) }));
    expect(r.value?.stage).toBe(stage);
  });

  test('a grade fixed by soft-tissue histology cites R-NRSTS-GRADE', () => {
    const r = assessEnneking(softTissue({ morphology: '9040/3' }));
    expect(r.explanations[0]?.rules).toEqual(['R-ENN', 'R-NRSTS-GRADE']);
  });
});

describe('Enneking stage III: metastasis, regional node or skip lesion (R-ENN, R-ENN-III)', () => {
  test.each([
    ['a regional node metastasis', { regionalNodes: 'N1' }, {}],
    ['a lung metastasis', { metastases: ['lung'] }, {}],
    ['a bone-marrow metastasis', { metastases: ['bone_marrow'] }, {}],
    ['a skip lesion in the same bone', {}, { skipLesion: 'same_bone' }],
    ['a skip lesion in another bone', {}, { skipLesion: 'other_bone' }],
  ] as const)('a low-grade tumour with %s is stage III', (_name, over, b) => {
    const r = assessEnneking(bone({ grade: { twoTier: 'low' }, ...over } as Partial<CaseFacts>, b));
    expect(r.value?.stage).toBe('III');
    expect(r.explanations[0]).toMatchObject({ output: 'enneking.stage', disagreement: ENNEKING_III_DISAGREEMENT });
    expect(r.explanations[0]?.rules).toEqual(['R-ENN', 'R-ENN-III']);
  });

  test.each([
    ['intracompartmental', 'IIIA'], ['extracompartmental', 'IIIB'],
  ] as const)('a metastatic %s tumour is III with sub-stage %s', (compartment, substage) => {
    const r = assessEnneking(bone({ metastases: ['lung'] }, { compartment }));
    expect(r.value).toEqual({ stage: 'III', substage });
    expect(r.explanations.map((e) => e.output)).toEqual(['enneking.stage', 'enneking.substage']);
  });

  test('stage III needs neither grade nor compartment; the missing compartment only blocks the sub-stage', () => {
    const r = assessEnneking(bone({ metastases: ['lung'], morphology: '9220/3' }, { compartment: undefined }));
    expect(r.value).toEqual({ stage: 'III', substage: null });
    expect(r.missing).toEqual([{ field: 'bone.compartment', needed_for: 'enneking.substage' }]);
  });

  test('a positive finding decides M1 even when other M facts are unknown', () => {
    const r = assessEnneking(bone({ regionalNodes: undefined, metastases: ['lung'] }, { skipLesion: undefined }));
    expect(r.value?.stage).toBe('III');
  });

  test('a metastatic Ewing sarcoma carries both caveats', () => {
    const r = assessEnneking(bone({ morphology: '9260/3', metastases: ['lung'] }));
    expect(r.explanations[0]?.rules).toEqual(['R-ENN', 'R-ENN-III', 'R-ENN-EWS']);
    expect(r.explanations[0]?.disagreement).toContain('R-ENN-EWS');
  });

  test('NX is counted as no known nodal disease, as both AJCC chapters do', () => {
    const r = assessEnneking(bone({ regionalNodes: 'NX', grade: { twoTier: 'high' } }, { compartment: 'extracompartmental' }));
    expect(r.value?.stage).toBe('IIB');
    expect(r.explanations[0]?.text).toContain('NX counted as N0');
  });
});

describe('Enneking never guesses a missing fact', () => {
  test.each([
    ['regionalNodes', { regionalNodes: undefined }, {}],
    ['metastases', { metastases: undefined }, {}],
    ['bone.skipLesion', {}, { skipLesion: undefined }],
    ['bone.compartment', {}, { compartment: undefined }],
    ['grade', { grade: undefined }, {}],
  ] as const)('without %s a localized-looking tumour has no stage', (field, over, b) => {
    const r = assessEnneking(bone({ grade: { twoTier: 'high' }, ...over } as Partial<CaseFacts>, b));
    expect(r.value).toEqual({ stage: null, substage: null });
    expect(r.missing).toContainEqual({ field, needed_for: 'enneking.stage' });
  });

  test('every missing fact is listed at once', () => {
    const r = assessEnneking(bone({ regionalNodes: undefined, metastases: undefined, bone: undefined }));
    expect(r.missing.map((m) => m.field)).toEqual(['grade', 'bone.compartment', 'regionalNodes', 'metastases', 'bone.skipLesion']);
  });

  test('a positive site count without the sites listed is not used: metastases stay missing', () => {
    const r = assessEnneking(bone({ metastases: undefined, metastaticSiteCount: 2, grade: { twoTier: 'low' } }));
    expect(r.value?.stage).toBeNull();
    expect(r.missing).toEqual([{ field: 'metastases', needed_for: 'enneking.stage' }]);
  });

  test('a metastatic site count of zero counts as no distant metastasis', () => {
    const r = assessEnneking(bone({ metastases: undefined, metastaticSiteCount: 0, grade: { twoTier: 'low' } }));
    expect(r.value?.stage).toBe('IA');
  });

  test('a soft-tissue sarcoma is not asked for a skip lesion', () => {
    const r = assessEnneking(softTissue({ grade: { twoTier: 'high' } }));
    expect(r.value?.stage).toBe('IIB');
    expect(r.explanations[0]?.text).not.toContain('skip');
  });

  test('a soft-tissue sarcoma without a recorded compartment is not staged from its region', () => {
    const r = assessEnneking(softTissue({ grade: { twoTier: 'high' }, bone: undefined, primarySite: 'popliteal fossa' }));
    expect(r.value?.stage).toBeNull();
    expect(r.missing).toEqual([{ field: 'bone.compartment', needed_for: 'enneking.stage' }]);
  });
});
