import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Multi-factor sign-in (issue 9 §1): each user's TOTP secret (pending until the first code confirms it), the last
 * accepted time step (a code is never accepted twice), and one-time recovery codes stored as SHA-256 only.
 */
export function mfaMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('user_mfa')
        .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
        .addColumn('secret', 'text', (c) => c.notNull())
        // Null while enrolment waits for its first code.
        .addColumn('enabled_at', 'text')
        .addColumn('last_step', 'integer')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('mfa_recovery_codes')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addPrimaryKeyConstraint('mfa_recovery_codes_pk', ['user_id', 'code_hash'])
        .execute();
      // 1 while a user whose role requires a second factor has signed in without one: only enrolment is allowed.
      await db.schema.alterTable('sessions').addColumn('mfa_pending', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('sessions').dropColumn('mfa_pending').execute();
      await db.schema.dropTable('mfa_recovery_codes').execute();
      await db.schema.dropTable('user_mfa').execute();
    },
  };
}
