import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Bundle } from '@medplum/fhirtypes';
import type { FhirIssue } from '../domain/fhir/validate.js';

/**
 * Validating a whole cohort's export (issue 8: Medplum R4, the R4 JSON schema and the mCODE rules on every resource)
 * is CPU work, mostly Medplum's per-element FHIRPath constraints: a pool of worker threads, one per core, validates
 * batches of bundles in parallel while the main thread stays free. Under tsx (development, tests) the worker is the
 * TypeScript source loaded through tsx; in the built package it is the compiled JavaScript.
 */
export interface ValidationPool {
  /** Each bundle's issues, in the order given. */
  validate(bundles: readonly Bundle[]): Promise<FhirIssue[][]>;
  close(): Promise<void>;
}

const BATCH = 10;

/** The built worker, or under tsx a small bootstrap that registers tsx in the worker thread and loads the source. */
function newWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./fhir-validate-worker.js', import.meta.url));
  // tsx's ESM API (its package "exports" import condition); require.resolve would give the CommonJS build.
  const tsxRoot = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsx = pathToFileURL(path.join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const source = new URL('./fhir-validate-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(source)}); });`, { eval: true });
}

/** Starts `size` workers (default: one per core) and waits until each has indexed the definitions. */
export async function startValidationPool(size = Math.max(1, Math.min(os.availableParallelism(), 8))): Promise<ValidationPool> {
  const workers = await Promise.all(Array.from({ length: size }, () => new Promise<Worker>((resolve, reject) => {
    const w = newWorker();
    w.once('error', reject);
    w.once('message', () => resolve(w));
  })));
  let next = 0;
  const pending = new Map<number, (issues: FhirIssue[][]) => void>();
  const failures = new Set<(err: Error) => void>();
  for (const w of workers) {
    w.on('message', (m: { id: number; issues: FhirIssue[][] }) => { pending.get(m.id)?.(m.issues); pending.delete(m.id); });
    w.on('error', (err) => { for (const f of failures) f(err); });
  }
  let counter = 0;
  return {
    async validate(bundles) {
      const batches: Array<Promise<FhirIssue[][]>> = [];
      for (let i = 0; i < bundles.length; i += BATCH) {
        const id = counter++;
        const worker = workers[next++ % workers.length]!;
        batches.push(new Promise((resolve, reject) => {
          failures.add(reject);
          pending.set(id, (issues) => { failures.delete(reject); resolve(issues); });
          worker.postMessage({ id, bundles: bundles.slice(i, i + BATCH) });
        }));
      }
      return (await Promise.all(batches)).flat();
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
