import { sql, type Kysely } from 'kysely';
import type { Executor } from './db.js';
import type { Database } from './schema.js';

/** Failed sign-ins per account (migration 010-security). */
export interface LoginThrottleTable {
  /** The lower-cased username as typed (known or not). */
  account: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
  updated_at: string;
}

// The table is typed here, beside the only code that uses it.
const db = (x: Executor) => (x as Kysely<Database>).withTables<{ login_throttle: LoginThrottleTable }>();

export const loginThrottleRepo = {
  /** The end of the account's lock if it is locked at `now`, else null. */
  async lockedUntil(x: Executor, account: string, now: string): Promise<string | null> {
    const r = await db(x).selectFrom('login_throttle').select('locked_until')
      .where('account', '=', account).where('locked_until', '>', now).executeTakeFirst();
    return r?.locked_until ?? null;
  },

  /** Of the given accounts, those locked at `now`, with the end of each lock (for the administrators' user list). */
  async lockedAmong(x: Executor, accounts: readonly string[], now: string): Promise<Map<string, string>> {
    if (accounts.length === 0) return new Map();
    const rows = await db(x).selectFrom('login_throttle').select(['account', 'locked_until'])
      .where('account', 'in', [...accounts]).where('locked_until', '>', now).execute();
    return new Map(rows.map((r) => [r.account, r.locked_until!]));
  },

  /**
   * Counts one failure and returns the failures in the current window. One atomic upsert, so concurrent attempts
   * on several nodes all count: a window older than `windowStart` starts again at 1.
   */
  async recordFailure(x: Executor, account: string, now: string, windowStart: string): Promise<number> {
    const stale = sql<boolean>`login_throttle.window_started_at < ${windowStart}`;
    const row = await db(x).insertInto('login_throttle')
      .values({ account, failures: 1, window_started_at: now, locked_until: null, updated_at: now })
      .onConflict((oc) => oc.column('account').doUpdateSet({
        failures: sql<number>`case when ${stale} then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql<string>`case when ${stale} then ${now} else login_throttle.window_started_at end`,
        updated_at: now,
      }))
      .returning('failures')
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  },

  /** Locks the account until `until`; the failure count starts again after the lock. */
  async lock(x: Executor, account: string, until: string, now: string): Promise<void> {
    await db(x).updateTable('login_throttle').set({ locked_until: until, failures: 0, window_started_at: now, updated_at: now })
      .where('account', '=', account).execute();
  },

  /** Forgets accounts untouched since `before` and not locked now (names tried once and never again). */
  async prune(x: Executor, before: string, now: string): Promise<void> {
    await db(x).deleteFrom('login_throttle').where('updated_at', '<', before)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)])).execute();
  },

  /** A successful sign-in forgets the account's failures. */
  async clear(x: Executor, account: string): Promise<void> {
    await db(x).deleteFrom('login_throttle').where('account', '=', account).execute();
  },
};
