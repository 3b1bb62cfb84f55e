import autocannon from 'autocannon';
import { benchDatabase, benchLogin, percentile, startBenchServer } from './fixture.js';

const QUERIES = ['sarcoma', 'garcia', 'osteo', 'lch-000042', 'ewing femur', 'ana', 'rhabdo orbit', 'zhang', 'synovial', 'al'];

/** Issue 2 figure: patient search over 10,000 patients through HTTP on SQLite, p95 latency (autocannon, loopback). */
export async function benchSearch(durationS = 15, connections = 2): Promise<Record<string, unknown>> {
  const db = await benchDatabase(10_000);
  const server = await startBenchServer(3950, ['--db', db]);
  try {
    const base = server.base;
    const cookie = await benchLogin(base);
    const first = await (await fetch(`${base}/api/v1/patients?q=sarcoma`, { headers: { cookie } })).json() as { total: number };
    const latencies: number[] = [];
    let non200 = 0;
    const instance = autocannon({
      url: base, connections, duration: durationS, headers: { cookie },
      requests: QUERIES.map((q) => ({ method: 'GET', path: `/api/v1/patients?q=${encodeURIComponent(q)}&limit=25` })),
    }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode !== 200) non200++;
    });
    const result = await instance;
    latencies.sort((a, b) => a - b);
    return {
      patients: 10_000, connections, durationS, requests: latencies.length, non200, sampleTotalForSarcoma: first.total,
      p50Ms: +percentile(latencies, 50).toFixed(2), p95Ms: +percentile(latencies, 95).toFixed(2), p99Ms: +percentile(latencies, 99).toFixed(2),
      requestsPerSecond: Math.round(result.requests.average), targetP95Ms: 25,
    };
  } finally {
    await server.stop();
  }
}
