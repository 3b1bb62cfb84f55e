import { describe, expect, test } from 'vitest';
import { caseFactsSchema, type CaseFacts, type MetastaticSite } from '../facts/case-facts.js';
import { assessOsteosarcoma, RESPONSE_90_DISAGREEMENT } from './osteosarcoma.js';

const os = (o: Partial<CaseFacts> = {}): CaseFacts => caseFactsSchema.parse({
  ageMonths: 168, sex: 'male', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity', metastases: [], ...o,
});

describe('R-OS-CAT', () => {
  test.each([
    [[], 'localized'], [['lung'], 'metastatic_lung_only'], [['bone'], 'metastatic_extrapulmonary'],
    [['lung', 'bone'], 'metastatic_extrapulmonary'], [['bone_marrow'], 'metastatic_extrapulmonary'],
    [['liver'], 'metastatic_extrapulmonary'], [['lung', 'distant_lymph_nodes'], 'metastatic_extrapulmonary'],
    [['pleura'], 'metastatic_extrapulmonary'], [['lung', 'pleura'], 'metastatic_extrapulmonary'],
  ] as [MetastaticSite[], string][])('an osteosarcoma with metastases %o is %s', (metastases, category) => {
    const d = assessOsteosarcoma(os({ metastases }));
    expect(d.value?.metastaticCategory).toBe(category);
    expect(d.explanations.find((e) => e.output === 'osteosarcoma.metastaticCategory')?.rules).toEqual(['R-OS-CAT']);
  });

  test('pleural spread counted as extrapulmonary is marked [K]', () => {
    const d = assessOsteosarcoma(os({ metastases: ['lung', 'pleura'] }));
    expect(d.explanations.find((e) => e.output === 'osteosarcoma.metastaticCategory')?.unverified).toBe(true);
  });

  test('an osteosarcoma without a metastases list asks for it', () => {
    const d = assessOsteosarcoma(os({ metastases: undefined, histologicResponse: { necrosisPercent: 95 } }));
    expect(d.value?.metastaticCategory).toBeNull();
    expect(d.missing).toEqual([{ field: 'metastases', needed_for: 'osteosarcoma.metastaticCategory' }]);
  });
});

describe('R-OS-RESP: histologic response', () => {
  test.each([
    [0, 'I', 'poor', 'poor'], [49, 'I', 'poor', 'poor'], [49.9, 'I', 'poor', 'poor'], [50, 'II', 'poor', 'poor'],
    [89, 'II', 'poor', 'poor'], [89.9, 'II', 'poor', 'poor'], [90, 'III', 'good', 'poor'], [90.5, 'III', 'good', 'good'],
    [95, 'III', 'good', 'good'], [99, 'III', 'good', 'good'], [99.9, 'III', 'good', 'good'], [100, 'IV', 'good', 'good'],
  ] as const)('%d%% necrosis is Huvos %s, %s by the 90%% rule, %s by EURAMOS', (necrosisPercent, huvos, by90, euramos) => {
    const d = assessOsteosarcoma(os({ histologicResponse: { necrosisPercent } }));
    expect(d.value).toMatchObject({ huvosGrade: huvos, responseByNecrosis90: by90, euramosResponse: euramos });
    expect(d.missing).toEqual([]);
    expect(d.explanations.map((e) => e.output)).toEqual([
      'osteosarcoma.metastaticCategory', 'osteosarcoma.huvosGrade', 'osteosarcoma.responseByNecrosis90', 'osteosarcoma.euramosResponse',
    ]);
  });

  test('exactly 90% necrosis is good by Huvos and poor by EURAMOS, with the R-OS-RESP-90 [D] note on both', () => {
    const d = assessOsteosarcoma(os({ histologicResponse: { necrosisPercent: 90 } }));
    for (const output of ['osteosarcoma.responseByNecrosis90', 'osteosarcoma.euramosResponse']) {
      const e = d.explanations.find((x) => x.output === output);
      expect(e?.rules).toEqual(['R-OS-RESP', 'R-OS-RESP-90']);
      expect(e?.disagreement).toBe(RESPONSE_90_DISAGREEMENT);
    }
  });

  test.each([89, 91])('%d%% necrosis carries no [D] note', (necrosisPercent) => {
    const d = assessOsteosarcoma(os({ histologicResponse: { necrosisPercent } }));
    expect(d.explanations.some((e) => e.disagreement !== undefined)).toBe(false);
  });

  test.each([
    ['no histologicResponse', {}],
    ['an empty histologicResponse', { histologicResponse: {} }],
  ] as [string, Partial<CaseFacts>][])('an osteosarcoma with %s has no response grades and asks for histologicResponse', (_d, o) => {
    const d = assessOsteosarcoma(os(o));
    expect(d.value).toEqual({ metastaticCategory: 'localized', huvosGrade: null, responseByNecrosis90: null, euramosResponse: null });
    expect(d.missing).toEqual([{ field: 'histologicResponse', needed_for: 'osteosarcoma.huvosGrade' }]);
  });

  test.each(['9187/3', '9192/3'])('a low-grade osteosarcoma %s without a response is not asked for one ([K])', (morphology) => {
    const d = assessOsteosarcoma(os({ morphology }));
    expect(d.value?.huvosGrade).toBeNull();
    expect(d.missing).toEqual([]);
    expect(d.explanations.find((e) => e.output === 'osteosarcoma.huvosGrade')?.unverified).toBe(true);
  });

  test.each(['9260/3', '8910/3', '9999/3'])('morphology %s is not assessed as osteosarcoma', (morphology) => {
    expect(assessOsteosarcoma(os({ morphology }))).toEqual({ value: null, explanations: [], missing: [] });
  });
});
