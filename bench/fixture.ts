import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openStore } from '../src/store/db.js';
import { loadDemo } from '../src/services/demo.service.js';

/** A SQLite file with the demo program at `patients` patients (cached per size under the temp folder). */
export async function benchDatabase(patients: number): Promise<string> {
  const file = path.join(os.tmpdir(), `tumorboard-bench-${patients}.db`);
  if (fs.existsSync(file)) return file;
  const tmp = `${file}.building`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  const store = openStore({ file: tmp });
  await migrate(store);
  const t0 = performance.now();
  await loadDemo({ store, now: () => new Date() }, { patients });
  process.stdout.write(`generated ${patients} patients in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  await store.close();
  fs.renameSync(tmp, file);
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  return file;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
