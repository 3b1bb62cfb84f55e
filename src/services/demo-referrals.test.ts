import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { recordsReadiness } from '../domain/referrals/records.js';
import { travelNextDue } from '../domain/referrals/travel.js';
import { turnaround } from '../domain/referrals/turnaround.js';
import { REFERRAL_TRANSITIONS, referralPatientSchema, referrerSchema } from '../domain/referrals/types.js';
import { DIALECTS } from '../../test/support/stores.js';
import { json, testApi, type TestApi } from '../../test/support/api.js';
import { planDemoReferrals } from './demo-referrals.js';

const NOW = new Date('2026-11-27T12:00:00Z');
const plan = planDemoReferrals(NOW, 20261127);
const byStatus = (status: string) => plan.filter((p) => p.status === status);
const clocks = (p: (typeof plan)[number]) => turnaround({ ...p, closedAt: null }, NOW);

describe('the demo program’s open referrals', () => {
  test('there are eight, none closed, at every open step of the workflow', () => {
    expect(plan).toHaveLength(8);
    expect(plan.map((p) => p.status).sort()).toEqual(['received', 'received', 'records_complete', 'records_complete', 'records_requested', 'records_requested', 'scheduled', 'triaged']);
  });

  test('each one got to its status through allowed steps, one event per step, in time order and before now', () => {
    for (const p of plan) {
      expect(p.events[0]).toMatchObject({ status: 'received', at: p.createdAt });
      expect(p.events.at(-1)!.status).toBe(p.status);
      for (let i = 1; i < p.events.length; i++) {
        expect(REFERRAL_TRANSITIONS[p.events[i - 1]!.status]).toContain(p.events[i]!.status);
        expect(p.events[i]!.at > p.events[i - 1]!.at).toBe(true);
      }
      expect(p.events.at(-1)!.at < NOW.toISOString()).toBe(true);
      expect(p.triagedAt).toBe(p.events.find((e) => e.status === 'triaged')?.at ?? null);
      expect(p.recordsCompleteAt).toBe(p.events.find((e) => e.status === 'records_complete')?.at ?? null);
      expect(p.scheduledAt).toBe(p.events.find((e) => e.status === 'scheduled')?.at ?? null);
    }
  });

  test('the records checklist agrees with the status: complete exactly when records complete or scheduled, requested only after a request', () => {
    for (const p of plan) {
      if (p.status === 'received') {
        expect(p.records).toBeNull();
        continue;
      }
      const ready = recordsReadiness(p.records!);
      expect(ready.complete).toBe(p.status === 'records_complete' || p.status === 'scheduled');
      if (!ready.complete) expect(p.records!.some((r) => r.status !== 'needed')).toBe(true);
      expect(p.records!.some((r) => r.status === 'requested')).toBe(p.status === 'records_requested');
      for (const r of p.records!) expect(r.at >= p.triagedAt! && r.at <= (p.recordsCompleteAt ?? NOW.toISOString())).toBe(true);
    }
  });

  test('two were just received, one from a family abroad in Spanish and one urgent from the demo referrer, whose triage clock is overdue', () => {
    const [urgent, spanish] = [byStatus('received').find((p) => p.urgency === 'urgent')!, byStatus('received').find((p) => p.preferredLanguage === 'Spanish')!];
    expect(spanish).toMatchObject({ channel: 'family', origin: 'international', referrer: { role: 'parent' } });
    expect(urgent).toMatchObject({ channel: 'physician', sentByReferrerUser: true });
    expect(clocks(urgent).overdue).toBe(true);
    expect(clocks(urgent).clocks.find((c) => c.key === 'triage')).toMatchObject({ stoppedAt: null, overdue: true, targetHours: 24 });
    expect(clocks(spanish).overdue).toBe(false);
  });

  test('apart from that one, no clock has run past its target', () => {
    const late = plan.filter((p) => clocks(p).clocks.some((c) => c.overdue)).map((p) => p.key);
    expect(late).toEqual(['received-referrer-urgent']);
  });

  test('two have a travel plan partly done, with a next task due; the referrer sent two', () => {
    const travel = plan.filter((p) => p.travel);
    expect(travel).toHaveLength(2);
    for (const p of travel) {
      const due = travelNextDue(p.travel!.plan, NOW);
      expect(due.items.some((i) => i.done)).toBe(true);
      expect(due.what).not.toBeNull();
    }
    expect(travel.map((p) => p.origin).sort()).toEqual(['domestic', 'international']);
    expect(plan.filter((p) => p.sentByReferrerUser).map((p) => p.status).sort()).toEqual(['received', 'scheduled']);
  });

  test('patients and referrers are valid as the referral form would take them, and someone needs an interpreter while records are collected', () => {
    for (const p of plan) {
      const { interpreterNeeded: _i, travelNeeded: _t, ...patient } = p.patient;
      expect(referralPatientSchema.safeParse(patient).success).toBe(true);
      expect(referrerSchema.safeParse(p.referrer).success).toBe(true);
    }
    expect(plan.some((p) => ['triaged', 'records_requested'].includes(p.status) && p.patient.interpreterNeeded)).toBe(true);
  });

  test('the same seed and clock give the same referrals, without reading the clock or Math.random', () => {
    vi.spyOn(Math, 'random').mockImplementation(() => { throw new Error('Math.random used'); });
    vi.spyOn(Date, 'now').mockImplementation(() => { throw new Error('Date.now used'); });
    try {
      expect(planDemoReferrals(NOW, 20261127)).toEqual(plan);
      expect(planDemoReferrals(NOW, 7).map((p) => p.patient.familyName)).not.toEqual(plan.map((p) => p.patient.familyName));
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe.each(DIALECTS)('the loaded demo on %s', (dialect) => {
  let t: TestApi;
  beforeAll(async () => { t = await testApi(dialect, { patients: 4, now: () => NOW }); }, 120_000);
  afterAll(async () => { await t?.close(); });

  test('the coordinator’s inbox lists the open referrals, and each one’s timeline matches its status', async () => {
    const open = json(await t.call('coordinator', 'GET', '/referrals?open=true&limit=50'));
    expect(open.total).toBe(8);
    expect(json(await t.call('coordinator', 'GET', '/referrals?overdue=true')).total).toBe(1);
    for (const item of open.items) {
      const d = json(await t.call('coordinator', 'GET', `/referrals/${item.id}`));
      expect(d.timeline.at(-1).status).toBe(d.status);
      expect(d.records === null).toBe(d.status === 'received');
      expect(d.caseId === null).toBe(d.status === 'received');
    }
  });

  test('the travel coordinator’s worklist shows the two families on their way, and the referrer sees their own two', async () => {
    const travel = json(await t.call('travel', 'GET', '/travel/worklist'));
    expect(travel.items).toHaveLength(2);
    expect(travel.items.every((i: { nextDueWhat: string | null }) => i.nextDueWhat)).toBe(true);
    const mine = json(await t.call('referrer', 'GET', '/referrals/mine'));
    expect(mine.items.map((i: { status: string }) => i.status).sort()).toEqual(['received', 'scheduled']);
  });

  test('the scheduled case is on the next conference’s agenda', async () => {
    const scheduled = json(await t.call('coordinator', 'GET', '/referrals?status=scheduled')).items[0];
    const d = json(await t.call('coordinator', 'GET', `/referrals/${scheduled.id}`));
    const rows = await t.services.store.db.selectFrom('agenda_items').innerJoin('conferences', 'conferences.id', 'agenda_items.conference_id')
      .select(['conferences.starts_at']).where('agenda_items.case_id', '=', d.caseId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.starts_at > NOW.toISOString()).toBe(true);
  });
});
