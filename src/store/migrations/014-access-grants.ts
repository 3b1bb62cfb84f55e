import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Access beyond one's institution (issue #9 item 2): second-opinion shares of one case with another institution
 * (time-limited, revocable), the reviewers' comments, and break-the-glass grants (one user, one patient, four hours,
 * with the owner institution's review).
 */
export function accessGrantsMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('case_shares')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
        .addColumn('owner_institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('until', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by', 'text', (c) => c.references('users.id'))
        .execute();
      await db.schema.createIndex('case_shares_case').on('case_shares').column('case_id').execute();
      await db.schema.createIndex('case_shares_recipient').on('case_shares').columns(['institution_id', 'until']).execute();
      await db.schema.createTable('second_opinion_comments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('share_id', 'text', (c) => c.notNull().references('case_shares.id'))
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('second_opinion_comments_case').on('second_opinion_comments').column('case_id').execute();
      await db.schema.createTable('break_glass_grants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
        .addColumn('owner_institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('reason_category', 'text', (c) => c.notNull())
        .addColumn('justification', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('until', 'text', (c) => c.notNull())
        .addColumn('reviewed_at', 'text')
        .addColumn('reviewed_by', 'text', (c) => c.references('users.id'))
        .addColumn('review_note', 'text')
        .execute();
      await db.schema.createIndex('break_glass_grants_user_patient').on('break_glass_grants').columns(['user_id', 'patient_id']).execute();
      await db.schema.createIndex('break_glass_grants_owner').on('break_glass_grants').columns(['owner_institution_id', 'created_at']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('break_glass_grants').execute();
      await db.schema.dropTable('second_opinion_comments').execute();
      await db.schema.dropTable('case_shares').execute();
    },
  };
}
