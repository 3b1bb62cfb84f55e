import type { Executor } from './db.js';

export const AUDIT_ACTIONS = ['read', 'search', 'create', 'update', 'export', 'login', 'logout', 'login_failed'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_OUTCOMES = ['success', 'denied', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One audit entry: who, role, institution, what, which record (and patient), outcome, when, from where. */
export interface AuditEntry {
  id: string;
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  institutionId: string | null;
  action: AuditAction;
  recordType: string;
  recordId: string | null;
  patientId: string | null;
  outcome: AuditOutcome;
  clientIp: string | null;
  requestId: string | null;
  /** Non-identifying detail (e.g. the number of results, the fields changed). Never names or free text. */
  detail: string | null;
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

export const auditRepo = {
  async append(db: Executor, e: AuditEntry): Promise<void> {
    await db.insertInto('audit_log').values({
      id: e.id, at: e.at, user_id: e.userId, username: e.username, role: e.role, institution_id: e.institutionId,
      action: e.action, record_type: e.recordType, record_id: e.recordId, patient_id: e.patientId, outcome: e.outcome,
      client_ip: e.clientIp, request_id: e.requestId, detail: e.detail,
    }).execute();
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
      items: rows.map((r) => ({
        seq: Number(r.seq), id: r.id, at: r.at, userId: r.user_id, username: r.username, role: r.role,
        institutionId: r.institution_id, action: r.action as AuditAction, recordType: r.record_type, recordId: r.record_id,
        patientId: r.patient_id, outcome: r.outcome as AuditOutcome, clientIp: r.client_ip, requestId: r.request_id,
        detail: r.detail,
      })),
    };
  },
};
