import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver, type SqliteDialectConfig, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';

export type Dialect = 'sqlite' | 'postgres';
export type DB = Kysely<Database>;
export type Tx = Transaction<Database>;
/** A repository works on the database or inside a transaction alike. */
export type Executor = DB | Tx;

export interface Store {
  db: DB;
  dialect: Dialect;
  /** Where the data lives, without credentials (for messages). */
  location: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise `file` (SQLite) is used. */
  databaseUrl?: string | undefined;
  file?: string | undefined;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export const DEFAULT_SQLITE_FILE = path.join('data', 'tumorboard.db');

// COUNT(*) and other int8 results arrive as strings from pg; every count here fits in a JS number.
pg.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10));

/** Opens SQLite (WAL, synchronous=FULL, foreign keys on) or PostgreSQL (synchronous_commit on). DESIGN.md §7. */
export function openStore(opts: StoreOptions = {}): Store {
  const url = opts.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
    pool.on('connect', (client) => { void client.query('SET synchronous_commit = on'); });
    // An idle client that loses its server (PostgreSQL restart) must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const u = new URL(url);
    return { db, dialect: 'postgres', location: `postgres://${u.host}${u.pathname}`, close: () => db.destroy() };
  }
  const file = opts.file ?? DEFAULT_SQLITE_FILE;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  try {
    assertSqliteDurability(sqlite, file);
  } catch (err) {
    sqlite.close();
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

/**
 * SQLite transactions begin IMMEDIATE: the write lock is taken (waiting up to busy_timeout) when the transaction
 * starts. A deferred transaction that reads and then writes (the audit chain reads its head, then appends) fails at
 * once with "database is locked" when another process (a CLI command beside the server) wrote meanwhile, because
 * SQLite cannot upgrade a stale read snapshot. Within one process transactions are serialized anyway.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * DESIGN.md §7: reads the pragmas back after setting them and refuses to run when SQLite did not take them (a file
 * system without shared memory cannot hold a WAL; an acknowledged write must survive power loss).
 */
export function assertSqliteDurability(sqlite: SQLite.Database, file: string): void {
  const mode = String(sqlite.pragma('journal_mode', { simple: true })).toLowerCase();
  const sync = Number(sqlite.pragma('synchronous', { simple: true }));
  const expected = file === ':memory:' ? 'memory' : 'wal';
  if (mode !== expected) throw new Error(`SQLite ${file}: journal_mode is ${mode}, not ${expected}; refusing to run without the write-ahead log`);
  if (!(sync >= 2)) throw new Error(`SQLite ${file}: synchronous is ${sync}, not FULL (2); refusing to run`);
}

/**
 * PostgreSQL durability settings that the app cannot force (fsync is server-wide) or forces per session
 * (synchronous_commit): one warning per setting that is off, with no data in it. Empty for SQLite.
 */
export async function durabilityWarnings(store: Store): Promise<string[]> {
  if (store.dialect !== 'postgres') return [];
  const { rows } = await sql<{ name: string; setting: string; reset_val: string }>`
    select name, setting, reset_val from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes')`.execute(store.db);
  const warnings: string[] = [];
  for (const r of rows) {
    if (r.name === 'synchronous_commit') {
      if (r.setting === 'off' || r.setting === 'local') warnings.push(`PostgreSQL synchronous_commit is ${r.setting}: an acknowledged write may be lost in a crash`);
      else if (r.reset_val === 'off') warnings.push('PostgreSQL synchronous_commit is off by default on this server; TumorBoard turns it on for its own sessions');
    } else if (r.setting !== 'on') {
      warnings.push(`PostgreSQL ${r.name} is ${r.setting}: committed data may be lost or corrupted in a crash (DESIGN.md §7)`);
    }
  }
  return warnings;
}

/** Applies pending migrations; returns the names applied. Throws with the failing migration's name. */
export async function migrate(store: Store): Promise<string[]> {
  // Every start migrates: the place to say once that the database is not as durable as it should be.
  for (const w of await durabilityWarnings(store)) process.emitWarning(w, { code: 'TUMORBOARD_DURABILITY' });
  const migrator = new Migrator({ db: store.db, provider: migrationProvider(store.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export function inTransaction<T>(db: DB, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

/** A unique-constraint violation on either dialect (the way idempotent and unique creates detect a duplicate). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}
