import { describe, expect, test } from 'vitest';
import { caseFactsSchema, type CaseFacts } from '../facts/case-facts.js';
import { epssgHighRisk } from './rms-epssg.js';

/** Embryonal bladder/prostate RMS, 5 years, 4 cm, N0, M0, biopsy only, unless overridden. */
const rms = (o: Partial<CaseFacts> = {}): CaseFacts => caseFactsSchema.parse({
  ageMonths: 60, sex: 'male', morphology: '8910/3', topography: 'C67.9', siteCategory: 'gu_bladder_prostate', sizeCm: 4,
  regionalNodes: 'N0', metastases: [], surgery: { status: 'biopsy' }, ...o,
});
const R0 = { status: 'resected', margin: 'R0' } as const;

describe('R-RMS-EPSSG-HR', () => {
  test.each([
    ['alveolar, N0, R0, orbit', { morphology: '8920/3', siteCategory: 'hn_orbit', surgery: R0 }, true],
    ['alveolar, nodes unknown', { morphology: '8920/3', regionalNodes: undefined }, true],
    ['alveolar, N1', { morphology: '8920/3', regionalNodes: 'N1' }, true],
    ['embryonal, N1, R0, orbit', { siteCategory: 'hn_orbit', regionalNodes: 'N1', surgery: R0 }, true],
    ['embryonal, sampled nodes positive', { regionalNodes: 'N0', surgery: { ...R0, nodesPositive: true } }, true],
    ['embryonal, clinical N1 even with sampled nodes negative', { regionalNodes: 'N1', surgery: { ...R0, nodesPositive: false } }, true],
    ['embryonal, NX, sampled nodes negative, R0', { regionalNodes: 'NX', surgery: { ...R0, nodesPositive: false } }, false],
    ['embryonal, biopsy only, unfavorable site, exactly 120 months', { ageMonths: 120 }, true],
    ['embryonal, biopsy only, unfavorable site, 119 months, 5.1 cm', { ageMonths: 119, sizeCm: 5.1 }, true],
    ['embryonal, biopsy only, unfavorable site, 119 months, exactly 5 cm', { ageMonths: 119, sizeCm: 5 }, false],
    ['embryonal, R1, unfavorable site, 130 months', { ageMonths: 130, surgery: { status: 'resected', margin: 'R1' } }, true],
    ['embryonal, R2, unfavorable site, 8 cm', { sizeCm: 8, surgery: { status: 'resected', margin: 'R2' } }, true],
    ['embryonal, R0, unfavorable site, 130 months, 10 cm', { ageMonths: 130, sizeCm: 10, surgery: R0 }, false],
    ['embryonal, biopsy only, favorable site, 130 months, 10 cm', { siteCategory: 'gu_paratesticular', ageMonths: 130, sizeCm: 10 }, false],
    ['spindle cell, biopsy only, unfavorable site, 7 cm', { morphology: '8912/3', sizeCm: 7 }, true],
    ['RMS NOS with N1', { morphology: '8900/3', regionalNodes: 'N1' }, true],
  ] as [string, Partial<CaseFacts>, boolean][])('a non-metastatic RMS, %s, is EpSSG high risk: %s', (_d, o, hr) => {
    const d = epssgHighRisk(rms(o));
    expect(d.value).toBe(hr);
    expect(d.missing).toEqual([]);
    expect(d.explanations[0]?.rules[0]).toBe('R-RMS-EPSSG-HR');
  });

  test.each([
    ['embryonal, unfavorable site, biopsy only, size unknown', { sizeCm: undefined }, ['sizeCm']],
    ['embryonal, nodes NX', { regionalNodes: 'NX' }, ['surgery.nodesPositive']],
    ['embryonal, nodes unknown', { regionalNodes: undefined }, ['regionalNodes']],
    ['embryonal, unfavorable site, large, no surgery facts', { sizeCm: 9, surgery: undefined }, ['surgery.status', 'surgery.margin']],
    ['RMS NOS, N0', { morphology: '8900/3' }, ['morphology']],
    ['metastases unknown', { metastases: undefined }, ['metastases']],
  ] as [string, Partial<CaseFacts>, string[]][])('a RMS with %s has no EpSSG answer and says what is missing', (_d, o, fields) => {
    const d = epssgHighRisk(rms(o));
    expect(d.value).toBeNull();
    expect(d.missing).toEqual(fields.map((field) => ({ field, needed_for: 'rms.epssgHighRisk' })));
  });

  test('a metastatic RMS has no EpSSG high-risk answer (not applicable)', () => {
    const d = epssgHighRisk(rms({ morphology: '8920/3', metastases: ['lung'] }));
    expect(d).toMatchObject({ value: null, missing: [] });
    expect(d.explanations[0]?.text).toMatch(/non-metastatic/);
  });

  test('a pleomorphic RMS is not covered', () => {
    expect(epssgHighRisk(rms({ morphology: '8901/3', regionalNodes: 'N1' }))).toMatchObject({ value: null, missing: [] });
  });
});
