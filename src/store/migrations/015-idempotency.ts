import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Idempotent creates (issue 9 §6): a create sent with an `Idempotency-Key` records the key, in the transaction that
 * creates the record, with the answer it gave. The unique (user_id, key) decides between a retry and its original,
 * on any node; a replay returns the stored answer. Rows older than 24 hours are deleted lazily.
 */
export function idempotencyMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('idempotency_keys')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('route', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('response_json', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
        .execute();
      await db.schema.createIndex('idempotency_keys_created_at').on('idempotency_keys').column('created_at').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('idempotency_keys').execute();
    },
  };
}
