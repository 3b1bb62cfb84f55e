import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Research differencing control: the sets of subjects each cohort answer showed exactly, per researcher, so a later
 * answer that could be subtracted from one of them to reveal 1 to 10 children is refused or suppressed
 * (src/domain/deid/differencing.ts). Internal patient ids only, kept for the 90-day window, then deleted.
 */
export function researchReleasedMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('research_released_sets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('answered_at', 'text', (c) => c.notNull())
        // JSON: { "<key>": [sorted patient ids], ... } for the counts the answer showed exactly.
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('research_released_sets_user_idx').on('research_released_sets').columns(['institution_id', 'user_id', 'answered_at']).execute();
      await db.schema.createIndex('research_released_sets_at_idx').on('research_released_sets').column('answered_at').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('research_released_sets').execute();
    },
  };
}
