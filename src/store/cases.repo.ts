import { sql } from 'kysely';
import type { CaseRecord, CaseStatus, CaseSummary } from '../domain/registry/types.js';
import { escapeLike, foldForSearch } from '../domain/text.js';
import type { Executor } from './db.js';
import type { CaseTable } from './schema.js';

export type { CaseSummary } from '../domain/registry/types.js';

async function withTimeline(db: Executor, rows: CaseTable[]): Promise<CaseRecord[]> {
  if (rows.length === 0) return [];
  const events = await db.selectFrom('case_events').leftJoin('users', 'users.id', 'case_events.by_user_id')
    .select(['case_events.id', 'case_events.case_id', 'case_events.status', 'case_events.at', 'case_events.by_user_id', 'case_events.note', 'users.display_name'])
    .where('case_events.case_id', 'in', rows.map((r) => r.id))
    .orderBy('case_events.at').orderBy('case_events.id').execute();
  return rows.map((r) => ({
    id: r.id, institutionId: r.institution_id, patientId: r.patient_id, tumorId: r.tumor_id,
    status: r.status as CaseStatus, question: r.question, urgent: r.urgent === 1, version: r.version,
    createdAt: r.created_at, updatedAt: r.updated_at,
    timeline: events.filter((e) => e.case_id === r.id)
      .map((e) => ({ status: e.status as CaseStatus, at: e.at, byUserId: e.by_user_id, byDisplayName: e.display_name, note: e.note })),
  }));
}

export const casesRepo = {
  async insert(db: Executor, row: Omit<CaseTable, 'version' | 'updated_at'> & { eventId: string; byUserId: string | null }): Promise<void> {
    const { eventId, byUserId, ...values } = row;
    await db.insertInto('cases').values({ ...values, version: 1, updated_at: values.created_at }).execute();
    await db.insertInto('case_events').values({ id: eventId, case_id: values.id, status: values.status, at: values.created_at, by_user_id: byUserId, note: null }).execute();
  },

  async get(db: Executor, institutionId: string, id: string): Promise<CaseRecord | undefined> {
    const r = await db.selectFrom('cases').selectAll().where('id', '=', id).where('institution_id', '=', institutionId).executeTakeFirst();
    return r ? (await withTimeline(db, [r]))[0] : undefined;
  },

  async listForPatient(db: Executor, patientId: string): Promise<CaseRecord[]> {
    const rows = await db.selectFrom('cases').selectAll().where('patient_id', '=', patientId).orderBy('created_at').orderBy('id').execute();
    return withTimeline(db, rows);
  },

  /** Compare-and-set status change with its timeline event; false when stale. */
  async setStatus(db: Executor, c: { id: string; institutionId: string; expectedVersion: number; status: CaseStatus; now: string; eventId: string; byUserId: string | null; note: string | null }): Promise<boolean> {
    const res = await db.updateTable('cases').set({ status: c.status, version: c.expectedVersion + 1, updated_at: c.now })
      .where('id', '=', c.id).where('institution_id', '=', c.institutionId).where('version', '=', c.expectedVersion).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return false;
    await db.insertInto('case_events').values({ id: c.eventId, case_id: c.id, status: c.status, at: c.now, by_user_id: c.byUserId, note: c.note }).execute();
    return true;
  },

  /** Compare-and-set: the case's tumour (set once the tumour is characterised); false when stale. */
  async setTumor(db: Executor, c: { id: string; institutionId: string; expectedVersion: number; tumorId: string; now: string }): Promise<boolean> {
    const res = await db.updateTable('cases').set({ tumor_id: c.tumorId, version: c.expectedVersion + 1, updated_at: c.now })
      .where('id', '=', c.id).where('institution_id', '=', c.institutionId).where('version', '=', c.expectedVersion).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async list(db: Executor, institutionId: string, q: { status?: CaseStatus | undefined; q?: string | undefined; limit: number; offset: number }): Promise<{ items: CaseSummary[]; total: number }> {
    let base = db.selectFrom('cases').innerJoin('patients', 'patients.id', 'cases.patient_id')
      .where('cases.institution_id', '=', institutionId);
    if (q.status) base = base.where('cases.status', '=', q.status);
    for (const token of foldForSearch(q.q ?? '').split(' ').filter(Boolean).slice(0, 8)) {
      base = base.where(sql<boolean>`patients.search_text like ${`%${escapeLike(token)}%`} escape '\\'`);
    }
    const [{ total } = { total: 0 }] = await base.select((eb) => eb.fn.countAll<number>().as('total')).execute();
    const rows = await base.select([
      'cases.id', 'cases.patient_id', 'cases.status', 'cases.urgent', 'cases.updated_at', 'patients.family_name',
      'patients.given_name', 'patients.mrn', 'patients.diagnosis_summary',
    ]).orderBy('cases.urgent', 'desc').orderBy('cases.updated_at', 'desc').orderBy('cases.id').limit(q.limit).offset(q.offset).execute();
    return {
      total: Number(total),
      items: rows.map((r) => ({
        id: r.id, patientId: r.patient_id, patientName: `${r.family_name}, ${r.given_name}`, mrn: r.mrn,
        diagnosis: r.diagnosis_summary, status: r.status as CaseStatus, urgent: r.urgent === 1, updatedAt: r.updated_at,
      })),
    };
  },
};
