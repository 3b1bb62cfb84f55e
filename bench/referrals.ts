import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, startBenchServer } from './fixture.js';

const SELF = fileURLToPath(import.meta.url);
const ROLE_FLAG = '--bench-referrals-role=';

function form(i: number, pdf: Buffer): { body: Buffer; type: string } {
  const boundary = `----tbbench${i}`;
  const referral = {
    patient: { familyName: `Benchfamily${i}`, givenName: 'Ana', birthDate: '2013-03-14', homeCountry: i % 3 === 0 ? 'Mexico' : 'United States' },
    referrer: { name: 'Dr. Bench Referrer', role: 'physician', email: `referrer${i}@example.org` },
    diagnosisText: 'Suspected osteosarcoma, distal femur', urgency: i % 10 === 0 ? 'urgent' : 'routine',
    consentToShare: true, preferredLanguage: i % 3 === 0 ? 'Spanish' : 'English',
  };
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="referral"\r\n\r\n${JSON.stringify(referral)}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="report-${i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    pdf, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

const benchPdf = () => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024 - 9, 0x20)]);

// ---------------------------------------------------------------------------------------------------------------
// The load generator runs in its own process (a child of the bench), so its CPU use is not taken from the server's
// event loop, and it is lean: every request body is built before the clock starts, sent with node:http on its own
// connection, and all requests are started at once. Latency = from the request's start (http.request, before the
// TCP connect) to the last byte of its response.
// ---------------------------------------------------------------------------------------------------------------

interface LoadJob { base: string; path: string; keys: string[] }
interface LoadResult { latencies: number[]; statuses: Record<string, number>; idByKey: Array<[string, string | null]>; clientCpuMs: number; wallMs: number }

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const u = new URL(job.base);
  const f = form(1, benchPdf());
  const statuses: Record<string, number> = {};
  const idByKey: Array<[string, string | null]> = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const latencies = await Promise.all(job.keys.map((key) => new Promise<number>((resolve, reject) => {
    const start = performance.now();
    const req = http.request({
      host: u.hostname, port: u.port, path: job.path, method: 'POST', agent: false,
      headers: { 'content-type': f.type, 'content-length': f.body.length, 'idempotency-key': key },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - start;
        statuses[res.statusCode!] = (statuses[res.statusCode!] ?? 0) + 1;
        let id: string | null = null;
        try { id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: string }).id ?? null; } catch { /* non-JSON body */ }
        idByKey.push([key, id]);
        resolve(ms);
      });
      res.on('error', reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout after 60 s')));
    req.on('error', reject);
    req.end(f.body);
  })));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { latencies, statuses, idByKey, clientCpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

/** The floor servers: the same uploads against a bare node:http server, to see what the machine itself costs. */
function floorServer(kind: 'drain' | 'store', port: number, dir: string): Promise<http.Server> {
  return (async () => {
    const { fileStore } = await import('../src/store/files.js');
    const files = fileStore(dir);
    const server = http.createServer((req, res) => {
      const answer = (status: number, body: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
      if (kind === 'drain') {
        // Only moving the bytes: read the whole body, answer.
        let n = 0;
        req.on('data', (c: Buffer) => { n += c.length; });
        req.on('end', () => answer(201, { id: null, bytes: n }));
        return;
      }
      // The product's file store on the raw body: streamed to a temp file while hashed, fsync, rename, directory
      // fsync. No multipart parsing, no database.
      files.stage(req).then((st) => st.commit()).then((sha) => answer(201, { id: null, sha })).catch((err: Error) => answer(500, { error: err.message }));
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    return server;
  })();
}

// A child process started by this file: the load client, or a floor server.
const role = process.argv.find((a) => a.startsWith(ROLE_FLAG))?.slice(ROLE_FLAG.length);
if (role) {
  const send = (m: unknown) => process.send!(m);
  if (role === 'client') {
    process.on('message', (job: LoadJob) => { runLoad(job).then((r) => send({ ok: r }), (err: Error) => send({ error: err.message })); });
    send({ ready: true });
  } else if (role === 'drain' || role === 'store') {
    const port = Number(process.argv[process.argv.length - 2]);
    const dir = process.argv[process.argv.length - 1]!;
    void floorServer(role, port, dir).then(() => send({ ready: true }));
    process.on('disconnect', () => process.exit(0));
  }
}

function forkRole(r: string, args: string[] = []): Promise<ChildProcess> {
  const child = fork(SELF, [`${ROLE_FLAG}${r}`, ...args], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench ${r} process exited (${code})`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Runs one load in the client process. */
async function load(client: ChildProcess, job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    client.once('message', (m: { ok?: LoadResult; error?: string }) => (m.ok ? resolve(m.ok) : reject(new Error(m.error))));
    client.send(job);
  });
}

// ---- CPU accounting (Linux /proc; zeros elsewhere): who used the two cores during a run ----

const TICK_MS = 10; // USER_HZ = 100 on Linux

function procCpuMs(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS; // utime + stime
  } catch {
    return 0;
  }
}

/** Busy and total CPU time of the machine so far (all cores), in ms. */
function machineCpuMs(): { busy: number; total: number } {
  try {
    const v = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3]! + v[4]!;
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
  } catch {
    return { busy: 0, total: 0 };
  }
}

async function busyPct(ms: number): Promise<number> {
  const a = machineCpuMs();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineCpuMs();
  return b.total > a.total ? Math.round((100 * (b.busy - a.busy)) / (b.total - a.total)) : 0;
}

/** A load with the server's, the client's and everyone else's CPU time over it. */
async function measured(client: ChildProcess, job: LoadJob, serverPid: number | undefined) {
  const m0 = machineCpuMs();
  const s0 = procCpuMs(serverPid);
  const r = await load(client, job);
  const serverCpuMs = procCpuMs(serverPid) - s0;
  const m1 = machineCpuMs();
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    r, sorted,
    cpu: { serverCpuMs, clientCpuMs: Math.round(r.clientCpuMs), otherCpuMs: Math.max(0, Math.round(m1.busy - m0.busy - serverCpuMs - r.clientCpuMs)), wallMs: Math.round(r.wallMs) },
  };
}

const p = (sorted: number[], q: number) => Math.round(percentile(sorted, q));

/**
 * Issue 4 figure: 200 concurrent public referral submissions, each with a 1 MB PDF, on loopback. 20 of them are
 * sent twice with the same Idempotency-Key (a retried request): all 220 in flight at once. Checks in the database
 * afterwards: exactly 200 referrals and 200 attachments (zero lost, zero duplicates), and every retry answered with
 * its original's id. Reports the p95 latency (request start to complete response).
 *
 * The load generator runs in a separate process (it used to run inside this process, with autocannon, which also
 * built each connection's 1 MB request one after another and so started the last requests late). Floors, with the
 * same client and the same 220 uploads: `transportFloor` (the product server answering 404 on an unknown path),
 * `drainFloor` (a bare node:http server that reads each body whole and answers) and `storeFloor` (a bare node:http
 * server that puts each body through the product's file store: hash, write, fsync, rename, directory fsync).
 */
export async function benchReferrals(concurrent = 200, retried = 20): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bench-ref-'));
  const db = path.join(dir, 'bench.db');
  const port = 3960;
  // BENCH_DATABASE_URL runs the same load against PostgreSQL (an empty database); SQLite otherwise.
  const pgUrl = process.env.BENCH_DATABASE_URL;
  const server = await startBenchServer(port, [...(pgUrl ? [] : ['--db', db]), '--demo'], { DATABASE_URL: pgUrl ?? '', PUBLIC_RATE_LIMIT: '100000', FILES_DIR: path.join(dir, 'files') });
  const client = await forkRole('client');
  const floors: ChildProcess[] = [];
  try {
    const base = server.base;
    const runId = Date.now().toString(36);
    // Keys 0..199 once each, then 20 of them again (a retried request): all 220 in flight at once.
    const keys = Array.from({ length: concurrent }, (_, i) => `bench-${runId}-${i}`).concat(Array.from({ length: retried }, (_, i) => `bench-${runId}-${i * 7}`));
    const machineBusyBeforePct = await busyPct(1000);
    const main = await measured(client, { base, path: '/api/v1/referrals/public', keys }, server.pid);

    // The floors (same client, same 220 uploads).
    const floorKeys = keys.map((k) => `${k}-floor`);
    const transport = await measured(client, { base, path: '/assets/no-such-upload-target', keys: floorKeys }, server.pid);
    const floorRun = async (kind: 'drain' | 'store', floorPort: number) => {
      const floorDir = path.join(dir, `floor-${kind}`);
      const child = await forkRole(kind, [String(floorPort), floorDir]);
      floors.push(child);
      const res = await measured(client, { base: `http://127.0.0.1:${floorPort}`, path: '/upload', keys: floorKeys }, child.pid);
      await stopChild(child);
      return res;
    };
    const drain = await floorRun('drain', port + 1);
    const store = await floorRun('store', port + 2);

    const { openStore } = await import('../src/store/db.js');
    const st = openStore(pgUrl ? { databaseUrl: pgUrl } : { file: db });
    const referrals = Number((await st.db.selectFrom('referrals').select((eb) => eb.fn.countAll<number>().as('n')).where('reference', 'like', 'REF-%').where('search_text', 'like', '%benchfamily%').executeTakeFirstOrThrow()).n);
    const attachments = Number((await st.db.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    await st.close();

    // Every answer for a retried key (the original and the retry) must carry one and the same id.
    const idsByKey = new Map<string, Set<string | null>>();
    for (const [key, id] of main.r.idByKey) idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(id));
    const retriesMatched = Array.from({ length: retried }, (_, i) => idsByKey.get(`bench-${runId}-${i * 7}`))
      .filter((ids) => ids !== undefined && ids.size === 1 && [...ids][0] !== null).length;
    const distinct = new Set(main.r.idByKey.map(([, id]) => id).filter(Boolean));
    return {
      database: pgUrl ? 'postgresql' : 'sqlite', requests: keys.length, concurrentForms: concurrent, retriedWithSameKey: retried, attachmentBytes: benchPdf().length,
      statuses: main.r.statuses,
      referralsStored: referrals, attachmentsStored: attachments,
      distinctIdsReturned: distinct.size, retriesAnsweredWithOriginalId: retriesMatched, lost: concurrent - referrals, duplicates: Math.max(0, referrals - concurrent),
      p50Ms: p(main.sorted, 50), p95Ms: p(main.sorted, 95), maxMs: p(main.sorted, 100),
      targetP95Ms: 300,
      transportFloorP95Ms: p(transport.sorted, 95),
      drainFloorP95Ms: p(drain.sorted, 95),
      storeFloorP95Ms: p(store.sorted, 95),
      cpu: { machineCores: os.cpus().length, machineBusyBeforePct, referrals: main.cpu, transportFloor: transport.cpu, drainFloor: drain.cpu, storeFloor: store.cpu },
      client: 'separate process, node:http, one connection per request, all started at once',
    };
  } finally {
    for (const c of floors) await stopChild(c);
    await stopChild(client);
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
