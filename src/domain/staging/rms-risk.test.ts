import { describe, expect, test } from 'vitest';
import type { RmsGroup, RmsStage } from './rms-site.js';
import {
  arst2032Category, CLASSIC_VS_FUSION_DISAGREEMENT, cogRiskFusionBased, cogRiskHistologyBased, lowRiskSubset,
  SUBSET_NODE_POSITIVE_DISAGREEMENT, type RmsRiskFacts,
} from './rms-risk.js';

/** Risk facts: an FN embryonal orbit stage 1 group I, MYOD1/TP53 wild-type, 5 years old, unless overridden. */
const rf = (o: Partial<RmsRiskFacts> = {}): RmsRiskFacts => ({
  ageMonths: 60, siteCategory: 'hn_orbit', histology: 'embryonal', metastatic: false, stage: 1, group: 'I',
  fusion: 'negative', myod1: 'wild_type', tp53: 'wild_type', stageNeeds: [], groupNeeds: [], ...o,
});
const metastatic = (o: Partial<RmsRiskFacts> = {}): RmsRiskFacts => rf({ metastatic: true, stage: 4, group: 'IV', ...o });

const GROUPS_I_II: RmsGroup[] = ['I', 'IIA', 'IIB', 'IIC'];
const LOCAL: [RmsStage, RmsGroup][] = ([1, 2, 3] as const).flatMap((s) => [...GROUPS_I_II, 'III'].map((g) => [s, g as RmsGroup] as [RmsStage, RmsGroup]));

describe('R-RMS-RISK-HIST: classic histology-based COG risk', () => {
  test.each(LOCAL.map(([s, g]) => [s, g, s === 1 || g !== 'III' ? 'low' : 'intermediate'] as const))(
    'a non-metastatic embryonal RMS, stage %s group %s, is %s risk',
    (stage, group, risk) => { expect(cogRiskHistologyBased(rf({ stage, group })).value).toBe(risk); },
  );

  test.each(LOCAL)('a non-metastatic alveolar RMS, stage %s group %s, is intermediate risk', (stage, group) => {
    expect(cogRiskHistologyBased(rf({ histology: 'alveolar', stage, group })).value).toBe('intermediate');
  });

  test.each([
    ['spindle', 1, 'III', 'low'], ['spindle', 3, 'III', 'intermediate'], ['embryonal', 2, 'IIC', 'low'],
  ] as const)('a non-metastatic %s RMS, stage %s group %s, is %s risk', (histology, stage, group, risk) => {
    expect(cogRiskHistologyBased(rf({ histology, stage, group })).value).toBe(risk);
  });

  test.each([
    ['embryonal', 0, 'intermediate'], ['embryonal', 119, 'intermediate'], ['embryonal', 120, 'high'], ['embryonal', 180, 'high'],
    ['spindle', 119, 'intermediate'], ['alveolar', 11, 'high'], ['alveolar', 119, 'high'], ['alveolar', 120, 'high'],
  ] as const)('a metastatic %s RMS at %d months is %s risk (R-GEN-AGE)', (histology, ageMonths, risk) => {
    const d = cogRiskHistologyBased(metastatic({ histology, ageMonths }));
    expect(d.value).toBe(risk);
    expect(d.explanations[0]?.rules).toEqual(['R-RMS-RISK-HIST', 'R-GEN-AGE']);
  });

  test.each([
    ['an embryonal group I tumour of unknown stage', { stage: null, group: 'I' }, 'low'],
    ['an embryonal stage 1 tumour of unknown group', { stage: 1, group: null }, 'low'],
    ['an alveolar M0 tumour of unknown stage and group', { histology: 'alveolar', stage: null, group: null }, 'intermediate'],
  ] as [string, Partial<RmsRiskFacts>, string][])('%s is decided without the missing part (%s)', (_d, o, risk) => {
    expect(cogRiskHistologyBased(rf(o)).value).toBe(risk);
  });

  test('an embryonal group III tumour of unknown stage asks for the stage facts', () => {
    const d = cogRiskHistologyBased(rf({ stage: null, group: 'III', stageNeeds: ['sizeCm'] }));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual([{ field: 'sizeCm', needed_for: 'rms.cogRiskHistologyBased' }]);
  });

  test('metastatic status unknown leaves the risk unknown', () => {
    const d = cogRiskHistologyBased(rf({ metastatic: undefined, stage: null, group: null, stageNeeds: ['metastases'], groupNeeds: ['metastases'] }));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual([{ field: 'metastases', needed_for: 'rms.cogRiskHistologyBased' }]);
  });

  test.each(['nos', 'mixed'] as const)('RMS %s has no histology-based risk and asks for a specific morphology', (histology) => {
    const d = cogRiskHistologyBased(metastatic({ histology, ageMonths: 200 }));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual([{ field: 'morphology', needed_for: 'rms.cogRiskHistologyBased' }]);
    expect(d.explanations[0]?.text).toMatch(/embryonal vs alveolar/);
  });

  test('pleomorphic RMS is not covered by the histology-based risk', () => {
    const d = cogRiskHistologyBased(rf({ histology: 'pleomorphic' }));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual([]);
    expect(d.explanations[0]?.text).toMatch(/pleomorphic/);
  });

  test('a fusion-negative alveolar RMS carries the classic-vs-fusion [D] note', () => {
    expect(cogRiskHistologyBased(rf({ histology: 'alveolar' })).explanations[0]?.disagreement).toBe(CLASSIC_VS_FUSION_DISAGREEMENT);
    expect(cogRiskHistologyBased(rf({ histology: 'alveolar', fusion: 'positive' })).explanations[0]?.disagreement).toBeUndefined();
  });

  test('an unverified morphology marks the histology-based risk [K]', () => {
    expect(cogRiskHistologyBased(rf({ morphologyUnverified: true })).explanations[0]?.unverified).toBe(true);
  });
});

describe('R-RMS-RISK-FUSION: fusion-based COG risk', () => {
  test.each(LOCAL.map(([s, g]) => [s, g, s === 1 || g !== 'III' ? 'low' : 'intermediate'] as const))(
    'a non-metastatic fusion-negative RMS, stage %s group %s, is %s risk',
    (stage, group, risk) => { expect(cogRiskFusionBased(rf({ stage, group })).value).toBe(risk); },
  );

  test.each(LOCAL)('a non-metastatic fusion-positive RMS, stage %s group %s, is intermediate risk', (stage, group) => {
    expect(cogRiskFusionBased(rf({ fusion: 'positive', stage, group })).value).toBe('intermediate');
  });

  test('fusion status replaces histology: a fusion-negative alveolar stage 1 group I RMS is low risk', () => {
    const d = cogRiskFusionBased(rf({ histology: 'alveolar' }));
    expect(d.value).toBe('low');
    expect(d.explanations[0]?.disagreement).toBe(CLASSIC_VS_FUSION_DISAGREEMENT);
  });

  test.each([
    ['negative', 0, 'intermediate'], ['negative', 119, 'intermediate'], ['negative', 120, 'high'], ['negative', 240, 'high'],
    ['positive', 11, 'high'], ['positive', 119, 'high'], ['positive', 120, 'high'],
  ] as const)('a metastatic fusion-%s RMS at %d months is %s risk', (fusion, ageMonths, risk) => {
    expect(cogRiskFusionBased(metastatic({ fusion, ageMonths })).value).toBe(risk);
  });

  test('unknown fusion status leaves the fusion-based risk null and asks for molecular.foxo1Fusion', () => {
    const d = cogRiskFusionBased(metastatic({ fusion: undefined, ageMonths: 200 }));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual([{ field: 'molecular.foxo1Fusion', needed_for: 'rms.cogRiskFusionBased' }]);
  });

  test('the fusion-based risk applies to RMS NOS when the fusion status is known', () => {
    expect(cogRiskFusionBased(rf({ histology: 'nos' })).value).toBe('low');
  });
});

describe('R-RMS-RISK-FUSION: low-risk subsets', () => {
  test.each([
    [1, 'I', 'hn_orbit', 'A'], [1, 'IIA', 'gu_paratesticular', 'A'], [1, 'III', 'hn_orbit', 'A'],
    [1, 'III', 'gu_paratesticular', 'B'], [1, 'III', 'hn_nonparameningeal', 'B'], [1, 'III', 'biliary', 'B'],
    [2, 'I', 'soft_tissue_extremity', 'A'], [2, 'IIA', 'gu_bladder_prostate', 'A'],
    [3, 'I', 'soft_tissue_extremity', 'B'], [3, 'IIA', 'hn_parameningeal', 'B'], [3, 'IIB', 'other', 'B'], [3, 'IIC', 'perineum', 'B'],
  ] as const)('a fusion-negative stage %s group %s RMS at %s is low-risk subset %s', (stage, group, siteCategory, subset) => {
    const v = rf({ stage, group, siteCategory });
    const d = lowRiskSubset(v, cogRiskFusionBased(v).value);
    expect(d.value).toBe(subset);
    expect(d.explanations[0]).toMatchObject({ output: 'rms.lowRiskSubset', rules: ['R-RMS-RISK-FUSION'] });
  });

  test.each([[1, 'IIB'], [1, 'IIC'], [2, 'IIB'], [2, 'IIC']] as const)(
    'a node-positive stage %s group %s RMS has no subset, with the [D] note',
    (stage, group) => {
      const v = rf({ stage, group });
      const d = lowRiskSubset(v, cogRiskFusionBased(v).value);
      expect(d.value).toBeNull();
      expect(d.missing).toEqual([]);
      expect(d.explanations[0]?.disagreement).toBe(SUBSET_NODE_POSITIVE_DISAGREEMENT);
    },
  );

  test('an intermediate-risk RMS has no low-risk subset', () => {
    const v = rf({ fusion: 'positive' });
    expect(lowRiskSubset(v, 'intermediate')).toMatchObject({ value: null, missing: [] });
  });

  test('an unknown fusion-based risk gives no subset and no extra explanation', () => {
    expect(lowRiskSubset(rf({ fusion: undefined }), null)).toEqual({ value: null, explanations: [], missing: [] });
  });

  test('a low-risk group I RMS of unknown stage asks for the stage facts for its subset', () => {
    const v = rf({ stage: null, stageNeeds: ['sizeCm', 'regionalNodes'] });
    const d = lowRiskSubset(v, cogRiskFusionBased(v).value);
    expect(d.value).toBeNull();
    expect(d.missing.map((m) => m.field)).toEqual(['sizeCm', 'regionalNodes']);
  });
});

describe('R-RMS-ARST2032', () => {
  test.each([
    [1, 'I', 'hn_orbit', 'VLR'], [1, 'IIA', 'hn_orbit', 'LR'], [1, 'IIB', 'gu_paratesticular', 'LR'], [1, 'IIC', 'biliary', 'LR'],
    [2, 'I', 'soft_tissue_extremity', 'LR'], [2, 'IIA', 'soft_tissue_trunk', 'LR'], [2, 'IIC', 'soft_tissue_trunk', 'LR'],
    [1, 'III', 'hn_orbit', 'LR'], [1, 'III', 'gu_gynecologic', 'NOT_VLR_OR_LR'], [2, 'III', 'perineum', 'NOT_VLR_OR_LR'],
    [3, 'I', 'soft_tissue_extremity', 'NOT_VLR_OR_LR'], [3, 'III', 'hn_parameningeal', 'NOT_VLR_OR_LR'],
    [4, 'IV', 'soft_tissue_extremity', 'NOT_VLR_OR_LR'],
  ] as const)('a fusion-negative, MYOD1/TP53 wild-type stage %s group %s RMS at %s is %s', (stage, group, siteCategory, cat) => {
    const d = arst2032Category(rf({ stage, group, siteCategory, metastatic: stage === 4 }));
    expect(d.value).toBe(cat);
    expect(d.explanations[0]).toMatchObject({ output: 'rms.arst2032Category', rules: ['R-RMS-ARST2032'] });
  });

  test.each([
    ['embryonal'], ['spindle'], ['alveolar'],
  ] as const)('a fusion-negative %s stage 1 group I RMS is eligible (VLR)', (histology) => {
    expect(arst2032Category(rf({ histology })).value).toBe('VLR');
  });

  test.each([
    [{ myod1: 'mutated' }, 1, 'I', 'DNA_MUTATION'], [{ tp53: 'mutated' }, 2, 'IIA', 'DNA_MUTATION'],
    [{ myod1: 'mutated', tp53: 'unknown' }, 1, 'IIA', 'DNA_MUTATION'], [{ myod1: 'mutated' }, 3, 'I', 'NOT_VLR_OR_LR'],
  ] as [Partial<RmsRiskFacts>, RmsStage, RmsGroup, string][])('an RMS with %o, stage %s group %s, is %s', (mut, stage, group, cat) => {
    const d = arst2032Category(rf({ ...mut, stage, group }));
    expect(d.value).toBe(cat);
    if (cat === 'DNA_MUTATION') expect(d.explanations[0]?.unverified).toBe(true);
  });

  test.each([
    [252, 'VLR'], [253, 'NOT_ELIGIBLE'], [300, 'NOT_ELIGIBLE'],
  ] as const)('an RMS at %d months is %s (≤21 y = ageMonths ≤ 252)', (ageMonths, cat) => {
    expect(arst2032Category(rf({ ageMonths })).value).toBe(cat);
  });

  test('a pleomorphic RMS is not eligible even when the fusion status is unknown', () => {
    expect(arst2032Category(rf({ histology: 'pleomorphic', fusion: undefined })).value).toBe('NOT_ELIGIBLE');
  });

  test('a fusion-positive RMS is not eligible', () => {
    expect(arst2032Category(rf({ fusion: 'positive', histology: 'alveolar' })).value).toBe('NOT_ELIGIBLE_FUSION_POSITIVE');
  });

  test.each([
    ['fusion unknown', { fusion: undefined }, ['molecular.foxo1Fusion']],
    ['MYOD1 unknown', { myod1: 'unknown' }, ['molecular.myod1']],
    ['TP53 untested', { tp53: undefined }, ['molecular.tp53']],
    ['neither gene tested', { myod1: undefined, tp53: undefined }, ['molecular.myod1', 'molecular.tp53']],
    ['RMS NOS', { histology: 'nos' }, ['morphology']],
    ['stage unknown, group I', { stage: null, stageNeeds: ['sizeCm'] }, ['sizeCm']],
  ] as [string, Partial<RmsRiskFacts>, string[]][])('an otherwise VLR RMS with %s has no category and says what is missing', (_d, o, fields) => {
    const d = arst2032Category(rf(o));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual(fields.map((field) => ({ field, needed_for: 'rms.arst2032Category' })));
  });

  test('mutation status is not asked for when the tumour is outside VLR/LR anyway', () => {
    const d = arst2032Category(rf({ stage: 3, myod1: undefined, tp53: undefined }));
    expect(d.value).toBe('NOT_VLR_OR_LR');
    expect(d.missing).toEqual([]);
  });
});
