import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

/** Idempotent creates (issue 9 §6): the Idempotency-Key header on the JSON create routes. */

let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const newPatient = (over: Record<string, unknown> = {}) => ({
  mrn: `IK-${uniq()}`, familyName: 'Retryperson', givenName: 'Sam', birthDate: '2013-03-09',
  sex: 'male', preferredLanguage: 'English', interpreterNeeded: false, homeCountry: 'United States', guardians: [], ...over,
});
const tumor = { diagnosisDate: '2026-01-02', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity', primarySite: 'distal femur' };
const series = (name: string) => ({ name, weekday: 'thursday', startTime: '07:30', durationMinutes: 60, timeZone: 'America/New_York', capacity: 8, cutoffHours: 24, startsOn: '2026-12-01' });

describe.each(DIALECTS)('Idempotency-Key on creates (%s)', (dialect) => {
  let t: TestApi;
  beforeAll(async () => { t = await testApi(dialect, { patients: 3 }); });
  afterAll(async () => { await t?.close(); });

  const patientsWithMrn = async (mrn: string) => t.services.store.db.selectFrom('patients').select('id').where('mrn', '=', mrn).execute();

  test('a retried patient create with the same key and body replays the first answer and creates one patient', async () => {
    const body = newPatient();
    const key = `k-${uniq()}`;
    const first = await t.call('coordinator', 'POST', '/patients', body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replay']).toBeUndefined();
    const again = await t.call('coordinator', 'POST', '/patients', body, { 'idempotency-key': key });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(json(again)).toEqual(json(first));
    expect(await patientsWithMrn(body.mrn)).toHaveLength(1);
    // The replay hands patient data back: it is audited as a read of that patient.
    const replays = await t.services.store.db.selectFrom('audit_log').select(['action', 'record_id'])
      .where('detail', '=', 'idempotent_replay').where('record_id', '=', json(first).id).execute();
    expect(replays).toEqual([{ action: 'read', record_id: json(first).id }]);
  });

  test('without a key, the same body twice is two attempts (the second is refused by the unique MRN)', async () => {
    const body = newPatient();
    expect((await t.call('coordinator', 'POST', '/patients', body)).statusCode).toBe(201);
    const second = await t.call('coordinator', 'POST', '/patients', body);
    expect(second.statusCode).toBe(409);
    expect(second.headers['idempotent-replay']).toBeUndefined();
  });

  test('the same key with a different body is 422 naming Idempotency-Key, and creates nothing', async () => {
    const key = `k-${uniq()}`;
    expect((await t.call('coordinator', 'POST', '/patients', newPatient(), { 'idempotency-key': key })).statusCode).toBe(201);
    const other = newPatient();
    const res = await t.call('coordinator', 'POST', '/patients', other, { 'idempotency-key': key });
    expect(res.statusCode).toBe(422);
    expect(json(res).error).toMatchObject({ code: 'unprocessable', field: 'Idempotency-Key' });
    expect(await patientsWithMrn(other.mrn)).toHaveLength(0);
  });

  test('the same key on another create route is 422', async () => {
    const key = `k-${uniq()}`;
    const p = json(await t.call('coordinator', 'POST', '/patients', newPatient(), { 'idempotency-key': key }));
    const res = await t.call('coordinator', 'POST', `/patients/${p.id}/tumors`, tumor, { 'idempotency-key': key });
    expect(res.statusCode).toBe(422);
    expect(json(res).error.field).toBe('Idempotency-Key');
  });

  test('concurrent requests with the same key create exactly one patient and all answer with it', async () => {
    const body = newPatient();
    const key = `k-${uniq()}`;
    const answers = await Promise.all(Array.from({ length: 6 }, () => t.call('coordinator', 'POST', '/patients', body, { 'idempotency-key': key })));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 201, 201, 201, 201, 201]);
    expect(answers.filter((a) => a.headers['idempotent-replay'] === 'true')).toHaveLength(5);
    expect(new Set(answers.map((a) => json(a).id)).size).toBe(1);
    expect(await patientsWithMrn(body.mrn)).toHaveLength(1);
    const keys = await t.services.store.db.selectFrom('idempotency_keys').select('key').where('key', '=', key).execute();
    expect(keys).toHaveLength(1);
  });

  test('a key is scoped to its user: another user with the same key creates their own record', async () => {
    const key = `k-${uniq()}`;
    const a = newPatient();
    const b = newPatient();
    const mine = await t.call('coordinator', 'POST', '/patients', a, { 'idempotency-key': key });
    const theirs = await t.call('oncologist', 'POST', '/patients', b, { 'idempotency-key': key });
    expect([mine.statusCode, theirs.statusCode]).toEqual([201, 201]);
    expect(theirs.headers['idempotent-replay']).toBeUndefined();
    expect(json(theirs).id).not.toBe(json(mine).id);
    // Nor can another institution's user read someone else's answer through a shared key.
    const other = await t.call('riverside', 'POST', '/patients', a, { 'idempotency-key': key });
    expect(other.statusCode).toBe(201);
    expect(json(other).id).not.toBe(json(mine).id);
  });

  test.each([
    ['too short', 'short'],
    ['forbidden characters', 'has spaces in it'],
    ['too long', 'x'.repeat(129)],
    ['a quote', 'abcdefgh"'],
  ])('a key that is %s is 400 naming Idempotency-Key', async (_what, key) => {
    const body = newPatient();
    const res = await t.call('coordinator', 'POST', '/patients', body, { 'idempotency-key': key });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.field).toBe('Idempotency-Key');
    expect(await patientsWithMrn(body.mrn)).toHaveLength(0);
  });

  test('a failed create does not use up its key: the corrected retry creates', async () => {
    const key = `k-${uniq()}`;
    const p = json(await t.call('coordinator', 'POST', '/patients', newPatient(), { 'idempotency-key': `k-${uniq()}` }));
    const missing = await t.call('coordinator', 'POST', '/patients/no-such-patient/tumors', tumor, { 'idempotency-key': key });
    expect(missing.statusCode).toBe(404);
    // The key was rolled back with the failed create; it is free for a request to an existing patient.
    const ok = await t.call('coordinator', 'POST', `/patients/${p.id}/tumors`, tumor, { 'idempotency-key': key });
    expect(ok.statusCode).toBe(201);
  });

  test('tumour, case and conference series creates replay too', async () => {
    const p = json(await t.call('coordinator', 'POST', '/patients', newPatient()));
    const creates: Array<[string, unknown]> = [
      [`/patients/${p.id}/tumors`, tumor],
      [`/patients/${p.id}/cases`, { question: 'Limb salvage options?' }],
      ['/conference-series', series(`Retry board ${uniq()}`)],
    ];
    for (const [url, body] of creates) {
      const key = `k-${uniq()}`;
      const first = await t.call('coordinator', 'POST', url, body, { 'idempotency-key': key });
      expect(first.statusCode, `${url}: ${first.body}`).toBe(201);
      const again = await t.call('coordinator', 'POST', url, body, { 'idempotency-key': key });
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replay']).toBe('true');
      expect(json(again).id).toBe(json(first).id);
    }
    const detail = json(await t.call('coordinator', 'GET', `/patients/${p.id}`));
    expect(detail.tumors).toHaveLength(1);
    expect(detail.cases).toHaveLength(1);
  });

  test('a key older than 24 hours is forgotten: the same key creates again', async () => {
    const body = newPatient();
    const key = `k-${uniq()}`;
    const first = json(await t.call('coordinator', 'POST', '/patients', body, { 'idempotency-key': key }));
    const old = new Date(Date.now() - 25 * 60 * 60 * 1000).toISOString();
    await t.services.store.db.updateTable('idempotency_keys').set({ created_at: old }).where('key', '=', key).execute();
    const later = await t.call('coordinator', 'POST', '/patients', newPatient(), { 'idempotency-key': key });
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replay']).toBeUndefined();
    expect(json(later).id).not.toBe(first.id);
  });

  test('the public referral form keeps its own key: a retry answers the same referral', async () => {
    const body = {
      patient: { familyName: 'Formperson', givenName: 'Jo', birthDate: '2014-02-02', sex: 'female', homeCountry: 'United States' },
      referrer: { name: 'Dr. Test Referrer', role: 'physician', email: 'ref@example.org', phone: '+1 555 0100' },
      diagnosisText: 'Suspected osteosarcoma of the distal femur', consentToShare: true, preferredLanguage: 'English',
    };
    const key = `ref-${uniq()}`;
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/public', payload: body, headers: { 'idempotency-key': key } });
    if (first.statusCode !== 201) throw new Error(`public referral: ${first.statusCode} ${first.body}`);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/public', payload: body, headers: { 'idempotency-key': key } });
    expect(again.statusCode).toBe(200);
    expect(json(again).id).toBe(json(first).id);
  });

  test('the OpenAPI document describes the header on the create routes', async () => {
    const doc = json(await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }));
    for (const path of ['/api/v1/patients', '/api/v1/patients/{id}/tumors', '/api/v1/patients/{id}/cases', '/api/v1/conference-series']) {
      expect(doc.paths[path].post.description, path).toMatch(/Idempotency-Key/);
    }
  });
});
