import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import pg from 'pg';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { GroupCommitter } from '../../src/store/group-commit.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyAuditChain } from '../../src/services/audit-report.js';
import { revokeAuditChanges } from '../../src/store/migrations/008-audit-chain.js';
import { durabilityWarnings, migrate, openStore, type Dialect, type Store } from '../../src/store/db.js';
import { AUDIT_CHAINS, auditRepo, setPostgresAuditChains } from '../../src/store/audit.repo.js';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

const newPatient = () => ({
  mrn: `AC-${Math.random().toString(36).slice(2, 9)}`, familyName: 'Chainperson', givenName: 'Robin', birthDate: '2013-03-09',
  sex: 'male', preferredLanguage: 'English', interpreterNeeded: false, homeCountry: 'United States', guardians: [],
});

describe.each(DIALECTS)('the hash-chained, append-only audit log on %s', (dialect) => {
  let t: TestApi;
  let coord: string;
  let admin: string;
  let patientIds: string[];

  beforeAll(async () => {
    t = await testApi(dialect);
    coord = await t.login('coordinator');
    admin = await t.login('admin');
    patientIds = json(await t.app.inject({ method: 'GET', url: '/api/v1/patients?limit=5', headers: { cookie: coord } })).items.map((p: { id: string }) => p.id);
  });
  afterAll(async () => { await t?.close(); });

  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  const db = () => t.services.store.db;
  const entries = async () => Number((await db().selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  test('reads and writes through the API leave a chain that verifies, one entry per request', async () => {
    const before = await auditRepo.lastSeq(db());
    for (const id of patientIds) expect((await get(`/api/v1/patients/${id}`, coord)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/patients', headers: { cookie: coord }, payload: newPatient() })).statusCode).toBe(201);
    expect((await get('/api/v1/patients/no-such-patient', coord)).statusCode).toBe(404);
    const rows = await auditRepo.chainPage(db(), before, 100);
    expect(rows).toHaveLength(patientIds.length + 2);
    const v = await verifyAuditChain(db());
    expect(v).toMatchObject({ ok: true, count: await entries(), headSeq: rows[rows.length - 1]!.seq });
  });

  test('the database itself refuses to update or delete an audit entry', async () => {
    await expect(sql`update audit_log set outcome = 'success' where seq = 1`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 1`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(db())).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') await expect(sql`truncate audit_log`.execute(db())).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  test(`24 audited requests at once still give unbroken chains (${dialect === 'postgres' ? 'spread over several stripes' : 'one chain, consecutive seq'})`, async () => {
    const before = await auditRepo.lastSeq(db());
    const res = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 4 === 0
      ? t.app.inject({ method: 'POST', url: '/api/v1/patients', headers: { cookie: coord }, payload: newPatient() })
      : get(`/api/v1/patients/${patientIds[i % patientIds.length]}`, coord))));
    expect(res.map((r) => r.statusCode).sort()).toEqual([...Array(18).fill(200), ...Array(6).fill(201)].sort());
    const rows = await auditRepo.chainPage(db(), before, 100);
    expect(rows).toHaveLength(24);
    const chains = new Set(rows.map((r) => r.chain));
    if (dialect === 'sqlite') {
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 24 }, (_, i) => before + 1 + i));
      expect([...chains]).toEqual([0]);
    } else {
      expect(chains.size).toBeGreaterThan(1);
      for (const r of rows) expect(r.chain).toBeLessThan(8);
    }
    // Within each chain, positions follow one another and seq grows.
    for (const c of chains) {
      const mine = rows.filter((r) => r.chain === c);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.seq).toBeGreaterThan(mine[i - 1]!.seq);
    }
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true, count: await entries() });
  });

  test('group-commit units rolled back to their savepoints take their entries with them; the batch stays in one chain', async () => {
    const gc = new GroupCommitter(db(), { windowMs: 20 });
    const before = await auditRepo.lastSeq(db());
    const entry = (i: number) => ({
      id: randomUUID(), at: new Date().toISOString(), userId: null, username: 'batch', role: null, institutionId: null, action: 'read' as const,
      recordType: 'test', recordId: null, patientId: null, outcome: 'success' as const, clientIp: null, requestId: `gc-${i}`, detail: null,
    });
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => gc.run(async (tx) => {
      await auditRepo.append(tx, entry(i));
      // The first unit fails: on PostgreSQL its savepoint's rollback also gives back the chain lock it took first.
      if (i % 3 === 0) throw new Error('unit fails after its audit entry');
      return i;
    })));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(gc.stats.largestBatch).toBeGreaterThan(1);
    const rows = await auditRepo.chainPage(db(), before, 100);
    expect(rows.map((r) => r.requestId)).toEqual(['gc-1', 'gc-2', 'gc-4', 'gc-5']);
    if (dialect === 'sqlite') expect(rows.map((r) => r.seq)).toEqual([before + 1, before + 2, before + 3, before + 4]);
    if (gc.stats.largestBatch === 6) {
      // One transaction: one chain, consecutive positions.
      expect(new Set(rows.map((r) => r.chain)).size).toBe(1);
      expect(rows.map((r) => r.chainSeq! - rows[0]!.chainSeq!)).toEqual([0, 1, 2, 3]);
    }
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true, count: await entries() });
  });

  test('a transaction that appends several entries keeps them in one chain, even with more transactions than chains', async () => {
    const entry = (tag: string) => ({
      id: randomUUID(), at: new Date().toISOString(), userId: null, username: 'import', role: null, institutionId: null, action: 'create' as const,
      recordType: 'test', recordId: null, patientId: null, outcome: 'success' as const, clientIp: null, requestId: tag, detail: null,
    });
    const before = await auditRepo.lastSeq(db());
    // Two chains for 12 transactions of 3 entries each: on PostgreSQL most find both taken and wait for one.
    setPostgresAuditChains(2);
    try {
      await Promise.all(Array.from({ length: 12 }, (_, t) => db().transaction().execute(async (tx) => {
        for (let k = 0; k < 3; k++) {
          await auditRepo.append(tx, entry(`multi-${t}-${k}`));
          await new Promise((r) => setTimeout(r, 2));
        }
      })));
    } finally {
      setPostgresAuditChains(AUDIT_CHAINS.postgres);
    }
    const rows = (await auditRepo.chainPage(db(), before, 100)).filter((r) => r.requestId?.startsWith('multi-'));
    expect(rows).toHaveLength(36);
    for (let t = 0; t < 12; t++) {
      const mine = rows.filter((r) => r.requestId!.startsWith(`multi-${t}-`));
      expect(new Set(mine.map((r) => r.chain)).size, `transaction ${t}`).toBe(1);
      expect(mine.map((r) => r.chainSeq! - mine[0]!.chainSeq!)).toEqual([0, 1, 2]);
    }
    if (dialect === 'postgres') expect(new Set(rows.map((r) => r.chain))).toEqual(new Set([0, 1]));
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true, count: await entries() });
  });

  test('the admin report lists who accessed a patient, from where, and is itself audited', async () => {
    const id = patientIds[0]!;
    const res = await get(`/api/v1/admin/audit/patient/${id}`, admin);
    expect(res.statusCode).toBe(200);
    const report = json(res);
    expect(report.patientId).toBe(id);
    expect(report.total).toBeGreaterThanOrEqual(2);
    const reads = report.items.filter((e: { username: string; action: string }) => e.username === 'coordinator' && e.action === 'read');
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads[0]).toMatchObject({ role: 'coordinator', outcome: 'success', patientId: id });
    expect(reads[0].clientIp).toBeTruthy();
    expect(reads[0].at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(report.byUser.find((u: { username: string }) => u.username === 'coordinator').count).toBeGreaterThanOrEqual(2);
    const again = json(await get(`/api/v1/admin/audit/patient/${id}`, admin));
    expect(again.items[0]).toMatchObject({ username: 'admin', action: 'read', recordType: 'patient_access_report', outcome: 'success' });
  });

  test('the access report is for admins of the patient\'s own institution only', async () => {
    expect((await get(`/api/v1/admin/audit/patient/${patientIds[0]}`, coord)).statusCode).toBe(403);
    const other = await t.login('riverside');
    const theirs = json(await get('/api/v1/patients?limit=1', other)).items[0].id as string;
    expect((await get(`/api/v1/admin/audit/patient/${theirs}`, admin)).statusCode).toBe(404);
    expect((await get('/api/v1/admin/audit/patient/unknown-id', admin)).statusCode).toBe(404);
  });

  if (dialect === 'postgres') {
    test('an application role granted everything loses UPDATE, DELETE and TRUNCATE on the audit log, keeps INSERT', async () => {
      const role = `tb_app_${Math.random().toString(36).slice(2, 8)}`;
      await sql`create role ${sql.id(role)}`.execute(db());
      try {
        await sql`grant all on audit_log to ${sql.id(role)}`.execute(db());
        expect(await revokeAuditChanges(db())).toEqual([role]);
        const can = async (p: string) => (await sql<{ ok: boolean }>`select has_table_privilege(${role}, 'audit_log', ${p}) as ok`.execute(db())).rows[0]!.ok;
        expect([await can('UPDATE'), await can('DELETE'), await can('TRUNCATE'), await can('INSERT'), await can('SELECT')]).toEqual([false, false, false, true, true]);
      } finally {
        await sql`revoke all on audit_log from ${sql.id(role)}`.execute(db());
        await sql`drop role ${sql.id(role)}`.execute(db());
      }
    });

    test('the durability check finds fsync and synchronous_commit on (no warning)', async () => {
      expect(await durabilityWarnings(t.services.store)).toEqual([]);
    });
  }

  // Last: these tamper with the log (as a database owner could, by switching the guard off first).
  describe('tampering by someone who switches the triggers off is caught by verify, naming the entry', () => {
    const disable = async (which: 'update' | 'delete') => {
      if (dialect === 'sqlite') await sql`drop trigger if exists ${sql.raw(`audit_log_no_${which}`)}`.execute(db());
      else await sql`alter table audit_log disable trigger ${sql.raw(`audit_log_no_${which}`)}`.execute(db());
    };

    /** The n-th entry in seq order (on PostgreSQL a seq may be skipped by a rolled-back append). */
    const nth = async (n: number) => (await auditRepo.chainPage(db(), 0, n)).at(-1)!;

    test('an altered entry', async () => {
      await disable('update');
      const victim = await nth(5);
      await sql`update audit_log set username = 'someone-else' where seq = ${victim.seq}`.execute(db());
      expect(await verifyAuditChain(db())).toMatchObject({ ok: false, seq: victim.seq, chain: victim.chain, why: 'altered' });
      if (dialect === 'sqlite') expect(await verifyAuditChain(db())).toMatchObject({ count: 4 });
      await sql`update audit_log set username = ${victim.username} where seq = ${victim.seq}`.execute(db());
      expect((await verifyAuditChain(db())).ok).toBe(true);
    });

    if (dialect === 'postgres') {
      test('an entry moved to another stripe', async () => {
        await disable('update');
        const victim = (await auditRepo.chainPage(db(), 0, 10_000)).find((r) => r.chainSeq! > 1)!; // a first entry could not move: one genesis per chain
        const heads = await auditRepo.chainHeads(db());
        const target = (victim.chain! + 1) % 8;
        await sql`update audit_log set chain = ${target}, chain_seq = ${(heads.get(target) ?? 0) + 1} where seq = ${victim.seq}`.execute(db());
        expect(await verifyAuditChain(db())).toMatchObject({ ok: false, seq: victim.seq });
        await sql`update audit_log set chain = ${victim.chain}, chain_seq = ${victim.chainSeq} where seq = ${victim.seq}`.execute(db());
        expect((await verifyAuditChain(db())).ok).toBe(true);
      });
    }

    test('a removed entry', async () => {
      await disable('delete');
      // An entry that is not the newest of its chain (cutting a chain's tail is what the printed anchor is for).
      const log = await auditRepo.chainPage(db(), 0, 10_000);
      const victim = log.slice(6).find((r) => log.some((o) => o.chain === r.chain && o.seq > r.seq))!;
      const nextInChain = log.find((r) => r.chain === victim.chain && r.seq > victim.seq)!;
      await sql`delete from audit_log where seq = ${victim.seq}`.execute(db());
      const v = await verifyAuditChain(db());
      expect(v).toMatchObject({ ok: false, why: 'removed', chain: victim.chain, chainSeq: victim.chainSeq });
      // Named by its own seq when the gap pins it down (always on SQLite), else by the entry after the gap.
      if (dialect === 'sqlite') expect(v).toMatchObject({ seq: victim.seq, count: victim.seq - 1 });
      else expect([victim.seq, nextInChain.seq]).toContain(v.ok === false && v.seq);
    });
  });
});

describe.each(DIALECTS)('migration 008 on an existing audit log (%s)', (dialect) => {
  test('entries written before the chain existed are chained in seq order and verify', async () => {
    const { store, drop } = await emptyStore(dialect);
    try {
      const migrator = new Migrator({ db: store.db, provider: migrationProvider(dialect) });
      const first = await migrator.migrateTo('006-calendar-feeds');
      expect(first.error).toBeUndefined();
      for (let i = 0; i < 30; i++) {
        await sql`insert into audit_log (id, at, username, action, record_type, outcome, detail) values (${randomUUID()}, ${new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()}, 'legacy', 'read', 'patient', 'success', ${i % 2 ? null : `n=${i}`})`.execute(store.db);
      }
      await migrate(store);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, count: 30, chains: 1, headSeq: 30 });
      const legacy = await auditRepo.chainPage(store.db, 0, 100);
      expect(legacy.map((r) => [r.chain, r.chainSeq])).toEqual(Array.from({ length: 30 }, (_, i) => [0, i + 1]));
      await auditRepo.append(store.db, {
        id: randomUUID(), at: new Date().toISOString(), userId: null, username: 'new', role: null, institutionId: null, action: 'read',
        recordType: 'patient', recordId: null, patientId: null, outcome: 'success', clientIp: null, requestId: null, detail: null,
      });
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, count: 31, headSeq: 31 });
    } finally {
      await drop();
    }
  });
});

/** An empty database with no migrations applied. */
async function emptyStore(dialect: Dialect): Promise<{ store: Store; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-mig-'));
    const store = openStore({ file: path.join(dir, 'm.db') });
    return { store, drop: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const admin = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `tb_mig_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const run = async (q: string) => { const c = new pg.Client({ connectionString: admin }); await c.connect(); try { await c.query(q); } finally { await c.end(); } };
  await run(`create database ${name}`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const store = openStore({ databaseUrl: u.toString(), poolSize: 2 });
  return { store, drop: async () => { await store.close(); await run(`drop database if exists ${name} with (force)`); } };
}
