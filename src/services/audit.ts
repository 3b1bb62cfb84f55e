import { AppError } from '../domain/errors.js';
import { inTransaction, type Tx } from '../store/db.js';
import { auditRepo, type AuditAction, type AuditEntry } from '../store/audit.repo.js';
import { groupCommitter } from '../store/group-commit.js';
import { isoNow, newId, type Actor, type Services } from './context.js';
import { claimKey, completeKey, IdempotentReplay, type IdempotencyContext } from './idempotency.js';

/** What a use case tells the audit log; it may fill in ids and detail as it learns them. */
export interface AuditNote {
  action: AuditAction;
  recordType: string;
  recordId?: string | null;
  patientId?: string | null;
  detail?: string | null;
}

function entry(s: Services, actor: Actor | null, note: AuditNote, outcome: AuditEntry['outcome']): AuditEntry {
  return {
    id: newId(), at: isoNow(s), userId: actor?.userId ?? null, username: actor?.username ?? null,
    role: actor?.role ?? null, institutionId: actor?.institutionId ?? null, action: note.action,
    recordType: note.recordType, recordId: note.recordId ?? null, patientId: note.patientId ?? null, outcome,
    clientIp: actor?.clientIp ?? null, requestId: actor?.requestId ?? null, detail: note.detail ?? null,
  };
}

/**
 * Runs a use case in one transaction and writes its audit entry in that same transaction (DESIGN.md §7): if the
 * audit write fails, the whole request fails. A refused or failed attempt (not found, stale, invalid) is audited
 * in its own transaction with outcome `denied` or `error`, then the error goes on to the caller.
 *
 * With `idem` (a create sent with an Idempotency-Key, src/services/idempotency.ts) the key is claimed at the start
 * of the transaction and the answer stored at its end; a key already answered throws {@link IdempotentReplay}.
 */
export async function audited<T>(s: Services, actor: Actor | null, note: AuditNote, fn: (tx: Tx, note: AuditNote) => Promise<T>, idem?: IdempotencyContext): Promise<T> {
  let replay: IdempotentReplay | undefined;
  try {
    const result = await unitOfWork(s, async (tx) => {
      // An Idempotency-Key is claimed first, so a concurrent request with the same key waits here for this one.
      replay = idem ? await claimKey(tx, idem, isoNow(s)) : undefined;
      if (replay) {
        // The replay hands the stored record back: audited as a read of it, nothing else is written.
        const id = (replay.body as { id?: unknown } | null)?.id;
        await auditRepo.append(tx, entry(s, actor, {
          ...note, action: 'read', recordId: typeof id === 'string' ? id : note.recordId ?? null,
          patientId: note.patientId ?? (note.recordType === 'patient' && typeof id === 'string' ? id : null), detail: 'idempotent_replay',
        }, 'success'));
        return undefined;
      }
      const result = await fn(tx, note);
      if (idem) await completeKey(tx, idem, result);
      await auditRepo.append(tx, entry(s, actor, note, 'success'));
      return result;
    });
    if (replay) throw replay;
    return result as T;
  } catch (err) {
    if (err instanceof IdempotentReplay) throw err;
    const outcome = err instanceof AppError && (err.code === 'not_found' || err.code === 'forbidden') ? 'denied' : 'error';
    await unitOfWork(s, (tx) => auditRepo.append(tx, entry(s, actor, { ...note, detail: err instanceof AppError ? err.code : 'internal' }, outcome)));
    throw err;
  }
}

/**
 * The transaction of one audited unit. SQLite has one connection, one writer and one WAL fsync per commit: units that
 * arrive together go through the group committer (src/store/group-commit.ts) and share one durable COMMIT, each in
 * its own savepoint with its own audit entry, each answered only after that COMMIT. PostgreSQL runs a transaction per
 * unit from its pool (it already groups concurrent WAL flushes).
 */
function unitOfWork<T>(s: Services, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return s.store.dialect === 'sqlite' ? groupCommitter(s.store.db).run(fn) : inTransaction(s.store.db, fn);
}

/** An audit entry on its own (login, logout, failed login). */
export async function auditOnly(s: Services, actor: Actor | null, note: AuditNote, outcome: AuditEntry['outcome'] = 'success'): Promise<void> {
  await auditRepo.append(s.store.db, entry(s, actor, note, outcome));
}
