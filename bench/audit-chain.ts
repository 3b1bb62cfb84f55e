/**
 * Cost of the hash-chained audit log (issue #9 item 3): appends per second with the chains (advisory lock on
 * PostgreSQL, head read, SHA-256) against a plain INSERT of the same row in its own transaction, with one writer and
 * with 16 concurrent writers; on PostgreSQL both with a single chain (every appender waits for the previous one's
 * commit, WAL flush included) and striped over 8 parallel chains (the default, src/store/audit.repo.ts); and how long
 * `audit verify` takes over the result. Last, audited case reads through the app (inject, 16 at once) on PostgreSQL
 * with a single chain and striped: requests per second and p95.
 * Run: `npx tsx bench/audit-chain.ts [rounds]` (PostgreSQL at TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres).
 * Each variant runs `rounds` times (default 2), interleaved, each on a fresh database, so a shared machine's noise
 * shows as the spread between rounds.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { verifyAuditChain } from '../src/services/audit-report.js';
import { AUDIT_CHAINS, auditRepo, setPostgresAuditChains, type AuditEntry } from '../src/store/audit.repo.js';
import { migrate, openStore, type Store } from '../src/store/db.js';
import { buildApp } from '../src/http/app.js';
import type { Services } from '../src/services/context.js';
import { DEMO_PASSWORD, loadDemo } from '../src/services/demo.service.js';
import { fileStore } from '../src/store/files.js';
import { freshStore, type TestStore } from '../test/support/stores.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const N = 2000;
/** Writers of the concurrent runs; the PostgreSQL pool is larger so none waits for a connection. */
const WRITERS = 16;

const entry = (i: number): AuditEntry => ({
  id: randomUUID(), at: new Date().toISOString(), userId: randomUUID(), username: 'coordinator', role: 'coordinator', institutionId: randomUUID(),
  action: 'read', recordType: 'patient', recordId: randomUUID(), patientId: randomUUID(), outcome: 'success', clientIp: '127.0.0.1',
  requestId: `req-${i}`, detail: null,
});

async function run(concurrency: number, fn: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < N; i = next++) await fn(i);
  }));
  return Math.round(N / ((performance.now() - t0) / 1000));
}

async function plain(store: Store, i: number): Promise<void> {
  const e = entry(i);
  await store.db.transaction().execute((tx) => tx.insertInto('audit_log').values({
    id: e.id, at: e.at, user_id: e.userId, username: e.username, role: e.role, institution_id: e.institutionId, action: e.action,
    record_type: e.recordType, record_id: e.recordId, patient_id: e.patientId, outcome: e.outcome, client_ip: e.clientIp,
    request_id: e.requestId, detail: e.detail,
  }).execute());
}

const adminUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated PostgreSQL database with a pool big enough for every writer. */
async function freshPg(): Promise<TestStore> {
  const name = `tb_bench_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = async (q: string) => { const c = new pg.Client({ connectionString: adminUrl() }); await c.connect(); try { await c.query(q); } finally { await c.end(); } };
  await admin(`create database ${name}`);
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  const store = openStore({ databaseUrl: u.toString(), poolSize: WRITERS + 4 });
  await migrate(store);
  return { store, location: { databaseUrl: u.toString() }, cleanup: async () => { await store.close(); await admin(`drop database if exists ${name} with (force)`); } };
}

type Variant = 'plain' | 'chained';

/** One round of one variant: appends/s with 1 and WRITERS writers, and verify time over the result. */
async function round(dialect: 'sqlite' | 'postgres', variant: Variant, chains: number): Promise<Record<string, number>> {
  const s = dialect === 'postgres' ? await freshPg() : await freshStore('sqlite');
  setPostgresAuditChains(chains);
  try {
    const out: Record<string, number> = {};
    for (const c of [1, WRITERS]) {
      out[`c${c}`] = await run(c, (i) => (variant === 'plain' ? plain(s.store, i) : auditRepo.append(s.store.db, entry(i))));
    }
    if (variant === 'chained') {
      const t0 = performance.now();
      const v = await verifyAuditChain(s.store.db);
      if (!v.ok) throw new Error(`chain broken: ${v.message}`);
      out.verifiedEntries = v.count;
      out.chainsUsed = v.chains;
      out.verifyMs = Math.round(performance.now() - t0);
    }
    return out;
  } finally {
    setPostgresAuditChains(AUDIT_CHAINS.postgres);
    await s.cleanup();
  }
}

/**
 * Audited, authorized case reads through the app on PostgreSQL (GET /api/v1/patients/:id by inject, WRITERS at once,
 * each one audit entry in the read's transaction): requests per second and p95 latency with `chains` chains.
 */
async function auditedReads(chains: number, requests = 1000): Promise<Record<string, number>> {
  const s = await freshPg();
  const filesRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bench-files-'));
  setPostgresAuditChains(chains);
  try {
    const services: Services = { store: s.store, now: () => new Date(), files: fileStore(filesRoot) };
    await loadDemo(services, { patients: 6 });
    const app = await buildApp({ services, loginRateLimit: 1000, publicRateLimit: 1000 });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'coordinator', password: DEMO_PASSWORD } });
      const cookie = `tb_session=${login.cookies.find((k) => k.name === 'tb_session')!.value}`;
      const ids = (JSON.parse((await app.inject({ method: 'GET', url: '/api/v1/patients?limit=6', headers: { cookie } })).body) as { items: Array<{ id: string }> }).items.map((p) => p.id);
      const lat: number[] = [];
      let next = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: WRITERS }, async () => {
        for (let i = next++; i < requests; i = next++) {
          const a = performance.now();
          const res = await app.inject({ method: 'GET', url: `/api/v1/patients/${ids[i % ids.length]}`, headers: { cookie } });
          if (res.statusCode !== 200) throw new Error(`GET patient: ${res.statusCode}`);
          lat.push(performance.now() - a);
        }
      }));
      const secs = (performance.now() - t0) / 1000;
      lat.sort((a, b) => a - b);
      return { reqPerSec: Math.round(requests / secs), p95Ms: Math.round(lat[Math.floor(lat.length * 0.95)]!) };
    } finally {
      await app.close();
    }
  } finally {
    setPostgresAuditChains(AUDIT_CHAINS.postgres);
    await s.cleanup();
    fs.rmSync(filesRoot, { recursive: true, force: true });
  }
}

export async function benchAuditChain(rounds = 2): Promise<Record<string, unknown>> {
  const variants: Array<[string, 'sqlite' | 'postgres', Variant, number]> = [
    ['sqlite.plainInsertPerSec', 'sqlite', 'plain', 1],
    ['sqlite.chainedAppendPerSec', 'sqlite', 'chained', 1],
    ['postgres.plainInsertPerSec', 'postgres', 'plain', 1],
    ['postgres.singleChainAppendPerSec', 'postgres', 'chained', 1],
    [`postgres.striped${AUDIT_CHAINS.postgres}AppendPerSec`, 'postgres', 'chained', AUDIT_CHAINS.postgres],
  ];
  const out: Record<string, Array<Record<string, number>>> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, dialect, variant, chains] of variants) (out[name] ??= []).push(await round(dialect, variant, chains));
    (out['postgres.auditedPatientRead.singleChain'] ??= []).push(await auditedReads(1));
    (out[`postgres.auditedPatientRead.striped${AUDIT_CHAINS.postgres}`] ??= []).push(await auditedReads(AUDIT_CHAINS.postgres));
  }
  return { entriesPerRun: N, writers: WRITERS, rounds, ...out };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchAuditChain(Number(process.argv[2] ?? 2)).then((r) => { process.stdout.write(`${JSON.stringify(r, null, 1)}\n`); process.exit(0); }, (err) => { console.error(err); process.exit(1); });
}
