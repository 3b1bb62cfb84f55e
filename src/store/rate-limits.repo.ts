import { sql } from 'kysely';
import type { Executor } from './db.js';

/** Fixed-window request counters (migration 018), one row per bucket (route) and hashed client address. */
export const rateLimitsRepo = {
  /**
   * Counts one request in one statement (an upsert: concurrent nodes cannot lose a count): a new window starts when
   * the last one has ended. Returns the count in the current window and when that window started.
   */
  async hit(db: Executor, bucket: string, key: string, windowMs: number, nowMs: number): Promise<{ count: number; windowStart: number }> {
    const expired = sql<boolean>`rate_limits.window_start + ${windowMs} <= ${nowMs}`;
    const row = await db.insertInto('rate_limits').values({ bucket, key, window_start: nowMs, count: 1 })
      .onConflict((oc) => oc.columns(['bucket', 'key']).doUpdateSet({
        count: sql<number>`case when ${expired} then 1 else rate_limits.count + 1 end`,
        window_start: sql<number>`case when ${expired} then ${nowMs} else rate_limits.window_start end`,
      }))
      .returning(['count', 'window_start'])
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), windowStart: Number(row.window_start) };
  },

  /** Forgets windows that ended before `beforeMs`. */
  async purge(db: Executor, beforeMs: number): Promise<void> {
    await db.deleteFrom('rate_limits').where('window_start', '<', beforeMs).execute();
  },
};
