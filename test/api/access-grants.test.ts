import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_PASSWORD } from '../../src/services/demo.service.js';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

const DAY = 86_400_000;

describe.each(DIALECTS)('second-opinion sharing and break-the-glass on %s', (dialect) => {
  let t: TestApi;
  // The services' clock: moved forward to see grants expire (sessions are signed in again after a jump).
  let clock = Date.parse('2026-11-27T12:00:00.000Z');
  let caseId = '';
  let patientId = '';
  let otherPatient: { id: string; mrn: string } = { id: '', mrn: '' };

  beforeAll(async () => {
    t = await testApi(dialect, { now: () => new Date(clock) });
    const lch = await t.services.store.db.selectFrom('institutions').select('id').where('code', '=', 'LCH').executeTakeFirstOrThrow();
    // A case the demo has not shared, and a patient with no case in common with it.
    const demoShares = await t.services.store.db.selectFrom('case_shares').select(['case_id', 'patient_id']).execute();
    const shared = demoShares.map((r) => r.case_id);
    const c = await t.services.store.db.selectFrom('cases').select(['id', 'patient_id']).where('institution_id', '=', lch.id)
      .where('tumor_id', 'is not', null).where('id', 'not in', shared).where('patient_id', 'not in', demoShares.map((r) => r.patient_id)).orderBy('id').executeTakeFirstOrThrow();
    caseId = c.id;
    patientId = c.patient_id;
    otherPatient = await t.services.store.db.selectFrom('patients').select(['id', 'mrn']).where('institution_id', '=', lch.id)
      .where('id', 'not in', [patientId, ...demoShares.map((r) => r.patient_id)]).orderBy('mrn').executeTakeFirstOrThrow();
  });
  afterAll(async () => { await t?.close(); });

  const call = async (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url: `/api/v1${url}`, ...(payload !== undefined ? { payload: payload as object } : {}), headers: { cookie, ...headers } });
  const accessReport = async (admin: string, pid: string) =>
    json(await call(admin, 'GET', `/admin/audit/patient/${pid}?limit=200`)).items as Array<{ username: string; recordType: string; recordId: string; detail: string | null; outcome: string }>;

  test('a shared case is readable by the partner institution, audited with the share, until it is revoked', async () => {
    const owner = await t.login('oncologist');
    const partner = await t.login('riverside-onc');
    const admin = await t.login('admin');
    expect((await call(partner, 'GET', `/cases/${caseId}`)).statusCode).toBe(404);

    const created = await call(owner, 'POST', `/cases/${caseId}/shares`, { institutionCode: 'RCM', purpose: 'Second opinion on local control', until: '2026-12-05' });
    expect(created.statusCode, created.body).toBe(201);
    const share = json(created);
    expect(share).toMatchObject({ caseId, status: 'active', until: '2026-12-05T23:59:59.999Z', institution: { code: 'RCM' } });

    const read = await call(partner, 'GET', `/cases/${caseId}`);
    expect(read.statusCode, read.body).toBe(200);
    expect(json(read).access).toEqual({ basis: 'share', grantId: share.id, until: share.until, sharedBy: "Lakeshore Children's Hospital" });
    expect((await call(partner, 'GET', `/cases/${caseId}/assessment`)).statusCode).toBe(200);
    // The patient, with the shared case only.
    const patient = json(await call(partner, 'GET', `/patients/${patientId}`));
    expect(patient.cases.map((c: { id: string }) => c.id)).toEqual([caseId]);

    const incoming = json(await call(partner, 'GET', '/shares/incoming')).items as Array<{ id: string; caseId: string }>;
    expect(incoming.map((i) => i.id)).toContain(share.id);

    const entries = await accessReport(admin, patientId);
    expect(entries).toContainEqual(expect.objectContaining({ username: 'riverside-onc', recordType: 'case', recordId: caseId, detail: `via share ${share.id}`, outcome: 'success' }));
    expect(entries).toContainEqual(expect.objectContaining({ username: 'oncologist', recordType: 'case_share', recordId: share.id }));

    const revoked = await call(owner, 'POST', `/shares/${share.id}/revoke`);
    expect(json(revoked)).toMatchObject({ status: 'revoked' });
    expect((await call(owner, 'POST', `/shares/${share.id}/revoke`)).statusCode).toBe(409);
    expect((await call(partner, 'GET', `/cases/${caseId}`)).statusCode).toBe(404);
    expect((await call(partner, 'GET', `/patients/${patientId}`)).statusCode).toBe(404);
    expect((json(await call(partner, 'GET', '/shares/incoming')).items as Array<{ id: string }>).map((i) => i.id)).not.toContain(share.id);
    expect((await accessReport(admin, patientId))).toContainEqual(expect.objectContaining({ username: 'oncologist', recordType: 'case_share', detail: 'revoked' }));
  });

  test('a share ends at its end date', async () => {
    const owner = await t.login('coordinator');
    const share = json(await call(owner, 'POST', `/cases/${caseId}/shares`, { institutionCode: 'RCM', purpose: 'Pathology review', until: '2026-11-28T12:00:00Z' }));
    expect((await call(await t.login('riverside-onc'), 'GET', `/cases/${caseId}`)).statusCode).toBe(200);
    clock += 1 * DAY;
    try {
      expect((await call(await t.login('riverside-onc'), 'GET', `/cases/${caseId}`)).statusCode).toBe(404);
      const list = json(await call(await t.login('coordinator'), 'GET', `/cases/${caseId}/shares`)).items as Array<{ id: string; status: string }>;
      expect(list.find((x) => x.id === share.id)?.status).toBe('expired');
    } finally {
      clock -= 1 * DAY;
      // Back in time the share is open again: end it, so the next tests start without one.
      await call(await t.login('coordinator'), 'POST', `/shares/${share.id}/revoke`);
    }
  });

  test('the partner institution may comment on a shared case but change nothing else', async () => {
    const owner = await t.login('oncologist');
    const partner = await t.login('riverside-onc');
    const share = json(await call(owner, 'POST', `/cases/${caseId}/shares`, { institutionId: (await t.services.store.db.selectFrom('institutions').select('id').where('code', '=', 'RCM').executeTakeFirstOrThrow()).id, purpose: 'Radiation field review' }));
    expect(share.status).toBe('active');
    const c = json(await call(partner, 'GET', `/cases/${caseId}`));
    expect((await call(partner, 'POST', `/cases/${caseId}/status`, { status: c.status }, { 'if-match': `W/"${c.version}"` })).statusCode).toBe(404);
    const p = json(await call(partner, 'GET', `/patients/${patientId}`));
    const { id: _i, institutionId: _n, version, createdAt: _c, updatedAt: _u, tumors: _t, cases: _s, access: _a, ...input } = p;
    expect((await call(partner, 'PUT', `/patients/${patientId}`, input, { 'if-match': `W/"${version}"` })).statusCode).toBe(404);
    expect((await call(partner, 'POST', `/cases/${caseId}/plan`, {})).statusCode).toBe(404);
    expect((await call(partner, 'GET', `/cases/${caseId}/shares`)).statusCode).toBe(404);
    expect((await call(partner, 'POST', `/shares/${share.id}/revoke`)).statusCode).toBe(404);

    // Trial matches are computed for the reviewer to read: nothing stored, no screening log, no screening step.
    const countMatches = async () => Number((await t.services.store.db.selectFrom('trial_matches').select((eb) => eb.fn.countAll().as('n'))
      .where('case_id', '=', caseId).executeTakeFirstOrThrow()).n);
    const storedBefore = await countMatches();
    const seen = await call(partner, 'GET', `/cases/${caseId}/trial-matches`);
    expect(seen.statusCode, seen.body).toBe(200);
    const matches = json(seen);
    expect(matches).toMatchObject({ caseId, readOnly: true, screening: [] });
    if (matches.available) expect(matches.matches.every((m: { screening: unknown }) => m.screening === null)).toBe(true);
    expect(await countMatches()).toBe(storedBefore);
    expect(json(await call(owner, 'GET', `/cases/${caseId}/trial-matches`)).readOnly).toBe(false);
    const trialId = (matches.matches as Array<{ id: string | null }>).find((m) => m.id)?.id ?? 'none';
    expect((await call(partner, 'PUT', `/cases/${caseId}/trial-screenings/${trialId}`, { status: 'screened' })).statusCode).toBe(404);
    const admin = await t.login('admin');
    expect(await accessReport(admin, patientId)).toContainEqual(expect.objectContaining({ username: 'riverside-onc', recordType: 'trial_matches', detail: `via share ${share.id}` }));

    const comment = await call(partner, 'POST', `/cases/${caseId}/second-opinion`, { body: 'We would favour surgery after induction.' });
    expect(comment.statusCode, comment.body).toBe(201);
    // The owner's reply names the share it answers.
    const unnamed = await call(owner, 'POST', `/cases/${caseId}/second-opinion`, { body: 'A note' });
    expect(unnamed.statusCode).toBe(400);
    expect(json(unnamed).error.field).toBe('shareId');
    const shares = json(await call(owner, 'GET', `/cases/${caseId}/shares`)).items as Array<{ id: string; comments: Array<{ body: string; institution: string }> }>;
    expect(shares.find((x) => x.id === share.id)?.comments).toEqual([expect.objectContaining({ body: 'We would favour surgery after induction.', institution: "Riverside Children's Medical Center" })]);
    expect((json(await call(partner, 'GET', `/cases/${caseId}/second-opinion`)).items as unknown[]).length).toBe(1);
    // The other institution's coordinator sees the case too (shared with the institution), but only clinicians comment.
    expect((await call(await t.login('riverside'), 'POST', `/cases/${caseId}/second-opinion`, { body: 'x' })).statusCode).toBe(403);
    await call(owner, 'POST', `/shares/${share.id}/revoke`);
    expect((await call(partner, 'POST', `/cases/${caseId}/second-opinion`, { body: 'Too late' })).statusCode).toBe(404);
  });

  test('the owner replies on a share\'s thread and its reviewers read the reply; a thread closes with its share', async () => {
    const owner = await t.login('oncologist');
    const partner = await t.login('riverside-onc');
    const share = json(await call(owner, 'POST', `/cases/${caseId}/shares`, { institutionCode: 'RCM', purpose: 'Surgical margins' }));
    const opinion = json(await call(partner, 'POST', `/cases/${caseId}/second-opinion`, { body: 'Margins look achievable.' }));
    expect(opinion).toMatchObject({ shareId: share.id, from: 'reviewer', institution: "Riverside Children's Medical Center" });

    clock += 60_000; // a minute later: the thread is ordered by time
    const reply = await call(owner, 'POST', `/cases/${caseId}/second-opinion`, { body: 'Could your surgeon join the conference?', shareId: share.id });
    expect(reply.statusCode, reply.body).toBe(201);
    expect(json(reply)).toMatchObject({ shareId: share.id, from: 'owner', institution: "Lakeshore Children's Hospital", author: expect.any(String) });

    // The reviewers see their thread, the reply included, oldest first.
    const thread = json(await call(partner, 'GET', `/cases/${caseId}/second-opinion`)).items as Array<{ body: string; from: string; shareId: string }>;
    expect(thread.filter((c) => c.shareId === share.id).map((c) => [c.from, c.body])).toEqual([
      ['reviewer', 'Margins look achievable.'], ['owner', 'Could your surgeon join the conference?'],
    ]);
    const onShare = (json(await call(owner, 'GET', `/cases/${caseId}/shares`)).items as Array<{ id: string; comments: Array<{ from: string }> }>).find((x) => x.id === share.id);
    expect(onShare?.comments.map((c) => c.from)).toEqual(['reviewer', 'owner']);
    const admin = await t.login('admin');
    expect(await accessReport(admin, patientId)).toContainEqual(expect.objectContaining({ username: 'oncologist', recordType: 'second_opinion_comment', detail: `reply on share ${share.id}` }));

    // Errors name the field: an empty reply, a share of another case, the reviewer naming a share not theirs.
    const bad: Array<[string, Record<string, unknown>, string]> = [
      [owner, { body: '  ', shareId: share.id }, 'body'],
      [owner, { body: 'Hello', shareId: 'no-such-share' }, 'shareId'],
      [owner, { body: 'Hello', shareId: '' }, 'shareId'],
      [partner, { body: 'Hello', shareId: 'no-such-share' }, 'shareId'],
    ];
    for (const [who, body, field] of bad) {
      const res = await call(who, 'POST', `/cases/${caseId}/second-opinion`, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(json(res).error.field).toBe(field);
    }
    // Only clinicians write on a thread; the owner's coordinator reads it on the shares list.
    expect((await call(await t.login('coordinator'), 'POST', `/cases/${caseId}/second-opinion`, { body: 'x', shareId: share.id })).statusCode).toBe(403);

    await call(owner, 'POST', `/shares/${share.id}/revoke`);
    const late = await call(owner, 'POST', `/cases/${caseId}/second-opinion`, { body: 'One more thing', shareId: share.id });
    expect(late.statusCode).toBe(409);
    expect(json(late).error.field).toBe('shareId');
    const kept = await t.services.store.db.selectFrom('second_opinion_comments').select('body').where('share_id', '=', share.id).execute();
    expect(kept.map((r) => r.body).sort()).toEqual(['Could your surgeon join the conference?', 'Margins look achievable.']);
    clock -= 60_000; // the later tests expect the clock where it was
  });

  test('the owner institution\'s overview lists its requests with their patient and where each thread stands', async () => {
    const owner = await t.login('oncologist');
    const coordinator = await t.login('coordinator');
    const partner = await t.login('riverside-onc');
    const share = json(await call(owner, 'POST', `/cases/${caseId}/shares`, { institutionCode: 'RCM', purpose: 'Overview check' }));
    type Item = { id: string; status: string; patient: { id: string; mrn: string }; messages: number; opinions: number; last: { from: string } | null; createdAt: string };
    const outgoing = async (who: string) => json(await call(who, 'GET', '/shares/outgoing')).items as Item[];

    let mine = (await outgoing(coordinator)).find((x) => x.id === share.id);
    expect(mine).toMatchObject({ status: 'active', patient: { id: patientId }, messages: 0, opinions: 0, last: null });
    await call(partner, 'POST', `/cases/${caseId}/second-opinion`, { body: 'Looks like a case for proton therapy.' });
    mine = (await outgoing(coordinator)).find((x) => x.id === share.id);
    expect(mine).toMatchObject({ messages: 1, opinions: 1, last: { from: 'reviewer' } });
    // The reviewers' list of cases shared with them shows the same thread from their side.
    const incoming = json(await call(partner, 'GET', '/shares/incoming')).items as Item[];
    expect(incoming.find((x) => x.id === share.id)).toMatchObject({ messages: 1, opinions: 1, last: { from: 'reviewer' } });
    expect(incoming.find((x) => x.id === share.id)).not.toHaveProperty('patient');
    clock += 60_000;
    await call(owner, 'POST', `/cases/${caseId}/second-opinion`, { body: 'Thank you, we will refer.', shareId: share.id });
    const list = await outgoing(coordinator);
    expect(list.find((x) => x.id === share.id)).toMatchObject({ messages: 2, opinions: 1, last: { from: 'owner' } });
    // Active requests come first; the demo's request is there with its reply.
    const firstEnded = list.findIndex((x) => x.status !== 'active');
    if (firstEnded >= 0) expect(list.slice(firstEnded).every((x) => x.status !== 'active')).toBe(true);
    expect(list.some((x) => x.id !== share.id && x.messages >= 2)).toBe(true);

    // The partner institution lists only what it shared (nothing of Lakeshore's); a researcher may not look.
    expect((await outgoing(partner)).map((x) => x.id)).not.toContain(share.id);
    expect((await call(await t.login('researcher'), 'GET', '/shares/outgoing')).statusCode).toBe(403);

    // A revoked request stays on the overview, ended.
    await call(owner, 'POST', `/shares/${share.id}/revoke`);
    expect((await outgoing(coordinator)).find((x) => x.id === share.id)?.status).toBe('revoked');
    clock -= 60_000;
  });

  test('share input errors name the field', async () => {
    const owner = await t.login('oncologist');
    const cases: Array<[unknown, string]> = [
      [{ institutionCode: 'RCM', purpose: '   ' }, 'purpose'],
      [{ institutionCode: 'RCM', purpose: 'x'.repeat(501) }, 'purpose'],
      [{ institutionCode: 'RCM' }, 'purpose'],
      [{ institutionCode: 'RCM', purpose: 'Review', until: '2026-11-01' }, 'until'],
      [{ institutionCode: 'RCM', purpose: 'Review', until: '2027-01-15' }, 'until'],
      [{ institutionCode: 'RCM', purpose: 'Review', until: 'soon' }, 'until'],
      [{ purpose: 'Review' }, 'institutionCode'],
      [{ institutionCode: 'NOPE', purpose: 'Review' }, 'institutionCode'],
      [{ institutionCode: 'LCH', purpose: 'Review' }, 'institutionCode'],
    ];
    for (const [body, field] of cases) {
      const res = await call(owner, 'POST', `/cases/${caseId}/shares`, body);
      expect(res.statusCode, `${JSON.stringify(body).slice(0, 80)} → ${res.body}`).toBe(400);
      expect(json(res).error.field).toBe(field);
    }
    // Another institution's case stays 404; a reviewer cannot share what is not theirs.
    const theirs = await t.services.store.db.selectFrom('cases').innerJoin('institutions', 'institutions.id', 'cases.institution_id')
      .select('cases.id').where('institutions.code', '=', 'RCM').orderBy('cases.id').executeTakeFirstOrThrow();
    expect((await call(owner, 'POST', `/cases/${theirs.id}/shares`, { institutionCode: 'RCM', purpose: 'Review' })).statusCode).toBe(404);
    expect((await call(owner, 'GET', `/cases/${theirs.id}`)).statusCode).toBe(404);
  });

  test('break-the-glass by MRN grants four hours of read-only access, audited, reported to the owner and reviewed', async () => {
    const partner = await t.login('riverside-onc');
    const admin = await t.login('admin');
    const body = { institutionCode: 'LCH', mrn: otherPatient.mrn, reasonCategory: 'emergency-care', justification: 'Presented to our emergency department febrile and neutropenic.', password: DEMO_PASSWORD };
    expect((await call(partner, 'GET', `/patients/${otherPatient.id}`)).statusCode).toBe(404);

    const missing = await call(partner, 'POST', '/break-glass/lookup', { ...body, mrn: 'LCH-NOPE' });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).error.field).toBe('mrn');
    const denied = await t.services.store.db.selectFrom('audit_log').select(['outcome', 'detail']).where('username', '=', 'riverside-onc')
      .where('record_type', '=', 'break_glass').where('outcome', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThan(0);

    const created = await call(partner, 'POST', '/break-glass/lookup', body);
    expect(created.statusCode, created.body).toBe(201);
    const grant = json(created);
    expect(grant).toMatchObject({ patientId: otherPatient.id, status: 'active', until: '2026-11-27T16:00:00.000Z', reasonCategory: 'emergency-care' });

    const p = await call(partner, 'GET', `/patients/${otherPatient.id}`);
    expect(p.statusCode).toBe(200);
    expect(json(p).access).toMatchObject({ basis: 'btg', grantId: grant.id, until: grant.until });
    const firstCase = (json(p).cases as Array<{ id: string; version: number; status: string }>)[0];
    if (firstCase) {
      expect((await call(partner, 'GET', `/cases/${firstCase.id}`)).statusCode).toBe(200);
      // Read-only: no status change, no comment.
      expect((await call(partner, 'POST', `/cases/${firstCase.id}/status`, { status: firstCase.status }, { 'if-match': `W/"${firstCase.version}"` })).statusCode).toBe(404);
      expect((await call(partner, 'POST', `/cases/${firstCase.id}/second-opinion`, { body: 'A note' })).statusCode).toBe(409);
    }
    expect(await accessReport(admin, otherPatient.id)).toContainEqual(expect.objectContaining({ username: 'riverside-onc', recordType: 'patient', detail: `break-glass ${grant.id}` }));

    const report = json(await call(admin, 'GET', '/admin/break-glass')).items as Array<{ id: string; reviewedAt: string | null; reads: Array<{ recordType: string; detail: string }>; user: { username: string } }>;
    const event = report.find((e) => e.id === grant.id);
    expect(event?.user.username).toBe('riverside-onc');
    expect(event?.reviewedAt).toBeNull();
    expect(event?.reads).toContainEqual(expect.objectContaining({ recordType: 'patient', detail: `break-glass ${grant.id}` }));
    // The demo's past event is there too, awaiting review.
    expect(report.some((e) => e.id !== grant.id && e.reviewedAt === null)).toBe(true);

    expect(json(await call(admin, 'POST', `/admin/break-glass/${grant.id}/review`, { note: '' })).error.field).toBe('note');
    const reviewed = await call(admin, 'POST', `/admin/break-glass/${grant.id}/review`, { note: 'Confirmed with the ED attending: appropriate.' });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(json(reviewed).reviewNote).toBe('Confirmed with the ED attending: appropriate.');
    expect((await call(admin, 'POST', `/admin/break-glass/${grant.id}/review`, { note: 'again' })).statusCode).toBe(409);
    // Only the owner institution's admin reviews (the partner has none; a clinician may not).
    expect((await call(partner, 'GET', '/admin/break-glass')).statusCode).toBe(403);

    clock += 4 * 3_600_000;
    try {
      expect((await call(await t.login('riverside-onc'), 'GET', `/patients/${otherPatient.id}`)).statusCode).toBe(404);
    } finally {
      clock -= 4 * 3_600_000;
    }
  });

  test('break-the-glass needs a clinician, a reason, a justification and the password', async () => {
    const partner = await t.login('riverside-onc');
    const base = { reasonCategory: 'urgent-consult', justification: 'Urgent consult requested by the parents while travelling.', password: DEMO_PASSWORD };
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ ...base, justification: 'too short' }, 400, 'justification'],
      [{ ...base, reasonCategory: 'curiosity' }, 400, 'reasonCategory'],
      [{ ...base, password: 'wrong-password' }, 403, 'password'],
      [{ ...base, password: '' }, 400, 'password'],
    ];
    for (const [body, status, field] of cases) {
      const res = await call(partner, 'POST', `/patients/${otherPatient.id}/break-glass`, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(json(res).error.field).toBe(field);
    }
    expect((await call(await t.login('riverside'), 'POST', `/patients/${otherPatient.id}/break-glass`, base)).statusCode).toBe(403);
    // One's own institution's patient needs no emergency access.
    expect(json(await call(await t.login('oncologist'), 'POST', `/patients/${otherPatient.id}/break-glass`, base)).error.field).toBe('id');
    const ok = await call(partner, 'POST', `/patients/${otherPatient.id}/break-glass`, base);
    expect(ok.statusCode, ok.body).toBe(201);
  });
});
