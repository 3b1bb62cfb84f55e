import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { verifyAuditChain } from '../../src/services/audit-report.js';
import { loadDemo } from '../../src/services/demo.service.js';
import { freshStore, type TestStore } from '../support/stores.js';
import { auditVerify, killServer, login, patientBody, PG_OFF, requireBuild, sleep, startServer, type Server } from './support.js';

/**
 * Fault test (issue #9 item 6): two app nodes (built servers) on one PostgreSQL database, clients alternating between
 * them. (a) Concurrent compare-and-set updates of one record from both nodes lose no acknowledged update: every
 * acknowledged update is one increment of the record. (b) Creates whose first answer is lost (the request aborted
 * on node A, or its answer ignored) and that are retried with the same Idempotency-Key on node B give exactly one
 * record per key. Loopback only; a throwaway database on the shared server.
 */

const UPDATERS = 6;
const UPDATES_EACH = 12;
const CREATES = 30;

describe.skipIf(PG_OFF)('two app nodes on one PostgreSQL database (built servers)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-twonodes-'));
  let db: TestStore | undefined;
  const nodes: Server[] = [];
  let cookie = '';
  afterAll(async () => {
    for (const n of nodes) await killServer(n);
    await db?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const url = (i: number) => nodes[i % nodes.length]!.url;
  const send = (i: number, p: string, init: RequestInit = {}) =>
    fetch(`${url(i)}/api/v1${p}`, { ...init, headers: { cookie, 'content-type': 'application/json', ...(init.headers as Record<string, string>) }, signal: init.signal ?? AbortSignal.timeout(15_000) });

  test('both nodes start on one database and share sessions', async () => {
    requireBuild();
    db = await freshStore('postgres');
    await loadDemo({ store: db.store, now: () => new Date() }, { patients: 2 });
    const databaseUrl = db.location.databaseUrl!;
    // One after the other: the first creates the server key file both nodes read.
    nodes.push(await startServer({ cwd: dir, databaseUrl }));
    nodes.push(await startServer({ cwd: dir, databaseUrl }));
    cookie = await login(url(0));
    expect((await send(1, '/patients?limit=1')).status).toBe(200);
  }, 40_000);

  test('concurrent If-Match updates from both nodes: one wins per version and no acknowledged update is lost', async () => {
    const created = await send(0, '/patients', { method: 'POST', body: patientBody('TWO-COUNTER') });
    expect(created.status).toBe(201);
    const patient = await created.json() as Record<string, unknown> & { id: string };
    const base = JSON.parse(patientBody('TWO-COUNTER')) as Record<string, unknown>;
    const answers = new Map<number, number>();
    let acked = 0;

    // Each updater reads the record on one node and writes "count + 1" with its version on the other node.
    const updater = async (u: number) => {
      for (let done = 0, i = 0; done < UPDATES_EACH; i++) {
        if (i > UPDATES_EACH * 40) throw new Error(`updater ${u} starved`);
        const read = await send(u + i, `/patients/${patient.id}`);
        expect(read.status).toBe(200);
        const cur = await read.json() as { givenName: string; version: number };
        expect(read.headers.get('etag')).toBe(`W/"${cur.version}"`);
        const count = Number(/^Count (\d+)$/.exec(cur.givenName)?.[1] ?? 0);
        const res = await send(u + i + 1, `/patients/${patient.id}`, {
          method: 'PUT', headers: { 'if-match': `W/"${cur.version}"` }, body: JSON.stringify({ ...base, givenName: `Count ${count + 1}` }),
        });
        answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
        await res.arrayBuffer();
        if (res.status === 200) { acked++; done++; }
      }
    };
    await Promise.all(Array.from({ length: UPDATERS }, (_, u) => updater(u)));

    expect([...answers.keys()].filter((s) => s !== 200 && s !== 412 && s !== 409)).toEqual([]);
    expect(acked).toBe(UPDATERS * UPDATES_EACH);
    // The two nodes really raced: some writes were refused as stale.
    expect((answers.get(412) ?? 0) + (answers.get(409) ?? 0)).toBeGreaterThan(0);
    const final = await (await send(1, `/patients/${patient.id}`)).json() as { givenName: string; version: number };
    expect(final.givenName).toBe(`Count ${acked}`);
    expect(final.version).toBe(1 + acked);
    console.info(`two nodes, updates: ${acked} acknowledged, ${(answers.get(412) ?? 0)} stale (412)`);
  }, 30_000);

  test('a create whose answer was lost on node A and that is retried with its key on node B exists once', async () => {
    const keys = Array.from({ length: CREATES }, (_, i) => ({ key: `two-${i}-${Math.random().toString(36).slice(2, 10)}`, mrn: `TWO-C-${i}` }));
    const retried = await Promise.all(keys.map(async ({ key, mrn }, i) => {
      const init = { method: 'POST', headers: { 'idempotency-key': key }, body: patientBody(mrn) };
      if (i % 3 === 2) {
        // Both nodes at once with the same key.
        const [a, b] = await Promise.all([send(0, '/patients', init), send(1, '/patients', init)]);
        const bodies = await Promise.all([a.json(), b.json()]) as Array<{ id: string }>;
        expect([a.status, b.status]).toEqual([201, 201]);
        expect(bodies[0]!.id).toBe(bodies[1]!.id);
        return { mrn, id: bodies[1]!.id };
      }
      if (i % 3 === 0) {
        // The first request is cut off a moment after it was sent (the answer, if any, never arrives).
        const abort = new AbortController();
        const first = send(0, '/patients', { ...init, signal: abort.signal }).then((r) => r.arrayBuffer(), () => undefined);
        await sleep(i % 4 === 0 ? 0 : 20);
        abort.abort();
        await first;
      } else {
        // The first answer arrives but the client never sees it (a proxy dropped it): it retries.
        const first = await send(0, '/patients', init);
        expect(first.status).toBe(201);
        await first.arrayBuffer();
      }
      const res = await send(1, '/patients', init);
      expect(res.status, await res.clone().text()).toBe(201);
      return { mrn, id: (await res.json() as { id: string }).id };
    }));

    // Give node A's cut-off requests time to finish their transactions before counting.
    await sleep(500);
    const rows = await db!.store.db.selectFrom('patients').select(['id', 'mrn']).where('mrn', 'like', 'TWO-C-%').execute();
    expect(rows.length).toBe(CREATES);
    const byMrn = new Map(rows.map((r) => [r.mrn, r.id]));
    expect(retried.filter((r) => byMrn.get(r.mrn) !== r.id)).toEqual([]);
    expect(await verifyAuditChain(db!.store.db)).toMatchObject({ ok: true });
    const verify = auditVerify(dir, { databaseUrl: db!.location.databaseUrl! });
    expect(verify.status, verify.stderr).toBe(0);
    for (const n of nodes) expect(n.child.exitCode, n.output()).toBeNull();
  }, 30_000);
});
