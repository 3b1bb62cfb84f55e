import { describe, expect, test } from 'vitest';
import { caseFactsSchema, type CaseFacts, type MetastaticSite } from '../facts/case-facts.js';
import { assessEwing } from './ewing.js';

const ews = (o: Partial<CaseFacts> = {}): CaseFacts => caseFactsSchema.parse({
  ageMonths: 150, sex: 'female', morphology: '9260/3', topography: 'C41.4', siteCategory: 'bone_pelvis', ...o,
});

describe('R-EWS-CAT', () => {
  test.each([
    [[], 'localized'],
    [['lung'], 'metastatic_lung_pleura_only'],
    [['pleura'], 'metastatic_lung_pleura_only'],
    [['lung', 'pleura'], 'metastatic_lung_pleura_only'],
    [['bone'], 'metastatic_bone_or_marrow'],
    [['bone_marrow'], 'metastatic_bone_or_marrow'],
    [['lung', 'bone'], 'metastatic_bone_or_marrow'],
    [['pleura', 'bone_marrow', 'liver'], 'metastatic_bone_or_marrow'],
    [['distant_lymph_nodes'], 'metastatic_other'],
    [['lung', 'liver'], 'metastatic_other'],
    [['brain'], 'metastatic_other'],
    [['other'], 'metastatic_other'],
  ] as [MetastaticSite[], string][])('an Ewing sarcoma with metastases %o is %s', (metastases, category) => {
    const d = assessEwing(ews({ metastases }));
    expect(d.value).toEqual({ metastaticCategory: category });
    expect(d.missing).toEqual([]);
    expect(d.explanations).toEqual([expect.objectContaining({ output: 'ewing.metastaticCategory', rules: ['R-EWS-CAT'] })]);
  });

  test('an Ewing sarcoma without a metastases list has no category and asks for metastases', () => {
    expect(assessEwing(ews())).toEqual({
      value: { metastaticCategory: null }, explanations: [], missing: [{ field: 'metastases', needed_for: 'ewing.metastaticCategory' }],
    });
  });

  test.each(['9180/3', '8910/3', '9040/3', '9260/0', '1234/3'])('morphology %s is not assessed as Ewing sarcoma', (morphology) => {
    expect(assessEwing(ews({ morphology, metastases: [] }))).toEqual({ value: null, explanations: [], missing: [] });
  });

  test.each(['9364/3', '9365/3'])('an Ewing-family code %s read from an unverified mapping is marked [K]', (morphology) => {
    const d = assessEwing(ews({ morphology, metastases: [] }));
    expect(d.value).toEqual({ metastaticCategory: 'localized' });
    expect(d.explanations[0]?.unverified).toBe(true);
  });
});
