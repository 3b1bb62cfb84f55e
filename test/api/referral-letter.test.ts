import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';
import { pdfText } from '../support/pdf.js';

/** A family abroad writing in Spanish (synthetic). */
const spanishFamily = () => ({
  patient: { familyName: 'Ruiz Ortega', givenName: 'Valentina', birthDate: '2013-03-14', sex: 'female', homeCountry: 'Colombia' },
  referrer: { name: 'Carmen Ortega', role: 'parent', email: 'carmen.ortega@example.com' },
  diagnosisText: 'Osteosarcoma de fémur distal', urgency: 'routine', question: '¿Cirugía de preservación del miembro?',
  consentToShare: true, preferredLanguage: 'Español', interpreterNeeded: true, travelNeeded: true,
});

/**
 * Issue 4 ("a referrer with an account sees the status of their own referrals and the final letter") with issue 5
 * ("finish meeting ... queues the letters"): the referral's case is discussed, the meeting finishes, the referrer is
 * told, and they download the consensus letter in the referral's language; nobody else's referral gives a letter.
 */
describe.each(DIALECTS)('the referrer’s final letter on %s', (dialect) => {
  let t: TestApi;
  let coord = '';
  let referrer = '';
  let referralId = '';
  const call = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1${url}`, ...(payload ? { payload } : {}), headers: { cookie, ...headers } });

  beforeAll(async () => {
    t = await testApi(dialect, { patients: 30 });
    coord = await t.login('coordinator');
    referrer = await t.login('referrer');
    const own = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/public', payload: { ...spanishFamily(), referrer: { name: 'Dr. Robert Chen', role: 'physician', email: 'rchen@example.org' } }, headers: { cookie: referrer, 'idempotency-key': 'key-letter-01' } });
    referralId = json(own).id;
  });
  afterAll(async () => { await t?.close(); });

  test('before the conference the letter is not there yet', async () => {
    const res = await call(referrer, 'GET', `/referrals/mine/${referralId}/letter.pdf`);
    expect(res.statusCode).toBe(409);
    expect(json(res).error.field).toBe('status');
  });

  test('finishing the meeting notifies the referrer, who then downloads the consensus letter in Spanish', async () => {
    // The triage and records steps have their own tests: here the referral is linked to a demo case with a plan
    // and scheduled directly, then the meeting runs through the API.
    const db = t.db.store.db;
    const plan = await db.selectFrom('plans').select('case_id').where('status', '!=', 'draft').limit(1).executeTakeFirstOrThrow();
    await db.updateTable('referrals').set({ status: 'scheduled', case_id: plan.case_id }).where('id', '=', referralId).execute();
    const list = json(await call(coord, 'GET', '/conferences?when=upcoming'));
    const c = json(await call(coord, 'GET', `/conferences/${list.items[0].id}`));
    const added = await call(coord, 'POST', `/conferences/${c.id}/agenda`, { caseId: plan.case_id, kind: 'new_diagnosis' });
    expect([201, 409]).toContain(added.statusCode);
    let m = json(await call(coord, 'GET', `/conferences/${c.id}`));
    m = json(await call(coord, 'POST', `/conferences/${c.id}/start`, undefined, { 'if-match': `W/"${m.version}"` }));
    const item = m.items.find((i: { caseId: string }) => i.caseId === plan.case_id);
    m = json(await call(coord, 'POST', `/conferences/${c.id}/current`, { itemId: item.id }, { 'if-match': `W/"${m.version}"` }));
    const cur = m.items.find((i: { caseId: string }) => i.caseId === plan.case_id);
    expect((await call(coord, 'PUT', `/conferences/${c.id}/agenda/${cur.id}/recommendation`, { planOfCare: 'Chemotherapy per the agreed plan, then local control.', trialToOffer: 'None open for this situation', dissent: [] }, { 'if-match': `W/"${cur.version}"` })).statusCode).toBe(200);
    m = json(await call(coord, 'GET', `/conferences/${c.id}`));
    expect((await call(coord, 'POST', `/conferences/${c.id}/finish`, undefined, { 'if-match': `W/"${m.version}"` })).statusCode).toBe(200);

    const mine = json(await call(referrer, 'GET', '/referrals/mine'));
    expect(mine.items.find((i: { id: string }) => i.id === referralId).status).toBe('presented');
    const outbox = await db.selectFrom('notifications').select(['recipient', 'subject']).where('referral_id', '=', referralId).execute();
    expect(outbox.some((n) => n.recipient === 'rchen@example.org' && /REF-/.test(n.subject))).toBe(true);
    const letter = await call(referrer, 'GET', `/referrals/mine/${referralId}/letter.pdf`);
    expect(letter.statusCode).toBe(200);
    expect(letter.headers['content-disposition']).toMatch(/consensus-letter-.*-es\.pdf/);
    expect(pdfText(letter.rawPayload)).toMatch(/Chemotherapy per the agreed plan/);
  });

  test('a referral that is not the referrer’s own gives no letter', async () => {
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/referrals/public', payload: spanishFamily(), headers: { 'idempotency-key': 'key-letter-02' } });
    expect((await call(referrer, 'GET', `/referrals/mine/${json(other).id}/letter.pdf`)).statusCode).toBe(404);
    expect((await call(coord, 'GET', `/referrals/mine/${referralId}/letter.pdf`)).statusCode).toBe(403);
  });
});
