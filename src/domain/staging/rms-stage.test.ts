import { describe, expect, test } from 'vitest';
import { SITE_CATEGORIES, caseFactsSchema, type CaseFacts, type SiteCategory } from '../facts/case-facts.js';
import { BILIARY_DISAGREEMENT } from './rms-site.js';
import { rmsStage } from './rms-stage.js';

const rms = (o: Partial<CaseFacts> = {}): CaseFacts => caseFactsSchema.parse({
  ageMonths: 60, sex: 'male', morphology: '8910/3', topography: 'C49.2', siteCategory: 'hn_orbit', metastases: [], ...o,
});

const FAVORABLE: readonly SiteCategory[] = ['hn_orbit', 'hn_nonparameningeal', 'gu_paratesticular', 'gu_gynecologic', 'biliary'];
const UNFAVORABLE = SITE_CATEGORIES.filter((s) => !FAVORABLE.includes(s));
type N = 'N0' | 'N1' | 'NX' | undefined;

describe('R-RMS-STAGE', () => {
  test.each(FAVORABLE.flatMap((s) => [
    [s, 3, 'N0'], [s, 5, 'NX'], [s, 5.1, 'N1'], [s, 12, 'N0'], [s, undefined, undefined],
  ] as [SiteCategory, number | undefined, N][]))(
    'an M0 RMS at favorable site %s, %s cm, nodes %s is stage 1',
    (siteCategory, sizeCm, regionalNodes) => {
      const d = rmsStage(rms({ siteCategory, sizeCm, regionalNodes }));
      expect(d.value).toBe(1);
      expect(d.missing).toEqual([]);
    },
  );

  test.each(UNFAVORABLE.flatMap((s) => [
    [s, 4.9, 'N0', 2], [s, 5, 'N0', 2], [s, 5, 'NX', 2], [s, 5, 'N1', 3], [s, 5.1, 'N0', 3], [s, 5.1, 'NX', 3], [s, 5.1, 'N1', 3],
  ] as [SiteCategory, number, N, number][]))(
    'an M0 RMS at unfavorable site %s, %s cm, nodes %s is stage %s',
    (siteCategory, sizeCm, regionalNodes, stage) => {
      expect(rmsStage(rms({ siteCategory, sizeCm, regionalNodes })).value).toBe(stage);
    },
  );

  test.each(SITE_CATEGORIES)('a metastatic RMS at %s is stage 4 whatever its size and nodes', (siteCategory) => {
    const d = rmsStage(rms({ siteCategory, metastases: ['lung'] }));
    expect(d.value).toBe(4);
    expect(d.missing).toEqual([]);
  });

  test.each([
    ['an unfavorable N1 tumour of unknown size', { siteCategory: 'hn_parameningeal', regionalNodes: 'N1' }, 3],
    ['an unfavorable tumour over 5 cm with unknown nodes', { siteCategory: 'soft_tissue_extremity', sizeCm: 5.1 }, 3],
  ] as const)('%s is stage %s without the missing fact', (_d, o, stage) => {
    const d = rmsStage(rms(o));
    expect(d.value).toBe(stage);
    expect(d.missing).toEqual([]);
  });

  test.each([
    ['unfavorable, 5 cm, nodes unknown', { siteCategory: 'gu_bladder_prostate', sizeCm: 5 }, ['regionalNodes']],
    ['unfavorable, N0, size unknown', { siteCategory: 'gu_bladder_prostate', regionalNodes: 'N0' }, ['sizeCm']],
    ['unfavorable, NX, size unknown', { siteCategory: 'perineum', regionalNodes: 'NX' }, ['sizeCm']],
    ['unfavorable, size and nodes unknown', { siteCategory: 'other' }, ['sizeCm', 'regionalNodes']],
    ['favorable, metastases unknown', { siteCategory: 'hn_orbit', metastases: undefined }, ['metastases']],
    ['unfavorable, metastases and size unknown, N0', { siteCategory: 'bone_pelvis', metastases: undefined, regionalNodes: 'N0' }, ['metastases', 'sizeCm']],
  ] as const)('an RMS with %s has no stage and names the missing facts', (_d, o, fields) => {
    const d = rmsStage(rms(o as Partial<CaseFacts>));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual(fields.map((field) => ({ field, needed_for: 'rms.stage' })));
  });

  test.each(['T1', 'T2'] as const)('invasiveness %s does not change the stage', (invasiveness) => {
    expect(rmsStage(rms({ siteCategory: 'soft_tissue_trunk', sizeCm: 4, regionalNodes: 'N0', invasiveness })).value).toBe(2);
  });

  test('the stage does not depend on how much was resected', () => {
    const base = { siteCategory: 'soft_tissue_trunk', sizeCm: 7, regionalNodes: 'N0' } as const;
    expect(rmsStage(rms({ ...base, surgery: { status: 'resected', margin: 'R0' } })).value).toBe(3);
    expect(rmsStage(rms({ ...base, surgery: { status: 'biopsy' } })).value).toBe(3);
  });

  test('the stage reason names the rules and the size boundary', () => {
    const d = rmsStage(rms({ siteCategory: 'soft_tissue_extremity', sizeCm: 5, regionalNodes: 'N0' }));
    expect(d.explanations).toEqual([expect.objectContaining({
      output: 'rms.stage', rules: ['R-RMS-STAGE', 'R-RMS-SITE', 'R-GEN-SIZE'], text: expect.stringContaining('5 cm ≤ 5 cm'),
    })]);
  });

  test('a biliary stage 1 carries the biliary [D] note', () => {
    expect(rmsStage(rms({ siteCategory: 'biliary' })).explanations[0]?.disagreement).toBe(BILIARY_DISAGREEMENT);
  });
});
