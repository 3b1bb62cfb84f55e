import { describe, expect, test } from 'vitest';
import { SITE_CATEGORIES, caseFactsSchema, type CaseFacts, type SiteCategory } from '../facts/case-facts.js';
import {
  assessRmsSite, BILIARY_DISAGREEMENT, classicHistology, hasMeningealImpingement, HN_INTRACRANIAL_DISAGREEMENT, isBiliary,
  isBladderProstate, isExtremity, isGynecologic, isOrbit, isParameningeal, isParatesticular, requiresRplnd, rmsHistology,
  rmsSiteTable,
} from './rms-site.js';

const rms = (o: Partial<CaseFacts> = {}): CaseFacts => caseFactsSchema.parse({
  ageMonths: 60, sex: 'male', morphology: '8910/3', topography: 'C49.2', siteCategory: 'hn_orbit', ...o,
});

const FAVORABLE: readonly SiteCategory[] = ['hn_orbit', 'hn_nonparameningeal', 'gu_paratesticular', 'gu_gynecologic', 'biliary'];

describe('R-RMS-SITE', () => {
  test.each(SITE_CATEGORIES.map((s) => [s, FAVORABLE.includes(s) ? 'favorable' : 'unfavorable'] as const))(
    'an RMS at site category %s is a %s staging site',
    (siteCategory, expected) => {
      const d = assessRmsSite(rms({ siteCategory }));
      expect(d.value).toBe(expected);
      expect(d.explanations[0]).toMatchObject({ output: 'rms.siteCategory', rules: ['R-RMS-SITE'] });
      expect(d.missing).toEqual([]);
    },
  );

  test('the site table covers every site category exactly once', () => {
    expect(Object.keys(rmsSiteTable).sort()).toEqual([...SITE_CATEGORIES].sort());
  });

  test('a biliary RMS is favorable and carries the biliary [D] note', () => {
    expect(assessRmsSite(rms({ siteCategory: 'biliary' })).explanations[0]?.disagreement).toBe(BILIARY_DISAGREEMENT);
  });

  test.each(SITE_CATEGORIES.filter((s) => s !== 'biliary'))('a %s RMS without intracranial extension carries no [D] note', (siteCategory) => {
    expect(assessRmsSite(rms({ siteCategory })).explanations[0]?.disagreement).toBeUndefined();
  });

  test.each(['hn_orbit', 'hn_nonparameningeal'] as const)(
    'a %s RMS with intracranial extension stays favorable but says to manage it as parameningeal',
    (siteCategory) => {
      const d = assessRmsSite(rms({ siteCategory, headNeck: { intracranialExtension: true } }));
      expect(d.value).toBe('favorable');
      expect(d.explanations[0]?.disagreement).toBe(HN_INTRACRANIAL_DISAGREEMENT);
    },
  );
});

describe('site helpers for flags', () => {
  test.each([
    ['hn_parameningeal', isParameningeal], ['hn_orbit', isOrbit], ['gu_paratesticular', isParatesticular],
    ['gu_bladder_prostate', isBladderProstate], ['gu_gynecologic', isGynecologic], ['biliary', isBiliary],
    ['soft_tissue_extremity', isExtremity], ['bone_extremity', isExtremity],
  ] as const)('%s is recognised by its helper and no other site is', (site, helper) => {
    for (const s of SITE_CATEGORIES) {
      const expected = s === site || (helper === isExtremity && (s === 'soft_tissue_extremity' || s === 'bone_extremity'));
      expect(helper({ siteCategory: s })).toBe(expected);
    }
  });

  test.each([
    [{ intracranialExtension: true }, true], [{ skullBaseErosion: true }, true], [{ cranialNervePalsy: true }, true],
    [{ boneErosion: true }, false], [{}, false],
  ] as const)('a parameningeal RMS with %o has meningeal impingement: %s', (headNeck, expected) => {
    expect(hasMeningealImpingement(rms({ siteCategory: 'hn_parameningeal', headNeck }))).toBe(expected);
  });

  test('meningeal impingement is a head and neck finding only', () => {
    expect(hasMeningealImpingement(rms({ siteCategory: 'bone_spine', headNeck: { intracranialExtension: true } }))).toBe(false);
  });

  test.each([[119, false], [120, true], [180, true]] as const)(
    'a paratesticular RMS at %d months needs retroperitoneal node sampling before grouping: %s',
    (ageMonths, expected) => {
      expect(requiresRplnd(rms({ siteCategory: 'gu_paratesticular', ageMonths }))).toBe(expected);
      expect(requiresRplnd(rms({ siteCategory: 'gu_bladder_prostate', ageMonths }))).toBe(false);
    },
  );
});

describe('RMS histology', () => {
  test.each([
    ['8910/3', 'embryonal', 'embryonal'], ['8912/3', 'spindle', 'embryonal'], ['8920/3', 'alveolar', 'alveolar'],
    ['8900/3', 'nos', undefined], ['8902/3', 'mixed', undefined], ['8901/3', 'pleomorphic', undefined],
    ['9260/3', undefined, undefined],
  ] as const)('morphology %s is %s histology, read as %s by the classic risk', (morphology, histology, classic) => {
    expect(rmsHistology({ morphology })).toBe(histology);
    expect(classicHistology(rmsHistology({ morphology }))).toBe(classic);
  });
});
