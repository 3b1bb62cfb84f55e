import { describe, expect, test } from 'vitest';
import { SITE_CATEGORIES, caseFactsSchema, type CaseFacts, type SiteCategory } from '../facts/case-facts.js';
import { OBERLIN_AGE_DISAGREEMENT, OBERLIN_SITE_DISAGREEMENT, oberlinSiteTable, rmsOberlin } from './rms-oberlin.js';

const rms = (o: Partial<CaseFacts> = {}): CaseFacts => caseFactsSchema.parse({
  ageMonths: 60, sex: 'female', morphology: '8920/3', topography: 'C49.2', siteCategory: 'hn_orbit', metastases: ['lung'],
  metastaticSiteCount: 1, ...o,
});

const ADVERSE_SITES: readonly SiteCategory[] = [
  'soft_tissue_extremity', 'bone_extremity', 'soft_tissue_trunk', 'bone_chest_wall', 'bone_spine', 'bone_pelvis',
  'retroperitoneum_abdomen', 'perineum', 'other',
];

describe('R-RMS-OBERLIN', () => {
  test.each([
    [0, 1], [11, 1], [12, 0], [60, 0], [119, 0], [121, 1], [180, 1],
  ] as const)('a metastatic RMS at %d months has %d age factor', (ageMonths, count) => {
    const { count: d } = rmsOberlin(rms({ ageMonths }));
    expect(d.value).toBe(count);
    expect(d.explanations[0]).toMatchObject({ output: 'rms.oberlinFactorCount', rules: ['R-RMS-OBERLIN', 'R-GEN-AGE'] });
    expect(d.explanations[0]?.disagreement).toBeUndefined();
  });

  test.each(SITE_CATEGORIES.map((s) => [s, ADVERSE_SITES.includes(s) ? 1 : 0] as const))(
    'a metastatic RMS at %s has %d site factor',
    (siteCategory, count) => {
      expect(rmsOberlin(rms({ siteCategory })).count.value).toBe(count);
      expect(oberlinSiteTable[siteCategory].adverse).toBe(count === 1);
    },
  );

  test.each([
    [['lung'], 1, 0], [['lung', 'liver'], 2, 0], [['lung'], 2, 0], [['lung'], 3, 1], [['lung', 'liver', 'brain'], 1, 1],
    [['lung', 'liver', 'brain'], undefined, 1], [['lung', 'lung', 'lung'], 2, 0],
  ] as const)('metastases %o with metastaticSiteCount %s give %d factor for ≥3 sites', (metastases, metastaticSiteCount, count) => {
    expect(rmsOberlin(rms({ metastases: [...metastases], metastaticSiteCount })).count.value).toBe(count);
  });

  test.each([
    ['orbit, lung only', { metastases: ['lung'] }, '0-1', []],
    ['extremity, lung only', { siteCategory: 'soft_tissue_extremity', metastases: ['lung'] }, null, ['metastaticSiteCount']],
    ['extremity, bone', { siteCategory: 'soft_tissue_extremity', metastases: ['bone'] }, '>=2', []],
  ] as [string, Partial<CaseFacts>, string | null, string[]][])(
    'without metastaticSiteCount, a metastatic RMS (%s) has no count and band %s',
    (_d, o, band, fields) => {
      const r = rmsOberlin(rms({ ...o, metastaticSiteCount: undefined }));
      expect(r.count.value).toBeNull();
      expect(r.count.missing).toEqual([{ field: 'metastaticSiteCount', needed_for: 'rms.oberlinFactorCount' }]);
      expect(r.category.value).toBe(band);
      expect(r.category.missing).toEqual(fields.map((field) => ({ field, needed_for: 'rms.oberlinCategory' })));
    },
  );

  test.each([
    [['bone'], 1], [['bone_marrow'], 1], [['lung', 'pleura'], 0], [['distant_lymph_nodes'], 0],
  ] as const)('metastases %o give %d bone/marrow factor', (metastases, count) => {
    expect(rmsOberlin(rms({ metastases: [...metastases] })).count.value).toBe(count);
  });

  test.each([
    ['no factor', { ageMonths: 60 }, 0, '0-1'],
    ['one factor (bone)', { metastases: ['bone'] }, 1, '0-1'],
    ['two factors (extremity, marrow)', { siteCategory: 'soft_tissue_extremity', metastases: ['bone_marrow'] }, 2, '>=2'],
    ['all four factors', { ageMonths: 200, siteCategory: 'bone_pelvis', metastases: ['lung', 'bone', 'liver'], metastaticSiteCount: 3 }, 4, '>=2'],
  ] as [string, Partial<CaseFacts>, number, string][])('a metastatic RMS with %s counts %d, band %s', (_d, o, count, band) => {
    const r = rmsOberlin(rms(o));
    expect(r.count.value).toBe(count);
    expect(r.category.value).toBe(band);
  });

  describe('exactly 120 months ([D] age cut-off)', () => {
    test.each([
      ['no other factor', { siteCategory: 'hn_orbit', metastases: ['lung'] }, '0-1'],
      ['one other factor', { siteCategory: 'soft_tissue_extremity', metastases: ['lung'] }, null],
      ['two other factors', { siteCategory: 'soft_tissue_extremity', metastases: ['bone'] }, '>=2'],
    ] as [string, Partial<CaseFacts>, string | null][])('with %s, the count is not asserted and the band is %s', (_d, o, band) => {
      const r = rmsOberlin(rms({ ageMonths: 120, ...o }));
      expect(r.count.value).toBeNull();
      expect(r.count.missing).toEqual([]);
      expect(r.count.explanations[0]?.disagreement).toBe(OBERLIN_AGE_DISAGREEMENT);
      expect(r.category.value).toBe(band);
      expect(r.category.explanations[0]?.disagreement).toBe(OBERLIN_AGE_DISAGREEMENT);
    });
  });

  test.each(['hn_parameningeal', 'gu_bladder_prostate'] as const)('a metastatic RMS at %s notes the Oberlin site [D]', (siteCategory) => {
    expect(rmsOberlin(rms({ siteCategory })).count.explanations[0]?.disagreement).toBe(OBERLIN_SITE_DISAGREEMENT);
  });

  test('a non-metastatic RMS has no Oberlin count or band, and nothing is missing', () => {
    const r = rmsOberlin(rms({ metastases: [] }));
    expect(r.count).toMatchObject({ value: null, missing: [] });
    expect(r.category).toMatchObject({ value: null, missing: [] });
    expect(r.category.explanations[0]?.text).toMatch(/metastatic RMS only/);
  });

  test('unknown metastatic status asks for metastases', () => {
    const r = rmsOberlin(rms({ metastases: undefined }));
    expect(r.count.missing).toEqual([{ field: 'metastases', needed_for: 'rms.oberlinFactorCount' }]);
    expect(r.category.missing).toEqual([{ field: 'metastases', needed_for: 'rms.oberlinCategory' }]);
  });
});
