import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from '../../src/store/db.js';

/**
 * Tables whose rows change on a refused request by design: the audit log (denied attempts are logged), sessions
 * (last-seen times), login throttling and per-address request counters; and the migration bookkeeping.
 */
export const VOLATILE_TABLES: ReadonlySet<string> = new Set([
  'audit_log', 'sessions', 'login_throttle', 'rate_limits', 'kysely_migration', 'kysely_migration_lock', 'sqlite_sequence',
]);

/** The application's tables (from sqlite_master or information_schema), less the volatile ones. */
export async function userTables(store: Store): Promise<string[]> {
  const rows = store.dialect === 'sqlite'
    ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(store.db)).rows
    : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(store.db)).rows;
  return rows.map((r) => r.name).filter((n) => !VOLATILE_TABLES.has(n)).sort();
}

/** Row count and a hash of every row's content, per table (row order does not matter). */
export async function snapshot(store: Store, tables: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(store.db)).rows;
    const lines = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('hex') : v))).sort();
    out[t] = `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}

/** The tables that differ between two snapshots. */
export function changedTables(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((t) => a[t] !== b[t]);
}
