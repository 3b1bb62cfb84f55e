import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Per-address request limits (sign-in, the public referral form) counted in the database, so every app node behind
 * the load balancer shares one count per address (before, each node kept its own in memory). The address is stored
 * as a SHA-256, never as such. `window_start` is epoch milliseconds.
 */
export function rateLimitsMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('rate_limits')
        .addColumn('bucket', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('rate_limits_pk', ['bucket', 'key'])
        .execute();
      await db.schema.createIndex('rate_limits_window_idx').on('rate_limits').column('window_start').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('rate_limits').execute();
    },
  };
}
