import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Dialect } from '../../src/store/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';
import { changedTables, snapshot, userTables } from './db-snapshot.js';
import { buildFixtures, kindOf, plainValue, type Fixtures } from './fixtures.js';
import { call, type Answer } from './http-client.js';
import { apiRoutes, routeCatalog, type CatalogRoute } from './route-catalog.js';

/**
 * Issue 9 item 7: random and malformed requests against every route of the running app (the catalog comes from
 * buildApp's onRoute hook, so later routes are fuzzed too). Never a 5xx; a 400 names the field; a 4xx changes
 * nothing in the database; the server answers /health afterwards. Fixed seed (FUZZ_SEED to replay; printed on failure).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const RUNS = Number(process.env.FUZZ_RUNS ?? 15);
const routes = apiRoutes(await routeCatalog());
const USERS = ['admin', 'coordinator', 'oncologist'] as const;

// ---- generators -------------------------------------------------------------------------------------------------

const huge = fc.constantFrom('a'.repeat(70_000), 'é'.repeat(20_000), '\u{1F600}'.repeat(5_000));
const nasty = fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', '%00', "' or 1=1 --", '<script>alert(1)</script>', 'NaN', '-1', '1e309', '\u202e\u0301', 'null', 'undefined', '__proto__', 'constructor', '{"a":1}');
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 40 }), nasty, huge);
/** Strings for paths and query strings: long ones stay under Node's 16 KB header limit (beyond it Node answers 431). */
const urlString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 40 }), nasty, fc.constantFrom('a'.repeat(3_000), 'é'.repeat(600), '\u{1F600}'.repeat(300)));
const scalar = fc.oneof(anyString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(-1, 0, 2 ** 53, Number.MAX_SAFE_INTEGER));
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }));

/** Top-level keys a zod object schema declares (empty when the schema is not an object). */
function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

/** An object with the schema's keys (some left out) filled with values of random, mostly wrong, types; plus stray keys. */
function objectFor(schema: unknown): fc.Arbitrary<Record<string, unknown>> {
  const keys = keysOf(schema);
  const declared = keys.length ? fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }) : fc.constant({});
  return fc.tuple(declared, fc.dictionary(fc.string({ maxLength: 10 }), scalar, { maxKeys: 2 })).map(([a, b]) => ({ ...b, ...a }));
}

type Body = { kind: 'none' } | { kind: 'raw'; text: string } | { kind: 'json'; value: unknown };

function bodyFor(route: CatalogRoute): fc.Arbitrary<Body> {
  return fc.oneof(
    { weight: 4, arbitrary: objectFor(route.schema.body).map((value): Body => ({ kind: 'json', value })) },
    { weight: 1, arbitrary: fc.jsonValue().map((value): Body => ({ kind: 'json', value })) },
    {
      weight: 2, arbitrary: fc.constantFrom(
        '{"a":', '{', '[', '"', 'nul', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}',
        '{"a":1,"a":2}', '\u0000', '{"x":"\ud800"}', `{"s":"${'b'.repeat(300_000)}"}`, '1e99999', '[]', 'true', '',
      ).map((text): Body => ({ kind: 'raw', text })),
    },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
  );
}

function paramFor(route: CatalogRoute, name: string, fx: Fixtures): fc.Arbitrary<string> {
  const kind = kindOf(route, name);
  const valid = kind ? fc.constantFrom(fx.own[kind], fx.other[kind]) : fc.constant(plainValue(route, name));
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: urlString.filter((s) => s.length > 0) }, { weight: 1, arbitrary: fc.constant('x'.repeat(2_000)) });
}

function queryFor(route: CatalogRoute): fc.Arbitrary<Record<string, string>> {
  const keys = [...keysOf(route.schema.querystring), 'token', 'limit', 'offset'];
  return fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 6 })), fc.oneof(urlString, fc.integer().map(String)), { maxKeys: 3 });
}

const headersArb = fc.record({
  'content-type': fc.constantFrom('application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/json; charset=utf-16', 'application/fhir+json', 'garbage/'),
  'if-match': fc.constantFrom('W/"1"', '"1"', '*', 'W/', '"99999999999"', '\u00e9t\u00e9', 'W/"-1"', ''),
  accept: fc.constantFrom('application/json', '*/*', 'text/html', 'application/fhir+json'),
}, { requiredKeys: [] });

interface Attempt { user: (typeof USERS)[number]; params: string[]; query: Record<string, string>; body: Body; headers: Record<string, string> }

function attemptFor(route: CatalogRoute, fx: Fixtures): fc.Arbitrary<Attempt> {
  return fc.record({
    user: fc.constantFrom(...USERS),
    params: fc.tuple(...route.params.map((p) => paramFor(route, p, fx))) as fc.Arbitrary<string[]>,
    query: queryFor(route),
    body: bodyFor(route),
    headers: headersArb,
  });
}

function urlOf(route: CatalogRoute, a: Attempt): string {
  let i = 0;
  const path = route.url.replace(/:([A-Za-z0-9_]+)|\*/g, (m) => (m === '*' ? a.params[i++]! : encodeURIComponent(a.params[i++]!)));
  const qs = new URLSearchParams(a.query).toString();
  return qs ? `${path}?${qs}` : path;
}

/** A 4xx from the API says which field is wrong; FHIR answers are OperationOutcomes with an issue. */
function namesTheProblem(route: CatalogRoute, res: Answer): boolean {
  // Node's HTTP parser refuses an over-long URL or header block (431) before the app sees the request.
  if (res.status === 431) return true;
  let parsed: unknown;
  try { parsed = JSON.parse(res.text); } catch { return false; }
  if (route.url.startsWith('/fhir/')) return Array.isArray((parsed as { issue?: unknown[] }).issue);
  const e = (parsed as { error?: { code?: string; message?: string; field?: string; issues?: unknown[] } }).error;
  if (!e?.code || !e.message) return false;
  return res.status !== 400 || !!e.field || (Array.isArray(e.issues) && e.issues.length > 0);
}

// SQLite gets the full run; PostgreSQL a third of it (same generators and seed), to keep both near a minute.
const RUNS_BY_DIALECT: Record<Dialect, number> = { sqlite: RUNS, postgres: Math.max(3, Math.ceil(RUNS / 3)) };

describe.each(DIALECTS)('fuzzing every route on %s', (dialect) => {
  let api: TestApi;
  let fx: Fixtures;
  let base = '';
  let tables: string[] = [];
  let before: Record<string, string> = {};
  const cookies = new Map<string, string>();
  /** Answers by status class, printed at the end (to see the fuzzer reached past validation now and then). */
  const statuses = new Map<string, number>();

  beforeAll(async () => {
    api = await testApi(dialect);
    fx = await buildFixtures(api.services);
    for (const u of USERS) cookies.set(u, await api.login(u));
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    tables = await userTables(api.services.store);
    before = await snapshot(api.services.store, tables);
  });
  afterAll(async () => { await api?.close(); });

  test.each(routes.map((r) => ({ name: r.name, route: r })))('$name: no 5xx, a named field, no change on a 4xx', async ({ route }) => {
    await fc.assert(fc.asyncProperty(attemptFor(route, fx), async (a) => {
      const url = urlOf(route, a);
      const headers = { ...a.headers };
      const body = a.body.kind === 'none' ? undefined : a.body.kind === 'raw' ? a.body.text : JSON.stringify(a.body.value);
      if (body === undefined) delete headers['content-type'];
      // Logging out would end the fuzzing session: public routes are called without one.
      const res = await call(base, { method: route.method, url, cookie: route.public ? undefined : cookies.get(a.user), headers, ...(body !== undefined ? { body } : {}) });
      const what = `${route.method} ${url.slice(0, 200)} as ${a.user} → ${res.status} ${res.text.slice(0, 300)}`;
      statuses.set(String(res.status), (statuses.get(String(res.status)) ?? 0) + 1);
      expect(res.status, what).toBeLessThan(500);
      if (res.status >= 400) {
        expect(namesTheProblem(route, res), `${what}: the error does not name the problem`).toBe(true);
        const after = await snapshot(api.services.store, tables);
        expect(changedTables(before, after), `${what}: a refused request changed the database`).toEqual([]);
      } else {
        before = await snapshot(api.services.store, tables);
      }
    }), { seed: SEED, numRuns: RUNS_BY_DIALECT[dialect], endOnFailure: true });
  });

  test('the server still answers after the run', async () => {
    const res = await call(base, { method: 'GET', url: '/api/v1/health' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: 'ok' });
    // The app runs in this process: a polluted Object.prototype would show here.
    expect(Object.prototype).not.toHaveProperty('admin');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    console.log(`fuzz on ${dialect}: seed ${SEED}, ${RUNS_BY_DIALECT[dialect]} runs per route, ${routes.length} routes; answers by status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  });

  test('a malformed multipart referral is refused with 400, not a server error (found by this fuzzer)', async () => {
    for (const [type, payload] of [['multipart/form-data; boundary=zz', '{"a":1}'], ['multipart/form-data', 'x'], ['multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data; name="referral"\r\n\r\n{}\r\n']] as const) {
      const res = await call(base, { method: 'POST', url: '/api/v1/referrals/public', headers: { 'content-type': type }, body: payload });
      expect(res.status, `${type}: ${res.text}`).toBe(400);
      expect(JSON.parse(res.text).error.field).toBe('(body)');
    }
  });

  test('the database snapshot notices a change (so "nothing changed" means something)', async () => {
    const a = await snapshot(api.services.store, tables);
    await api.services.store.db.updateTable('patients').set({ updated_at: '1999-01-01T00:00:00.000Z' }).where('id', '=', fx.own.patient).execute();
    const b = await snapshot(api.services.store, tables);
    expect(changedTables(a, b)).toEqual(['patients']);
  });
});
