import type { Bundle, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BulkManifest } from '../../src/domain/fhir/bulk.js';
import { errorsOf, validateFhirResource, warmUpValidators } from '../../src/domain/fhir/validate.js';
import { fhirBulkRepo } from '../../src/store/fhir-bulk.repo.js';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

/**
 * FHIR Bulk Data export (`Patient/$export`, issue 8) on both dialects: the async pattern (202 + Content-Location,
 * polling, manifest, NDJSON files, DELETE), only the institution's patients, every resource valid, `_type`, bad
 * kick-offs named, and only the requester may poll or download.
 */
describe.each(DIALECTS)('FHIR bulk export on %s', (dialect) => {
  let t: TestApi;
  let institutionPatients = 0;
  const ASYNC = { prefer: 'respond-async' };

  const fhir = async (user: string, method: 'GET' | 'DELETE', url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: url.replace(/^https?:\/\/[^/]+/, ''), headers: { cookie: await t.as(user), ...headers } });

  /** Polls the status URL until the export is no longer running (202). */
  async function waitFor(user: string, statusUrl: string) {
    for (let i = 0; i < 600; i++) {
      const res = await fhir(user, 'GET', statusUrl);
      if (res.statusCode !== 202) return res;
      expect(res.headers['x-progress']).toBeTruthy();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the export did not finish within 60 s');
  }

  beforeAll(async () => {
    warmUpValidators();
    t = await testApi(dialect, { patients: 24 });
    const db = t.services.store.db;
    const main = await db.selectFrom('institutions').select('id').where('code', '=', 'LCH').executeTakeFirstOrThrow();
    institutionPatients = (await db.selectFrom('patients').select('id').where('institution_id', '=', main.id).execute()).length;
  }, 300_000);
  afterAll(async () => { await t?.close(); });

  test('a kick-off answers 202 with a status URL; the manifest lists one valid NDJSON file per type, for this institution only', async () => {
    const kick = await fhir('coordinator', 'GET', '/fhir/R4/Patient/$export?_outputFormat=application/fhir%2Bndjson', ASYNC);
    expect(kick.statusCode).toBe(202);
    const statusUrl = String(kick.headers['content-location']);
    expect(statusUrl).toMatch(/\/fhir\/R4\/\$export-status\/[0-9a-f-]{36}$/);

    const done = await waitFor('coordinator', statusUrl);
    expect(done.statusCode).toBe(200);
    const manifest = json<BulkManifest>(done);
    expect(manifest.requiresAccessToken).toBe(true);
    expect(manifest.request).toContain('/fhir/R4/Patient/$export');
    const byType = Object.fromEntries(manifest.output.map((o) => [o.type, o]));
    expect(Object.keys(byType)).toEqual(expect.arrayContaining(['Patient', 'Organization', 'Condition', 'Observation']));
    expect(byType.Patient!.count).toBe(institutionPatients);

    const patients = await fhir('coordinator', 'GET', byType.Patient!.url);
    expect(patients.statusCode).toBe(200);
    expect(patients.headers['content-type']).toContain('application/fhir+ndjson');
    const lines = patients.body.trim().split('\n').map((l) => JSON.parse(l) as Patient);
    expect(lines).toHaveLength(institutionPatients);
    expect(lines.every((p) => p.identifier?.[0]?.value?.startsWith('LCH'))).toBe(true);
    // The institution appears once, though every patient's bundle holds it.
    const orgs = (await fhir('coordinator', 'GET', byType.Organization!.url)).body.trim().split('\n');
    expect(orgs).toHaveLength(1);
    // Each file's lines are what the manifest counts, and every resource validates on its own.
    for (const o of manifest.output) {
      const body = (await fhir('coordinator', 'GET', o.url)).body.trim().split('\n').map((l) => JSON.parse(l) as Resource);
      expect(body, o.type).toHaveLength(o.count);
      expect(body.every((r) => r.resourceType === o.type)).toBe(true);
      for (const r of body.slice(0, 10)) expect(errorsOf(validateFhirResource(r)), `${o.type}/${r.id}`).toEqual([]);
    }
  }, 120_000);

  test('_type limits the files; every exported patient is audited with the job', async () => {
    const db = t.services.store.db;
    const before = (await db.selectFrom('audit_log').select('id').where('record_type', '=', 'fhir_bundle').where('action', '=', 'export').execute()).length;
    const kick = await fhir('coordinator', 'GET', '/fhir/R4/Patient/$export?_type=Patient,Condition', ASYNC);
    expect(kick.statusCode).toBe(202);
    const manifest = json<BulkManifest>(await waitFor('coordinator', String(kick.headers['content-location'])));
    expect(manifest.output.map((o) => o.type)).toEqual(['Patient', 'Condition']);
    const after = (await db.selectFrom('audit_log').select('id').where('record_type', '=', 'fhir_bundle').where('action', '=', 'export').execute()).length;
    expect(after - before).toBe(institutionPatients);
    const job = await db.selectFrom('audit_log').select(['detail', 'outcome']).where('record_type', '=', 'fhir_bulk_job').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(job).toEqual({ detail: 'types=Patient,Condition', outcome: 'success' });
  }, 120_000);

  test('a bad kick-off is an OperationOutcome naming the header or parameter', async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['/fhir/R4/Patient/$export', {}, 'Prefer'],
      ['/fhir/R4/Patient/$export?_since=2026-01-01T00:00:00Z', ASYNC, '_since'],
      ['/fhir/R4/Patient/$export?_type=Patient,Encounter', ASYNC, '_type'],
      ['/fhir/R4/Patient/$export?_outputFormat=text/csv', ASYNC, '_outputFormat'],
      ['/fhir/R4/Patient/$export?_elements=id', ASYNC, '_elements'],
    ];
    for (const [url, headers, field] of cases) {
      const res = await fhir('coordinator', 'GET', url, headers);
      expect(res.statusCode, url).toBe(400);
      const oo = json<OperationOutcome>(res);
      expect(oo.resourceType).toBe('OperationOutcome');
      expect(oo.issue[0]!.expression).toEqual([field]);
    }
  });

  test('only the requester polls and downloads; roles without bulk export are refused; DELETE removes the output', async () => {
    const kick = await fhir('coordinator', 'GET', '/fhir/R4/Patient/$export?_type=Patient', ASYNC);
    const statusUrl = String(kick.headers['content-location']);
    const manifest = json<BulkManifest>(await waitFor('coordinator', statusUrl));
    const fileUrl = manifest.output[0]!.url;
    // Another user of the same institution (an administrator) does not see someone else's export.
    expect((await fhir('admin', 'GET', statusUrl)).statusCode).toBe(404);
    expect((await fhir('admin', 'GET', fileUrl)).statusCode).toBe(404);
    // Clinicians and researchers cannot start one; no session is 401.
    expect((await fhir('oncologist', 'GET', '/fhir/R4/Patient/$export', ASYNC)).statusCode).toBe(403);
    expect((await fhir('researcher', 'GET', '/fhir/R4/Patient/$export', ASYNC)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: statusUrl.replace(/^https?:\/\/[^/]+/, '') })).statusCode).toBe(401);
    // An unknown file type is 404, not a crash.
    expect((await fhir('coordinator', 'GET', fileUrl.replace('Patient.ndjson', 'Encounter.ndjson'))).statusCode).toBe(404);

    expect((await fhir('coordinator', 'DELETE', statusUrl)).statusCode).toBe(202);
    expect((await fhir('coordinator', 'GET', statusUrl)).statusCode).toBe(404);
    expect((await fhir('coordinator', 'GET', fileUrl)).statusCode).toBe(404);
  }, 120_000);

  test('an export whose own output fails validation offers nothing and keeps no part of it', async () => {
    const db = t.services.store.db;
    const main = await db.selectFrom('institutions').select('id').where('code', '=', 'LCH').executeTakeFirstOrThrow();
    // A control character is not a valid FHIR string: one patient (the last by MRN, so earlier batches are written first).
    const victim = await db.selectFrom('patients').select(['id', 'given_name']).where('institution_id', '=', main.id).orderBy('mrn', 'desc').executeTakeFirstOrThrow();
    await db.updateTable('patients').set({ given_name: `${victim.given_name}\u0001` }).where('id', '=', victim.id).execute();
    try {
      const kick = await fhir('coordinator', 'GET', '/fhir/R4/Patient/$export', ASYNC);
      const statusUrl = String(kick.headers['content-location']);
      const done = await waitFor('coordinator', statusUrl);
      expect(done.statusCode).toBe(500);
      const oo = json<OperationOutcome>(done);
      expect(oo.issue.some((i) => /^Patient\//.test(String(i.expression?.[0])))).toBe(true);
      const jobId = statusUrl.split('/').pop()!;
      expect(await db.selectFrom('fhir_export_parts').select('seq').where('job_id', '=', jobId).execute()).toEqual([]);
      expect((await fhir('coordinator', 'GET', statusUrl.replace('$export-status', '$export-file') + '/Patient.ndjson')).statusCode).toBe(404);
    } finally {
      await db.updateTable('patients').set({ given_name: victim.given_name }).where('id', '=', victim.id).execute();
    }
  }, 120_000);

  test('output is written in parts while the job runs; a failed or deleted job keeps none, and a late part is refused', async () => {
    const db = t.services.store.db;
    const ids = await db.selectFrom('users').innerJoin('institutions', 'institutions.id', 'users.institution_id').select(['users.id as userId', 'institutions.id as institutionId']).where('username', '=', 'coordinator').executeTakeFirstOrThrow();
    const job = (id: string) => fhirBulkRepo.insert(db, { id, ...ids, requestUrl: 'http://h/fhir/R4/Patient/$export', types: undefined, createdAt: '2026-11-27T10:00:00.000Z', expiresAt: '2999-01-01T00:00:00.000Z' });
    // Non-ASCII text (stored as UTF-8 bytes) comes back unchanged.
    const part = (n: number) => [{ type: 'Patient' as const, count: 1, ndjson: `{"resourceType":"Patient","id":"p${n}","name":[{"given":["Zoë"]}]}\n` }];
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await job(a);
    // Parts join in batch order, whatever order they were written in.
    expect(await fhirBulkRepo.addParts(db, a, 1, part(2))).toBe(true);
    expect(await fhirBulkRepo.addParts(db, a, 0, part(1))).toBe(true);
    const file = await fhirBulkRepo.file(db, a, 'Patient');
    expect([file?.count, file?.ndjson.toString('utf8')]).toEqual([2, '{"resourceType":"Patient","id":"p1","name":[{"given":["Zoë"]}]}\n{"resourceType":"Patient","id":"p2","name":[{"given":["Zoë"]}]}\n']);
    await fhirBulkRepo.fail(db, a, [{ message: 'invalid' }], '2026-11-27T10:01:00.000Z');
    expect(await fhirBulkRepo.file(db, a, 'Patient')).toBeUndefined();
    expect(await fhirBulkRepo.addParts(db, a, 2, part(3))).toBe(false);
    expect(await fhirBulkRepo.files(db, a)).toEqual([]);
    await job(b);
    await fhirBulkRepo.addParts(db, b, 0, part(1));
    await fhirBulkRepo.delete(db, b);
    expect(await fhirBulkRepo.addParts(db, b, 1, part(2))).toBe(false);
    expect(await fhirBulkRepo.complete(db, b, 1, '2026-11-27T10:01:00.000Z')).toBe(false);
    expect(await db.selectFrom('fhir_export_parts').select('seq').where('job_id', 'in', [a, b]).execute()).toEqual([]);
  });

  test('an export deleted while it runs leaves neither job nor output behind', async () => {
    const db = t.services.store.db;
    const kick = await fhir('coordinator', 'GET', '/fhir/R4/Patient/$export', ASYNC);
    const statusUrl = String(kick.headers['content-location']);
    const jobId = statusUrl.split('/').pop()!;
    expect((await fhir('coordinator', 'DELETE', statusUrl)).statusCode).toBe(202);
    // The export runs on in the background; when it stops, it must have written nothing that stays.
    for (let i = 0; i < 300; i++) {
      const job = await db.selectFrom('fhir_export_jobs').select('status').where('id', '=', jobId).executeTakeFirst();
      const parts = await db.selectFrom('fhir_export_parts').select('seq').where('job_id', '=', jobId).execute();
      if (!job && parts.length === 0 && i > 20) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await db.selectFrom('fhir_export_jobs').select('id').where('id', '=', jobId).execute()).toEqual([]);
    expect(await db.selectFrom('fhir_export_parts').select('seq').where('job_id', '=', jobId).execute()).toEqual([]);
    expect((await fhir('coordinator', 'GET', statusUrl)).statusCode).toBe(404);
  }, 120_000);

  test('the CapabilityStatement names the export operation', async () => {
    const cs = json<{ rest: Array<{ resource: Array<{ type: string; operation?: Array<{ name: string }> }> }> }>(await t.app.inject({ method: 'GET', url: '/fhir/R4/metadata' }));
    expect(cs.rest[0]!.resource.find((r) => r.type === 'Patient')!.operation!.map((o) => o.name)).toContain('export');
  });

  test('an export also reads as bundles: every patient line matches the patient of its $everything', async () => {
    const kick = await fhir('coordinator', 'GET', '/fhir/R4/Patient/$export?_type=Patient', ASYNC);
    const manifest = json<BulkManifest>(await waitFor('coordinator', String(kick.headers['content-location'])));
    const first = JSON.parse((await fhir('coordinator', 'GET', manifest.output[0]!.url)).body.split('\n')[0]!) as Patient;
    const everything = json<Bundle>(await fhir('coordinator', 'GET', `/fhir/R4/Patient/${first.id}/$everything`));
    const same = everything.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource as Patient;
    expect({ ...same, meta: undefined }).toEqual({ ...first, meta: undefined });
  }, 120_000);
});
