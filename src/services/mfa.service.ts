import QRCode from 'qrcode';
import { looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpUri, verifyTotp } from '../domain/auth/mfa.js';
import { openSecret, sealSecret } from '../domain/auth/secret-box.js';
import { AppError } from '../domain/errors.js';
import type { Executor } from '../store/db.js';
import { mfaRepo } from '../store/mfa.repo.js';
import { audited } from './audit.js';
import { auth } from './auth.service.js';
import { isoNow, programConfig, type Actor, type Services } from './context.js';

/**
 * Multi-factor sign-in (issue 9 §1, ASVS 2.8): a user enrols an authenticator app (QR code), confirms with a first
 * code, and receives ten one-time recovery codes, shown once. Sign-in then needs the password and a code. Roles
 * listed in the program configuration (MFA_REQUIRED_ROLES) must enrol before they can do anything else.
 */

/** Does the configuration require a second factor for this role? */
export function mfaRequired(s: Services, role: string): boolean {
  return (programConfig(s).mfaRequiredRoles ?? []).includes(role);
}

/** Is a second factor enabled for this user (a confirmed enrolment)? */
export async function mfaEnabled(db: Executor, userId: string): Promise<boolean> {
  return !!(await mfaRepo.get(db, userId))?.enabled_at;
}

/**
 * Checks a second-factor code at sign-in or re-authentication: a 6-digit TOTP code (each time step accepted once,
 * compare-and-set so two requests cannot both use it) or an unused recovery code (used up by this call).
 */
export async function checkSecondFactor(s: Services, db: Executor, userId: string, code: string): Promise<'totp' | 'recovery' | null> {
  const row = await mfaRepo.get(db, userId);
  if (!row?.enabled_at) return null;
  const now = s.now();
  if (looksLikeRecoveryCode(code)) {
    return await mfaRepo.useRecoveryCode(db, userId, recoveryCodeHash(code), now.toISOString()) ? 'recovery' : null;
  }
  const step = verifyTotp(openTotpKey(s, row), code, now, row.last_step);
  if (step === null) return null;
  return await mfaRepo.accept(db, row, step, now.toISOString()) ? 'totp' : null;
}

const ISSUER = 'TumorBoard';

/** The server key that seals TOTP keys in the database (src/domain/auth/secret-box.ts). */
function serverKey(s: Services): Buffer {
  if (!s.secretKey) throw new AppError('unavailable', 'two-step sign-in needs the server key (TUMORBOARD_SECRET_KEY or its key file)');
  return s.secretKey;
}

/** A stored TOTP key, opened with the server key (bound to its user: a key copied to another row does not open). */
function openTotpKey(s: Services, row: { user_id: string; secret: string }): string {
  try {
    return openSecret(serverKey(s), row.secret, row.user_id);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('unavailable', 'the two-step sign-in key cannot be opened with this server\'s key: an administrator must reset it');
  }
}

export const mfa = {
  async status(s: Services, actor: Actor) {
    const row = await mfaRepo.get(s.store.db, actor.userId);
    return {
      enabled: !!row?.enabled_at, enabledAt: row?.enabled_at ?? null, pending: !!row && !row.enabled_at,
      required: mfaRequired(s, actor.role), recoveryCodesLeft: row?.enabled_at ? await mfaRepo.recoveryCodesLeft(s.store.db, actor.userId) : 0,
    };
  },

  /**
   * Starts an enrolment: a new secret, its otpauth URI and a QR code (SVG data URL; the CSP allows data: images).
   * An existing confirmed enrolment must be turned off first (with the password), so a stolen session cannot
   * silently move the second factor to another phone.
   */
  async begin(s: Services, actor: Actor) {
    return audited(s, actor, { action: 'update', recordType: 'mfa', recordId: actor.userId, detail: 'enrolment started' }, async (tx) => {
      const secret = newTotpSecret();
      if (!await mfaRepo.startPending(tx, actor.userId, sealSecret(serverKey(s), secret, actor.userId), isoNow(s))) {
        throw new AppError('conflict', 'a second factor is already set up: turn it off first to enrol another device', { field: 'mfa' });
      }
      const uri = totpUri(secret, actor.username, `${ISSUER} (${actor.institutionName})`);
      const qr = `data:image/svg+xml;base64,${Buffer.from(await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })).toString('base64')}`;
      return { secret, uri, qr };
    });
  },

  /** Confirms the pending enrolment with a first code; returns the recovery codes, the only time they are shown. */
  async confirm(s: Services, actor: Actor, code: string) {
    return audited(s, actor, { action: 'update', recordType: 'mfa', recordId: actor.userId, detail: 'enrolment confirmed' }, async (tx) => {
      const row = await mfaRepo.get(tx, actor.userId);
      if (!row || row.enabled_at) throw new AppError('conflict', 'code: start the set-up first (no enrolment is waiting for a code)', { field: 'code' });
      const step = verifyTotp(openTotpKey(s, row), code, s.now(), row.last_step);
      if (step === null) throw new AppError('validation', 'code: that is not the current code from your authenticator app (check the phone\'s clock)', { field: 'code' });
      if (!await mfaRepo.accept(tx, row, step, isoNow(s))) throw new AppError('stale', 'code: the set-up changed meanwhile; start again', { field: 'code' });
      const codes = newRecoveryCodes();
      await mfaRepo.replaceRecoveryCodes(tx, actor.userId, codes.map(recoveryCodeHash));
      await tx.updateTable('sessions').set({ mfa_pending: 0 }).where('user_id', '=', actor.userId).execute();
      return { enabled: true, recoveryCodes: codes };
    });
  },

  /** New recovery codes (the old ones stop working); needs the password again. */
  async regenerateRecoveryCodes(s: Services, actor: Actor, password: string) {
    await auth.reauthenticate(s, actor, password, 'new recovery codes');
    return audited(s, actor, { action: 'update', recordType: 'mfa', recordId: actor.userId, detail: 'recovery codes replaced' }, async (tx) => {
      if (!await mfaEnabled(tx, actor.userId)) throw new AppError('conflict', 'no second factor is set up', { field: 'mfa' });
      const codes = newRecoveryCodes();
      await mfaRepo.replaceRecoveryCodes(tx, actor.userId, codes.map(recoveryCodeHash));
      return { recoveryCodes: codes };
    });
  },

  /** Turns the second factor off (needs the password); refused where the configuration requires one for the role. */
  async disable(s: Services, actor: Actor, password: string) {
    if (mfaRequired(s, actor.role)) throw new AppError('forbidden', `your role (${actor.role}) must keep a second factor; an administrator can reset it if the phone is lost`);
    await auth.reauthenticate(s, actor, password, 'turning off the second factor');
    return audited(s, actor, { action: 'update', recordType: 'mfa', recordId: actor.userId, detail: 'turned off' }, async (tx) => {
      await mfaRepo.remove(tx, actor.userId);
      return { enabled: false };
    });
  },

  /** An administrator resets a user's second factor (lost phone): the user enrols again at the next sign-in. */
  async reset(s: Services, actor: Actor, userId: string) {
    return audited(s, actor, { action: 'update', recordType: 'mfa', recordId: userId, detail: 'reset by administrator' }, async (tx) => {
      const user = await tx.selectFrom('users').select('id').where('id', '=', userId).where('institution_id', '=', actor.institutionId).executeTakeFirst();
      if (!user) throw new AppError('not_found', 'user not found', { field: 'id' });
      await mfaRepo.remove(tx, userId);
      // Sessions signed in with the old factor end.
      await tx.deleteFrom('sessions').where('user_id', '=', userId).execute();
      return { reset: true };
    });
  },
};
