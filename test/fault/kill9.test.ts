import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { verifyAuditChain } from '../../src/services/audit-report.js';
import { loadDemo } from '../../src/services/demo.service.js';
import { migrate, openStore } from '../../src/store/db.js';
import { auditVerify, killServer, login, patientBody, requireBuild, startServer, type Server } from './support.js';

/**
 * Fault test (issue #9 item 6, first part): the built server on SQLite is killed with SIGKILL at random moments
 * while clients keep creating patients, three times, and restarted on the same file. Every write the server
 * acknowledged (201) must be there afterwards, with its audit entry, and `tumorboard audit verify` must pass.
 * Loopback only; bounded to a few seconds of writes per round.
 */

const KILLS = 3;
const WRITERS = 4;

const start = (db: string, cwd: string) => startServer({ db, cwd });

describe('kill -9 during a stream of writes (SQLite, built server)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-kill9-'));
  const db = path.join(dir, 'k.db');
  let server: Server | undefined;
  afterAll(async () => {
    await killServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every acknowledged write survives three SIGKILLs and the audit chain verifies', async () => {
    requireBuild();
    const seed = openStore({ file: db });
    await migrate(seed);
    await loadDemo({ store: seed, now: () => new Date() }, { patients: 3 });
    await seed.close();

    const acked = new Map<string, string>(); // patient id -> mrn
    let attempts = 0;
    for (let round = 0; round < KILLS; round++) {
      server = await start(db, dir);
      const { url } = server;
      const cookie = await login(url);
      let dead = false;
      const writer = async (w: number) => {
        for (let i = 0; !dead; i++) {
          const mrn = `K9-${round}-${w}-${i}`;
          attempts++;
          try {
            const res = await fetch(`${url}/api/v1/patients`, {
              method: 'POST', headers: { 'content-type': 'application/json', cookie },
              body: patientBody(mrn),
            });
            if (res.status === 201) acked.set(((await res.json()) as { id: string }).id, mrn);
            else if (res.status !== 201) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
          } catch (err) {
            if (dead) return; // the connection died with the server: not acknowledged
            throw err;
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
      await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 1200)));
      dead = true;
      server.child.kill('SIGKILL');
      await server.exited;
      await Promise.all(writers);
    }
    expect(acked.size).toBeGreaterThan(KILLS * 5);
    console.info(`kill -9: ${acked.size} writes acknowledged of ${attempts} attempted across ${KILLS} kills`);

    // Restart once more: the server must come up on the file it was killed over, and serve the writes.
    server = await start(db, dir);
    const cookie = await login(server.url);
    const sample = [...acked.keys()].slice(-5);
    for (const id of sample) expect((await fetch(`${server.url}/api/v1/patients/${id}`, { headers: { cookie } })).status).toBe(200);
    server.child.kill('SIGTERM');
    await server.exited;

    const store = openStore({ file: db });
    try {
      const rows = await store.db.selectFrom('patients').select(['id', 'mrn']).where('mrn', 'like', 'K9-%').execute();
      const present = new Map(rows.map((r) => [r.id, r.mrn]));
      const lost = [...acked].filter(([id, mrn]) => present.get(id) !== mrn);
      expect(lost, `${lost.length} of ${acked.size} acknowledged writes lost (${attempts} attempted)`).toEqual([]);
      const audited = new Set((await store.db.selectFrom('audit_log').select('record_id').where('action', '=', 'create').where('record_type', '=', 'patient').execute()).map((r) => r.record_id));
      expect([...present.keys()].filter((id) => !audited.has(id))).toEqual([]);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
    const verify = auditVerify(dir, { db });
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/audit chain intact: \d+ entries checked/);
  }, 90_000);
});
