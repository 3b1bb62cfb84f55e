import type { Bundle, Condition, Observation, Procedure, Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Patient, Tumor } from '../registry/types.js';
import { demoPatientRecords } from './demo-records.js';
import { parseFhirId } from './export-common.js';
import { exportPatientBundle, patientResources, type PatientRecord } from './export.js';
import { EXTENSIONS, OBSERVATION_CODES, PROFILES, SYSTEMS } from './profiles.js';
import { errorsOf, validateBundle, warmUpValidators } from './validate.js';

const BASE = 'http://tb.test/fhir/R4';
const TS = '2026-11-27T12:00:00.000Z';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const INSTITUTION = { id: uuid(900), code: 'LCH', name: "Lakeshore Children's Hospital" };

function patient(over: Partial<Patient> = {}): Patient {
  return {
    id: uuid(1), institutionId: INSTITUTION.id, mrn: 'LCH-000001', familyName: 'Testperson', givenName: 'Alex',
    birthDate: '2012-05-04', sex: 'male', preferredLanguage: 'Spanish', interpreterNeeded: true, homeCountry: 'Mexico',
    guardians: [{ name: 'Maria Testperson', relationship: 'mother', phone: '+52 55 5555 0100' }],
    version: 1, createdAt: '2026-01-10T09:00:00.000Z', updatedAt: '2026-01-10T09:00:00.000Z', ...over,
  };
}

function tumor(over: Partial<Tumor> = {}): Tumor {
  return {
    id: uuid(2), patientId: uuid(1), institutionId: INSTITUTION.id, diagnosisDate: '2026-01-05', morphology: '9180/3',
    topography: 'C40.2', siteCategory: 'bone_extremity', primarySite: 'distal femur', laterality: 'right', sizeCm: 7.5,
    details: {
      bone: { extraosseousExtension: true, compartment: 'extracompartmental', skipLesion: 'none' }, regionalNodes: 'N0',
      metastases: ['lung'], metastaticSiteCount: 1, grade: { twoTier: 'high' }, diseaseStatus: 'newly_diagnosed',
      performance: { scale: 'lansky', value: 80 },
    },
    version: 1, createdAt: '2026-01-10T09:00:00.000Z', updatedAt: '2026-01-12T09:00:00.000Z', ...over,
  };
}

function osteosarcomaRecord(): PatientRecord {
  return {
    institution: INSTITUTION,
    patient: patient(),
    tumors: [tumor()],
    cases: [{ id: uuid(3), tumorId: uuid(2) }],
    plans: [{
      id: uuid(4), caseId: uuid(3), status: 'active', version: 2, startedOn: '2026-02-01', endedOn: null,
      createdAt: '2026-01-20T10:00:00.000Z', updatedAt: '2026-01-25T10:00:00.000Z',
      content: {
        templateId: 'T-OS-MAP', templateVersion: '1', title: 'Osteosarcoma: MAP', intent: 'curative', bsaM2: 1.4,
        phases: [{ id: 'induction', name: 'Induction MAP', kind: 'neoadjuvant', cycles: [{ id: 'map', regimen: 'MAP', count: 2, agents: [
          { agent: 'cisplatin', doseMgM2: 60, administrations: 2 },
          { agent: 'doxorubicin', doseMgM2: 37.5, administrations: 2 },
          { agent: 'methotrexate', administrations: 4 },
        ] }] }],
        localControl: { selected: [{ kind: 'surgery', surgeryType: 'limb_salvage' }], considered: [] },
        checklist: [],
      },
      administrations: [
        { id: uuid(5), createdAt: '2026-02-02T10:00:00.000Z', data: { kind: 'chemo', date: '2026-02-01', agents: [{ agent: 'cisplatin', doseMgM2: 60, administrations: 2 }, { agent: 'doxorubicin', doseMg: 52 }] } },
        { id: uuid(6), createdAt: '2026-04-20T10:00:00.000Z', data: { kind: 'surgery', date: '2026-04-18', surgeryType: 'limb_salvage', margin: 'R0' } },
        { id: uuid(7), createdAt: '2026-05-20T10:00:00.000Z', data: { kind: 'radiation', startDate: '2026-05-10', field: 'whole_lung', doseGy: 15, fractions: 10 } },
      ],
    }],
    recommendations: [{
      itemId: uuid(8), caseId: uuid(3), conferenceDate: '2026-01-15', updatedAt: '2026-01-15T13:00:00.000Z',
      recommendation: { diagnosisConfirmed: 'conventional osteosarcoma', planOfCare: 'MAP, then limb salvage', dissent: [] },
    }],
  };
}

const byProfile = (rs: Resource[], p: string) => rs.filter((r) => r.meta?.profile?.includes(p));

// Index the R4 definitions and compile the schema once, before the timed tests.
beforeAll(() => warmUpValidators(), 120_000);

describe('FHIR export of one patient', () => {
  const rec = osteosarcomaRecord();
  const resources = patientResources(rec);

  test('every resource names its profile and has an id derived from a TumorBoard id', () => {
    for (const r of resources) {
      expect(r.meta?.profile?.length, `${r.resourceType}/${r.id}`).toBe(1);
      expect(r.id).toMatch(/^[A-Za-z0-9.-]{1,64}$/);
      expect(parseFhirId(r.id!)).toBeDefined();
    }
    expect(new Set(resources.map((r) => r.id)).size).toBe(resources.length);
  });

  test('two exports of the same records are identical (stable ids, no clock)', () => {
    expect(patientResources(osteosarcomaRecord())).toEqual(resources);
  });

  test('the patient carries the MRN under the institution system, guardians and the interpreter need', () => {
    const [p] = byProfile(resources, PROFILES.cancerPatient) as [import('@medplum/fhirtypes').Patient];
    expect(p.identifier).toContainEqual(expect.objectContaining({ system: 'urn:tumorboard:lch:mrn', value: 'LCH-000001' }));
    expect(p.contact?.[0]?.relationship?.[0]?.coding?.[0]?.code).toBe('MTH');
    expect(p.extension).toContainEqual({ url: EXTENSIONS.interpreterRequired, valueBoolean: true });
  });

  test('the primary cancer condition has ICD-O-3 histology, ICD-10-CM code and body site with laterality', () => {
    const [c] = byProfile(resources, PROFILES.primaryCancerCondition) as [Condition];
    expect(c.extension).toContainEqual({ url: EXTENSIONS.histologyMorphologyBehavior, valueCodeableConcept: { coding: [{ system: SYSTEMS.icdO3, code: '9180/3', display: expect.any(String) }] } });
    expect(c.code?.coding?.[0]).toEqual({ system: SYSTEMS.icd10cm, code: 'C40.21' });
    expect(c.bodySite?.[0]?.coding?.[0]).toEqual({ system: SYSTEMS.icdO3, code: 'C40.2' });
    expect(c.bodySite?.[0]?.extension?.[0]?.valueCodeableConcept?.coding?.[0]?.code).toBe('24028007');
  });

  test('a lung metastasis is a secondary cancer condition related to the primary', () => {
    const [s] = byProfile(resources, PROFILES.secondaryCancerCondition) as [Condition];
    expect(s.bodySite?.[0]?.coding?.[0]?.code).toBe('39607008');
    expect(s.extension?.[0]?.valueReference?.reference).toBe(`Condition/pcc-${uuid(2)}`);
  });

  test('tumour size is LOINC 21889-1 with the longest dimension 33728-7 in cm', () => {
    const [o] = byProfile(resources, PROFILES.tumorSize) as [Observation];
    expect(o.code.coding?.[0]?.code).toBe(OBSERVATION_CODES.tumorSize.code);
    expect(o.component?.[0]).toEqual(expect.objectContaining({ valueQuantity: { value: 7.5, system: SYSTEMS.ucum, code: 'cm', unit: 'cm' } }));
  });

  test('the AJCC stage group uses the AJCC method and names its rule IDs; Enneking is a cancer stage', () => {
    const [group] = byProfile(resources, PROFILES.tnmStageGroup) as [Observation];
    expect(group.method?.coding?.[0]?.code).toBe('897275008');
    // 7.5 cm (T1), N0, lung metastasis (M1a): AJCC IVA.
    expect(group.valueCodeableConcept?.coding?.[0]).toEqual(expect.objectContaining({ system: SYSTEMS.ajcc, code: 'IVA' }));
    expect(group.extension?.map((e) => e.valueString)).toContain('R-AJCC-BONE-STAGE');
    expect(group.hasMember).toHaveLength(3);
    const [enneking] = byProfile(resources, PROFILES.cancerStage) as [Observation];
    expect(enneking.valueCodeableConcept?.coding?.[0]?.code).toBe('enneking:IIIB');
    expect(enneking.note?.[0]?.text).toContain('enneking.stage');
  });

  test('Lansky 80 is recorded with its NCIt interpretation; disease status carries SNOMED and TumorBoard codes', () => {
    const [l] = byProfile(resources, PROFILES.lanskyPlayPerformanceStatus) as [Observation];
    expect(l.valueInteger).toBe(80);
    expect(l.interpretation?.[0]?.coding?.[0]?.code).toBe('C69424');
    const [d] = byProfile(resources, PROFILES.cancerDiseaseStatus) as [Observation];
    expect(d.valueCodeableConcept?.coding?.map((c) => c.system)).toEqual([SYSTEMS.snomed, SYSTEMS.tbDiseaseStatus]);
  });

  test('the plan is a CarePlan with one medication request per planned agent, what was given, surgery and radiotherapy', () => {
    expect(byProfile(resources, PROFILES.carePlan)).toHaveLength(1);
    expect(byProfile(resources, PROFILES.cancerRelatedMedicationRequest)).toHaveLength(3);
    expect(byProfile(resources, PROFILES.cancerRelatedMedicationAdministration)).toHaveLength(2);
    const [surgery] = byProfile(resources, PROFILES.cancerRelatedSurgicalProcedure) as [Procedure];
    expect(surgery.outcome?.coding?.[0]?.code).toBe('R0');
    const [rt] = byProfile(resources, PROFILES.radiotherapyCourseSummary) as [Procedure];
    expect(rt.status).toBe('in-progress');
    expect(rt.extension?.[0]?.extension?.[0]?.valueQuantity?.value).toBe(15);
  });

  test('a planned agent without a dose has no dose quantity (an open item is not invented)', () => {
    const mtx = resources.find((r) => r.resourceType === 'MedicationRequest' && r.medicationCodeableConcept?.text === 'methotrexate');
    expect(mtx && 'dosageInstruction' in mtx ? mtx.dosageInstruction?.[0]?.doseAndRate : 'missing').toBeUndefined();
  });

  test('the conference recommendation is a ClinicalImpression the CarePlan points to', () => {
    const cp = resources.find((r) => r.resourceType === 'CarePlan');
    expect(cp && cp.resourceType === 'CarePlan' ? cp.supportingInfo?.[0]?.reference : '').toBe(`ClinicalImpression/rec-${uuid(8)}`);
  });

  test('the bundle validates in every layer and every reference resolves inside it', () => {
    const bundle = exportPatientBundle(rec, { type: 'collection', timestamp: TS, baseUrl: BASE });
    expect(errorsOf(validateBundle(bundle))).toEqual([]);
  });
});

describe('unknown stays unknown', () => {
  test('a tumour without size, grade, performance or molecular facts exports no such observations', () => {
    const rec = osteosarcomaRecord();
    rec.tumors = [tumor({ sizeCm: undefined, details: { regionalNodes: 'N0' } })];
    const rs = patientResources(rec);
    for (const p of [PROFILES.tumorSize, PROFILES.histologicGrade, PROFILES.lanskyPlayPerformanceStatus, PROFILES.genomicVariant, PROFILES.cancerDiseaseStatus, PROFILES.secondaryCancerCondition]) {
      expect(byProfile(rs, p), p).toEqual([]);
    }
    // Without size the AJCC T (and so the stage group) is unknown: no stage group is invented.
    expect(byProfile(rs, PROFILES.tnmStageGroup)).toEqual([]);
  });

  test('a FOXO1 status of "unknown" exports no genomic variant', () => {
    const rec = osteosarcomaRecord();
    rec.tumors = [tumor({ morphology: '8920/3', topography: 'C49.1', siteCategory: 'soft_tissue_extremity', details: { molecular: { foxo1Fusion: 'unknown' } } })];
    expect(byProfile(patientResources(rec), PROFILES.genomicVariant)).toEqual([]);
  });

  test('an alveolar RMS exports IRS stage, clinical group and COG risk with the fusion as a genomic variant', () => {
    const rec = osteosarcomaRecord();
    rec.tumors = [tumor({
      morphology: '8920/3', topography: 'C49.1', siteCategory: 'soft_tissue_extremity', laterality: 'left', sizeCm: 4,
      details: { invasiveness: 'T1', regionalNodes: 'N0', metastases: [], surgery: { status: 'resected', margin: 'R0' }, molecular: { foxo1Fusion: 'positive', fusionPartner: 'PAX3' } },
    })];
    const rs = patientResources(rec);
    const value = (p: string) => (byProfile(rs, p)[0] as Observation | undefined)?.valueCodeableConcept?.coding?.map((c) => c.code);
    expect(value(PROFILES.rhabdomyosarcomaClinicalGroupStage)).toEqual(['C148012', 'rms-group:I']);
    expect(value(PROFILES.rhabdomyosarcomaRiskAssessment)).toEqual(['C102402', 'rms-risk:intermediate']);
    const variant = byProfile(rs, PROFILES.genomicVariant)[0] as Observation;
    expect(variant.component?.[1]?.valueCodeableConcept?.text).toBe('PAX3::FOXO1');
    expect(errorsOf(validateBundle(exportPatientBundle(rec, { type: 'collection', timestamp: TS, baseUrl: BASE })))).toEqual([]);
  });
});

describe('the generated demo cohort', () => {
  test('every demo patient (120 + 12 at the second institution) exports a bundle that validates', () => {
    const errors: string[] = [];
    let n = 0;
    for (const [seed, count, prefix] of [[20261127, 120, 'LCH'], [20261128, 12, 'RCM']] as const) {
      for (const [i, rec] of demoPatientRecords({ seed, count, today: '2026-11-27', mrnPrefix: prefix, institution: INSTITUTION, timestamp: TS, firstId: 100_000 + n }).entries()) {
        const bundle: Bundle = exportPatientBundle(rec, { type: 'collection', timestamp: TS, baseUrl: BASE });
        for (const e of errorsOf(validateBundle(bundle))) errors.push(`${prefix} #${i} ${e.layer} ${e.resource} ${e.path}: ${e.message}`);
        n++;
      }
    }
    expect(n).toBe(132);
    expect(errors).toEqual([]);
  }, 60_000);
});
