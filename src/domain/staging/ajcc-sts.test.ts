import { describe, test, expect } from 'vitest';
import type { CaseFacts } from '../facts/case-facts.js';
import {
  assessAjccSts, stageStsGrade, stageStsGroup, stageStsM, stageStsN, stageStsT, stsStageGroups, stsT,
  STS_N1_DISAGREEMENT, STS_T_DISAGREEMENT, type StsTnmg,
} from './ajcc-sts.js';

function synovial(over: Partial<CaseFacts> = {}): CaseFacts {
  return {
    ageMonths: 192, sex: 'female', morphology: '9040/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity',
    primarySite: 'thigh', laterality: 'left', sizeCm: 7, depth: 'deep', regionalNodes: 'N0', metastases: [],
    grade: { fnclcc: 3 },
    ...over,
  };
}

describe('AJCC 8 STS T, trunk and extremities (R-AJCC-STS, R-GEN-SIZE)', () => {
  test.each([
    [0.4, 'T1'], [5, 'T1'], [5.1, 'T2'], [10, 'T2'], [10.1, 'T3'], [15, 'T3'], [15.1, 'T4'], [40, 'T4'],
  ] as const)('a %d cm trunk or extremity sarcoma is %s', (sizeCm, T) => {
    expect(stageStsT(sizeCm).value).toBe(T);
  });

  test('each T row stands alone (no row relies on the order of the table)', () => {
    for (const cm of [1, 5, 5.1, 10, 10.1, 15, 15.1]) expect(stsT.filter((r) => r.when(cm))).toHaveLength(1);
  });

  test('the reason states the interval, and the 7th-edition depth split is noted', () => {
    expect(stageStsT(7).explanations).toEqual([
      { output: 'ajcc.T', rules: ['R-AJCC-STS'], text: '5 cm < 7 cm ≤ 10 cm → T2', disagreement: STS_T_DISAGREEMENT },
    ]);
  });

  test('a missing size leaves T unknown', () => {
    expect(stageStsT(undefined).missing).toEqual([{ field: 'sizeCm', needed_for: 'ajcc.T' }]);
  });
});

describe('AJCC 8 STS N and M (R-AJCC-STS)', () => {
  test.each([['N0', 'N0'], ['N1', 'N1'], ['NX', 'N0']] as const)('regional nodes %s are %s', (nodes, N) => {
    expect(stageStsN(nodes).value).toBe(N);
  });

  test('NX → N0 because N0 covers unknown node status', () => {
    expect(stageStsN('NX').explanations[0]?.text).toBe('NX: N0 also covers unknown node status → N0');
  });

  test('an absent nodal status is missing', () => {
    expect(stageStsN(undefined).missing).toEqual([{ field: 'regionalNodes', needed_for: 'ajcc.N' }]);
  });

  test.each([
    ['no listed sites', { metastases: [] }, 'M0'],
    ['a site count of 0 and no list', { metastaticSiteCount: 0 }, 'M0'],
    ['lung', { metastases: ['lung'] }, 'M1'],
    ['pleura', { metastases: ['pleura'] }, 'M1'],
    ['an empty list with a contradictory count (the list decides)', { metastases: [], metastaticSiteCount: 2 }, 'M0'],
  ] as const)('%s is %s', (_name, f, M) => {
    expect(stageStsM(f as Pick<CaseFacts, 'metastases' | 'metastaticSiteCount'>).value).toBe(M);
  });

  test('a positive site count without the sites listed leaves M missing', () => {
    expect(stageStsM({ metastaticSiteCount: 1 }).missing).toEqual([{ field: 'metastases', needed_for: 'ajcc.M' }]);
  });

  test('with neither metastases nor a count, M is missing', () => {
    expect(stageStsM({}).missing).toEqual([{ field: 'metastases', needed_for: 'ajcc.M' }]);
  });
});

describe('AJCC 8 STS grade (FNCLCC)', () => {
  test.each([
    [{ fnclcc: 1 }, 'low'],
    [{ fnclcc: 2 }, 'high'],
    [{ fnclcc: 3 }, 'high'],
    [{ twoTier: 'low' }, 'low'],
    [{ twoTier: 'high' }, 'high'],
    [{ fnclcc: 1, twoTier: 'high' }, 'low'],
  ] as const)('grade %j is the %s group', (grade, expected) => {
    expect(stageStsGrade(synovial({ grade })).value).toBe(expected);
  });

  test('a two-tier grade is used only when FNCLCC is not recorded, and the reason says so', () => {
    expect(stageStsGrade(synovial({ grade: { twoTier: 'low' } })).explanations[0]?.text).toMatch(/^FNCLCC not recorded/);
  });

  test('an extraosseous Ewing sarcoma is high grade [K], unverified', () => {
    const r = stageStsGrade(synovial({ morphology: '9260/3', grade: undefined }));
    expect(r.value).toBe('high');
    expect(r.explanations[0]?.unverified).toBe(true);
  });

  test('an absent grade is missing (not GX)', () => {
    expect(stageStsGrade(synovial({ grade: { pog: 3 } })).missing).toEqual([{ field: 'grade', needed_for: 'ajcc.grade' }]);
  });
});

describe('AJCC 8 STS stage groups (R-AJCC-STS)', () => {
  test.each([
    ['T1', 'N0', 'M0', 'low', 'IA'],
    ['T2', 'N0', 'M0', 'low', 'IB'],
    ['T3', 'N0', 'M0', 'low', 'IB'],
    ['T4', 'N0', 'M0', 'low', 'IB'],
    ['T1', 'N0', 'M0', 'high', 'II'],
    ['T2', 'N0', 'M0', 'high', 'IIIA'],
    ['T3', 'N0', 'M0', 'high', 'IIIB'],
    ['T4', 'N0', 'M0', 'high', 'IIIB'],
    ['T1', 'N1', 'M0', 'low', 'IV'],
    ['T4', 'N1', 'M0', 'high', 'IV'],
    ['T1', 'N0', 'M1', 'low', 'IV'],
    ['T2', 'N1', 'M1', 'high', 'IV'],
  ] as const)('%s %s %s %s grade is stage %s', (T, N, M, grade, group) => {
    expect(stageStsGroup({ T, N, M, grade }).value).toBe(group);
  });

  test.each([
    ['M1 with everything else unknown', { T: null, N: null, M: 'M1', grade: null }, 'IV'],
    ['N1 M0 with T and grade unknown', { T: null, N: 'N1', M: 'M0', grade: null }, 'IV'],
    ['N1 with M unknown', { T: 'T1', N: 'N1', M: null, grade: 'low' }, null],
    ['N0 M0 T2 with grade unknown', { T: 'T2', N: 'N0', M: 'M0', grade: null }, null],
  ] as const)('%s gives %s', (_name, c, group) => {
    expect(stageStsGroup(c as StsTnmg).value).toBe(group);
  });

  test('N1 M0 is IV in the 8th edition and carries the 7th-edition (stage III) disagreement', () => {
    expect(stageStsGroup({ T: 'T1', N: 'N1', M: 'M0', grade: 'low' }).explanations[0]?.disagreement).toBe(STS_N1_DISAGREEMENT);
    expect(stageStsGroup({ T: 'T1', N: 'N0', M: 'M1', grade: 'low' }).explanations[0]?.disagreement).toBeUndefined();
  });

  test('the group table lists IV before the localized groups', () => {
    expect(stsStageGroups.map((r) => r.value)).toEqual(['IV', 'IV', 'IA', 'IB', 'II', 'IIIA', 'IIIB']);
  });
});

describe('AJCC 8 STS, whole result (assessAjccSts)', () => {
  test('a 7 cm FNCLCC grade 3 synovial sarcoma of the thigh, N0 M0, is T2 N0 M0 high, IIIA', () => {
    const r = assessAjccSts(synovial());
    expect(r.value).toEqual({ scheme: 'AJCC8-sts-trunk-extremity', T: 'T2', N: 'N0', M: 'M0', grade: 'high', stageGroup: 'IIIA' });
    expect(r.missing).toEqual([]);
    expect(r.explanations.map((e) => e.output)).toEqual(['ajcc.T', 'ajcc.N', 'ajcc.M', 'ajcc.grade', 'ajcc.stageGroup']);
  });

  test('a trunk sarcoma (chest wall soft tissue, C49.3) is staged the same way', () => {
    expect(assessAjccSts(synovial({ topography: 'C49.3', siteCategory: 'soft_tissue_trunk', sizeCm: 3, grade: { fnclcc: 1 } })).value?.stageGroup).toBe('IA');
  });

  test('an MPNST of a lower-limb nerve (C47.2) is in scope', () => {
    expect(assessAjccSts(synovial({ morphology: '9540/3', topography: 'C47.2' })).value?.scheme).toBe('AJCC8-sts-trunk-extremity');
  });

  test('an unknown grade blocks a localized group and is reported for it', () => {
    const r = assessAjccSts(synovial({ grade: undefined }));
    expect(r.value).toMatchObject({ grade: null, stageGroup: null });
    expect(r.missing).toEqual([{ field: 'grade', needed_for: 'ajcc.grade' }, { field: 'grade', needed_for: 'ajcc.stageGroup' }]);
  });

  test.each([
    ['embryonal rhabdomyosarcoma (IRS/COG instead)', { morphology: '8910/3' }, /IRS\/COG/],
    ['desmoid-type fibromatosis', { morphology: '8821/1' }, /not a malignant soft-tissue sarcoma/],
    ['an osteosarcoma of bone', { morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity' }, /bone/],
    ['a head and neck sarcoma', { topography: 'C49.0', siteCategory: 'hn_nonparameningeal' }, /not trunk or extremity/],
    ['a retroperitoneal sarcoma', { topography: 'C48.0', siteCategory: 'retroperitoneum_abdomen' }, /not trunk or extremity/],
    ['a sarcoma coded C49.0 but filed as extremity', { topography: 'C49.0' }, /not trunk or extremity/],
    ['a paratesticular sarcoma', { topography: 'C63.1', siteCategory: 'gu_paratesticular' }, /not trunk or extremity/],
  ] as const)('%s is not staged with AJCC STS', (_name, over, why) => {
    const r = assessAjccSts(synovial(over as Partial<CaseFacts>));
    expect(r.value).toBeNull();
    expect(r.explanations[0]).toMatchObject({ output: 'ajcc', rules: ['R-AJCC-STS'] });
    expect(r.explanations[0]?.text).toMatch(why);
  });
});
