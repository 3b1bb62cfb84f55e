import { parentPort } from 'node:worker_threads';
import { bulkBatch } from '../domain/fhir/bulk.js';
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

warmUpValidators();
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
