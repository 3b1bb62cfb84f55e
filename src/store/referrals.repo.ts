import { sql } from 'kysely';
import type { RecordStatus, ReferralPatient, ReferralStatus, Referrer, TravelPlan } from '../domain/referrals/types.js';
import { escapeLike, foldForSearch } from '../domain/text.js';
import type { Executor } from './db.js';
import type { AttachmentTable, ReferralTable } from './schema.js';

export interface ReferralRow {
  id: string;
  institutionId: string;
  reference: string;
  status: ReferralStatus;
  channel: string;
  origin: string;
  urgency: 'routine' | 'urgent';
  patient: ReferralPatient & { interpreterNeeded?: boolean; travelNeeded?: boolean };
  referrer: Referrer;
  referrerUserId: string | null;
  diagnosisText: string | null;
  question: string | null;
  consentToShare: boolean;
  preferredLanguage: string;
  assignedTo: string | null;
  assignedToName: string | null;
  patientId: string | null;
  caseId: string | null;
  suspectedFamily: string | null;
  outcomeReason: string | null;
  triagedAt: string | null;
  recordsCompleteAt: string | null;
  scheduledAt: string | null;
  closedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

type Joined = ReferralTable & { assigned_name: string | null };

function toRow(r: Joined): ReferralRow {
  return {
    id: r.id, institutionId: r.institution_id, reference: r.reference, status: r.status as ReferralStatus,
    channel: r.channel, origin: r.origin, urgency: r.urgency as ReferralRow['urgency'],
    patient: JSON.parse(r.patient) as ReferralRow['patient'], referrer: JSON.parse(r.referrer) as Referrer,
    referrerUserId: r.referrer_user_id, diagnosisText: r.diagnosis_text, question: r.question,
    consentToShare: r.consent_to_share === 1, preferredLanguage: r.preferred_language, assignedTo: r.assigned_to,
    assignedToName: r.assigned_name, patientId: r.patient_id, caseId: r.case_id, suspectedFamily: r.suspected_family,
    outcomeReason: r.outcome_reason, triagedAt: r.triaged_at, recordsCompleteAt: r.records_complete_at,
    scheduledAt: r.scheduled_at, closedAt: r.closed_at, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export function referralSearchText(p: ReferralPatient, referrer: Referrer, reference: string, diagnosis: string | null | undefined): string {
  return foldForSearch([p.familyName, p.givenName, p.mrn ?? '', reference, referrer.name, referrer.organization ?? '', diagnosis ?? ''].join(' '));
}

const selectJoined = (db: Executor) => db.selectFrom('referrals').leftJoin('users', 'users.id', 'referrals.assigned_to')
  .selectAll('referrals').select('users.display_name as assigned_name');

export interface ReferralFilter {
  status?: ReferralStatus | undefined;
  open?: boolean | undefined;
  urgency?: 'routine' | 'urgent' | undefined;
  assignedTo?: string | undefined;
  q?: string | undefined;
  referrerUserId?: string | undefined;
  limit: number;
  offset: number;
}

/** Fields a status change or triage may set besides the status itself. */
export type ReferralPatch = Partial<Pick<ReferralTable,
  'urgency' | 'assigned_to' | 'patient_id' | 'case_id' | 'suspected_family' | 'outcome_reason' | 'triaged_at' |
  'records_complete_at' | 'scheduled_at' | 'closed_at' | 'status'>>;

export const referralsRepo = {
  /** Inserts; a second insert with the same idempotency key violates the unique constraint (the caller replays). */
  async insert(db: Executor, row: Omit<ReferralTable, 'version' | 'updated_at'>): Promise<void> {
    await db.insertInto('referrals').values({ ...row, version: 1, updated_at: row.created_at }).execute();
  },

  async findByIdempotencyKey(db: Executor, key: string): Promise<ReferralRow | undefined> {
    const r = await selectJoined(db).where('referrals.idempotency_key', '=', key).executeTakeFirst();
    return r ? toRow(r) : undefined;
  },

  async get(db: Executor, institutionId: string, id: string): Promise<ReferralRow | undefined> {
    const r = await selectJoined(db).where('referrals.id', '=', id).where('referrals.institution_id', '=', institutionId).executeTakeFirst();
    return r ? toRow(r) : undefined;
  },

  /** Compare-and-set update of status and triage fields; false when the version moved on. */
  async update(db: Executor, institutionId: string, id: string, expectedVersion: number, patch: ReferralPatch, now: string): Promise<boolean> {
    const res = await db.updateTable('referrals').set({ ...patch, version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id).where('institution_id', '=', institutionId).where('version', '=', expectedVersion).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async list(db: Executor, institutionId: string, f: ReferralFilter): Promise<{ items: ReferralRow[]; total: number }> {
    let base = db.selectFrom('referrals').where('referrals.institution_id', '=', institutionId);
    if (f.status) base = base.where('referrals.status', '=', f.status);
    if (f.open) base = base.where('referrals.status', 'not in', ['presented', 'declined', 'redirected']);
    if (f.urgency) base = base.where('referrals.urgency', '=', f.urgency);
    if (f.assignedTo) base = base.where('referrals.assigned_to', '=', f.assignedTo);
    if (f.referrerUserId) base = base.where('referrals.referrer_user_id', '=', f.referrerUserId);
    for (const token of foldForSearch(f.q ?? '').split(' ').filter(Boolean).slice(0, 8)) {
      base = base.where(sql<boolean>`referrals.search_text like ${`%${escapeLike(token)}%`} escape '\\'`);
    }
    const [{ total } = { total: 0 }] = await base.select((eb) => eb.fn.countAll<number>().as('total')).execute();
    const rows = await base.leftJoin('users', 'users.id', 'referrals.assigned_to').selectAll('referrals')
      .select('users.display_name as assigned_name')
      .orderBy(sql`case when referrals.urgency = 'urgent' then 0 else 1 end`).orderBy('referrals.created_at', 'desc').orderBy('referrals.id')
      .limit(f.limit).offset(f.offset).execute();
    return { items: rows.map(toRow), total: Number(total) };
  },

  async addEvent(db: Executor, e: { id: string; referralId: string; status: string; at: string; byUserId: string | null; note: string | null }): Promise<void> {
    await db.insertInto('referral_events').values({ id: e.id, referral_id: e.referralId, status: e.status, at: e.at, by_user_id: e.byUserId, note: e.note }).execute();
  },

  async timeline(db: Executor, referralId: string) {
    const rows = await db.selectFrom('referral_events').leftJoin('users', 'users.id', 'referral_events.by_user_id')
      .select(['referral_events.status', 'referral_events.at', 'referral_events.note', 'users.display_name'])
      .where('referral_events.referral_id', '=', referralId).orderBy('referral_events.at').orderBy('referral_events.id').execute();
    return rows.map((r) => ({ status: r.status, at: r.at, note: r.note, byDisplayName: r.display_name }));
  },

  async addAttachment(db: Executor, a: AttachmentTable): Promise<void> {
    await db.insertInto('attachments').values(a).execute();
  },

  async attachments(db: Executor, referralId: string) {
    const rows = await db.selectFrom('attachments').selectAll().where('referral_id', '=', referralId).orderBy('created_at').orderBy('id').execute();
    return rows.map((a) => ({ id: a.id, filename: a.filename, contentType: a.content_type, sizeBytes: Number(a.size_bytes), sha256: a.sha256, kind: a.kind, createdAt: a.created_at }));
  },

  async attachment(db: Executor, institutionId: string, id: string) {
    return db.selectFrom('attachments').innerJoin('referrals', 'referrals.id', 'attachments.referral_id')
      .select(['attachments.id', 'attachments.referral_id', 'attachments.filename', 'attachments.content_type', 'attachments.sha256', 'attachments.size_bytes', 'referrals.patient_id', 'referrals.referrer_user_id'])
      .where('attachments.id', '=', id).where('referrals.institution_id', '=', institutionId).executeTakeFirst();
  },

  async getTravel(db: Executor, referralId: string): Promise<{ plan: TravelPlan; version: number; nextDue: string | null } | undefined> {
    const r = await db.selectFrom('travel_plans').selectAll().where('referral_id', '=', referralId).executeTakeFirst();
    return r ? { plan: JSON.parse(r.plan) as TravelPlan, version: r.version, nextDue: r.next_due } : undefined;
  },

  async insertTravel(db: Executor, referralId: string, plan: TravelPlan, nextDue: string | null, now: string, by: string): Promise<void> {
    await db.insertInto('travel_plans').values({ referral_id: referralId, plan: JSON.stringify(plan), next_due: nextDue, version: 1, updated_at: now, updated_by: by }).execute();
  },

  async updateTravel(db: Executor, referralId: string, expectedVersion: number, plan: TravelPlan, nextDue: string | null, now: string, by: string): Promise<boolean> {
    const res = await db.updateTable('travel_plans').set({ plan: JSON.stringify(plan), next_due: nextDue, version: expectedVersion + 1, updated_at: now, updated_by: by })
      .where('referral_id', '=', referralId).where('version', '=', expectedVersion).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async travelWorklist(db: Executor, institutionId: string) {
    return db.selectFrom('travel_plans').innerJoin('referrals', 'referrals.id', 'travel_plans.referral_id')
      .select(['referrals.id', 'referrals.reference', 'referrals.patient', 'referrals.status', 'travel_plans.plan', 'travel_plans.next_due'])
      .where('referrals.institution_id', '=', institutionId)
      .where('referrals.status', 'not in', ['presented', 'declined', 'redirected'])
      .orderBy(sql`case when travel_plans.next_due is null then 1 else 0 end`).orderBy('travel_plans.next_due').limit(500).execute();
  },
};

export const caseRecordsRepo = {
  async insertMany(db: Executor, caseId: string, items: Array<{ id: string; item: string; required: boolean }>, now: string, by: string | null): Promise<void> {
    if (items.length === 0) return;
    await db.insertInto('case_records').values(items.map((i) => ({
      id: i.id, case_id: caseId, item: i.item, required: i.required ? 1 : 0, status: 'needed', note: null, updated_by: by, version: 1, updated_at: now,
    }))).execute();
  },
  async list(db: Executor, caseId: string) {
    const rows = await db.selectFrom('case_records').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
    return rows.map((r) => ({ item: r.item, required: r.required === 1, status: r.status as RecordStatus, note: r.note, updatedAt: r.updated_at, updatedBy: r.updated_by, version: r.version }));
  },
  async update(db: Executor, caseId: string, item: string, expectedVersion: number, status: string, note: string | null, now: string, by: string): Promise<boolean> {
    const res = await db.updateTable('case_records').set({ status, note, version: expectedVersion + 1, updated_at: now, updated_by: by })
      .where('case_id', '=', caseId).where('item', '=', item).where('version', '=', expectedVersion).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },
};
