import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * FHIR Bulk Data export (issue 8; HL7 FHIR Bulk Data Access IG, `Patient/$export`): the job and its NDJSON output
 * files live in the database, not in one node's memory, so a client polling `$export-status` may reach any app node.
 * Output expires (`expires_at`) and is deleted when the requester cancels.
 */
export function fhirBulkMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('fhir_export_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        // running | complete | failed
        .addColumn('status', 'text', (c) => c.notNull())
        // The kick-off request URL, echoed in the manifest (`request`).
        .addColumn('request_url', 'text', (c) => c.notNull())
        // JSON array of the requested resource types (`_type`), or null for all.
        .addColumn('types', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('patients', 'integer')
        // JSON: the OperationOutcome issues of a failed job.
        .addColumn('error', 'text')
        .execute();
      await db.schema.createIndex('fhir_export_jobs_expires_idx').on('fhir_export_jobs').column('expires_at').execute();
      await db.schema.createTable('fhir_export_files')
        .addColumn('job_id', 'text', (c) => c.notNull().references('fhir_export_jobs.id').onDelete('cascade'))
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('ndjson', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('fhir_export_files_pk', ['job_id', 'resource_type'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('fhir_export_files').execute();
      await db.schema.dropTable('fhir_export_jobs').execute();
    },
  };
}
