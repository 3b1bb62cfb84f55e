import { describe, expect, test } from 'vitest';
import { caseFactsSchema, type CaseFacts } from '../facts/case-facts.js';
import { ARST0332_R0_DISAGREEMENT, assessNrsts, nrstsGrade } from './nrsts.js';

/** Fibrosarcoma NOS (no histology grade), thigh, M0, unless overridden. */
const nrsts = (o: Partial<CaseFacts> = {}): CaseFacts => caseFactsSchema.parse({
  ageMonths: 150, sex: 'female', morphology: '8810/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity', metastases: [], ...o,
});
const cut = (margin: 'R0' | 'R1' | 'R2') => ({ status: 'resected', margin }) as const;
const HIGH = { pog: 3 } as const;
const LOW = { pog: 1 } as const;

describe('R-NRSTS-GRADE', () => {
  test.each([
    ['POG 3', {}, { pog: 3 }, 'high'], ['POG 2', {}, { pog: 2 }, 'low'], ['POG 1', {}, { pog: 1 }, 'low'],
    ['synovial sarcoma (POG 3 by histology)', { morphology: '9040/3' }, {}, 'high'],
    ['myxoid liposarcoma (POG 1 by histology)', { morphology: '8852/3' }, {}, 'low'],
    ['FNCLCC 3 without POG', {}, { fnclcc: 3 }, 'high'], ['FNCLCC 2 without POG', {}, { fnclcc: 2 }, 'low'],
    ['POG 2 over FNCLCC 3', {}, { pog: 2, fnclcc: 3 }, 'low'], ['POG 3 over two-tier low', {}, { pog: 3, twoTier: 'low' }, 'high'],
    ['FNCLCC 1 over two-tier high', {}, { fnclcc: 1, twoTier: 'high' }, 'low'],
    ['two-tier high only', {}, { twoTier: 'high' }, 'high'], ['two-tier low only', {}, { twoTier: 'low' }, 'low'],
    ['nothing', {}, undefined, undefined],
    ['synovial sarcoma recorded as POG 2 (histology fixes POG 3)', { morphology: '9040/3' }, { pog: 2 }, 'high'],
    ['infantile fibrosarcoma at 10 months recorded as POG 3 (histology fixes POG 1)', { morphology: '8814/3', ageMonths: 10 }, { pog: 3 }, 'low'],
    ['infantile fibrosarcoma at 59 months', { morphology: '8814/3', ageMonths: 59 }, {}, 'low'],
    ['infantile fibrosarcoma at 60 months', { morphology: '8814/3', ageMonths: 60 }, {}, undefined],
  ] as [string, Partial<CaseFacts>, CaseFacts['grade'], string | undefined][])('%s gives ARST0332 grade %s', (_d, o, grade, expected) => {
    expect(nrstsGrade(nrsts({ ...o, grade })).value).toBe(expected);
  });
});

test('a recorded POG grade that conflicts with the histology grade is named as not used', () => {
  expect(nrstsGrade(nrsts({ morphology: '9040/3', grade: { pog: 2 } })).why).toMatch(/recorded POG grade 2 not used/);
});

describe('R-NRSTS-RISK and R-NRSTS-ARM', () => {
  test.each([
    ['low grade, R0, 12 cm', LOW, 12, cut('R0'), 'low', 'A'],
    ['low grade, R1, 5.1 cm', LOW, 5.1, cut('R1'), 'low', 'A'],
    ['low grade, R1, size unknown', LOW, undefined, cut('R1'), 'low', 'A'],
    ['high grade, R0, 4.9 cm', HIGH, 4.9, cut('R0'), 'low', 'A'],
    ['high grade, R0, exactly 5 cm', HIGH, 5, cut('R0'), 'low', 'A'],
    ['high grade, R1, exactly 5 cm', HIGH, 5, cut('R1'), 'low', 'B'],
    ['high grade, R0, 5.1 cm', HIGH, 5.1, cut('R0'), 'intermediate', 'C'],
    ['high grade, R1, 5.1 cm', HIGH, 5.1, cut('R1'), 'intermediate', 'C'],
    ['high grade, R2, 3 cm', HIGH, 3, cut('R2'), 'intermediate', 'D'],
    ['low grade, R2, 3 cm', LOW, 3, cut('R2'), 'intermediate', 'D'],
    ['low grade, biopsy only', LOW, 3, { status: 'biopsy' }, 'intermediate', 'D'],
    ['grade unknown, no operation', undefined, undefined, { status: 'none' }, 'intermediate', 'D'],
    ['grade unknown, R0, exactly 5 cm', undefined, 5, cut('R0'), 'low', 'A'],
  ] as [string, CaseFacts['grade'], number | undefined, CaseFacts['surgery'], string, string][])(
    'a non-metastatic NRSTS, %s, is %s risk, arm %s',
    (_d, grade, sizeCm, surgery, risk, arm) => {
      const d = assessNrsts(nrsts({ grade, sizeCm, surgery }));
      expect(d.value).toEqual({ arst0332RiskGroup: risk, arst0332Arm: arm });
      expect(d.missing).toEqual([]);
      expect(d.explanations.map((e) => [e.output, e.rules[0]])).toEqual([
        ['nrsts.arst0332RiskGroup', 'R-NRSTS-RISK'], ['nrsts.arst0332Arm', 'R-NRSTS-ARM'],
      ]);
    },
  );

  test.each([
    ['low grade, R0, 2 cm', LOW, 2, cut('R0')], ['high grade, R1, 12 cm', HIGH, 12, cut('R1')], ['unknown everything', undefined, undefined, undefined],
  ] as [string, CaseFacts['grade'], number | undefined, CaseFacts['surgery']][])('a metastatic NRSTS (%s) is high risk, arm HR', (_d, grade, sizeCm, surgery) => {
    const d = assessNrsts(nrsts({ grade, sizeCm, surgery, metastases: ['lung'] }));
    expect(d.value).toEqual({ arst0332RiskGroup: 'high', arst0332Arm: 'HR' });
    expect(d.missing).toEqual([]);
  });

  test('a synovial sarcoma of 4 cm resected R1 is high grade by histology: low risk, arm B', () => {
    const d = assessNrsts(nrsts({ morphology: '9040/3', sizeCm: 4, surgery: cut('R1') }));
    expect(d.value).toEqual({ arst0332RiskGroup: 'low', arst0332Arm: 'B' });
    expect(d.explanations[0]?.text).toMatch(/POG grade 3 by histology/);
  });

  test('a grade from an unverified histology mapping is marked [K]', () => {
    const d = assessNrsts(nrsts({ morphology: '9581/3', sizeCm: 8, surgery: cut('R0') }));
    expect(d.value).toEqual({ arst0332RiskGroup: 'intermediate', arst0332Arm: 'C' });
    expect(d.explanations.every((e) => e.unverified === true)).toBe(true);
  });

  test.each([
    ['high grade, R0', HIGH, cut('R0'), true], ['grade unknown, R0', undefined, cut('R0'), true],
    ['high grade, R1', HIGH, cut('R1'), false], ['low grade, R0', LOW, cut('R0'), false],
  ] as [string, CaseFacts['grade'], CaseFacts['surgery'], boolean][])('a ≤5 cm NRSTS, %s, carries the ≤5 cm R0 [D] note: %s', (_d, grade, surgery, noted) => {
    const d = assessNrsts(nrsts({ grade, sizeCm: 5, surgery }));
    expect(d.explanations[0]?.disagreement).toBe(noted ? ARST0332_R0_DISAGREEMENT : undefined);
  });

  test.each([
    ['metastases unknown', { metastases: undefined, grade: LOW, surgery: cut('R0') }, ['metastases'], ['metastases']],
    ['no surgery facts', { grade: LOW, sizeCm: 3 }, ['surgery.status', 'surgery.margin'], ['surgery.status', 'surgery.margin']],
    ['a resection without a margin', { grade: HIGH, sizeCm: 3, surgery: { status: 'resected' } }, ['surgery.margin'], ['surgery.margin']],
    ['a margin without a surgery status', { grade: LOW, sizeCm: 3, surgery: { margin: 'R2' } }, ['surgery.status'], ['surgery.status']],
    ['high grade, R0, size unknown', { grade: HIGH, surgery: cut('R0') }, ['sizeCm'], ['sizeCm']],
    ['grade unknown, R0, 7 cm', { sizeCm: 7, surgery: cut('R0') }, ['grade'], ['grade']],
    ['grade and size unknown, R1', { surgery: cut('R1') }, ['grade', 'sizeCm'], ['grade', 'sizeCm']],
  ] as [string, Partial<CaseFacts>, string[], string[]][])('an NRSTS with %s names the missing facts', (_d, o, riskFields, armFields) => {
    const d = assessNrsts(nrsts(o));
    expect(d.value).toEqual({ arst0332RiskGroup: null, arst0332Arm: null });
    expect(d.missing).toEqual([
      ...riskFields.map((field) => ({ field, needed_for: 'nrsts.arst0332RiskGroup' })),
      ...armFields.map((field) => ({ field, needed_for: 'nrsts.arst0332Arm' })),
    ]);
  });

  test('grade unknown, R1, exactly 5 cm: low risk either way, but the arm (A vs B) needs the grade', () => {
    const d = assessNrsts(nrsts({ sizeCm: 5, surgery: cut('R1') }));
    expect(d.value).toEqual({ arst0332RiskGroup: 'low', arst0332Arm: null });
    expect(d.missing).toEqual([{ field: 'grade', needed_for: 'nrsts.arst0332Arm' }]);
  });

  test.each(['8910/3', '9260/3', '8821/1', '9999/3'])('morphology %s is not assessed as NRSTS', (morphology) => {
    expect(assessNrsts(nrsts({ morphology }))).toEqual({ value: null, explanations: [], missing: [] });
  });
});
