import type { BulkPart } from '../domain/fhir/bulk.js';
import type { Executor } from './db.js';
import type { FhirExportJobTable } from './schema.js';

export interface BulkJob {
  id: string;
  institutionId: string;
  userId: string;
  status: FhirExportJobTable['status'];
  requestUrl: string;
  types: string[] | null;
  createdAt: string;
  completedAt: string | null;
  expiresAt: string;
  patients: number | null;
  error: Array<{ field?: string; message: string }> | null;
}

function toJob(r: FhirExportJobTable): BulkJob {
  return {
    id: r.id, institutionId: r.institution_id, userId: r.user_id, status: r.status, requestUrl: r.request_url,
    types: r.types ? (JSON.parse(r.types) as string[]) : null, createdAt: r.created_at, completedAt: r.completed_at,
    expiresAt: r.expires_at, patients: r.patients, error: r.error ? (JSON.parse(r.error) as BulkJob['error']) : null,
  };
}

/** FHIR bulk export jobs (migration 017) and their NDJSON output, written in parts (migration 019). */
export const fhirBulkRepo = {
  async insert(db: Executor, job: { id: string; institutionId: string; userId: string; requestUrl: string; types: readonly string[] | undefined; createdAt: string; expiresAt: string }): Promise<void> {
    await db.insertInto('fhir_export_jobs').values({
      id: job.id, institution_id: job.institutionId, user_id: job.userId, status: 'running', request_url: job.requestUrl,
      types: job.types ? JSON.stringify(job.types) : null, created_at: job.createdAt, completed_at: null, expires_at: job.expiresAt,
      patients: null, error: null,
    }).execute();
  },

  /** The job, only for its institution (another institution's job does not exist for the caller). */
  async get(db: Executor, institutionId: string, id: string): Promise<BulkJob | undefined> {
    const r = await db.selectFrom('fhir_export_jobs').selectAll().where('id', '=', id).where('institution_id', '=', institutionId).executeTakeFirst();
    return r ? toJob(r) : undefined;
  },

  /**
   * Writes one batch's parts (the caller's transaction). False when the job is no longer running (deleted by its
   * requester meanwhile): nothing is written.
   */
  async addParts(db: Executor, id: string, seq: number, parts: readonly BulkPart[]): Promise<boolean> {
    const job = await db.selectFrom('fhir_export_jobs').select('status').where('id', '=', id).executeTakeFirst();
    if (job?.status !== 'running') return false;
    if (parts.length > 0) {
      await db.insertInto('fhir_export_parts').values(parts.map((p) => ({ job_id: id, resource_type: p.type, seq, count: p.count, ndjson: Buffer.from(p.ndjson, 'utf8') }))).execute();
    }
    return true;
  },

  /** Marks the job complete (its parts are all written). False when the job is no longer running. */
  async complete(db: Executor, id: string, patients: number, at: string): Promise<boolean> {
    const res = await db.updateTable('fhir_export_jobs').set({ status: 'complete', completed_at: at, patients }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  },

  /** Marks the job failed and deletes whatever output it had written: a failed export offers nothing. */
  async fail(db: Executor, id: string, issues: ReadonlyArray<{ field?: string; message: string }>, at: string): Promise<void> {
    await db.deleteFrom('fhir_export_parts').where('job_id', '=', id).execute();
    await db.updateTable('fhir_export_jobs').set({ status: 'failed', completed_at: at, error: JSON.stringify(issues) }).where('id', '=', id).execute();
  },

  /** Each output file's type and resource count (not the contents). */
  async files(db: Executor, id: string): Promise<Array<{ type: string; count: number }>> {
    const rows = await db.selectFrom('fhir_export_parts').select(['resource_type']).select((eb) => eb.fn.sum<number | string>('count').as('count'))
      .where('job_id', '=', id).groupBy('resource_type').execute();
    return rows.map((r) => ({ type: r.resource_type, count: Number(r.count) }));
  },

  /** One type's file (UTF-8 NDJSON): its parts in order, concatenated; undefined when the export has no resource of that type. */
  async file(db: Executor, id: string, type: string): Promise<{ count: number; ndjson: Buffer } | undefined> {
    const parts = await db.selectFrom('fhir_export_parts').select(['count', 'ndjson']).where('job_id', '=', id).where('resource_type', '=', type).orderBy('seq').execute();
    if (parts.length === 0) return undefined;
    return { count: parts.reduce((n, p) => n + p.count, 0), ndjson: Buffer.concat(parts.map((p) => p.ndjson)) };
  },

  async delete(db: Executor, id: string): Promise<void> {
    await db.deleteFrom('fhir_export_parts').where('job_id', '=', id).execute();
    await db.deleteFrom('fhir_export_jobs').where('id', '=', id).execute();
  },

  /** Deletes jobs whose output has expired (called when a new export starts). */
  async purgeExpired(db: Executor, now: string): Promise<void> {
    const old = db.selectFrom('fhir_export_jobs').select('id').where('expires_at', '<', now);
    await db.deleteFrom('fhir_export_parts').where('job_id', 'in', old).execute();
    await db.deleteFrom('fhir_export_jobs').where('expires_at', '<', now).execute();
  },
};
