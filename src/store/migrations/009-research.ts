import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Research export (issue 8 item 5): recorded data-use agreements (a Limited Data Set needs one, 45 CFR 164.514(e)(4))
 * and a log of every export: who, when, mode, filters, row count and the SHA-256 of the file. The log never holds
 * the data itself, nor the per-export key.
 */
export function researchMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('data_use_agreements')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        // The agreement's own reference (e.g. the contract number), unique per institution.
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        // YYYY-MM-DD, last day the agreement is in force.
        .addColumn('expires_on', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('data_use_agreements_reference_unique', ['institution_id', 'reference'])
        .execute();
      await db.schema.createTable('research_exports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('at', 'text', (c) => c.notNull())
        // safe_harbor | limited | date_shifted
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        // JSON: the cohort filters (codes and years only).
        .addColumn('filters', 'text', (c) => c.notNull())
        .addColumn('dua_id', 'text', (c) => c.references('data_use_agreements.id'))
        .addColumn('row_count', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('research_exports_institution_at_idx').on('research_exports').columns(['institution_id', 'at']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('research_exports').execute();
      await db.schema.dropTable('data_use_agreements').execute();
    },
  };
}
