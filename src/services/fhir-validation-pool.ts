import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Bundle } from '@medplum/fhirtypes';
import type { BulkBatch, BulkType } from '../domain/fhir/bulk.js';
import type { PatientRecord } from '../domain/fhir/export-common.js';
import type { FhirIssue } from '../domain/fhir/validate.js';

/**
 * Validating a whole cohort's export (issue 8: Medplum R4, the R4 JSON schema and the mCODE rules on every resource)
 * is CPU work, mostly Medplum's per-element walk: a pool of worker threads, one per core, takes batches of patients
 * from a queue (a worker that finishes early takes the next batch, so a busy core does not hold the export back)
 * while the main thread stays free to answer requests. Under tsx (development, tests) the worker is the TypeScript
 * source loaded through tsx; in the built package it is the compiled JavaScript.
 */
export interface ValidationPool {
  /** Each bundle's issues, in the order given. */
  validate(bundles: readonly Bundle[]): Promise<FhirIssue[][]>;
  /**
   * Bulk export's work off the main thread: the records, in batches, each mapped to bundles, validated and
   * serialized (`bulkBatch`). One promise per batch, in the order of the records; each settles as its batch is done.
   */
  bulk(records: readonly PatientRecord[], opts: BulkTaskOptions): Array<Promise<BulkBatch>>;
  /** True once a worker has died: the pool answers nothing more and should be replaced. */
  readonly broken: boolean;
  close(): Promise<void>;
}

export interface BulkTaskOptions {
  timestamp: string;
  baseUrl: string;
  types: readonly BulkType[] | undefined;
}

/** What a worker is sent: the tagged task (fhir-validate-worker.ts answers each with `{ id, result }` or `{ id, error }`). */
export type PoolTask =
  | { kind: 'validate'; bundles: readonly Bundle[] }
  | { kind: 'bulk'; records: readonly PatientRecord[]; opts: BulkTaskOptions };

/** Patients (or bundles) per task: small enough to spread evenly over the workers, large enough to amortize a message. */
const BATCH = 10;
/** Tasks in flight per worker: the next batch is already there when a worker finishes one. */
const IN_FLIGHT = 2;

/** The built worker, or under tsx a small bootstrap that registers tsx in the worker thread and loads the source. */
function newWorker(workerData: { warmUpPatients: number }): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./fhir-validate-worker.js', import.meta.url), { workerData });
  // tsx's ESM API (its package "exports" import condition); require.resolve would give the CommonJS build.
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const source = new URL('./fhir-validate-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); });`, { eval: true, workerData });
}

interface Queued {
  id: number;
  task: PoolTask;
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
}

/**
 * Starts `size` workers (default: one per core) and waits until each has indexed the definitions and, with
 * `warmUpPatients`, validated that many synthetic patients so its code is optimized before the first real export
 * (worth it for a server that exports again and again; a one-off command skips it).
 */
export async function startValidationPool(opts: { size?: number; warmUpPatients?: number } = {}): Promise<ValidationPool> {
  const size = opts.size ?? Math.max(1, Math.min(os.availableParallelism(), 8));
  const workers = await Promise.all(Array.from({ length: size }, () => new Promise<Worker>((resolve, reject) => {
    const w = newWorker({ warmUpPatients: opts.warmUpPatients ?? 0 });
    w.once('error', reject);
    w.once('message', () => resolve(w));
  })));
  const queue: Queued[] = [];
  const busy = new Map<Worker, Map<number, Queued>>(workers.map((w) => [w, new Map()]));
  let broken = false;
  let counter = 0;

  const pump = () => {
    for (const w of workers) {
      const mine = busy.get(w)!;
      while (mine.size < IN_FLIGHT && queue.length > 0) {
        const q = queue.shift()!;
        mine.set(q.id, q);
        w.postMessage({ id: q.id, task: q.task });
      }
    }
  };
  const fail = (err: Error) => {
    if (broken) return;
    broken = true;
    for (const q of [...queue.splice(0), ...[...busy.values()].flatMap((m) => [...m.values()])]) q.reject(err);
    for (const m of busy.values()) m.clear();
  };
  for (const w of workers) {
    w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const mine = busy.get(w)!;
      const q = mine.get(m.id);
      if (!q) return;
      mine.delete(m.id);
      if (m.error !== undefined) q.reject(new Error(m.error));
      else q.resolve(m.result);
      pump();
    });
    w.on('error', fail);
    w.on('exit', () => fail(new Error('a validation worker stopped')));
  }
  const run = <T>(task: PoolTask): Promise<T> => {
    if (broken) return Promise.reject(new Error('the validation pool has stopped'));
    return new Promise<T>((resolve, reject) => {
      queue.push({ id: counter++, task, resolve: resolve as (r: unknown) => void, reject });
      pump();
    });
  };
  const batches = <T>(items: readonly T[]): T[][] => {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
    return out;
  };

  return {
    async validate(bundles) {
      return (await Promise.all(batches(bundles).map((b) => run<FhirIssue[][]>({ kind: 'validate', bundles: b })))).flat();
    },
    bulk(records, opts) {
      return batches(records).map((r) => run<BulkBatch>({ kind: 'bulk', records: r, opts }));
    },
    get broken() { return broken; },
    async close() {
      broken = true;
      await Promise.all(workers.map((w) => { w.removeAllListeners('exit'); return w.terminate(); }));
    },
  };
}
