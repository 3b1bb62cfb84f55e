import type { Executor } from './db.js';
import type { PlanAdministrationTable, PlanSignatureTable, PlanTable, PlanVersionTable } from './schema.js';

/** Treatment plans: the plan row carries the current version; versions, signatures and administrations append. */
export const plansRepo = {
  async byCase(db: Executor, institutionId: string, caseId: string): Promise<PlanTable | undefined> {
    return db.selectFrom('plans').selectAll().where('case_id', '=', caseId).where('institution_id', '=', institutionId).executeTakeFirst();
  },
  async insert(db: Executor, row: PlanTable): Promise<void> {
    await db.insertInto('plans').values(row).execute();
  },
  /** Compare-and-set on the plan's version: exactly one of two concurrent edits wins, the other sees false. */
  async advance(db: Executor, id: string, expectedVersion: number, patch: Partial<Pick<PlanTable, 'status' | 'started_on' | 'ended_on'>>, now: string): Promise<boolean> {
    const res = await db.updateTable('plans').set({ ...patch, version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },
  /** Status or dates change without a new content version (agreement, start, end of therapy). */
  async setStatus(db: Executor, id: string, patch: Partial<Pick<PlanTable, 'status' | 'started_on' | 'ended_on'>>, now: string): Promise<void> {
    await db.updateTable('plans').set({ ...patch, updated_at: now }).where('id', '=', id).execute();
  },
  async insertVersion(db: Executor, row: PlanVersionTable): Promise<void> {
    await db.insertInto('plan_versions').values(row).execute();
  },
  async version(db: Executor, planId: string, version: number): Promise<PlanVersionTable | undefined> {
    return db.selectFrom('plan_versions').selectAll().where('plan_id', '=', planId).where('version', '=', version).executeTakeFirst();
  },
  async versions(db: Executor, planId: string): Promise<Array<PlanVersionTable & { author_name: string | null }>> {
    return db.selectFrom('plan_versions').leftJoin('users', 'users.id', 'plan_versions.author_id')
      .selectAll('plan_versions').select('users.display_name as author_name')
      .where('plan_id', '=', planId).orderBy('version', 'desc').execute();
  },
  async insertSignature(db: Executor, row: PlanSignatureTable): Promise<void> {
    await db.insertInto('plan_signatures').values(row).execute();
  },
  async signatures(db: Executor, planId: string): Promise<Array<PlanSignatureTable & { user_name: string | null }>> {
    return db.selectFrom('plan_signatures').leftJoin('users', 'users.id', 'plan_signatures.user_id')
      .selectAll('plan_signatures').select('users.display_name as user_name')
      .where('plan_id', '=', planId).orderBy('signed_at').execute();
  },
  async insertAdministration(db: Executor, row: PlanAdministrationTable): Promise<void> {
    await db.insertInto('plan_administrations').values(row).execute();
  },
  async administrations(db: Executor, planId: string): Promise<PlanAdministrationTable[]> {
    return db.selectFrom('plan_administrations').selectAll().where('plan_id', '=', planId).orderBy('given_on').orderBy('created_at').execute();
  },
};
