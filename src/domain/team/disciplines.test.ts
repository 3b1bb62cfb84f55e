import { describe, expect, test } from 'vitest';
import type { CaseFacts, SiteCategory } from '../facts/case-facts.js';
import { DISCIPLINES } from '../registry/types.js';
import { NO_STAGING } from '../plan/context.js';
import { conferenceDisciplines, siteSpecificDisciplines } from './disciplines.js';

const facts = (o: Partial<CaseFacts> = {}): CaseFacts => ({
  ageMonths: 120, sex: 'male', morphology: '9260/3', topography: 'C40.2', siteCategory: 'bone_extremity', metastases: [], ...o,
});

describe('siteSpecificDisciplines (R-DISC)', () => {
  test.each<[SiteCategory, string[]]>([
    ['bone_extremity', ['orthopedic_oncology', 'rehabilitation']],
    ['bone_pelvis', ['orthopedic_oncology', 'rehabilitation']],
    ['bone_spine', ['neurosurgery_spine', 'orthopedic_oncology', 'rehabilitation']],
    ['bone_chest_wall', ['thoracic_surgery']],
    ['bone_skull_face', ['otolaryngology_head_neck', 'neurosurgery', 'plastic_reconstructive_surgery']],
    ['other', []],
    ['soft_tissue_extremity', ['orthopedic_or_surgical_oncology', 'plastic_reconstructive_surgery', 'rehabilitation']],
    ['soft_tissue_trunk', ['pediatric_surgical_oncology']],
    ['retroperitoneum_abdomen', ['pediatric_surgical_oncology']],
    ['hn_orbit', ['ophthalmology']],
    ['hn_parameningeal', ['otolaryngology_head_neck', 'neurosurgery', 'audiology', 'dentistry', 'endocrinology']],
    ['hn_nonparameningeal', ['otolaryngology_head_neck', 'plastic_reconstructive_surgery', 'dentistry']],
    ['gu_paratesticular', ['pediatric_urology']],
    ['gu_bladder_prostate', ['pediatric_urology']],
    ['gu_gynecologic', ['pediatric_gynecology']],
    ['perineum', ['pediatric_surgery_colorectal']],
    ['biliary', ['hepatobiliary_surgery', 'gastroenterology']],
  ])('a Ewing sarcoma at site %s brings %j', (siteCategory, list) => {
    const d = siteSpecificDisciplines(facts({ siteCategory }), NO_STAGING);
    expect(d.value).toEqual(list);
    expect(d.explanations[0]).toMatchObject({ output: 'siteSpecificDisciplines', rules: ['R-DISC'] });
  });

  const ADD_ON_ROWS: Array<[string, Partial<CaseFacts>, string[]]> = [
    ['osteosarcoma of the femur with lung metastases', { morphology: '9180/3', metastases: ['lung'] }, ['orthopedic_oncology', 'rehabilitation', 'thoracic_surgery']],
    ['osteosarcoma of the femur with bone metastases only', { morphology: '9180/3', metastases: ['bone'] }, ['orthopedic_oncology', 'rehabilitation']],
    ['osteosarcoma of the rib with lung metastases (no duplicate)', { morphology: '9180/3', siteCategory: 'bone_chest_wall', metastases: ['lung'] }, ['thoracic_surgery']],
    ['Ewing sarcoma with lung metastases', { metastases: ['lung'] }, ['orthopedic_oncology', 'rehabilitation']],
    ['paratesticular RMS at 119 months', { morphology: '8910/3', siteCategory: 'gu_paratesticular', topography: 'C63.1', ageMonths: 119 }, ['pediatric_urology']],
    ['paratesticular RMS at 120 months', { morphology: '8910/3', siteCategory: 'gu_paratesticular', topography: 'C63.1', ageMonths: 120 }, ['pediatric_urology', 'pediatric_surgery']],
    ['paratesticular leiomyosarcoma at 150 months', { morphology: '8890/3', siteCategory: 'gu_paratesticular', topography: 'C63.1', ageMonths: 150 }, ['pediatric_urology']],
    ['extremity RMS at 30 months', { morphology: '8920/3', siteCategory: 'soft_tissue_extremity', topography: 'C49.1', ageMonths: 30 }, ['orthopedic_or_surgical_oncology', 'plastic_reconstructive_surgery', 'rehabilitation', 'pediatric_surgery']],
  ];
  test.each(ADD_ON_ROWS.map(([label, o, list]) => [label, list, o] as const))('add-ons: %s → %j', (_label, list, o) => {
    expect(siteSpecificDisciplines(facts(o), NO_STAGING).value).toEqual(list);
  });

  test('osteosarcoma with unrecorded metastases keeps the site list and names metastases as missing for thoracic surgery', () => {
    const d = siteSpecificDisciplines(facts({ morphology: '9180/3', metastases: undefined }), NO_STAGING);
    expect(d.value).toEqual(['orthopedic_oncology', 'rehabilitation']);
    expect(d.missing).toEqual([{ field: 'metastases', needed_for: 'siteSpecificDisciplines.thoracic_surgery' }]);
  });
});

describe('conferenceDisciplines (R-CONF)', () => {
  const CORE = ['pediatric_oncology', 'radiation_oncology', 'pathology', 'radiology'];
  const CONF_ROWS: Array<[string, Partial<CaseFacts>, string[]]> = [
    ['a site with no additions (other)', { siteCategory: 'other' }, CORE],
    ['age 179 months', { siteCategory: 'other', ageMonths: 179 }, CORE],
    ['age 180 months', { siteCategory: 'other', ageMonths: 180 }, ['pediatric_oncology', 'radiation_oncology', 'medical_oncology', 'pathology', 'radiology']],
    ['bone_extremity (DESIGN.md example)', { ageMonths: 168 }, ['pediatric_oncology', 'orthopedic_oncology', 'radiation_oncology', 'pathology', 'radiology']],
    ['bone_pelvis', { siteCategory: 'bone_pelvis' }, ['pediatric_oncology', 'orthopedic_oncology', 'radiation_oncology', 'pathology', 'radiology']],
    ['soft_tissue_extremity', { siteCategory: 'soft_tissue_extremity' }, ['pediatric_oncology', 'orthopedic_oncology', 'radiation_oncology', 'pathology', 'radiology']],
    ['bone_spine', { siteCategory: 'bone_spine' }, ['pediatric_oncology', 'orthopedic_oncology', 'radiation_oncology', 'pathology', 'radiology', 'neurosurgery']],
    ['bone_chest_wall', { siteCategory: 'bone_chest_wall' }, ['pediatric_oncology', 'pediatric_surgery', 'radiation_oncology', 'pathology', 'radiology']],
    ['soft_tissue_trunk', { siteCategory: 'soft_tissue_trunk' }, ['pediatric_oncology', 'pediatric_surgery', 'radiation_oncology', 'pathology', 'radiology']],
    ['retroperitoneum_abdomen', { siteCategory: 'retroperitoneum_abdomen' }, ['pediatric_oncology', 'pediatric_surgery', 'radiation_oncology', 'pathology', 'radiology']],
    ['gu_paratesticular', { siteCategory: 'gu_paratesticular' }, ['pediatric_oncology', 'pediatric_surgery', 'radiation_oncology', 'pathology', 'radiology']],
    ['gu_bladder_prostate', { siteCategory: 'gu_bladder_prostate' }, ['pediatric_oncology', 'pediatric_surgery', 'radiation_oncology', 'pathology', 'radiology']],
    ['gu_gynecologic', { siteCategory: 'gu_gynecologic' }, ['pediatric_oncology', 'pediatric_surgery', 'radiation_oncology', 'pathology', 'radiology']],
    ['perineum', { siteCategory: 'perineum' }, ['pediatric_oncology', 'pediatric_surgery', 'radiation_oncology', 'pathology', 'radiology']],
    ['biliary', { siteCategory: 'biliary' }, ['pediatric_oncology', 'pediatric_surgery', 'radiation_oncology', 'pathology', 'radiology']],
    ['hn_orbit', { siteCategory: 'hn_orbit' }, ['pediatric_oncology', 'radiation_oncology', 'pathology', 'radiology', 'otolaryngology']],
    ['hn_nonparameningeal', { siteCategory: 'hn_nonparameningeal' }, ['pediatric_oncology', 'radiation_oncology', 'pathology', 'radiology', 'otolaryngology']],
    ['hn_parameningeal without extension', { siteCategory: 'hn_parameningeal', headNeck: { intracranialExtension: false, skullBaseErosion: false, cranialNervePalsy: false } }, ['pediatric_oncology', 'radiation_oncology', 'pathology', 'radiology', 'otolaryngology']],
    ['hn_parameningeal with intracranial extension', { siteCategory: 'hn_parameningeal', headNeck: { intracranialExtension: true } }, ['pediatric_oncology', 'radiation_oncology', 'pathology', 'radiology', 'otolaryngology', 'neurosurgery']],
    ['hn_parameningeal with skull-base erosion', { siteCategory: 'hn_parameningeal', headNeck: { skullBaseErosion: true } }, ['pediatric_oncology', 'radiation_oncology', 'pathology', 'radiology', 'otolaryngology', 'neurosurgery']],
    ['hn_parameningeal with cranial nerve palsy', { siteCategory: 'hn_parameningeal', headNeck: { cranialNervePalsy: true } }, ['pediatric_oncology', 'radiation_oncology', 'pathology', 'radiology', 'otolaryngology', 'neurosurgery']],
    ['hn_orbit with intracranial extension (not parameningeal)', { siteCategory: 'hn_orbit', headNeck: { intracranialExtension: true } }, ['pediatric_oncology', 'radiation_oncology', 'pathology', 'radiology', 'otolaryngology']],
    ['a paraspinal trunk tumour with spinal canal extension', { siteCategory: 'soft_tissue_trunk', bone: { spinalCanalInvasion: true } }, ['pediatric_oncology', 'pediatric_surgery', 'radiation_oncology', 'pathology', 'radiology', 'neurosurgery']],
    ['bone_skull_face', { siteCategory: 'bone_skull_face' }, ['pediatric_oncology', 'radiation_oncology', 'pathology', 'radiology', 'otolaryngology', 'neurosurgery']],
  ];
  test.each(CONF_ROWS.map(([label, o, list]) => [label, list, o] as const))('%s requires %j', (_label, list, o) => {
    const d = conferenceDisciplines(facts(o));
    expect(d.value).toEqual(list);
    expect(d.explanations.every((e) => e.output === 'conferenceDisciplines' && e.rules[0] === 'R-CONF')).toBe(true);
  });

  test('the output follows the order of the nine standing groups', () => {
    const d = conferenceDisciplines(facts({ siteCategory: 'bone_spine', ageMonths: 200 }));
    expect(d.value).toEqual(DISCIPLINES.filter((g) => d.value?.includes(g)));
  });

  test('a parameningeal case without head and neck facts names them as missing for neurosurgery', () => {
    const d = conferenceDisciplines(facts({ siteCategory: 'hn_parameningeal' }));
    expect(d.value).not.toContain('neurosurgery');
    expect(d.missing.map((m) => m.field)).toEqual(['headNeck.intracranialExtension', 'headNeck.skullBaseErosion', 'headNeck.cranialNervePalsy']);
    expect(d.missing[0]?.needed_for).toBe('conferenceDisciplines.neurosurgery');
  });
});
