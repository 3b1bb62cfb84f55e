import type { Executor } from './db.js';
import type { InstitutionTable, UserTable } from './schema.js';

export interface UserRecord {
  id: string;
  institutionId: string;
  username: string;
  displayName: string;
  role: string;
  discipline: string | null;
  active: boolean;
  /** The compare-and-set key of an administrator's edit (sent back as If-Match). */
  version: number;
  createdAt: string;
}

/** A user as the administrators' list shows it: whether two-step sign-in is on (never the key or codes). */
export interface ListedUser extends UserRecord {
  mfaEnabled: boolean;
}

/** What an administrator may change on an account (PUT /admin/users/:id). */
export interface UserChanges {
  displayName: string;
  role: string;
  discipline: string | null;
  active: boolean;
}

export interface Institution {
  id: string;
  code: string;
  name: string;
}

function toUser(r: UserTable): UserRecord {
  return {
    id: r.id, institutionId: r.institution_id, username: r.username, displayName: r.display_name, role: r.role,
    discipline: r.discipline, active: r.active === 1, version: r.version, createdAt: r.created_at,
  };
}

export const institutionsRepo = {
  async insert(db: Executor, row: InstitutionTable): Promise<void> {
    await db.insertInto('institutions').values(row).execute();
  },
  async get(db: Executor, id: string): Promise<Institution | undefined> {
    return db.selectFrom('institutions').select(['id', 'code', 'name']).where('id', '=', id).executeTakeFirst();
  },
  async findByCode(db: Executor, code: string): Promise<Institution | undefined> {
    return db.selectFrom('institutions').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst();
  },
  async list(db: Executor): Promise<Institution[]> {
    return db.selectFrom('institutions').select(['id', 'code', 'name']).orderBy('name').execute();
  },
};

export const usersRepo = {
  async insert(db: Executor, row: Omit<UserTable, 'version' | 'updated_at' | 'oidc_subject'>): Promise<UserRecord> {
    const values: UserTable = { ...row, oidc_subject: null, version: 1, updated_at: row.created_at };
    await db.insertInto('users').values(values).execute();
    return toUser(values);
  },
  async findByUsername(db: Executor, username: string): Promise<(UserRecord & { passwordHash: string }) | undefined> {
    const r = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return r ? { ...toUser(r), passwordHash: r.password_hash } : undefined;
  },
  async get(db: Executor, id: string): Promise<UserRecord | undefined> {
    const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toUser(r) : undefined;
  },
  /** A user of the given institution (another institution's user is not found). */
  async getInInstitution(db: Executor, institutionId: string, id: string): Promise<UserRecord | undefined> {
    const r = await db.selectFrom('users').selectAll().where('id', '=', id).where('institution_id', '=', institutionId).executeTakeFirst();
    return r ? toUser(r) : undefined;
  },
  async list(db: Executor, institutionId: string, page: { limit: number; offset: number }): Promise<{ items: ListedUser[]; total: number }> {
    const [{ total } = { total: 0 }] = await db.selectFrom('users').where('institution_id', '=', institutionId)
      .select((eb) => eb.fn.countAll<number>().as('total')).execute();
    // Whether a confirmed second factor exists: one left join, only its enabled time is read.
    const rows = await db.selectFrom('users').leftJoin('user_mfa', 'user_mfa.user_id', 'users.id')
      .where('users.institution_id', '=', institutionId)
      .selectAll('users').select('user_mfa.enabled_at as mfa_enabled_at')
      .orderBy('users.username').limit(page.limit).offset(page.offset).execute();
    return { items: rows.map(({ mfa_enabled_at, ...r }) => ({ ...toUser(r), mfaEnabled: mfa_enabled_at != null })), total: Number(total) };
  },
  /**
   * An administrator's edit, compare-and-set on `version` within the institution; undefined when the version is
   * stale (or the user is not the institution's).
   */
  async update(db: Executor, institutionId: string, id: string, expectedVersion: number, changes: UserChanges, now: string): Promise<UserRecord | undefined> {
    const res = await db.updateTable('users').set({
      display_name: changes.displayName, role: changes.role, discipline: changes.discipline, active: changes.active ? 1 : 0,
      version: expectedVersion + 1, updated_at: now,
    }).where('id', '=', id).where('institution_id', '=', institutionId).where('version', '=', expectedVersion).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return undefined;
    return this.getInInstitution(db, institutionId, id);
  },
  async count(db: Executor): Promise<number> {
    const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  },
};

export const sessionsRepo = {
  async insert(db: Executor, row: { id: string; tokenHash: string; userId: string; now: string; expiresAt: string; clientIp: string | null; mfaPending?: boolean }): Promise<void> {
    await db.insertInto('sessions').values({
      id: row.id, token_hash: row.tokenHash, user_id: row.userId, created_at: row.now, expires_at: row.expiresAt,
      last_seen_at: row.now, client_ip: row.clientIp, mfa_pending: row.mfaPending ? 1 : 0,
    }).execute();
  },
  /** The live session for a token hash with its user and institution, or undefined (unknown, expired, inactive). */
  async findLive(db: Executor, tokenHash: string, now: string) {
    return db.selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .innerJoin('institutions', 'institutions.id', 'users.institution_id')
      .select([
        'sessions.id as sessionId', 'sessions.created_at as createdAt', 'sessions.expires_at as expiresAt', 'sessions.last_seen_at as lastSeenAt', 'sessions.mfa_pending as mfaPending',
        'users.id as userId', 'users.username', 'users.display_name as displayName', 'users.role', 'users.discipline',
        'users.institution_id as institutionId', 'institutions.name as institutionName',
      ])
      .where('sessions.token_hash', '=', tokenHash).where('sessions.expires_at', '>', now).where('users.active', '=', 1)
      .executeTakeFirst();
  },
  async touch(db: Executor, sessionId: string, now: string, expiresAt: string): Promise<void> {
    await db.updateTable('sessions').set({ last_seen_at: now, expires_at: expiresAt }).where('id', '=', sessionId).execute();
  },
  async delete(db: Executor, tokenHash: string): Promise<void> {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  },
  /** Ends every session of a user (logout everywhere); returns how many there were. */
  async deleteAllForUser(db: Executor, userId: string): Promise<number> {
    const r = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
