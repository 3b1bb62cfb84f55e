import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Services } from '../../src/services/context.js';
import {
  createMailer, dispatchNotifications, enqueueNotification, NO_SMTP_REASON, startNotificationLoop, type Mailer,
} from '../../src/services/notifier.js';
import { inTransaction, openStore, type Store } from '../../src/store/db.js';
import {
  INTERRUPTED_ERROR, MAX_NOTIFICATION_ATTEMPTS, notificationsRepo, RETRY_AFTER_MS, SENDING_STALE_MS,
} from '../../src/store/notifications.repo.js';
import { DIALECTS, freshStore, type TestStore } from '../support/stores.js';

// ---- a real SMTP server on 127.0.0.1, on a free port ----

interface Received {
  from: string;
  to: string[];
  headers: Map<string, string>;
  subject: string;
  body: string;
}

interface TestSmtp {
  url: string;
  port: number;
  messages: Received[];
  stop(): Promise<void>;
}

async function startSmtp(): Promise<TestSmtp> {
  const messages: Received[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], disableReverseLookup: true, logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push(parseMessage(Buffer.concat(chunks).toString('latin1'), session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`, port, messages,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Bytes of a latin1 string (each char one byte) after quoted-printable decoding. */
function qpBytes(s: string): Buffer {
  const out: number[] = [];
  const t = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < t.length; i++) {
    const hex = t.slice(i + 1, i + 3);
    if (t[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) { out.push(Number.parseInt(hex, 16)); i += 2; } else out.push(t.charCodeAt(i));
  }
  return Buffer.from(out);
}

/** RFC 2047 encoded words, adjacent ones joined before UTF-8 decoding (a character may span two). */
function decodeWords(s: string): string {
  const word = /=\?[^?]+\?([QqBb])\?([^?]*)\?=/g;
  return s.replace(new RegExp(`${word.source}(?:\\s+${word.source})*`, 'g'), (run) => {
    const bufs = [...run.matchAll(word)].map(([, enc, text]) =>
      enc!.toUpperCase() === 'B' ? Buffer.from(text!, 'base64') : qpBytes(text!.replace(/_/g, ' ')));
    return Buffer.concat(bufs).toString('utf8');
  });
}

function parseMessage(raw: string, from: string, to: string[]): Received {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const i = line.indexOf(':');
    headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const rawBody = raw.slice(split + 4);
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const bytes = cte === 'base64' ? Buffer.from(rawBody.replace(/\s+/g, ''), 'base64')
    : cte === 'quoted-printable' ? qpBytes(rawBody) : Buffer.from(rawBody, 'latin1');
  return {
    from, to, headers, subject: decodeWords(headers.get('subject') ?? ''),
    body: bytes.toString('utf8').replace(/\r\n/g, '\n'),
  };
}

// ---- fixtures ----

const T0 = new Date('2026-03-02T14:00:00.000Z');
const FROM = 'Sarcoma Program <notify@program.example.org>';

async function seedReferral(store: Store, n: number): Promise<{ institutionId: string; referralId: string; reference: string }> {
  const now = T0.toISOString();
  const institutionId = `inst-${n}`;
  await store.db.insertInto('institutions').values({ id: institutionId, code: `N${n}`, name: `Institution ${n}`, created_at: now }).execute();
  const referralId = `ref-${n}`;
  const reference = `REF-2026-N${n}TEST`;
  await store.db.insertInto('referrals').values({
    id: referralId, institution_id: institutionId, reference, idempotency_key: null, status: 'records_complete', channel: 'physician',
    origin: 'international', urgency: 'routine', patient: '{}', referrer: '{}', referrer_user_id: null, diagnosis_text: null,
    question: null, consent_to_share: 1, preferred_language: 'Español', assigned_to: null, patient_id: null, case_id: null,
    suspected_family: null, outcome_reason: null, search_text: '', triaged_at: null, records_complete_at: now, scheduled_at: null,
    closed_at: null, version: 1, created_at: now, updated_at: now,
  }).execute();
  return { institutionId, referralId, reference };
}

const contacts = [{ label: 'Línea internacional', number: '+1 410-555-0199' }];

describe.each(DIALECTS)('email notifications through the outbox on %s', (dialect) => {
  let t: TestStore;
  let smtp: TestSmtp;
  let mailer: Mailer;
  let clock: Date;
  let services: Services;
  let seq = 0;
  let ref: { institutionId: string; referralId: string; reference: string };

  beforeAll(async () => {
    t = await freshStore(dialect);
    smtp = await startSmtp();
    mailer = createMailer(smtp.url);
  });
  afterAll(async () => {
    mailer?.close();
    await smtp?.stop();
    await t?.cleanup();
  });
  beforeEach(async () => {
    clock = T0;
    services = { store: t.store, now: () => clock };
    // Each test sees only its own rows: earlier tests' leftovers are marked done.
    await t.store.db.updateTable('notifications').set({ status: 'skipped' }).where('status', 'in', ['pending', 'failed', 'sending']).execute();
    smtp.messages.length = 0;
    ref = await seedReferral(t.store, ++seq);
  });

  const enqueueStatusChange = (recipient: string, language = 'Español') =>
    inTransaction(t.store.db, (tx) => enqueueNotification(tx, {
      template: 'referral_status_changed', language, recipient, institutionId: ref.institutionId, referralId: ref.referralId,
      now: clock.toISOString(),
      data: { reference: ref.reference, patientInitials: 'A.T.', contacts, status: 'records_complete' },
    }));

  test('a queued Spanish status change reaches the SMTP server as plain text with the reference header', async () => {
    const queued = await enqueueStatusChange('referrer@clinic.example.org');
    expect(queued?.status).toBe('pending');
    expect(smtp.messages).toHaveLength(0); // enqueuing never talks to SMTP

    const res = await dispatchNotifications(services, mailer, { from: FROM, limit: 10 });
    expect(res).toEqual({ claimed: 1, sent: 1, failed: 0, skipped: 0 });
    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0]!;
    expect(m.to).toEqual(['referrer@clinic.example.org']);
    expect(m.from).toBe('notify@program.example.org');
    expect(m.subject).toBe(`Derivación ${ref.reference}: registros completos`);
    expect(m.body).toContain(`El estado de la derivación ${ref.reference} para A.T. es ahora: registros completos.`);
    expect(m.body).toContain('- Línea internacional: +1 410-555-0199');
    expect(m.headers.get('x-tumorboard-reference')).toBe(ref.reference);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(m.headers.get('auto-submitted')).toBe('auto-generated');

    const [row] = await notificationsRepo.list(t.store.db, { referralId: ref.referralId });
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null, sentAt: T0.toISOString(), language: 'es', reference: ref.reference });
    expect(await dispatchNotifications(services, mailer, { from: FROM })).toEqual({ claimed: 0, sent: 0, failed: 0, skipped: 0 });
    expect(smtp.messages).toHaveLength(1);
  });

  test('a notification enqueued in a rolled-back transaction is never sent', async () => {
    await expect(inTransaction(t.store.db, async (tx) => {
      await enqueueNotification(tx, {
        template: 'referral_received', language: 'en', recipient: 'rollback@clinic.example.org', institutionId: ref.institutionId,
        referralId: ref.referralId, now: clock.toISOString(), data: { reference: ref.reference, patientInitials: 'A.T.', contacts },
      });
      throw new Error('the clinical write failed');
    })).rejects.toThrow('the clinical write failed');
    expect(await notificationsRepo.list(t.store.db, { recipient: 'rollback@clinic.example.org' })).toHaveLength(0);
  });

  test('a stopped SMTP server marks rows failed with attempts counted, without an exception or the body in the error', async () => {
    const dead = await startSmtp();
    await dead.stop();
    const deadMailer = createMailer(dead.url);
    await enqueueStatusChange('a@clinic.example.org');
    await enqueueStatusChange('b@clinic.example.org');

    const res = await dispatchNotifications(services, deadMailer, { from: FROM });
    expect(res).toEqual({ claimed: 2, sent: 0, failed: 2, skipped: 0 });
    const rows = await notificationsRepo.list(t.store.db, { referralId: ref.referralId });
    for (const r of rows) {
      expect(r.status).toBe('failed');
      expect(r.attempts).toBe(1);
      expect(r.lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
      expect(r.lastError).not.toContain('registros completos');
    }

    // Not due again until its backoff has passed, then retried (and sent once a server answers).
    expect((await dispatchNotifications(services, deadMailer, { from: FROM })).claimed).toBe(0);
    clock = new Date(T0.getTime() + RETRY_AFTER_MS[1]!);
    const again = await dispatchNotifications(services, mailer, { from: FROM });
    expect(again).toEqual({ claimed: 2, sent: 2, failed: 0, skipped: 0 });
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(['a@clinic.example.org', 'b@clinic.example.org']);
    expect((await notificationsRepo.list(t.store.db, { referralId: ref.referralId })).map((r) => r.attempts)).toEqual([2, 2]);
    deadMailer.close();
  });

  test(`a row is given up after ${MAX_NOTIFICATION_ATTEMPTS} failed attempts and stays in the outbox`, async () => {
    const dead = await startSmtp();
    await dead.stop();
    const deadMailer = createMailer(dead.url);
    await enqueueStatusChange('never@clinic.example.org');
    for (let i = 0; i < 8; i++) {
      await dispatchNotifications(services, deadMailer, { from: FROM });
      clock = new Date(clock.getTime() + 24 * 3600_000);
    }
    const [row] = await notificationsRepo.list(t.store.db, { recipient: 'never@clinic.example.org' });
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_NOTIFICATION_ATTEMPTS });
    deadMailer.close();
  });

  test('two concurrent dispatchers never send one row twice', async () => {
    const n = 16;
    for (let i = 0; i < n; i++) await enqueueStatusChange(`r${i}@clinic.example.org`);
    // A second connection (pool or SQLite handle), as a second server process would have.
    const other = openStore({ ...t.location, poolSize: 4 });
    const mailer2 = createMailer(smtp.url);
    try {
      const services2: Services = { store: other, now: () => clock };
      const results = await Promise.all([
        dispatchNotifications(services, mailer, { from: FROM, limit: n }),
        dispatchNotifications(services2, mailer2, { from: FROM, limit: n }),
        dispatchNotifications(services, mailer, { from: FROM, limit: n }),
      ]);
      expect(results.reduce((s, r) => s + r.sent, 0)).toBe(n);
      expect(results.reduce((s, r) => s + r.claimed, 0)).toBe(n);
      const recipients = smtp.messages.map((m) => m.to[0]!);
      expect(recipients).toHaveLength(n);
      expect(new Set(recipients).size).toBe(n);
      const rows = await notificationsRepo.list(t.store.db, { referralId: ref.referralId, limit: 100 });
      expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    } finally {
      mailer2.close();
      await other.close();
    }
  });

  test('without SMTP configured, rows are marked skipped with the reason and nothing throws', async () => {
    await enqueueStatusChange('nosmtp@clinic.example.org');
    const res = await dispatchNotifications(services, createMailer(undefined), { from: FROM });
    expect(res).toEqual({ claimed: 1, sent: 0, failed: 0, skipped: 1 });
    const [row] = await notificationsRepo.list(t.store.db, { recipient: 'nosmtp@clinic.example.org' });
    expect(row).toMatchObject({ status: 'skipped', lastError: NO_SMTP_REASON, attempts: 0 });
  });

  test('an address that is not a single mailbox is recorded as skipped, and a missing one queues nothing', async () => {
    const multi = await enqueueStatusChange('a@x.example.org, b@y.example.org');
    expect(multi?.status).toBe('skipped');
    expect(await inTransaction(t.store.db, (tx) => enqueueNotification(tx, {
      template: 'referral_received', language: 'en', recipient: undefined, institutionId: ref.institutionId, referralId: ref.referralId,
      now: clock.toISOString(), data: { reference: ref.reference, patientInitials: 'A.T.', contacts },
    }))).toBeNull();
    expect((await dispatchNotifications(services, mailer, { from: FROM })).claimed).toBe(0);
    expect(smtp.messages).toHaveLength(0);
  });

  test('a row left sending by a dispatcher that died counts as a failed attempt once stale, and is sent again', async () => {
    await enqueueStatusChange('stale@clinic.example.org');
    const claimed = await notificationsRepo.claimBatch(t.store.db, clock, 10);
    expect(claimed).toHaveLength(1); // ... and the process dies here
    clock = new Date(T0.getTime() + SENDING_STALE_MS - 1);
    expect((await dispatchNotifications(services, mailer, { from: FROM })).claimed).toBe(0); // still (maybe) being sent
    const [mid] = await notificationsRepo.list(t.store.db, { recipient: 'stale@clinic.example.org' });
    expect(mid).toMatchObject({ status: 'sending', attempts: 0 });
    clock = new Date(T0.getTime() + SENDING_STALE_MS);
    // Swept to failed (attempt 1); its first retry offset from creation has long passed, so it goes at once.
    expect(await dispatchNotifications(services, mailer, { from: FROM })).toEqual({ claimed: 1, sent: 1, failed: 0, skipped: 0 });
    expect(smtp.messages.map((m) => m.to[0])).toEqual(['stale@clinic.example.org']);
    const [done] = await notificationsRepo.list(t.store.db, { recipient: 'stale@clinic.example.org' });
    expect(done).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  test('a stale sending row is recorded as interrupted', async () => {
    await enqueueStatusChange('stale2@clinic.example.org');
    await notificationsRepo.claimBatch(t.store.db, clock, 10);
    // A claim in the same instant as the sweep sees nothing due: the swept row's retry comes later.
    clock = new Date(T0.getTime() + SENDING_STALE_MS);
    const later = await notificationsRepo.claimBatch(t.store.db, clock, 0);
    expect(later).toEqual([]);
    const [row] = await notificationsRepo.list(t.store.db, { recipient: 'stale2@clinic.example.org' });
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastError: INTERRUPTED_ERROR });
  });

  test('the notification loop sends queued rows and stops cleanly', async () => {
    await enqueueStatusChange('loop@clinic.example.org', 'English');
    const errors: unknown[] = [];
    const stop = startNotificationLoop(services, mailer, 50, { from: FROM, onError: (e) => errors.push(e) });
    try {
      for (let i = 0; i < 100 && smtp.messages.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await stop();
    }
    expect(errors).toEqual([]);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.subject).toBe(`Referral ${ref.reference}: records complete`);
  });
});
