import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseStudies } from './ctgov.js';
import { displayText, segmentCriteria, type CriteriaItem } from './segment.js';

const DIR = path.resolve(import.meta.dirname, '../../../fixtures/ctgov');
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const criteriaOf = (file: string): string =>
  parseStudies(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')), file).trials[0]!.eligibility.criteriaText ?? '';
const byId = (items: CriteriaItem[]) => new Map(items.map((i) => [i.id, i]));

/** Text left outside every item once headers, legacy labels and bullet markers are taken away. */
function uncovered(text: string, items: CriteriaItem[]): string {
  const mask = text.split('');
  for (const i of items) for (let k = i.start; k < i.end; k++) mask[k] = ' ';
  return mask.join('')
    .replace(/(?:inclusion|exclusion|registration|randomi[sz]ation)\s+criteria\s*:?/gi, ' ')
    .replace(/[A-Z][A-Z ]{4,}:/g, ' ')
    .replace(/(^|\s)(?:\*|-|\d{1,2}\.)(?=\s)/g, ' ')
    .trim();
}

describe('every fixture record segments into items with spans', () => {
  test.each(FILES)('%s: items keep their original text and span, in order, without overlap, covering the text', (file) => {
    const text = criteriaOf(file);
    const items = segmentCriteria(text);
    expect(items.length).toBeGreaterThan(1);
    let last = -1;
    for (const i of items) {
      expect(i.raw).toBe(text.slice(i.start, i.end));
      expect(i.text).toBe(displayText(i.raw));
      expect(i.text).not.toBe('');
      expect(i.start).toBeGreaterThan(last);
      last = i.end - 1;
    }
    expect(uncovered(text, items)).toBe('');
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    for (const i of items) if (i.parentId !== null) expect(byId(items).get(i.parentId)).toBeDefined();
  });

  test('the same text gives the same items', () => {
    const text = criteriaOf('NCT03643133.json');
    expect(segmentCriteria(text)).toEqual(segmentCriteria(text));
  });
});

describe('structures in the real records', () => {
  test('NCT03643133: registration and randomisation stages, numbered sub-lists that restart at 1, and hard wraps joined', () => {
    const items = segmentCriteria(criteriaOf('NCT03643133.json'));
    const m = byId(items);
    expect(m.get('in1')).toMatchObject({ stage: 'Registration Criteria', section: 'Registration Criteria', text: 'All newly diagnosed, biopsy-proven, high-grade osteosarcoma, whatever the initial extension of the disease' });
    expect(m.get('in4.1')).toMatchObject({ parentId: 'in4', text: 'Methotrexate-Etoposide-Ifosfamide (M-EI regimen) for patients ≤25 years' });
    expect(m.get('in4.2')?.parentId).toBe('in4');
    expect(m.get('in5')).toMatchObject({ parentId: null, text: expect.stringContaining('before enrolment and any study-related procedure') });
    expect(m.get('in7')).toMatchObject({ stage: 'Inclusion Criteria', text: expect.stringMatching(/^Patient with a histologically proven.*\(before surgery at the latest\), high-grade osteosarcoma$/) });
    expect(m.get('in10.2')).toMatchObject({ parentId: 'in10', text: expect.stringContaining('(>10% residual viable cells on the analysis') });
    expect(m.get('in11.1')?.parentId).toBe('in11');
  });

  test('NCT02567435: an indented sub-bullet is a child of its bullet', () => {
    const items = segmentCriteria(criteriaOf('NCT02567435.json'));
    expect(items.map((i) => [i.id, i.parentId])).toEqual([['in1', null], ['in2', null], ['in2.1', 'in2']]);
    expect(items[0]!.text).toBe('Up to 40 years old at the time of enrollment');
  });

  test('NCT00354835: bullets flattened onto one line are split, and "defined as:" takes the OR-joined alternatives', () => {
    const items = segmentCriteria(criteriaOf('NCT00354835.json'));
    const m = byId(items);
    expect(items[0]).toMatchObject({ id: 'in1', section: 'Inclusion Criteria', text: expect.stringMatching(/^Patients with newly diagnosed embryonal RMS/) });
    expect(m.get('in4')?.text).toBe('Patient must have Intermediate-risk RMS defined as:');
    expect(m.get('in4.1')?.text).toMatch(/stage 2 or 3 and group III OR$/);
    expect(m.get('in4.2')?.text).toBe('Alveolar RMS: stage 1-3 and group I-III');
    expect(m.get('in5')).toMatchObject({ parentId: null, text: expect.stringContaining('>= 10 years of age') });
  });

  test('NCT00023998: legacy criteria run together on one line are split before each criterion', () => {
    const items = segmentCriteria(criteriaOf('NCT00023998.json'));
    const texts = items.map((i) => i.text);
    expect(texts).toEqual(expect.arrayContaining([
      'Histologically confirmed high-grade osteosarcoma',
      'Performance status - Karnofsky 50-100% (over age 10)',
      'Performance status - Lansky 50-100% (age 10 and under)',
      'Absolute neutrophil count > 1,000/mm^3',
      'SGPT ≤ 3 times normal',
      'Ejection fraction ≥ 50% by echocardiogram or MUGA',
      'No history of pericarditis, myocarditis, symptomatic arrhythmia, or conduction disturbances',
      'HIV negative',
      'Not pregnant or nursing',
      'No prior chemotherapy',
      "No osteosarcoma arising in areas of Paget's disease or radiotherapy-induced sarcoma",
    ]));
    expect(items.length).toBeGreaterThanOrEqual(25);
  });

  test('NCT04129151: unbulleted lines are items, and a line ending in ":" takes the following lines as sub-items', () => {
    const items = segmentCriteria(criteriaOf('NCT04129151.json'));
    expect(items.map((i) => [i.id, i.parentId])).toEqual([['in1', null], ['in2', null], ['in3', null], ['in3.1', 'in3'], ['in3.2', 'in3']]);
    expect(items[1]!.text).toMatch(/^Karnofsky performance status ≥ 50% for patients ≥16 years of age and Lansky ≥ 50% for patients <16 years/);
  });

  test('SARC028: a header without a colon still starts the inclusion section', () => {
    const items = segmentCriteria(criteriaOf('NCT02301039.json'));
    expect(items[0]).toMatchObject({ id: 'in1', section: 'Inclusion criteria', text: 'Age ≥ 18 years (Age ≥ 12 years for patients with bone sarcomas).' });
  });
});

describe('conventions of the criteria text', () => {
  test('backslash escapes are undone in the display text but kept in the raw span', () => {
    const text = 'Inclusion Criteria:\n\n* Age \\>= 10 years and \\< 22 years\n* Creatinine =\\< 1.5 x ULN \\[IRS\\] group III';
    const items = segmentCriteria(text);
    expect(items.map((i) => i.text)).toEqual(['Age >= 10 years and < 22 years', 'Creatinine =< 1.5 x ULN [IRS] group III']);
    expect(items[0]!.raw).toBe('Age \\>= 10 years and \\< 22 years');
  });

  test('an exclusion header makes the following items exclusions with their own numbering', () => {
    const items = segmentCriteria('Inclusion Criteria:\n\n* A\n* B\n\nExclusion Criteria:\n\n* Pregnant or breast-feeding\n* Prior radiotherapy');
    expect(items.map((i) => [i.id, i.kind, i.section])).toEqual([
      ['in1', 'inclusion', 'Inclusion Criteria'], ['in2', 'inclusion', 'Inclusion Criteria'],
      ['ex1', 'exclusion', 'Exclusion Criteria'], ['ex2', 'exclusion', 'Exclusion Criteria'],
    ]);
  });

  test('legacy blocks keep their section and sub-label, and hard-wrapped lines join one item', () => {
    const text = [
      'DISEASE CHARACTERISTICS:', '', '  * Histologically confirmed osteosarcoma of the extremity that was', '    diagnosed within the past 30 days', '',
      'PATIENT CHARACTERISTICS:', '', 'Age:', '', '  * 30 and under', '', 'Performance status:', '', '  * ECOG 0-2', '',
      'PRIOR CONCURRENT THERAPY:', '', '  * No prior chemotherapy',
    ].join('\n');
    const items = segmentCriteria(text);
    expect(items.map((i) => [i.section, i.label, i.text])).toEqual([
      ['DISEASE CHARACTERISTICS', null, 'Histologically confirmed osteosarcoma of the extremity that was diagnosed within the past 30 days'],
      ['PATIENT CHARACTERISTICS', 'Age', '30 and under'],
      ['PATIENT CHARACTERISTICS', 'Performance status', 'ECOG 0-2'],
      ['PRIOR CONCURRENT THERAPY', null, 'No prior chemotherapy'],
    ]);
    expect(items.every((i) => i.kind === 'inclusion' && i.parentId === null)).toBe(true);
  });

  test('a hard wrap without indentation continues the item when the line ran long', () => {
    const text = '* Patients must have received no more than two prior regimens of systemic\ntherapy for metastatic disease\n* Next';
    expect(segmentCriteria(text).map((i) => i.text)).toEqual(['Patients must have received no more than two prior regimens of systemic therapy for metastatic disease', 'Next']);
  });

  test('CRLF line ends are handled and spans still match', () => {
    const text = 'Inclusion Criteria:\r\n\r\n* Age >= 1 year\r\n* ANC >= 1000/uL\r\n';
    const items = segmentCriteria(text);
    expect(items.map((i) => i.raw)).toEqual(['Age >= 1 year', 'ANC >= 1000/uL']);
  });

  test('an empty text has no items', () => {
    expect(segmentCriteria('')).toEqual([]);
    expect(segmentCriteria('\n\n  \n')).toEqual([]);
  });
});
