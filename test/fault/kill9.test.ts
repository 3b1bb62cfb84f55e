import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { verifyAuditChain } from '../../src/services/audit-report.js';
import { loadDemo, DEMO_PASSWORD } from '../../src/services/demo.service.js';
import { migrate, openStore } from '../../src/store/db.js';

/**
 * Fault test (issue #9 item 6, first part): the built server on SQLite is killed with SIGKILL at random moments
 * while clients keep creating patients, three times, and restarted on the same file. Every write the server
 * acknowledged (201) must be there afterwards, with its audit entry, and `tumorboard audit verify` must pass.
 * Loopback only; bounded to a few seconds of writes per round.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'tumorboard.js');
const KILLS = 3;
const WRITERS = 4;

interface Server { child: ChildProcess; url: string; exited: Promise<void> }

async function start(db: string, cwd: string): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', db], {
    cwd, env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
    child.stdout!.on('data', () => {
      const m = /running at (http:\/\/\S+?)\/? /.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!.replace('localhost', '127.0.0.1')); }
    });
    void exited.then(() => { clearTimeout(timer); reject(new Error(`server exited:\n${out}`)); });
  });
  return { child, url, exited };
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'coordinator', password: DEMO_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return /tb_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
}

describe('kill -9 during a stream of writes (SQLite, built server)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-kill9-'));
  const db = path.join(dir, 'k.db');
  let server: Server | undefined;
  afterAll(async () => {
    if (server && server.child.exitCode === null) { server.child.kill('SIGKILL'); await server.exited; }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every acknowledged write survives three SIGKILLs and the audit chain verifies', async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('build the server first (npm run build:server)');
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
              body: JSON.stringify({ mrn, familyName: 'Faultperson', givenName: 'Kim', birthDate: '2015-06-01', sex: 'female', preferredLanguage: 'English', interpreterNeeded: false, homeCountry: 'United States', guardians: [] }),
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
    const verify = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--db', db], { cwd: dir, env: { ...process.env, DATABASE_URL: '' }, encoding: 'utf8' });
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/audit chain intact: \d+ entries checked/);
  }, 90_000);
});
