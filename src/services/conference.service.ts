import { createHash, randomBytes } from 'node:crypto';
import { assess } from '../domain/assess.js';
import { lookupMorphology } from '../domain/coding/morphology.js';
import { agendaTiming, orderAgenda } from '../domain/conference/agenda.js';
import { caseReadiness } from '../domain/conference/readiness.js';
import { addCaseAllowed, generateAhead, moveOccurrence } from '../domain/conference/schedule.js';
import type { AgendaItemInput, DisciplineInput, Recommendation, SeriesInput } from '../domain/conference/types.js';
import { agendaDocument, conferencePdfFileName, minutesDocument, type ConferenceDocKind } from '../domain/documents/conference-pdf.js';
import { AppError } from '../domain/errors.js';
import { caseFactsOfRow, type CaseFactsRow } from '../store/tumors.repo.js';
import { recordsReadiness } from '../domain/referrals/records.js';
import { isUniqueViolation, type Tx } from '../store/db.js';
import { agendaRepo, conferencesRepo, seriesRepo, type SeriesRow } from '../store/conference.repo.js';
import { caseRecordsRepo } from '../store/referrals.repo.js';
import type { ConferenceTable } from '../store/schema.js';
import type { IdempotencyContext } from './idempotency.js';
import { audited } from './audit.js';
import { trials } from './trials.service.js';
import { notifyReferral } from './referral-notices.js';
import { isoNow, newId, type Actor, type Services } from './context.js';
import { renderPdf } from './documents.js';

const WEEKS_AHEAD = 12;

async function requireConference(tx: Tx, actor: Actor, id: string): Promise<ConferenceTable> {
  const c = await conferencesRepo.get(tx, actor.institutionId, id);
  if (!c) throw new AppError('not_found', 'conference not found', { field: 'id' });
  return c;
}

function stale(what: string): AppError {
  return new AppError('stale', `${what} was changed by someone else: reload to see the changes`, { field: 'If-Match' });
}

/** Publishes a live event once the change has committed (followers refetch; events carry no patient data). */
async function announce(s: Services, type: string, c: { id: string; version: number }): Promise<void> {
  if (!s.bus) return;
  await s.bus.publish(`conference:${c.id}`, { type, conferenceId: c.id, version: c.version, at: isoNow(s) }).catch(() => {});
}

/** Generates the next weeks of a series' occurrences (idempotent on series + slot). */
export async function ensureOccurrences(s: Services, tx: Tx, series: SeriesRow): Promise<void> {
  const now = isoNow(s);
  const ahead = generateAhead(series, now.slice(0, 10), WEEKS_AHEAD);
  const last = ahead[ahead.length - 1];
  // Listing meetings calls this: when the horizon is already there, it costs one read, not a dozen writes.
  if (!last || await tx.selectFrom('conferences').select('id').where('series_id', '=', series.id).where('slot_date', '=', last.slotDate).executeTakeFirst()) return;
  for (const o of ahead) {
    await conferencesRepo.insertIfAbsent(tx, { id: newId(), series_id: series.id, institution_id: series.institutionId, slot_date: o.slotDate, starts_at: o.startsAt, ends_at: o.endsAt, status: 'scheduled', created_at: now });
  }
}

async function view(s: Services, tx: Tx, actor: Actor, c: ConferenceTable) {
  const series = (await seriesRepo.get(tx, actor.institutionId, c.series_id))!;
  const items = await agendaRepo.list(tx, c.id);
  const caseIds = items.map((i) => i.case_id);
  const cases = caseIds.length ? await tx.selectFrom('cases').innerJoin('patients', 'patients.id', 'cases.patient_id')
    .leftJoin('tumors', 'tumors.id', 'cases.tumor_id')
    .select(['cases.id', 'cases.patient_id', 'cases.question', 'cases.urgent', 'cases.status', 'patients.family_name', 'patients.given_name', 'patients.mrn', 'patients.birth_date', 'patients.sex',
      'tumors.id as tumor_id', 'tumors.diagnosis_date', 'tumors.morphology', 'tumors.topography', 'tumors.site_category', 'tumors.primary_site', 'tumors.laterality', 'tumors.size_cm', 'tumors.details'])
    .where('cases.id', 'in', caseIds).execute() : [];
  const byCase = new Map(cases.map((r) => [r.id, r]));
  const inputs = caseIds.length ? await tx.selectFrom('discipline_inputs').leftJoin('users', 'users.id', 'discipline_inputs.author_id')
    .select(['discipline_inputs.case_id', 'discipline_inputs.discipline', 'discipline_inputs.stance', 'discipline_inputs.findings', 'discipline_inputs.recommendation', 'discipline_inputs.updated_at', 'users.display_name'])
    .where('discipline_inputs.conference_id', '=', c.id).execute() : [];
  const attendance = await tx.selectFrom('attendance').leftJoin('users', 'users.id', 'attendance.user_id')
    .select(['attendance.user_id', 'attendance.discipline', 'attendance.mode', 'attendance.checked_in_at', 'users.display_name'])
    .where('attendance.conference_id', '=', c.id).orderBy('attendance.checked_in_at').execute();
  const presenters = new Map((await tx.selectFrom('users').select(['id', 'display_name']).where('institution_id', '=', actor.institutionId).execute()).map((u) => [u.id, u.display_name]));
  const ordered = orderAgenda(items.map((i) => ({ ...i, kind: i.kind as AgendaItemInput['kind'], urgent: byCase.get(i.case_id)?.urgent === 1, position: i.position, addedAt: i.created_at })));
  const timing = agendaTiming(ordered.map((i) => ({ estimatedMinutes: i.estimated_minutes })), c.starts_at, series.durationMinutes);
  const out = [];
  for (const [n, i] of ordered.entries()) {
    const k = byCase.get(i.case_id)!;
    let assessment: { missing: Array<{ field: string; needed_for: string }>; conferenceDisciplines: string[] } | null = null;
    const assessmentErrors: string[] = [];
    if (k.tumor_id) {
      // The tumour is joined (left join), so its columns are there whenever tumor_id is.
      const res = assess(caseFactsOfRow(k as CaseFactsRow));
      if (res.ok) assessment = res.assessment;
      else assessmentErrors.push(...res.errors.map((e) => `${e.field}: ${e.message}`));
    } else assessmentErrors.push('no tumour recorded for this case yet');
    const records = await caseRecordsRepo.list(tx, i.case_id);
    const caseInputs = inputs.filter((x) => x.case_id === i.case_id);
    const readiness = caseReadiness({
      requiredGroups: assessment?.conferenceDisciplines ?? ['pediatric_oncology', 'pathology', 'radiology', 'radiation_oncology'],
      inputs: caseInputs, attendance, records: records.length ? recordsReadiness(records) : null,
      assessment, assessmentErrors, question: k.question, trialScreening: await trials.screeningState(tx, i.case_id),
    });
    out.push({
      id: i.id, caseId: i.case_id, patientId: k.patient_id, patientName: `${k.family_name}, ${k.given_name}`, mrn: k.mrn,
      diagnosis: k.morphology ? lookupMorphology(k.morphology)?.term ?? k.morphology : null, question: k.question, kind: i.kind,
      urgent: k.urgent === 1, position: n + 1, estimatedMinutes: i.estimated_minutes, plannedStart: timing.items[n]?.plannedStart ?? null,
      presenterId: i.presenter_id, presenterName: i.presenter_id ? presenters.get(i.presenter_id) ?? null : null, proposed: i.proposed === 1,
      status: i.status, startedAt: i.started_at, endedAt: i.ended_at,
      recommendation: i.recommendation ? JSON.parse(i.recommendation) as Recommendation : null, version: i.version, readiness,
      inputs: caseInputs.map((x) => ({ discipline: x.discipline, stance: x.stance, findings: x.findings, recommendation: x.recommendation, authorName: x.display_name, updatedAt: x.updated_at })),
    });
  }
  const allowed = addCaseAllowed({ startsAt: c.starts_at, status: c.status }, series.cutoffHours, s.now());
  return {
    id: c.id, seriesId: c.series_id, seriesName: series.name, startsAt: c.starts_at, endsAt: c.ends_at, timeZone: series.timeZone,
    room: series.room ?? null, videoLink: series.videoLink ?? null, status: c.status, note: c.note, caseCount: out.length,
    readyCount: out.filter((i) => i.readiness.ready).length, version: c.version, capacity: series.capacity, cutoffHours: series.cutoffHours,
    cutoffAt: new Date(Date.parse(c.starts_at) - series.cutoffHours * 3_600_000).toISOString(), currentItemId: c.current_item_id,
    minutesLockedAt: c.minutes_locked_at, overrun: timing.overruns, items: out,
    attendance: attendance.map((a) => ({ userId: a.user_id, displayName: a.display_name, discipline: a.discipline, mode: a.mode, checkedInAt: a.checked_in_at })),
    canAddCases: allowed.ok, addCasesReason: allowed.ok ? null : allowed.reason,
  };
}

export type ConferenceView = Awaited<ReturnType<typeof view>>;

/** Runs a conference change (audited, one transaction) and tells live followers after it commits. */
async function change(s: Services, actor: Actor, id: string, event: string, fn: (tx: Tx, c: ConferenceTable) => Promise<string | void>): Promise<ConferenceView> {
  const result = await audited(s, actor, { action: 'update', recordType: 'conference', recordId: id }, async (tx, note) => {
    const c = await requireConference(tx, actor, id);
    const detail = await fn(tx, c);
    if (detail) note.detail = detail;
    return view(s, tx, actor, (await conferencesRepo.get(tx, actor.institutionId, id))!);
  });
  await announce(s, event, result);
  return result;
}

function requireOpen(c: ConferenceTable, what: string): void {
  if (c.status === 'finished' || c.minutes_locked_at) throw new AppError('conflict', `status: the meeting is finished and its minutes are locked; cannot ${what}`, { field: 'status' });
  if (c.status === 'cancelled') throw new AppError('conflict', `status: the meeting is cancelled; cannot ${what}`, { field: 'status' });
}

export const conferences = {
  async createSeries(s: Services, actor: Actor, input: SeriesInput, idem?: IdempotencyContext) {
    return audited(s, actor, { action: 'create', recordType: 'conference_series' }, async (tx, note) => {
      const id = newId();
      note.recordId = id;
      await seriesRepo.insert(tx, { id, institutionId: actor.institutionId, settings: input, now: isoNow(s) });
      const series = (await seriesRepo.get(tx, actor.institutionId, id))!;
      await ensureOccurrences(s, tx, series);
      return series;
    }, idem);
  },

  async listSeries(s: Services, actor: Actor) {
    return { items: await seriesRepo.list(s.store.db, actor.institutionId) };
  },

  async list(s: Services, actor: Actor, when: 'upcoming' | 'past', page: { limit: number; offset: number }) {
    return audited(s, actor, { action: 'search', recordType: 'conference' }, async (tx, note) => {
      for (const series of await seriesRepo.list(tx, actor.institutionId)) await ensureOccurrences(s, tx, series);
      const { rows, total } = await conferencesRepo.list(tx, actor.institutionId, when, isoNow(s), page);
      const items = [];
      for (const c of rows) {
        const v = await view(s, tx, actor, c);
        const { items: _agenda, attendance: _att, ...summary } = v;
        items.push(summary);
      }
      note.detail = `when=${when} results=${total}`;
      return { items, total };
    });
  },

  async get(s: Services, actor: Actor, id: string) {
    return audited(s, actor, { action: 'read', recordType: 'conference', recordId: id }, async (tx) => view(s, tx, actor, await requireConference(tx, actor, id)));
  },

  /**
   * The agenda or the minutes as a PDF: the read is audited as an `export` (recordType `conference_agenda` or
   * `conference_minutes`); another institution's meeting is not found. Rendered after the transaction commits.
   */
  async exportPdf(s: Services, actor: Actor, id: string, kind: ConferenceDocKind): Promise<{ filename: string; bytes: Buffer }> {
    const v = await audited(s, actor, { action: 'export', recordType: `conference_${kind}`, recordId: id }, async (tx, note) => {
      const v = await view(s, tx, actor, await requireConference(tx, actor, id));
      note.detail = `pdf cases=${v.items.length}${kind === 'minutes' && !v.minutesLockedAt ? ' draft' : ''}`;
      return v;
    });
    const opts = { institutionName: actor.institutionName, generatedAt: s.now() };
    const doc = kind === 'agenda' ? agendaDocument(v, opts) : minutesDocument(v, opts);
    return { filename: conferencePdfFileName(v, kind), bytes: await renderPdf(doc) };
  },

  /** Clinicians and coordinators of the actor's institution who can present a case (no patient data). */
  async staff(s: Services, actor: Actor) {
    const rows = await s.store.db.selectFrom('users').select(['id', 'display_name', 'role', 'discipline'])
      .where('institution_id', '=', actor.institutionId).where('active', '=', 1).where('role', 'in', ['clinician', 'coordinator', 'trials'])
      .orderBy('display_name').execute();
    return { items: rows.map((u) => ({ id: u.id, displayName: u.display_name, role: u.role, discipline: u.discipline })) };
  },

  async calendar(s: Services, actor: Actor, seriesId: string) {
    return seriesIcs(s, actor.institutionId, actor.institutionName, seriesId);
  },

  /**
   * A secret subscription URL for calendar apps (they cannot sign in). Issuing one revokes the user's previous
   * link for this series; only the token's hash is stored. The feed holds meeting times and rooms, no patient data.
   */
  async feedToken(s: Services, actor: Actor, seriesId: string): Promise<{ token: string }> {
    const series = await seriesRepo.get(s.store.db, actor.institutionId, seriesId);
    if (!series) throw new AppError('not_found', 'series not found', { field: 'id' });
    const token = randomBytes(32).toString('base64url');
    const now = isoNow(s);
    await s.store.db.transaction().execute(async (tx) => {
      await tx.updateTable('calendar_feeds').set({ revoked_at: now }).where('user_id', '=', actor.userId).where('series_id', '=', seriesId).where('revoked_at', 'is', null).execute();
      await tx.insertInto('calendar_feeds').values({ token_hash: sha256(token), series_id: seriesId, user_id: actor.userId, created_at: now, revoked_at: null }).execute();
    });
    return { token };
  },

  /** The feed for a subscription token: valid while not revoked and its user's account is active. */
  async calendarByToken(s: Services, seriesId: string, token: string) {
    const row = await s.store.db.selectFrom('calendar_feeds')
      .innerJoin('users', 'users.id', 'calendar_feeds.user_id')
      .innerJoin('institutions', 'institutions.id', 'users.institution_id')
      .select(['users.institution_id', 'institutions.name as institution_name'])
      .where('calendar_feeds.token_hash', '=', sha256(token)).where('calendar_feeds.series_id', '=', seriesId)
      .where('calendar_feeds.revoked_at', 'is', null).where('users.active', '=', 1)
      .executeTakeFirst();
    if (!row) throw new AppError('unauthenticated', 'token: this calendar link is not valid (it may have been replaced); copy a new one from TumorBoard', { field: 'token' });
    return seriesIcs(s, row.institution_id, row.institution_name, seriesId);
  },

  move(s: Services, actor: Actor, id: string, version: number, to: { date: string; time: string }) {
    return change(s, actor, id, 'moved', async (tx, c) => {
      requireOpen(c, 'move it');
      const series = (await seriesRepo.get(tx, actor.institutionId, c.series_id))!;
      const moved = moveOccurrence({ startsAt: c.starts_at, endsAt: c.ends_at }, to, series.timeZone, s.now());
      if ('error' in moved) throw new AppError('validation', `${moved.error.field}: ${moved.error.message}`, { field: moved.error.field });
      if (!await conferencesRepo.update(tx, id, version, { starts_at: moved.startsAt, ends_at: moved.endsAt }, isoNow(s))) throw stale('the conference');
      return `moved to ${moved.startsAt}`;
    });
  },

  cancel(s: Services, actor: Actor, id: string, version: number, note: string) {
    return change(s, actor, id, 'cancelled', async (tx, c) => {
      requireOpen(c, 'cancel it');
      if (c.status === 'live') throw new AppError('conflict', 'status: the meeting is in progress', { field: 'status' });
      const now = isoNow(s);
      if (!await conferencesRepo.update(tx, id, version, { status: 'cancelled', note }, now)) throw stale('the conference');
      // Its cases are not dropped: they move to the series' next meeting.
      const next = await conferencesRepo.nextAfter(tx, c.series_id, c.starts_at);
      let moved = 0;
      if (next) {
        for (const i of await agendaRepo.list(tx, id)) {
          if (i.status !== 'pending') continue;
          await agendaRepo.mark(tx, i.id, { status: 'rolled_over' }, now);
          await tx.insertInto('agenda_items').values({ id: newId(), conference_id: next.id, case_id: i.case_id, kind: i.kind, position: 1000 + moved, estimated_minutes: i.estimated_minutes, presenter_id: i.presenter_id, proposed: i.proposed, status: 'pending', started_at: null, ended_at: null, recommendation: null, version: 1, created_at: now, updated_at: now })
            .onConflict((oc) => oc.columns(['conference_id', 'case_id']).doNothing()).execute();
          moved++;
        }
        if (moved) await conferencesRepo.touch(tx, next.id, now);
      }
      return `cancelled, ${moved} cases moved to the next meeting`;
    });
  },

  addCase(s: Services, actor: Actor, id: string, input: AgendaItemInput) {
    return change(s, actor, id, 'agenda', async (tx, c) => {
      const series = (await seriesRepo.get(tx, actor.institutionId, c.series_id))!;
      const allowed = addCaseAllowed({ startsAt: c.starts_at, status: c.status }, series.cutoffHours, s.now());
      if (!allowed.ok) throw new AppError('conflict', `status: ${allowed.reason}`, { field: 'status' });
      const k = await tx.selectFrom('cases').select(['id', 'patient_id']).where('id', '=', input.caseId).where('institution_id', '=', actor.institutionId).executeTakeFirst();
      if (!k) throw new AppError('validation', 'caseId: no such case', { field: 'caseId' });
      const count = (await agendaRepo.list(tx, id)).length;
      if (count >= series.capacity) throw new AppError('conflict', `caseId: the agenda is full (capacity ${series.capacity})`, { field: 'caseId' });
      if (input.presenterId && !await tx.selectFrom('users').select('id').where('id', '=', input.presenterId).where('institution_id', '=', actor.institutionId).executeTakeFirst()) {
        throw new AppError('validation', 'presenterId: no such user', { field: 'presenterId' });
      }
      try {
        await agendaRepo.insert(tx, {
          id: newId(), conference_id: id, case_id: input.caseId, kind: input.kind, position: count + 1, estimated_minutes: input.estimatedMinutes,
          presenter_id: input.presenterId ?? null, proposed: input.proposed || actor.role === 'clinician' ? 1 : 0, status: 'pending', created_at: isoNow(s),
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'caseId: this case is already on the agenda', { field: 'caseId' });
        throw err;
      }
      await conferencesRepo.touch(tx, id, isoNow(s));
      return `case added kind=${input.kind}`;
    });
  },

  removeCase(s: Services, actor: Actor, id: string, version: number, itemId: string) {
    return change(s, actor, id, 'agenda', async (tx, c) => {
      requireOpen(c, 'change the agenda');
      if (c.version !== version) throw stale('the agenda');
      if (!await agendaRepo.delete(tx, id, itemId)) throw new AppError('not_found', 'itemId: no such pending case on this agenda', { field: 'itemId' });
      await conferencesRepo.touch(tx, id, isoNow(s));
      return 'case removed';
    });
  },

  reorder(s: Services, actor: Actor, id: string, version: number, itemIds: string[]) {
    return change(s, actor, id, 'agenda', async (tx, c) => {
      requireOpen(c, 'change the agenda');
      const items = await agendaRepo.list(tx, id);
      const known = new Set(items.map((i) => i.id));
      if (itemIds.length !== items.length || new Set(itemIds).size !== itemIds.length || itemIds.some((x) => !known.has(x))) {
        throw new AppError('validation', 'itemIds: must list every agenda item exactly once', { field: 'itemIds' });
      }
      if (!await conferencesRepo.update(tx, id, version, {}, isoNow(s))) throw stale('the agenda');
      for (const [n, itemId] of itemIds.entries()) await agendaRepo.setPosition(tx, itemId, n + 1, isoNow(s));
      return 'reordered';
    });
  },

  saveInput(s: Services, actor: Actor, id: string, caseId: string, input: DisciplineInput) {
    return change(s, actor, id, 'input', async (tx, c) => {
      requireOpen(c, 'record input');
      if (actor.role === 'clinician' && actor.discipline !== input.discipline) {
        throw new AppError('forbidden', `discipline: you record input for ${actor.discipline ?? 'your own group'} only`, { field: 'discipline' });
      }
      const onAgenda = (await agendaRepo.list(tx, id)).some((i) => i.case_id === caseId);
      if (!onAgenda) throw new AppError('not_found', 'caseId: this case is not on the agenda', { field: 'caseId' });
      const now = isoNow(s);
      const existing = await tx.selectFrom('discipline_inputs').select(['id', 'version']).where('conference_id', '=', id).where('case_id', '=', caseId).where('discipline', '=', input.discipline).executeTakeFirst();
      if (existing) {
        await tx.updateTable('discipline_inputs').set({ author_id: actor.userId, stance: input.stance, findings: input.findings ?? null, recommendation: input.recommendation ?? null, version: existing.version + 1, updated_at: now })
          .where('id', '=', existing.id).where('version', '=', existing.version).execute();
      } else {
        await tx.insertInto('discipline_inputs').values({ id: newId(), case_id: caseId, conference_id: id, discipline: input.discipline, author_id: actor.userId, stance: input.stance, findings: input.findings ?? null, recommendation: input.recommendation ?? null, version: 1, created_at: now, updated_at: now }).execute();
      }
      await conferencesRepo.touch(tx, id, now);
      return `input discipline=${input.discipline} stance=${input.stance}`;
    });
  },

  checkIn(s: Services, actor: Actor, id: string, discipline: string, mode: string) {
    return change(s, actor, id, 'attendance', async (tx, c) => {
      requireOpen(c, 'check in');
      if (actor.role === 'clinician' && actor.discipline !== discipline) throw new AppError('validation', `discipline: you check in for ${actor.discipline ?? 'your own group'}`, { field: 'discipline' });
      try {
        await tx.insertInto('attendance').values({ id: newId(), conference_id: id, user_id: actor.userId, discipline, mode, checked_in_at: isoNow(s) }).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'you are already checked in to this meeting', { field: 'discipline' });
        throw err;
      }
      await conferencesRepo.touch(tx, id, isoNow(s));
      return `check-in ${discipline} ${mode}`;
    });
  },

  start(s: Services, actor: Actor, id: string, version: number) {
    return change(s, actor, id, 'started', async (tx, c) => {
      if (c.status !== 'scheduled') throw new AppError('conflict', `status: only a scheduled meeting can start (this one is ${c.status})`, { field: 'status' });
      const first = orderAgenda((await agendaRepo.list(tx, id)).map((i) => ({ ...i, kind: i.kind as AgendaItemInput['kind'], urgent: false, addedAt: i.created_at })))[0];
      const now = isoNow(s);
      if (!await conferencesRepo.update(tx, id, version, { status: 'live', current_item_id: first?.id ?? null }, now)) throw stale('the conference');
      if (first) await agendaRepo.mark(tx, first.id, { started_at: now }, now);
      return 'started';
    });
  },

  setCurrent(s: Services, actor: Actor, id: string, version: number, itemId: string) {
    return change(s, actor, id, 'current', async (tx, c) => {
      if (c.status !== 'live') throw new AppError('conflict', 'status: start the meeting first', { field: 'status' });
      const items = await agendaRepo.list(tx, id);
      const next = items.find((i) => i.id === itemId);
      if (!next) throw new AppError('validation', 'itemId: not on this agenda', { field: 'itemId' });
      const now = isoNow(s);
      if (!await conferencesRepo.update(tx, id, version, { current_item_id: itemId }, now)) throw stale('the meeting');
      const prev = items.find((i) => i.id === c.current_item_id);
      if (prev && prev.id !== itemId) await agendaRepo.mark(tx, prev.id, { status: 'discussed', ended_at: now }, now);
      if (!next.started_at) await agendaRepo.mark(tx, next.id, { started_at: now }, now);
      return 'current case changed';
    });
  },

  saveRecommendation(s: Services, actor: Actor, id: string, itemId: string, itemVersion: number, rec: Recommendation) {
    return change(s, actor, id, 'recommendation', async (tx, c) => {
      requireOpen(c, 'edit the recommendation');
      const item = (await agendaRepo.list(tx, id)).find((i) => i.id === itemId);
      if (!item) throw new AppError('not_found', 'itemId: not on this agenda', { field: 'itemId' });
      if (!await agendaRepo.setRecommendation(tx, itemId, itemVersion, rec, isoNow(s))) throw stale('the recommendation');
      await conferencesRepo.touch(tx, id, isoNow(s));
      return 'recommendation saved';
    });
  },

  /**
   * Finish: locks the minutes, marks discussed cases presented, rolls undiscussed ones to the next occurrence of
   * the series. Attendance is already recorded by check-in. All in one transaction.
   */
  finish(s: Services, actor: Actor, id: string, version: number) {
    return change(s, actor, id, 'finished', async (tx, c) => {
      if (c.status !== 'live') throw new AppError('conflict', `status: only a meeting in progress can be finished (this one is ${c.status})`, { field: 'status' });
      const now = isoNow(s);
      const items = await agendaRepo.list(tx, id);
      const current = items.find((i) => i.id === c.current_item_id);
      if (current && current.status === 'pending') current.status = 'discussed';
      if (current) await agendaRepo.mark(tx, current.id, { status: 'discussed', ended_at: now }, now);
      const next = await conferencesRepo.nextAfter(tx, c.series_id, c.starts_at);
      let rolled = 0;
      let lettersQueued = 0;
      for (const i of items) {
        if (i.status === 'discussed' || i.id === current?.id) {
          const k = await tx.selectFrom('cases').select(['id', 'status', 'version', 'patient_id']).where('id', '=', i.case_id).executeTakeFirstOrThrow();
          // A case not yet presented becomes presented; one already past that (a post-treatment review) keeps its status.
          if (k.status === 'referred' || k.status === 'under_review') {
            await tx.updateTable('cases').set({ status: 'presented', version: k.version + 1, updated_at: now }).where('id', '=', k.id).execute();
            await tx.insertInto('case_events').values({ id: newId(), case_id: k.id, status: 'presented', at: now, by_user_id: actor.userId, note: 'presented at conference' }).execute();
            await tx.updateTable('patients').set({ case_status: 'presented' }).where('id', '=', k.patient_id).execute();
          }
          // The referral is closed as presented and its referrer told (outbox, in this transaction); the consensus
          // letter is then available to them from "My referrals".
          const scheduled = await tx.selectFrom('referrals').select(['id', 'institution_id', 'reference', 'preferred_language', 'referrer', 'patient', 'assigned_to'])
            .where('case_id', '=', k.id).where('status', '=', 'scheduled').execute();
          await tx.updateTable('referrals').set({ status: 'presented', closed_at: now, updated_at: now }).where('case_id', '=', k.id).where('status', '=', 'scheduled').execute();
          for (const r of scheduled) {
            const referrer = JSON.parse(r.referrer) as { email?: string };
            const patient = JSON.parse(r.patient) as { familyName: string; givenName: string };
            await notifyReferral(s, tx, { id: r.id, institutionId: r.institution_id, reference: r.reference, language: r.preferred_language, referrerEmail: referrer.email ?? null, patient, status: 'presented' }, 'referral_status_changed', r.assigned_to);
            lettersQueued++;
          }
        } else if (next) {
          await agendaRepo.mark(tx, i.id, { status: 'rolled_over' }, now);
          await tx.insertInto('agenda_items').values({ id: newId(), conference_id: next.id, case_id: i.case_id, kind: i.kind, position: 1000 + rolled, estimated_minutes: i.estimated_minutes, presenter_id: i.presenter_id, proposed: i.proposed, status: 'pending', started_at: null, ended_at: null, recommendation: null, version: 1, created_at: now, updated_at: now })
            .onConflict((oc) => oc.columns(['conference_id', 'case_id']).doNothing()).execute();
          rolled++;
        }
      }
      if (!await conferencesRepo.update(tx, id, version, { status: 'finished', minutes_locked_at: now, current_item_id: null }, now)) throw stale('the meeting');
      if (next && rolled) await conferencesRepo.touch(tx, next.id, now);
      return `finished rolled=${rolled} referrers_notified=${lettersQueued}`;
    });
  },
};

/** The series' ICS feed (occurrence times, rooms and links only). */
async function seriesIcs(s: Services, institutionId: string, institutionName: string, seriesId: string): Promise<string> {
  const series = await seriesRepo.get(s.store.db, institutionId, seriesId);
  if (!series) throw new AppError('not_found', 'series not found', { field: 'id' });
  const rows = await s.store.db.selectFrom('conferences').selectAll().where('series_id', '=', seriesId).orderBy('starts_at').execute();
  const { seriesCalendar } = await import('../domain/conference/ics.js');
  return seriesCalendar({
    seriesId, name: series.name, ...(series.room ? { room: series.room } : {}), ...(series.videoLink ? { videoLink: series.videoLink } : {}),
    institutionName, occurrences: rows.map((r) => ({ id: r.id, startsAt: r.starts_at, endsAt: r.ends_at, status: r.status, note: r.note })), now: s.now(),
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
