import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { main } from './main.js';
import { auditRepo } from '../store/audit.repo.js';
import { openStore } from '../store/db.js';
import { runCli } from '../../test/support/cli.js';

/** `tumorboard audit verify [--db FILE]` end to end: the real entry point in a child process, a fresh SQLite file. */

interface Run { code: number | null; stdout: string; stderr: string }

const run = (args: string[]): Promise<Run> => runCli(args);

/** The same entry point in this process, for the quick bad-input cases. */
async function inProcess(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c) => { stdout += String(c); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => { stderr += String(c); return true; });
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('tumorboard audit verify', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-cli-audit-'));
  const db = path.join(dir, 'a.db');

  beforeAll(async () => {
    expect((await run(['demo', '--db', db, '--patients', '3'])).code).toBe(0);
    // A few more entries, appended through the repository as the app does.
    const store = openStore({ file: db });
    for (let i = 0; i < 4; i++) {
      await auditRepo.append(store.db, {
        id: randomUUID(), at: new Date().toISOString(), userId: null, username: 'auditor', role: 'admin', institutionId: null, action: 'read',
        recordType: 'audit_log', recordId: null, patientId: null, outcome: 'success', clientIp: '127.0.0.1', requestId: `r${i}`, detail: null,
      });
    }
    await store.close();
  }, 120_000);
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('an intact log exits 0 and prints how many entries it checked', async () => {
    const count = new SQLite(db).prepare('select count(*) as n from audit_log').get() as { n: number };
    expect(count.n).toBeGreaterThanOrEqual(2);
    const r = await run(['audit', 'verify', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`audit chain intact: ${count.n} entries checked`));
  });

  test('an entry changed behind the app\'s back exits 1 and names its seq', async () => {
    const raw = new SQLite(db);
    raw.exec('drop trigger audit_log_no_update');
    raw.prepare("update audit_log set outcome = 'denied' where seq = 2").run();
    raw.close();
    const r = await run(['audit', 'verify', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/broken at entry seq 2 \(altered\)/);
  });

  test('a missing database file is bad input (exit 2), not a new empty database', async () => {
    const missing = path.join(dir, 'nope.db');
    const r = await inProcess(['audit', 'verify', '--db', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--db: no database/);
    expect(fs.existsSync(missing)).toBe(false);
  });

  test('an unknown subcommand is bad input', async () => {
    expect((await inProcess(['audit', 'check', '--db', db])).code).toBe(2);
  });
});
