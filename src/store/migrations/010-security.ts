import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Login throttling per account: failed sign-ins counted in a window, and a temporary lock, kept in the database so
 * the lock holds across app nodes and restarts. Keyed by the lower-cased username as typed, whether or not such an
 * account exists, so an unknown name behaves exactly like a known one (no user enumeration).
 */
export function securityMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('login_throttle')
        .addColumn('account', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // Old rows (names tried once and never again) are pruned by age.
      await db.schema.createIndex('login_throttle_updated_idx').on('login_throttle').column('updated_at').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('login_throttle').execute();
    },
  };
}
