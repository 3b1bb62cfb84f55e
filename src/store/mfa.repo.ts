import type { Executor } from './db.js';

export interface MfaRow { user_id: string; secret: string; enabled_at: string | null; last_step: number | null; version: number; created_at: string; updated_at: string }

/** TOTP enrolments and recovery codes (migration 012). Every change is compare-and-set on `version`. */
export const mfaRepo = {
  async get(db: Executor, userId: string): Promise<MfaRow | undefined> {
    return db.selectFrom('user_mfa').selectAll().where('user_id', '=', userId).executeTakeFirst();
  },
  /** A new pending enrolment replaces an unconfirmed one; a confirmed enrolment is never overwritten here. */
  async startPending(db: Executor, userId: string, secret: string, now: string): Promise<boolean> {
    await db.deleteFrom('user_mfa').where('user_id', '=', userId).where('enabled_at', 'is', null).execute();
    const res = await db.insertInto('user_mfa').values({ user_id: userId, secret, enabled_at: null, last_step: null, version: 1, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doNothing()).executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  },
  /** Records an accepted code's step (and enables a pending enrolment); false when someone else used a code meanwhile. */
  async accept(db: Executor, row: MfaRow, step: number, now: string): Promise<boolean> {
    const res = await db.updateTable('user_mfa').set({ last_step: step, enabled_at: row.enabled_at ?? now, version: row.version + 1, updated_at: now })
      .where('user_id', '=', row.user_id).where('version', '=', row.version).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },
  async remove(db: Executor, userId: string): Promise<void> {
    await db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
    await db.deleteFrom('user_mfa').where('user_id', '=', userId).execute();
  },
  async replaceRecoveryCodes(db: Executor, userId: string, hashes: readonly string[]): Promise<void> {
    await db.deleteFrom('mfa_recovery_codes').where('user_id', '=', userId).execute();
    await db.insertInto('mfa_recovery_codes').values(hashes.map((h) => ({ user_id: userId, code_hash: h, used_at: null }))).execute();
  },
  /** Uses a recovery code once: true only for the request whose update marked it used. */
  async useRecoveryCode(db: Executor, userId: string, hash: string, now: string): Promise<boolean> {
    const res = await db.updateTable('mfa_recovery_codes').set({ used_at: now })
      .where('user_id', '=', userId).where('code_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },
  async recoveryCodesLeft(db: Executor, userId: string): Promise<number> {
    const r = await db.selectFrom('mfa_recovery_codes').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirst();
    return Number(r?.n ?? 0);
  },
};
