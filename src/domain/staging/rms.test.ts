import { describe, expect, test } from 'vitest';
import { caseFactsSchema, type CaseFacts } from '../facts/case-facts.js';
import { assessRms } from './rms.js';

const rms = (o: Partial<CaseFacts> = {}): CaseFacts => caseFactsSchema.parse({
  ageMonths: 48, sex: 'female', morphology: '8910/3', topography: 'C69.6', siteCategory: 'hn_orbit', ...o,
});

describe('assessRms', () => {
  test('a completely resected fusion-negative embryonal orbital RMS is stage 1, group I, very low risk', () => {
    const d = assessRms(rms({
      sizeCm: 2.5, regionalNodes: 'N0', metastases: [], surgery: { status: 'resected', margin: 'R0' },
      molecular: { foxo1Fusion: 'negative', myod1: 'wild_type', tp53: 'wild_type' },
    }));
    expect(d.value).toEqual({
      stage: 1, clinicalGroup: 'I', siteCategory: 'favorable', cogRiskHistologyBased: 'low', cogRiskFusionBased: 'low',
      arst2032Category: 'VLR', lowRiskSubset: 'A', oberlinFactorCount: null, oberlinCategory: null, epssgHighRisk: false,
    });
    expect(d.missing).toEqual([]);
    expect(d.explanations.map((e) => e.output)).toEqual([
      'rms.siteCategory', 'rms.stage', 'rms.clinicalGroup', 'rms.cogRiskHistologyBased', 'rms.cogRiskFusionBased',
      'rms.lowRiskSubset', 'rms.arst2032Category', 'rms.oberlinFactorCount', 'rms.oberlinCategory', 'rms.epssgHighRisk',
    ]);
    for (const e of d.explanations) {
      expect(e.rules.length).toBeGreaterThan(0);
      expect(e.text.length).toBeGreaterThan(0);
    }
  });

  test('a metastatic fusion-positive alveolar extremity RMS at 14 years is high risk with ≥2 Oberlin factors', () => {
    const d = assessRms(rms({
      ageMonths: 168, morphology: '8920/3', siteCategory: 'soft_tissue_extremity', sizeCm: 8, regionalNodes: 'N1',
      metastases: ['lung', 'bone_marrow'], metastaticSiteCount: 2, surgery: { status: 'biopsy' }, molecular: { foxo1Fusion: 'positive' },
    }));
    expect(d.value).toEqual({
      stage: 4, clinicalGroup: 'IV', siteCategory: 'unfavorable', cogRiskHistologyBased: 'high', cogRiskFusionBased: 'high',
      arst2032Category: 'NOT_ELIGIBLE_FUSION_POSITIVE', lowRiskSubset: null, oberlinFactorCount: 3, oberlinCategory: '>=2',
      epssgHighRisk: null,
    });
    expect(d.missing).toEqual([]);
  });

  test('a bare RMS with only the required facts names each missing fact once per output', () => {
    const d = assessRms(rms({ siteCategory: 'gu_bladder_prostate' }));
    expect(d.value).toEqual({
      stage: null, clinicalGroup: null, siteCategory: 'unfavorable', cogRiskHistologyBased: null, cogRiskFusionBased: null,
      arst2032Category: null, lowRiskSubset: null, oberlinFactorCount: null, oberlinCategory: null, epssgHighRisk: null,
    });
    const stage = d.missing.filter((m) => m.needed_for === 'rms.stage').map((m) => m.field);
    expect(stage).toEqual(['metastases', 'sizeCm', 'regionalNodes']);
    expect(d.missing).toContainEqual({ field: 'molecular.foxo1Fusion', needed_for: 'rms.cogRiskFusionBased' });
    expect(new Set(d.missing.map((m) => `${m.field}|${m.needed_for}`)).size).toBe(d.missing.length);
  });

  test('a metastatic embryonal RMS at exactly 10 years is high risk (≥10 y) and has no asserted Oberlin count', () => {
    const d = assessRms(rms({ ageMonths: 120, metastases: ['lung'], metastaticSiteCount: 1, molecular: { foxo1Fusion: 'negative' } }));
    expect(d.value).toMatchObject({ cogRiskHistologyBased: 'high', cogRiskFusionBased: 'high', oberlinFactorCount: null, oberlinCategory: '0-1' });
  });

  test('a mixed-type RMS (unverified code) is assessed with a [K] note', () => {
    const d = assessRms(rms({ morphology: '8902/3', metastases: [] }));
    expect(d.explanations[0]).toMatchObject({ output: 'rms', rules: ['R-CODE-MORPH'], unverified: true });
  });

  test.each(['9180/3', '9260/3', '9040/3', '9999/3'])('morphology %s is not a rhabdomyosarcoma: rms is null', (morphology) => {
    expect(assessRms(rms({ morphology }))).toEqual({ value: null, explanations: [], missing: [] });
  });
});
