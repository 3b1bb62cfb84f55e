import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';
import { DEMO_PASSWORD } from '../../src/services/demo.service.js';
import { pdfText } from '../support/pdf.js';

/** Demo user of each discipline (demo data). */
const SIGNER: Record<string, string> = {
  pediatric_oncology: 'oncologist', orthopedic_oncology: 'orthopedic', pediatric_surgery: 'surgeon', radiation_oncology: 'radiation',
  medical_oncology: 'medonc', pathology: 'pathologist', radiology: 'radiologist', otolaryngology: 'ent', neurosurgery: 'neurosurgeon',
};

type Content = Record<string, any>;

/** The plan with every open item answered: checklist questions, cycle counts. */
function completed(content: Content): Content {
  const c = structuredClone(content);
  for (const q of c.checklist) q.answer = 'yes';
  for (const p of c.phases) for (const cy of p.cycles) if (cy.count === null) cy.count = 1;
  return c;
}

describe.each(DIALECTS)('treatment plans on %s', (dialect) => {
  let t: TestApi;
  let caseId = '';
  let required: string[] = [];
  const as = (user: string) => t.as(user);
  const call: TestApi['call'] = (...args) => t.call(...args);

  beforeAll(async () => {
    t = await testApi(dialect, { patients: 30 });
    // Not the demo's case shared for a second opinion: the partner institution may read that one (its own test).
    const shared = new Set((await t.services.store.db.selectFrom('case_shares').select('case_id').execute()).map((r) => r.case_id));
    const cases = json(await call('oncologist', 'GET', '/cases?limit=100')).items.filter((c: { id: string }) => !shared.has(c.id));
    for (const c of cases) {
      const a = json(await call('oncologist', 'GET', `/cases/${c.id}/assessment`)).assessment;
      if ((a?.treatmentTemplate === 'T-EWS-ICC' || a?.treatmentTemplate === 'T-OS-MAP') && (await call('oncologist', 'GET', `/cases/${c.id}/plan`)).statusCode === 404) {
        caseId = c.id;
        required = a.conferenceDisciplines;
        break;
      }
    }
  });
  afterAll(async () => { await t?.close(); });

  test('a plan starts from the template the assessment proposes, with its tailoring checklist unanswered', async () => {
    expect(caseId).not.toBe('');
    expect((await call('oncologist', 'GET', `/cases/${caseId}/plan`)).statusCode).toBe(404);
    // The case says whether it has a plan, so a page need not ask for one that is not there.
    expect(json(await call('oncologist', 'GET', `/cases/${caseId}`)).plan).toBeNull();
    const res = await call('oncologist', 'POST', `/cases/${caseId}/plan`, {});
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('W/"1"');
    const plan = json(res);
    expect(plan.status).toBe('draft');
    expect(plan.content.templateId).toMatch(/^T-(EWS|OS)-/);
    expect(plan.content.checklist.length).toBeGreaterThan(0);
    expect(plan.content.checklist.every((q: { answer: unknown; rules: string[] }) => q.answer === null && q.rules.length > 0)).toBe(true);
    expect(plan.checklistComplete).toBe(false);
    expect(plan.exposure.doxorubicinEquivalentMgM2.value).toBeGreaterThan(0);
    expect(plan.signoff.required).toEqual(required);
    expect(plan.signoff.requiredRules).toContain('R-CONF');
    expect((await call('oncologist', 'POST', `/cases/${caseId}/plan`, {})).statusCode).toBe(409);
    expect(json(await call('oncologist', 'GET', `/cases/${caseId}`)).plan).toEqual({ version: 1, status: 'draft' });
  });

  test('an edit needs If-Match; a stale one is refused; absurd doses and unit confusion are rejected naming the field', async () => {
    const cur = await call('oncologist', 'GET', `/cases/${caseId}/plan`);
    const content = json(cur).content;
    expect((await call('oncologist', 'PUT', `/cases/${caseId}/plan`, content)).statusCode).toBe(428);
    expect((await call('oncologist', 'PUT', `/cases/${caseId}/plan`, content, { 'if-match': 'W/"7"' })).statusCode).toBe(412);

    const absurd = structuredClone(content);
    const path = (() => {
      for (const [p, ph] of absurd.phases.entries()) for (const [c, cy] of ph.cycles.entries()) for (const [a, ag] of cy.agents.entries()) {
        if (ag.agent === 'doxorubicin') { ag.doseMgM2 = 5000; return `phases[${p}].cycles[${c}].agents[${a}].doseMgM2`; }
      }
      return '';
    })();
    const bad = await call('oncologist', 'PUT', `/cases/${caseId}/plan`, absurd, { 'if-match': cur.headers.etag! });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.field).toBe(path);
    expect(json(bad).error.message).toMatch(/doxorubicin 5,000 mg\/m² .*outside the allowed range 0–90 mg\/m²/);

    const confused = structuredClone(content);
    const agent = confused.phases.flatMap((p: Content) => p.cycles).flatMap((c: Content) => c.agents).find((a: Content) => a.doseMgM2 !== undefined);
    agent.doseMg = 40;
    const both = await call('oncologist', 'PUT', `/cases/${caseId}/plan`, confused, { 'if-match': cur.headers.etag! });
    expect(both.statusCode).toBe(400);
    expect(json(both).error.field).toMatch(/agents\[\d+\]/);
    // Nothing was saved by the refused edits.
    expect((await call('oncologist', 'GET', `/cases/${caseId}/plan`)).headers.etag).toBe('W/"1"');
  });

  test('two clinicians editing the same version at once: exactly one wins and the version goes up by one', async () => {
    const cur = json(await call('oncologist', 'GET', `/cases/${caseId}/plan`));
    const a = { ...cur.content, notes: 'Edit by oncology' };
    const b = { ...cur.content, notes: 'Edit by orthopedics' };
    const [ra, rb] = await Promise.all([
      call('oncologist', 'PUT', `/cases/${caseId}/plan`, a, { 'if-match': `W/"${cur.version}"` }),
      call('orthopedic', 'PUT', `/cases/${caseId}/plan`, b, { 'if-match': `W/"${cur.version}"` }),
    ]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([200, 412]);
    const after = json(await call('oncologist', 'GET', `/cases/${caseId}/plan`));
    expect(after.version).toBe(cur.version + 1);
    expect(after.content.notes).toBe((ra.statusCode === 200 ? a : b).notes);
  });

  test('groups sign a specific version after re-entering their password; the plan is agreed when all required groups signed', async () => {
    let cur = await call('oncologist', 'GET', `/cases/${caseId}/plan`);
    const early = await call('oncologist', 'POST', `/cases/${caseId}/plan/signatures`, { version: json(cur).version, password: DEMO_PASSWORD });
    expect(early.statusCode).toBe(409);
    expect(json(early).error.field).toMatch(/^checklist\[0\]/);

    const put = await call('oncologist', 'PUT', `/cases/${caseId}/plan`, { content: completed(json(cur).content), note: 'checklist answered' }, { 'if-match': cur.headers.etag! });
    expect(put.statusCode).toBe(200);
    cur = put;
    const version = json(cur).version;

    const wrong = await call('oncologist', 'POST', `/cases/${caseId}/plan/signatures`, { version, password: 'not-my-password' });
    expect(wrong.statusCode).toBe(403);
    expect(json(wrong).error.field).toBe('password');
    const superseded = await call('oncologist', 'POST', `/cases/${caseId}/plan/signatures`, { version: version - 1, password: DEMO_PASSWORD });
    expect(superseded.statusCode).toBe(409);
    expect(json(superseded).error.message).toMatch(/superseded/);
    expect((await call('coordinator', 'POST', `/cases/${caseId}/plan/signatures`, { version, password: DEMO_PASSWORD })).statusCode).toBe(403);

    let last: any;
    for (const d of required) {
      const res = await call(SIGNER[d]!, 'POST', `/cases/${caseId}/plan/signatures`, { version, password: DEMO_PASSWORD });
      expect(res.statusCode).toBe(201);
      last = json(res);
    }
    expect(last.status).toBe('agreed');
    expect(last.signoff.agreed).toBe(true);
    expect(last.signoff.missing).toEqual([]);
    expect((await call(SIGNER[required[0]!]!, 'POST', `/cases/${caseId}/plan/signatures`, { version, password: DEMO_PASSWORD })).statusCode).toBe(409);
  });

  test('an edit after sign-off makes an unsigned new version; versions can be listed and compared', async () => {
    const cur = await call('oncologist', 'GET', `/cases/${caseId}/plan`);
    const before = json(cur);
    const edited = { ...before.content, notes: 'Local control by surgery if resectable at week 12.' };
    const res = await call('orthopedic', 'PUT', `/cases/${caseId}/plan`, edited, { 'if-match': cur.headers.etag! });
    const after = json(res);
    expect(after.version).toBe(before.version + 1);
    expect(after.status).toBe('draft');
    expect(after.signoff.agreed).toBe(false);
    expect(after.signoff.missing).toEqual(required);
    expect(after.signoff.signatures.every((x: { current: boolean }) => !x.current)).toBe(true);

    const versions = json(await call('oncologist', 'GET', `/cases/${caseId}/plan/versions`));
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([after.version, before.version, before.version - 1, 1].slice(0, versions.items.length));
    expect(versions.items.find((v: { version: number }) => v.version === before.version).signedBy.sort()).toEqual([...required].sort());
    const cmp = json(await call('oncologist', 'GET', `/cases/${caseId}/plan/compare?a=${before.version}&b=${after.version}`));
    expect(cmp.changes).toEqual([expect.objectContaining({ kind: 'changed', after: 'Local control by surgery if resectable at week 12.' })]);
    expect((await call('oncologist', 'GET', `/cases/${caseId}/plan/compare?a=1&b=99`)).statusCode).toBe(404);
  });

  test('treatment is recorded against the agreed plan, the timeline and concordance follow it, and ending therapy gives the survivorship schedule', async () => {
    const cur = json(await call('oncologist', 'GET', `/cases/${caseId}/plan`));
    const draftRecord = await call('oncologist', 'POST', `/cases/${caseId}/plan/administrations`, { kind: 'surgery', date: '2026-01-05', surgeryType: 'limb_salvage', margin: 'R0' });
    expect(draftRecord.statusCode).toBe(409);
    for (const d of required) {
      expect((await call(SIGNER[d]!, 'POST', `/cases/${caseId}/plan/signatures`, { version: cur.version, password: DEMO_PASSWORD })).statusCode).toBe(201);
    }
    const first = cur.content.phases.find((p: Content) => p.cycles.length > 0).cycles[0];
    const agents = first.agents.filter((a: Content) => a.doseMgM2 !== undefined).map((a: Content) => ({ agent: a.agent, doseMgM2: a.doseMgM2 }));
    const today = new Date().toISOString().slice(0, 10);
    const given = await call('oncologist', 'POST', `/cases/${caseId}/plan/administrations`, { kind: 'chemo', date: today, cycleId: first.id, agents });
    expect(given.statusCode).toBe(201);
    const absurd = await call('oncologist', 'POST', `/cases/${caseId}/plan/administrations`, { kind: 'chemo', date: today, agents: [{ agent: 'doxorubicin', doseMgM2: 5000 }] });
    expect(absurd.statusCode).toBe(400);
    expect(json(absurd).error.field).toMatch(/agents\[0\]\.doseMgM2/);
    const future = await call('oncologist', 'POST', `/cases/${caseId}/plan/administrations`, { kind: 'chemo', date: '2999-01-01', agents });
    expect(future.statusCode).toBe(400);

    const progress = json(await call('oncologist', 'GET', `/cases/${caseId}/plan/progress`));
    expect(progress.status).toBe('active');
    expect(progress.administrations).toHaveLength(1);
    expect(progress.timeline.some((e: { status: string }) => e.status === 'given')).toBe(true);
    expect(progress.timeline.some((e: { status: string }) => e.status === 'planned')).toBe(true);
    expect(['concordant', 'deviation']).toContain(progress.concordance.status);
    expect(progress.survivorship).toBeNull();

    const ended = await call('oncologist', 'POST', `/cases/${caseId}/plan/end`, { endedOn: today });
    expect(ended.statusCode).toBe(200);
    const done = json(await call('oncologist', 'GET', `/cases/${caseId}/plan/progress`));
    expect(done.status).toBe('completed');
    expect(done.survivorship.value.items.length).toBeGreaterThan(0);
    expect(done.survivorship.value.items.every((i: { rules: string[] }) => i.rules.length > 0)).toBe(true);
    const cannotEdit = await call('oncologist', 'PUT', `/cases/${caseId}/plan`, cur.content, { 'if-match': `W/"${cur.version}"` });
    expect(cannotEdit.statusCode).toBe(409);
  });

  test('the consensus letter, the family summary and the survivorship care plan come as PDF, in Spanish on request, and each export is audited', async () => {
    const get = (kind: string, lang?: string) => call('oncologist', 'GET', `/cases/${caseId}/documents/${kind}.pdf${lang ? `?lang=${lang}` : ''}`);
    const letter = await get('consensus-letter');
    expect(letter.statusCode).toBe(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(letter.headers['content-disposition']).toMatch(/consensus-letter-\d{4}-\d{2}-\d{2}-en\.pdf/);
    const text = pdfText(letter.rawPayload);
    expect(text).toMatch(/T-(EWS|OS)-/);
    expect(text).toMatch(/R-[A-Z]/);
    const es = pdfText((await get('family-summary', 'es')).rawPayload);
    expect(es).toMatch(/Quimioterapia/);
    const surv = await get('survivorship-care-plan');
    expect(surv.statusCode).toBe(200);
    expect(pdfText(surv.rawPayload)).toMatch(/R-LE-/);
    expect((await get('nonsense')).statusCode).toBe(400);
    const audit = await t.db.store.db.selectFrom('audit_log').select(['record_type', 'action']).where('record_id', '=', caseId).where('action', '=', 'export').execute();
    expect(audit.map((a) => a.record_type).sort()).toEqual(['consensus-letter', 'family-summary', 'survivorship-care-plan']);
  });

  test('the demo program has plans in every state: drafts, agreed, in treatment with a recorded deviation, finished with a survivorship schedule', async () => {
    const rows = await t.db.store.db.selectFrom('plans').select(['status', 'case_id']).execute();
    const states = new Set(rows.map((r) => r.status));
    for (const st of ['draft', 'agreed', 'active', 'completed']) expect(states).toContain(st);
    const done = rows.find((r) => r.status === 'completed')!;
    const progress = json(await call('oncologist', 'GET', `/cases/${done.case_id}/plan/progress`));
    expect(progress.administrations.length).toBeGreaterThan(3);
    expect(progress.survivorship.value.items.length).toBeGreaterThan(0);
    const deviations = await Promise.all(rows.filter((r) => r.status !== 'draft').map(async (r) => json(await call('oncologist', 'GET', `/cases/${r.case_id}/plan/progress`)).concordance.deviationsByReason?.toxicity ?? 0));
    expect(deviations.some((n) => n > 0)).toBe(true);
  });

  test('another institution’s coordinator cannot see the plan', async () => {
    expect((await call('riverside', 'GET', `/cases/${caseId}/plan`)).statusCode).toBe(404);
  });
});
