import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from '../../src/services/demo.service.js';

/** Shared pieces of the fault tests: the built server as a child process, sign-in, a private PostgreSQL cluster. */

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'tumorboard.js');
export const PG_OFF = process.env.TUMORBOARD_TEST_PG === 'off';

export function requireBuild(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('build the server first (npm run build:server)');
}

export interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
  /** Everything the process wrote (stdout and stderr), for failure messages. */
  output(): string;
}

/** Starts `tumorboard serve --port 0` on a SQLite file (`db`) or PostgreSQL (`databaseUrl`), loopback only. */
export async function startServer(opts: { cwd: string; db?: string; databaseUrl?: string; env?: Record<string, string> }): Promise<Server> {
  const args = [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', ...(opts.db ? ['--db', opts.db] : [])];
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd, env: { ...process.env, DATABASE_URL: opts.databaseUrl ?? '', LOG_LEVEL: 'error', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20_000);
    child.stdout!.on('data', () => {
      const m = /running at (http:\/\/\S+?)\/? /.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!.replace('localhost', '127.0.0.1')); }
    });
    void exited.then(() => { clearTimeout(timer); reject(new Error(`server exited:\n${out}`)); });
  });
  return { child, url, exited, output: () => out };
}

/** Ends a server that is still running (SIGKILL: nothing to flush, the tests check the database afterwards). */
export async function killServer(server: Server | undefined): Promise<void> {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}

/** Signs in a demo user and returns the `Cookie` header value. */
export async function login(url: string, username = 'coordinator'): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return /tb_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
}

/** A synthetic patient body with the given MRN. */
export function patientBody(mrn: string): string {
  return JSON.stringify({ mrn, familyName: 'Faultperson', givenName: 'Kim', birthDate: '2015-06-01', sex: 'female', preferredLanguage: 'English', interpreterNeeded: false, homeCountry: 'United States', guardians: [] });
}

/** `tumorboard audit verify` on the database; returns its exit status and output. */
export function auditVerify(cwd: string, target: { db?: string; databaseUrl?: string }) {
  return spawnSync(process.execPath, [BIN, 'audit', 'verify', ...(target.db ? ['--db', target.db] : [])], {
    cwd, env: { ...process.env, DATABASE_URL: target.databaseUrl ?? '' }, encoding: 'utf8',
  });
}

export async function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const srv = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The folder of PostgreSQL's server programs (initdb, pg_ctl), or undefined when none is installed. */
export function findPgBinDir(): string | undefined {
  const candidates: string[] = [];
  const cfg = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (cfg.status === 0) candidates.push(cfg.stdout.trim());
  const lib = '/usr/lib/postgresql';
  if (fs.existsSync(lib)) {
    for (const v of fs.readdirSync(lib).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(lib, v, 'bin'));
  }
  return candidates.find((d) => fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'pg_ctl')));
}

/**
 * A private PostgreSQL cluster for one test file, in a temporary folder, on a free loopback port with trust auth:
 * the machine's shared server (which other tests use) is never restarted. As root the programs run as the
 * `postgres` user (PostgreSQL refuses to run as root).
 */
export class PrivatePostgres {
  readonly dir: string;
  readonly data: string;
  port = 0;
  private readonly asRoot = process.getuid?.() === 0;

  constructor(private readonly bin: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-pg-'));
    this.data = path.join(this.dir, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Runs a server program (asynchronously: the test's clients keep running meanwhile). */
  private run(program: string, args: string[], timeoutMs = 60_000): Promise<string> {
    const cmd = path.join(this.bin, program);
    const [file, argv] = this.asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
    return new Promise((resolve, reject) => {
      execFile(file, argv, { encoding: 'utf8', timeout: timeoutMs, cwd: this.dir }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${program} ${args.join(' ')} failed: ${err.message}\n${stderr}${stdout}`));
        else resolve(stdout);
      });
    });
  }

  async init(): Promise<void> {
    if (this.asRoot) {
      fs.chmodSync(this.dir, 0o755);
      spawnSync('chown', ['-R', 'postgres:', this.dir]);
    }
    this.port = await freePort();
    await this.run('initdb', ['-D', this.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await this.start();
  }

  private options(): string {
    return `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on`;
  }

  async start(): Promise<void> {
    await this.run('pg_ctl', ['-D', this.data, '-o', this.options(), '-l', path.join(this.dir, 'log'), '-w', '-t', '30', 'start']);
  }

  /** `fast` ends sessions cleanly; `immediate` is a crash (recovery from the WAL on the next start). */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    await this.run('pg_ctl', ['-D', this.data, '-m', mode, '-w', '-t', '30', 'stop']);
  }

  async restart(mode: 'fast' | 'immediate'): Promise<void> {
    await this.run('pg_ctl', ['-D', this.data, '-o', this.options(), '-l', path.join(this.dir, 'log'), '-m', mode, '-w', '-t', '30', 'restart']);
  }

  /** Stops the cluster if it runs and deletes its folder; safe to call after any failure. */
  destroy(): void {
    if (fs.existsSync(path.join(this.data, 'postmaster.pid'))) {
      const args = ['-D', this.data, '-m', 'immediate', '-w', '-t', '30', 'stop'];
      const cmd = path.join(this.bin, 'pg_ctl');
      if (this.asRoot) spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { cwd: this.dir });
      else spawnSync(cmd, args, { cwd: this.dir });
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
