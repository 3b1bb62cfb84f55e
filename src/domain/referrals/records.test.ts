import { describe, expect, test } from 'vitest';
import type { TumorFamily } from '../coding/morphology.js';
import { SITE_CATEGORIES, type SiteCategory } from '../facts/case-facts.js';
import { RECORD_ITEMS, RECORD_RULES, recordsChecklist, recordsReadiness, type RecordItemKey } from './records.js';
import type { RecordStatus } from './types.js';

const required = (family: TumorFamily | undefined, site?: SiteCategory) =>
  recordsChecklist(family, site).filter((i) => i.required).map((i) => i.item);
const optional = (family: TumorFamily | undefined, site?: SiteCategory) =>
  recordsChecklist(family, site).filter((i) => !i.required).map((i) => i.item);

describe('RECORD_ITEMS', () => {
  test('every key is unique', () => {
    expect(new Set(RECORD_ITEMS.map((i) => i.key)).size).toBe(RECORD_ITEMS.length);
  });

  test.each([
    ['pathology_slides_blocks', 'pathology'],
    ['mri_primary', 'radiology'],
    ['chest_ct', 'radiology'],
    ['pet_or_bone_scan', 'radiology'],
    ['x_ray_primary', 'radiology'],
    ['brain_mri', 'radiology'],
    ['outside_pathology_report', null],
    ['labs', null],
  ])('%s is reviewed by %s', (key, by) => {
    expect(RECORD_ITEMS.find((i) => i.key === key)?.reviewedBy).toBe(by);
  });

  test('every rule names an item in the table', () => {
    const keys = new Set<string>(RECORD_ITEMS.map((i) => i.key));
    for (const r of RECORD_RULES) expect(keys.has(r.item)).toBe(true);
  });
});

describe('recordsChecklist', () => {
  test.each<[TumorFamily, SiteCategory | undefined, RecordItemKey[]]>([
    ['osteosarcoma', 'bone_extremity',
      ['outside_pathology_report', 'pathology_slides_blocks', 'x_ray_primary', 'mri_primary', 'chest_ct', 'pet_or_bone_scan', 'labs']],
    ['ewing', 'bone_pelvis',
      ['outside_pathology_report', 'pathology_slides_blocks', 'bone_marrow', 'mri_primary', 'chest_ct', 'pet_or_bone_scan', 'labs']],
    ['rhabdomyosarcoma', 'gu_paratesticular',
      ['outside_pathology_report', 'pathology_slides_blocks', 'bone_marrow', 'mri_primary', 'chest_ct', 'pet_or_bone_scan', 'labs']],
    ['rhabdomyosarcoma', 'hn_parameningeal',
      ['outside_pathology_report', 'pathology_slides_blocks', 'bone_marrow', 'csf_cytology', 'mri_primary', 'chest_ct', 'pet_or_bone_scan', 'brain_mri', 'labs']],
    ['rhabdomyosarcoma', undefined,
      ['outside_pathology_report', 'pathology_slides_blocks', 'bone_marrow', 'mri_primary', 'chest_ct', 'pet_or_bone_scan', 'labs']],
    ['nrsts', 'soft_tissue_extremity',
      ['outside_pathology_report', 'pathology_slides_blocks', 'mri_primary', 'chest_ct', 'pet_or_bone_scan', 'labs']],
    ['other_bone_malignant', 'bone_pelvis',
      ['outside_pathology_report', 'pathology_slides_blocks', 'mri_primary', 'chest_ct', 'pet_or_bone_scan', 'labs']],
    ['benign_bone', 'bone_extremity',
      ['outside_pathology_report', 'pathology_slides_blocks', 'x_ray_primary', 'labs']],
    ['intermediate_soft_tissue', 'soft_tissue_trunk',
      ['outside_pathology_report', 'pathology_slides_blocks', 'mri_primary', 'labs']],
  ])('a %s at site %s requires %j', (family, site, items) => {
    expect(required(family, site)).toEqual(items);
  });

  test('a benign bone tumour has an optional MRI of the primary and no chest CT', () => {
    expect(optional('benign_bone')).toEqual(['mri_primary']);
    expect(recordsChecklist('benign_bone').map((i) => i.item)).not.toContain('chest_ct');
  });

  test('a parameningeal site alone does not add brain MRI or CSF cytology to a non-RMS tumour', () => {
    expect(required('nrsts', 'hn_parameningeal')).not.toContain('brain_mri');
    expect(required('ewing', 'hn_parameningeal')).not.toContain('csf_cytology');
  });

  test('an unknown tumour type asks for the whole malignant work-up, all required', () => {
    const list = recordsChecklist(undefined);
    expect(list.map((i) => i.item)).toEqual([
      'outside_pathology_report', 'pathology_slides_blocks', 'bone_marrow', 'x_ray_primary', 'mri_primary', 'chest_ct', 'pet_or_bone_scan', 'labs',
    ]);
    expect(list.every((i) => i.required)).toBe(true);
    expect(list.every((i) => i.why.startsWith('tumour type not known yet'))).toBe(true);
  });

  test('an unknown tumour type at a parameningeal site also asks for brain MRI and CSF cytology', () => {
    expect(required(undefined, 'hn_parameningeal')).toEqual(expect.arrayContaining(['brain_mri', 'csf_cytology']));
  });

  test.each(SITE_CATEGORIES)('at site %s an unknown tumour type asks for at least what any malignant family asks for', (site) => {
    const unknown = new Set(required(undefined, site));
    for (const family of ['osteosarcoma', 'ewing', 'rhabdomyosarcoma', 'nrsts', 'other_bone_malignant'] as const) {
      for (const item of required(family, site)) expect(unknown.has(item)).toBe(true);
    }
  });

  test('every line says why it is on the list', () => {
    for (const i of recordsChecklist('rhabdomyosarcoma', 'hn_parameningeal')) expect(i.why.length).toBeGreaterThan(10);
  });
});

describe('recordsReadiness', () => {
  const row = (item: RecordItemKey, status: RecordStatus, req = true) => ({ item, required: req, status });

  test.each<[RecordItemKey, RecordStatus, boolean]>([
    ['pathology_slides_blocks', 'received', false],
    ['pathology_slides_blocks', 'reviewed', true],
    ['mri_primary', 'received', false],
    ['mri_primary', 'reviewed', true],
    ['outside_pathology_report', 'received', true],
    ['labs', 'received', true],
    ['labs', 'requested', false],
    ['chest_ct', 'not_applicable', true],
    ['labs', 'needed', false],
  ])('a required %s with status %s is complete: %s', (item, status, complete) => {
    expect(recordsReadiness([row(item, status)]).complete).toBe(complete);
  });

  test.each<[RecordStatus, 'request' | 'receive' | 'review']>([
    ['needed', 'request'],
    ['requested', 'receive'],
    ['received', 'review'],
  ])('slides/blocks that are %s next need to %s', (status, needs) => {
    expect(recordsReadiness([row('pathology_slides_blocks', status)]).outstanding).toEqual([
      { item: 'pathology_slides_blocks', label: 'Pathology slides/blocks', status, needs },
    ]);
  });

  test('an optional item never holds the records back', () => {
    expect(recordsReadiness([row('mri_primary', 'needed', false), row('x_ray_primary', 'reviewed')])).toEqual({ complete: true, outstanding: [] });
  });

  test('outstanding keeps the order of the checklist', () => {
    const r = recordsReadiness([row('outside_pathology_report', 'received'), row('chest_ct', 'requested'), row('labs', 'needed')]);
    expect(r.complete).toBe(false);
    expect(r.outstanding.map((o) => [o.item, o.needs])).toEqual([['chest_ct', 'receive'], ['labs', 'request']]);
  });

  test('an empty checklist is complete', () => {
    expect(recordsReadiness([])).toEqual({ complete: true, outstanding: [] });
  });
});
