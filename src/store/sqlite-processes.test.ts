import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { runCli } from '../../test/support/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-sqlite-procs-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Each command is an audited transaction that reads the audit chain's head and then appends: with deferred
// transactions, a process whose read snapshot went stale failed at once with "database is locked".
test('several processes writing one SQLite file at once (commands beside a server) each wait their turn, and the audit chain stays whole', async () => {
  const db = path.join(dir, 'shared.db');
  expect((await runCli(['demo', '--db', db, '--patients', '6'])).code).toBe(0);
  const runs = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => runCli(['fhir', 'export', '--patient', `LCH-00000${i}`, '--db', db])));
  expect(runs.map((r) => [r.code, r.stderr.trim()])).toEqual(runs.map(() => [0, '']));
  const verify = await runCli(['audit', 'verify', '--db', db]);
  expect(verify.code, verify.stderr).toBe(0);
}, 120_000);
