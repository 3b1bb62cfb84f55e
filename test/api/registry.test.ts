import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

const newPatient = (over: Record<string, unknown> = {}) => ({
  mrn: `T-${Math.random().toString(36).slice(2, 9)}`, familyName: 'Testperson', givenName: 'Alex', birthDate: '2012-05-17',
  sex: 'female', preferredLanguage: 'English', interpreterNeeded: false, homeCountry: 'United States', guardians: [], ...over,
});

describe.each(DIALECTS)('the registry API on %s', (dialect) => {
  let t: TestApi;
  let coord: string;
  let admin: string;

  beforeAll(async () => {
    t = await testApi(dialect);
    coord = await t.login('coordinator');
    admin = await t.login('admin');
  });
  afterAll(async () => { await t?.close(); });

  const req = (method: 'GET' | 'POST' | 'PUT', url: string, cookie?: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}), headers: { ...(cookie ? { cookie } : {}), ...headers } });

  test('health answers ok without a session', async () => {
    const res = await req('GET', '/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({ status: 'ok' });
  });

  test.each([
    ['GET', '/api/v1/patients'], ['POST', '/api/v1/patients'], ['GET', '/api/v1/patients/x'], ['PUT', '/api/v1/patients/x'],
    ['GET', '/api/v1/cases'], ['GET', '/api/v1/cases/x'],
  ] as const)('%s %s answers 401 without a session', async (method, url) => {
    const res = await req(method, url, undefined, method === 'GET' ? undefined : {});
    expect(res.statusCode).toBe(401);
    expect(json(res).error.code).toBe('unauthenticated');
  });

  test('a wrong password is refused and audited as a failed login', async () => {
    const res = await req('POST', '/api/v1/auth/login', undefined, { username: 'coordinator', password: 'wrong-password' });
    expect(res.statusCode).toBe(401);
    const audit = json(await req('GET', '/api/v1/admin/audit?action=login_failed', admin));
    expect(audit.items.some((e: { username: string }) => e.username === 'coordinator')).toBe(true);
  });

  test('a coordinator creates, reads and edits a patient, with ETag and If-Match', async () => {
    const created = await req('POST', '/api/v1/patients', coord, newPatient());
    expect(created.statusCode).toBe(201);
    const p = json(created);
    expect(created.headers.etag).toBe('W/"1"');
    const read = await req('GET', `/api/v1/patients/${p.id}`, coord);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('W/"1"');
    expect(json(read)).toMatchObject({ familyName: 'Testperson', tumors: [], cases: [] });
    const body = { ...newPatient({ mrn: p.mrn }), givenName: 'Alexandra' };
    const updated = await req('PUT', `/api/v1/patients/${p.id}`, coord, body, { 'if-match': 'W/"1"' });
    expect(updated.statusCode).toBe(200);
    expect(json(updated)).toMatchObject({ givenName: 'Alexandra', version: 2 });
    expect(updated.headers.etag).toBe('W/"2"');
  });

  test('an edit from a stale version answers 412 and one without If-Match answers 428, changing nothing', async () => {
    const p = json(await req('POST', '/api/v1/patients', coord, newPatient()));
    await req('PUT', `/api/v1/patients/${p.id}`, coord, { ...newPatient({ mrn: p.mrn }), givenName: 'First' }, { 'if-match': 'W/"1"' });
    const stale = await req('PUT', `/api/v1/patients/${p.id}`, coord, { ...newPatient({ mrn: p.mrn }), givenName: 'Second' }, { 'if-match': 'W/"1"' });
    expect(stale.statusCode).toBe(412);
    expect(json(stale).error.field).toBe('If-Match');
    const missing = await req('PUT', `/api/v1/patients/${p.id}`, coord, { ...newPatient({ mrn: p.mrn }), givenName: 'Third' });
    expect(missing.statusCode).toBe(428);
    expect(json(await req('GET', `/api/v1/patients/${p.id}`, coord))).toMatchObject({ givenName: 'First', version: 2 });
  });

  test.each([
    ['Arabic', 'الحربي', 'نورة'], ['Chinese', '王', '小明'], ['emoji', 'Rivera 🦁', 'Sol ☀️'],
    ['combining marks', 'Nguye\u0302\u0303n', 'Tha\u0300nh'], ['Cyrillic', 'Смирнова', 'Анна'], ['Devanagari', 'शर्मा', 'अनन्या'],
  ])('names in %s round-trip byte-exact', async (_script, familyName, givenName) => {
    const created = json(await req('POST', '/api/v1/patients', coord, newPatient({ familyName, givenName })));
    const read = json(await req('GET', `/api/v1/patients/${created.id}`, coord));
    expect(Buffer.from(read.familyName, 'utf8').equals(Buffer.from(familyName, 'utf8'))).toBe(true);
    expect(Buffer.from(read.givenName, 'utf8').equals(Buffer.from(givenName, 'utf8'))).toBe(true);
  });

  test('a patient is found by name, MRN and diagnosis, with paging and a total', async () => {
    const mrn = `Q-${Date.now().toString(36)}`;
    const p = json(await req('POST', '/api/v1/patients', coord, newPatient({ mrn, familyName: 'Ångström', givenName: 'Zoë' })));
    const tumor = await req('POST', `/api/v1/patients/${p.id}/tumors`, coord, {
      diagnosisDate: '2026-01-10', morphology: '9260/3', topography: 'C41.4', siteCategory: 'bone_pelvis', primarySite: 'left ilium',
      laterality: 'left', sizeCm: 9, details: { metastases: [] },
    });
    expect(tumor.statusCode).toBe(201);
    for (const q of ['angstrom', 'ZOË', mrn.toLowerCase(), 'ewing angstrom']) {
      const res = json(await req('GET', `/api/v1/patients?q=${encodeURIComponent(q)}`, coord));
      expect(res.items.map((i: { id: string }) => i.id), q).toContain(p.id);
    }
    const found = json(await req('GET', `/api/v1/patients?q=${encodeURIComponent(mrn)}`, coord));
    expect(found.items[0]).toMatchObject({ diagnosis: 'Ewing sarcoma', mrn });
    const page = json(await req('GET', '/api/v1/patients?limit=2&offset=1&sort=mrn&order=desc', coord));
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThan(3);
    const none = json(await req('GET', `/api/v1/patients?q=${encodeURIComponent('%_nobody_%')}`, coord));
    expect(none).toEqual({ items: [], total: 0 });
  });

  test('another institution’s patient answers 404 and the attempt is audited as denied', async () => {
    const other = await t.login('riverside');
    const theirs = json(await req('GET', '/api/v1/patients', other)).items[0];
    expect(theirs).toBeDefined();
    const res = await req('GET', `/api/v1/patients/${theirs.id}`, coord);
    expect(res.statusCode).toBe(404);
    const mine = json(await req('GET', '/api/v1/patients?limit=200', coord)).items.map((i: { id: string }) => i.id);
    expect(mine).not.toContain(theirs.id);
    const audit = json(await req('GET', '/api/v1/admin/audit?outcome=denied&recordType=patient', admin));
    expect(audit.items.some((e: { recordId: string; username: string }) => e.recordId === theirs.id && e.username === 'coordinator')).toBe(true);
  });

  test('every read, search, create and update of patient data is in the audit log, with who and from where', async () => {
    const p = json(await req('POST', '/api/v1/patients', coord, newPatient()));
    await req('GET', `/api/v1/patients/${p.id}`, coord);
    await req('PUT', `/api/v1/patients/${p.id}`, coord, { ...newPatient({ mrn: p.mrn }), givenName: 'Changed' }, { 'if-match': 'W/"1"' });
    await req('GET', '/api/v1/patients?q=changed', coord);
    const audit = json(await req('GET', `/api/v1/admin/audit?patientId=${p.id}`, admin));
    const actions = audit.items.map((e: { action: string }) => e.action).sort();
    expect(actions).toEqual(['create', 'read', 'update']);
    expect(audit.items[0]).toMatchObject({ username: 'coordinator', role: 'coordinator', outcome: 'success', recordType: 'patient' });
    expect(audit.items[0].requestId).toBeTruthy();
    expect(audit.items[0].clientIp).toBeTruthy();
    const searches = json(await req('GET', '/api/v1/admin/audit?action=search&recordType=patient', admin));
    expect(searches.items[0].detail).toMatch(/^query_length=7 results=\d+$/);
  });

  test('only an admin reads the audit log', async () => {
    expect((await req('GET', '/api/v1/admin/audit', coord)).statusCode).toBe(403);
    expect((await req('GET', '/api/v1/admin/audit', admin)).statusCode).toBe(200);
  });

  test('a referrer and a researcher cannot list patients', async () => {
    for (const u of ['referrer', 'researcher']) {
      expect((await req('GET', '/api/v1/patients', await t.login(u))).statusCode).toBe(403);
    }
  });

  test('when the audit entry cannot be written the request fails and nothing is written', async () => {
    const before = json(await req('GET', '/api/v1/patients?limit=1', coord)).total;
    await sql`alter table audit_log rename to audit_log_off`.execute(t.db.store.db);
    try {
      const res = await req('POST', '/api/v1/patients', coord, newPatient({ familyName: 'Neverwritten' }));
      expect(res.statusCode).toBe(500);
      expect(json(res).error).toEqual({ code: 'internal', message: 'internal error', requestId: expect.any(String) });
    } finally {
      await sql`alter table audit_log_off rename to audit_log`.execute(t.db.store.db);
    }
    const after = json(await req('GET', '/api/v1/patients?limit=1', coord)).total;
    expect(after).toBe(before);
    expect(json(await req('GET', '/api/v1/patients?q=neverwritten', coord)).total).toBe(0);
  });

  test('a case moves along its pathway one step at a time, with a timeline', async () => {
    const p = json(await req('POST', '/api/v1/patients', coord, newPatient()));
    const tumor = json(await req('POST', `/api/v1/patients/${p.id}/tumors`, coord, {
      diagnosisDate: '2026-02-01', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity', primarySite: 'distal femur', laterality: 'right', sizeCm: 7.5,
    }));
    const c = json(await req('POST', `/api/v1/patients/${p.id}/cases`, coord, { tumorId: tumor.id, question: 'Limb salvage?' }));
    expect(c).toMatchObject({ status: 'referred', version: 1 });
    const skip = await req('POST', `/api/v1/cases/${c.id}/status`, coord, { status: 'presented' }, { 'if-match': 'W/"1"' });
    expect(skip.statusCode).toBe(409);
    expect(json(skip).error.field).toBe('status');
    const ok = await req('POST', `/api/v1/cases/${c.id}/status`, coord, { status: 'under_review', note: 'records complete' }, { 'if-match': 'W/"1"' });
    expect(ok.statusCode).toBe(200);
    expect(json(ok).timeline.map((e: { status: string }) => e.status)).toEqual(['referred', 'under_review']);
    expect((await req('POST', `/api/v1/cases/${c.id}/status`, coord, { status: 'presented' }, { 'if-match': 'W/"1"' })).statusCode).toBe(412);
    const list = json(await req('GET', '/api/v1/cases?status=under_review&limit=200', coord));
    expect(list.items.map((i: { id: string }) => i.id)).toContain(c.id);
    const detail = json(await req('GET', `/api/v1/cases/${c.id}`, coord));
    expect(detail).toMatchObject({ patient: { id: p.id }, tumor: { id: tumor.id, morphology: '9180/3' } });
  });

  test('a duplicate MRN in the same institution is a conflict naming mrn', async () => {
    const body = newPatient();
    expect((await req('POST', '/api/v1/patients', coord, body)).statusCode).toBe(201);
    const dup = await req('POST', '/api/v1/patients', coord, body);
    expect(dup.statusCode).toBe(409);
    expect(json(dup).error.field).toBe('mrn');
  });

  test('the OpenAPI document lists every API route', async () => {
    const doc = json(await req('GET', '/api/v1/openapi.json'));
    const paths = Object.keys(doc.paths);
    for (const p of ['/api/v1/patients', '/api/v1/patients/{id}', '/api/v1/cases', '/api/v1/cases/{id}', '/api/v1/auth/login', '/api/v1/admin/audit']) {
      expect(paths).toContain(p);
    }
  });
});

describe.each(DIALECTS)('a case opened before its tumour is known, on %s', (dialect) => {
  let t: TestApi;
  beforeAll(async () => { t = await testApi(dialect); });
  afterAll(async () => { await t?.close(); });

  test('is linked to the tumour once it is recorded, and only to a tumour of the same patient', async () => {
    const coord = await t.login('coordinator');
    const call = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
      t.app.inject({ method, url, ...(payload ? { payload } : {}), headers: { cookie: coord, ...headers } });
    const p = json(await call('POST', '/api/v1/patients', newPatient()));
    const c = json(await call('POST', `/api/v1/patients/${p.id}/cases`, { question: 'Suspected Ewing sarcoma: staging?' }));
    expect(c.tumorId).toBeNull();
    const noTumour = json(await call('GET', `/api/v1/cases/${c.id}/assessment`));
    expect(noTumour.assessment).toBeNull();
    expect(noTumour.errors[0].field).toBe('tumor');
    const other = json(await call('GET', '/api/v1/patients?limit=1')).items[0];
    const otherTumor = json(await call('POST', `/api/v1/patients/${other.id}/tumors`, { diagnosisDate: '2026-01-02', morphology: '9260/3', topography: 'C41.4', siteCategory: 'bone_pelvis', primarySite: 'ilium' }));
    expect((await call('POST', `/api/v1/cases/${c.id}/tumor`, { tumorId: otherTumor.id }, { 'if-match': 'W/"1"' })).statusCode).toBe(400);
    const tumor = json(await call('POST', `/api/v1/patients/${p.id}/tumors`, { diagnosisDate: '2026-01-02', morphology: '9260/3', topography: 'C41.4', siteCategory: 'bone_pelvis', primarySite: 'left ilium', laterality: 'left', sizeCm: 9, details: { metastases: [] } }));
    const linked = await call('POST', `/api/v1/cases/${c.id}/tumor`, { tumorId: tumor.id }, { 'if-match': 'W/"1"' });
    expect(linked.statusCode).toBe(200);
    expect(json(linked)).toMatchObject({ tumorId: tumor.id, version: 2 });
    const assessed = json(await call('GET', `/api/v1/cases/${c.id}/assessment`));
    expect(assessed.assessment.ewing).toEqual({ metastaticCategory: 'localized' });
  });
});
