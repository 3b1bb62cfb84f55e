/**
 * Conference meeting mode figure: fan-out latency of live updates across two app nodes on one PostgreSQL.
 *
 * Two "nodes" run as separate processes (this file, started with `node` mode), each a Fastify app with its own
 * `postgresBus` and the SSE route, on 127.0.0.1 over a throwaway database. 60 SSE participants (30 per node) follow
 * one conference; the "coordinator" makes 50 changes through node A (`POST /publish` → `bus.publish`, as a service
 * does after its commit). Per event: time from the coordinator's request to the LAST participant receiving it.
 * Admin URL: BENCH_DATABASE_URL, TEST_DATABASE_URL, or postgres://postgres@127.0.0.1:5432/postgres.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { percentile } from './fixture.js';

const CHANNEL = 'conference:bench';
const CONFERENCE = 'bench-conference';
const TARGET_MS = 250;

interface NodeProc { name: string; child: ChildProcess; port: number }

/** One app node: its own bus and HTTP server; prints its port, stops when stdin closes. */
async function runNode(databaseUrl: string): Promise<void> {
  const [{ default: Fastify }, { default: helmet }, { postgresBus }, { endStreamsOnClose, streamEvents }] = await Promise.all([
    import('fastify'), import('@fastify/helmet'), import('../src/services/events.js'), import('../src/http/sse.js'),
  ]);
  const bus = postgresBus(databaseUrl, { onError: (e) => process.stderr.write(`bus: ${e.message}\n`) });
  await bus.ready();
  let version = 0;
  bus.subscribe(CHANNEL, (e) => { version = Math.max(version, e.version); });
  const app = Fastify({ logger: false });
  await app.register(helmet); // the production app's headers, to measure the same path
  endStreamsOnClose(app);
  app.get('/events', (req, reply) => streamEvents(req, reply, bus, CHANNEL, {
    initial: () => ({ type: 'conference.state', conferenceId: CONFERENCE, version, at: new Date().toISOString() }),
  }));
  app.post<{ Body: { version: number } }>('/publish', async (req) => {
    await bus.publish(CHANNEL, { type: 'agenda.moved', conferenceId: CONFERENCE, version: req.body.version, at: new Date().toISOString() });
    return { ok: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}\n`);
  const stop = async () => { await app.close(); await bus.close(); process.exit(0); };
  process.stdin.on('end', () => { void stop(); });
  process.stdin.on('error', () => { void stop(); });
  process.stdin.resume();
}

function startNode(name: string, databaseUrl: string): Promise<NodeProc> {
  const root = path.resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'node', databaseUrl], {
    cwd: root, stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`node ${name} did not start in 30 s`)); }, 30_000);
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve({ name, child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`node ${name} exited (${code})`)); });
  });
}

async function stopNode(n: NodeProc): Promise<void> {
  if (n.child.exitCode !== null) return;
  const exited = new Promise<void>((r) => n.child.once('exit', () => r()));
  n.child.stdin!.end();
  const t = setTimeout(() => n.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

interface Participant { req: http.ClientRequest; hello: boolean; node: string }

/** An SSE follower; `onEvent(version, t)` for every received event. */
function follow(port: number, node: string, onEvent: (version: number, t: number) => void): Promise<Participant> {
  return new Promise((resolve, reject) => {
    const p: Participant = { req: undefined as unknown as http.ClientRequest, hello: false, node };
    p.req = http.get({ host: '127.0.0.1', port, path: '/events', agent: false }, (res) => {
      if (res.statusCode !== 200) { reject(new Error(`stream answered ${res.statusCode}`)); return; }
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        const t = performance.now();
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const id = /^id: (\d+)$/m.exec(block)?.[1];
          if (event === 'hello') { p.hello = true; resolve(p); } else if (event && id) onEvent(Number(id), t);
        }
      });
      res.on('error', () => {});
    });
    p.req.on('error', (err) => { if (!p.hello) reject(err); });
  });
}

function post(agent: http.Agent, port: number, urlPath: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchLive(participants = 60, events = 50, paceMs = 40): Promise<Record<string, unknown>> {
  const admin = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const host = new URL(admin).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') throw new Error(`the live bench talks only to 127.0.0.1, not ${host}`);
  const dbName = `tb_bench_live_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const adminClient = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try { return await fn(c); } finally { await c.end(); }
  };
  await adminClient((c) => c.query(`create database ${dbName}`));
  const u = new URL(admin);
  u.pathname = `/${dbName}`;
  const nodes: NodeProc[] = [];
  const followers: Participant[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const deadline = setTimeout(() => { process.stderr.write('live bench: 120 s limit reached\n'); process.exit(1); }, 120_000);
  deadline.unref();
  try {
    nodes.push(...await Promise.all([startNode('A', u.toString()), startNode('B', u.toString())]));
    const [a, b] = nodes as [NodeProc, NodeProc];

    // received[v] = receive times of event v, one per participant (duplicates counted apart).
    const received = new Map<number, number[]>();
    const perNodeLast = new Map<string, Map<number, number>>([['A', new Map()], ['B', new Map()]]);
    let duplicates = 0;
    let outOfOrder = 0;
    const lastSeen = new Map<number, number>();
    for (let i = 0; i < participants; i++) {
      const node = i % 2 === 0 ? a : b;
      const idx = i;
      followers.push(await follow(node.port, node.name, (v, t) => {
        const prev = lastSeen.get(idx) ?? 0;
        if (v === prev) duplicates++;
        else if (v < prev) outOfOrder++;
        lastSeen.set(idx, Math.max(prev, v));
        const list = received.get(v) ?? [];
        list.push(t);
        received.set(v, list);
        const m = perNodeLast.get(node.name)!;
        m.set(v, Math.max(m.get(v) ?? 0, t));
      }));
    }

    const run = async (from: number, count: number, pace: number) => {
      const sent = new Map<number, number>();
      const ack: number[] = [];
      for (let v = from; v < from + count; v++) {
        const t0 = performance.now();
        sent.set(v, t0);
        const status = await post(agent, a.port, '/publish', { version: v });
        if (status !== 200) throw new Error(`publish answered ${status}`);
        ack.push(performance.now() - t0);
        if (pace) await sleep(pace);
      }
      const complete = () => [...sent.keys()].every((v) => (received.get(v)?.length ?? 0) >= participants);
      for (let i = 0; i < 200 && !complete(); i++) await sleep(10);
      const toLast: number[] = [];
      const toFirst: number[] = [];
      const nodeB: number[] = [];
      let missing = 0;
      for (const [v, t0] of sent) {
        const times = received.get(v) ?? [];
        missing += Math.max(0, participants - times.length);
        if (times.length === 0) continue;
        toLast.push(Math.max(...times) - t0);
        toFirst.push(Math.min(...times) - t0);
        const bl = perNodeLast.get('B')!.get(v);
        if (bl !== undefined) nodeB.push(bl - t0);
      }
      const sorted = (xs: number[]) => xs.sort((x, y) => x - y);
      sorted(toLast); sorted(toFirst); sorted(ack); sorted(nodeB);
      const r = (x: number) => +x.toFixed(2);
      return {
        events: count, paceMs: pace, missingDeliveries: missing,
        toLastParticipantMs: { p50: r(percentile(toLast, 50)), p99: r(percentile(toLast, 99)), max: r(toLast.at(-1) ?? Number.NaN) },
        toFirstParticipantMs: { p50: r(percentile(toFirst, 50)), p99: r(percentile(toFirst, 99)) },
        toLastParticipantOnNodeBMs: { p50: r(percentile(nodeB, 50)), p99: r(percentile(nodeB, 99)) },
        coordinatorRequestMs: { p50: r(percentile(ack, 50)), p99: r(percentile(ack, 99)) },
      };
    };

    // Warm-up (JIT, connections), not reported.
    await run(1, 5, 20);
    // A coordinator clicking through the agenda (one change every `paceMs`), and a burst of back-to-back changes.
    const paced = await run(1001, events, paceMs);
    const burst = await run(2001, events, 0);
    return {
      database: 'postgresql', nodes: 2, participants, participantsPerNode: participants / 2, events,
      p50Ms: paced.toLastParticipantMs.p50, p99Ms: paced.toLastParticipantMs.p99, targetP99Ms: TARGET_MS,
      meetsTarget: paced.toLastParticipantMs.p99 <= TARGET_MS && paced.missingDeliveries === 0,
      paced, burst, duplicates, outOfOrder,
      note: 'per event: coordinator POST on node A → last of 60 SSE participants (30 on A, 30 on B) has it; loopback, separate node processes',
    };
  } finally {
    clearTimeout(deadline);
    for (const f of followers) f.req.destroy();
    agent.destroy();
    await Promise.allSettled(nodes.map(stopNode));
    await adminClient((c) => c.query(`drop database if exists ${dbName} with (force)`)).catch(() => {});
  }
}

// `node --import tsx bench/live.ts node <url>`: one app node of the benchmark.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv[2] === 'node') {
  runNode(process.argv[3]!).catch((err: unknown) => { process.stderr.write(`${String(err)}\n`); process.exit(1); });
}
