import type { Selectable } from 'kysely';
import type { Executor, Tx } from './db.js';
import type { IdempotencyKeyTable } from './schema.js';

export type IdempotencyRow = Selectable<IdempotencyKeyTable>;

/** How long a key is remembered (issue 9 §6): a retry after a lost answer comes within seconds or minutes. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export const idempotencyRepo = {
  /**
   * Claims a key inside the create's transaction: undefined when this transaction now holds it, otherwise the row a
   * committed transaction wrote. `ON CONFLICT DO NOTHING` makes PostgreSQL wait for a concurrent holder of the same
   * key to finish (SQLite transactions are serialized anyway), so the unique key, not a prior read, decides.
   * An expired row of the same key is deleted first.
   */
  async claim(tx: Tx, c: { userId: string; key: string; route: string; requestHash: string; now: string }): Promise<IdempotencyRow | undefined> {
    const cutoff = new Date(Date.parse(c.now) - IDEMPOTENCY_TTL_MS).toISOString();
    await tx.deleteFrom('idempotency_keys').where('user_id', '=', c.userId).where('created_at', '<', cutoff).execute();
    const inserted = await tx.insertInto('idempotency_keys')
      .values({ user_id: c.userId, key: c.key, route: c.route, request_hash: c.requestHash, status_code: null, response_json: null, created_at: c.now })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return undefined;
    return tx.selectFrom('idempotency_keys').selectAll().where('user_id', '=', c.userId).where('key', '=', c.key).executeTakeFirstOrThrow();
  },

  /** Stores the answer of the create that claimed the key (same transaction). */
  async complete(tx: Tx, userId: string, key: string, statusCode: number, responseJson: string): Promise<void> {
    await tx.updateTable('idempotency_keys').set({ status_code: statusCode, response_json: responseJson })
      .where('user_id', '=', userId).where('key', '=', key).execute();
  },

  async find(db: Executor, userId: string, key: string): Promise<IdempotencyRow | undefined> {
    return db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
  },
};
