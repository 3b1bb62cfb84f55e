import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ageBound, describeExpr, validateTrialDefinition, type Criterion, type Expr, type TrialDefinition } from './criteria.js';
import { parseStudies, type ImportedTrial } from './ctgov.js';
import { draftCriteria } from './draft.js';
import { segmentCriteria } from './segment.js';

const DIR = path.resolve(import.meta.dirname, '../../../fixtures/ctgov');
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const imported = (file: string): ImportedTrial => parseStudies(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')), file).trials[0]!;
const criteriaOf = (d: TrialDefinition): Criterion[] => d.scopes.flatMap((s) => s.criteria);
const get = (d: TrialDefinition, id: string): Criterion => {
  const c = criteriaOf(d).find((x) => x.id === id);
  if (!c) throw new Error(`no criterion ${id}`);
  return c;
};
const leaves = (e: Expr): Expr[] => {
  switch (e.op) {
    case 'and': case 'or': case 'atLeast': return e.args.flatMap(leaves);
    case 'not': return leaves(e.arg);
    case 'when': return [...leaves(e.if), ...leaves(e.then)];
    default: return [e];
  }
};

/** A minimal imported record with the given criteria text. */
function record(text: string, o: Partial<ImportedTrial['eligibility']> = {}): ImportedTrial {
  const r = parseStudies({ protocolSection: { identificationModule: { nctId: 'NCT00000009', briefTitle: 'Draft test', orgStudyId: 'AOST9999' }, eligibilityModule: { eligibilityCriteria: text } } }, 't');
  const t = r.trials[0]!;
  return { ...t, eligibility: { ...t.eligibility, ...o } };
}
const draftOne = (line: string, kind: 'Inclusion' | 'Exclusion' = 'Inclusion'): Expr => get(draftCriteria(record(`${kind} Criteria:\n\n* ${line}`)), kind === 'Inclusion' ? 'in1' : 'ex1').expr;

describe('every fixture record drafts to a valid definition that drops no item', () => {
  test.each(FILES)('%s', (file) => {
    const t = imported(file);
    const d = draftCriteria(t);
    expect(validateTrialDefinition(JSON.parse(JSON.stringify(d))).ok).toBe(true);
    const covered = new Set(criteriaOf(d).flatMap((c) => (c.source.itemId ? [c.source.itemId, ...c.source.childItemIds] : [])));
    expect([...covered].sort()).toEqual(segmentCriteria(t.eligibility.criteriaText ?? '').map((i) => i.id).sort());
    expect(criteriaOf(d).every((c) => c.status === 'proposed')).toBe(true);
    expect(d.curation).toEqual({ state: 'draft', basedOn: { lastUpdatePostDate: t.lastUpdatePostDate, criteriaSha256: t.criteriaSha256 }, stale: false });
  });
});

describe('what the drafts of the real records say', () => {
  test('NCT04129151: age 12–50, Karnofsky from 16 / Lansky under 16, relapsed or refractory Ewing', () => {
    const d = draftCriteria(imported('NCT04129151.json'));
    expect(get(d, 'in1').expr).toMatchObject({ op: 'age', min: ageBound.atLeast(12), max: ageBound.atMost(50) });
    expect(get(d, 'in2').expr).toEqual({
      op: 'performance', rules: [
        { scale: 'karnofsky', appliesIf: { min: ageBound.atLeast(16) }, min: 50 },
        { scale: 'lansky', appliesIf: { max: ageBound.under(16) }, min: 50 },
      ],
    });
    const in3 = leaves(get(d, 'in3').expr);
    expect(in3).toContainEqual({ op: 'diseaseStatus', anyOf: ['relapsed', 'refractory', 'progressive'] });
    expect(in3).toContainEqual({ op: 'diagnosis', label: 'Ewing sarcoma', anyOf: { families: ['ewing'] } });
  });

  test('SARC028: the histology-dependent age rule and the registry minimum age', () => {
    const d = draftCriteria(imported('NCT02301039.json'));
    expect(describeExpr(get(d, 'in1').expr)).toBe('age ≥ 18 y (as written: ">= 18 years") OR (diagnosis bone sarcoma AND age ≥ 12 y (as written: ">= 12 years" for bone sarcoma))'.replace(/ \(as written[^)]*\)/g, ''));
    expect(get(d, 'reg-age')).toMatchObject({ source: { field: 'eligibilityModule.minimumAge/maximumAge' }, expr: { op: 'age', min: ageBound.atLeast(12) } });
    expect(get(d, 'in3').expr).toEqual({ op: 'performance', rules: [{ scale: 'ecog', max: 1 }] });
    // "unresectable, recurrent, and/or metastatic" is one alternative, not three requirements.
    expect(leaves(get(d, 'in2').expr)).toContainEqual({ op: 'manual', note: 'unresectable disease' });
  });

  test('AEWS1031: newly diagnosed non-metastatic Ewing sarcoma or PNET, age ≤ 50', () => {
    const d = draftCriteria(imported('NCT01231906.json'));
    expect(get(d, 'in1').expr).toMatchObject({ op: 'age', max: ageBound.atMost(50) });
    const in2 = leaves(get(d, 'in2').expr);
    expect(in2).toEqual(expect.arrayContaining([
      { op: 'diseaseStatus', anyOf: ['newly_diagnosed'] },
      { op: 'metastatic', present: false },
      { op: 'diagnosis', label: 'Ewing sarcoma, PNET', anyOf: { codes: ['9364/3', '9365/3'], families: ['ewing'] } },
    ]));
    expect(get(d, 'in2').note).toContain('extracranial');
  });

  test('ARST0531: the intermediate-risk definition becomes an OR of histology, stage and group', () => {
    const d = draftCriteria(imported('NCT00354835.json'));
    const e = get(d, 'in4').expr;
    expect(e.op).toBe('and');
    const alt = (e as unknown as { args: Expr[] }).args[1]!;
    expect(alt.op).toBe('or');
    expect(leaves(alt)).toEqual(expect.arrayContaining([
      { op: 'stageRisk', measure: 'rms.stage', anyOf: [2, 3] },
      { op: 'stageRisk', measure: 'rms.clinicalGroup', anyOf: ['III'] },
      { op: 'stageRisk', measure: 'rms.stage', anyOf: [1, 2, 3] },
      { op: 'stageRisk', measure: 'rms.clinicalGroup', anyOf: ['I', 'IIA', 'IIB', 'IIC', 'III'] },
      { op: 'diagnosis', label: 'alveolar RMS', anyOf: { codes: ['8920/3'] } },
    ]));
    expect(get(d, 'in2').expr).toMatchObject({ op: 'and', args: [{ op: 'enrolledOnStudy', studies: ['COG-D9902'], allowConcurrent: true }, { op: 'manual' }] });
    // The trial's own protocol number is not a companion study.
    expect(get(d, 'in3').expr).toMatchObject({ op: 'manual' });
  });

  test('the run-on COG osteosarcoma record yields its labs, performance items and exclusions', () => {
    const d = draftCriteria(imported('NCT00023998.json'));
    const all = criteriaOf(d);
    const by = (text: string) => all.find((c) => c.source.text === text)!.expr;
    expect(by('Absolute neutrophil count > 1,000/mm^3')).toEqual({ op: 'lab', fact: 'anc', cmp: '>', absolute: 1000 });
    expect(by('Platelet count > 100,000/mm^3')).toEqual({ op: 'lab', fact: 'platelets', cmp: '>', absolute: 100000 });
    expect(by('Bilirubin ≤ 1.5 times normal')).toEqual({ op: 'lab', fact: 'bilirubinTotalMgDl', cmp: '<=', xUln: 1.5 });
    expect(by('SGPT ≤ 3 times normal')).toEqual({ op: 'lab', fact: 'altUL', cmp: '<=', xUln: 3 });
    expect(by('Creatinine clearance or glomerular filtration rate ≥ 70 mL/min')).toEqual({ op: 'lab', fact: 'gfrMlMin173', cmp: '>=', absolute: 70 });
    expect(by('Shortening fraction ≥ 28% by echocardiogram')).toEqual({ op: 'lab', fact: 'shorteningFractionPct', cmp: '>=', absolute: 28 });
    expect(by('Performance status - Karnofsky 50-100% (over age 10)')).toEqual({ op: 'performance', rules: [{ scale: 'karnofsky', appliesIf: { min: ageBound.over(10) }, min: 50 }] });
    expect(by('Performance status - Lansky 50-100% (age 10 and under)')).toEqual({ op: 'performance', rules: [{ scale: 'lansky', appliesIf: { max: ageBound.atMost(10) }, min: 50 }] });
    expect(by('Not pregnant or nursing')).toEqual({ op: 'not', arg: { op: 'reproductive', condition: 'pregnant_or_nursing' } });
    expect(by('No prior chemotherapy')).toEqual({ op: 'not', arg: { op: 'priorTherapy', kinds: ['chemotherapy'] } });
    expect(by('Must be currently enrolled on the tumor biology study COG-P9851')).toEqual({ op: 'enrolledOnStudy', studies: ['COG-P9851'], allowConcurrent: true });
    expect(by("No osteosarcoma arising in areas of Paget's disease or radiotherapy-induced sarcoma")).toMatchObject({ op: 'manual' });
    expect(by('HIV negative')).toMatchObject({ op: 'manual' });
  });

  test('NCT03643133: registration and randomisation criteria are two required steps', () => {
    const d = draftCriteria(imported('NCT03643133.json'));
    expect(d.scopes.map((s) => [s.id, s.kind, s.label, s.criteria[0]?.id])).toEqual([
      ['trial', 'trial', 'Whole trial', undefined],
      ['step-1', 'step', 'Registration Criteria', 'in1'],
      ['step-2', 'step', 'Inclusion Criteria', 'in7'],
    ]);
    expect(get(d, 'in2').expr).toMatchObject({ op: 'age', min: ageBound.over(2), max: ageBound.atMost(50), note: expect.stringContaining('>2 years') });
    expect(get(d, 'in4').expr).toMatchObject({ op: 'manual', note: expect.stringContaining('whether all or any') });
  });
});

describe('draft rules on common wordings', () => {
  test.each([
    ['Age >= 1 year and =< 21 years at enrollment', { op: 'age', min: ageBound.atLeast(1), max: ageBound.atMost(21) }],
    ['Patients must be between 12 months and 30 years of age', { op: 'age', min: ageBound.atLeast(12, 'months'), max: ageBound.atMost(30) }],
    ['Age < 40 years at diagnosis', { op: 'age', max: ageBound.under(40) }],
    ['Age \\> 16 years', { op: 'age', min: ageBound.over(16) }],
  ])('"%s" is an age leaf', (text, want) => {
    expect(draftOne(text)).toMatchObject(want);
  });

  test('an age condition of another criterion is not an age requirement', () => {
    expect(draftOne('Methotrexate-Etoposide-Ifosfamide (M-EI regimen) for patients ≤25 years')).toMatchObject({ op: 'manual' });
  });

  test('the COG renal wording is the COG_RENAL_V1 macro with its window', () => {
    expect(draftOne('Creatinine clearance or radioisotope glomerular filtration rate (GFR) \\>= 70 mL/min/1.73 m\\^2 or a serum creatinine based on age/gender as follows (within 7 days prior to enrollment):'))
      .toEqual({ op: 'ref', macro: 'COG_RENAL_V1', withinDays: 7 });
  });

  test('the COG performance wording with "Use Karnofsky for … and Lansky for …" shares its threshold', () => {
    expect(draftOne('Lansky or Karnofsky performance status score of \\>= 50. Use Karnofsky for patients \\> 16 years of age and Lansky for patients =\\< 16 years of age'))
      .toEqual({ op: 'performance', rules: [{ scale: 'lansky', appliesIf: { max: ageBound.atMost(16) }, min: 50 }, { scale: 'karnofsky', appliesIf: { min: ageBound.over(16) }, min: 50 }] });
  });

  test.each([
    ['Total bilirubin =< 1.5 x upper limit of normal (ULN) for age (within 14 days prior to enrollment)', { op: 'lab', fact: 'bilirubinTotalMgDl', cmp: '<=', xUln: 1.5, withinDays: 14 }],
    ['Peripheral absolute neutrophil count (ANC) >= 1.5 x 10^9/L', { op: 'lab', fact: 'anc', cmp: '>=', absolute: 1500 }],
    ['Hemoglobin >= 80 g/L', { op: 'lab', fact: 'hemoglobinGDl', cmp: '>=', absolute: 8 }],
    ['Shortening fraction of >= 27% by echocardiogram, or ejection fraction of >= 50% by radionuclide angiogram', { op: 'or', args: [{ op: 'lab', fact: 'shorteningFractionPct', cmp: '>=', absolute: 27 }, { op: 'lab', fact: 'ejectionFractionPct', cmp: '>=', absolute: 50 }] }],
  ])('"%s" is read', (text, want) => {
    expect(draftOne(text)).toEqual(want);
  });

  test.each([
    ['Patients with newly diagnosed, localized rhabdomyosarcoma', [{ op: 'diseaseStatus', anyOf: ['newly_diagnosed'] }, { op: 'metastatic', present: false }, { op: 'diagnosis', label: 'rhabdomyosarcoma', anyOf: { families: ['rhabdomyosarcoma'] } }]],
    ['Histologically confirmed desmoplastic small round cell tumor', [{ op: 'diagnosis', label: 'desmoplastic small round cell tumour', anyOf: { codes: ['8806/3'] } }]],
    ['Non-rhabdomyosarcoma soft tissue sarcoma (NRSTS), including synovial sarcoma', [{ op: 'diagnosis', label: 'NRSTS, synovial sarcoma', anyOf: { codes: ['9040/3', '9041/3', '9042/3', '9043/3'], families: ['nrsts'] } }]],
    ['Metastatic osteosarcoma', [{ op: 'metastatic', present: true }, { op: 'diagnosis', label: 'osteosarcoma', anyOf: { families: ['osteosarcoma'] } }]],
  ] as const)('"%s" proposes status, extent and histology', (text, want) => {
    expect(leaves(draftOne(text))).toEqual(want);
  });

  test('exclusions are stored positively', () => {
    expect(draftOne('Female patients who are pregnant or breast-feeding', 'Exclusion')).toMatchObject({ op: 'reproductive', condition: 'pregnant_or_nursing' });
    expect(draftOne('Patients who have received any chemotherapy (excluding steroids) and/or RT prior to this enrollment', 'Exclusion'))
      .toMatchObject({ op: 'priorTherapy', kinds: ['chemotherapy', 'radiation'], excludingAgents: expect.arrayContaining(['dexamethasone']) });
  });

  test('anything no rule reads becomes a manual leaf, never dropped', () => {
    expect(draftOne('Patients must have a life expectancy of at least 8 weeks')).toEqual({ op: 'manual', note: 'no draft rule reads this item' });
  });

  test('registry ages and sex become structured criteria; an unreadable registry age is a manual one', () => {
    const t = record('* Anything', {
      minimumAge: { text: '6 Months', value: 6, unit: 'months', days: 6 * 30.4375 }, maximumAge: null, maximumAgeText: '30 Fortnights', sex: 'FEMALE',
    });
    const d = draftCriteria(t);
    expect(get(d, 'reg-age').expr).toEqual({ op: 'age', min: ageBound.atLeast(6, 'months'), note: '(registry limits)' });
    expect(get(d, 'reg-maximumAge').expr).toMatchObject({ op: 'manual' });
    expect(get(d, 'reg-sex').expr).toEqual({ op: 'sex', anyOf: ['female'] });
  });

  test('a record without criteria text drafts one manual criterion', () => {
    const d = draftCriteria(record('   '));
    expect(criteriaOf(d).map((c) => [c.id, c.expr.op])).toEqual([['no-criteria', 'manual']]);
  });
});
