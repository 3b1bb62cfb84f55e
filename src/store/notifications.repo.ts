import type { Executor } from './db.js';
import type { NotificationTable } from './schema.js';

/**
 * The notification outbox. A use case inserts a row in the same transaction as the change it reports (so a
 * rolled-back change sends nothing and a committed one is never forgotten); a dispatcher sends rows later.
 *
 * Lifecycle: pending → sending → sent | failed (retried with backoff while attempts < MAX_NOTIFICATION_ATTEMPTS)
 * | skipped (never sent: no SMTP configured, or no usable address; `last_error` says why).
 *
 * Claiming is compare-and-set (`UPDATE … WHERE id = ? AND status = ? AND attempts = ?`), so two dispatchers
 * never both claim a row. While a row is `sending`, `sent_at` holds the claim time: a row left `sending` by a
 * dispatcher that died mid-send is turned back into a failed attempt after SENDING_STALE_MS and retried (an email
 * may then go twice; none is lost). The schema has no next-attempt column, so retries are due at fixed offsets
 * from `created_at` (RETRY_AFTER_MS), compared as ISO-8601 text on both dialects.
 */

export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const MAX_NOTIFICATION_ATTEMPTS = 5;

/** A failed row with `attempts` = k is due again `RETRY_AFTER_MS[k]` after it was created. */
export const RETRY_AFTER_MS: Readonly<Record<number, number>> = {
  1: 60_000,
  2: 10 * 60_000,
  3: 60 * 60_000,
  4: 6 * 60 * 60_000,
};

/** A `sending` row older than this belongs to a dispatcher that stopped mid-send (SMTP timeouts are far shorter). */
export const SENDING_STALE_MS = 15 * 60_000;

export const INTERRUPTED_ERROR = 'interrupted while sending (the dispatcher stopped)';

export interface NotificationRecord {
  id: string;
  institutionId: string | null;
  referralId: string | null;
  /** The referral's human reference (joined), for the X-TumorBoard-Reference header. */
  reference: string | null;
  recipient: string;
  language: string;
  template: string;
  subject: string;
  body: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  /** When it was sent (only for status `sent`). */
  sentAt: string | null;
}

export interface NewNotification {
  id: string;
  institutionId: string | null;
  referralId: string | null;
  recipient: string;
  language: string;
  template: string;
  subject: string;
  body: string;
  createdAt: string;
  /** `skipped` records a notification that will not be sent, with the reason in `lastError`. Default `pending`. */
  status?: 'pending' | 'skipped';
  lastError?: string | null;
}

export interface NotificationFilter {
  institutionId?: string | undefined;
  referralId?: string | undefined;
  status?: NotificationStatus | undefined;
  recipient?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();

function selectRows(db: Executor) {
  return db.selectFrom('notifications').leftJoin('referrals', 'referrals.id', 'notifications.referral_id')
    .selectAll('notifications').select('referrals.reference');
}

function toRecord(r: NotificationTable & { reference: string | null }): NotificationRecord {
  const status = r.status as NotificationStatus;
  return {
    id: r.id, institutionId: r.institution_id, referralId: r.referral_id, reference: r.reference ?? null,
    recipient: r.recipient, language: r.language, template: r.template, subject: r.subject, body: r.body, status,
    attempts: Number(r.attempts), lastError: r.last_error, createdAt: r.created_at,
    sentAt: status === 'sent' ? r.sent_at : null,
  };
}

export const notificationsRepo = {
  /** Inserts an outbox row; pass the transaction of the change it reports. */
  async enqueue(db: Executor, row: NewNotification): Promise<void> {
    await db.insertInto('notifications').values({
      id: row.id, institution_id: row.institutionId, referral_id: row.referralId, recipient: row.recipient,
      language: row.language, template: row.template, subject: row.subject, body: row.body,
      status: row.status ?? 'pending', attempts: 0, last_error: row.lastError ?? null, created_at: row.createdAt, sent_at: null,
    }).execute();
  },

  /**
   * Claims up to `limit` rows that are due (pending, or failed with attempts left and past their backoff), marking
   * each `sending` by compare-and-set; returns only the rows this caller won, oldest first.
   */
  async claimBatch(db: Executor, now: Date, limit: number): Promise<NotificationRecord[]> {
    const t = now.getTime();
    const nowIso = now.toISOString();
    // A dispatcher that died mid-send: count the attempt and let the row retry. Idempotent under concurrency.
    await db.updateTable('notifications')
      .set((eb) => ({ status: 'failed', attempts: eb('attempts', '+', 1), last_error: INTERRUPTED_ERROR, sent_at: null }))
      .where('status', '=', 'sending').where('sent_at', '<=', iso(t - SENDING_STALE_MS))
      .execute();
    const retryable = Object.entries(RETRY_AFTER_MS)
      .filter(([k]) => Number(k) < MAX_NOTIFICATION_ATTEMPTS)
      .map(([k, ms]) => [Number(k), iso(t - ms)] as const);
    const candidates = await db.selectFrom('notifications').select(['id', 'status', 'attempts'])
      .where((eb) => eb.or([
        eb('status', '=', 'pending'),
        eb.and([
          eb('status', '=', 'failed'),
          eb.or(retryable.map(([k, due]) => eb.and([eb('attempts', '=', k), eb('created_at', '<=', due)]))),
        ]),
      ]))
      .orderBy('created_at').orderBy('id').limit(Math.max(0, limit)).execute();
    const won: string[] = [];
    for (const c of candidates) {
      const res = await db.updateTable('notifications').set({ status: 'sending', sent_at: nowIso })
        .where('id', '=', c.id).where('status', '=', c.status).where('attempts', '=', c.attempts)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) won.push(c.id);
    }
    if (won.length === 0) return [];
    const rows = await selectRows(db).where('notifications.id', 'in', won)
      .orderBy('notifications.created_at').orderBy('notifications.id').execute();
    return rows.map(toRecord);
  },

  /** sending → sent; false when the row was not ours to finish (not `sending`). */
  async markSent(db: Executor, id: string, now: Date): Promise<boolean> {
    const res = await db.updateTable('notifications')
      .set((eb) => ({ status: 'sent', attempts: eb('attempts', '+', 1), last_error: null, sent_at: now.toISOString() }))
      .where('id', '=', id).where('status', '=', 'sending').executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  /** sending → failed, counting the attempt. `error` must not contain the message body. */
  async markFailed(db: Executor, id: string, error: string): Promise<boolean> {
    const res = await db.updateTable('notifications')
      .set((eb) => ({ status: 'failed', attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000), sent_at: null }))
      .where('id', '=', id).where('status', '=', 'sending').executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  /** sending → skipped: will not be sent (e.g. no SMTP configured); not counted as an attempt. */
  async markSkipped(db: Executor, id: string, reason: string): Promise<boolean> {
    const res = await db.updateTable('notifications')
      .set({ status: 'skipped', last_error: reason.slice(0, 1000), sent_at: null })
      .where('id', '=', id).where('status', '=', 'sending').executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async get(db: Executor, id: string): Promise<NotificationRecord | undefined> {
    const r = await selectRows(db).where('notifications.id', '=', id).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  },

  /** Newest first. */
  async list(db: Executor, filter: NotificationFilter = {}): Promise<NotificationRecord[]> {
    let q = selectRows(db);
    if (filter.institutionId !== undefined) q = q.where('notifications.institution_id', '=', filter.institutionId);
    if (filter.referralId !== undefined) q = q.where('notifications.referral_id', '=', filter.referralId);
    if (filter.status !== undefined) q = q.where('notifications.status', '=', filter.status);
    if (filter.recipient !== undefined) q = q.where('notifications.recipient', '=', filter.recipient);
    const rows = await q.orderBy('notifications.created_at', 'desc').orderBy('notifications.id', 'desc')
      .limit(Math.min(Math.max(filter.limit ?? 100, 0), 1000)).offset(Math.max(filter.offset ?? 0, 0)).execute();
    return rows.map(toRecord);
  },
};
