import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/store/db.js';
import { percentile } from './fixture.js';

const BIN = path.resolve(import.meta.dirname, '..', 'bin', 'tumorboard.js');

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
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db, '--demo'], {
    stdio: 'ignore', env: { ...process.env, DATABASE_URL: '', PUBLIC_RATE_LIMIT: '100000' },
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try { if ((await fetch(`${base}/api/v1/health`)).ok) break; } catch { /* starting */ }
      if (i > 600) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024 - 9, 0x20)]);
    const runId = Date.now().toString(36);
    const jobs = Array.from({ length: concurrent }, (_, i) => i).concat(Array.from({ length: retried }, (_, i) => i * 7));
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const ids = new Map<string, Set<string>>();
    await Promise.all(jobs.map(async (i) => {
      const f = form(i, pdf);
      const key = `bench-${runId}-${i}`;
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/referrals/public`, { method: 'POST', headers: { 'content-type': f.type, 'idempotency-key': key }, body: new Uint8Array(f.body) });
      const body = await res.json() as { id?: string };
      latencies.push(performance.now() - t0);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (body.id) ids.set(key, (ids.get(key) ?? new Set()).add(body.id));
    }));
    latencies.sort((a, b) => a - b);
    const store = openStore({ file: db });
    const referrals = Number((await store.db.selectFrom('referrals').select((eb) => eb.fn.countAll<number>().as('n')).where('reference', 'like', 'REF-%').where('search_text', 'like', '%benchfamily%').executeTakeFirstOrThrow()).n);
    const attachments = Number((await store.db.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    await store.close();
    return {
      requests: jobs.length, concurrentForms: concurrent, retriedWithSameKey: retried, attachmentBytes: pdf.length, statuses,
      referralsStored: referrals, attachmentsStored: attachments,
      lost: concurrent - referrals, duplicates: referrals - ids.size + [...ids.values()].filter((s) => s.size > 1).length,
      p50Ms: Math.round(percentile(latencies, 50)), p95Ms: Math.round(percentile(latencies, 95)), maxMs: Math.round(latencies[latencies.length - 1]!),
      targetP95Ms: 300,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
