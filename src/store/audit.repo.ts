import { PostgresAdapter, sql } from 'kysely';
import { entryHash, GENESIS_HASH, MAX_CHAINS, type AuditFields, type ChainContent, type ChainRow } from '../domain/audit/chain.js';
import type { Executor, Tx } from './db.js';
import type { Selectable } from 'kysely';
import type { AuditTable } from './schema.js';

export const AUDIT_ACTIONS = ['read', 'search', 'create', 'update', 'export', 'login', 'logout', 'login_failed'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_OUTCOMES = ['success', 'denied', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One audit entry (the fields are the chain's, src/domain/audit/chain.ts), with the action and outcome vocabularies. */
export interface AuditEntry extends Omit<AuditFields, 'action' | 'outcome'> {
  action: AuditAction;
  outcome: AuditOutcome;
}

export interface AuditFilter {
  institutionId: string;
  userId?: string | undefined;
  action?: AuditAction | undefined;
  recordType?: string | undefined;
  patientId?: string | undefined;
  outcome?: AuditOutcome | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** The PostgreSQL advisory locks of the parallel chains: chain c is guarded by `AUDIT_CHAIN_LOCK + c` ('tbau'). */
export const AUDIT_CHAIN_LOCK = 0x74626175;

/**
 * How many parallel chains appenders use (src/domain/audit/chain.ts): 8 on PostgreSQL, so up to 8 transactions
 * commit their audit entries at once (each waits for its own WAL flush only); 1 on SQLite, whose single writer
 * serializes appends anyway. `audit verify` does not need to know K.
 */
export const AUDIT_CHAINS = { postgres: MAX_CHAINS, sqlite: 1 } as const;

let postgresChains: number = AUDIT_CHAINS.postgres;

/** Sets the number of PostgreSQL chains new appends use (1..MAX_CHAINS); for benchmarks comparing single vs striped. */
export function setPostgresAuditChains(k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > MAX_CHAINS) throw new RangeError(`chains must be 1..${MAX_CHAINS}`);
  postgresChains = k;
}

/** The chain each open PostgreSQL transaction appends to, so several entries of one transaction stay in one chain. */
const heldChain = new WeakMap<object, number>();

interface Head { seq: string | number | null; chain_seq: number | string | null; hash: string | null }

/**
 * Appends one entry linked to the head of a chain (src/domain/audit/chain.ts) inside `tx`.
 *
 * PostgreSQL: the transaction claims one of the chains' advisory transaction locks, trying them from a random start
 * without waiting and waiting for one only when all are taken; it holds it until it commits or rolls back, so
 * appenders of one chain queue up and each links to the one committed before it, while up to K transactions append
 * and commit side by side. A transaction that appends again re-takes the chain it already holds (re-entrant,
 * immediate; and correct even if a rolled-back savepoint released it), so its entries stay in one chain and it never
 * waits for a second chain while holding one. The head is read in a statement after the lock is held (a fresh READ
 * COMMITTED snapshot sees the previous holder's commit); `seq` comes from the table's sequence after the lock, so it
 * grows along each chain. Claim, seq and head take one round trip: `audit_chain_claim_head` (migration 016) is
 * VOLATILE, so its head read is a statement of its own with its own snapshot, after the lock.
 *
 * SQLite has one writer and one chain; a unit of a group commit that is rolled back to its savepoint takes its entry
 * with it, and the next unit reads the head afresh, so the chain never points at a rolled-back entry.
 * Either way the head read is one indexed lookup on (chain, chain_seq).
 */
async function appendLinked(tx: Tx, e: AuditEntry): Promise<void> {
  let chain = 0;
  let head: Head | undefined;
  let seq: number;
  if (tx.getExecutor().adapter instanceof PostgresAdapter) {
    // Claim (or re-take) the chain's lock, then draw seq and read the head in a fresh snapshot: one round trip
    // (audit_chain_claim_head, migration 016; its head read is a statement of its own, run after the lock is held).
    const held = heldChain.get(tx);
    const row = (await sql<{ claimed: number; next_seq: string | number; head_seq: string | number | null; head_hash: string | null }>`select claimed, next_seq, head_seq, head_hash
      from audit_chain_claim_head(${postgresChains}::integer, ${AUDIT_CHAIN_LOCK}::bigint, ${held ?? null}::integer)`.execute(tx)).rows[0]!;
    chain = Number(row.claimed);
    heldChain.set(tx, chain);
    head = { seq: row.next_seq, chain_seq: row.head_seq, hash: row.head_hash };
    seq = Number(head.seq);
  } else {
    head = (await sql<Head>`select m.s as seq, h.chain_seq, h.hash from (select max(seq) as s from audit_log) as m left join
      (select chain_seq, hash from audit_log where chain = 0 and chain_seq is not null order by chain_seq desc limit 1) as h on 1 = 1`.execute(tx)).rows[0];
    seq = Number(head?.seq ?? 0) + 1;
  }
  const lastPos = head?.chain_seq === null || head?.chain_seq === undefined ? 0 : Number(head.chain_seq);
  const chainSeq = lastPos + 1;
  // An entry written outside the chain (no hash) is reported by `audit verify`; appends go on after it.
  const prevHash = lastPos === 0 ? GENESIS_HASH : (head!.hash ?? `unchained:${chain}:${lastPos}`);
  const content: ChainContent = {
    seq, chain, chainSeq, id: e.id, at: e.at, userId: e.userId, username: e.username, role: e.role, institutionId: e.institutionId,
    action: e.action, recordType: e.recordType, recordId: e.recordId, patientId: e.patientId, outcome: e.outcome,
    clientIp: e.clientIp, requestId: e.requestId, detail: e.detail,
  };
  await tx.insertInto('audit_log').values({
    seq, chain, chain_seq: chainSeq, id: e.id, at: e.at, user_id: e.userId, username: e.username, role: e.role, institution_id: e.institutionId,
    action: e.action, record_type: e.recordType, record_id: e.recordId, patient_id: e.patientId, outcome: e.outcome,
    client_ip: e.clientIp, request_id: e.requestId, detail: e.detail, prev_hash: prevHash, hash: entryHash(prevHash, content),
  }).execute();
}

/** A stored row as the entry the admin views show, with its seq. */
function entryOf(r: Selectable<AuditTable>): AuditEntry & { seq: number } {
  return {
    seq: Number(r.seq), id: r.id, at: r.at, userId: r.user_id, username: r.username, role: r.role,
    institutionId: r.institution_id, action: r.action as AuditAction, recordType: r.record_type, recordId: r.record_id,
    patientId: r.patient_id, outcome: r.outcome as AuditOutcome, clientIp: r.client_ip, requestId: r.request_id,
    detail: r.detail,
  };
}

export const auditRepo = {
  /** Appends an entry to the hash chain, in the caller's transaction or (given the database) in one of its own. */
  async append(db: Executor, e: AuditEntry): Promise<void> {
    if (db.isTransaction) await appendLinked(db as Tx, e);
    else await db.transaction().execute((tx) => appendLinked(tx, e));
  },

  async list(db: Executor, f: AuditFilter): Promise<{ items: Array<AuditEntry & { seq: number }>; total: number }> {
    let base = db.selectFrom('audit_log').where('institution_id', '=', f.institutionId);
    if (f.userId) base = base.where('user_id', '=', f.userId);
    if (f.action) base = base.where('action', '=', f.action);
    if (f.recordType) base = base.where('record_type', '=', f.recordType);
    if (f.patientId) base = base.where('patient_id', '=', f.patientId);
    if (f.outcome) base = base.where('outcome', '=', f.outcome);
    if (f.from) base = base.where('at', '>=', f.from);
    if (f.to) base = base.where('at', '<=', f.to);
    const [{ total } = { total: 0 }] = await base.select((eb) => eb.fn.countAll<number>().as('total')).execute();
    const rows = await base.selectAll().orderBy('seq', 'desc').limit(f.limit).offset(f.offset).execute();
    return {
      total: Number(total),
      items: rows.map(entryOf),
    };
  },

  /** One page of the log in seq order, after `afterSeq` (for `audit verify` and backups). */
  async chainPage(db: Executor, afterSeq: number, limit: number, upToSeq?: number): Promise<ChainRow[]> {
    let q = db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq);
    if (upToSeq !== undefined) q = q.where('seq', '<=', upToSeq);
    const rows = await q.orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({
      seq: Number(r.seq), chain: Number(r.chain), chainSeq: r.chain_seq === null ? null : Number(r.chain_seq),
      id: r.id, at: r.at, userId: r.user_id, username: r.username, role: r.role,
      institutionId: r.institution_id, action: r.action, recordType: r.record_type, recordId: r.record_id,
      patientId: r.patient_id, outcome: r.outcome, clientIp: r.client_ip, requestId: r.request_id, detail: r.detail,
      prevHash: r.prev_hash, hash: r.hash,
    }));
  },

  /** Each chain's last position so far (chain → chain_seq), the entries `audit verify` checks. */
  async chainHeads(db: Executor): Promise<Map<number, number>> {
    const rows = await db.selectFrom('audit_log').select((eb) => ['chain', eb.fn.max('chain_seq').as('head')]).groupBy('chain').execute();
    return new Map(rows.map((r) => [Number(r.chain), r.head === null ? 0 : Number(r.head)]));
  },

  /** The highest seq written so far (0 for an empty log). */
  async lastSeq(db: Executor): Promise<number> {
    const r = await db.selectFrom('audit_log').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return r ? Number(r.seq) : 0;
  },

  /**
   * Every entry about one patient, newest first, whichever institution's user made it, with a per-user summary.
   * The caller checks the patient is theirs.
   */
  async patientAccess(db: Executor, patientId: string, limit: number, offset: number): Promise<{
    items: Array<AuditEntry & { seq: number }>; total: number;
    byUser: Array<{ userId: string | null; username: string | null; role: string | null; institutionId: string | null; count: number; first: string; last: string }>;
  }> {
    const base = db.selectFrom('audit_log').where('patient_id', '=', patientId);
    const [{ total } = { total: 0 }] = await base.select((eb) => eb.fn.countAll<number>().as('total')).execute();
    const rows = await base.selectAll().orderBy('seq', 'desc').limit(limit).offset(offset).execute();
    const byUser = await base.select((eb) => ['user_id', 'username', 'role', 'institution_id', eb.fn.countAll<number>().as('count'), eb.fn.min('at').as('first'), eb.fn.max('at').as('last')])
      .groupBy(['user_id', 'username', 'role', 'institution_id']).orderBy('last', 'desc').execute();
    return {
      total: Number(total),
      items: rows.map(entryOf),
      byUser: byUser.map((u) => ({ userId: u.user_id, username: u.username, role: u.role, institutionId: u.institution_id, count: Number(u.count), first: String(u.first), last: String(u.last) })),
    };
  },
};
