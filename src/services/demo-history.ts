import type { SeriesInput } from '../domain/conference/types.js';
import { occurrencesBetween } from '../domain/conference/schedule.js';
import { addDays } from '../domain/plan/plan.js';
import { NON_TREATMENT_SURGERY } from '../domain/analytics/metrics.js';
import type { Tx } from '../store/db.js';
import { referralSearchText } from '../store/referrals.repo.js';
import { newId, isoNow, type Services } from './context.js';

/**
 * The demo program's past (synthetic, deterministic from the seed and the generated records; no Math.random): the
 * weekly conferences that already took place with the groups that attended, each presented case discussed at one
 * of them with a recommendation, and the referral that brought it in. Without it the analytics dashboard (issue
 * 10) would have nothing to show for conferences, attendance, documentation or turnaround.
 *
 * A case is discussed at the last meeting on or before its "presented" step, moved earlier when needed so the
 * meeting comes at least two days before the first treatment the demo plans recorded (the demo treats after the
 * conference). Only cases that reached "presented" get a referral (status presented: it is closed, so the open
 * referral inbox is unchanged).
 */

/** Share of meetings each group attends (synthetic; radiation oncology a little under the 90% target, to show it). */
const ATTENDANCE = {
  pediatric_oncology: 0.99, pathology: 0.97, radiology: 0.96, radiation_oncology: 0.86, orthopedic_oncology: 0.93,
  pediatric_surgery: 0.8, medical_oncology: 0.72, otolaryngology: 0.55, neurosurgery: 0.5,
} as const;

/** Meetings cancelled (holidays, no cases): a few per year. */
const CANCELLED_SHARE = 0.04;
/** The history goes back at most this many years. */
const MAX_YEARS = 6;

/** A uniform number in [0, 1) from a text key and the seed (FNV-1a): stable across runs and databases. */
function u(key: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return ((h >>> 0) % 1_000_000) / 1_000_000;
}

export async function demoHistory(s: Services, tx: Tx, institutionId: string, seed: number): Promise<{ conferences: number; discussed: number; referrals: number }> {
  const today = isoNow(s).slice(0, 10);
  const series = await tx.selectFrom('conference_series').select(['id', 'settings']).where('institution_id', '=', institutionId).orderBy('created_at').executeTakeFirst();
  if (!series) return { conferences: 0, discussed: 0, referrals: 0 };
  const settings = JSON.parse(series.settings) as SeriesInput;

  const presented = await tx.selectFrom('case_events').innerJoin('cases', 'cases.id', 'case_events.case_id').innerJoin('patients', 'patients.id', 'cases.patient_id')
    .select(['cases.id as case_id', 'cases.created_at', 'cases.urgent', 'case_events.at', 'patients.id as patient_id', 'patients.mrn', 'patients.family_name', 'patients.given_name',
      'patients.birth_date', 'patients.sex', 'patients.home_country', 'patients.preferred_language'])
    .where('cases.institution_id', '=', institutionId).where('case_events.status', '=', 'presented')
    .orderBy('case_events.at').orderBy('patients.mrn').execute();
  if (presented.length === 0) return { conferences: 0, discussed: 0, referrals: 0 };

  const firstTx = new Map((await tx.selectFrom('plan_administrations').innerJoin('plans', 'plans.id', 'plan_administrations.plan_id')
    .select(['plans.case_id', 'plan_administrations.given_on', 'plan_administrations.kind', 'plan_administrations.data'])
    .where('plans.institution_id', '=', institutionId).orderBy('plan_administrations.given_on').execute())
    .filter((a) => a.kind !== 'surgery' || !(NON_TREATMENT_SURGERY as readonly string[]).includes((JSON.parse(a.data) as { surgeryType?: string }).surgeryType ?? ''))
    .reverse().map((a) => [a.case_id, a.given_on]));
  const hasPlan = new Set((await tx.selectFrom('plans').select('case_id').where('institution_id', '=', institutionId).execute()).map((p) => p.case_id));
  const screened = new Map((await tx.selectFrom('trial_screenings').innerJoin('trials', 'trials.id', 'trial_screenings.trial_id')
    .select(['trial_screenings.case_id', 'trials.nct_id']).where('trial_screenings.institution_id', '=', institutionId).execute()).map((x) => [x.case_id, x.nct_id]));

  // When each case is discussed: the last meeting on or before its presented step (and 2 days before treatment).
  const wanted = presented.map((p) => {
    const tx1 = firstTx.get(p.case_id);
    // Treatment recorded before the case was even opened: the demo shows it as presented after treatment (retrospective).
    const by = tx1 && addDays(tx1, -2) < p.at.slice(0, 10) && addDays(tx1, -2) >= p.created_at.slice(0, 10) ? addDays(tx1, -2) : p.at.slice(0, 10);
    return { ...p, by };
  });
  const earliest = wanted.reduce((m, w) => (w.by < m ? w.by : m), today);
  const floor = `${Number(today.slice(0, 4)) - MAX_YEARS}${today.slice(4)}`;
  const from = addDays(earliest > floor ? earliest : floor, -7);
  const meetings = occurrencesBetween({ ...settings, startsOn: from }, from, addDays(today, -1)).filter((o) => o.startsAt < isoNow(s));
  if (meetings.length === 0) return { conferences: 0, discussed: 0, referrals: 0 };

  const users = await tx.selectFrom('users').select(['id', 'username', 'discipline']).where('institution_id', '=', institutionId).execute();
  const byGroup = new Map(users.filter((x) => x.discipline).map((x) => [x.discipline!, x.id]));
  const presenter = users.find((x) => x.username === 'oncologist')?.id ?? null;

  // Assign cases to meetings first, so a meeting with cases is never the cancelled one.
  const slotOf = (by: string) => {
    for (let i = meetings.length - 1; i >= 0; i--) if (meetings[i]!.slotDate <= by) return i;
    return 0;
  };
  const agenda = new Map<number, typeof wanted>();
  for (const w of wanted) {
    const i = slotOf(w.by);
    agenda.set(i, [...(agenda.get(i) ?? []), w]);
  }

  let conferences = 0, discussed = 0, referrals = 0;
  for (const [i, m] of meetings.entries()) {
    const items = agenda.get(i) ?? [];
    const cancelled = items.length === 0 && u(`cancel:${m.slotDate}`, seed) < CANCELLED_SHARE;
    const confId = newId();
    const ins = await tx.insertInto('conferences').values({
      id: confId, series_id: series.id, institution_id: institutionId, slot_date: m.slotDate, starts_at: m.startsAt, ends_at: m.endsAt,
      status: cancelled ? 'cancelled' : 'finished', note: cancelled ? 'Cancelled (holiday).' : null, current_item_id: null,
      minutes_locked_at: cancelled ? null : m.endsAt, version: 1, created_at: addDays(m.slotDate, -14) + 'T12:00:00.000Z', updated_at: m.endsAt,
    }).onConflict((oc) => oc.columns(['series_id', 'slot_date']).doNothing()).executeTakeFirst();
    if (Number(ins.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
    conferences++;
    if (cancelled) continue;
    for (const [g, p] of Object.entries(ATTENDANCE)) {
      const uid = byGroup.get(g);
      if (!uid || u(`att:${m.slotDate}:${g}`, seed) >= p) continue;
      await tx.insertInto('attendance').values({ id: newId(), conference_id: confId, user_id: uid, discipline: g, mode: u(`mode:${m.slotDate}:${g}`, seed) < 0.3 ? 'remote' : 'in_person', checked_in_at: m.startsAt }).execute();
    }
    for (const [pos, w] of items.entries()) {
      const k = `${w.mrn}:${w.created_at}`;
      const nct = screened.get(w.case_id) ?? null;
      const rec = {
        ...(u(`stage:${k}`, seed) < 0.88 ? { stageConfirmed: 'Staging confirmed at conference (see assessment)' } : {}),
        planOfCare: hasPlan.has(w.case_id) ? 'Treat per the protocol template proposed by the rules engine; plan to be signed by the required groups.' : 'Complete work-up, then re-present.',
        ...(nct ? { trialToOffer: nct } : u(`trial:${k}`, seed) < 0.3 ? { trialToOffer: 'No open trial: eligibility reviewed' } : {}),
        dissent: [],
      };
      await tx.insertInto('agenda_items').values({
        id: newId(), conference_id: confId, case_id: w.case_id, kind: w.urgent ? 'urgent' : 'new_diagnosis', position: pos + 1, estimated_minutes: w.urgent ? 15 : 10,
        presenter_id: presenter, proposed: 0, status: 'discussed', started_at: null, ended_at: null, recommendation: JSON.stringify(rec), version: 1,
        created_at: addDays(m.slotDate, -7) + 'T12:00:00.000Z', updated_at: m.endsAt,
      }).execute();
      discussed++;

      // The referral that brought the case in (closed: presented).
      const international = w.home_country !== 'United States';
      const origin = international ? 'international' : u(`origin:${k}`, seed) < 0.45 ? 'internal' : 'domestic';
      const received = `${addDays(w.created_at.slice(0, 10), -Math.floor(u(`recv:${k}`, seed) * 5))}T14:00:00.000Z`;
      const complete = addDays(received.slice(0, 10), 2 + Math.floor(u(`rec:${k}`, seed) * (international ? 30 : 15)));
      const latest = addDays(m.slotDate, -1) > received.slice(0, 10) ? addDays(m.slotDate, -1) : received.slice(0, 10);
      const recordsAt = `${complete < latest ? complete : latest}T16:00:00.000Z`;
      const reference = `REF-${received.slice(0, 4)}-D${String(++referrals).padStart(5, '0')}`;
      const patient = { familyName: w.family_name, givenName: w.given_name, birthDate: w.birth_date, homeCountry: w.home_country, mrn: w.mrn, ...(w.sex === 'male' || w.sex === 'female' ? { sex: w.sex as 'male' | 'female' } : {}) };
      const referrer = origin === 'internal' ? { name: 'Lakeshore General Pediatrics', role: 'physician' as const, organization: "Lakeshore Children's Hospital" } : { name: 'Referring physician (demo)', role: 'physician' as const };
      const refId = newId();
      await tx.insertInto('referrals').values({
        id: refId, institution_id: institutionId, reference, idempotency_key: null, status: 'presented', channel: origin === 'internal' ? 'staff' : 'physician', origin,
        urgency: w.urgent ? 'urgent' : 'routine', patient: JSON.stringify(patient), referrer: JSON.stringify(referrer), referrer_user_id: null, diagnosis_text: null, question: null,
        consent_to_share: 1, preferred_language: w.preferred_language, assigned_to: null, patient_id: w.patient_id, case_id: w.case_id, suspected_family: null, outcome_reason: null,
        search_text: referralSearchText(patient, referrer, reference, null), triaged_at: addDays(received.slice(0, 10), 1) + 'T15:00:00.000Z', records_complete_at: recordsAt,
        scheduled_at: recordsAt, closed_at: m.endsAt, version: 4, created_at: received, updated_at: m.endsAt,
      }).execute();
      for (const [status, at] of [['received', received], ['records_complete', recordsAt], ['presented', m.endsAt]] as const) {
        await tx.insertInto('referral_events').values({ id: newId(), referral_id: refId, status, at, by_user_id: null, note: null }).execute();
      }
    }
  }
  return { conferences, discussed, referrals };
}
