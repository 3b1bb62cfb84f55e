import { describe, test, expect } from 'vitest';
import type { CaseFacts } from '../facts/case-facts.js';
import { BENIGN_ICD10, MALIGNANT_ICD10, icd10cm } from './icd10.js';

function facts(morphology: string, topography: string, over: Partial<CaseFacts> = {}): CaseFacts {
  return { ageMonths: 150, sex: 'male', morphology, topography, siteCategory: 'other', ...over };
}

describe('ICD-10-CM for malignant bone (rules.md §5.3)', () => {
  test.each([
    ['C40.0', 'right', 'C40.01'], ['C40.0', 'left', 'C40.02'],
    ['C40.1', 'right', 'C40.11'], ['C40.1', 'left', 'C40.12'],
    ['C40.2', 'right', 'C40.21'], ['C40.2', 'left', 'C40.22'],
    ['C40.3', 'right', 'C40.31'], ['C40.3', 'left', 'C40.32'],
    ['C40.8', 'left', 'C40.82'], ['C40.9', 'right', 'C40.91'], ['C40', 'left', 'C40.92'],
  ] as const)('an osteosarcoma at %s on the %s is %s', (topography, laterality, code) => {
    expect(icd10cm(facts('9180/3', topography, { laterality })).value).toBe(code);
  });

  test.each([
    ['C41.0', 'C41.0'], ['C41.1', 'C41.1'], ['C41.2', 'C41.2'], ['C41.3', 'C41.3'], ['C41.4', 'C41.4'],
    ['C41.9', 'C41.9'], ['C41', 'C41.9'],
  ] as const)('a Ewing sarcoma at %s is %s, with no laterality needed', (topography, code) => {
    expect(icd10cm(facts('9260/3', topography)).value).toBe(code);
  });

  test('every code is unverified [K] and explained from topography, behaviour and side', () => {
    expect(icd10cm(facts('9180/3', 'C40.2', { laterality: 'right' })).explanations).toEqual([
      { output: 'icd10cm', rules: ['R-CODE-TOPO', 'R-CODE-MORPH'], text: 'ICD-O-3 C40.2, malignant, right → C40.21', unverified: true },
    ]);
  });

  test('missing laterality on a limb bone is reported, not coded as unspecified', () => {
    expect(icd10cm(facts('9180/3', 'C40.2'))).toEqual({ value: null, explanations: [], missing: [{ field: 'laterality', needed_for: 'icd10cm' }] });
  });

  test.each(['bilateral', 'midline', 'not_applicable'] as const)('laterality %s on a limb bone has no single code', (laterality) => {
    const r = icd10cm(facts('9180/3', 'C40.2', { laterality }));
    expect(r.value).toBeNull();
    expect(r.missing).toEqual([]);
    expect(r.explanations[0]?.text).toContain('needs right or left');
  });

  test('overlapping other bone (C41.8) has no ICD-10-CM code and is left to a coder', () => {
    expect(icd10cm(facts('9260/3', 'C41.8')).value).toBeNull();
  });
});

describe('ICD-10-CM for soft-tissue and other primary sites (rules.md §5.3)', () => {
  test.each([
    ['9040/3', 'C49.1', 'right', 'C49.11'], ['9040/3', 'C49.1', 'left', 'C49.12'],
    ['9040/3', 'C49.2', 'right', 'C49.21'], ['8910/3', 'C49.2', 'left', 'C49.22'],
    ['8920/3', 'C69.6', 'right', 'C69.61'], ['8910/3', 'C69.6', 'left', 'C69.62'],
    ['9540/3', 'C47.1', 'left', 'C47.12'], ['9540/3', 'C47.2', 'right', 'C47.21'],
    ['8910/3', 'C63.1', 'right', 'C63.11'], ['8910/3', 'C63.0', 'left', 'C63.02'],
    ['8910/3', 'C62.1', 'right', 'C62.11'],
    ['9260/3', 'C49.2', 'left', 'C49.22'],
  ] as const)('%s at %s on the %s is %s', (morphology, topography, laterality, code) => {
    expect(icd10cm(facts(morphology, topography, { laterality })).value).toBe(code);
  });

  test.each([
    ['9040/3', 'C49.0', 'C49.0'], ['9040/3', 'C49.3', 'C49.3'], ['9040/3', 'C49.4', 'C49.4'],
    ['9040/3', 'C49.5', 'C49.5'], ['9040/3', 'C49.6', 'C49.6'], ['9040/3', 'C49.8', 'C49.8'], ['9040/3', 'C49.9', 'C49.9'],
    ['8806/3', 'C48.0', 'C48.0'], ['8806/3', 'C48.1', 'C48.1'], ['9540/3', 'C47.0', 'C47.0'], ['9540/3', 'C47.6', 'C47.6'],
    ['8910/3', 'C11.9', 'C11.9'], ['8920/3', 'C30.0', 'C30.0'], ['8920/3', 'C30.1', 'C30.1'], ['8920/3', 'C31.0', 'C31.0'],
    ['8910/3', 'C67.9', 'C67.9'], ['8910/3', 'C67.5', 'C67.5'], ['8910/3', 'C61.9', 'C61'], ['8910/3', 'C52.9', 'C52'],
    ['8910/3', 'C53.9', 'C53.9'], ['8910/3', 'C55.9', 'C55'], ['8910/3', 'C24.0', 'C24.0'],
  ] as const)('%s at %s is %s, with no laterality needed', (morphology, topography, code) => {
    const r = icd10cm(facts(morphology, topography));
    expect(r.value).toBe(code);
    expect(r.explanations[0]?.unverified).toBe(true);
  });

  test('orbit needs laterality', () => {
    expect(icd10cm(facts('8910/3', 'C69.6')).missing).toEqual([{ field: 'laterality', needed_for: 'icd10cm' }]);
  });

  test('an intrahepatic bile duct sarcoma (C22.1) is not coded: ICD-10-CM C22 is split by histology', () => {
    const r = icd10cm(facts('8910/3', 'C22.1'));
    expect(r.value).toBeNull();
    expect(r.explanations[0]?.text).toContain('needs a coder');
  });
});

describe('ICD-10-CM for benign and intermediate tumours (rules.md §5.3)', () => {
  test.each([
    ['9210/0', 'C40.0', 'right', 'D16.01'], ['9210/0', 'C40.1', 'left', 'D16.12'],
    ['9210/0', 'C40.2', 'right', 'D16.21'], ['9191/0', 'C40.2', 'left', 'D16.22'],
    ['9220/0', 'C40.3', 'right', 'D16.31'], ['8830/0', 'C49.2', 'left', 'D21.22'],
  ] as const)('benign %s at %s on the %s is %s', (morphology, topography, laterality, code) => {
    expect(icd10cm(facts(morphology, topography, { laterality })).value).toBe(code);
  });

  test.each([
    ['9200/0', 'C41.0', 'D16.4'], ['9200/0', 'C41.1', 'D16.5'], ['9200/0', 'C41.2', 'D16.6'], ['9210/0', 'C41.3', 'D16.7'],
    ['9210/0', 'C41.4', 'D16.8'], ['9241/0', 'C41.9', 'D16.9'], ['9210/0', 'C40.9', 'D16.9'],
    ['9250/1', 'C40.2', 'D48.0'], ['9250/1', 'C41.4', 'D48.0'], ['9200/1', 'C41.2', 'D48.0'],
    ['8821/1', 'C49.2', 'D48.1'], ['8821/1', 'C49.6', 'D48.1'], ['8825/1', 'C49.4', 'D48.1'], ['8821/1', 'C48.0', 'D48.3'],
  ] as const)('%s at %s is %s, with no laterality needed', (morphology, topography, code) => {
    expect(icd10cm(facts(morphology, topography)).value).toBe(code);
  });

  test('a benign limb-bone lesion without laterality reports it missing', () => {
    expect(icd10cm(facts('9210/0', 'C40.2')).missing).toEqual([{ field: 'laterality', needed_for: 'icd10cm' }]);
  });

  test.each([
    ['enchondromatosis (Q78.4 in ICD-10-CM)', '9220/1', 'C40.2'],
    ['Langerhans cell histiocytosis (C96 in ICD-10-CM)', '9751/1', 'C41.0'],
    ['a morphology outside the platform table (lymphoma)', '9680/3', 'C40.2'],
    ['a benign lesion at an overlapping bone site', '9210/0', 'C40.8'],
    ['an aneurysmal bone cyst (M85.5- in ICD-10-CM)', '9260/0', 'C40.2'],
    ['a non-ossifying fibroma of bone', '8830/0', 'C40.2'],
  ])('%s is left to a coder (null, with the reason)', (_name, morphology, topography) => {
    const r = icd10cm(facts(morphology, topography, { laterality: 'right' }));
    expect(r.value).toBeNull();
    expect(r.missing).toEqual([]);
    expect(r.explanations[0]?.rules).toContain('R-CODE-TOPO');
  });
});

describe('ICD-10-CM tables', () => {
  test('every malignant bone or soft-tissue code is a C code and every benign code a D16/D21 code', () => {
    for (const t of Object.values(MALIGNANT_ICD10)) expect(t.code).toMatch(/^C\d\d(\.\d)?$/);
    for (const t of Object.values(BENIGN_ICD10)) expect(t.code).toMatch(/^D(16|21)\.\d$/);
  });
});
