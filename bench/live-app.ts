/**
 * Issue 5 figure, on the product itself: two `tumorboard serve` nodes on one PostgreSQL database, 60 participants
 * following the live meeting over SSE (30 on each node), the coordinator advancing the current case 40 times through
 * node A. Per action: time from sending the request to the last participant receiving its event.
 */
import http from 'node:http';
import { benchLogin, percentile, startBenchServer, throwawayPgDatabase, type BenchServer } from './fixture.js';


function follow(base: string, cookie: string, conferenceId: string, onEvent: (version: number) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const u = new URL(`${base}/api/v1/conferences/${conferenceId}/events`);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, headers: { cookie, accept: 'text/event-stream' } });
    req.on('response', (res) => {
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const id = /^id: (\d+)$/m.exec(block);
          if (/^event: hello$/m.test(block)) resolve(req);
          else if (id) onEvent(Number(id[1]));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchLiveApp(participants = 60, actions = 40): Promise<Record<string, unknown>> {
  const db = await throwawayPgDatabase('tb_bench_live');
  const dbUrl = db.url;
  const nodes: BenchServer[] = [];
  const streams: http.ClientRequest[] = [];
  try {
    nodes.push(await startBenchServer(3981, ['--demo'], { DATABASE_URL: dbUrl }));
    nodes.push(await startBenchServer(3982, [], { DATABASE_URL: dbUrl }));
    const [nodeA, nodeB] = nodes as [BenchServer, BenchServer];
    const coord = await benchLogin(nodeA.base);
    const follower = await benchLogin(nodeB.base, 'radiologist');
    const list = await (await fetch(`${nodeA.base}/api/v1/conferences`, { headers: { cookie: coord } })).json() as { items: Array<{ id: string; caseCount: number }> };
    const confId = list.items.find((c) => c.caseCount > 1)!.id;
    const seen = new Map<number, number>(); // version -> participants that received it
    const lastSeenAt = new Map<number, number>();
    for (let i = 0; i < participants; i++) {
      const base = i % 2 === 0 ? nodeA.base : nodeB.base;
      streams.push(await follow(base, follower, confId, (v) => {
        seen.set(v, (seen.get(v) ?? 0) + 1);
        if (seen.get(v) === participants) lastSeenAt.set(v, performance.now());
      }));
    }
    let conf = await (await fetch(`${nodeA.base}/api/v1/conferences/${confId}`, { headers: { cookie: coord } })).json() as { version: number; items: Array<{ id: string }> };
    const post = async (path: string, body?: object) => {
      const res = await fetch(`${nodeA.base}/api/v1/conferences/${confId}${path}`, { method: 'POST', headers: { cookie: coord, 'if-match': `W/"${conf.version}"`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      conf = await res.json() as typeof conf;
      return conf.version;
    };
    await post('/start');
    const latencies: number[] = [];
    for (let n = 0; n < actions; n++) {
      const t0 = performance.now();
      const version = await post('/current', { itemId: conf.items[(n + 1) % conf.items.length]!.id });
      const deadline = Date.now() + 5000;
      while (!lastSeenAt.has(version) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      latencies.push(lastSeenAt.has(version) ? lastSeenAt.get(version)! - t0 : Number.POSITIVE_INFINITY);
    }
    latencies.sort((x, y) => x - y);
    return {
      nodes: 2, database: 'postgresql', participants, actions, missed: latencies.filter((l) => !Number.isFinite(l)).length,
      p50Ms: +percentile(latencies, 50).toFixed(1), p99Ms: +percentile(latencies, 99).toFixed(1), targetP99Ms: 250,
    };
  } finally {
    for (const s of streams) s.destroy();
    for (const n of nodes) await n.stop();
    await db.drop();
  }
}
