import { AppError } from '../domain/errors.js';
import { BULK_OUTPUT_TTL_MS, BULK_TYPES, bulkManifest, bulkParts, type BulkKickoff, type BulkLine, type BulkManifest, type BulkPart, type BulkType } from '../domain/fhir/bulk.js';
import type { FhirIssue } from '../domain/fhir/validate.js';
import { inTransaction, type Executor } from '../store/db.js';
import { fhirBulkRepo, type BulkJob } from '../store/fhir-bulk.repo.js';
import { audited } from './audit.js';
import { isoNow, newId, type Actor, type Services } from './context.js';
import { fhirService } from './fhir.service.js';
import { startValidationPool, type ValidationPool } from './fhir-validation-pool.js';

/**
 * FHIR Bulk Data export (`Patient/$export`, issue 8): the whole cohort of the requester's institution, every bundle
 * validated (Medplum R4, R4 JSON schema, mCODE rules) by the worker pool batch by batch, each batch written as parts
 * of the per-type NDJSON files while the rest validate; the job is offered only once every batch has validated.
 *
 * The validation pool (worker threads) is started on the first export and kept for the life of the process: the
 * definitions are indexed once, so later exports run at the warm rate instead of paying the start-up again. The job
 * and its files are in the database, so any node can answer the status poll; the export itself runs on the node that
 * accepted the kick-off. A node that stops mid-export leaves the job `running` until it expires (the client sees no
 * completion and can start again); nothing invalid or partial is ever offered for download.
 */

/** Synthetic patients each worker validates at start, so a server's second export already runs at full speed. */
const WARM_UP_PATIENTS = 120;

let pool: Promise<ValidationPool> | undefined;
const running = new Set<Promise<void>>();

/** The process's pool, started on first use; a pool whose worker died is replaced on the next export. */
async function sharedPool(): Promise<ValidationPool> {
  const seen = pool;
  const current = seen ? await seen.catch(() => undefined) : undefined;
  if (current && !current.broken) return current;
  if (pool === seen) {
    void current?.close();
    const started = startValidationPool({ warmUpPatients: WARM_UP_PATIENTS });
    pool = started;
    started.catch(() => { if (pool === started) pool = undefined; });
  }
  return pool!;
}

/** Waits for exports in progress, then stops the validation workers (the server's shutdown). */
export async function closeBulkExports(): Promise<void> {
  await Promise.allSettled([...running]);
  const p = pool;
  pool = undefined;
  if (p) await (await p.catch(() => undefined))?.close();
}

/**
 * Writes a bulk export's batches as the workers finish them, one transaction at a time; batches finished while a
 * write is under way go together in the next one. `done()` waits for the last write and throws the first error.
 */
function partWriter(s: Services, jobId: string) {
  const written = new Set<string>();
  const queued: Array<{ seq: number; parts: BulkPart[] }> = [];
  let chain: Promise<void> = Promise.resolve();
  let failed: unknown;
  const flush = async () => {
    const take = queued.splice(0);
    if (take.length === 0 || failed !== undefined) return;
    await inTransaction(s.store.db, async (tx) => {
      for (const t of take) {
        if (!await fhirBulkRepo.addParts(tx, jobId, t.seq, t.parts)) throw new AppError('not_found', 'the export was deleted while it ran', { field: 'id' });
      }
    });
  };
  return {
    add(seq: number, lines: readonly BulkLine[]): void {
      queued.push({ seq, parts: bulkParts(lines, written) });
      chain = chain.then(flush).catch((err: unknown) => { failed ??= err; });
    },
    async done(): Promise<void> {
      await chain;
      if (failed !== undefined) throw failed;
    },
  };
}

async function runJob(s: Services, actor: Actor, job: { id: string; types: BulkType[] | undefined; baseUrl: string }): Promise<void> {
  try {
    const validator = sharedPool();
    validator.catch(() => { /* awaited below */ });
    // The main thread reads (audited) and writes; the workers map, validate and serialize the patients batch by
    // batch, and each batch is written as it comes back, so writing overlaps validation. Nothing is offered until
    // every batch has validated: the job turns complete last, and any error deletes what was written.
    const records = await fhirService.cohortRecords(s, actor, job.id);
    const writer = partWriter(s, job.id);
    const problems: FhirIssue[] = [];
    await Promise.all((await validator).bulk(records, { timestamp: isoNow(s), baseUrl: job.baseUrl, types: job.types }).map(async (batch, seq) => {
      const b = await batch;
      problems.push(...b.errors);
      if (problems.length === 0) writer.add(seq, b.lines);
    }));
    await writer.done();
    if (problems.length > 0) {
      // Our own output failed validation: nothing is offered; the issues (paths, no patient data) explain why.
      await inTransaction(s.store.db, (tx) => fhirBulkRepo.fail(tx, job.id, problems.slice(0, 20).map((p) => ({ field: `${p.resource} ${p.path}`, message: p.message })), isoNow(s)));
      return;
    }
    await inTransaction(s.store.db, (tx) => fhirBulkRepo.complete(tx, job.id, records.length, isoNow(s)));
  } catch (err) {
    const message = err instanceof AppError ? err.message : `the export stopped on an internal error (request ${actor.requestId ?? 'unknown'})`;
    await inTransaction(s.store.db, (tx) => fhirBulkRepo.fail(tx, job.id, [{ message }], isoNow(s))).catch(() => { /* the job expires */ });
  }
}

export type BulkStatus =
  | { state: 'running'; job: BulkJob }
  | { state: 'complete'; job: BulkJob; manifest: BulkManifest }
  | { state: 'failed'; job: BulkJob };

async function ownJob(s: Services, db: Executor, actor: Actor, id: string): Promise<BulkJob> {
  const job = await fhirBulkRepo.get(db, actor.institutionId, id);
  // Only the requester may poll or download (the IG: the same client); expired output is gone.
  if (!job || job.userId !== actor.userId || job.expiresAt < isoNow(s)) throw new AppError('not_found', 'no such export (it may have expired)', { field: 'id' });
  return job;
}

export const fhirBulkService = {
  /** Accepts a kick-off: records the job (audited) and starts the export in the background. Returns the job id. */
  async kickOff(s: Services, actor: Actor, request: BulkKickoff & { requestUrl: string; baseUrl: string }): Promise<string> {
    const id = newId();
    const now = s.now();
    await audited(s, actor, { action: 'export', recordType: 'fhir_bulk_job', recordId: id, detail: `types=${request.types?.join(',') ?? 'all'}` }, async (tx) => {
      await fhirBulkRepo.purgeExpired(tx, now.toISOString());
      await fhirBulkRepo.insert(tx, {
        id, institutionId: actor.institutionId, userId: actor.userId, requestUrl: request.requestUrl, types: request.types,
        createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + BULK_OUTPUT_TTL_MS).toISOString(),
      });
    });
    const p = runJob(s, actor, { id, types: request.types, baseUrl: request.baseUrl });
    running.add(p);
    void p.finally(() => running.delete(p));
    return id;
  },

  /** The job's state; when complete, the manifest with file URLs under `baseUrl`. */
  async status(s: Services, actor: Actor, id: string, baseUrl: string): Promise<BulkStatus> {
    const job = await ownJob(s, s.store.db, actor, id);
    if (job.status === 'running') return { state: 'running', job };
    if (job.status === 'failed') return { state: 'failed', job };
    // Files in the export's type order (Patient first), whatever order the database returns them in.
    const order = (t: string) => (BULK_TYPES as readonly string[]).indexOf(t);
    const files = (await fhirBulkRepo.files(s.store.db, id)).sort((a, b) => order(a.type) - order(b.type));
    return { state: 'complete', job, manifest: bulkManifest({ id, requestUrl: job.requestUrl, completedAt: job.completedAt! }, files, baseUrl) };
  },

  /** One output file (UTF-8 NDJSON bytes), audited as an export of patient data by its requester. */
  async file(s: Services, actor: Actor, id: string, type: string): Promise<Buffer> {
    return audited(s, actor, { action: 'export', recordType: 'fhir_bulk_file', recordId: id, detail: `type=${type}` }, async (tx) => {
      await ownJob(s, tx, actor, id);
      const f = await fhirBulkRepo.file(tx, id, type);
      if (!f) throw new AppError('not_found', `this export has no ${type} file`, { field: 'type' });
      return f.ndjson;
    });
  },

  /** DELETE on the status URL: the job and its files are removed (a running export finishes into nothing). */
  async cancel(s: Services, actor: Actor, id: string): Promise<void> {
    await audited(s, actor, { action: 'update', recordType: 'fhir_bulk_job', recordId: id, detail: 'deleted' }, async (tx) => {
      await ownJob(s, tx, actor, id);
      await fhirBulkRepo.delete(tx, id);
    });
  },
};
