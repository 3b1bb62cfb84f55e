import { AppError } from '../domain/errors.js';
import { inTransaction, type Tx } from '../store/db.js';
import { auditRepo, type AuditAction, type AuditEntry } from '../store/audit.repo.js';
import { isoNow, newId, type Actor, type Services } from './context.js';

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
 */
export async function audited<T>(s: Services, actor: Actor | null, note: AuditNote, fn: (tx: Tx, note: AuditNote) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(s.store.db, async (tx) => {
      const result = await fn(tx, note);
      await auditRepo.append(tx, entry(s, actor, note, 'success'));
      return result;
    });
  } catch (err) {
    const outcome = err instanceof AppError && (err.code === 'not_found' || err.code === 'forbidden') ? 'denied' : 'error';
    await auditRepo.append(s.store.db, entry(s, actor, { ...note, detail: err instanceof AppError ? err.code : 'internal' }, outcome));
    throw err;
  }
}

/** An audit entry on its own (login, logout, failed login). */
export async function auditOnly(s: Services, actor: Actor | null, note: AuditNote, outcome: AuditEntry['outcome'] = 'success'): Promise<void> {
  await auditRepo.append(s.store.db, entry(s, actor, note, outcome));
}
