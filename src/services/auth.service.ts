import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import { AppError } from '../domain/errors.js';
import { DISCIPLINES, ROLES } from '../domain/registry/types.js';
import { inTransaction, isUniqueViolation } from '../store/db.js';
import { institutionsRepo, sessionsRepo, usersRepo, type UserRecord } from '../store/users.repo.js';
import { auditOnly, audited } from './audit.js';
import { isoNow, newId, type Actor, type Services } from './context.js';

/** Sessions end after 30 idle minutes or 12 hours in all, whichever comes first. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
const TOUCH_EVERY_MS = 60_000;

export const newUserSchema = z.strictObject({
  username: z.string().trim().regex(/^[a-z0-9._-]{3,40}$/, 'must be 3-40 lower-case letters, digits, dot, dash or underscore'),
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  discipline: z.enum(DISCIPLINES).optional(),
  password: z.string().min(12, 'must be at least 12 characters').max(200),
  email: z.email('must be an email address').max(200).optional(),
});
export type NewUser = z.infer<typeof newUserSchema>;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A fixed hash to verify against when the user does not exist, so timing does not reveal valid usernames.
let dummyHash: Promise<string> | undefined;

export const auth = {
  /** Checks the password; returns the opaque session token (only its hash is stored) and the actor. */
  async login(s: Services, username: string, password: string, clientIp: string | null, requestId: string | null): Promise<{ token: string; actor: Actor; expiresAt: string }> {
    const user = await usersRepo.findByUsername(s.store.db, username);
    const ok = user
      ? user.active && await verify(user.passwordHash, password)
      : (await verify(await (dummyHash ??= hash('not-a-real-password')), password), false);
    if (!user || !ok) {
      await auditOnly(s, user ? userActor(user, '', clientIp, requestId) : null,
        { action: 'login_failed', recordType: 'session', detail: user ? 'bad_password' : 'unknown_user' }, 'denied');
      throw new AppError('unauthenticated', 'username or password is incorrect', { field: 'password' });
    }
    const inst = await institutionsRepo.get(s.store.db, user.institutionId);
    const actor = userActor(user, inst?.name ?? '', clientIp, requestId);
    const token = randomBytes(32).toString('base64url');
    const now = s.now();
    const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS).toISOString();
    await inTransaction(s.store.db, async (tx) => {
      await sessionsRepo.insert(tx, { id: newId(), tokenHash: hashToken(token), userId: user.id, now: now.toISOString(), expiresAt, clientIp });
    });
    await auditOnly(s, actor, { action: 'login', recordType: 'session', recordId: user.id });
    return { token, actor, expiresAt };
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
      institutionId: row.institutionId, institutionName: row.institutionName, clientIp, requestId,
    };
  },

  async logout(s: Services, token: string, actor: Actor | undefined): Promise<void> {
    await sessionsRepo.delete(s.store.db, hashToken(token));
    if (actor) await auditOnly(s, actor, { action: 'logout', recordType: 'session', recordId: actor.userId });
  },

  async createUser(s: Services, actor: Actor | null, institutionId: string, input: NewUser): Promise<UserRecord> {
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

  async listUsers(s: Services, actor: Actor, page: { limit: number; offset: number }) {
    return usersRepo.list(s.store.db, actor.institutionId, page);
  },
};

function userActor(u: UserRecord, institutionName: string, clientIp: string | null, requestId: string | null): Actor {
  return {
    userId: u.id, username: u.username, displayName: u.displayName, role: u.role, discipline: u.discipline,
    institutionId: u.institutionId, institutionName, clientIp, requestId,
  };
}
