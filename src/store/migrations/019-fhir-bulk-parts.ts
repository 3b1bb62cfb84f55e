import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * FHIR bulk export output in parts (issue 8): each batch of patients is written as soon as the validation workers
 * finish it, one part per resource type, instead of one whole file per type at the end; a file is its parts in `seq`
 * order. The job still offers nothing until every batch has validated (its status flips to complete last), and a
 * failed or deleted job's parts are deleted with it. Output is transient (24 hours), so the old whole-file table is
 * dropped rather than converted.
 */
export function fhirBulkPartsMigration(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('fhir_export_files').execute();
      await db.schema.createTable('fhir_export_parts')
        .addColumn('job_id', 'text', (c) => c.notNull().references('fhir_export_jobs.id').onDelete('cascade'))
        .addColumn('resource_type', 'text', (c) => c.notNull())
        // The batch's position in the export (patients by MRN): a file is its parts in this order.
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        // UTF-8 bytes, not text: a download is the parts' bytes concatenated, with no decoding into a string and
        // encoding back (reading a large TEXT value costs several times more than the same bytes).
        .addColumn('ndjson', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addPrimaryKeyConstraint('fhir_export_parts_pk', ['job_id', 'resource_type', 'seq'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('fhir_export_parts').execute();
      await db.schema.createTable('fhir_export_files')
        .addColumn('job_id', 'text', (c) => c.notNull().references('fhir_export_jobs.id').onDelete('cascade'))
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('ndjson', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('fhir_export_files_pk', ['job_id', 'resource_type'])
        .execute();
    },
  };
}
