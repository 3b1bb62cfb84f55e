import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { verifyAuditChain } from '../../src/services/audit-report.js';
import { auditRepo } from '../../src/store/audit.repo.js';
import { listTables } from '../../src/store/catalog.js';
import { openStore, type Store } from '../../src/store/db.js';
import { DIALECTS, freshStore, type TestStore } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';
import { runCli } from '../support/cli.js';

/**
 * The restore drill (issue #9 item 5): load the demo, take `tumorboard backup` while patients keep being created,
 * restore into a fresh database with `tumorboard restore`, and compare every table (as the database lists them)
 * row by row. Writes that went on during the backup may or may not be in it, but the backup is one consistent
 * moment: every row it has is identical to the source, the audit log is a prefix of the source's, and a patient is
 * in the backup exactly when the audit entry of its creation is.
 */

interface Run { code: number | null; stdout: string; stderr: string }

const cli = (args: string[], env: Record<string, string>): Promise<Run> => runCli(args, { env });

/** The same entry point in this process (quicker than a child for the refusals; the drill itself uses a child). */
async function inProcess(args: string[], env: Record<string, string>): Promise<Run> {
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = env.DATABASE_URL ?? '';
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c) => { stdout += String(c); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => { stderr += String(c); return true; });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.env.DATABASE_URL = saved;
  }
}

/** Every row of a table, as sorted JSON lines (a bag to compare). */
async function rowsOf(store: Store, table: string): Promise<string[]> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db);
  return rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]))).sort();
}

const newPatient = (i: number) => ({
  mrn: `BK-${i}-${Math.random().toString(36).slice(2, 7)}`, familyName: 'Backupperson', givenName: 'Sam', birthDate: '2014-01-02',
  sex: 'female', preferredLanguage: 'English', interpreterNeeded: false, homeCountry: 'United States', guardians: [],
});

describe.each(DIALECTS)('backup and restore on %s', (dialect) => {
  let t: TestApi;
  let target: TestStore | undefined;
  let targetFile: string | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-backup-'));
  const backupFile = path.join(dir, dialect === 'sqlite' ? 'backup.db' : 'backup.dump');
  const sourceEnv = () => (dialect === 'sqlite' ? { DATABASE_URL: '' } : { DATABASE_URL: t.db.location.databaseUrl! });
  const sourceArgs = () => (dialect === 'sqlite' ? ['--db', t.db.location.file!] : []);
  const created: string[] = [];
  let backupRun: Run;
  let restoreRun: Run;
  let writesDuringBackup = 0;

  beforeAll(async () => {
    t = await testApi(dialect, { patients: 15 });
    const coord = await t.login('coordinator');
    // A stream of audited creates, running before, during and after the backup.
    let stop = false;
    let i = 0;
    const writer = (async () => {
      while (!stop) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/patients', headers: { cookie: coord }, payload: newPatient(i++) });
        if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
        created.push(json(res).id);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    while (created.length < 5) await new Promise((r) => setTimeout(r, 10));
    const before = created.length;
    backupRun = await cli(['backup', backupFile, ...sourceArgs()], sourceEnv());
    writesDuringBackup = created.length - before;
    while (created.length < before + writesDuringBackup + 5) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await writer;

    if (dialect === 'sqlite') {
      targetFile = path.join(dir, 'restored.db');
      restoreRun = await cli(['restore', backupFile, '--db', targetFile], { DATABASE_URL: '' });
    } else {
      target = await freshStore('postgres'); // migrated and empty
      restoreRun = await cli(['restore', backupFile], { DATABASE_URL: target.location.databaseUrl! });
    }
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    await target?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the backup is taken while writes go on, and checks itself', () => {
    expect(backupRun.stderr.replace(/\(node:\d+\) .*\n?|.*--trace-warnings.*\n?/g, '')).toBe('');
    expect(backupRun.code).toBe(0);
    expect(backupRun.stdout).toMatch(/backup written: /);
    expect(writesDuringBackup).toBeGreaterThan(0);
  });

  test('the restore succeeds into a fresh database and verifies the audit chain', () => {
    expect(restoreRun.stderr.replace(/\(node:\d+\) .*\n?|.*--trace-warnings.*\n?/g, '')).toBe('');
    expect(restoreRun.code).toBe(0);
    expect(restoreRun.stdout).toMatch(/audit chain intact: \d+ entries checked/);
  });

  test('every table of the restored database matches the source row by row, as of one moment', async () => {
    const restored = dialect === 'sqlite' ? openStore({ file: targetFile! }) : target!.store;
    try {
      const tables = await listTables(t.db.store);
      expect(tables).toEqual(expect.arrayContaining(['audit_log', 'patients', 'users', 'cases', 'plans', 'trials']));
      expect(await listTables(restored)).toEqual(tables);
      const extra: Record<string, string[]> = {};
      for (const table of tables) {
        const src = new Set(await rowsOf(t.db.store, table));
        const got = await rowsOf(restored, table);
        // Every restored row is identical to a source row (nothing invented, nothing half-written)…
        expect(got.filter((r) => !src.has(r)), `${table}: rows not in the source`).toEqual([]);
        const gotSet = new Set(got);
        extra[table] = [...src].filter((r) => !gotSet.has(r));
      }
      // …and what the backup lacks is only what the writer added after its moment: new patients and their audit entries.
      const changed = Object.entries(extra).filter(([, rows]) => rows.length > 0).map(([table]) => table).sort();
      expect(changed.every((table) => ['audit_log', 'patients'].includes(table)), changed.join(', ')).toBe(true);
      const restoredPatients = new Set((await restored.db.selectFrom('patients').select('id').execute()).map((r) => r.id));
      const missing = created.filter((id) => !restoredPatients.has(id));
      expect(missing.length).toBeGreaterThan(0); // the writer kept going after the backup
      expect(missing.length).toBeLessThan(created.length); // and had written before it
      expect(extra.patients ?? []).toHaveLength(missing.length);

      // Each audit chain is a prefix of the source's: same entries up to the restored chain's head, nothing after.
      // (On PostgreSQL the log is striped over parallel chains, so the global seq alone is not a prefix.)
      const restoredHeads = await auditRepo.chainHeads(restored.db);
      const sourceHeads = await auditRepo.chainHeads(t.db.store.db);
      let entries = 0;
      for (const [chain, head] of restoredHeads) {
        const srcPrefix = await t.db.store.db.selectFrom('audit_log').select(['seq', 'chain_seq', 'hash']).where('chain', '=', chain).where('chain_seq', '<=', head).orderBy('chain_seq').execute();
        const gotChain = await restored.db.selectFrom('audit_log').select(['seq', 'chain_seq', 'hash']).where('chain', '=', chain).orderBy('chain_seq').execute();
        expect(gotChain, `chain ${chain}`).toEqual(srcPrefix);
        expect(head).toBeLessThanOrEqual(sourceHeads.get(chain)!);
        entries += gotChain.length;
      }
      expect(restoredHeads.size).toBe(dialect === 'postgres' ? sourceHeads.size : 1);

      // One moment: a created patient is in the backup exactly when its audited creation is.
      const createdAudited = new Set((await restored.db.selectFrom('audit_log').select('record_id').where('action', '=', 'create').where('record_type', '=', 'patient').execute()).map((r) => r.record_id));
      for (const id of created) expect(restoredPatients.has(id), id).toBe(createdAudited.has(id));

      expect(await verifyAuditChain(restored.db)).toMatchObject({ ok: true, count: entries });
    } finally {
      if (dialect === 'sqlite') await restored.close();
    }
  });

  test('restore refuses to overwrite a database that holds data, and leaves it as it was', async () => {
    const before = await t.db.store.db.selectFrom('patients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const r = await inProcess(['restore', backupFile, ...sourceArgs()], sourceEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not empty .*--force/);
    const after = await t.db.store.db.selectFrom('patients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  test('a backup of the other dialect is refused as bad input', async () => {
    const wrong = path.join(dir, 'wrong.bin');
    fs.writeFileSync(wrong, dialect === 'sqlite' ? 'PGDMP not really' : 'SQLite format 3\0 not really');
    const r = await inProcess(['restore', wrong, ...(dialect === 'sqlite' ? ['--db', path.join(dir, 'other.db')] : [])], dialect === 'sqlite' ? { DATABASE_URL: '' } : { DATABASE_URL: target!.location.databaseUrl! });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FILE: .* is not a/);
  });

  test('backup will not overwrite an existing file without --force', async () => {
    const r = await inProcess(['backup', backupFile, ...sourceArgs()], sourceEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
  });
});
