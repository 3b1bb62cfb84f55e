import { sql } from 'kysely';
import type { Store } from './db.js';

/** Kysely's own bookkeeping tables: present in every migrated database, empty or not. */
const BOOKKEEPING = new Set(['kysely_migration', 'kysely_migration_lock']);

/**
 * The application's tables as the database itself lists them (SQLite catalogue or PostgreSQL's current schema),
 * sorted by name: what a backup must carry and a restore drill compares, whatever migrations added.
 */
export async function listTables(store: Store, opts: { includeBookkeeping?: boolean } = {}): Promise<string[]> {
  const names = store.dialect === 'sqlite'
    ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db)).rows
    : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(store.db)).rows;
  return names.map((r) => r.name).filter((n) => opts.includeBookkeeping || !BOOKKEEPING.has(n)).sort();
}

/** The application tables that hold at least one row (a restore refuses to overwrite these without --force). */
export async function tablesWithRows(store: Store): Promise<string[]> {
  const out: string[] = [];
  for (const t of await listTables(store)) {
    const { rows } = await sql<{ one: number }>`select 1 as one from ${sql.table(t)} limit 1`.execute(store.db);
    if (rows.length > 0) out.push(t);
  }
  return out;
}
