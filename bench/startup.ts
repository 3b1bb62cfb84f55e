import { spawn } from 'node:child_process';
import path from 'node:path';
import { benchDatabase, percentile } from './fixture.js';

const BIN = path.resolve(import.meta.dirname, '..', 'bin', 'tumorboard.js');

/** Issue 2 figure: server start (process spawn) to the first 200 on /api/v1/health, on an existing database. */
export async function benchStartup(runs = 7): Promise<Record<string, unknown>> {
  const db = await benchDatabase(10_000);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const port = 3900 + i;
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db], { stdio: 'ignore', env: { ...process.env, DATABASE_URL: '' } });
    try {
      for (;;) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
          if (res.status === 200) break;
        } catch { /* not listening yet */ }
        if (performance.now() - t0 > 30_000) throw new Error('server did not answer within 30 s');
        await new Promise((r) => setTimeout(r, 10));
      }
      times.push(performance.now() - t0);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
  times.sort((a, b) => a - b);
  return { runs, database: '10,000-patient SQLite file', medianMs: Math.round(percentile(times, 50)), maxMs: Math.round(times[times.length - 1]!), targetMs: 2000 };
}
