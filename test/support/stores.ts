import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate, openStore, type Dialect, type Store } from '../../src/store/db.js';

export const DIALECTS: Dialect[] = process.env.TUMORBOARD_TEST_PG === 'off' ? ['sqlite'] : ['sqlite', 'postgres'];

const adminUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestStore {
  store: Store;
  /** Closes the store and deletes its database. */
  cleanup(): Promise<void>;
  /** The URL or file, to open a second connection (e.g. a CLI run). */
  location: { databaseUrl?: string; file?: string };
}

/** A fresh, migrated, empty database of the given dialect. */
export async function freshStore(dialect: Dialect): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-test-'));
    const file = path.join(dir, 'test.db');
    const store = openStore({ file });
    await migrate(store);
    return { store, location: { file }, cleanup: async () => { await store.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `tb_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  const databaseUrl = u.toString();
  const store = openStore({ databaseUrl, poolSize: 4 });
  await migrate(store);
  return {
    store, location: { databaseUrl },
    cleanup: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
