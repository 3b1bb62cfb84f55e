import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadSecretKey } from './config.js';

describe('the server key that seals secrets in the database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-key-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const opts = { file: path.join(dir, 'tb.db') };

  test('without a setting, a key file is made beside the SQLite file, readable by its owner only, and reused', () => {
    const first = loadSecretKey(opts, {});
    const file = path.join(dir, 'secret.key');
    expect(first.length).toBe(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretKey(opts, {}).equals(first)).toBe(true);
  });

  test('TUMORBOARD_SECRET_KEY wins over the file; a wrong one is refused naming the variable', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadSecretKey(opts, { TUMORBOARD_SECRET_KEY: key }).equals(Buffer.alloc(32, 7))).toBe(true);
    expect(() => loadSecretKey(opts, { TUMORBOARD_SECRET_KEY: 'too-short' })).toThrow(/^TUMORBOARD_SECRET_KEY: /);
  });
});
