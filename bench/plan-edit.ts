import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchLogin, startBenchServer } from './fixture.js';

/**
 * Issue 6 figure: two clinicians edit the same plan at the same moment, 100 rounds over HTTP (a real
 * `tumorboard serve` with its SQLite file, or PostgreSQL when BENCH_DATABASE_URL is set). Each round both send a
 * PUT with the same If-Match: exactly one must succeed and the other get 412, the version must go up by exactly one,
 * and the saved content must be the winner's (no lost update).
 */
export async function benchPlanEdit(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bench-plan-'));
  const pg = process.env.BENCH_DATABASE_URL;
  const server = await startBenchServer(3975, pg ? ['--demo'] : ['--db', path.join(dir, 'p.db'), '--demo'], pg ? { DATABASE_URL: pg } : {});
  try {
    const base = server.base;
    const [a, b] = [await benchLogin(base, 'oncologist'), await benchLogin(base, 'orthopedic')];
    const call = (cookie: string, method: string, p: string, body?: unknown, version?: number) => fetch(`${base}/api/v1${p}`, {
      method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}), ...(version !== undefined ? { 'if-match': `W/"${version}"` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const cases = (await (await call(a, 'GET', '/cases?limit=200')).json() as { items: Array<{ id: string }> }).items;
    let caseId = '';
    for (const c of cases) {
      if ((await call(a, 'POST', `/cases/${c.id}/plan`, {})).status === 201) { caseId = c.id; break; }
    }
    if (!caseId) throw new Error('no case with a proposed template');
    let rounds = 0, exactlyOne = 0, lost = 0, badIncrement = 0;
    const statuses: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const cur = await (await call(a, 'GET', `/cases/${caseId}/plan`)).json() as { version: number; content: Record<string, unknown> };
      const ca = { ...cur.content, notes: `round ${i} by oncology` };
      const cb = { ...cur.content, notes: `round ${i} by orthopedics` };
      const [ra, rb] = await Promise.all([call(a, 'PUT', `/cases/${caseId}/plan`, ca, cur.version), call(b, 'PUT', `/cases/${caseId}/plan`, cb, cur.version)]);
      const key = [ra.status, rb.status].sort().join('+');
      statuses[key] = (statuses[key] ?? 0) + 1;
      if (key === '200+412') exactlyOne++;
      const after = await (await call(a, 'GET', `/cases/${caseId}/plan`)).json() as { version: number; content: { notes?: string } };
      if (after.version !== cur.version + 1) badIncrement++;
      const winner = ra.status === 200 ? ca : rb.status === 200 ? cb : null;
      if (!winner || after.content.notes !== winner.notes) lost++;
      rounds++;
    }
    const versions = await (await call(a, 'GET', `/cases/${caseId}/plan/versions`)).json() as { items: unknown[] };
    return { database: pg ? 'postgresql' : 'sqlite', rounds, exactlyOneSucceeded: exactlyOne, statuses, lostUpdates: lost, badVersionIncrements: badIncrement, versionsStored: versions.items.length, target: '100 rounds: one 200 and one 412 each, no lost update, +1 version each' };
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
