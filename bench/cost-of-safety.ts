/**
 * Issue 9 figure, the cost of safety: the audited, authorized case read (`GET /api/v1/cases/:id` with a session:
 * session lookup, permission check, one transaction with the audit entry appended to the hash chain, committed
 * durably before the answer) must keep at least 40% of the throughput of a bare route that returns the same case
 * (the same repository calls, the same JSON) with no session, no permission check, no transaction and no audit.
 *
 * One server process runs the real app (buildApp, as `tumorboard serve` builds it) plus ONE bench-only route,
 * `GET /bench/bare/cases/:id`, registered here and never in the product. Both sides are measured in the same run,
 * alternating (bare, audited, bare, audited, ...), with the same connections and duration; the median round per side
 * counts. On SQLite and on PostgreSQL. BENCH_ROUNDS (3), BENCH_SECONDS (10 per round), BENCH_ONLY=sqlite|postgres.
 *
 * This file is also the server: `tsx bench/cost-of-safety.ts --serve PORT` (the store from --db or DATABASE_URL).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { benchDatabase, benchLogin, throwawayPgDatabase, type BenchServer } from './fixture.js';

const TARGET_RATIO = 0.4;

/** The server side: the product's app as `serve` builds it, plus the bare route. */
async function serveBench(port: number, file: string | undefined): Promise<void> {
  const { default: pino } = await import('pino');
  const { buildApp } = await import('../src/http/app.js');
  const { makeLogger } = await import('../src/cli/serve.js');
  const { migrate, openStore } = await import('../src/store/db.js');
  const { createEventBus } = await import('../src/services/events.js');
  const { casesRepo } = await import('../src/store/cases.repo.js');
  const { patientsRepo } = await import('../src/store/patients.repo.js');
  const { tumorsRepo } = await import('../src/store/tumors.repo.js');
  const { storeOptions } = await import('../src/config.js');
  const opts = storeOptions(file);
  const store = openStore(opts);
  await migrate(store);
  const bus = createEventBus(store, opts.databaseUrl);
  const app = await buildApp({ services: { store, now: () => new Date() }, bus, logger: makeLogger(process.env.LOG_LEVEL ?? 'warn', pino.destination(2)) });
  const inst = await store.db.selectFrom('institutions').select('id').where('code', '=', 'LCH').executeTakeFirstOrThrow();
  // The bare route: what getCase reads (case with its timeline, patient, tumour), straight from the repositories.
  app.get('/bench/bare/cases/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const c = await casesRepo.get(store.db, inst.id, id);
    if (!c) return reply.status(404).send({ error: { code: 'not_found' } });
    const patient = await patientsRepo.get(store.db, inst.id, c.patientId);
    const tumor = c.tumorId ? (await tumorsRepo.get(store.db, inst.id, c.tumorId)) ?? null : null;
    return reply.header('etag', `W/"${c.version}"`).send({ ...c, patient, tumor });
  });
  process.once('SIGTERM', () => void app.close().then(() => bus.close()).then(() => store.close()).then(() => process.exit(0)));
  await app.listen({ port, host: '127.0.0.1' });
}

/** Starts the product's app plus the bench-only bare route (`GET /bench/bare/cases/:id`) in a process of its own. */
export async function startBareRouteServer(port: number, args: string[], env: Record<string, string>): Promise<BenchServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', String(port), ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DATABASE_URL: '', ...env } });
  const base = `http://127.0.0.1:${port}`;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => { if (exited()) return; const done = new Promise((r) => child.once('exit', r)); child.kill('SIGTERM'); await done; };
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/api/v1/health`)).ok) break; } catch { /* starting */ }
    if (exited()) throw new Error(`bench server exited (code ${child.exitCode ?? child.signalCode}) before answering`);
    if (i > 1200) { await stop(); throw new Error('bench server did not start within 60 s'); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { base, pid: child.pid, stop };
}

async function round(base: string, paths: string[], cookie: string | undefined, connections: number, seconds: number): Promise<{ rps: number; non200: number }> {
  let non200 = 0;
  const instance = autocannon({
    url: base, connections, duration: seconds, ...(cookie ? { headers: { cookie } } : {}),
    requests: paths.map((p) => ({ method: 'GET', path: p })),
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on('response', (_c: unknown, status: number) => { if (status !== 200) non200++; });
  const r = await instance;
  return { rps: Math.round(r.requests.total / seconds), non200: non200 + r.errors };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function compare(database: string, server: BenchServer, rounds: number, seconds: number, connections: number): Promise<Record<string, unknown>> {
  const cookie = await benchLogin(server.base, 'oncologist');
  const list = await (await fetch(`${server.base}/api/v1/cases?limit=200`, { headers: { cookie } })).json() as { items: Array<{ id: string }> };
  const ids = list.items.map((c) => c.id);
  const bare = ids.map((id) => `/bench/bare/cases/${id}`);
  const real = ids.map((id) => `/api/v1/cases/${id}`);
  // Same answer from both (apart from nothing): the bare route is a fair baseline.
  const [b, r] = await Promise.all([fetch(`${server.base}${bare[0]}`).then((x) => x.text()), fetch(`${server.base}${real[0]}`, { headers: { cookie } }).then((x) => x.text())]);
  if (b !== r) throw new Error('bench set-up: the bare route does not return what the audited route returns');
  const bareRps: number[] = [], auditedRps: number[] = [];
  let non200 = 0;
  // Warm-up of both sides (JIT, caches), not counted.
  await round(server.base, bare, undefined, connections, 3);
  await round(server.base, real, cookie, connections, 3);
  for (let i = 0; i < rounds; i++) {
    const x = await round(server.base, bare, undefined, connections, seconds);
    const y = await round(server.base, real, cookie, connections, seconds);
    bareRps.push(x.rps); auditedRps.push(y.rps); non200 += x.non200 + y.non200;
    process.stdout.write(`${database} round ${i + 1}: bare ${x.rps} req/s, audited ${y.rps} req/s\n`);
  }
  const ratio = median(auditedRps) / median(bareRps);
  return {
    database, connections, secondsPerRound: seconds, rounds, cases: ids.length, bareRps, auditedRps,
    bareMedianRps: median(bareRps), auditedMedianRps: median(auditedRps), ratio: +ratio.toFixed(3), non200,
    targetRatio: TARGET_RATIO, met: ratio >= TARGET_RATIO && non200 === 0,
  };
}

export async function benchCostOfSafety(): Promise<Record<string, unknown>> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const patients = Number(process.env.BENCH_PATIENTS ?? 400);
  const connections = 10;
  const only = process.env.BENCH_ONLY;
  const out: Record<string, unknown> = {
    machine: `${os.cpus().length} cores shared by the load generator (this process), the server and PostgreSQL; loopback`,
    loadAverageBefore: +os.loadavg()[0]!.toFixed(2),
  };
  if (only !== 'postgres') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bench-cos-'));
    const file = path.join(dir, 'cos.db');
    fs.copyFileSync(await benchDatabase(patients), file);
    const server = await startBareRouteServer(3994, ['--db', file], {});
    try {
      out.sqlite = await compare('sqlite', server, rounds, seconds, connections);
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only !== 'sqlite') {
    const db = await throwawayPgDatabase('tb_bench_cos');
    const dbUrl = db.url;
    try {
      // Seeded by the product's own demo loader (the same program as the SQLite side).
      const { migrate, openStore } = await import('../src/store/db.js');
      const { loadDemo } = await import('../src/services/demo.service.js');
      const store = openStore({ databaseUrl: dbUrl });
      await migrate(store);
      await loadDemo({ store, now: () => new Date() }, { patients });
      await store.close();
      const server = await startBareRouteServer(3996, [], { DATABASE_URL: dbUrl });
      try {
        out.postgresql = await compare('postgresql', server, rounds, seconds, connections);
      } finally {
        await server.stop();
      }
    } finally {
      await db.drop();
    }
  }
  out.loadAverageAfter = +os.loadavg()[0]!.toFixed(2);
  return out;
}

if (process.argv[2] === '--serve' && process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dbFlag = process.argv.indexOf('--db');
  serveBench(Number(process.argv[3]), dbFlag > 0 ? process.argv[dbFlag + 1] : undefined).catch((err) => { console.error(err); process.exit(1); });
}
