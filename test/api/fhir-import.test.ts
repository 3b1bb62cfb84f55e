import fs from 'node:fs';
import path from 'node:path';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/fhir/outside-ehr-transaction.json');
const outside = (): Bundle => JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Bundle;
const FHIR = { 'content-type': 'application/fhir+json' };

/**
 * What "the same clinical content" means for the round trip: the patient's Patient, Condition and Observation
 * resources with ids, meta, fullUrls, TumorBoard record identifiers and reference targets stripped (they are new
 * records in the second database), the disease-status observation's record timestamp dropped, in a stable order.
 * Plans, recommendations and what was given (CarePlan, Medication*, ClinicalImpression, Procedure) are not imported:
 * the import reports them as unmapped.
 */
function clinicalProjection(b: Bundle): unknown[] {
  const strip = (v: unknown, key = ''): unknown => {
    if (Array.isArray(v)) return v.map((x) => strip(x)).filter((x) => x !== undefined);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.system === 'urn:tumorboard:id') return undefined;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) {
        if (k === 'id' || k === 'meta' || k === 'fullUrl') continue;
        if (k === 'reference' && typeof o[k] === 'string') { out[k] = String(o[k]).replace(/\/[^/]+$/, '/*'); continue; }
        const s = strip(o[k], k);
        if (s !== undefined && !(Array.isArray(s) && s.length === 0 && key === '')) out[k] = s;
      }
      return out;
    }
    return v;
  };
  return (b.entry ?? []).map((e) => e.resource!)
    .filter((r) => r.resourceType === 'Patient' || r.resourceType === 'Condition' || r.resourceType === 'Observation')
    .map((r) => {
      const s = strip(r) as Record<string, unknown>;
      if (r.resourceType === 'Observation' && JSON.stringify(s.code).includes('97509-4')) delete s.effectiveDateTime;
      return s;
    })
    .map((s) => JSON.stringify(s)).sort().map((s) => JSON.parse(s) as unknown);
}

describe.each(DIALECTS)('FHIR import (POST /fhir/R4) on %s', (dialect) => {
  let t: TestApi;
  let coord: string;

  beforeAll(async () => {
    t = await testApi(dialect);
    coord = await t.login('coordinator');
  });
  afterAll(async () => { await t?.close(); });

  const post = (body: unknown, cookie?: string, headers: Record<string, string> = FHIR) => t.app.inject({
    method: 'POST', url: '/fhir/R4', payload: typeof body === 'string' ? body : JSON.stringify(body), headers: { ...headers, ...(cookie ? { cookie } : {}) },
  });
  const patientsByMrn = async (mrn: string) => json(await t.app.inject({ method: 'GET', url: `/api/v1/patients?q=${mrn}`, headers: { cookie: coord } })).items as Array<{ id: string; mrn: string }>;

  test('without a session the import answers 401 as an OperationOutcome', async () => {
    const res = await post(outside());
    expect(res.statusCode).toBe(401);
    expect(json<OperationOutcome>(res)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
  });

  test.each(['trials', 'researcher', 'travel'])('a %s may not import (403)', async (user) => {
    const res = await post(outside(), await t.login(user));
    expect(res.statusCode).toBe(403);
    expect(json<OperationOutcome>(res).issue[0]!.code).toBe('forbidden');
  });

  test('a coordinator imports an outside transaction: a patient, a tumour and a case, with a transaction-response', async () => {
    const res = await post(outside(), coord);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
    const out = json<Bundle>(res);
    expect(out).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
    expect(out.entry).toHaveLength(outside().entry!.length);
    expect(out.entry![0]!.response).toMatchObject({ status: '201 Created', location: expect.stringMatching(/^Patient\/pt-/) });
    expect(out.entry![1]!.response).toMatchObject({ status: '201 Created', location: expect.stringMatching(/^Condition\/pcc-/) });
    // Unmapped parts are named in the entry's OperationOutcome.
    expect(out.entry![7]!.response!.outcome!.issue[0]).toMatchObject({ severity: 'warning', code: 'not-supported', expression: ['Bundle.entry[7].resource'] });
    const [p] = await patientsByMrn('OUT-480133');
    const detail = json(await t.app.inject({ method: 'GET', url: `/api/v1/patients/${p!.id}`, headers: { cookie: coord } }));
    expect(detail).toMatchObject({ familyName: 'Testchild', sex: 'female', homeCountry: 'Canada' });
    expect(detail.tumors).toEqual([expect.objectContaining({ morphology: '9260/3', topography: 'C40.2', laterality: 'left', sizeCm: 8.5 })]);
    expect(detail.tumors[0].details).toMatchObject({ metastases: ['lung'], molecular: { ewsr1Fusion: 'EWSR1::FLI1' } });
    expect(detail.cases).toEqual([expect.objectContaining({ status: 'referred', tumorId: detail.tumors[0].id })]);
  });

  test('importing the same bundle again matches the patient by MRN: no duplicate patient or tumour', async () => {
    const res = await post(outside(), coord);
    expect(res.statusCode).toBe(200);
    const out = json<Bundle>(res);
    expect(out.entry![0]!.response!.status).toBe('200 OK');
    expect(out.entry![1]!.response!.status).toBe('200 OK');
    const found = await patientsByMrn('OUT-480133');
    expect(found).toHaveLength(1);
    const detail = json(await t.app.inject({ method: 'GET', url: `/api/v1/patients/${found[0]!.id}`, headers: { cookie: coord } }));
    expect(detail.tumors).toHaveLength(1);
  });

  test('a re-import that differs from the record keeps TumorBoard\'s facts and says what differs', async () => {
    const b = outside();
    (b.entry![3]!.resource as { component: Array<{ valueQuantity: { value: number } }> }).component[0]!.valueQuantity.value = 95;
    const out = json<Bundle>(await post(b, coord));
    expect(out.entry![1]!.response!.outcome!.issue).toContainEqual(expect.objectContaining({ severity: 'information', diagnostics: expect.stringMatching(/differs in sizeCm/) }));
    const [p] = await patientsByMrn('OUT-480133');
    const detail = json(await t.app.inject({ method: 'GET', url: `/api/v1/patients/${p!.id}`, headers: { cookie: coord } }));
    expect(detail.tumors[0].sizeCm).toBe(8.5);
  });

  test('an MRN that belongs to a child with another birth date is refused (409), not matched', async () => {
    const b = outside();
    (b.entry![0]!.resource as { birthDate: string }).birthDate = '2015-01-01';
    const res = await post(b, coord);
    expect(res.statusCode).toBe(409);
    expect(json<OperationOutcome>(res).issue[0]).toMatchObject({ code: 'conflict', expression: ['Bundle.entry[0].resource.identifier'], diagnostics: expect.stringMatching(/different birthDate/) });
  });

  test('with Prefer: return=OperationOutcome the answer is one OperationOutcome listing every element not imported', async () => {
    const res = await post(outside(), coord, { ...FHIR, prefer: 'return=OperationOutcome' });
    expect(res.statusCode).toBe(200);
    const oo = json<OperationOutcome>(res);
    expect(oo.issue[0]).toMatchObject({ severity: 'information', diagnostics: expect.stringMatching(/0 patient\(s\) created, 1 matched by MRN/) });
    expect(oo.issue.filter((i) => i.severity === 'warning').map((i) => i.expression![0])).toEqual(expect.arrayContaining([
      'Bundle.entry[0].resource.telecom', 'Bundle.entry[7].resource', 'Bundle.entry[9].resource',
    ]));
  });

  test('plain application/json is accepted too', async () => {
    const b = outside();
    (b.entry![0]!.resource as { identifier: Array<{ value: string }> }).identifier[0]!.value = 'OUT-JSON-1';
    const res = await post(b, coord, { 'content-type': 'application/json' });
    expect(res.statusCode).toBe(200);
    expect(await patientsByMrn('OUT-JSON-1')).toHaveLength(1);
  });

  test('import is all-or-nothing: a bad reference after a good patient writes nothing', async () => {
    const b = outside();
    (b.entry![0]!.resource as { identifier: Array<{ value: string }> }).identifier[0]!.value = 'OUT-ROLLBACK-1';
    const bad: BundleEntry = {
      fullUrl: 'urn:uuid:bad-condition', request: { method: 'POST', url: 'Condition' },
      resource: { ...(b.entry![1]!.resource as object), subject: { reference: 'Patient/pt-0b5c2d4e-1111-4222-8333-444455556666' } } as Resource,
    };
    b.entry!.splice(5, 0, bad);
    const before = json(await t.app.inject({ method: 'GET', url: '/api/v1/patients?limit=1', headers: { cookie: coord } })).total;
    const res = await post(b, coord);
    expect(res.statusCode).toBe(400);
    const oo = json<OperationOutcome>(res);
    expect(oo.issue[0]).toMatchObject({ severity: 'error', code: 'not-found', expression: ['Bundle.entry[5].resource.subject.reference'] });
    expect(await patientsByMrn('OUT-ROLLBACK-1')).toHaveLength(0);
    expect(json(await t.app.inject({ method: 'GET', url: '/api/v1/patients?limit=1', headers: { cookie: coord } })).total).toBe(before);
  });

  test.each([
    ['a wrong resourceType', { resourceType: 'Patient' }, 'Bundle.resourceType'],
    ['an unknown code system', (() => { const b = outside(); (b.entry![7]!.resource as { code: unknown }).code = { coding: [{ system: 'http://local.example/x', code: '1' }] }; return b; })(), 'Bundle.entry[7].resource.code.coding[0].system'],
    ['a reference to a patient that does not exist, on a resource not imported', (() => { const b = outside(); (b.entry![9]!.resource as { subject: unknown }).subject = { reference: 'Patient/pt-0b5c2d4e-1111-4222-8333-444455556666' }; (b.entry![0]!.resource as { identifier: Array<{ value: string }> }).identifier[0]!.value = 'OUT-NOPE-1'; return b; })(), 'Bundle.entry[9].resource.subject.reference'],
    ['duplicate identifiers', (() => { const b = outside(); b.entry!.push({ ...b.entry![0]!, fullUrl: 'urn:uuid:second' }); return b; })(), 'Bundle.entry[10].resource.identifier[0]'],
  ])('%s answers 400 with an OperationOutcome naming the location', async (_n, body, expression) => {
    const res = await post(body, coord);
    expect(res.statusCode).toBe(400);
    expect(json<OperationOutcome>(res).issue).toContainEqual(expect.objectContaining({ severity: 'error', expression: [expression] }));
  });

  test('a 50 MB bundle answers 413 naming the limit, before it is read', async () => {
    const big = `{"resourceType":"Bundle","type":"transaction","entry":[],"pad":"${'x'.repeat(50 * 1024 * 1024)}"}`;
    const res = await post(big, coord);
    expect(res.statusCode).toBe(413);
    const oo = json<OperationOutcome>(res);
    expect(oo.issue[0]).toMatchObject({ code: 'too-costly', diagnostics: expect.stringMatching(/32 MB/) });
  });

  test('the import is audited: one entry for the import and one per patient, no names in the detail', async () => {
    const admin = await t.login('admin');
    const log = json(await t.app.inject({ method: 'GET', url: '/api/v1/admin/audit?recordType=fhir_import&limit=50', headers: { cookie: admin } }));
    expect(log.items.length).toBeGreaterThan(0);
    expect(log.items.some((e: { outcome: string; detail: string }) => e.outcome === 'success' && /patients_created=1/.test(e.detail))).toBe(true);
    expect(JSON.stringify(log.items)).not.toMatch(/Testchild/);
  });
});

describe.each(DIALECTS)('the FHIR round trip on %s', (dialect) => {
  let source: TestApi;
  let target: TestApi;

  beforeAll(async () => {
    source = await testApi(dialect, { patients: 8 });
    // An empty registry: the demo accounts, no patients at the coordinator's institution.
    target = await testApi(dialect, { patients: 0 });
  });
  afterAll(async () => { await source?.close(); await target?.close(); });

  test('export → import into an empty database → export gives the same clinical content', async () => {
    const sc = await source.login('coordinator');
    const tc = await target.login('coordinator');
    const list = json(await source.app.inject({ method: 'GET', url: '/api/v1/patients?limit=100', headers: { cookie: sc } })).items as Array<{ id: string; mrn: string }>;
    expect(list.length).toBeGreaterThanOrEqual(8);
    expect(json(await target.app.inject({ method: 'GET', url: '/api/v1/patients?limit=1', headers: { cookie: tc } })).total).toBe(0);
    for (const p of list) {
      const first = await source.app.inject({ method: 'GET', url: `/fhir/R4/Patient/pt-${p.id}/$everything`, headers: { cookie: sc } });
      expect(first.statusCode).toBe(200);
      const exported = json<Bundle>(first);
      const imported = await target.app.inject({ method: 'POST', url: '/fhir/R4', payload: JSON.stringify(exported), headers: { ...FHIR, cookie: tc } });
      expect(imported.statusCode).toBe(200);
      const location = json<Bundle>(imported).entry!.find((e) => e.response?.location?.startsWith('Patient/'))!.response!.location!;
      const again = await target.app.inject({ method: 'GET', url: `/fhir/R4/${location}/$everything`, headers: { cookie: tc } });
      expect(again.statusCode).toBe(200);
      expect(clinicalProjection(json<Bundle>(again))).toEqual(clinicalProjection(exported));
    }
  });
});
