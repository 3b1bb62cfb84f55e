import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { openStore } from '../src/store/db.js';
import { percentile, startBenchServer } from './fixture.js';


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

/**
 * Issue 4 figure: 200 concurrent public referral submissions, each with a 1 MB PDF, on loopback. 20 of them are
 * sent twice with the same Idempotency-Key (a retried request). Checks in the database afterwards: exactly 200
 * referrals and 200 attachments (zero lost, zero duplicates). Reports the p95 latency.
 */
export async function benchReferrals(concurrent = 200, retried = 20): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bench-ref-'));
  const db = path.join(dir, 'bench.db');
  const port = 3960;
  // BENCH_DATABASE_URL runs the same load against PostgreSQL (an empty database); SQLite otherwise.
  const pgUrl = process.env.BENCH_DATABASE_URL;
  const server = await startBenchServer(port, [...(pgUrl ? [] : ['--db', db]), '--demo'], { DATABASE_URL: pgUrl ?? '', PUBLIC_RATE_LIMIT: '100000', FILES_DIR: path.join(dir, 'files') });
  try {
    const base = server.base;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024 - 9, 0x20)]);
    const runId = Date.now().toString(36);
    const f = form(1, pdf);
    // Keys 0..199 once each, then 20 of them again (a retried request): all 220 in flight at once.
    const keys = Array.from({ length: concurrent }, (_, i) => `bench-${runId}-${i}`).concat(Array.from({ length: retried }, (_, i) => `bench-${runId}-${i * 7}`));
    let next = 0;
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const ids = new Map<string, Set<string>>();
    // autocannon is the load generator: prebuilt bodies written straight to sockets, so the client's own CPU use
    // (which shares the machine's two cores with the server) stays small.
    const instance = autocannon({
      url: base, connections: keys.length, amount: keys.length, timeout: 60, method: 'POST',
      headers: { 'content-type': f.type }, body: f.body,
      requests: [{
        path: '/api/v1/referrals/public',
        setupRequest: (req: autocannon.Request) => ({ ...req, headers: { ...req.headers, 'idempotency-key': keys[next++ % keys.length]! } }),
        onResponse: (status: number, body: string) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          try {
            const id = (JSON.parse(body) as { id?: string; reference?: string }).id;
            if (id) ids.set(id, (ids.get(id) ?? new Set()).add(id));
          } catch { /* non-JSON error body */ }
        },
      }],
    }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
    instance.on('response', (_c: unknown, _s: number, _b: number, responseTime: number) => { latencies.push(responseTime); });
    await instance;
    latencies.sort((a, b) => a - b);
    // The floor: the same 220 uploads to a path that answers 404 at once, i.e. only moving 220 MB over loopback.
    const floor: number[] = [];
    const floorRun = autocannon({
      url: base, connections: keys.length, amount: keys.length, timeout: 60, method: 'POST', headers: { 'content-type': f.type }, body: f.body,
      requests: [{ path: '/assets/no-such-upload-target' }],
    }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
    floorRun.on('response', (_c: unknown, _s: number, _b: number, responseTime: number) => { floor.push(responseTime); });
    await floorRun;
    floor.sort((a, b) => a - b);
    const store = openStore(pgUrl ? { databaseUrl: pgUrl } : { file: db });
    const referrals = Number((await store.db.selectFrom('referrals').select((eb) => eb.fn.countAll<number>().as('n')).where('reference', 'like', 'REF-%').where('search_text', 'like', '%benchfamily%').executeTakeFirstOrThrow()).n);
    const attachments = Number((await store.db.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    await store.close();
    return {
      database: pgUrl ? 'postgresql' : 'sqlite', requests: keys.length, concurrentForms: concurrent, retriedWithSameKey: retried, attachmentBytes: pdf.length, statuses,
      referralsStored: referrals, attachmentsStored: attachments,
      distinctIdsReturned: ids.size, lost: concurrent - referrals, duplicates: Math.max(0, referrals - concurrent),
      p50Ms: Math.round(percentile(latencies, 50)), p95Ms: Math.round(percentile(latencies, 95)), maxMs: Math.round(latencies[latencies.length - 1]!),
      targetP95Ms: 300, transportFloorP95Ms: Math.round(percentile(floor, 95)),
    };
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
