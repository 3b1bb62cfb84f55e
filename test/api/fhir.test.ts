import type { AddressInfo } from 'node:net';
import { MedplumClient } from '@medplum/core';
import type { Bundle, CapabilityStatement, Observation, OperationOutcome, Patient, Procedure } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROFILES } from '../../src/domain/fhir/profiles.js';
import { errorsOf, validateBundle, validateLayer, warmUpValidators } from '../../src/domain/fhir/validate.js';
import { DEMO_PASSWORD } from '../../src/services/demo.service.js';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

/**
 * The FHIR R4 API (issue #8 items 1, 2, 4) on both dialects: `$everything` for every demo patient validates in
 * every layer, search by patient/code/date, institution isolation (404 OperationOutcome), 401 without a session,
 * the public CapabilityStatement, audit entries, and a real client (MedplumClient) against the listening server.
 */

describe.each(DIALECTS)('the FHIR R4 API on %s', (dialect) => {
  let t: TestApi;
  let cookie = '';
  let patientIds: string[] = [];
  let surgeryPatient = '';

  const get = (url: string, headers: Record<string, string> = { cookie }) => t.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    warmUpValidators();
    // The whole demo program (120 patients at the main institution, 12 at the second).
    t = await testApi(dialect, { patients: 120 });
    cookie = await t.login('coordinator');
    const db = t.services.store.db;
    const main = await db.selectFrom('institutions').select('id').where('code', '=', 'LCH').executeTakeFirstOrThrow();
    patientIds = (await db.selectFrom('patients').select('id').where('institution_id', '=', main.id).orderBy('mrn').execute()).map((p) => p.id);
    // The demo records chemotherapy only: add a surgery to one plan, so a Procedure exists to search.
    const plan = await db.selectFrom('plans').innerJoin('cases', 'cases.id', 'plans.case_id').select(['plans.id', 'cases.patient_id'])
      .where('plans.institution_id', '=', main.id).orderBy('plans.id').executeTakeFirstOrThrow();
    const user = await db.selectFrom('users').select('id').where('username', '=', 'coordinator').executeTakeFirstOrThrow();
    await db.insertInto('plan_administrations').values({
      id: crypto.randomUUID(), plan_id: plan.id, kind: 'surgery', given_on: '2026-03-02',
      data: JSON.stringify({ kind: 'surgery', date: '2026-03-02', surgeryType: 'wide_resection', margin: 'R1' }),
      recorded_by: user.id, created_at: new Date().toISOString(),
    }).execute();
    surgeryPatient = plan.patient_id;
  }, 600_000);
  afterAll(async () => { await t?.close(); });

  test('metadata is a public CapabilityStatement naming the five searchable types and $everything', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/fhir/R4/metadata' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const cs = json<CapabilityStatement>(res);
    expect(cs.rest?.[0]?.resource?.filter((r) => r.interaction?.some((i) => i.code === 'search-type')).map((r) => r.type))
      .toEqual(['Patient', 'Condition', 'Observation', 'CarePlan', 'Procedure']);
    expect(errorsOf([...validateLayer(cs, 'medplum'), ...validateLayer(cs, 'schema')])).toEqual([]);
  });

  test('search by MRN identifier finds the patient; the audit entry names the parameter, never the MRN', async () => {
    const p = json<Patient>(await get(`/fhir/R4/Patient/pt-${patientIds[3]}`));
    const mrn = p.identifier![0]!;
    const found = json<Bundle<Patient>>(await get(`/fhir/R4/Patient?identifier=${encodeURIComponent(`${mrn.system}|${mrn.value}`)}`));
    expect(found.entry?.map((e) => e.resource?.id)).toEqual([p.id]);
    const row = await t.services.store.db.selectFrom('audit_log').select(['action', 'detail']).where('record_type', '=', 'fhir_Patient')
      .where('action', '=', 'search').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(row.detail).toBe('params=identifier results=1');
    expect(JSON.stringify(row)).not.toContain(mrn.value!);
  });

  test('without a session every other FHIR interaction answers 401 with an OperationOutcome', async () => {
    for (const url of ['/fhir/R4/Patient', `/fhir/R4/Patient/pt-${patientIds[0]}`, `/fhir/R4/Patient/pt-${patientIds[0]}/$everything`]) {
      const res = await get(url, {});
      expect(res.statusCode, url).toBe(401);
      expect(json<OperationOutcome>(res).issue[0]?.code).toBe('login');
    }
    const bad = await get('/fhir/R4/Patient', { authorization: 'Bearer not-a-session' });
    expect(bad.statusCode).toBe(401);
  });

  test('$everything of every demo patient is a searchset Bundle that validates with Medplum, the R4 schema and the mCODE rules', async () => {
    const problems: string[] = [];
    const profiles = new Set<string>();
    for (const id of patientIds) {
      const res = await get(`/fhir/R4/Patient/pt-${id}/$everything`);
      expect(res.statusCode).toBe(200);
      const b = json<Bundle>(res);
      expect(b.type).toBe('searchset');
      for (const e of b.entry ?? []) for (const p of e.resource?.meta?.profile ?? []) profiles.add(p);
      for (const i of errorsOf(validateBundle(b))) problems.push(`${id} ${i.layer} ${i.resource} ${i.path}: ${i.message}`);
    }
    // The 120 generated patients, and those the demo's open referrals brought in at triage.
    const referred = await t.services.store.db.selectFrom('referrals').select('patient_id').distinct().where('patient_id', 'is not', null)
      .where('status', 'not in', ['presented', 'declined', 'redirected']).execute();
    expect(patientIds).toHaveLength(120 + referred.length);
    expect(problems).toEqual([]);
    for (const p of [PROFILES.cancerPatient, PROFILES.primaryCancerCondition, PROFILES.secondaryCancerCondition, PROFILES.tumorSize,
      PROFILES.tnmStageGroup, PROFILES.cancerStage, PROFILES.rhabdomyosarcomaClinicalGroupStage, PROFILES.rhabdomyosarcomaRiskAssessment,
      PROFILES.histologicGrade, PROFILES.lanskyPlayPerformanceStatus, PROFILES.genomicVariant, PROFILES.cancerDiseaseStatus, PROFILES.carePlan,
      PROFILES.cancerRelatedMedicationRequest, PROFILES.cancerRelatedMedicationAdministration, PROFILES.cancerRelatedSurgicalProcedure]) {
      expect(profiles, p).toContain(p);
    }
  }, 300_000);

  test('the export is audited as an export of that patient, with no identifier in the detail', async () => {
    const id = patientIds[1]!;
    await get(`/fhir/R4/Patient/pt-${id}/$everything`);
    const row = await t.services.store.db.selectFrom('audit_log').selectAll().where('record_type', '=', 'fhir_bundle').where('patient_id', '=', id)
      .orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ action: 'export', outcome: 'success', username: 'coordinator' });
    expect(row.detail).toMatch(/^format=fhir-r4 resources=\d+$/);
  });

  test('search by patient and code finds the tumour size; by date range it narrows to the day', async () => {
    const id = patientIds[0]!;
    const all = json<Bundle<Observation>>(await get(`/fhir/R4/Observation?patient=Patient/pt-${id}`));
    expect(all.total).toBeGreaterThan(0);
    const size = json<Bundle<Observation>>(await get(`/fhir/R4/Observation?patient=pt-${id}&code=http://loinc.org|21889-1`));
    expect(size.entry?.map((e) => e.resource?.code.coding?.[0]?.code)).toEqual(['21889-1']);
    const day = size.entry![0]!.resource!.effectiveDateTime!.slice(0, 10);
    const inRange = json<Bundle>(await get(`/fhir/R4/Observation?patient=pt-${id}&code=21889-1&date=ge${day}&date=le${day}`));
    expect(inRange.total).toBe(1);
    const after = json<Bundle>(await get(`/fhir/R4/Observation?patient=pt-${id}&code=21889-1&date=gt${day}`));
    expect(after.total).toBe(0);
  });

  test('Condition, CarePlan and Procedure search by patient; Procedure by code and date', async () => {
    const conditions = json<Bundle>(await get(`/fhir/R4/Condition?patient=pt-${surgeryPatient}`));
    expect(conditions.entry?.every((e) => e.resource?.resourceType === 'Condition')).toBe(true);
    expect(conditions.total).toBeGreaterThan(0);
    const plans = json<Bundle>(await get(`/fhir/R4/CarePlan?subject=Patient/pt-${surgeryPatient}`));
    expect(plans.total).toBeGreaterThanOrEqual(1);
    const procs = json<Bundle<Procedure>>(await get(`/fhir/R4/Procedure?patient=pt-${surgeryPatient}&code=http://snomed.info/sct|65801008&date=2026-03`));
    expect(procs.entry?.map((e) => e.resource?.outcome?.coding?.[0]?.code)).toEqual(['R1']);
  });

  test('a search across the institution pages with _count and a next link', async () => {
    const page = json<Bundle<Patient>>(await get('/fhir/R4/Patient?_count=7'));
    expect(page.total).toBe(patientIds.length);
    expect(page.entry).toHaveLength(7);
    const next = page.link?.find((l) => l.relation === 'next')?.url;
    expect(next).toContain('_offset=7');
    const second = json<Bundle<Patient>>(await get(`/fhir/R4/Patient?_count=7&_offset=7`));
    expect(second.entry?.[0]?.resource?.id).not.toBe(page.entry?.[0]?.resource?.id);
  });

  test('another institution\'s patient answers 404 OperationOutcome, in read, $everything and search', async () => {
    const other = await t.login('riverside');
    const id = patientIds[0]!;
    for (const url of [`/fhir/R4/Patient/pt-${id}`, `/fhir/R4/Patient/pt-${id}/$everything`]) {
      const res = await get(url, { cookie: other });
      expect(res.statusCode, url).toBe(404);
      expect(json<OperationOutcome>(res).issue[0]?.code).toBe('not-found');
    }
    const search = json<Bundle>(await get(`/fhir/R4/Observation?patient=pt-${id}`, { cookie: other }));
    expect(search.total).toBe(0);
    const denied = await t.services.store.db.selectFrom('audit_log').select('outcome').where('record_type', '=', 'fhir_Patient').where('outcome', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThan(0);
  });

  test('bad input is a 400 OperationOutcome naming the parameter; a role without patient.read gets 403', async () => {
    const unknown = await get('/fhir/R4/Observation?colour=red');
    expect(unknown.statusCode).toBe(400);
    expect(json<OperationOutcome>(unknown).issue[0]?.expression).toEqual(['colour']);
    const date = await get('/fhir/R4/Observation?date=2026-13-01');
    expect(json<OperationOutcome>(date).issue[0]?.expression).toEqual(['date']);
    const count = await get('/fhir/R4/Patient?_count=-1');
    expect(count.statusCode).toBe(400);
    expect((await get('/fhir/R4/Medication')).statusCode).toBe(404);
    const researcher = await t.login('researcher');
    expect((await get('/fhir/R4/Patient', { cookie: researcher })).statusCode).toBe(403);
  });

  test('MedplumClient reads, searches and asks for $everything against the running server with a Bearer session token', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'oncologist', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const token = /tb_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
    expect(token).toBeDefined();
    const medplum = new MedplumClient({ baseUrl: `http://127.0.0.1:${port}/`, fhirUrlPath: 'fhir/R4', fetch });
    medplum.setAccessToken(token!);
    const id = `pt-${patientIds[2]}`;
    const patient = await medplum.readResource('Patient', id);
    expect(patient.meta?.profile).toEqual([PROFILES.cancerPatient]);
    const conditions = await medplum.searchResources('Condition', { patient: `Patient/${id}` });
    expect(conditions.length).toBeGreaterThan(0);
    expect(conditions.every((c) => c.subject?.reference === `Patient/${id}`)).toBe(true);
    const everything = await medplum.readPatientEverything(id);
    expect(everything.entry?.[1]?.resource?.id).toBe(id);
    await expect(medplum.readResource('Patient', 'pt-00000000-0000-4000-8000-000000000000')).rejects.toThrow(/not found/i);
  });
});
