import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { assertSqliteDurability, durabilityWarnings, openStore } from './db.js';

describe('durability settings are checked when the database is opened (DESIGN.md §7)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-durable-'));
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  test('a SQLite store opens in WAL mode with synchronous=FULL, read back from the database', async () => {
    const store = openStore({ file: path.join(dir, 'ok.db') });
    const raw = new SQLite(path.join(dir, 'ok.db'));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    expect(await durabilityWarnings(store)).toEqual([]);
    await store.close();
  });

  test('a connection left in rollback-journal mode is refused', () => {
    const raw = new SQLite(path.join(dir, 'delete.db'));
    raw.pragma('journal_mode = DELETE');
    raw.pragma('synchronous = FULL');
    expect(() => assertSqliteDurability(raw, 'delete.db')).toThrow(/journal_mode is delete, not wal/);
    raw.close();
  });

  test('synchronous below FULL is refused', () => {
    const raw = new SQLite(path.join(dir, 'normal.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    expect(() => assertSqliteDurability(raw, 'normal.db')).toThrow(/synchronous is 1, not FULL/);
    raw.close();
  });

  test('an in-memory database (tests only) is accepted in its memory journal mode', async () => {
    const store = openStore({ file: ':memory:' });
    await store.close();
  });
});
