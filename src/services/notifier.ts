import nodemailer from 'nodemailer';
import { AppError } from '../domain/errors.js';
import { renderNotification, type NotificationData, type NotificationTemplate } from '../domain/notify/templates.js';
import type { Executor } from '../store/db.js';
import { notificationsRepo, type NotificationRecord } from '../store/notifications.repo.js';
import { newId, type Services } from './context.js';

/**
 * Email notifications through the outbox (store/notifications.repo.ts): use cases call `enqueueNotification` inside
 * their transaction; `dispatchNotifications` (run by `startNotificationLoop` in `serve`) sends later. SMTP being
 * down or slow therefore never fails or slows a clinical write, and a failed send is retried, never dropped.
 */

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  /** Plain text only. */
  text: string;
  headers: Record<string, string>;
}

export type SendOutcome = { status: 'sent' } | { status: 'skipped'; reason: string };

export interface Mailer {
  /** False for the no-SMTP mailer, which skips every message. */
  readonly configured: boolean;
  /** Resolves `sent` or `skipped`; rejects when the SMTP server refuses or cannot be reached. */
  send(mail: OutgoingMail): Promise<SendOutcome>;
  close(): void;
}

export const NO_SMTP_REASON = 'skipped: no SMTP configured';
export const DEFAULT_FROM = 'TumorBoard <no-reply@tumorboard.invalid>';

/** Short enough that a dead server costs seconds per batch, long enough for a slow but working one. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, dnsTimeout: 10_000 } as const;

/**
 * A mailer for an SMTP URL such as `smtp://127.0.0.1:2525` or `smtps://user:pass@mail.example.org`; without a URL,
 * one that marks every message skipped ('skipped: no SMTP configured') and never throws.
 */
export function createMailer(smtpUrl: string | undefined): Mailer {
  if (smtpUrl === undefined || smtpUrl.trim() === '') {
    return {
      configured: false,
      send: async () => ({ status: 'skipped', reason: NO_SMTP_REASON }),
      close: () => {},
    };
  }
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    throw new AppError('bad_request', 'SMTP URL: must be a URL like smtp://host:port', { field: 'smtpUrl' });
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new AppError('bad_request', 'SMTP URL: must start with smtp:// or smtps://', { field: 'smtpUrl' });
  }
  // One recipient per message, and no content fetched from files or URLs, whatever a message says.
  const transport = nodemailer.createTransport({ ...SMTP_TIMEOUTS, maxRecipients: 1, disableFileAccess: true, disableUrlAccess: true, url: smtpUrl });
  return {
    configured: true,
    async send(mail) {
      // Plain text only: no `html` part is ever given.
      await transport.sendMail({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, headers: mail.headers });
      return { status: 'sent' };
    },
    close: () => transport.close(),
  };
}

/** A single plain address: a comma or angle bracket would let one row mail several people. */
const SINGLE_ADDRESS = /^[^\s@,;<>()"'\\]+@[^\s@,;<>()"'\\]+\.[^\s@,;<>()"'\\]+$/;

export interface NotificationRequest<T extends NotificationTemplate> {
  template: T;
  /** The recipient's preferred language, as a code or a name; English (with a notice) when there is no template. */
  language: string;
  data: NotificationData[T];
  /** No address: nothing is queued and `null` is returned (the caller reaches them another way). */
  recipient: string | null | undefined;
  institutionId: string | null;
  referralId: string | null;
  /** UTC ISO-8601, from the caller's clock. */
  now: string;
}

/**
 * Renders a template and puts it in the outbox. Call it with the transaction of the change it reports. It never
 * touches the network; an unusable address is recorded as a skipped row instead of failing the caller's write.
 */
export async function enqueueNotification<T extends NotificationTemplate>(tx: Executor, req: NotificationRequest<T>): Promise<{ id: string; status: 'pending' | 'skipped' } | null> {
  const recipient = req.recipient?.trim();
  if (!recipient) return null;
  const rendered = renderNotification(req.template, req.language, req.data);
  const id = newId();
  const usable = SINGLE_ADDRESS.test(recipient) && recipient.length <= 254;
  const status = usable ? 'pending' : 'skipped';
  await notificationsRepo.enqueue(tx, {
    id, institutionId: req.institutionId, referralId: req.referralId, recipient: recipient.slice(0, 320),
    language: rendered.language, template: req.template, subject: rendered.subject, body: rendered.body, createdAt: req.now,
    status, lastError: usable ? null : 'skipped: not a single valid email address',
  });
  return { id, status };
}

export interface DispatchOptions {
  from: string;
  limit?: number;
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  failed: number;
  skipped: number;
}

/** An SMTP error as one short line, without the message body or anything after it. */
function describeError(err: unknown, row: NotificationRecord): string {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown } | null;
  let msg = typeof e?.message === 'string' ? e.message : String(err);
  for (const line of row.body.split('\n').map((l) => l.trim()).filter((l) => l.length >= 12)) {
    if (msg.includes(line)) msg = msg.split(line).join('[body]');
  }
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  const response = typeof e?.responseCode === 'number' ? ` (SMTP ${e.responseCode})` : '';
  return `${code}${msg}${response}`.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/** Header-safe single line. */
const headerValue = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200);

/**
 * Claims due outbox rows and sends each as plain text. Sending errors mark the row failed (retried later with
 * backoff) and never escape; only a database error does.
 */
export async function dispatchNotifications(services: Services, mailer: Mailer, options: DispatchOptions): Promise<DispatchResult> {
  const db = services.store.db;
  const rows = await notificationsRepo.claimBatch(db, services.now(), options.limit ?? 20);
  const result: DispatchResult = { claimed: rows.length, sent: 0, failed: 0, skipped: 0 };
  for (const row of rows) {
    const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' };
    if (row.reference) headers['X-TumorBoard-Reference'] = headerValue(row.reference);
    let outcome: SendOutcome;
    try {
      outcome = await mailer.send({ from: options.from, to: row.recipient, subject: row.subject, text: row.body, headers });
    } catch (err) {
      await notificationsRepo.markFailed(db, row.id, describeError(err, row));
      result.failed++;
      continue;
    }
    if (outcome.status === 'sent') {
      await notificationsRepo.markSent(db, row.id, services.now());
      result.sent++;
    } else {
      await notificationsRepo.markSkipped(db, row.id, outcome.reason);
      result.skipped++;
    }
  }
  return result;
}

export interface NotificationLoopOptions {
  from?: string;
  limit?: number;
  /** Called with a dispatch error (e.g. the database is unreachable); the loop keeps running. */
  onError?: (err: unknown) => void;
}

/**
 * Runs `dispatchNotifications` every `intervalMs` (runs never overlap; a full batch is followed at once by the
 * next, up to 10 per tick). Returns a stop function that resolves after the run in progress ends.
 */
export function startNotificationLoop(services: Services, mailer: Mailer, intervalMs: number, options: NotificationLoopOptions = {}): () => Promise<void> {
  const limit = options.limit ?? 20;
  const dispatch: DispatchOptions = { from: options.from ?? DEFAULT_FROM, limit };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    try {
      for (let i = 0; i < 10 && !stopped; i++) {
        const r = await dispatchNotifications(services, mailer, dispatch);
        if (r.claimed < limit) break;
      }
    } catch (err) {
      options.onError?.(err);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  running = tick().finally(schedule);

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
