import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp, type App } from '../../src/http/app.js';
import { auth, LOGIN_REFUSED_MESSAGE, LOGIN_THROTTLE, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../src/services/auth.service.js';
import { DEMO_PASSWORD } from '../../src/services/demo.service.js';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

const newPatient = () => ({
  mrn: `SEC-${Math.random().toString(36).slice(2, 9)}`, familyName: 'Csrftest', givenName: 'Robin', birthDate: '2013-03-09',
  sex: 'male', preferredLanguage: 'English', interpreterNeeded: false, homeCountry: 'United States', guardians: [],
});

const MINUTE = 60_000;

describe.each(DIALECTS)('HTTP hardening and session controls on %s', (dialect) => {
  let t: TestApi;
  let clock = Date.parse('2026-03-02T09:00:00Z');
  let coord: string;
  /** A second app on the same database, with test-only routes (a route that fails, a FHIR-path echo). */
  let side: App;

  beforeAll(async () => {
    t = await testApi(dialect, { now: () => new Date(clock) });
    coord = await t.login('coordinator');
    side = await buildApp({ services: t.services, loginRateLimit: 1000 });
    side.get('/api/v1/test/boom', { config: { public: true } }, async () => {
      throw new Error('connection reset while writing row 42 (internal detail)');
    });
    side.post('/fhir/R4/test-echo', { config: { public: true } }, async () => ({ ok: true }));
  });
  afterAll(async () => { await side?.close(); await t?.close(); });

  const inject = (app: App, method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string> = {}, payload?: unknown) =>
    app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
  const patientCount = async () => json(await inject(t.app, 'GET', '/api/v1/patients?limit=1', { cookie: coord })).total as number;
  const login = (username: string, password: string, app: App = t.app) =>
    inject(app, 'POST', '/api/v1/auth/login', {}, { username, password });

  describe('security headers', () => {
    test('an API answer carries a strict CSP without inline script, and the other security headers', async () => {
      const res = await inject(t.app, 'GET', '/api/v1/patients?limit=1', { cookie: coord });
      expect(res.statusCode).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
      expect(directives.get('default-src')).toEqual(["'self'"]);
      expect(directives.get('script-src')).toEqual(["'self'"]);
      expect(directives.get('script-src-attr')).toEqual(["'none'"]);
      expect(directives.get('base-uri')).toEqual(["'self'"]);
      expect(directives.get('form-action')).toEqual(["'self'"]);
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(directives.get('object-src')).toEqual(["'none'"]);
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['permissions-policy']).toMatch(/camera=\(\)/);
      expect(res.headers['permissions-policy']).toMatch(/geolocation=\(\)/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    });

    test.each([
      ['a patient list', '/api/v1/patients?limit=1'], ['the signed-in user', '/api/v1/auth/me'], ['a missing API path', '/api/v1/nothing-here'],
    ])('%s is never cached (Cache-Control: no-store)', async (_what, url) => {
      const res = await inject(t.app, 'GET', url, { cookie: coord });
      expect(res.headers['cache-control']).toBe('no-store');
    });
  });

  describe('cross-site request forgery', () => {
    test.each([
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }, 'sec-fetch-site'],
      ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }, 'sec-fetch-site'],
      ['a foreign Origin', { origin: 'https://evil.example' }, 'origin'],
      ['Origin: null', { origin: 'null' }, 'origin'],
      ['a same-origin fetch with a foreign Origin', { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:81' }, 'origin'],
    ])('a cookie-authenticated create with %s is refused with 403 naming the header, and changes nothing', async (_what, headers, field) => {
      const before = await patientCount();
      const res = await inject(t.app, 'POST', '/api/v1/patients', { cookie: coord, ...headers }, newPatient());
      expect(res.statusCode).toBe(403);
      expect(json(res).error).toMatchObject({ code: 'forbidden', field });
      expect(await patientCount()).toBe(before);
    });

    test.each([
      ['a same-origin browser fetch', { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80' }],
      ['a non-browser client (neither header)', {}],
      ['a browser without Fetch Metadata sending its own Origin', { origin: 'http://localhost:80' }],
    ])('%s may create', async (_what, headers) => {
      const res = await inject(t.app, 'POST', '/api/v1/patients', { cookie: coord, ...headers }, newPatient());
      expect(res.statusCode).toBe(201);
    });

    test('a cross-site read is not refused (only state changes are checked)', async () => {
      const res = await inject(t.app, 'GET', '/api/v1/patients?limit=1', { cookie: coord, 'sec-fetch-site': 'cross-site' });
      expect(res.statusCode).toBe(200);
    });

    test('a FHIR request authenticated with a Bearer token is exempt; with the cookie alone it is not', async () => {
      const cross = { cookie: coord, 'sec-fetch-site': 'cross-site' };
      expect((await inject(side, 'POST', '/fhir/R4/test-echo', { ...cross, authorization: 'Bearer abc' }, {})).statusCode).toBe(200);
      expect((await inject(side, 'POST', '/fhir/R4/test-echo', cross, {})).statusCode).toBe(403);
    });
  });

  describe('content types, body limits and server errors', () => {
    test.each([
      ['text/plain', 'mrn=1'], ['application/x-www-form-urlencoded', 'mrn=1'], ['application/xml', '<patient/>'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="mrn"\r\n\r\n1\r\n--x--\r\n'],
    ])('a JSON route answers %s with 415 naming content-type, creating nothing', async (type, body) => {
      const before = await patientCount();
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/patients', payload: body, headers: { cookie: coord, 'content-type': type } });
      expect(res.statusCode).toBe(415);
      expect(json(res).error).toMatchObject({ code: 'unsupported_media_type', field: 'content-type' });
      expect(await patientCount()).toBe(before);
    });

    test('an over-long path segment is refused in the app\'s own error format, naming the path and not echoing it', async () => {
      const long = 'x'.repeat(150);
      const api = await inject(t.app, 'GET', `/api/v1/patients/${long}`, { cookie: coord });
      expect(api.statusCode).toBe(400);
      expect(json(api).error.field).toBe('(path)');
      expect(api.body).not.toContain(long);
      expect(api.headers['cache-control']).toBe('no-store');
      const fhir = await inject(t.app, 'GET', `/fhir/R4/Patient/${long}/$everything`, { cookie: coord });
      expect([400, 404]).toContain(fhir.statusCode);
      expect(json(fhir).resourceType).toBe('OperationOutcome');
    });

    test('application/json with a charset is accepted', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/patients', payload: JSON.stringify(newPatient()), headers: { cookie: coord, 'content-type': 'application/json; charset=utf-8' } });
      expect(res.statusCode).toBe(201);
    });

    test('a JSON body over the API default limit is 413 naming the limit', async () => {
      const res = await inject(t.app, 'POST', '/api/v1/patients', { cookie: coord }, { ...newPatient(), familyName: 'x'.repeat(300 * 1024) });
      expect(res.statusCode).toBe(413);
      expect(json(res).error).toMatchObject({ code: 'payload_too_large', field: '(body)' });
      expect(json(res).error.message).toContain('256 KB');
    });

    test('the sign-in route has its own small limit (4 KB), named in the 413', async () => {
      const res = await login('coordinator', 'x'.repeat(5000));
      expect(res.statusCode).toBe(413);
      expect(json(res).error.message).toContain('4 KB');
    });

    test('a trial import takes a larger body than the JSON default (its own limit)', async () => {
      const admin = await t.login('admin');
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/trials/import', payload: JSON.stringify({ studies: [], pad: 'x'.repeat(300 * 1024) }), headers: { cookie: admin, 'content-type': 'application/json' } });
      expect(res.statusCode).not.toBe(413);
      expect(res.statusCode).toBeLessThan(500);
    });

    test('an unexpected failure answers a generic 500 with the request id, and no detail', async () => {
      const res = await inject(side, 'GET', '/api/v1/test/boom');
      expect(res.statusCode).toBe(500);
      const body = json(res);
      expect(body).toEqual({ error: { code: 'internal', message: 'internal error', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
      expect(res.body).not.toContain('row 42');
    });
  });

  describe('login throttling per account', () => {
    test('five wrong passwords lock the account: the right password is then refused the same way, until the lock expires', async () => {
      const bodies = [];
      for (let i = 0; i < LOGIN_THROTTLE.maxFailures; i++) {
        const res = await login('orthopedic', `wrong-password-${i}`);
        expect(res.statusCode).toBe(401);
        bodies.push(json(res));
      }
      const locked = await login('orthopedic', DEMO_PASSWORD);
      expect(locked.statusCode).toBe(401);
      expect(json(locked)).toEqual(bodies[0]);
      expect(json(locked).error.message).toBe(LOGIN_REFUSED_MESSAGE);
      // The lock is in the database: another app node refuses too.
      expect((await login('orthopedic', DEMO_PASSWORD, side)).statusCode).toBe(401);
      clock += LOGIN_THROTTLE.lockMs - MINUTE;
      expect((await login('orthopedic', DEMO_PASSWORD)).statusCode).toBe(401);
      clock += MINUTE + 1000;
      expect((await login('orthopedic', DEMO_PASSWORD)).statusCode).toBe(200);
    });

    test('the lock and every refusal are audited', async () => {
      const admin = await t.login('admin');
      const items = json(await inject(t.app, 'GET', '/api/v1/admin/audit?action=login_failed&limit=100', { cookie: admin })).items as Array<{ username: string; detail: string; outcome: string }>;
      const mine = items.filter((e) => e.username === 'orthopedic');
      expect(mine.some((e) => e.detail.startsWith('account_locked_until:'))).toBe(true);
      expect(mine.some((e) => e.detail === 'locked')).toBe(true);
      expect(mine.filter((e) => e.detail === 'bad_password')).toHaveLength(LOGIN_THROTTLE.maxFailures);
      expect(mine.every((e) => e.outcome === 'denied')).toBe(true);
    });

    test('an unknown username is answered exactly like a known one, locked or not (no user enumeration)', async () => {
      const known = await login('surgeon', 'wrong-password-x');
      const unknown = await login('no-such-user', 'wrong-password-x');
      expect(unknown.statusCode).toBe(known.statusCode);
      expect(json(unknown)).toEqual(json(known));
      for (let i = 0; i < LOGIN_THROTTLE.maxFailures; i++) await login('no-such-user', 'wrong-password-x');
      expect(json(await login('no-such-user', 'wrong-password-x'))).toEqual(json(known));
      clock += LOGIN_THROTTLE.lockMs + 1000;
    });

    test('failures older than the window do not add up to a lock', async () => {
      for (let i = 0; i < LOGIN_THROTTLE.maxFailures - 1; i++) await login('radiation', 'wrong-password-y');
      clock += LOGIN_THROTTLE.windowMs + 1000;
      for (let i = 0; i < LOGIN_THROTTLE.maxFailures - 1; i++) await login('radiation', 'wrong-password-y');
      expect((await login('radiation', DEMO_PASSWORD)).statusCode).toBe(200);
    });

    test('sign-in attempts per client address are limited too (429 past the limit, per minute)', async () => {
      const limited = await buildApp({ services: t.services, loginRateLimit: 3 });
      try {
        // Counts are kept in the database per route and address: start this address's window afresh.
        await t.services.store.db.deleteFrom('rate_limits').execute();
        const codes = [];
        for (let i = 0; i < 4; i++) codes.push((await login(`address-test-${i}`, 'wrong-password-w', limited)).statusCode);
        expect(codes).toEqual([401, 401, 401, 429]);
        const last = await login('coordinator', DEMO_PASSWORD, limited);
        expect(last.statusCode).toBe(429);
        expect(json(last).error.code).toBe('rate_limited');
      } finally {
        await limited.close();
      }
    });

    test('the per-address limit is one count across app nodes sharing the database', async () => {
      const nodeA = await buildApp({ services: t.services, loginRateLimit: 3 });
      const nodeB = await buildApp({ services: t.services, loginRateLimit: 3 });
      try {
        // A fresh window for this address on the login route, whatever earlier tests counted.
        await t.services.store.db.deleteFrom('rate_limits').execute();
        const codes = [];
        for (const [i, node] of [nodeA, nodeB, nodeA, nodeB].entries()) codes.push((await login(`two-node-${i}`, 'wrong-password-n', node)).statusCode);
        expect(codes).toEqual([401, 401, 401, 429]);
        // The address is counted by its hash: no address is stored.
        const keys = (await t.services.store.db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key);
        expect(keys.length).toBeGreaterThan(0);
        expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k))).toBe(true);
      } finally {
        await nodeA.close();
        await nodeB.close();
      }
    });

    test('a successful sign-in forgets earlier failures', async () => {
      for (let i = 0; i < LOGIN_THROTTLE.maxFailures - 1; i++) await login('pathologist', 'wrong-password-z');
      expect((await login('pathologist', DEMO_PASSWORD)).statusCode).toBe(200);
      for (let i = 0; i < LOGIN_THROTTLE.maxFailures - 1; i++) await login('pathologist', 'wrong-password-z');
      expect((await login('pathologist', DEMO_PASSWORD)).statusCode).toBe(200);
    });
  });

  describe('sessions', () => {
    const me = async (cookie: string) => json(await inject(t.app, 'GET', '/api/v1/auth/me', { cookie })).user as { username: string } | null;

    test('a session left idle for 30 minutes ends', async () => {
      const cookie = await t.login('travel');
      clock += SESSION_IDLE_MS - MINUTE;
      expect(await me(cookie)).toMatchObject({ username: 'travel' });
      clock += SESSION_IDLE_MS + 1000;
      expect(await me(cookie)).toBeNull();
      expect((await inject(t.app, 'GET', '/api/v1/patients', { cookie })).statusCode).toBe(401);
    });

    test('a session in constant use still ends 12 hours after sign-in', async () => {
      const cookie = await t.login('trials');
      const start = clock;
      while (clock + 20 * MINUTE < start + SESSION_ABSOLUTE_MS) {
        clock += 20 * MINUTE;
        expect(await me(cookie)).toMatchObject({ username: 'trials' });
      }
      clock = start + SESSION_ABSOLUTE_MS + 1000;
      expect(await me(cookie)).toBeNull();
    });

    test('logout everywhere ends every session of the account, and only that account', async () => {
      const laptop = await t.login('medonc');
      const phone = await t.login('medonc');
      const other = await t.login('ent');
      const res = await inject(t.app, 'POST', '/api/v1/auth/logout-everywhere', { cookie: laptop });
      expect(res.statusCode).toBe(200);
      expect(json(res)).toEqual({ ended: 2 });
      expect(res.cookies.find((c) => c.name === 'tb_session')?.value).toBe('');
      expect(await me(laptop)).toBeNull();
      expect(await me(phone)).toBeNull();
      expect(await me(other)).toMatchObject({ username: 'ent' });
      const admin = await t.login('admin');
      const audit = json(await inject(t.app, 'GET', '/api/v1/admin/audit?action=logout&limit=20', { cookie: admin })).items as Array<{ username: string; detail: string }>;
      expect(audit.some((e) => e.username === 'medonc' && e.detail === 'all_sessions:2')).toBe(true);
    });

    test('logout everywhere without a session answers 401', async () => {
      const res = await inject(t.app, 'POST', '/api/v1/auth/logout-everywhere');
      expect(res.statusCode).toBe(401);
    });

    test('logout everywhere from another site is refused', async () => {
      const cookie = await t.login('ent');
      const res = await inject(t.app, 'POST', '/api/v1/auth/logout-everywhere', { cookie, 'sec-fetch-site': 'cross-site' });
      expect(res.statusCode).toBe(403);
      expect(await me(cookie)).toMatchObject({ username: 'ent' });
    });
  });

  describe('re-authentication before a sensitive step', () => {
    test('the own password passes; a wrong one is refused naming password, counts towards the lock, and a locked account cannot re-authenticate', async () => {
      const { actor } = await auth.login(t.services, 'neurosurgeon', DEMO_PASSWORD, null, null);
      await expect(auth.reauthenticate(t.services, actor, DEMO_PASSWORD, 'exporting')).resolves.toBeUndefined();
      for (let i = 0; i < LOGIN_THROTTLE.maxFailures; i++) {
        await expect(auth.reauthenticate(t.services, actor, 'not-my-password', 'exporting')).rejects.toMatchObject({ code: 'forbidden', field: 'password', message: 'password: incorrect; exporting needs your own password' });
      }
      await expect(auth.reauthenticate(t.services, actor, DEMO_PASSWORD, 'exporting')).rejects.toMatchObject({ code: 'forbidden' });
      expect((await login('neurosurgeon', DEMO_PASSWORD)).statusCode).toBe(401);
      clock += LOGIN_THROTTLE.lockMs + 1000;
      await expect(auth.reauthenticate(t.services, actor, DEMO_PASSWORD, 'exporting')).resolves.toBeUndefined();
    });
  });

  describe('password policy at user creation', () => {
    const user = (username: string, password: string) => ({ username, displayName: 'Policy Test', role: 'coordinator', password });

    test.each([
      ['a breached password', 'qwerty123456', 'common password'],
      ['a password containing the username', 'policy.user-2026!', 'username'],
      ['a short password', 'short-pass', 'at least 12'],
    ])('%s is refused with 400 naming password', async (_what, password, says) => {
      const admin = await t.login('admin');
      const res = await inject(t.app, 'POST', '/api/v1/admin/users', { cookie: admin }, user('policy.user', password));
      expect(res.statusCode).toBe(400);
      expect(json(res).error.field).toBe('password');
      expect(json(res).error.message).toContain(says);
    });

    test('a long unusual passphrase is accepted and signs in', async () => {
      const admin = await t.login('admin');
      const res = await inject(t.app, 'POST', '/api/v1/admin/users', { cookie: admin }, user('policy.user', 'lantern orbit maple 7'));
      expect(res.statusCode).toBe(201);
      expect((await login('policy.user', 'lantern orbit maple 7')).statusCode).toBe(200);
    });
  });
});
