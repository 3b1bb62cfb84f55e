import type { Executor } from './db.js';
import type { TrialScreeningTable, TrialTable } from './schema.js';

export interface TrialListFilter {
  q?: string;
  network?: string;
  status?: string;
  curation?: string;
  limit: number;
  offset: number;
}

/** The trial registry (global: trials are public; local trials also record the institution that runs them). */
export const trialsRepo = {
  async get(db: Executor, id: string): Promise<TrialTable | undefined> {
    return db.selectFrom('trials').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async byNct(db: Executor, nctId: string): Promise<TrialTable | undefined> {
    return db.selectFrom('trials').selectAll().where('nct_id', '=', nctId).executeTakeFirst();
  },
  /** Inserts unless the NCT id exists (the unique constraint decides, not a prior read); true when inserted. */
  async insertIfAbsent(db: Executor, row: TrialTable): Promise<boolean> {
    const res = await db.insertInto('trials').values(row).onConflict((oc) => oc.column('nct_id').doNothing()).executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  },
  async insert(db: Executor, row: TrialTable): Promise<void> {
    await db.insertInto('trials').values(row).execute();
  },
  /** Compare-and-set update; false when stale. */
  async update(db: Executor, id: string, expectedVersion: number, patch: Partial<Omit<TrialTable, 'id' | 'version' | 'created_at'>>, now: string): Promise<boolean> {
    const res = await db.updateTable('trials').set({ ...patch, version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },
  async list(db: Executor, f: TrialListFilter): Promise<{ rows: TrialTable[]; total: number }> {
    let base = db.selectFrom('trials');
    if (f.network) base = base.where('network', '=', f.network);
    if (f.status) base = base.where('status', '=', f.status);
    if (f.curation) base = base.where('curation', '=', f.curation);
    if (f.q) {
      const like = `%${f.q.toLowerCase().replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
      base = base.where((eb) => eb.or([
        eb(eb.fn('lower', ['title']), 'like', like),
        eb(eb.fn('lower', ['nct_id']), 'like', like),
        eb(eb.fn('lower', ['local_id']), 'like', like),
      ]));
    }
    const [{ total } = { total: 0 }] = await base.select((eb) => eb.fn.countAll<number>().as('total')).execute();
    const rows = await base.selectAll().orderBy('status').orderBy('title').orderBy('id').limit(f.limit).offset(f.offset).execute();
    return { rows, total: Number(total) };
  },
  /** Every trial (the matcher compiles the whole catalogue; at registry scale this is a few thousand rows). */
  async all(db: Executor): Promise<TrialTable[]> {
    return db.selectFrom('trials').selectAll().orderBy('id').execute();
  },
  async saveMatches(db: Executor, caseId: string, rows: Array<{ trialId: string; verdict: string; trialVersion: number }>, now: string): Promise<void> {
    for (const r of rows) {
      await db.insertInto('trial_matches').values({ case_id: caseId, trial_id: r.trialId, verdict: r.verdict, trial_version: r.trialVersion, computed_at: now })
        .onConflict((oc) => oc.columns(['case_id', 'trial_id']).doUpdateSet({ verdict: r.verdict, trial_version: r.trialVersion, computed_at: now })).execute();
    }
  },
  async matchesOfTrial(db: Executor, trialId: string): Promise<Array<{ case_id: string; verdict: string }>> {
    return db.selectFrom('trial_matches').select(['case_id', 'verdict']).where('trial_id', '=', trialId).execute();
  },
};

export const screeningsRepo = {
  async get(db: Executor, caseId: string, trialId: string): Promise<TrialScreeningTable | undefined> {
    return db.selectFrom('trial_screenings').selectAll().where('case_id', '=', caseId).where('trial_id', '=', trialId).executeTakeFirst();
  },
  async insert(db: Executor, row: TrialScreeningTable): Promise<void> {
    await db.insertInto('trial_screenings').values(row).execute();
  },
  async update(db: Executor, id: string, expectedVersion: number, patch: Pick<TrialScreeningTable, 'status' | 'reason' | 'verdict' | 'updated_by'>, now: string): Promise<boolean> {
    const res = await db.updateTable('trial_screenings').set({ ...patch, version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },
  async event(db: Executor, row: { id: string; screening_id: string; status: string; reason: string | null; user_id: string; at: string }): Promise<void> {
    await db.insertInto('trial_screening_events').values(row).execute();
  },
  async byCase(db: Executor, institutionId: string, caseId: string): Promise<TrialScreeningTable[]> {
    return db.selectFrom('trial_screenings').selectAll().where('case_id', '=', caseId).where('institution_id', '=', institutionId).orderBy('updated_at', 'desc').execute();
  },
  /** The events of several screenings (one case's log), oldest first. */
  async eventsOf(db: Executor, screeningIds: readonly string[]) {
    if (screeningIds.length === 0) return [];
    return db.selectFrom('trial_screening_events').leftJoin('users', 'users.id', 'trial_screening_events.user_id')
      .selectAll('trial_screening_events').select('users.display_name as user_name')
      .where('screening_id', 'in', [...screeningIds]).orderBy('at').orderBy('trial_screening_events.id').execute();
  },
  async events(db: Executor, screeningId: string) {
    return db.selectFrom('trial_screening_events').leftJoin('users', 'users.id', 'trial_screening_events.user_id')
      .selectAll('trial_screening_events').select('users.display_name as user_name')
      .where('screening_id', '=', screeningId).orderBy('at').execute();
  },
};
