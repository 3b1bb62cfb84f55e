import type { SeriesInput, Recommendation } from '../domain/conference/types.js';
import type { Executor } from './db.js';
import type { AgendaItemTable, ConferenceTable } from './schema.js';

export interface SeriesRow extends SeriesInput { id: string; institutionId: string; version: number }

export const seriesRepo = {
  async insert(db: Executor, row: { id: string; institutionId: string; settings: SeriesInput; now: string }): Promise<void> {
    await db.insertInto('conference_series').values({ id: row.id, institution_id: row.institutionId, settings: JSON.stringify(row.settings), version: 1, created_at: row.now, updated_at: row.now }).execute();
  },
  async get(db: Executor, institutionId: string, id: string): Promise<SeriesRow | undefined> {
    const r = await db.selectFrom('conference_series').selectAll().where('id', '=', id).where('institution_id', '=', institutionId).executeTakeFirst();
    return r ? { ...(JSON.parse(r.settings) as SeriesInput), id: r.id, institutionId: r.institution_id, version: r.version } : undefined;
  },
  async list(db: Executor, institutionId: string): Promise<SeriesRow[]> {
    const rows = await db.selectFrom('conference_series').selectAll().where('institution_id', '=', institutionId).orderBy('created_at').execute();
    return rows.map((r) => ({ ...(JSON.parse(r.settings) as SeriesInput), id: r.id, institutionId: r.institution_id, version: r.version }));
  },
};

export const conferencesRepo = {
  /** Generating ahead is idempotent: an existing (series, slot) occurrence is left as it is (it may have been moved). */
  async insertIfAbsent(db: Executor, row: Omit<ConferenceTable, 'version' | 'updated_at' | 'note' | 'current_item_id' | 'minutes_locked_at'>): Promise<void> {
    await db.insertInto('conferences').values({ ...row, note: null, current_item_id: null, minutes_locked_at: null, version: 1, updated_at: row.created_at })
      .onConflict((oc) => oc.columns(['series_id', 'slot_date']).doNothing()).execute();
  },
  async get(db: Executor, institutionId: string, id: string): Promise<ConferenceTable | undefined> {
    return db.selectFrom('conferences').selectAll().where('id', '=', id).where('institution_id', '=', institutionId).executeTakeFirst();
  },
  async list(db: Executor, institutionId: string, when: 'upcoming' | 'past', now: string, page: { limit: number; offset: number }) {
    let base = db.selectFrom('conferences').where('institution_id', '=', institutionId);
    base = when === 'upcoming' ? base.where('ends_at', '>=', now).where('status', '!=', 'finished') : base.where((eb) => eb.or([eb('ends_at', '<', now), eb('status', '=', 'finished')]));
    const [{ total } = { total: 0 }] = await base.select((eb) => eb.fn.countAll<number>().as('total')).execute();
    const rows = await base.selectAll().orderBy('starts_at', when === 'upcoming' ? 'asc' : 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute();
    return { rows, total: Number(total) };
  },
  async nextAfter(db: Executor, seriesId: string, startsAt: string): Promise<ConferenceTable | undefined> {
    return db.selectFrom('conferences').selectAll().where('series_id', '=', seriesId).where('starts_at', '>', startsAt)
      .where('status', '=', 'scheduled').orderBy('starts_at').limit(1).executeTakeFirst();
  },
  /** Compare-and-set update; false when stale. */
  async update(db: Executor, id: string, expectedVersion: number, patch: Partial<Pick<ConferenceTable, 'starts_at' | 'ends_at' | 'status' | 'note' | 'current_item_id' | 'minutes_locked_at'>>, now: string): Promise<boolean> {
    const res = await db.updateTable('conferences').set({ ...patch, version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },
  /** Bumps the version (the agenda or attendance changed), for ETags and live followers. */
  async touch(db: Executor, id: string, now: string): Promise<void> {
    await db.updateTable('conferences').set((eb) => ({ version: eb('version', '+', 1), updated_at: now })).where('id', '=', id).execute();
  },
};

export const agendaRepo = {
  async insert(db: Executor, row: Omit<AgendaItemTable, 'version' | 'updated_at' | 'started_at' | 'ended_at' | 'recommendation'>): Promise<void> {
    await db.insertInto('agenda_items').values({ ...row, started_at: null, ended_at: null, recommendation: null, version: 1, updated_at: row.created_at }).execute();
  },
  async list(db: Executor, conferenceId: string): Promise<AgendaItemTable[]> {
    return db.selectFrom('agenda_items').selectAll().where('conference_id', '=', conferenceId).orderBy('position').orderBy('created_at').execute();
  },
  async setPosition(db: Executor, id: string, position: number, now: string): Promise<void> {
    await db.updateTable('agenda_items').set({ position, updated_at: now }).where('id', '=', id).execute();
  },
  async delete(db: Executor, conferenceId: string, id: string): Promise<boolean> {
    const res = await db.deleteFrom('agenda_items').where('id', '=', id).where('conference_id', '=', conferenceId).where('status', '=', 'pending').executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  },
  async setRecommendation(db: Executor, id: string, expectedVersion: number, rec: Recommendation, now: string): Promise<boolean> {
    const res = await db.updateTable('agenda_items').set({ recommendation: JSON.stringify(rec), version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },
  async mark(db: Executor, id: string, patch: Partial<Pick<AgendaItemTable, 'status' | 'started_at' | 'ended_at'>>, now: string): Promise<void> {
    await db.updateTable('agenda_items').set((eb) => ({ ...patch, version: eb('version', '+', 1), updated_at: now })).where('id', '=', id).execute();
  },
};
