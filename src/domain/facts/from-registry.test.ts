import { describe, expect, test } from 'vitest';
import { AppError } from '../errors.js';
import { assess } from '../assess.js';
import { caseFactsFromRegistry, wholeMonthsBetween } from './from-registry.js';

describe('age in whole months between birth and diagnosis (R-GEN-AGE)', () => {
  test.each([
    ['2010-03-15', '2010-03-15', 0],
    ['2010-03-15', '2010-04-14', 0],
    ['2010-03-15', '2010-04-15', 1],
    ['2010-03-15', '2024-03-14', 167],
    ['2010-03-15', '2024-03-15', 168],
    ['2014-12-31', '2015-01-01', 0],
    ['2014-12-01', '2015-01-01', 1],
    ['2015-01-31', '2015-02-27', 0],
    ['2015-01-31', '2015-02-28', 1],
    ['2016-01-31', '2016-02-29', 1],
    ['2016-01-31', '2016-03-30', 1],
    ['2016-01-31', '2016-03-31', 2],
    ['2012-02-29', '2013-02-28', 12],
    ['2012-02-29', '2022-02-28', 120],
    ['2000-06-10', '2120-06-10', 1440],
  ])('born %s, diagnosed %s: %i months', (birth, diagnosis, months) => {
    expect(wholeMonthsBetween(birth, diagnosis)).toBe(months);
  });

  test.each([
    ['2015-03-20', '2015-03-10', -1],
    ['2015-03-20', '2015-01-20', -2],
    ['2015-03-20', '2015-01-21', -1],
  ])('a diagnosis date before the birth date (born %s, diagnosed %s) is negative: %i', (birth, diagnosis, months) => {
    expect(wholeMonthsBetween(birth, diagnosis)).toBe(months);
  });

  test.each([
    ['birthDate', '2015-02-29', '2016-01-01'],
    ['birthDate', '15/03/2015', '2016-01-01'],
    ['diagnosisDate', '2015-01-01', '2016-13-01'],
    ['diagnosisDate', '2015-01-01', '2016-04-31'],
  ])('a date that is not a calendar date is a validation error naming %s', (field, birth, diagnosis) => {
    const run = () => wholeMonthsBetween(birth, diagnosis);
    expect(run).toThrow(AppError);
    try { run(); } catch (err) {
      expect((err as AppError).field).toBe(field);
      expect((err as AppError).isBadInput).toBe(true);
    }
  });
});

describe('case facts from a registry patient and tumour', () => {
  const patient = { birthDate: '2010-03-15', sex: 'male' as const };
  const tumor = {
    diagnosisDate: '2024-04-02', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity',
    primarySite: 'distal femur', laterality: 'right', sizeCm: 7.5,
    details: {
      pubertalStatus: 'postpubertal', bone: { compartment: 'extracompartmental', skipLesion: 'none' },
      regionalNodes: 'N0', metastases: ['lung'], metastaticSiteCount: 1, diseaseStatus: 'newly_diagnosed',
    },
  };

  test('carry the age at diagnosis, the sex, the tumour columns and the details', () => {
    expect(caseFactsFromRegistry(patient, tumor)).toEqual({
      ageMonths: 168, sex: 'male', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity',
      primarySite: 'distal femur', laterality: 'right', sizeCm: 7.5, pubertalStatus: 'postpubertal',
      bone: { compartment: 'extracompartmental', skipLesion: 'none' }, regionalNodes: 'N0', metastases: ['lung'],
      metastaticSiteCount: 1, diseaseStatus: 'newly_diagnosed',
    });
  });

  test('leave out laterality and size when the tumour record has none', () => {
    const { laterality: _l, sizeCm: _s, ...bare } = tumor;
    const facts = caseFactsFromRegistry(patient, { ...bare, details: {} }) as Record<string, unknown>;
    expect(Object.keys(facts).sort()).toEqual(['ageMonths', 'morphology', 'primarySite', 'sex', 'siteCategory', 'topography']);
  });

  test('keep the tumour columns when details repeat one of them', () => {
    const facts = caseFactsFromRegistry(patient, { ...tumor, details: { morphology: '9260/3', ageMonths: 3 } }) as Record<string, unknown>;
    expect(facts.morphology).toBe('9180/3');
    expect(facts.ageMonths).toBe(168);
  });

  test('are accepted by assess, which stages them', () => {
    const r = assess(caseFactsFromRegistry(patient, tumor));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.assessment.treatmentTemplate).toBe('T-OS-MAP');
      expect(r.assessment.ajcc?.stageGroup).toBe('IVA');
    }
  });

  test('with a diagnosis before birth are rejected by assess on ageMonths', () => {
    const r = assess(caseFactsFromRegistry(patient, { ...tumor, diagnosisDate: '2010-03-01' }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.field).toBe('ageMonths');
  });

  test('with a details key the case facts do not know are rejected by assess naming that key', () => {
    const r = assess(caseFactsFromRegistry(patient, { ...tumor, details: { tumourVolumeMl: 200 } }));
    expect(r).toEqual({ ok: false, errors: [{ field: 'tumourVolumeMl', message: 'unknown field' }] });
  });
});
