import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { MAX_CRITERIA_CHARS, classifyNetwork, parseAgeLimit, parseStudies, sha256Hex } from './ctgov.js';

const DIR = path.resolve(import.meta.dirname, '../../../fixtures/ctgov');
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const load = (f: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Record<string, unknown>;

const study = (nctId: unknown, eligibility: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  protocolSection: {
    identificationModule: { nctId, briefTitle: `Study ${String(nctId)}` },
    eligibilityModule: { eligibilityCriteria: 'Inclusion Criteria:\n\n* Age >= 1 year', ...eligibility },
    ...extra,
  },
});

describe('importing the ClinicalTrials.gov fixture records', () => {
  test('there are the seven real records', () => {
    expect(FILES).toHaveLength(7);
  });

  test.each(FILES)('%s imports with its NCT id, criteria hash and no errors', (file) => {
    const json = load(file);
    const r = parseStudies(json, file);
    expect(r.errors).toEqual([]);
    expect(r.trials).toHaveLength(1);
    const t = r.trials[0]!;
    expect(`${t.nctId}.json`).toBe(file);
    expect(t.source).toBe(file);
    expect(t.origin.length).toBeGreaterThan(0);
    const text = ((json.protocolSection as Record<string, Record<string, unknown>>).eligibilityModule!.eligibilityCriteria) as string;
    expect(t.eligibility.criteriaText).toBe(text);
    expect(t.criteriaSha256).toBe(sha256Hex(text));
    expect(t.criteriaSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['NCT00023998.json', 'COG'], ['NCT00354835.json', 'COG'], ['NCT01231906.json', 'COG'], ['NCT02301039.json', 'SARC'],
    ['NCT02567435.json', 'COG'], ['NCT03643133.json', 'other'], ['NCT04129151.json', 'other'],
  ])('%s is classified as a %s trial', (file, network) => {
    expect(parseStudies(load(file), file).trials[0]!.network).toBe(network);
  });

  test('SARC028 keeps sponsor, collaborator, arms, interventions, phases, dates and the registry minimum age', () => {
    const t = parseStudies(load('NCT02301039.json'), 'x').trials[0]!;
    expect(t.leadSponsor).toEqual({ name: 'Sarcoma Alliance for Research through Collaboration', class: 'OTHER' });
    expect(t.collaborators).toEqual([{ name: 'Merck Sharp & Dohme LLC', class: 'INDUSTRY' }]);
    expect(t.orgStudyId).toBe('SARC028');
    expect(t.phases).toEqual(['PHASE2']);
    expect(t.overallStatus).toBe('COMPLETED');
    expect(t.arms.map((a) => a.label)).toEqual(['Soft tissue sarcoma', 'Bone sarcoma']);
    expect(t.arms[0]!.interventions).toEqual(['Drug: Pembrolizumab']);
    expect(t.interventions).toEqual([{ type: 'DRUG', name: 'Pembrolizumab', description: null, armGroupLabels: [], otherNames: ['Mk-3475'] }]);
    expect(t.eligibility).toMatchObject({ minimumAge: { value: 12, unit: 'years', days: 12 * 365.25 }, maximumAge: null, sex: 'ALL', healthyVolunteers: false });
    expect(t.missing).toContain('maximumAge');
    expect(t.missing).not.toContain('minimumAge');
  });

  test('a record without sponsor, status or phases lists them as missing', () => {
    const t = parseStudies(load('NCT00023998.json'), 'x').trials[0]!;
    expect(t.missing).toEqual(expect.arrayContaining(['overallStatus', 'lastUpdatePostDate', 'phases', 'leadSponsor', 'minimumAge', 'maximumAge']));
    expect(t.sites).toEqual([{ facility: "Children's Oncology Group", city: null, state: null, country: null, status: null }]);
  });
});

describe('registry ages', () => {
  test.each([
    ['12 Months', 12, 'months', 365.25],
    ['1 Month', 1, 'months', 30.4375],
    ['30 Years', 30, 'years', 30 * 365.25],
    ['1 Year', 1, 'years', 365.25],
    ['6 Weeks', 6, 'weeks', 42],
    ['28 Days', 28, 'days', 28],
    ['1 Day', 1, 'days', 1],
    ['12 Hours', 12, 'hours', 0.5],
    ['720 Minutes', 720, 'minutes', 0.5],
    ['18 years', 18, 'years', 18 * 365.25],
  ])('"%s" is %d %s = %d days', (text, value, unit, days) => {
    expect(parseAgeLimit(text)).toEqual({ text, value, unit, days });
  });

  test.each(['12 Fortnights', 'twelve years', '12', 'Years'])('"%s" is not a registry age', (text) => {
    expect(parseAgeLimit(text)).toBeNull();
  });

  test('an unreadable unit is a field error; the record is imported with that limit unknown and listed missing', () => {
    const r = parseStudies(study('NCT00000001', { minimumAge: '2 Fortnights', maximumAge: '21 Years' }), 'f.json');
    expect(r.trials).toHaveLength(1);
    expect(r.trials[0]!.eligibility.minimumAge).toBeNull();
    expect(r.trials[0]!.eligibility.minimumAgeText).toBe('2 Fortnights');
    expect(r.trials[0]!.eligibility.maximumAge?.days).toBe(21 * 365.25);
    expect(r.trials[0]!.missing).toContain('minimumAge');
    expect(r.errors).toEqual([{ source: 'f.json', index: 0, nctId: 'NCT00000001', reason: expect.stringContaining('minimumAge: "2 Fortnights"') }]);
  });

  test('an absent age means no limit, not an error', () => {
    const r = parseStudies(study('NCT00000001'), 'f.json');
    expect(r.errors).toEqual([]);
    expect(r.trials[0]!.eligibility.minimumAge).toBeNull();
  });
});

describe('batches never fail for one bad record', () => {
  test('a single study, a {studies:[…]} page and an array are all accepted', () => {
    expect(parseStudies(study('NCT00000001'), 's').trials).toHaveLength(1);
    expect(parseStudies({ studies: [study('NCT00000001'), study('NCT00000002')] }, 's').trials).toHaveLength(2);
    expect(parseStudies([study('NCT00000001'), study('NCT00000002')], 's').trials).toHaveLength(2);
  });

  test('input that is no study at all is one error for the whole input', () => {
    expect(parseStudies({ hello: 1 }, 's')).toEqual({ trials: [], errors: [{ source: 's', index: null, nctId: null, reason: expect.stringContaining('not a ClinicalTrials.gov v2 study') }] });
  });

  test('malformed records, bad or missing NCT ids and duplicates are reported by index and the rest imported', () => {
    const r = parseStudies([
      study('NCT00000001'),
      'not a study',
      { protocolSection: 'nope' },
      study(undefined),
      study('NCT123'),
      study('NCT00000001'),
      study('nct00000002'),
    ], 'batch.json');
    expect(r.trials.map((t) => t.nctId)).toEqual(['NCT00000001', 'NCT00000002']);
    expect(r.errors.map((e) => [e.index, e.nctId, e.reason])).toEqual([
      [1, null, 'expected a study object, got string'],
      [2, null, 'protocolSection: missing or not an object'],
      [3, null, 'protocolSection.identificationModule.nctId: missing'],
      [4, 'NCT123', expect.stringContaining('is not an NCT number')],
      [5, 'NCT00000001', 'duplicate NCT00000001 in this batch (the first one was imported)'],
    ]);
  });

  test('an empty criteria text is imported and marked missing', () => {
    const r = parseStudies(study('NCT00000001', { eligibilityCriteria: '  \n ' }), 's');
    expect(r.errors).toEqual([]);
    expect(r.trials[0]!.eligibility.criteriaText).toBeNull();
    expect(r.trials[0]!.criteriaSha256).toBeNull();
    expect(r.trials[0]!.missing).toContain('eligibilityCriteria');
  });

  test('a 1 MB criteria text is refused with a reason; the rest of the record is imported and the text still hashed', () => {
    const huge = `Inclusion Criteria:\n\n${'* Age >= 1 year\n'.repeat(70_000)}`;
    expect(huge.length).toBeGreaterThan(1_000_000);
    const r = parseStudies(study('NCT00000001', { eligibilityCriteria: huge, minimumAge: '1 Year' }), 's');
    expect(r.trials).toHaveLength(1);
    const t = r.trials[0]!;
    expect(t.eligibility.criteriaText).toBeNull();
    expect(t.eligibility.minimumAge?.value).toBe(1);
    expect(t.criteriaSha256).toBe(sha256Hex(huge));
    expect(t.missing).toContain('eligibilityCriteria');
    expect(r.errors[0]!.reason).toContain(`over the ${MAX_CRITERIA_CHARS.toLocaleString('en-US')}-character limit`);
  });

  test('a wrong-typed field is a field error and the record is still imported without it', () => {
    const r = parseStudies(study('NCT00000001', { sex: 42, stdAges: 'CHILD' }, { conditionsModule: { conditions: 'Ewing' }, designModule: { phases: ['PHASE2', 7] } }), 's');
    expect(r.trials).toHaveLength(1);
    expect(r.trials[0]!.conditions).toEqual([]);
    expect(r.trials[0]!.phases).toEqual(['PHASE2']);
    expect(r.errors.map((e) => e.reason).sort()).toEqual([
      'protocolSection.conditionsModule.conditions: expected an array of strings',
      'protocolSection.designModule.phases[1]: expected a string, got number',
      'protocolSection.eligibilityModule.sex: expected a string, got number',
      'protocolSection.eligibilityModule.stdAges: expected an array of strings',
    ]);
  });

  test('partial dates are kept as given', () => {
    const r = parseStudies(study('NCT00000001', {}, { statusModule: { overallStatus: 'RECRUITING', lastUpdatePostDateStruct: { date: '2015-08' } } }), 's');
    expect(r.trials[0]!.lastUpdatePostDate).toBe('2015-08');
    expect(r.trials[0]!.overallStatus).toBe('RECRUITING');
  });

  test('sites and central contacts are mapped', () => {
    const r = parseStudies(study('NCT00000001', {}, {
      contactsLocationsModule: {
        centralContacts: [{ name: 'Research Office', role: 'CONTACT', phone: '555-0100', email: 'trials@example.org' }],
        locations: [{ facility: 'Example Children’s Hospital', city: 'Springfield', state: 'IL', country: 'United States', status: 'RECRUITING', zip: '00000' }],
      },
    }), 's');
    expect(r.trials[0]!.centralContacts).toEqual([{ name: 'Research Office', role: 'CONTACT', phone: '555-0100', email: 'trials@example.org' }]);
    expect(r.trials[0]!.sites).toEqual([{ facility: 'Example Children’s Hospital', city: 'Springfield', state: 'IL', country: 'United States', status: 'RECRUITING' }]);
  });
});

describe('network classification', () => {
  const none = { leadSponsor: null, collaborators: [], orgStudyId: null, secondaryIds: [], sites: [] };
  test.each([
    ['COG as sponsor', 'COG', { ...none, leadSponsor: { name: "Children's Oncology Group", class: 'NETWORK' } }],
    ['an NCI-sponsored AOST protocol', 'COG', { ...none, leadSponsor: { name: 'National Cancer Institute (NCI)', class: 'NIH' }, secondaryIds: ['AOST2031'] }],
    ['APEC14B1', 'COG', { ...none, orgStudyId: 'APEC14B1' }],
    ['SARC as sponsor', 'SARC', { ...none, leadSponsor: { name: 'Sarcoma Alliance for Research through Collaboration', class: 'OTHER' } }],
    ['POETIC as sponsor', 'POETIC', { ...none, leadSponsor: { name: 'POETIC consortium', class: 'NETWORK' } }],
    ['an industry sponsor', 'industry', { ...none, leadSponsor: { name: 'Pharma Inc.', class: 'INDUSTRY' } }],
    ['a children’s hospital', 'institutional', { ...none, leadSponsor: { name: "Boston Children's Hospital", class: 'OTHER' } }],
    ['a cooperative group without a known name', 'other', { ...none, leadSponsor: { name: 'UNICANCER', class: 'OTHER' } }],
  ] as const)('%s makes a %s trial', (_name, network, input) => {
    expect(classifyNetwork(input).network).toBe(network);
  });
});
