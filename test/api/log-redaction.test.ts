import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeLogger } from '../../src/cli/serve.js';
import { buildApp, type App } from '../../src/http/app.js';
import type { Services } from '../../src/services/context.js';
import { DEMO_PASSWORD, loadDemo } from '../../src/services/demo.service.js';
import { DIALECTS, freshStore, type TestStore } from '../support/stores.js';

/** Synthetic patient data that must never reach a log line. */
const SECRET = {
  familyName: 'Quillonbyxe', givenName: 'Marisolva', mrn: 'MRN-REDACT-4821', birthDate: '2011-07-23',
  guardian: 'Thessaly Quorne', phone: '+1 410-555-0142', wrongPassword: 'Zanzibar-Wrong-Pass-77',
};

describe.each(DIALECTS)('logs on %s', (dialect) => {
  let db: TestStore;
  let app: App;
  let log = '';
  let cookie = '';

  beforeAll(async () => {
    db = await freshStore(dialect);
    const services: Services = { store: db.store, now: () => new Date() };
    await loadDemo(services, { patients: 2 });
    const sink = new Writable({ write(chunk, _enc, done) { log += String(chunk); done(); } });
    app = await buildApp({ services, logger: makeLogger('info', sink), loginRateLimit: 1000 });
    // A test-only route that fails, to see what a 5xx writes.
    app.post('/api/v1/test/boom', { config: { public: true } }, async () => { throw new Error('simulated failure'); });

    await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'coordinator', password: SECRET.wrongPassword } });
    const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'coordinator', password: DEMO_PASSWORD } });
    cookie = `tb_session=${ok.cookies.find((c) => c.name === 'tb_session')!.value}`;
    const created = await app.inject({
      method: 'POST', url: '/api/v1/patients', headers: { cookie },
      payload: {
        mrn: SECRET.mrn, familyName: SECRET.familyName, givenName: SECRET.givenName, birthDate: SECRET.birthDate, sex: 'female',
        preferredLanguage: 'English', interpreterNeeded: false, homeCountry: 'United States',
        guardians: [{ name: SECRET.guardian, relationship: 'mother', phone: SECRET.phone }],
      },
    });
    expect(created.statusCode).toBe(201);
    const id = (JSON.parse(created.body) as { id: string }).id;
    await app.inject({ method: 'GET', url: `/api/v1/patients?q=${encodeURIComponent(SECRET.familyName)}`, headers: { cookie } });
    await app.inject({ method: 'GET', url: `/api/v1/patients?q=${encodeURIComponent(SECRET.mrn)}`, headers: { cookie } });
    await app.inject({ method: 'GET', url: `/api/v1/patients/${id}`, headers: { cookie } });
    // A refused edit echoing the data back, a 404 whose URL holds the MRN, and a 5xx carrying it everywhere.
    await app.inject({ method: 'PUT', url: `/api/v1/patients/${id}`, headers: { cookie, 'if-match': 'W/"9"' }, payload: { mrn: SECRET.mrn, familyName: SECRET.familyName } });
    await app.inject({ method: 'GET', url: `/api/v1/no-such-route/${SECRET.mrn}?name=${SECRET.familyName}`, headers: { cookie } });
    await app.inject({
      method: 'POST', url: `/api/v1/test/boom?q=${SECRET.familyName}`, headers: { cookie, authorization: `Bearer ${SECRET.mrn}`, 'x-patient': SECRET.givenName },
      payload: { familyName: SECRET.familyName, mrn: SECRET.mrn, password: SECRET.wrongPassword },
    });
    await new Promise((r) => setImmediate(r));
  });
  afterAll(async () => { await app?.close(); await db?.cleanup(); });

  test('the requests were logged (request lines and the failure)', () => {
    expect(log).toContain('"route":"/api/v1/patients"');
    expect(log).toContain('"route":"/api/v1/patients/:id"');
    expect(log).toMatch(/"msg":"request failed"/);
    expect(log).toContain('simulated failure');
  });

  test('the 5xx log line carries the request id the caller received', () => {
    const failed = log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; reqId?: string }).find((l) => l.msg === 'request failed');
    expect(failed?.reqId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test.each(Object.entries(SECRET))('no log line contains the %s', (_what, value) => {
    expect(log).not.toContain(value);
  });

  test('no log line contains the session cookie', () => {
    expect(log).not.toContain(cookie.split('=')[1]!);
  });

  test('the logger redacts patient fields and credentials wherever a caller puts them (first three levels)', () => {
    let out = '';
    const logger = makeLogger('info', new Writable({ write(c, _e, d) { out += String(c); d(); } }));
    logger.info({
      familyName: SECRET.familyName, patient: { mrn: SECRET.mrn, birthDate: SECRET.birthDate, guardians: [{ name: SECRET.guardian }] },
      req: { headers: { cookie: 'tb_session=abc', authorization: 'Bearer xyz' }, query: { q: SECRET.familyName }, body: { givenName: SECRET.givenName } },
      login: { password: SECRET.wrongPassword, token: 'tok-123' },
    }, 'something happened');
    for (const v of [...Object.values(SECRET), 'tb_session=abc', 'Bearer xyz', 'tok-123']) expect(out).not.toContain(v);
    expect(out).toContain('[redacted]');
  });
});
