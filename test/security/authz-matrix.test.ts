import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { can, PERMISSIONS } from '../../src/domain/auth/permissions.js';
import { DEMO_USERS } from '../../src/services/demo.service.js';
import { testApi, type TestApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';
import { buildFixtures, fillUrl, SHARED_KINDS, type Fixtures } from './fixtures.js';
import { call } from './http-client.js';
import { apiRoutes, routeCatalog, type CatalogRoute } from './route-catalog.js';

// The routes come from the app itself (buildApp's onRoute hook), so a route added later is in the matrix at once.
const catalog = await routeCatalog();
const routes = apiRoutes(catalog);

/** One demo account per role at the main institution (LCH), and the coordinator of the second one (RCM). */
const ROLE_USERS: Array<{ user: string; role: string; home: 'own' | 'other' }> = [
  ...[...new Set(DEMO_USERS.map((u) => u[2] as string))].map((role) => ({ user: DEMO_USERS.find((u) => u[2] === role)![0] as string, role, home: 'own' as const })),
  { user: 'riverside', role: 'coordinator', home: 'other' },
];

type Scope = 'own institution' | 'other institution' | 'no record';
type Expect = 'unauthenticated' | 'forbidden' | 'allowed' | 'hidden' | 'shared' | 'answers';
interface Row { name: string; route: CatalogRoute; user?: string; role?: string; home?: 'own' | 'other'; scope: Scope | 'no session'; expect: Expect }

function expectation(route: CatalogRoute, role: string | undefined, scope: Row['scope']): Expect {
  if (route.public) return 'answers';
  if (!role) return 'unauthenticated';
  if (!route.permission || !can(role, route.permission)) return 'forbidden';
  if (scope !== 'other institution') return 'allowed';
  // A route whose records are all shared by design (the trial catalogue): readable by all, changed by the owner only.
  return fillUrl(route, {} as never).kinds.every((k) => SHARED_KINDS.has(k)) ? 'shared' : 'hidden';
}

const rows: Row[] = [];
for (const route of routes) {
  rows.push({ name: `${route.name} · no session`, route, scope: 'no session', expect: expectation(route, undefined, 'no session') });
  // Public routes (login, logout, the public referral form, health…) answer anyone: only "never 5xx" is checked, without
  // a session (a logout with a session would end the account's session for the rest of the matrix).
  if (route.public) continue;
  const scoped = fillUrl(route, {} as never).scoped;
  for (const u of ROLE_USERS) {
    for (const scope of (scoped ? ['own institution', 'other institution'] : ['no record']) as Scope[]) {
      rows.push({ name: `${route.name} · ${u.user} (${u.role}${u.home === 'other' ? ', RCM' : ''}) · ${scope}`, route, user: u.user, role: u.role, home: u.home, scope, expect: expectation(route, u.role, scope) });
    }
  }
}

describe('the route catalog', () => {
  test('finds the API routes of every module', () => {
    const prefixes = new Set(routes.map((r) => r.url.split('/').slice(0, 4).join('/')));
    for (const p of ['/api/v1/patients', '/api/v1/cases', '/api/v1/conferences', '/api/v1/referrals', '/api/v1/trials', '/api/v1/admin', '/fhir/R4/:type']) {
      expect(prefixes, p).toContain(p);
    }
    expect(routes.length).toBeGreaterThan(60);
  });

  test('every API route declares a permission or public, as the app enforces at start-up', () => {
    const undeclared = routes.filter((r) => !r.permission && !r.public).map((r) => r.name);
    expect(undeclared).toEqual([]);
    const both = routes.filter((r) => r.permission && r.public).map((r) => r.name);
    expect(both).toEqual([]);
  });

  test('every permission a route needs is held by at least one role', () => {
    const orphan = routes.filter((r) => r.permission && (PERMISSIONS[r.permission] as readonly string[]).length === 0).map((r) => `${r.name} needs ${r.permission}`);
    expect(orphan).toEqual([]);
    for (const r of routes) if (r.permission) expect(Object.keys(PERMISSIONS), r.name).toContain(r.permission);
  });

  test('the matrix covers every route for every role', () => {
    for (const r of routes.filter((x) => !x.public)) {
      for (const u of ROLE_USERS) expect(rows.some((row) => row.route === r && row.user === u.user), `${r.name} × ${u.user}`).toBe(true);
    }
  });
});

describe.each(DIALECTS)('authorization matrix on %s', (dialect) => {
  let api: TestApi;
  let fx: Fixtures;
  let base = '';
  const cookies = new Map<string, string>();

  beforeAll(async () => {
    api = await testApi(dialect);
    fx = await buildFixtures(api.services);
    for (const u of ROLE_USERS) cookies.set(u.user, await api.login(u.user));
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { await api?.close(); });

  test.each(rows)('$name', async (row) => {
    const own = row.home === 'other' ? fx.other : fx.own;
    const foreign = row.home === 'other' ? fx.own : fx.other;
    const { url } = fillUrl(row.route, row.scope === 'other institution' ? foreign : own);
    const res = await call(base, {
      method: row.route.method, url, cookie: row.user ? cookies.get(row.user) : undefined,
      // An ETag so updates get past the If-Match check to the record lookup; an empty JSON body where one is read.
      headers: { 'if-match': 'W/"1"' },
      ...(row.route.schema.body ? { body: {} } : {}),
    });
    const what = `${row.route.method} ${url} → ${res.status} ${res.text.slice(0, 300)}`;
    expect(res.status, what).toBeLessThan(500);
    switch (row.expect) {
      case 'answers': break;
      case 'unauthenticated': expect(res.status, what).toBe(401); break;
      case 'forbidden': expect(res.status, what).toBe(403); break;
      case 'allowed': expect([401, 403], what).not.toContain(res.status); break;
      case 'hidden': expect([400, 404], what).toContain(res.status); break;
      case 'shared':
        if (row.route.method === 'GET') expect([401, 403], what).not.toContain(res.status);
        else expect(res.status, what).toBeGreaterThanOrEqual(400);
        break;
    }
    if (res.status < 300 && row.user) {
      // Nothing of the other institution in any answer (lists, searches, reports…).
      const theirs = row.home === 'other' ? fx.ids.own : fx.ids.other;
      const leaked = theirs.filter((id) => res.text.includes(id));
      expect(leaked, `${what}: names records of the other institution`).toEqual([]);
    }
  });
});
