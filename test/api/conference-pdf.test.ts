import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { agendaDocument, minutesDocument, PHI_NOTICE, PROGRAM_TITLE } from '../../src/domain/documents/conference-pdf.js';
import { renderPdf } from '../../src/services/documents.js';
import { auditRepo } from '../../src/store/audit.repo.js';
import { json, testApi, type TestApi } from '../support/api.js';
import { pdfInfo, pdfPageCount, pdfText } from '../support/pdf.js';
import { DIALECTS } from '../support/stores.js';

/**
 * The agenda and minutes PDFs (issue 5). The served PDF is compressed; with the clock fixed, it is byte for byte
 * the rendering of the conference view the API returns, so the text is checked on the uncompressed rendering of
 * that same view (no inflating, no PDF library).
 */
describe.each(DIALECTS)('conference PDFs on %s', (dialect) => {
  const now = new Date();
  let t: TestApi;
  let coord: string;
  let admin: string;
  let institutionName: string;
  const call = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1${url}`, ...(payload ? { payload } : {}), headers: { cookie, ...headers } });

  beforeAll(async () => {
    t = await testApi(dialect, { patients: 20, now: () => now });
    coord = await t.login('coordinator');
    admin = await t.login('admin');
    institutionName = json(await call(coord, 'GET', '/auth/me')).user.institution.name;
  });
  afterAll(async () => { await t?.close(); });

  async function meetingWithCases() {
    const list = json(await call(coord, 'GET', '/conferences?when=upcoming'));
    return json(await call(coord, 'GET', `/conferences/${list.items.find((c: { caseCount: number; status: string }) => c.caseCount > 0 && c.status === 'scheduled').id}`));
  }

  async function exports(recordType: string, recordId: string) {
    const audit = json(await call(admin, 'GET', `/admin/audit?recordType=${recordType}&limit=200`));
    return audit.items.filter((e: { recordId: string }) => e.recordId === recordId);
  }

  const expectPdfDownload = (res: Awaited<ReturnType<typeof call>>, date: string, kind: string) => {
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="tumor-conference-${date}-${kind}.pdf"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(res.rawPayload.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
    expect(pdfPageCount(res.rawPayload)).toBeGreaterThanOrEqual(1);
    // The metadata names the meeting, never a patient.
    expect(pdfInfo(res.rawPayload, 'Title')).toBe(`${PROGRAM_TITLE} ${kind} ${date}`);
  };

  test('the agenda is a PDF download of the agenda, audited as an export', async () => {
    const c = await meetingWithCases();
    const res = await call(coord, 'GET', `/conferences/${c.id}/agenda.pdf`);
    const date = /tumor-conference-(\d{4}-\d{2}-\d{2})-agenda\.pdf/.exec(res.headers['content-disposition'] as string)?.[1] ?? 'none';
    expectPdfDownload(res, date, 'agenda');
    const opts = { institutionName, generatedAt: now };
    expect(res.rawPayload.equals(await renderPdf(agendaDocument(c, opts)))).toBe(true);

    const text = pdfText(await renderPdf(agendaDocument(c, opts), { compress: false }));
    for (const s of [institutionName, PROGRAM_TITLE, 'Agenda', c.room, PHI_NOTICE, `page 1 of ${pdfPageCount(res.rawPayload)}`]) expect(text).toContain(s);
    for (const i of c.items) expect(text).toContain(`MRN ${i.mrn}`);

    const audit = await exports('conference_agenda', c.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'export', outcome: 'success', username: 'coordinator', recordType: 'conference_agenda' });
  });

  test('the minutes are a draft until the meeting finishes, then locked, with the cases rolled over', async () => {
    const c = await meetingWithCases();
    const opts = { institutionName, generatedAt: now };
    const draft = await call(coord, 'GET', `/conferences/${c.id}/minutes.pdf`);
    const date = /tumor-conference-(\d{4}-\d{2}-\d{2})-minutes\.pdf/.exec(draft.headers['content-disposition'] as string)?.[1] ?? 'none';
    expectPdfDownload(draft, date, 'minutes');
    expect(draft.rawPayload.equals(await renderPdf(minutesDocument(c, opts)))).toBe(true);
    const draftText = pdfText(await renderPdf(minutesDocument(c, opts), { compress: false }));
    expect(draftText).toContain('DRAFT: the meeting has not taken place.');
    expect(draftText).not.toContain('Minutes locked at');

    // Hold the meeting: the first case gets a recommendation, the second is open when it finishes, the rest roll over.
    let m = json(await call(coord, 'POST', `/conferences/${c.id}/start`, undefined, { 'if-match': `W/"${c.version}"` }));
    const first = m.items[0];
    m = json(await call(coord, 'PUT', `/conferences/${c.id}/agenda/${first.id}/recommendation`,
      { planOfCare: 'Start VDC/IE, local control at week 12', trialToOffer: 'AEWS1221', dissent: [{ discipline: 'radiation_oncology', note: 'Prefers definitive RT' }] },
      { 'if-match': `W/"${first.version}"` }));
    m = json(await call(coord, 'POST', `/conferences/${c.id}/current`, { itemId: m.items[1].id }, { 'if-match': `W/"${m.version}"` }));
    const finished = await call(coord, 'POST', `/conferences/${c.id}/finish`, undefined, { 'if-match': `W/"${m.version}"` });
    expect(finished.statusCode).toBe(200);
    const v = json(await call(coord, 'GET', `/conferences/${c.id}`));

    const res = await call(await t.login('oncologist'), 'GET', `/conferences/${c.id}/minutes.pdf`);
    expectPdfDownload(res, date, 'minutes');
    expect(res.rawPayload.equals(await renderPdf(minutesDocument(v, opts)))).toBe(true);
    const text = pdfText(await renderPdf(minutesDocument(v, opts), { compress: false }));
    expect(text).toContain('Minutes locked at');
    expect(text).not.toContain('DRAFT');
    expect(text).toContain('Cases discussed (2)');
    expect(text).toContain('Start VDC/IE, local control at week 12');
    expect(text).toContain('Radiation oncology: Prefers definitive RT');
    const rolled = v.items.filter((i: { status: string }) => i.status === 'rolled_over');
    expect(rolled.length).toBe(v.items.length - 2);
    expect(text).toContain(`Cases rolled over to the next meeting (${rolled.length})`);
    const rolledPart = text.slice(text.indexOf('Cases rolled over to the next meeting'));
    for (const i of rolled) expect(rolledPart).toContain(`MRN ${i.mrn}`);

    const audit = await exports('conference_minutes', c.id);
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['export', 'export']);
    expect(audit.map((e: { detail: string }) => e.detail).sort()).toEqual([`pdf cases=${v.items.length}`, `pdf cases=${v.items.length} draft`]);
    expect(audit.map((e: { username: string }) => e.username).sort()).toEqual(['coordinator', 'oncologist']);
  });

  test('another institution gets 404, audited as denied; a role without conference access gets 403', async () => {
    const c = await meetingWithCases();
    const riverside = await t.login('riverside');
    // The attempt is in Riverside's own audit log (it has no admin user, so read it from the store).
    const theirs = json(await call(riverside, 'GET', '/auth/me')).user.institution.id;
    for (const kind of ['agenda', 'minutes']) {
      const res = await call(riverside, 'GET', `/conferences/${c.id}/${kind}.pdf`);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const audit = await auditRepo.list(t.services.store.db, { institutionId: theirs, recordType: `conference_${kind}`, limit: 50, offset: 0 });
      expect(audit.items).toContainEqual(expect.objectContaining({ action: 'export', outcome: 'denied', username: 'riverside', recordId: c.id }));
    }
    expect((await call(await t.login('travel'), 'GET', `/conferences/${c.id}/minutes.pdf`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/conferences/${c.id}/agenda.pdf` })).statusCode).toBe(401);
  });
});
