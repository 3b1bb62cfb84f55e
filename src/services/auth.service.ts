import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import { passwordProblems } from '../domain/auth/password-policy.js';
import { AppError } from '../domain/errors.js';
import { DISCIPLINES, ROLES } from '../domain/registry/types.js';
import { inTransaction, isUniqueViolation } from '../store/db.js';
import { loginThrottleRepo } from '../store/security.repo.js';
import { institutionsRepo, sessionsRepo, usersRepo, type ListedUser, type UserChanges, type UserRecord } from '../store/users.repo.js';
import { auditOnly, audited } from './audit.js';
import { checkSecondFactor, mfaEnabled, mfaRequired } from './mfa.service.js';
import { isoNow, newId, type Actor, type Services } from './context.js';

/** Sessions end after 30 idle minutes or 12 hours in all, whichever comes first. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * Per-account login throttling (ASVS 2.2.1): after `maxFailures` failed attempts within `windowMs` the account is
 * locked for `lockMs`, in the database (all nodes, across restarts). Per-address limiting is @fastify/rate-limit on
 * the login route. Unknown usernames are counted and locked the same way, and every refusal says the same thing.
 */
export const LOGIN_THROTTLE = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;
export const LOGIN_REFUSED_MESSAGE = `username or password is incorrect (after ${LOGIN_THROTTLE.maxFailures} failed attempts an account is locked for ${LOGIN_THROTTLE.lockMs / 60_000} minutes)`;

/** A clinician belongs to a discipline (R-CONF sign-off groups are disciplines): required when creating or editing one. */
function clinicianNeedsDiscipline(u: { role: string; discipline?: string | null | undefined }, ctx: z.RefinementCtx): void {
  if (u.role === 'clinician' && !u.discipline) {
    ctx.addIssue({ code: 'custom', path: ['discipline'], message: 'is required for a clinician' });
  }
}

const displayNameField = z.string().trim().min(1).max(200);

export const newUserSchema = z.strictObject({
  username: z.string().trim().regex(/^[a-z0-9._-]{3,40}$/, 'must be 3-40 lower-case letters, digits, dot, dash or underscore'),
  displayName: displayNameField,
  role: z.enum(ROLES),
  discipline: z.enum(DISCIPLINES).optional(),
  password: z.string().min(12, 'must be at least 12 characters').max(200),
  email: z.email('must be an email address').max(200).optional(),
}).superRefine(clinicianNeedsDiscipline);
export type NewUser = z.infer<typeof newUserSchema>;

/**
 * An administrator's edit of an account (PUT /admin/users/:id): the whole editable state, validated like creation.
 * A missing or null discipline clears it (allowed for every role but clinician). The username and password are not
 * edited here.
 */
export const userUpdateSchema = z.strictObject({
  displayName: displayNameField,
  role: z.enum(ROLES),
  discipline: z.enum(DISCIPLINES).nullable().optional(),
  active: z.boolean(),
}).superRefine(clinicianNeedsDiscipline);
export type UserUpdate = z.infer<typeof userUpdateSchema>;

/** A row of the administrators' user list: whether the account is locked now (until when) and has two-step sign-in. */
export type AdminUserView = ListedUser & { lockedUntil: string | null };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A fixed hash to verify against when the user does not exist, so timing does not reveal valid usernames.
let dummyHash: Promise<string> | undefined;

export const auth = {
  /**
   * Checks the password, and the second factor when the user has one (`otp`: a 6-digit code or a recovery code);
   * returns the opaque session token (only its hash is stored) and the actor. A right password without the code
   * answers 401 naming `otp`, so the sign-in page asks for it. A user whose role requires a second factor but has
   * none gets a session that can only enrol one (`mfaPending`).
   */
  async login(s: Services, username: string, password: string, clientIp: string | null, requestId: string | null, otp?: string): Promise<{ token: string; actor: Actor; expiresAt: string }> {
    const user = await usersRepo.findByUsername(s.store.db, username);
    const account = username.trim().toLowerCase();
    const failedActor = user ? userActor(user, '', clientIp, requestId) : null;
    if (await loginThrottleRepo.lockedUntil(s.store.db, account, s.now().toISOString())) {
      // Locked: the password is not even checked, and the answer is the same as for a wrong password.
      await auditOnly(s, failedActor, { action: 'login_failed', recordType: 'session', detail: 'locked' }, 'denied');
      throw new AppError('unauthenticated', LOGIN_REFUSED_MESSAGE, { field: 'password' });
    }
    const ok = user
      // The hash is checked even for a deactivated account, so timing does not tell deactivated accounts apart.
      ? await verify(user.passwordHash, password) && user.active
      : (await verify(await (dummyHash ??= hash('not-a-real-password')), password), false);
    if (!user || !ok) {
      await auditOnly(s, failedActor, { action: 'login_failed', recordType: 'session', detail: user ? 'bad_password' : 'unknown_user' }, 'denied');
      await countFailure(s, account, failedActor);
      throw new AppError('unauthenticated', LOGIN_REFUSED_MESSAGE, { field: 'password' });
    }
    const enrolled = await mfaEnabled(s.store.db, user.id);
    if (enrolled) {
      if (!otp?.trim()) throw new AppError('unauthenticated', 'otp: enter the 6-digit code from your authenticator app (or a recovery code)', { field: 'otp' });
      const used = await checkSecondFactor(s, s.store.db, user.id, otp.trim());
      if (!used) {
        await auditOnly(s, failedActor, { action: 'login_failed', recordType: 'session', detail: 'bad_second_factor' }, 'denied');
        await countFailure(s, account, failedActor);
        throw new AppError('unauthenticated', 'otp: that code is not right or was already used', { field: 'otp' });
      }
      if (used === 'recovery') await auditOnly(s, failedActor, { action: 'update', recordType: 'mfa', recordId: user.id, detail: 'recovery code used' });
    }
    await loginThrottleRepo.clear(s.store.db, account);
    return startSession(s, user, { clientIp, requestId, mfaPending: !enrolled && mfaRequired(s, user.role) });
  },

  /** The actor behind a session token, sliding the idle expiry; undefined when unknown or expired. */
  async resolve(s: Services, token: string, clientIp: string | null, requestId: string | null): Promise<Actor | undefined> {
    const now = s.now();
    const row = await sessionsRepo.findLive(s.store.db, hashToken(token), now.toISOString());
    if (!row) return undefined;
    if (now.getTime() - Date.parse(row.lastSeenAt) > TOUCH_EVERY_MS) {
      // Each use slides the idle expiry, capped by the absolute limit counted from the session's creation.
      const idle = now.getTime() + SESSION_IDLE_MS;
      const cap = Date.parse(row.createdAt) + SESSION_ABSOLUTE_MS;
      await sessionsRepo.touch(s.store.db, row.sessionId, now.toISOString(), new Date(Math.min(idle, cap)).toISOString());
    }
    return {
      userId: row.userId, username: row.username, displayName: row.displayName, role: row.role, discipline: row.discipline,
      institutionId: row.institutionId, institutionName: row.institutionName, clientIp, requestId, ...(row.mfaPending ? { mfaPending: true } : {}),
    };
  },

  async logout(s: Services, token: string, actor: Actor | undefined): Promise<void> {
    await sessionsRepo.delete(s.store.db, hashToken(token));
    if (actor) await auditOnly(s, actor, { action: 'logout', recordType: 'session', recordId: actor.userId });
  },

  /** Ends every session of the actor's account, on every device (the current one too). */
  async logoutEverywhere(s: Services, actor: Actor): Promise<number> {
    return audited(s, actor, { action: 'logout', recordType: 'session', recordId: actor.userId }, async (tx, note) => {
      const ended = await sessionsRepo.deleteAllForUser(tx, actor.userId);
      note.detail = `all_sessions:${ended}`;
      return ended;
    });
  },

  /**
   * Re-authentication before a sensitive step (plan sign-off, export): the actor types their own password again.
   * A wrong password is audited and counts towards the account's lock, like a failed sign-in; a locked account
   * cannot re-authenticate. `purpose` names the step in the error ("signing needs your own password").
   */
  async reauthenticate(s: Services, actor: Actor, password: string, purpose = 'this step'): Promise<void> {
    const refused = new AppError('forbidden', `password: incorrect; ${purpose} needs your own password`, { field: 'password' });
    const user = await s.store.db.selectFrom('users').select(['password_hash', 'active', 'username']).where('id', '=', actor.userId).executeTakeFirst();
    const account = (user?.username ?? actor.username).toLowerCase();
    if (await loginThrottleRepo.lockedUntil(s.store.db, account, s.now().toISOString())) {
      await auditOnly(s, actor, { action: 'login_failed', recordType: 'reauthentication', recordId: actor.userId, detail: 'locked' }, 'denied');
      throw refused;
    }
    if (!user || !user.active || !await verify(user.password_hash, password)) {
      await auditOnly(s, actor, { action: 'login_failed', recordType: 'reauthentication', recordId: actor.userId, detail: 'bad_password' }, 'denied');
      await countFailure(s, account, actor);
      throw refused;
    }
  },

  async createUser(s: Services, actor: Actor | null, institutionId: string, input: NewUser): Promise<UserRecord> {
    // The password policy (length, not the username, not a breached password) is checked wherever a password is set.
    const problems = passwordProblems(input.password, { username: input.username });
    if (problems.length) {
      throw new AppError('validation', `password: ${problems[0]!.message}`, {
        issues: problems.map((p) => ({ field: 'password', message: p.message })),
      });
    }
    const passwordHash = await hashPassword(input.password);
    return audited(s, actor, { action: 'create', recordType: 'user' }, async (tx, note) => {
      const id = newId();
      note.recordId = id;
      try {
        return await usersRepo.insert(tx, {
          id, institution_id: institutionId, username: input.username, display_name: input.displayName, role: input.role,
          discipline: input.discipline ?? null, password_hash: passwordHash, email: input.email ?? null, active: 1, created_at: isoNow(s),
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'username is taken', { field: 'username' });
        throw err;
      }
    });
  },

  async listUsers(s: Services, actor: Actor, page: { limit: number; offset: number }): Promise<{ items: AdminUserView[]; total: number }> {
    const res = await usersRepo.list(s.store.db, actor.institutionId, page);
    const locked = await loginThrottleRepo.lockedAmong(s.store.db, res.items.map((u) => u.username.toLowerCase()), s.now().toISOString());
    return { ...res, items: res.items.map((u) => ({ ...u, lockedUntil: locked.get(u.username.toLowerCase()) ?? null })) };
  },

  /**
   * An administrator edits an account of their institution (another institution's is 404), compare-and-set on its
   * version (412 when stale). An administrator cannot deactivate themself or give up their own admin role (409), so an
   * institution always keeps an administrator. Deactivating a user, or changing their role, ends all their sessions in
   * the same transaction: a leaver is out at once, and a new role starts with a fresh sign-in (which applies that
   * role's two-step sign-in requirement). The audit entry names the changed fields, never their values.
   */
  async updateUser(s: Services, actor: Actor, id: string, version: number, input: UserUpdate): Promise<UserRecord> {
    return audited(s, actor, { action: 'update', recordType: 'user', recordId: id }, async (tx, note) => {
      const before = await usersRepo.getInInstitution(tx, actor.institutionId, id);
      if (!before) throw new AppError('not_found', 'user not found', { field: 'id' });
      if (id === actor.userId && !input.active) {
        throw new AppError('conflict', 'active: you cannot deactivate your own account; another administrator must do it', { field: 'active' });
      }
      if (id === actor.userId && before.role === 'admin' && input.role !== 'admin') {
        throw new AppError('conflict', 'role: you cannot remove your own administrator role; another administrator must do it', { field: 'role' });
      }
      const next: UserChanges = { displayName: input.displayName, role: input.role, discipline: input.discipline ?? null, active: input.active };
      const changed = (Object.keys(next) as Array<keyof UserChanges>).filter((k) => next[k] !== before[k]);
      const updated = await usersRepo.update(tx, actor.institutionId, id, version, next, isoNow(s));
      if (!updated) throw new AppError('stale', `user was changed by someone else (now version ${before.version})`, { field: 'If-Match' });
      const endSessions = (before.active && !next.active) || before.role !== next.role;
      const ended = endSessions ? await sessionsRepo.deleteAllForUser(tx, id) : 0;
      note.detail = `fields=${changed.join(',') || 'none'}${endSessions ? ` sessions_ended=${ended}` : ''}`;
      return updated;
    });
  },

  /**
   * An administrator lifts the sign-in lock of an account of their institution (after five wrong passwords) and
   * forgets its failed attempts; audited whether or not it was locked.
   */
  async unlockUser(s: Services, actor: Actor, id: string): Promise<{ unlocked: true; wasLocked: boolean }> {
    return audited(s, actor, { action: 'update', recordType: 'user', recordId: id, detail: 'unlock' }, async (tx, note) => {
      const user = await usersRepo.getInInstitution(tx, actor.institutionId, id);
      if (!user) throw new AppError('not_found', 'user not found', { field: 'id' });
      const account = user.username.toLowerCase();
      const wasLocked = !!await loginThrottleRepo.lockedUntil(tx, account, s.now().toISOString());
      await loginThrottleRepo.clear(tx, account);
      note.detail = wasLocked ? 'unlocked' : 'unlock (was not locked)';
      return { unlocked: true, wasLocked };
    });
  },
};

/** Counts a failed attempt; the attempt that reaches the limit locks the account (audited). */
/**
 * Opens a session for a user who has proven who they are (password and second factor, or single sign-on): a random
 * token whose SHA-256 alone is stored, the sign-in audited. `detail` says how (e.g. "sso").
 */
export async function startSession(s: Services, user: UserRecord, how: { clientIp: string | null; requestId: string | null; mfaPending?: boolean; detail?: string }): Promise<{ token: string; actor: Actor; expiresAt: string }> {
  const inst = await institutionsRepo.get(s.store.db, user.institutionId);
  const mfaPending = how.mfaPending ?? false;
  const actor = { ...userActor(user, inst?.name ?? '', how.clientIp, how.requestId), ...(mfaPending ? { mfaPending } : {}) };
  const token = randomBytes(32).toString('base64url');
  const now = s.now();
  const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS).toISOString();
  await inTransaction(s.store.db, async (tx) => {
    await sessionsRepo.insert(tx, { id: newId(), tokenHash: hashToken(token), userId: user.id, now: now.toISOString(), expiresAt, clientIp: how.clientIp, mfaPending });
  });
  await auditOnly(s, actor, { action: 'login', recordType: 'session', recordId: user.id, ...(how.detail ? { detail: how.detail } : {}) });
  return { token, actor, expiresAt };
}

async function countFailure(s: Services, account: string, actor: Actor | null): Promise<void> {
  const now = s.now();
  const windowStart = new Date(now.getTime() - LOGIN_THROTTLE.windowMs).toISOString();
  const failures = await loginThrottleRepo.recordFailure(s.store.db, account, now.toISOString(), windowStart);
  // Rows older than a window (and not locked) no longer count: drop them, so sprayed unknown names do not pile up.
  await loginThrottleRepo.prune(s.store.db, windowStart, now.toISOString());
  if (failures >= LOGIN_THROTTLE.maxFailures) {
    const until = new Date(now.getTime() + LOGIN_THROTTLE.lockMs).toISOString();
    await loginThrottleRepo.lock(s.store.db, account, until, now.toISOString());
    await auditOnly(s, actor, { action: 'login_failed', recordType: 'session', detail: `account_locked_until:${until}` }, 'denied');
  }
}

function userActor(u: UserRecord, institutionName: string, clientIp: string | null, requestId: string | null): Actor {
  return {
    userId: u.id, username: u.username, displayName: u.displayName, role: u.role, discipline: u.discipline,
    institutionId: u.institutionId, institutionName, clientIp, requestId,
  };
}
