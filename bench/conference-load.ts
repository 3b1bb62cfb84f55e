/**
 * Issue 9 figure, conference load on loopback: 50 connections for 60 s (BENCH_SECONDS shortens it while developing)
 * against the real `tumorboard serve`, with a conference-day mix: 70% case detail reads (random case), 10% patient
 * searches (a random name fragment or diagnosis), 15% case status changes with If-Match (the coordinator moving cases
 * through the meeting), 5% new patients (unique MRN). Targets: zero 5xx and p95 under 100 ms, (a) on SQLite with one
 * node and (b) on PostgreSQL with two nodes on one throwaway database (25 connections each). Throughput is reported.
 *
 * No GET-before-update: the client keeps each case's last known status and version from every response it sees
 * (reads and updates alike) and sends that version in If-Match. When two connections pick the same case at once, the
 * loser gets 412 (stale) or 409 (a transition no longer allowed): those are expected conflicts, counted apart from
 * errors. BENCH_ONLY=sqlite or BENCH_ONLY=postgres runs one half; BENCH_PATIENTS sets the program size (400).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { CASE_TRANSITIONS, type CaseStatus } from '../src/domain/registry/types.js';
import { migrate, openStore } from '../src/store/db.js';
import { loadDemo } from '../src/services/demo.service.js';
import { benchDatabase, benchLogin, percentile, startBenchServer, throwawayPgDatabase, type BenchServer } from './fixture.js';

const KINDS = ['read', 'search', 'update', 'create'] as const;
type Kind = (typeof KINDS)[number];
/** Cumulative shares of the mix: read 70%, search 10%, update 15%, create 5%. */
const MIX: Array<[number, Kind]> = [[0.70, 'read'], [0.80, 'search'], [0.95, 'update'], [1, 'create']];
const DIAGNOSES = ['sarcoma', 'osteo', 'ewing', 'rhabdo', 'synovial', 'femur', 'tibia', 'pelvis', 'humerus', 'orbit'];
const READERS = ['oncologist', 'orthopedic', 'radiologist', 'pathologist', 'surgeon', 'medonc'];
const TARGET_P95_MS = 100;

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

interface KnownCase { id: string; status: CaseStatus; version: number }

/** What one run shares between its connections (and its nodes): sessions, cases and their last known versions. */
interface LoadState {
  cases: KnownCase[];
  byId: Map<string, KnownCase>;
  fragments: string[];
  coordinator: string;
  readers: string[];
  runId: string;
  created: number;
}

interface Ctx { kind?: Kind; caseId?: string }

interface Tally {
  latencies: number[];
  byKind: Record<Kind, { count: number; latencies: number[]; statuses: Record<string, number> }>;
  statuses: Record<string, number>;
  connectionErrors: number;
  timeouts: number;
}

export async function prepare(base: string): Promise<LoadState> {
  const coordinator = await benchLogin(base, 'coordinator');
  const readers: string[] = [];
  for (const u of READERS) readers.push(await benchLogin(base, u));
  const cases: KnownCase[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await (await fetch(`${base}/api/v1/cases?limit=200&offset=${offset}`, { headers: { cookie: coordinator } })).json() as { items: Array<{ id: string; status: CaseStatus }>; total: number };
    cases.push(...page.items.map((c) => ({ id: c.id, status: c.status, version: 0 })));
    if (page.items.length < 200) break;
  }
  // The list carries no version: learn each case's ETag once before the run (set-up, not part of the measured mix).
  for (let i = 0; i < cases.length; i += 10) {
    await Promise.all(cases.slice(i, i + 10).map(async (c) => {
      const d = await (await fetch(`${base}/api/v1/cases/${c.id}`, { headers: { cookie: coordinator } })).json() as KnownCase;
      c.version = d.version;
      c.status = d.status;
    }));
  }
  const patients = await (await fetch(`${base}/api/v1/patients?limit=200`, { headers: { cookie: coordinator } })).json() as { items: Array<{ familyName: string }> };
  // Name fragments (the first 3-4 letters of family names the program has) and diagnosis words.
  const fragments = [...new Set(patients.items.map((p, i) => p.familyName.slice(0, 3 + (i % 2)).toLowerCase()))].slice(0, 40).concat(DIAGNOSES);
  if (cases.length === 0 || readers.some((c) => !c) || !coordinator) throw new Error('bench set-up: no cases or no session');
  return { cases, byId: new Map(cases.map((c) => [c.id, c])), fragments, coordinator, readers, runId: Date.now().toString(36).toUpperCase(), created: 0 };
}

/** The request for one connection's next turn; the kind (and case) go into the connection's context for the answer. */
function nextRequest(st: LoadState, req: autocannon.Request, ctx: Ctx): autocannon.Request {
  const r = Math.random();
  const kind = MIX.find(([share]) => r < share)![1];
  ctx.kind = kind;
  const reader = pick(st.readers);
  if (kind === 'read') {
    const c = pick(st.cases);
    ctx.caseId = c.id;
    return { ...req, method: 'GET', path: `/api/v1/cases/${c.id}`, headers: { cookie: reader }, body: '' };
  }
  if (kind === 'search') {
    return { ...req, method: 'GET', path: `/api/v1/patients?q=${encodeURIComponent(pick(st.fragments))}&limit=25`, headers: { cookie: reader }, body: '' };
  }
  if (kind === 'update') {
    const c = pick(st.cases);
    ctx.caseId = c.id;
    return {
      ...req, method: 'POST', path: `/api/v1/cases/${c.id}/status`,
      headers: { cookie: st.coordinator, 'content-type': 'application/json', 'if-match': `W/"${c.version}"` },
      body: JSON.stringify({ status: pick(CASE_TRANSITIONS[c.status]), note: 'discussed at conference' }),
    };
  }
  const n = ++st.created;
  return {
    ...req, method: 'POST', path: '/api/v1/patients',
    headers: { cookie: st.coordinator, 'content-type': 'application/json' },
    body: JSON.stringify({ mrn: `LT-${st.runId}-${n}`, familyName: `Loadtest${n}`, givenName: 'Synthetic', birthDate: '2014-03-02', sex: n % 2 ? 'female' : 'male' }),
  };
}

/**
 * Keeps the case map current from answers: a newer version (read or update) replaces the known one. The version is
 * the ETag; the case's status is the first "status" of the body (the case's own fields come before the patient's and
 * the timeline's), so the load generator does not parse every body on the cores it shares with the server.
 */
function learn(st: LoadState, ctx: Ctx, status: number, body: string, headers: Record<string, string | string[]>): void {
  if (status !== 200 || !ctx.caseId || (ctx.kind !== 'read' && ctx.kind !== 'update')) return;
  const c = st.byId.get(ctx.caseId);
  const version = Number(/^W\/"(\d+)"$/.exec(String(headers.etag ?? headers.ETag ?? ''))?.[1] ?? Number.NaN);
  const seen = /"status":"([a-z_]+)"/.exec(body)?.[1] as CaseStatus | undefined;
  if (c && seen && version > c.version) { c.version = version; c.status = seen; }
}

function emptyTally(): Tally {
  const byKind = Object.fromEntries(KINDS.map((k) => [k, { count: 0, latencies: [], statuses: {} }])) as unknown as Tally['byKind'];
  return { latencies: [], byKind, statuses: {}, connectionErrors: 0, timeouts: 0 };
}

/** Runs autocannon against each base in parallel (the connections split evenly), sharing the state. */
export async function drive(bases: string[], st: LoadState, connections: number, seconds: number): Promise<{ tally: Tally; wallS: number }> {
  const tally = emptyTally();
  const t0 = performance.now();
  await Promise.all(bases.map((base, i) => {
    const conns = Math.floor(connections / bases.length) + (i < connections % bases.length ? 1 : 0);
    const instance = autocannon({
      url: base, connections: conns, duration: seconds, pipelining: 1, timeout: 10,
      requests: [{
        setupRequest: (req: autocannon.Request, ctx: Ctx) => nextRequest(st, req, ctx),
        onResponse: (status: number, body: string, ctx: Ctx, headers: Record<string, string | string[]>) => learn(st, ctx, status, body, headers),
      } as unknown as autocannon.Request],
    }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
    instance.on('response', (client: unknown, statusCode: number, _bytes: number, ms: number) => {
      // The connection's context still holds the answered request's kind (autocannon resets it for the next one).
      const kind = (client as { requestIterator?: { context?: Ctx } }).requestIterator?.context?.kind ?? 'read';
      const k = tally.byKind[kind];
      k.count++;
      k.latencies.push(ms);
      k.statuses[statusCode] = (k.statuses[statusCode] ?? 0) + 1;
      tally.latencies.push(ms);
      tally.statuses[statusCode] = (tally.statuses[statusCode] ?? 0) + 1;
    });
    return instance.then((r) => { tally.connectionErrors += r.errors - r.timeouts; tally.timeouts += r.timeouts; });
  }));
  return { tally, wallS: (performance.now() - t0) / 1000 };
}

const ms = (sorted: number[], p: number) => +percentile(sorted, p).toFixed(1);

export function report(setup: Record<string, unknown>, { tally, wallS }: { tally: Tally; wallS: number }): Record<string, unknown> {
  tally.latencies.sort((a, b) => a - b);
  const total = tally.latencies.length;
  const count = (pred: (code: number) => boolean) => Object.entries(tally.statuses).filter(([c]) => pred(Number(c))).reduce((n, [, v]) => n + v, 0);
  const fiveXx = count((c) => c >= 500);
  const conflicts = count((c) => c === 409 || c === 412);
  const non2xx = Object.fromEntries(Object.entries(tally.statuses).filter(([c]) => Number(c) >= 300));
  const perKind = Object.fromEntries(KINDS.map((k) => {
    const v = tally.byKind[k];
    v.latencies.sort((a, b) => a - b);
    return [k, { requests: v.count, share: +(v.count / Math.max(1, total)).toFixed(3), p50Ms: ms(v.latencies, 50), p95Ms: ms(v.latencies, 95), statuses: v.statuses }];
  }));
  const p95 = percentile(tally.latencies, 95);
  return {
    ...setup, durationS: +wallS.toFixed(1), requests: total, requestsPerSecond: Math.round(total / wallS),
    p50Ms: ms(tally.latencies, 50), p95Ms: ms(tally.latencies, 95), p99Ms: ms(tally.latencies, 99), maxMs: ms(tally.latencies, 100),
    status5xx: fiveXx, non2xxByStatus: non2xx, expectedConflicts: conflicts,
    conflictShareOfUpdates: +(conflicts / Math.max(1, tally.byKind.update.count)).toFixed(3),
    connectionErrors: tally.connectionErrors, timeouts: tally.timeouts, perKind,
    target: `zero 5xx, p95 < ${TARGET_P95_MS} ms`,
    met: fiveXx === 0 && tally.connectionErrors === 0 && tally.timeouts === 0 && p95 < TARGET_P95_MS,
  };
}

async function runSqlite(patients: number, connections: number, seconds: number): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bench-load-'));
  const file = path.join(dir, 'load.db');
  fs.copyFileSync(await benchDatabase(patients), file);
  const server = await startBenchServer(3991, ['--db', file]);
  try {
    const st = await prepare(server.base);
    process.stdout.write(`sqlite: ${st.cases.length} cases, ${connections} connections for ${seconds} s\n`);
    const run = await drive([server.base], st, connections, seconds);
    return report({ database: 'sqlite', nodes: 1, patients, cases: st.cases.length, connections }, run);
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runPostgres(patients: number, connections: number, seconds: number): Promise<Record<string, unknown>> {
  const db = await throwawayPgDatabase('tb_bench_load');
  const dbUrl = db.url;
  const nodes: BenchServer[] = [];
  try {
    const store = openStore({ databaseUrl: dbUrl });
    await migrate(store);
    await loadDemo({ store, now: () => new Date() }, { patients });
    await store.close();
    nodes.push(await startBenchServer(3992, [], { DATABASE_URL: dbUrl }));
    nodes.push(await startBenchServer(3993, [], { DATABASE_URL: dbUrl }));
    const st = await prepare(nodes[0]!.base);
    process.stdout.write(`postgresql: ${st.cases.length} cases, 2 nodes, ${connections} connections for ${seconds} s\n`);
    const run = await drive(nodes.map((n) => n.base), st, connections, seconds);
    const result = report({ database: 'postgresql', nodes: 2, patients, cases: st.cases.length, connections }, run);
    for (const n of nodes.splice(0)) await n.stop();
    return { ...result, floor: await postgresFloor(dbUrl, st.cases.map((c) => c.id), connections, Math.min(seconds, 20)) };
  } finally {
    for (const n of nodes) await n.stop();
    await db.drop();
  }
}

/**
 * What this machine allows on PostgreSQL at all: the same two-node set-up and 50 connections, but every request is
 * the bench-only bare case read (one row with its patient and tumour, no session, no permission, no transaction, no
 * audit, no writes). If even this floor's p95 is near the target, the full mix cannot meet it here.
 */
async function postgresFloor(dbUrl: string, caseIds: string[], connections: number, seconds: number): Promise<Record<string, unknown>> {
  const { startBareRouteServer } = await import('./cost-of-safety.js');
  const nodes = [await startBareRouteServer(3994, [], { DATABASE_URL: dbUrl }), await startBareRouteServer(3995, [], { DATABASE_URL: dbUrl })];
  try {
    const latencies: number[] = [];
    let requests = 0;
    const requestsFor = caseIds.map((id) => ({ method: 'GET' as const, path: `/bench/bare/cases/${id}` }));
    const runs = nodes.map((n) => {
      const instance = autocannon({ url: n.base, connections: connections / nodes.length, duration: seconds, requests: requestsFor }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
      instance.on('response', (_c: unknown, _status: number, _bytes: number, ms: number) => { latencies.push(ms); });
      return instance;
    });
    for (const r of await Promise.all(runs)) requests += r.requests.total;
    latencies.sort((a, b) => a - b);
    return {
      what: 'bare case reads only, two nodes, same connections: the floor under any audited mix on this machine',
      durationS: seconds, requestsPerSecond: Math.round(requests / seconds),
      p50Ms: +percentile(latencies, 50).toFixed(1), p95Ms: +percentile(latencies, 95).toFixed(1),
    };
  } finally {
    for (const n of nodes) await n.stop();
  }
}

export async function benchConferenceLoad(): Promise<Record<string, unknown>> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 60);
  const patients = Number(process.env.BENCH_PATIENTS ?? 400);
  const only = process.env.BENCH_ONLY;
  const connections = 50;
  const loadBefore = os.loadavg()[0]!;
  const out: Record<string, unknown> = {
    mix: 'read case 70%, search patients 10%, case status change with If-Match 15%, create patient 5%',
    machine: `${os.cpus().length} cores shared by the load generator (this process), the server node(s) and PostgreSQL; loopback`,
    loadAverageBefore: +loadBefore.toFixed(2),
  };
  if (only !== 'postgres') out.sqlite = await runSqlite(patients, connections, seconds);
  if (only !== 'sqlite') out.postgresql = await runPostgres(patients, connections, seconds);
  out.loadAverageAfter = +os.loadavg()[0]!.toFixed(2);
  return out;
}
