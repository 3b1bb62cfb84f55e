import { parentPort, workerData } from 'node:worker_threads';
import { bulkBatch } from '../domain/fhir/bulk.js';
import { demoPatientRecords } from '../domain/fhir/demo-records.js';
import { exportPatientBundle } from '../domain/fhir/export.js';
import { validateBundle, warmUpValidators } from '../domain/fhir/validate.js';
import type { PoolTask } from './fhir-validation-pool.js';

/**
 * A validation worker (see fhir-validation-pool.ts): indexes the R4 definitions once, then answers each task it is
 * sent — bundles to validate, or a bulk export's batch of patient records to map, validate and serialize. A task that
 * throws is answered with its error (the worker stays up for the next one).
 */
function perform(task: PoolTask): unknown {
  if (task.kind === 'validate') return task.bundles.map((b) => validateBundle(b));
  const { timestamp, baseUrl, types } = task.opts;
  return bulkBatch(task.records.map((rec) => exportPatientBundle(rec, { type: 'collection', timestamp, baseUrl })), types);
}

/**
 * A server's first exports after the pool started ran at half speed while V8 optimized the validator's code: a pool
 * started with a warm-up runs the same work on synthetic records (the demo generator's, never real data) before it
 * says it is ready. A one-off command (`fhir export --all`) starts its pool without one.
 */
function warmUpCode(patients: number): void {
  const institution = { id: '00000000-0000-4000-8000-000000000001', code: 'WARM', name: 'Warm-up' };
  const records = demoPatientRecords({ seed: 1, count: patients, today: '2026-01-01', mrnPrefix: 'WARM', institution, timestamp: '2026-01-01T00:00:00.000Z' });
  for (let i = 0; i < records.length; i += 10) {
    perform({ kind: 'bulk', records: records.slice(i, i + 10), opts: { timestamp: '2026-01-01T00:00:00.000Z', baseUrl: 'http://localhost/fhir/R4', types: undefined } });
  }
}

warmUpValidators();
warmUpCode((workerData as { warmUpPatients?: number } | null)?.warmUpPatients ?? 0);
parentPort!.on('message', (msg: { id: number; task: PoolTask }) => {
  let answer: { id: number; result?: unknown; error?: string };
  try {
    answer = { id: msg.id, result: perform(msg.task) };
  } catch (err) {
    answer = { id: msg.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort!.postMessage(answer);
});
parentPort!.postMessage({ ready: true });
