import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteDialectConfig, type Transaction } from 'kysely';
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
    // Fail fast while PostgreSQL is down or restarting: a connection attempt gives up after 2 s (the request answers
    // 503, src/http/errors.ts) instead of hanging; broken clients are dropped, new ones are made once it is back.
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, connectionTimeoutMillis: 2000 });
    pool.on('connect', (client) => {
      // A checked-out client whose server goes away between two queries (a restart in the middle of a transaction)
      // emits 'error' with no pool listener attached: without this one the process would crash. The client is then
      // not queryable, its next query fails (503), and the pool drops it on release.
      client.on('error', () => {});
      // (A failure here also fails the client's next query, which reports it; it must not be an unhandled rejection.)
      client.query('SET synchronous_commit = on').catch(() => {});
    });
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
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
}

/** Compiled statements kept per SQLite connection (the app's distinct queries number in the hundreds). */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * Kysely prepares every query it runs, and better-sqlite3 compiles SQL on each `prepare`: the compiled statements of
 * repeated queries are kept (bounded; the oldest is dropped first). Safe on the one connection: Kysely runs one query
 * at a time on it and never leaves a statement mid-iteration, and SQLite re-prepares a cached statement by itself
 * when the schema changes (migrations).
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => { cache.clear(); sqlite.close(); },
    prepare: (text: string) => {
      let stmt = cache.get(text);
      if (!stmt) {
        stmt = sqlite.prepare(text);
        cache.set(text, stmt);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
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

/** Node socket errors that mean the database server cannot be reached right now. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** PostgreSQL SQLSTATEs of a lost or refused session: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** pg and pg-pool report a dropped connection or a connect timeout by message only. */
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|terminating connection|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * True when a database error means "the database is unavailable right now" (PostgreSQL down or restarting, a lost
 * connection, SQLite still locked after busy_timeout), not a fault of the request or the code: HTTP answers 503 with
 * Retry-After. A write whose COMMIT was cut off is among them, so its outcome is never reported as a success.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 3) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_BUSY_TIMEOUT') return true;
  // A SQLSTATE of another class (a constraint, a syntax error) is an answer from a working server.
  if (/^[0-9A-Z]{5}$/.test(code) && !code.startsWith('E')) return false;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  // Node reports a refused connection to a name with several addresses as an AggregateError; errors may carry a cause.
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
