import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate, openStore } from '../src/store/db.js';
import { loadDemo } from '../src/services/demo.service.js';

/** A SQLite file with the demo program at `patients` patients (cached per size under the temp folder). */
export async function benchDatabase(patients: number): Promise<string> {
  const file = path.join(os.tmpdir(), `tumorboard-bench-${patients}.db`);
  if (fs.existsSync(file)) return file;
  const tmp = `${file}.building`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  const store = openStore({ file: tmp });
  await migrate(store);
  const t0 = performance.now();
  await loadDemo({ store, now: () => new Date() }, { patients });
  process.stdout.write(`generated ${patients} patients in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  await store.close();
  fs.renameSync(tmp, file);
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  return file;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface BenchServer {
  base: string;
  /** The server process (for its CPU time). */
  pid: number | undefined;
  stop(): Promise<void>;
}

const BIN = path.resolve(import.meta.dirname, '..', 'bin', 'tumorboard.js');

/** Starts `tumorboard serve` on 127.0.0.1 and waits for its health check (the product as users run it). */
export async function startBenchServer(port: number, args: string[], env: Record<string, string> = {}): Promise<BenchServer> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), ...args], { stdio: 'ignore', env: { ...process.env, DATABASE_URL: '', ...env } });
  const base = `http://127.0.0.1:${port}`;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  // (A child that has already exited emits no further 'exit': waiting for one would leave the bench hanging.)
  const stop = async () => { if (exited()) return; const done = new Promise((r) => child.once('exit', r)); child.kill('SIGTERM'); await done; };
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/api/v1/health`)).ok) break; } catch { /* starting */ }
    if (exited()) throw new Error(`tumorboard serve exited (code ${child.exitCode ?? child.signalCode}) before answering; run it by hand to see why`);
    if (i > 600) { await stop(); throw new Error('server did not start within 30 s'); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { base, pid: child.pid, stop };
}

/** Signs in as a demo user and returns the session cookie. */
export async function benchLogin(base: string, username = 'coordinator'): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'tumorboard-demo' }) });
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** The PostgreSQL server benches create throwaway databases on (BENCH_DATABASE_URL, TEST_DATABASE_URL, or local). */
export const benchAdminUrl = (): string => process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates an empty PostgreSQL database named `<prefix>_<time>`; `drop()` removes it (even with connections left). */
export async function throwawayPgDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: benchAdminUrl() });
    await c.connect();
    try { await c.query(q); } finally { await c.end(); }
  };
  await admin(`create database ${name}`);
  const u = new URL(benchAdminUrl());
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}
