import fs from 'node:fs';
import path from 'node:path';
import type { Bundle, BundleEntry, Condition, Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { demoBundles, demoRecords, transactionOf } from '../../../test/support/fhir-records.js';
import { BundleImportError, IMPORT_LIMITS, planImport, type ImportPlan } from './import.js';
import { EXTENSIONS, OBSERVATION_CODES, PROFILES, SYSTEMS } from './profiles.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../../test/fixtures/fhir/outside-ehr-transaction.json');
const outside = (): Bundle => JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Bundle;
const plan = (b: unknown): ImportPlan => planImport(b, { institutionCode: 'LCH' });

/** The issues of the BundleImportError a bad bundle throws. */
function issuesOf(b: unknown, opts: { byteLength?: number } = {}) {
  try {
    planImport(b, { institutionCode: 'LCH', ...opts });
  } catch (err) {
    expect(err).toBeInstanceOf(BundleImportError);
    return (err as BundleImportError).fhirIssues;
  }
  throw new Error('expected the bundle to be refused');
}

const PT = 'urn:uuid:p1';
const patientEntry = (over: Record<string, unknown> = {}, fullUrl = PT): BundleEntry => ({
  fullUrl,
  resource: {
    resourceType: 'Patient', identifier: [{ type: { coding: [{ system: SYSTEMS.identifierType, code: 'MR' }] }, system: 'urn:x:mrn', value: 'MRN-001' }],
    name: [{ family: 'Testperson', given: ['Alex'] }], gender: 'female', birthDate: '2014-03-09', ...over,
  } as Resource,
  request: { method: 'POST', url: 'Patient' },
});
const conditionEntry = (over: Partial<Condition> = {}, fullUrl = 'urn:uuid:c1'): BundleEntry => ({
  fullUrl,
  resource: {
    resourceType: 'Condition', subject: { reference: PT }, onsetDateTime: '2026-05-01',
    extension: [{ url: EXTENSIONS.histologyMorphologyBehavior, valueCodeableConcept: { coding: [{ system: SYSTEMS.icdO3, code: '8910/3' }] } }],
    bodySite: [{ coding: [{ system: SYSTEMS.icdO3, code: 'C49.2' }], text: 'thigh' }],
    code: { text: 'Embryonal rhabdomyosarcoma' }, ...over,
  } as Condition,
  request: { method: 'POST', url: 'Condition' },
});
const observationEntry = (o: Partial<Observation>, fullUrl: string): BundleEntry => ({
  fullUrl,
  resource: { resourceType: 'Observation', status: 'final', subject: { reference: PT }, ...o } as Observation,
  request: { method: 'POST', url: 'Observation' },
});
const tx = (...entry: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry });

describe('an outside EHR transaction bundle', () => {
  const p = plan(outside());

  test('its Patient becomes a patient with MRN, names, sex, language, interpreter need, country and guardian', () => {
    expect(p.patients).toHaveLength(1);
    expect(p.patients[0]!.input).toEqual({
      mrn: 'OUT-480133', familyName: 'Testchild', givenName: 'Synthetic Example', birthDate: '2013-04-02', sex: 'female',
      preferredLanguage: 'French', interpreterNeeded: true, homeCountry: 'Canada',
      guardians: [{ name: 'Synthetic Testparent', relationship: 'mother', phone: '+1 555-0101', email: 'parent@example.org' }],
    });
  });

  test('its PrimaryCancerCondition becomes a tumour with ICD-O-3 morphology, topography, laterality and the size in cm', () => {
    expect(p.patients[0]!.tumors[0]!.input).toMatchObject({
      diagnosisDate: '2026-09-14', morphology: '9260/3', topography: 'C40.2', laterality: 'left', primarySite: 'distal femur',
      siteCategory: 'bone_extremity', sizeCm: 8.5,
    });
  });

  test('metastasis, biopsy, fusion and performance status become case facts of that tumour', () => {
    expect(p.patients[0]!.tumors[0]!.input.details).toEqual({
      metastases: ['lung'], surgery: { status: 'biopsy' }, molecular: { ewsr1Fusion: 'EWSR1::FLI1', fusionPartner: 'FLI1' },
      performance: { scale: 'karnofsky', value: 80 },
    });
  });

  test('what cannot be mapped is reported with its location and reason', () => {
    const paths = p.unmapped.map((u) => u.path);
    expect(paths).toEqual(expect.arrayContaining([
      'Bundle.entry[0].resource.telecom', 'Bundle.entry[0].resource.extension[1]', 'Bundle.entry[0].resource.address[0]',
      'Bundle.entry[1].resource.stage', 'Bundle.entry[6].resource', 'Bundle.entry[7].resource', 'Bundle.entry[9].resource',
    ]));
    expect(p.unmapped.find((u) => u.path === 'Bundle.entry[7].resource')!.reason).toMatch(/Heart rate has no case-facts field/);
    expect(p.unmapped.find((u) => u.path === 'Bundle.entry[6].resource')!.reason).toMatch(/computed by TumorBoard/);
  });

  test('an inferred site category is noted for a person to check', () => {
    expect(p.notes).toEqual([expect.objectContaining({ path: 'Bundle.entry[1].resource', note: expect.stringMatching(/inferred/) })]);
  });

  test('every entry is mapped or reported: nothing is dropped silently', () => {
    for (const e of p.entries.filter((x) => x.role === 'unmapped')) {
      expect(p.unmapped.some((u) => u.path.startsWith(`Bundle.entry[${e.index}]`))).toBe(true);
    }
  });
});

describe('bad bundles are refused with an issue naming the location', () => {
  test.each([
    ['a resource that is not a Bundle', { resourceType: 'Patient' }, 'Bundle.resourceType', 'invalid'],
    ['a bundle type that is not importable', { resourceType: 'Bundle', type: 'history', entry: [] }, 'Bundle.type', 'value'],
    ['an entry with an unknown resourceType', tx({ fullUrl: 'urn:uuid:x', resource: { resourceType: 'Patinet' } as unknown as Resource, request: { method: 'POST', url: 'Patient' } }), 'Bundle.entry[0].resource.resourceType', 'invalid'],
    ['a DELETE in a transaction', tx({ ...patientEntry(), request: { method: 'DELETE', url: 'Patient/1' } }), 'Bundle.entry[0].request.method', 'not-supported'],
    ['a reference to a fullUrl not in the bundle', tx(patientEntry(), conditionEntry({ subject: { reference: 'urn:uuid:nobody' } })), 'Bundle.entry[1].resource.subject.reference', 'not-found'],
    ['a reference to a practitioner not in the bundle', tx(patientEntry(), conditionEntry({ asserter: { reference: 'Practitioner/77' } })), 'Bundle.entry[1].resource.asserter.reference', 'not-found'],
    ['an unknown code system on an observation code', tx(patientEntry(), observationEntry({ code: { coding: [{ system: 'http://local.example/codes', code: 'X1' }] } }, 'urn:uuid:o1')), 'Bundle.entry[1].resource.code.coding[0].system', 'code-invalid'],
    ['two patients with the same identifier', tx(patientEntry(), patientEntry({}, 'urn:uuid:p2')), 'Bundle.entry[1].resource.identifier[0]', 'duplicate'],
    ['the same fullUrl twice', tx(patientEntry(), patientEntry({ identifier: [{ system: 'urn:x:mrn', value: 'MRN-002', type: { coding: [{ code: 'MR' }] } }] })), 'Bundle.entry[1].fullUrl', 'duplicate'],
    ['a patient without an MRN', tx(patientEntry({ identifier: [] })), 'Bundle.entry[0].resource.identifier', 'required'],
    ['a patient whose sex is neither male nor female', tx(patientEntry({ gender: 'unknown' })), 'Bundle.entry[0].resource.gender', 'value'],
  ])('%s', (_name, bundle, expression, code) => {
    expect(issuesOf(bundle)).toContainEqual(expect.objectContaining({ expression, code }));
  });

  test('a bundle over the size limit is refused as too costly (413)', () => {
    const issues = issuesOf(tx(patientEntry()), { byteLength: 50 * 1024 * 1024 });
    expect(issues[0]).toMatchObject({ code: 'too-costly', expression: 'Bundle' });
    try { planImport(tx(), { institutionCode: 'LCH', byteLength: IMPORT_LIMITS.maxBytes + 1 }); } catch (err) { expect((err as BundleImportError).status).toBe(413); }
  });

  test('every problem of a bundle is listed, not only the first', () => {
    const issues = issuesOf(tx(patientEntry({ gender: 'other', birthDate: undefined }), conditionEntry({ subject: { reference: 'urn:uuid:gone' } })));
    expect(issues.map((i) => i.expression)).toEqual(expect.arrayContaining(['Bundle.entry[1].resource.subject.reference']));
  });

  test('a reference to Patient/<id> not in the bundle is left for the service to find among existing patients', () => {
    const p = plan(tx(conditionEntry({ subject: { reference: 'Patient/pt-0b5c2d4e-1111-4222-8333-444455556666' } })));
    expect(p.patients).toEqual([expect.objectContaining({ input: null, existingRef: 'Patient/pt-0b5c2d4e-1111-4222-8333-444455556666', refPaths: ['Bundle.entry[0].resource.subject.reference'] })]);
  });

  test('a reference to Patient/<id> on a resource that is not imported is still checked by the service', () => {
    const p = plan(tx({ fullUrl: 'urn:uuid:m1', request: { method: 'POST', url: 'MedicationRequest' }, resource: { resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/pt-9' } } as Resource }));
    expect(p.patients).toEqual([]);
    expect(p.externalPatients).toEqual([{ ref: 'Patient/pt-9', paths: ['Bundle.entry[0].resource.subject.reference'] }]);
  });
});

describe('each resource kind maps to its case fact', () => {
  const withObs = (o: Partial<Observation>) => plan(tx(patientEntry(), conditionEntry(), observationEntry({ ...o, focus: [{ reference: 'urn:uuid:c1' }] }, 'urn:uuid:o1')));
  const facts = (p: ImportPlan) => p.patients[0]!.tumors[0]!.input.details;

  test.each([
    ['a TumorBoard FNCLCC grade', { code: { coding: [OBSERVATION_CODES.histologicGrade] }, valueCodeableConcept: { coding: [{ system: SYSTEMS.tbGrade, code: 'fnclcc-3' }] } }, { grade: { fnclcc: 3 } }],
    ['a worded two-tier grade', { code: { coding: [OBSERVATION_CODES.histologicGrade] }, valueCodeableConcept: { text: 'High grade' } }, { grade: { twoTier: 'high' } }],
    ['a Lansky score', { code: { coding: [OBSERVATION_CODES.lansky] }, valueInteger: 60 }, { performance: { scale: 'lansky', value: 60 } }],
    ['a negative FOXO1 fusion', { code: { coding: [OBSERVATION_CODES.genomicVariant] }, valueCodeableConcept: { coding: [{ system: SYSTEMS.loinc, code: 'LA9634-2' }] }, component: [{ code: { coding: [{ system: SYSTEMS.loinc, code: '48018-6' }] }, valueCodeableConcept: { text: 'FOXO1' } }] }, { molecular: { foxo1Fusion: 'negative' } }],
    ['a PAX3::FOXO1 fusion', { code: { coding: [OBSERVATION_CODES.genomicVariant] }, component: [{ code: { coding: [{ system: SYSTEMS.loinc, code: '81252-9' }] }, valueCodeableConcept: { text: 'PAX3::FOXO1' } }] }, { molecular: { foxo1Fusion: 'positive', fusionPartner: 'PAX3' } }],
    ['a relapsed disease status', { code: { coding: [OBSERVATION_CODES.cancerDiseaseStatus] }, valueCodeableConcept: { coding: [{ system: SYSTEMS.tbDiseaseStatus, code: 'relapsed' }] } }, { diseaseStatus: 'relapsed' }],
    ['a regional nodes category N1', { meta: { profile: [PROFILES.tnmRegionalNodesCategory] }, code: { coding: [OBSERVATION_CODES.tnmRegionalNodes] }, valueCodeableConcept: { coding: [{ system: SYSTEMS.ajcc, code: 'cN1' }] } }, { regionalNodes: 'N1' }],
    ['a distant metastases category M0', { code: { coding: [OBSERVATION_CODES.tnmDistantMetastases] }, valueCodeableConcept: { coding: [{ system: SYSTEMS.ajcc, code: 'M0' }] } }, { metastases: [] }],
  ] as Array<[string, Partial<Observation>, Record<string, unknown>]>)('%s', (_name, o, expected) => {
    const p = withObs(o);
    expect(facts(p)).toEqual(expected);
    expect(p.unmapped).toEqual([]);
  });

  test.each([
    ['C49.0', 'infratemporal fossa', 'hn_parameningeal'], ['C49.0', 'cheek', 'hn_nonparameningeal'], ['C41.4', 'ilium', 'bone_pelvis'],
    ['C49.2', 'thigh', 'soft_tissue_extremity'], ['C63.1', 'spermatic cord', 'gu_paratesticular'],
  ])('an outside tumour at %s (%s) gets the site category %s, noted for checking', (topography, site, category) => {
    const p = plan(tx(patientEntry(), conditionEntry({ bodySite: [{ coding: [{ system: SYSTEMS.icdO3, code: topography }], text: site }] })));
    expect(p.patients[0]!.tumors[0]!.input.siteCategory).toBe(category);
    expect(p.notes[0]!.note).toMatch(/inferred/);
  });

  test('without an ICD-O-3 body site the topography comes from the ICD-10-CM code, with a note', () => {
    const p = plan(tx(patientEntry(), conditionEntry({ bodySite: [{ text: 'proximal tibia' }], code: { coding: [{ system: SYSTEMS.icd10cm, code: 'C40.21' }] } })));
    expect(p.patients[0]!.tumors[0]!.input).toMatchObject({ topography: 'C40.2', primarySite: 'proximal tibia', siteCategory: 'bone_extremity' });
    expect(p.notes.map((n) => n.note)).toContainEqual(expect.stringMatching(/taken from ICD-10-CM C40.21/));
  });

  test('a resection with an R1 margin outranks an earlier biopsy', () => {
    const proc = (code: string, fullUrl: string, outcome?: string): BundleEntry => ({
      fullUrl, request: { method: 'POST', url: 'Procedure' },
      resource: { resourceType: 'Procedure', status: 'completed', subject: { reference: PT }, code: { coding: [{ system: SYSTEMS.snomed, code }] }, ...(outcome ? { outcome: { text: outcome } } : {}) } as Resource,
    });
    const p = plan(tx(patientEntry(), conditionEntry(), proc('65801008', 'urn:uuid:r1', 'R1 margin'), proc('86273004', 'urn:uuid:b1')));
    expect(facts(p).surgery).toEqual({ status: 'resected', margin: 'R1' });
  });

  test('a second tumour size for the same tumour is reported, not merged', () => {
    const size = (v: number, url: string) => observationEntry({ code: { coding: [OBSERVATION_CODES.tumorSize] }, valueQuantity: { value: v, unit: 'cm', code: 'cm' } }, url);
    const p = plan(tx(patientEntry(), conditionEntry(), size(5, 'urn:uuid:s1'), size(7, 'urn:uuid:s2')));
    expect(p.patients[0]!.tumors[0]!.input.sizeCm).toBe(5);
    expect(p.unmapped).toEqual([expect.objectContaining({ path: 'Bundle.entry[3].resource', reason: expect.stringMatching(/already set/) })]);
  });

  test('an observation of a patient with two tumours and no focus is reported, not guessed', () => {
    const p = plan(tx(patientEntry(), conditionEntry(), conditionEntry({ onsetDateTime: '2027-01-01' }, 'urn:uuid:c2'),
      observationEntry({ code: { coding: [OBSERVATION_CODES.lansky] }, valueInteger: 50 }, 'urn:uuid:o1')));
    expect(p.unmapped).toEqual([expect.objectContaining({ path: 'Bundle.entry[3].resource', reason: expect.stringMatching(/several tumours/) })]);
  });

  test('a condition without ICD-O-3 morphology is reported and its facts with it', () => {
    const p = plan(tx(patientEntry(), conditionEntry({ extension: [], code: { coding: [{ system: SYSTEMS.snomed, code: '404037002' }] } }),
      observationEntry({ code: { coding: [OBSERVATION_CODES.lansky] }, valueInteger: 50, focus: [{ reference: 'urn:uuid:c1' }] }, 'urn:uuid:o1')));
    expect(p.patients[0]!.tumors).toEqual([]);
    expect(p.unmapped.map((u) => u.path)).toEqual(expect.arrayContaining(['Bundle.entry[1].resource', 'Bundle.entry[2].resource']));
  });
});

describe('a TumorBoard export imports back to the same registry records', () => {
  const records = demoRecords(30);
  const bundles = demoBundles(30);
  const norm = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x)));

  test.each(records.map((r, i) => [i, r.patient.mrn] as const))('demo patient %i (%s): tumours equal the originals', (i) => {
    const p = plan(bundles[i]);
    const original = records[i]!;
    expect(p.patients).toHaveLength(1);
    expect(p.patients[0]!.input).toMatchObject({ mrn: original.patient.mrn, familyName: original.patient.familyName, birthDate: original.patient.birthDate, sex: original.patient.sex });
    const expected = original.tumors.map(({ id: _i, patientId: _p, institutionId: _n, version: _v, createdAt: _c, updatedAt: _u, laterality, ...t }) =>
      // Export writes no laterality code for "not applicable" (there is no SNOMED qualifier for it).
      ({ ...t, ...(laterality && laterality !== 'not_applicable' ? { laterality } : {}) }));
    expect(norm(p.patients[0]!.tumors.map((t) => t.input))).toEqual(norm(expected));
  });

  test('many exports in one transaction import every patient', () => {
    const p = plan(transactionOf(bundles));
    expect(p.patients).toHaveLength(30);
    expect(p.patients.flatMap((x) => x.tumors)).toHaveLength(records.flatMap((r) => r.tumors).length);
  });
});
