import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Calendar subscriptions: calendar apps cannot sign in, so each user gets a secret feed URL per series. Only the
 * token's SHA-256 is stored; issuing a new link revokes the previous one.
 */
export function calendarFeedsMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('calendar_feeds')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('series_id', 'text', (c) => c.notNull().references('conference_series.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('calendar_feeds_user_series_idx').on('calendar_feeds').columns(['user_id', 'series_id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('calendar_feeds').execute();
    },
  };
}
