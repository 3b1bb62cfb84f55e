import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { initialsOf } from '../../src/domain/notify/templates.js';
import { hashPassword } from '../../src/services/auth.service.js';
import { newId } from '../../src/services/context.js';
import { DEMO_PASSWORD } from '../../src/services/demo.service.js';
import { usersRepo } from '../../src/store/users.repo.js';
import { DIALECTS } from '../support/stores.js';
import { json, testApi, type TestApi } from '../support/api.js';

interface Queued {
  id: string;
  recipient: string;
  template: string;
  institution_id: string | null;
  referral_id: string | null;
  subject: string;
  body: string;
  status: string;
}

describe.each(DIALECTS)('second-opinion emails on %s', (dialect) => {
  let t: TestApi;
  let caseId = '';
  let patient = { family_name: '', given_name: '' };
  const ids = { lch: '', rcm: '' };
  const PURPOSE = 'Second opinion on the relapse seen on the last scan';

  beforeAll(async () => {
    t = await testApi(dialect, { now: () => new Date('2026-11-27T12:00:00.000Z') });
    const db = t.services.store.db;
    const inst = await db.selectFrom('institutions').select(['id', 'code']).execute();
    ids.lch = inst.find((i) => i.code === 'LCH')!.id;
    ids.rcm = inst.find((i) => i.code === 'RCM')!.id;
    const demoShares = await db.selectFrom('case_shares').select('case_id').execute();
    const c = await db.selectFrom('cases').select(['id', 'patient_id']).where('institution_id', '=', ids.lch)
      .where('id', 'not in', demoShares.map((r) => r.case_id)).orderBy('id').executeTakeFirstOrThrow();
    caseId = c.id;
    patient = await db.selectFrom('patients').select(['family_name', 'given_name']).where('id', '=', c.patient_id).executeTakeFirstOrThrow();
    // The receiving institution besides its demo coordinator and clinician: a second reviewer, and people who must
    // not be emailed (an inactive clinician, a clinician without an email, a role that does not review).
    const password_hash = await hashPassword(DEMO_PASSWORD);
    const extra = [
      ['rcm-reviewer2', 'Dr. Second Reviewer', 'clinician', 'rcm-reviewer2@rcm.example.org', 1],
      ['rcm-former', 'Dr. Former Reviewer', 'clinician', 'rcm-former@rcm.example.org', 0],
      ['rcm-noemail', 'Dr. No Email', 'clinician', null, 1],
      ['rcm-trials', 'Trials Desk', 'trials', 'rcm-trials@rcm.example.org', 1],
    ] as const;
    for (const [username, display_name, role, email, active] of extra) {
      await usersRepo.insert(db, {
        id: newId(), institution_id: ids.rcm, username, display_name, role, discipline: role === 'clinician' ? 'pediatric_oncology' : null,
        password_hash, email, active, created_at: '2026-11-27T11:00:00.000Z',
      });
    }
  });
  afterAll(async () => { await t?.close(); });
  // Each test starts with no open share of the case, whatever the previous one did.
  afterEach(async () => {
    await t.services.store.db.updateTable('case_shares').set({ revoked_at: '2026-11-27T12:00:00.000Z' })
      .where('case_id', '=', caseId).where('revoked_at', 'is', null).execute();
  });

  /** Runs a step and returns the outbox rows it queued. */
  const queuedBy = async (step: () => Promise<unknown>): Promise<Queued[]> => {
    const before = new Set((await t.services.store.db.selectFrom('notifications').select('id').execute()).map((r) => r.id));
    await step();
    const rows = await t.services.store.db.selectFrom('notifications')
      .select(['id', 'recipient', 'template', 'institution_id', 'referral_id', 'subject', 'body', 'status']).execute();
    return rows.filter((r) => !before.has(r.id)).sort((a, b) => a.recipient.localeCompare(b.recipient));
  };
  /** R-NOTIFY-PRIVACY: no queued email carries the patient's names, the purpose, or any message written. */
  const expectPrivate = (rows: Queued[], ...texts: string[]) => {
    for (const r of rows) {
      const text = `${r.subject}\n${r.body}`;
      for (const secret of [patient.family_name, patient.given_name, PURPOSE, ...texts]) expect(text).not.toContain(secret);
    }
  };
  const ref = () => `CASE ${caseId.slice(0, 8).toUpperCase()}`;
  const share = async (by: string) => {
    const res = await t.call(by, 'POST', `/cases/${caseId}/shares`, { institutionCode: 'RCM', purpose: PURPOSE, until: '2026-12-05' });
    expect(res.statusCode, res.body).toBe(201);
    return json(res) as { id: string };
  };
  const write = async (by: string, body: string, shareId?: string, status = 201) => {
    const res = await t.call(by, 'POST', `/cases/${caseId}/second-opinion`, { body, ...(shareId ? { shareId } : {}) });
    expect(res.statusCode, res.body).toBe(status);
  };

  test('sharing a case queues one email to each active coordinator and clinician of the receiving institution with an email', async () => {
    const rows = await queuedBy(() => share('oncologist'));
    expect(rows.map((r) => r.recipient)).toEqual(['riverside-onc@rcm.example.org', 'riverside@rcm.example.org', 'rcm-reviewer2@rcm.example.org'].sort());
    for (const r of rows) {
      expect(r).toMatchObject({ template: 'second_opinion_requested', institution_id: ids.rcm, referral_id: null, status: 'pending' });
      expect(r.subject).toBe(`Second opinion requested: ${ref()}`);
      expect(r.body).toContain(`Lakeshore Children's Hospital has shared a case (patient ${initialsOf(patient.given_name, patient.family_name)})`);
      expect(r.body).toContain('for a second opinion until 2026-12-05.');
    }
    expect(rows.find((r) => r.recipient.startsWith('riverside-onc'))!.body).toContain('Dear Dr. Tomás Ibarra (Pediatric Oncology, Riverside),');
    expectPrivate(rows);
  });

  test('messages on the thread are emailed to the other side only, never to their author and never with their text', async () => {
    const s = await share('oncologist');
    // A reviewer writes: the person who shared is told.
    const first = await queuedBy(() => write('riverside-onc', 'First opinion: consider whole-lung irradiation'));
    expect(first.map((r) => [r.recipient, r.template, r.institution_id])).toEqual([['oncologist@lch.example.org', 'second_opinion_commented', ids.lch]]);
    expect(first[0]!.body).toContain(`Riverside Children's Medical Center wrote on the second opinion for ${ref()}`);
    expectPrivate(first, 'whole-lung irradiation', 'First opinion');

    const second = await queuedBy(async () => {
      await write('rcm-reviewer2', 'Agree with the first opinion on irradiation');
      await write('riverside-onc', 'Adding: check the cardiac dose before irradiation');
    });
    expect(second.map((r) => r.recipient)).toEqual(['oncologist@lch.example.org', 'oncologist@lch.example.org']);
    expectPrivate(second, 'irradiation', 'cardiac dose');

    // The owner replies: each reviewer who wrote is told once; the coordinator who did not write and the author are not.
    const reply = await queuedBy(() => write('oncologist', 'Thank you, we will plan irradiation', s.id));
    expect(reply.map((r) => [r.recipient, r.template, r.institution_id])).toEqual([
      ['rcm-reviewer2@rcm.example.org', 'second_opinion_commented', ids.rcm],
      ['riverside-onc@rcm.example.org', 'second_opinion_commented', ids.rcm],
    ]);
    for (const r of reply) expect(r.body).toContain(`Lakeshore Children's Hospital wrote on the second opinion for ${ref()}`);
    expectPrivate(reply, 'irradiation', 'Thank you');

    // A reply by another clinician of the owner institution: the reviewers again, not the sharer (who is not a reviewer).
    const other = await queuedBy(() => write('surgeon', 'Surgical note for the reviewers', s.id));
    expect(other.map((r) => r.recipient)).toEqual(['rcm-reviewer2@rcm.example.org', 'riverside-onc@rcm.example.org']);
    expectPrivate(other, 'Surgical note');
  });

  test('a refused write queues nothing', async () => {
    const s = await share('oncologist');
    await write('riverside-onc', 'An opinion before the share is revoked');
    expect((await t.call('oncologist', 'POST', `/shares/${s.id}/revoke`)).statusCode).toBe(200);
    const rows = await queuedBy(async () => {
      await write('riverside-onc', 'A late opinion', undefined, 404);
      await write('oncologist', 'A late reply', s.id, 409);
      await write('oncologist', 'A reply naming no share', undefined, 400);
      const bad = await t.call('oncologist', 'POST', `/cases/${caseId}/shares`, { institutionCode: 'RCM', purpose: '   ' });
      expect(bad.statusCode).toBe(400);
      expect(json(bad).error.field).toBe('purpose');
      const own = await t.call('oncologist', 'POST', `/cases/${caseId}/shares`, { institutionCode: 'LCH', purpose: PURPOSE });
      expect(own.statusCode).toBe(400);
      expect((await t.call('riverside', 'POST', `/cases/${caseId}/shares`, { institutionCode: 'LCH', purpose: PURPOSE })).statusCode).toBe(404);
    });
    expect(rows).toEqual([]);
  });
});
