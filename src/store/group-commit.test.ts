import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS, freshStore, type TestStore } from '../../test/support/stores.js';
import { AppError } from '../domain/errors.js';
import { buildApp, type App } from '../http/app.js';
import { DEFAULT_PROGRAM_CONFIG, type Services } from '../services/context.js';
import { loadDemo } from '../services/demo.service.js';
import { referrals, type IncomingFile } from '../services/referrals.service.js';
import { isUniqueViolation, openStore, type Store } from './db.js';
import { fileStore } from './files.js';
import { GroupCommitter, groupCommitter } from './group-commit.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

const form = (i: number) => ({
  patient: { familyName: `Grupo${i}`, givenName: 'Ana', birthDate: '2014-06-02', homeCountry: 'Mexico' },
  referrer: { name: 'Dr. Ruiz', role: 'physician' as const, email: `ruiz${i}@example.org` },
  diagnosisText: 'Osteosarcoma', urgency: 'routine' as const, consentToShare: true as const, preferredLanguage: 'Español',
  interpreterNeeded: false, travelNeeded: false,
});

const meta = { clientIp: '127.0.0.1', requestId: null };

/** A second connection to the same database: what it sees is committed. */
function secondConnection(ts: TestStore): Store {
  return ts.location.databaseUrl ? openStore({ databaseUrl: ts.location.databaseUrl, poolSize: 2 }) : openStore({ file: ts.location.file! });
}

describe.each(DIALECTS)('group commit on %s', (dialect) => {
  let ts: TestStore;
  let other: Store;
  const rows = async () => (await sql<{ id: string }>`select id from gc_items order by id`.execute(other.db)).rows.map((r) => r.id);

  beforeAll(async () => {
    ts = await freshStore(dialect);
    // A test table: ids, and a self-reference checked only at COMMIT (to make a commit fail on purpose).
    await sql`create table gc_items (id text primary key, ref text references gc_items(id) deferrable initially deferred)`.execute(ts.store.db);
    other = secondConnection(ts);
  });
  afterAll(async () => { await other?.close(); await ts?.cleanup(); });

  const insert = (id: string, ref: string | null = null) => async (tx: Parameters<Parameters<GroupCommitter['run']>[0]>[0]) => {
    await sql`insert into gc_items (id, ref) values (${id}, ${ref})`.execute(tx);
    return id;
  };

  test('units arriving together share one transaction; each caller gets its own result, and only once it is committed', async () => {
    const gc = new GroupCommitter(ts.store.db, { windowMs: 20 });
    const seenOnAnswer: boolean[] = [];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => gc.run(insert(`a${i}`)).then(async (id) => {
      // At the moment the caller is answered, another connection already sees the row: it was committed first.
      const found = await sql<{ id: string }>`select id from gc_items where id = ${id}`.execute(other.db);
      seenOnAnswer.push(found.rows.length === 1);
      return id;
    })));
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
    expect(seenOnAnswer).toEqual(Array(10).fill(true));
    expect(gc.stats).toMatchObject({ batches: 1, units: 10, largestBatch: 10, failedUnits: 0 });
  });

  test('a failing unit is rolled back alone and gets its own error; its batch-mates commit', async () => {
    const gc = new GroupCommitter(ts.store.db, { windowMs: 20 });
    const refused = new AppError('validation', 'patient.birthDate: refused on purpose', { field: 'patient.birthDate' });
    const outcomes = await Promise.allSettled([
      gc.run(insert('b1')),
      gc.run(async (tx) => { await insert('b-bad')(tx); throw refused; }),
      gc.run(insert('b2')),
      gc.run(insert('b1')), // the same key again: the unique constraint refuses it within the batch
      gc.run(insert('b3')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBe(refused);
    expect(isUniqueViolation((outcomes[3] as PromiseRejectedResult).reason)).toBe(true);
    expect((await rows()).filter((id) => id.startsWith('b'))).toEqual(['b1', 'b2', 'b3']);
    expect(gc.stats).toMatchObject({ batches: 1, units: 5, failedUnits: 2, failedCommits: 0 });
  });

  test('when the shared commit fails, no unit of the batch is acknowledged and none of its writes stay', async () => {
    const gc = new GroupCommitter(ts.store.db, { windowMs: 20 });
    const outcomes = await Promise.allSettled([gc.run(insert('c1')), gc.run(insert('c2', 'no-such-row')), gc.run(insert('c3'))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((await rows()).filter((id) => id.startsWith('c'))).toEqual([]);
    expect(gc.stats).toMatchObject({ failedCommits: 1, failedUnits: 3 });
    // The committer goes on working after a failed commit.
    expect(await gc.run(insert('c4'))).toBe('c4');
  });

  test('when the database gives up the whole transaction inside a unit, nothing of the batch commits and the committer goes on', async () => {
    const gc = new GroupCommitter(ts.store.db, { windowMs: 20 });
    const own = new Error('disk trouble in this unit');
    const outcomes = await Promise.allSettled([
      gc.run(insert('e1')),
      // As SQLite does by itself on some errors (disk full, I/O error): the whole transaction is rolled back.
      gc.run(async (tx) => { await insert('e2')(tx); await sql`rollback`.execute(tx); throw own; }),
      gc.run(insert('e3')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBe(own);
    expect((await rows()).filter((id) => id.startsWith('e'))).toEqual([]);
    expect(await gc.run(insert('e4'))).toBe('e4');
    expect((await rows()).filter((id) => id.startsWith('e'))).toEqual(['e4']);
  });

  test('more units than maxBatch are split into several transactions, in arrival order', async () => {
    const gc = new GroupCommitter(ts.store.db, { windowMs: 5, maxBatch: 4 });
    const ids = Array.from({ length: 10 }, (_, i) => `d${String(i).padStart(2, '0')}`);
    expect(await Promise.all(ids.map((id) => gc.run(insert(id))))).toEqual(ids);
    expect(gc.stats.batches).toBe(3);
    expect(gc.stats.largestBatch).toBe(4);
    await gc.drain();
  });
});

// On SQLite intake uses group commit; on PostgreSQL a transaction per request. The guarantees are the same.
describe.each(DIALECTS)('public referral intake on %s', (dialect) => {
  let ts: TestStore;
  let s: Services;
  let app: App;
  let filesDir: string;
  const tmpFiles = () => (fs.existsSync(path.join(filesDir, 'tmp')) ? fs.readdirSync(path.join(filesDir, 'tmp')) : []);

  beforeAll(async () => {
    ts = await freshStore(dialect);
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-gc-files-'));
    s = { store: ts.store, now: () => new Date(), files: fileStore(filesDir) };
    await loadDemo(s, { patients: 2 });
    // A wide window, so that submissions made together certainly meet in one batch.
    groupCommitter(ts.store.db, { windowMs: 40 });
    app = await buildApp({ services: s, publicRateLimit: 10_000 });
  });
  afterAll(async () => {
    await app?.close();
    await ts?.cleanup();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  const staged = async (bytes: Buffer): Promise<IncomingFile> => ({ filename: 'informe.pdf', declaredType: 'application/pdf', staged: await s.files!.stage(Readable.from([bytes.subarray(0, 7), bytes.subarray(7)])) });
  const inMemory = (bytes: Buffer): IncomingFile => ({ filename: 'informe.pdf', declaredType: 'application/pdf', bytes });

  test('concurrent submissions each make exactly one referral, with its attachment, outbox row and audit entry in the same commit', async () => {
    const gc = groupCommitter(ts.store.db);
    const before = { ...gc.stats };
    const n = 24;
    const res = await Promise.all(Array.from({ length: n }, async (_, i) => {
      const file = i % 2 === 0 ? await staged(Buffer.concat([PDF, Buffer.from(`file ${i}`)])) : inMemory(Buffer.concat([PDF, Buffer.from(`file ${i}`)]));
      return referrals.submitPublic(s, form(i), [file], `gc-many-${String(i).padStart(4, '0')}`, meta);
    }));
    expect(new Set(res.map((r) => r.id)).size).toBe(n);
    expect(res.every((r) => !r.replay && r.status === 'received')).toBe(true);
    const ids = res.map((r) => r.id);
    const count = async (table: 'referrals' | 'attachments' | 'referral_events' | 'notifications', col: 'id' | 'referral_id') =>
      Number((await ts.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where(col, 'in', ids).executeTakeFirstOrThrow()).n);
    expect(await count('referrals', 'id')).toBe(n);
    expect(await count('attachments', 'referral_id')).toBe(n);
    expect(await count('referral_events', 'referral_id')).toBe(n);
    expect(await count('notifications', 'referral_id')).toBe(n);
    const audit = await ts.store.db.selectFrom('audit_log').select(['record_id', 'action', 'outcome', 'detail']).where('record_id', 'in', ids).execute();
    expect(audit).toHaveLength(n);
    expect(audit.every((a) => a.action === 'create' && a.outcome === 'success' && a.detail === 'channel=physician attachments=1')).toBe(true);
    // Every attachment's file is in the store under its hash, and no temp file is left.
    const hashes = await ts.store.db.selectFrom('attachments').select('sha256').where('referral_id', 'in', ids).execute();
    expect(hashes.every((h) => s.files!.has(h.sha256))).toBe(true);
    expect(tmpFiles()).toEqual([]);
    if (dialect === 'sqlite') {
      // They were written in shared transactions.
      expect(gc.stats.units - before.units).toBe(n);
      expect(gc.stats.batches - before.batches).toBeLessThan(n);
      expect(gc.stats.largestBatch).toBeGreaterThan(1);
    } else {
      // PostgreSQL: one transaction per request (its pool runs them side by side).
      expect(gc.stats.units - before.units).toBe(0);
    }
  });

  test('a retried submission gets the one referral, whether the retry meets the original in its batch or comes later', async () => {
    const key = 'gc-retry-000001';
    const together = await Promise.all([
      ...Array.from({ length: 5 }, () => referrals.submitPublic(s, form(100), [inMemory(PDF)], key, meta)),
      ...Array.from({ length: 3 }, (_, i) => referrals.submitPublic(s, form(101 + i), [], `gc-retry-other-${i}`, meta)),
    ]);
    const same = together.slice(0, 5);
    expect(new Set(same.map((r) => r.id)).size).toBe(1);
    expect(same.filter((r) => !r.replay)).toHaveLength(1);
    const later = await referrals.submitPublic(s, form(100), [inMemory(PDF)], key, meta);
    expect(later).toMatchObject({ id: same[0]!.id, replay: true });
    const rows = await ts.store.db.selectFrom('referrals').select('id').where('idempotency_key', '=', key).execute();
    expect(rows).toHaveLength(1);
    const audit = await ts.store.db.selectFrom('audit_log').select('id').where('record_id', '=', rows[0]!.id).where('action', '=', 'create').execute();
    expect(audit).toHaveLength(1);
  });

  test('a submission whose write fails (in a shared batch on SQLite) fails alone with its error; nothing of it stays, and the others commit', async () => {
    // This one's outbox write fails (after its referral, event and attachment rows were written in the batch).
    const failing: Services = { ...s, config: { ...DEFAULT_PROGRAM_CONFIG, get contacts(): never { throw new Error('outbox: template data unavailable'); } } };
    const outcomes = await Promise.allSettled([
      referrals.submitPublic(s, form(200), [inMemory(PDF)], 'gc-fail-ok-0001', meta),
      referrals.submitPublic(failing, form(201), [inMemory(PDF)], 'gc-fail-bad-001', meta),
      referrals.submitPublic(s, form(202), [inMemory(PDF)], 'gc-fail-ok-0002', meta),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(((outcomes[1] as PromiseRejectedResult).reason as Error).message).toBe('outbox: template data unavailable');
    const keys = (await ts.store.db.selectFrom('referrals').select('idempotency_key').where('idempotency_key', 'like', 'gc-fail-%').execute()).map((r) => r.idempotency_key).sort();
    expect(keys).toEqual(['gc-fail-ok-0001', 'gc-fail-ok-0002']);
    const orphans = await ts.store.db.selectFrom('attachments').leftJoin('referrals', 'referrals.id', 'attachments.referral_id').select('attachments.id').where('referrals.id', 'is', null).execute();
    expect(orphans).toEqual([]);
    // The failed one can be sent again with its key and is then stored once.
    const retry = await referrals.submitPublic(s, form(201), [inMemory(PDF)], 'gc-fail-bad-001', meta);
    expect(retry.replay).toBe(false);
  });

  test('multipart uploads are streamed to the store: concurrent forms all land, refused files leave no temp file', async () => {
    const multipart = (i: number, bytes: Buffer, name = 'scan.pdf') => {
      const boundary = `----gc${i}`;
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="referral"\r\n\r\n${JSON.stringify(form(300 + i))}\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`),
        bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'idempotency-key': `gc-http-${String(i).padStart(6, '0')}` } };
    };
    const big = Buffer.concat([PDF, Buffer.alloc(300 * 1024, 0x20)]);
    const res = await Promise.all(Array.from({ length: 12 }, (_, i) => app.inject({ method: 'POST', url: '/api/v1/referrals/public', ...multipart(i, i % 3 === 0 ? big : Buffer.concat([PDF, Buffer.from(`n${i}`)])) })));
    expect(res.map((r) => r.statusCode)).toEqual(Array(12).fill(201));
    const bad = await app.inject({ method: 'POST', url: '/api/v1/referrals/public', ...multipart(50, Buffer.from('<html><script>alert(1)</script></html>')) });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error.field).toBe('attachments[0]');
    const tooBig = await app.inject({ method: 'POST', url: '/api/v1/referrals/public', ...multipart(51, Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024, 0x20)])) });
    expect(tooBig.statusCode).toBe(413);
    expect(tmpFiles()).toEqual([]);
    const stored = await ts.store.db.selectFrom('attachments').innerJoin('referrals', 'referrals.id', 'attachments.referral_id')
      .select(['attachments.sha256', 'attachments.size_bytes']).where('referrals.idempotency_key', '=', 'gc-http-000000').executeTakeFirstOrThrow();
    expect(Number(stored.size_bytes)).toBe(big.length);
    expect((await s.files!.read(stored.sha256)).equals(big)).toBe(true);
  });
});

describe('file store staging (streamed intake files)', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-gc-stage-')); });
  afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });
  const tmp = () => fs.readdirSync(path.join(dir, 'tmp'));

  test('a staged upload is hashed and measured while written; nothing is in the store until commit', async () => {
    const files = fileStore(dir);
    const bytes = Buffer.concat([PDF, Buffer.alloc(700 * 1024, 7)]);
    const st = await files.stage(Readable.from([bytes.subarray(0, 3), bytes.subarray(3, 300_000), bytes.subarray(300_000)]));
    expect(st).toMatchObject({ size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(st.head.equals(bytes.subarray(0, 512))).toBe(true);
    expect(files.has(st.sha256)).toBe(false);
    expect(tmp()).toHaveLength(1);
    expect(await st.commit()).toBe(st.sha256);
    expect(await st.commit()).toBe(st.sha256);
    expect((await files.read(st.sha256)).equals(bytes)).toBe(true);
    await st.discard(); // after commit: nothing to do
    expect(files.has(st.sha256)).toBe(true);
    expect(tmp()).toEqual([]);
  });

  test('the same content staged twice, concurrently or later, is stored once; a discarded upload leaves nothing', async () => {
    const files = fileStore(dir);
    const bytes = Buffer.concat([PDF, Buffer.from('twice')]);
    const [a, b] = await Promise.all([files.stage(Readable.from([bytes])), files.stage(Readable.from([bytes]))]);
    expect(await Promise.all([a.commit(), b.commit()])).toEqual([a.sha256, a.sha256]);
    const c = await files.stage(Readable.from([bytes]));
    expect(await c.commit()).toBe(a.sha256);
    expect(fs.readdirSync(path.join(dir, a.sha256.slice(0, 2)))).toEqual([a.sha256]);
    const d = await files.stage(Readable.from([Buffer.from('never kept')]));
    await d.discard();
    await expect(d.commit()).rejects.toThrow(/discarded/);
    expect(files.has(d.sha256)).toBe(false);
    expect(tmp()).toEqual([]);
  });

  test('a failing upload stream leaves no temp file', async () => {
    const files = fileStore(dir);
    async function* broken() { yield Buffer.from('%PDF-1.4 partial'); throw new Error('client went away'); }
    await expect(files.stage(Readable.from(broken()))).rejects.toThrow('client went away');
    expect(tmp()).toEqual([]);
  });
});
