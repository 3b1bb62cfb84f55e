import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Treatment plans (issue 6): one plan per case, every change a new immutable version, signatures bound to a
 * version and its content hash, what was actually given, and the letters produced from them.
 */
export function plansMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('plans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().unique().references('cases.id'))
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        // draft | agreed | active | completed | stopped
        .addColumn('status', 'text', (c) => c.notNull())
        // The agenda item whose recommendation the plan came from (null when built outside a conference).
        .addColumn('source_item_id', 'text')
        .addColumn('started_on', 'text')
        .addColumn('ended_on', 'text')
        // Current version number: compare-and-set on it is what makes concurrent edits safe.
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('plan_versions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('content', 'text', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('plan_versions_plan_version_unique', ['plan_id', 'version'])
        .execute();
      await db.schema.createTable('plan_signatures')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('content_hash', 'text', (c) => c.notNull())
        .addColumn('discipline', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('signed_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('plan_signatures_unique', ['plan_id', 'version', 'discipline'])
        .execute();
      await db.schema.createTable('plan_administrations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('given_on', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('plan_administrations_plan_idx').on('plan_administrations').columns(['plan_id', 'given_on']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['plan_administrations', 'plan_signatures', 'plan_versions', 'plans']) await db.schema.dropTable(t).execute();
    },
  };
}
