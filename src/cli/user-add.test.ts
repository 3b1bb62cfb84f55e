import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli, type CliRun } from '../../test/support/cli.js';

/** `tumorboard user add` sets a password, so it applies the password policy (the real entry point, a fresh SQLite file). */


const run = (args: string[], password: string): Promise<CliRun> => runCli(args, { env: { TUMORBOARD_PASSWORD: password } });

describe('tumorboard user add', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-cli-user-'));
  const db = path.join(dir, 'u.db');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('refuses a breached password with exit 2 and a one-line error naming the password', async () => {
    const res = await run(['user', 'add', 'first.admin', '--role', 'admin', '--db', db], 'Password1234');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/password: is on the list of common passwords/);
  }, 60_000);

  test('creates the account with a password that passes the policy', async () => {
    const res = await run(['user', 'add', 'first.admin', '--role', 'admin', '--institution', 'Synthetic Hospital', '--db', db], 'quiet harbour lantern 42');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/created admin first.admin/);
  }, 60_000);
});
