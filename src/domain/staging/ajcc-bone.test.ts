import { describe, test, expect } from 'vitest';
import type { BoneFacts, CaseFacts } from '../facts/case-facts.js';
import { lookupMorphology } from '../coding/morphology.js';
import {
  assessAjccBone, boneScheme, boneStageGroups, stageAppendicularT, stageBoneGrade, stageBoneGroup, stageBoneM, stageBoneN,
  stagePelvisT, stageSpineT, BONE_GRADE_DISAGREEMENT, BONE_T1_8CM_DISAGREEMENT, SPINE_T3_DISAGREEMENT, type BoneTnmg,
} from './ajcc-bone.js';

function osteosarcoma(over: Partial<CaseFacts> = {}, b: Partial<BoneFacts> = {}): CaseFacts {
  return {
    ageMonths: 168, sex: 'male', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity',
    primarySite: 'distal femur', laterality: 'right', sizeCm: 7.5, regionalNodes: 'N0', metastases: [],
    bone: { extraosseousExtension: true, compartment: 'extracompartmental', skipLesion: 'none', ...b },
    ...over,
  };
}

describe('AJCC 8 bone T, appendicular skeleton, trunk, skull and face (R-AJCC-BONE-T-APP)', () => {
  test.each([
    [0.5, 'T1'], [7.9, 'T1'], [8, 'T1'], [8.1, 'T2'], [25, 'T2'],
  ] as const)('a %d cm appendicular tumor without skip lesion is %s', (sizeCm, T) => {
    expect(stageAppendicularT({ sizeCm, skipLesion: 'none' }).value).toBe(T);
  });

  test.each([
    [3, 'T3'], [12, 'T3'], [undefined, 'T3'],
  ] as const)('a %s cm tumor with a skip lesion in the same bone is %s', (sizeCm, T) => {
    expect(stageAppendicularT({ sizeCm, skipLesion: 'same_bone' }).value).toBe(T);
  });

  test('a skip lesion in another bone does not change T (it is M1b)', () => {
    expect(stageAppendicularT({ sizeCm: 9, skipLesion: 'other_bone' }).value).toBe('T2');
  });

  test('the reason is the size against the 8 cm cut-off', () => {
    expect(stageAppendicularT({ sizeCm: 7.5, skipLesion: 'none' }).explanations).toEqual([
      { output: 'ajcc.T', rules: ['R-AJCC-BONE-T-APP'], text: '7.5 cm ≤ 8 cm → T1' },
    ]);
  });

  test('exactly 8 cm is T1 and carries the "<8" vs "≤8" disagreement', () => {
    expect(stageAppendicularT({ sizeCm: 8, skipLesion: 'none' }).explanations[0]?.disagreement).toBe(BONE_T1_8CM_DISAGREEMENT);
    expect(stageAppendicularT({ sizeCm: 7.9, skipLesion: 'none' }).explanations[0]?.disagreement).toBeUndefined();
  });

  test.each([
    [{ skipLesion: 'none' }, ['sizeCm']],
    [{ sizeCm: 5 }, ['bone.skipLesion']],
    [{}, ['sizeCm', 'bone.skipLesion']],
  ] as const)('with %j the T is unknown and the missing facts are named', (f, fields) => {
    const r = stageAppendicularT(f);
    expect(r.value).toBeNull();
    expect(r.missing).toEqual(fields.map((field) => ({ field, needed_for: 'ajcc.T' })));
  });
});

describe('AJCC 8 bone T, spine (R-AJCC-BONE-T-SPINE)', () => {
  const clear = { spinalCanalInvasion: false, greatVesselInvolvement: false, nonadjacentSegments: false };
  test.each([
    ['one segment', { ...clear, vertebralSegments: 1 }, 'T1'],
    ['two adjacent segments', { ...clear, vertebralSegments: 2 }, 'T1'],
    ['three adjacent segments', { ...clear, vertebralSegments: 3 }, 'T2'],
    ['four adjacent segments', { ...clear, vertebralSegments: 4 }, 'T3'],
    ['five segments', { ...clear, vertebralSegments: 5 }, 'T3'],
    ['two nonadjacent segments', { ...clear, vertebralSegments: 2, nonadjacentSegments: true }, 'T3'],
    ['spinal canal extension with one segment', { ...clear, vertebralSegments: 1, spinalCanalInvasion: true }, 'T4a'],
    ['great-vessel invasion with one segment', { ...clear, vertebralSegments: 1, greatVesselInvolvement: true }, 'T4b'],
    ['canal and vessel invasion', { ...clear, vertebralSegments: 2, spinalCanalInvasion: true, greatVesselInvolvement: true }, 'T4b'],
    ['one segment, adjacency not recorded', { spinalCanalInvasion: false, greatVesselInvolvement: false, vertebralSegments: 1 }, 'T1'],
    ['canal extension, segments not recorded', { spinalCanalInvasion: true, greatVesselInvolvement: false }, 'T4a'],
    ['vessel invasion, nothing else recorded', { greatVesselInvolvement: true }, 'T4b'],
  ] as const)('a spine tumour with %s is %s', (_name, f, T) => {
    const r = stageSpineT(f);
    expect(r.value).toBe(T);
    expect(r.explanations[0]?.rules).toEqual(['R-AJCC-BONE-T-SPINE']);
  });

  test('T3 by nonadjacent segments carries the AJCC vs UICC wording disagreement', () => {
    expect(stageSpineT({ ...clear, vertebralSegments: 2, nonadjacentSegments: true }).explanations[0]?.disagreement).toBe(SPINE_T3_DISAGREEMENT);
    expect(stageSpineT({ ...clear, vertebralSegments: 4 }).explanations[0]?.disagreement).toBeUndefined();
  });

  test.each([
    ['great-vessel status', { spinalCanalInvasion: false, vertebralSegments: 1 }, ['bone.greatVesselInvolvement']],
    ['canal status', { greatVesselInvolvement: false, vertebralSegments: 1 }, ['bone.spinalCanalInvasion']],
    ['the segment count', { greatVesselInvolvement: false, spinalCanalInvasion: false }, ['bone.vertebralSegments']],
    ['adjacency of 3 segments', { greatVesselInvolvement: false, spinalCanalInvasion: false, vertebralSegments: 3 }, ['bone.nonadjacentSegments']],
    ['great-vessel status when the canal is invaded (T4a vs T4b)', { spinalCanalInvasion: true }, ['bone.greatVesselInvolvement']],
  ] as const)('without %s the spine T is unknown', (_name, f, fields) => {
    const r = stageSpineT(f);
    expect(r.value).toBeNull();
    expect(r.missing).toEqual(fields.map((field) => ({ field, needed_for: 'ajcc.T' })));
  });
});

describe('AJCC 8 bone T, pelvis (R-AJCC-BONE-T-PELVIS)', () => {
  const clear = { sacroiliacCrossing: false, greatVesselInvolvement: false };
  test.each([
    [1, false, 8, 'T1a', false], [1, false, 8.1, 'T1b', false],
    [1, true, 8, 'T2a', false], [1, true, 8.1, 'T2b', true],
    [2, false, 7, 'T2a', false], [2, false, 9, 'T2b', true],
    [2, true, 8, 'T3a', true], [2, true, 8.1, 'T3b', true],
    [3, false, 4, 'T4a', true], [4, true, 20, 'T4a', true],
  ] as const)('%d segment(s), extraosseous extension %s, %d cm → %s (unverified: %s)', (pelvicSegments, extraosseousExtension, sizeCm, T, unverified) => {
    const r = stagePelvisT({ ...clear, pelvicSegments, extraosseousExtension, sizeCm });
    expect(r.value).toBe(T);
    expect(r.explanations[0]?.rules).toEqual(['R-AJCC-BONE-T-PELVIS']);
    expect(r.explanations[0]?.unverified ?? false).toBe(unverified);
  });

  test('crossing the sacroiliac joint into the neuroforamen is T4a whatever the size', () => {
    expect(stagePelvisT({ sacroiliacCrossing: true, greatVesselInvolvement: false }).value).toBe('T4a');
  });

  test('external iliac encasement or pelvic vessel thrombus is T4b, unverified [K]', () => {
    const r = stagePelvisT({ greatVesselInvolvement: true, pelvicSegments: 1, extraosseousExtension: false, sizeCm: 3 });
    expect(r.value).toBe('T4b');
    expect(r.explanations[0]?.unverified).toBe(true);
  });

  test('the reason names segments, extension and size', () => {
    expect(stagePelvisT({ ...clear, pelvicSegments: 1, extraosseousExtension: true, sizeCm: 6 }).explanations[0]?.text)
      .toBe('1 segment with extraosseous extension, 6 cm ≤ 8 cm → T2a');
  });

  test.each([
    ['vessel status', { sacroiliacCrossing: false, pelvicSegments: 1, extraosseousExtension: false, sizeCm: 3 }, ['bone.greatVesselInvolvement']],
    ['sacroiliac status', { greatVesselInvolvement: false, pelvicSegments: 1, extraosseousExtension: false, sizeCm: 3 }, ['bone.sacroiliacCrossing']],
    ['extension and size', { ...clear, pelvicSegments: 2 }, ['bone.extraosseousExtension', 'sizeCm']],
    ['vessel status with three segments', { pelvicSegments: 3 }, ['bone.greatVesselInvolvement']],
    ['everything', {}, ['bone.greatVesselInvolvement', 'bone.sacroiliacCrossing', 'bone.pelvicSegments', 'bone.extraosseousExtension', 'sizeCm']],
  ] as const)('without %s the pelvis T is unknown', (_name, f, fields) => {
    const r = stagePelvisT(f);
    expect(r.value).toBeNull();
    expect(r.missing).toEqual(fields.map((field) => ({ field, needed_for: 'ajcc.T' })));
  });
});

describe('AJCC 8 bone N (R-AJCC-BONE)', () => {
  test.each([
    ['N0', 'N0'], ['N1', 'N1'], ['NX', 'N0'],
  ] as const)('regional nodes %s are %s', (nodes, N) => {
    expect(stageBoneN(nodes).value).toBe(N);
  });

  test('NX is treated as N0 and the explanation says so', () => {
    expect(stageBoneN('NX').explanations[0]?.text).toMatch(/^NX: .*treated as N0/);
  });

  test('absent nodal status is missing, not assumed N0', () => {
    expect(stageBoneN(undefined)).toEqual({ value: null, explanations: [], missing: [{ field: 'regionalNodes', needed_for: 'ajcc.N' }] });
  });
});

describe('AJCC 8 bone M (R-AJCC-BONE)', () => {
  test.each([
    [[], 'none', 'M0'],
    [['lung'], 'none', 'M1a'],
    [['lung'], 'same_bone', 'M1a'],
    [['pleura'], 'none', 'M1b'],
    [['lung', 'pleura'], 'none', 'M1b'],
    [['lung', 'bone'], 'none', 'M1b'],
    [['bone_marrow'], 'none', 'M1b'],
    [['distant_lymph_nodes'], 'none', 'M1b'],
    [['liver'], 'none', 'M1b'],
    [['brain'], 'none', 'M1b'],
    [['other'], 'none', 'M1b'],
    [[], 'other_bone', 'M1b'],
    [['lung'], 'other_bone', 'M1b'],
  ] as const)('metastases %j with skip lesion %s are %s', (metastases, skipLesion, M) => {
    expect(stageBoneM({ metastases, skipLesion }).value).toBe(M);
  });

  test('pleural metastasis is M1b because M1a is lung only, and the reason names the site', () => {
    expect(stageBoneM({ metastases: ['pleura'], skipLesion: 'none' }).explanations[0]?.text).toBe('distant metastasis outside the lung (pleura) → M1b');
  });

  test('a skip lesion in another bone is M1b and marked unverified [K]', () => {
    expect(stageBoneM({ metastases: [], skipLesion: 'other_bone' }).explanations[0]?.unverified).toBe(true);
  });

  test.each([
    ['lung only with skip lesion unknown (M1a vs M1b)', { metastases: ['lung'] }, ['bone.skipLesion']],
    ['no metastases with skip lesion unknown', { metastases: [] }, ['bone.skipLesion']],
    ['nothing recorded', {}, ['metastases', 'bone.skipLesion']],
    ['a positive count without sites', { metastaticSiteCount: 2, skipLesion: 'none' }, ['metastases']],
  ] as const)('%s leaves M unknown', (_name, f, fields) => {
    const r = stageBoneM(f);
    expect(r.value).toBeNull();
    expect(r.missing).toEqual(fields.map((field) => ({ field, needed_for: 'ajcc.M' })));
  });

  test('a non-lung site decides M1b even when the skip lesion is unknown', () => {
    expect(stageBoneM({ metastases: ['bone'] }).value).toBe('M1b');
  });

  test('a site count of zero with no list is M0', () => {
    expect(stageBoneM({ metastaticSiteCount: 0, skipLesion: 'none' }).value).toBe('M0');
  });
});

describe('AJCC 8 bone grade (8th edition)', () => {
  const grade = (morphology: string, g?: CaseFacts['grade']) =>
    stageBoneGrade(osteosarcoma({ morphology, ...(g ? { grade: g } : {}) }), lookupMorphology(morphology));

  test.each([
    ['chondrosarcoma G1', '9220/3', { fnclcc: 1 }, 'low'],
    ['chondrosarcoma G2', '9220/3', { fnclcc: 2 }, 'high'],
    ['chondrosarcoma G3', '9220/3', { fnclcc: 3 }, 'high'],
    ['chondrosarcoma recorded low', '9220/3', { twoTier: 'low' }, 'low'],
    ['conventional osteosarcoma', '9180/3', undefined, 'high'],
    ['high-grade surface osteosarcoma', '9194/3', undefined, 'high'],
    ['parosteal osteosarcoma', '9192/3', undefined, 'low'],
    ['low-grade central osteosarcoma', '9187/3', undefined, 'low'],
    ['Ewing sarcoma', '9260/3', undefined, 'high'],
    ['Ewing sarcoma recorded low', '9260/3', { twoTier: 'low' }, 'high'],
  ] as const)('%s is %s grade', (_name, morphology, g, expected) => {
    expect(grade(morphology, g).value).toBe(expected);
  });

  test('Ewing is high grade as a [K] rule, marked unverified', () => {
    expect(grade('9260/3').explanations[0]).toMatchObject({ output: 'ajcc.grade', unverified: true });
  });

  test('G2 is high in the 8th edition and carries the 7th-edition disagreement', () => {
    expect(grade('9220/3', { fnclcc: 2 }).explanations[0]?.disagreement).toBe(BONE_GRADE_DISAGREEMENT);
    expect(grade('9220/3', { fnclcc: 3 }).explanations[0]?.disagreement).toBeUndefined();
  });

  test.each([
    ['chondrosarcoma', '9220/3'], ['periosteal osteosarcoma', '9193/3'], ['chordoma', '9370/3'],
  ])('%s with no recorded grade has grade missing (absent is not GX)', (_name, morphology) => {
    expect(grade(morphology).missing).toEqual([{ field: 'grade', needed_for: 'ajcc.grade' }]);
  });
});

describe('AJCC 8 bone stage groups (R-AJCC-BONE-STAGE)', () => {
  test.each([
    ['T1', 'N0', 'M0', 'low', 'IA'],
    ['T2', 'N0', 'M0', 'low', 'IB'],
    ['T3', 'N0', 'M0', 'low', 'IB'],
    ['T1', 'N0', 'M0', 'high', 'IIA'],
    ['T2', 'N0', 'M0', 'high', 'IIB'],
    ['T3', 'N0', 'M0', 'high', 'III'],
    ['T1', 'N0', 'M1a', 'low', 'IVA'],
    ['T3', 'N0', 'M1a', 'high', 'IVA'],
    ['T1', 'N1', 'M0', 'low', 'IVB'],
    ['T2', 'N1', 'M1a', 'high', 'IVB'],
    ['T1', 'N0', 'M1b', 'low', 'IVB'],
    ['T3', 'N1', 'M1b', 'high', 'IVB'],
  ] as const)('%s %s %s %s grade is stage %s', (T, N, M, grade, group) => {
    expect(stageBoneGroup({ T, N, M, grade }).value).toBe(group);
  });

  test.each([
    ['N1 with T, M and grade unknown', { T: null, N: 'N1', M: null, grade: null }, 'IVB'],
    ['M1b with N and grade unknown', { T: null, N: null, M: 'M1b', grade: null }, 'IVB'],
    ['N0 M1a with T and grade unknown', { T: null, N: 'N0', M: 'M1a', grade: null }, 'IVA'],
    ['M1a with N unknown', { T: 'T1', N: null, M: 'M1a', grade: 'high' }, null],
    ['N0 M0 T1 with grade unknown', { T: 'T1', N: 'N0', M: 'M0', grade: null }, null],
    ['N0 M0 high grade with T unknown', { T: null, N: 'N0', M: 'M0', grade: 'high' }, null],
  ] as const)('%s gives %s', (_name, c, group) => {
    expect(stageBoneGroup(c as BoneTnmg).value).toBe(group);
  });

  test('the group table lists IVB and IVA before the localized groups', () => {
    expect(boneStageGroups.map((r) => r.value)).toEqual(['IVB', 'IVB', 'IVA', 'IA', 'IB', 'IIA', 'IIB', 'III']);
  });
});

describe('AJCC 8 bone scheme choice', () => {
  test.each([
    ['C40.2', 'bone_extremity', 'AJCC8-bone-appendicular'],
    ['C41.3', 'bone_chest_wall', 'AJCC8-bone-appendicular'],
    ['C41.0', 'bone_skull_face', 'AJCC8-bone-appendicular'],
    ['C41.1', 'bone_skull_face', 'AJCC8-bone-appendicular'],
    ['C41.2', 'bone_spine', 'AJCC8-bone-spine'],
    ['C41.4', 'bone_pelvis', 'AJCC8-bone-pelvis'],
    ['C41.4', 'bone_spine', 'AJCC8-bone-pelvis'],
    ['C41.9', 'bone_spine', 'AJCC8-bone-spine'],
    ['C41.8', 'bone_pelvis', 'AJCC8-bone-pelvis'],
    ['C41.9', 'other', 'AJCC8-bone-appendicular'],
  ] as const)('topography %s with site category %s uses %s', (topography, siteCategory, scheme) => {
    expect(boneScheme({ topography, siteCategory }).value).toBe(scheme);
  });
});

describe('AJCC 8 bone, whole result (assessAjccBone)', () => {
  test('the DESIGN example: 7.5 cm distal femur osteosarcoma, N0 M0 → T1 N0 M0 high, IIA', () => {
    const r = assessAjccBone(osteosarcoma());
    expect(r.value).toEqual({ scheme: 'AJCC8-bone-appendicular', T: 'T1', N: 'N0', M: 'M0', grade: 'high', stageGroup: 'IIA' });
    expect(r.missing).toEqual([]);
    expect(r.explanations).toContainEqual({ output: 'ajcc.T', rules: ['R-AJCC-BONE-T-APP'], text: '7.5 cm ≤ 8 cm → T1' });
    expect(r.explanations).toContainEqual({ output: 'ajcc.stageGroup', rules: ['R-AJCC-BONE-STAGE'], text: 'T1 N0 M0, high grade → IIA' });
  });

  test.each([
    ['a 10 cm tumour', { sizeCm: 10 }, {}, 'IIB'],
    ['a same-bone skip lesion', {}, { skipLesion: 'same_bone' }, 'III'],
    ['lung metastases', { metastases: ['lung'] }, {}, 'IVA'],
    ['a skip lesion in another bone', {}, { skipLesion: 'other_bone' }, 'IVB'],
    ['regional nodes', { regionalNodes: 'N1' }, {}, 'IVB'],
    ['parosteal histology', { morphology: '9192/3' }, {}, 'IA'],
    ['parosteal histology at 9 cm', { morphology: '9192/3', sizeCm: 9 }, {}, 'IB'],
  ] as const)('an appendicular osteosarcoma with %s is stage %s', (_name, over, b, group) => {
    expect(assessAjccBone(osteosarcoma(over as Partial<CaseFacts>, b)).value?.stageGroup).toBe(group);
  });

  test.each([
    ['spine', 'C41.2', 'bone_spine', { vertebralSegments: 3, nonadjacentSegments: false, spinalCanalInvasion: false, greatVesselInvolvement: false }, 'AJCC8-bone-spine', 'T2'],
    ['pelvis', 'C41.4', 'bone_pelvis', { pelvicSegments: 2, extraosseousExtension: true, sacroiliacCrossing: false, greatVesselInvolvement: false }, 'AJCC8-bone-pelvis', 'T3a'],
  ] as const)('a %s Ewing sarcoma has TNM but no stage group (R-AJCC-BONE-NOGROUP)', (_name, topography, siteCategory, b, scheme, T) => {
    const r = assessAjccBone(osteosarcoma({ morphology: '9260/3', topography, siteCategory }, b));
    expect(r.value).toEqual({ scheme, T, N: 'N0', M: 'M0', grade: 'high', stageGroup: null });
    expect(r.missing).toEqual([]);
    expect(r.explanations).toContainEqual(expect.objectContaining({ output: 'ajcc.stageGroup', rules: ['R-AJCC-BONE-NOGROUP'] }));
  });

  test('a missing grade blocks a localized group and is reported for the group too', () => {
    const r = assessAjccBone(osteosarcoma({ morphology: '9220/3' }));
    expect(r.value).toMatchObject({ T: 'T1', grade: null, stageGroup: null });
    expect(r.missing).toEqual([
      { field: 'grade', needed_for: 'ajcc.grade' },
      { field: 'grade', needed_for: 'ajcc.stageGroup' },
    ]);
  });

  test('a missing grade does not block IVA (any grade)', () => {
    const r = assessAjccBone(osteosarcoma({ morphology: '9220/3', metastases: ['lung'] }));
    expect(r.value).toMatchObject({ grade: null, stageGroup: 'IVA' });
    expect(r.missing).toEqual([{ field: 'grade', needed_for: 'ajcc.grade' }]);
  });

  test('a missing size blocks T and the group but not N, M or grade', () => {
    const r = assessAjccBone(osteosarcoma({ sizeCm: undefined }));
    expect(r.value).toEqual({ scheme: 'AJCC8-bone-appendicular', T: null, N: 'N0', M: 'M0', grade: 'high', stageGroup: null });
    expect(r.missing).toEqual([{ field: 'sizeCm', needed_for: 'ajcc.T' }, { field: 'sizeCm', needed_for: 'ajcc.stageGroup' }]);
  });

  test.each([
    ['rhabdomyosarcoma of bone', { morphology: '8920/3' }],
    ['a benign osteochondroma', { morphology: '9210/0' }],
    ['giant cell tumour of bone', { morphology: '9250/1' }],
    ['extraosseous Ewing sarcoma of soft tissue', { morphology: '9260/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity' }],
  ] as const)('%s is not staged with AJCC bone (value null, with the reason)', (_name, over) => {
    const r = assessAjccBone(osteosarcoma(over as Partial<CaseFacts>));
    expect(r.value).toBeNull();
    expect(r.missing).toEqual([]);
    expect(r.explanations[0]).toMatchObject({ output: 'ajcc', rules: ['R-AJCC-BONE'] });
  });
});
