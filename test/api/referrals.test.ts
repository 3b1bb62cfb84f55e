import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

export const spanishFamily = () => ({
  patient: { familyName: 'García López', givenName: 'Mateo', birthDate: '2014-06-02', sex: 'male', homeCountry: 'Mexico' },
  referrer: { name: 'Lucía López', role: 'parent', email: 'lucia.lopez@example.com', phone: '+52 55 5555 0100' },
  diagnosisText: 'Sarcoma de Ewing en pelvis (biopsia externa)', urgency: 'urgent', question: '¿Cirugía o radioterapia?',
  consentToShare: true, preferredLanguage: 'Español', interpreterNeeded: true, travelNeeded: true,
});

function multipart(referral: unknown, files: Array<{ name: string; type: string; bytes: Buffer }>): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----tb${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="referral"\r\n\r\n${JSON.stringify(referral)}\r\n`)];
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe.each(DIALECTS)('referrals on %s', (dialect) => {
  let t: TestApi;
  let coord: string;
  const count = async () => Number((await t.db.store.db.selectFrom('referrals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await testApi(dialect);
    coord = await t.login('coordinator');
  });
  afterAll(async () => { await t?.close(); });

  const submit = (body: unknown, key?: string, extra: Record<string, string> = {}) => t.app.inject({
    method: 'POST', url: '/api/v1/referrals/public', payload: body as object, headers: { ...(key ? { 'idempotency-key': key } : {}), ...extra },
  });

  test('a family submits the public form without logging in and gets a reference', async () => {
    const res = await submit(spanishFamily(), 'key-family-0001');
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ status: 'received', reference: expect.stringMatching(/^REF-\d{4}-[0-9A-Z]{6}$/) });
  });

  test('the same idempotency key twice, or five at once, makes exactly one referral', async () => {
    const before = await count();
    const first = json(await submit(spanishFamily(), 'key-double-0001'));
    const again = await submit(spanishFamily(), 'key-double-0001');
    expect(again.statusCode).toBe(200);
    expect(json(again).id).toBe(first.id);
    const racing = await Promise.all(Array.from({ length: 5 }, () => submit(spanishFamily(), 'key-race-00001')));
    expect(new Set(racing.map((r) => json(r).id)).size).toBe(1);
    expect(await count()).toBe(before + 2);
  });

  test('a PDF attachment is stored outside the row with its SHA-256 and downloads byte for byte', async () => {
    const m = multipart(spanishFamily(), [{ name: 'informe patología.pdf', type: 'application/pdf', bytes: PDF }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/public', payload: m.payload, headers: { ...m.headers, 'idempotency-key': 'key-attach-0001' } });
    expect(res.statusCode).toBe(201);
    const detail = json(await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${json(res).id}`, headers: { cookie: coord } }));
    expect(detail.attachments).toHaveLength(1);
    expect(detail.attachments[0]).toMatchObject({ filename: 'informe patología.pdf', contentType: 'application/pdf', sizeBytes: PDF.length });
    expect(detail.attachments[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const file = await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${detail.attachments[0].id}`, headers: { cookie: coord } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.equals(PDF)).toBe(true);
  });

  test.each([
    ['an HTML page named .pdf', 'scan.pdf', 'application/pdf', Buffer.from('<html><script>alert(1)</script></html>'), 400],
    ['a ZIP named .png', 'photo.png', 'image/png', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]), 400],
    ['an empty file', 'empty.pdf', 'application/pdf', Buffer.alloc(0), 400],
  ])('%s is refused naming attachments, and nothing is stored', async (_what, name, type, bytes, status) => {
    const before = await count();
    const m = multipart(spanishFamily(), [{ name, type, bytes }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/public', payload: m.payload, headers: m.headers });
    expect(res.statusCode).toBe(status);
    expect(json(res).error.field).toBe('attachments[0]');
    expect(await count()).toBe(before);
  });

  test('an attachment over the size limit gets 413 naming attachments', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024, 0x20)]);
    const m = multipart(spanishFamily(), [{ name: 'big.pdf', type: 'application/pdf', bytes: big }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/public', payload: m.payload, headers: m.headers });
    expect(res.statusCode).toBe(413);
    expect(json(res).error.field).toBe('attachments');
  });

  test.each([
    ['an empty family name', { patient: { ...spanishFamily().patient, familyName: '' } }, 'patient.familyName'],
    ['a 10,000-character name', { patient: { ...spanishFamily().patient, givenName: 'x'.repeat(10_000) } }, 'patient.givenName'],
    ['a birth date in the future', { patient: { ...spanishFamily().patient, birthDate: '2099-01-01' } }, 'patient.birthDate'],
    ['no consent', { consentToShare: false }, 'consentToShare'],
    ['a bad email', { referrer: { ...spanishFamily().referrer, email: 'not-an-email' } }, 'referrer.email'],
  ])('%s gets 400 naming %s, and nothing is stored', async (_what, patch, field) => {
    const before = await count();
    const res = await submit({ ...spanishFamily(), ...patch });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.field).toBe(field);
    expect(await count()).toBe(before);
  });

  test('script in a text field is stored and returned as plain text in JSON, never as HTML', async () => {
    const evil = '<img src=x onerror=alert(1)><script>alert("x")</script>';
    const res = json(await submit({ ...spanishFamily(), question: evil, diagnosisText: evil }, 'key-script-0001'));
    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${res.id}`, headers: { cookie: coord } });
    expect(detail.headers['content-type']).toMatch(/^application\/json/);
    expect(json(detail).question).toBe(evil);
  });

  test('the honeypot field makes a spam submission look accepted but stores nothing', async () => {
    const before = await count();
    const res = await submit({ ...spanishFamily(), website: 'http://spam.example' });
    expect(res.statusCode).toBe(201);
    expect(await count()).toBe(before);
  });

  test('a coordinator triages, collects records, arranges travel and schedules the case, every step audited', async () => {
    const created = json(await submit(spanishFamily(), 'key-pipeline-01'));
    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${created.id}`, headers: { cookie: coord } });
    const d = json(detail);
    expect(d.allowedTransitions).toContain('triaged');
    expect(d.clocks.map((c: { key: string }) => c.key)).toEqual(['triage', 'records', 'conference']);
    const triaged = await t.app.inject({
      method: 'POST', url: `/api/v1/referrals/${created.id}/triage`, headers: { cookie: coord, 'if-match': detail.headers.etag! },
      payload: { urgency: 'urgent', suspectedFamily: 'ewing', patient: { action: 'create', mrn: `REF-${Date.now().toString(36)}` } },
    });
    expect(triaged.statusCode).toBe(200);
    let r = json(triaged);
    expect(r).toMatchObject({ status: 'triaged', patientId: expect.any(String), caseId: expect.any(String) });
    expect(r.records.items.map((i: { item: string }) => i.item)).toEqual(expect.arrayContaining(['outside_pathology_report', 'pathology_slides_blocks', 'mri_primary', 'chest_ct', 'bone_marrow']));
    const early = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${created.id}/status`, headers: { cookie: coord, 'if-match': `W/"${r.version}"` }, payload: { status: 'records_complete' } });
    expect(early.statusCode).toBe(409);
    for (const item of r.records.items) {
      const done = item.reviewedBy ? 'reviewed' : item.required ? 'received' : 'not_applicable';
      const up = await t.app.inject({ method: 'PUT', url: `/api/v1/cases/${r.caseId}/records/${item.item}`, headers: { cookie: coord, 'if-match': `W/"${item.version}"` }, payload: { status: done } });
      expect(up.statusCode, item.item).toBe(200);
    }
    r = json(await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${created.id}`, headers: { cookie: coord } }));
    expect(r.status).toBe('records_complete');
    expect(r.records.complete).toBe(true);
    const travel = await t.app.inject({
      method: 'PUT', url: `/api/v1/referrals/${created.id}/travel`, headers: { cookie: coord },
      payload: { homeCountry: 'Mexico', interpreterNeeded: true, interpreterLanguage: 'Spanish', arrivalDate: '2027-01-10', departureDate: '2027-01-20', lodging: 'Family house', visaLetter: 'needed' },
    });
    expect(travel.statusCode).toBe(200);
    expect(json(travel).travel).toMatchObject({ interpreterLanguage: 'Spanish', version: 1, nextDue: { what: expect.any(String) } });
    const worklist = json(await t.app.inject({ method: 'GET', url: '/api/v1/travel/worklist', headers: { cookie: await t.login('travel') } }));
    expect(worklist.items.map((i: { referralId: string }) => i.referralId)).toContain(created.id);
    const scheduled = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${created.id}/status`, headers: { cookie: coord, 'if-match': `W/"${r.version}"` }, payload: { status: 'scheduled' } });
    expect(scheduled.statusCode).toBe(200);
    expect(json(scheduled).timeline.map((e: { status: string }) => e.status)).toEqual(['received', 'triaged', 'records_complete', 'scheduled']);
    const audit = json(await t.app.inject({ method: 'GET', url: `/api/v1/admin/audit?recordType=referral&limit=200`, headers: { cookie: await t.login('admin') } }));
    expect(audit.items.filter((e: { recordId: string; action: string }) => e.recordId === created.id && e.action === 'update').length).toBeGreaterThanOrEqual(2);
    const outbox = await t.db.store.db.selectFrom('notifications').selectAll().where('referral_id', '=', created.id).execute();
    expect(outbox.some((n) => n.recipient === 'lucia.lopez@example.com' && n.language === 'es')).toBe(true);
    expect(outbox.every((n) => !n.body.includes('García López'))).toBe(true);
  });

  test('declining needs a reason', async () => {
    const created = json(await submit(spanishFamily(), 'key-decline-001'));
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/referrals/${created.id}/status`, headers: { cookie: coord, 'if-match': 'W/"1"' }, payload: { status: 'declined' } });
    expect(res.statusCode).toBe(400);
    expect(json(res).error.field).toBe('reason');
  });

  test('the referral list needs a session; another institution sees none of these referrals', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/referrals' })).statusCode).toBe(401);
    const other = json(await t.app.inject({ method: 'GET', url: '/api/v1/referrals', headers: { cookie: await t.login('riverside') } }));
    expect(other.total).toBe(0);
    const mine = json(await t.app.inject({ method: 'GET', url: '/api/v1/referrals?limit=1', headers: { cookie: coord } }));
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/referrals/${mine.items[0].id}`, headers: { cookie: await t.login('riverside') } })).statusCode).toBe(404);
  });

  test('a signed-in referrer sees only their own referrals', async () => {
    const referrer = await t.login('referrer');
    const ids = (res: { items: Array<{ id: string }> }) => res.items.map((i) => i.id).sort();
    // The demo program already holds a few referrals this account sent.
    const before = ids(json(await t.app.inject({ method: 'GET', url: '/api/v1/referrals/mine', headers: { cookie: referrer } })));
    const own = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/public', payload: { ...spanishFamily(), referrer: { name: 'Dr. Robert Chen', role: 'physician', email: 'rchen@example.org' } }, headers: { cookie: referrer, 'idempotency-key': 'key-referrer-01' } });
    expect(own.statusCode).toBe(201);
    const mine = json(await t.app.inject({ method: 'GET', url: '/api/v1/referrals/mine', headers: { cookie: referrer } }));
    expect(ids(mine)).toEqual([...before, json(own).id].sort());
    const sent = await t.services.store.db.selectFrom('referrals').innerJoin('users', 'users.id', 'referrals.referrer_user_id')
      .select('referrals.id').where('users.username', '=', 'referrer').execute();
    expect(ids(mine)).toEqual(sent.map((r) => r.id).sort());
    const all = json(await t.app.inject({ method: 'GET', url: '/api/v1/referrals?limit=1', headers: { cookie: await t.login('coordinator') } }));
    expect(all.total).toBeGreaterThan(mine.items.length);
    expect(mine.items.find((i: { id: string }) => i.id === json(own).id)).toMatchObject({ patientInitials: 'M. G.' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/referrals', headers: { cookie: referrer } })).statusCode).toBe(403);
  });
});
