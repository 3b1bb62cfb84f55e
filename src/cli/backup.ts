import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { AppError } from '../domain/errors.js';
import { storeOptions } from '../config.js';
import { tablesWithRows } from '../store/catalog.js';
import { migrate, openStore } from '../store/db.js';
import { verifyAuditChain } from '../services/audit-report.js';
import { withStore } from './admin.js';
import { describeVerdict } from './audit.js';

/**
 * `tumorboard backup FILE` / `tumorboard restore FILE` (DESIGN.md §4, issue #9 item 5), with `--db FILE` (SQLite)
 * or DATABASE_URL (PostgreSQL).
 *
 * - SQLite: SQLite's online backup API (better-sqlite3 `backup()`), copying every page in one step so the copy is
 *   one consistent snapshot while the server keeps writing (a step-wise copy would restart on every write).
 * - PostgreSQL: `pg_dump -Fc` (one repeatable-read snapshot) and `pg_restore --clean --if-exists` in a single
 *   transaction. The client tools must be on PATH (or PG_DUMP / PG_RESTORE name them).
 *
 * A backup is written to FILE.partial, flushed to disk and renamed, so FILE is either complete or absent; an
 * existing FILE is kept unless --force. A restore refuses a target that holds data unless --force, migrates the
 * restored schema to the current version and verifies the audit chain (exit 1 if it is broken).
 */

const SQLITE_MAGIC = 'SQLite format 3\0';
const PGDUMP_MAGIC = 'PGDMP';
/** Pages per backup step: all of them at once (better-sqlite3 caps the step at 0x7fffffff). */
const ALL_PAGES = 0x7fffffff;

interface Parsed { file: string; db: string | undefined; force: boolean }

function parse(cmd: string, args: string[]): Parsed {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { db: { type: 'string' }, force: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) throw new AppError('validation', `FILE: give exactly one backup file (tumorboard ${cmd} FILE [--db FILE] [--force])`, { field: 'FILE' });
  return { file: path.resolve(positionals[0]!), db: values.db, force: values.force ?? false };
}

export async function backupCommand(args: string[]): Promise<number> {
  const { file, db, force } = parse('backup', args);
  if (fs.existsSync(file) && !force) throw new AppError('conflict', `FILE: ${file} already exists (use --force to overwrite it)`, { field: 'FILE' });
  if (!fs.existsSync(path.dirname(file))) throw new AppError('validation', `FILE: the folder ${path.dirname(file)} does not exist`, { field: 'FILE' });
  const opts = storeOptions(db);
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  if (opts.databaseUrl) {
    const { args: connArgs, env } = pgConnection(opts.databaseUrl);
    await runTool('PG_DUMP', 'pg_dump', ['--format=custom', `--file=${partial}`, ...connArgs], env);
    await runTool('PG_RESTORE', 'pg_restore', ['--list', partial], env); // readable as a dump
    syncAndRename(partial, file);
    process.stdout.write(`backup written: ${file} (${fs.statSync(file).size} bytes, pg_dump custom format)\n`);
    return 0;
  }
  const source = opts.file!;
  if (!fs.existsSync(source)) throw new AppError('validation', `--db: no database at ${source}`, { field: '--db' });
  await sqliteBackup(source, partial);
  // Check the copy before it replaces anything: readable, and its audit chain intact.
  const copy = openStore({ file: partial });
  let verdict;
  try {
    await checkIntegrity(partial);
    verdict = await verifyAuditChain(copy.db);
  } finally {
    await copy.close();
  }
  syncAndRename(partial, file);
  process.stdout.write(`backup written: ${file} (${fs.statSync(file).size} bytes); ${describeVerdict(verdict)}\n`);
  return verdict.ok ? 0 : 1;
}

export async function restoreCommand(args: string[]): Promise<number> {
  const { file, db, force } = parse('restore', args);
  if (!fs.existsSync(file)) throw new AppError('validation', `FILE: no backup at ${file}`, { field: 'FILE' });
  const magic = readMagic(file);
  const opts = storeOptions(db);
  const isPg = Boolean(opts.databaseUrl);
  if (isPg && !magic.startsWith(PGDUMP_MAGIC)) throw new AppError('validation', `FILE: ${file} is not a PostgreSQL custom-format dump (a SQLite backup restores with --db FILE)`, { field: 'FILE' });
  if (!isPg && magic !== SQLITE_MAGIC) throw new AppError('validation', `FILE: ${file} is not a SQLite backup (a pg_dump file restores with DATABASE_URL)`, { field: 'FILE' });

  const target = isPg ? undefined : opts.file!;
  if (isPg || fs.existsSync(target!)) {
    const filled = await withStore(db, (store) => tablesWithRows(store));
    if (filled.length > 0 && !force) {
      throw new AppError('conflict', `the target database is not empty (${filled.length} table(s) hold rows, e.g. ${filled.slice(0, 3).join(', ')}): restore refuses to overwrite it without --force`);
    }
  }
  if (isPg) {
    const { args: connArgs, env } = pgConnection(opts.databaseUrl!);
    await runTool('PG_RESTORE', 'pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', ...connArgs, file], env);
  } else {
    fs.mkdirSync(path.dirname(path.resolve(target!)), { recursive: true });
    await sqliteBackup(file, target!);
  }
  return withStore(db, async (store) => {
    await migrate(store);
    const verdict = await verifyAuditChain(store.db);
    process.stdout.write(`restored ${file} into ${store.location}; ${describeVerdict(verdict)}\n`);
    return verdict.ok ? 0 : 1;
  });
}

/** Copies one SQLite database into another file through the online backup API, all pages in one step. */
async function sqliteBackup(from: string, to: string): Promise<void> {
  const src = new SQLite(from, { fileMustExist: true });
  try {
    src.pragma('busy_timeout = 5000');
    await src.backup(to, { progress: () => ALL_PAGES });
  } finally {
    src.close();
  }
}

async function checkIntegrity(file: string): Promise<void> {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    const r = String(db.pragma('quick_check', { simple: true }));
    if (r !== 'ok') throw new Error(`backup ${file} failed its integrity check: ${r}`);
  } finally {
    db.close();
  }
}

function syncAndRename(partial: string, file: string): void {
  const fd = fs.openSync(partial, 'r+');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  fs.renameSync(partial, file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try { fs.fsyncSync(dir); } finally { fs.closeSync(dir); }
}

function readMagic(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = fs.readSync(fd, buf, 0, 16, 0);
    return buf.subarray(0, n).toString('latin1');
  } finally {
    fs.closeSync(fd);
  }
}

/** The database URL for the client tools, with the password passed in the environment (never on the command line). */
function pgConnection(url: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (u.password) { env.PGPASSWORD = decodeURIComponent(u.password); u.password = ''; }
  return { args: [`--dbname=${u.toString()}`], env };
}

/** Runs a PostgreSQL client tool; a missing binary or a failure becomes a clear error (exit 1). */
function runTool(envName: string, name: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const bin = process.env[envName] || name;
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT'
        ? new AppError('unavailable', `${name} not found: install the PostgreSQL client tools (the server's major version or newer) or set ${envName} to its path`)
        : err);
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new AppError('internal', `${name} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}
