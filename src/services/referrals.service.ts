import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../domain/errors.js';
import { checkAttachment, safeFilename } from '../domain/files/signature.js';
import { RECORD_ITEMS, recordsChecklist, recordsReadiness } from '../domain/referrals/records.js';
import { travelNextDue, referralOrigin } from '../domain/referrals/travel.js';
import { turnaround } from '../domain/referrals/turnaround.js';
import {
  CLOSING_STATUSES, REFERRAL_TRANSITIONS, type PublicReferralInput, type RecordStatus, type ReferralStatus,
  type StaffReferralInput, type TravelPlan, type TriageInput,
} from '../domain/referrals/types.js';
import { duplicateSearchTokens, findDuplicateCandidates } from '../domain/registry/duplicates.js';
import type { TumorFamily } from '../domain/coding/morphology.js';
import { escapeLike } from '../domain/text.js';
import { inTransaction, isUniqueViolation, type Tx } from '../store/db.js';
import { auditRepo } from '../store/audit.repo.js';
import type { StagedFile } from '../store/files.js';
import { groupCommitter } from '../store/group-commit.js';
import { casesRepo } from '../store/cases.repo.js';
import { patientsRepo } from '../store/patients.repo.js';
import { caseRecordsRepo, referralSearchText, referralsRepo, type ReferralFilter, type ReferralRow } from '../store/referrals.repo.js';
import { institutionsRepo } from '../store/users.repo.js';
import { audited } from './audit.js';
import { isoNow, newId, programConfig, type Actor, type Services } from './context.js';
import { notifyReferral } from './referral-notices.js';

/**
 * A file sent with a referral, before it is checked: either in memory (`bytes`) or streamed by the route into a
 * temp file of the file store (`staged`: size, hash and first bytes known, nothing in the store until commit).
 */
export type IncomingFile = { filename: string; declaredType: string } & ({ bytes: Buffer; staged?: undefined } | { staged: StagedFile; bytes?: undefined });

type CheckedFile = IncomingFile & { contentType: string };
/** A checked file that is durable in the file store (fsynced, under its hash) before its row is written. */
interface StoredFile { filename: string; contentType: string; size: number; sha256: string }

const OPEN = (s: ReferralStatus) => !['presented', 'declined', 'redirected'].includes(s);

function newReference(now: Date): string {
  // 30 bits of randomness in Crockford-like base32: short enough to read on the phone, unique by constraint.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(6);
  let code = '';
  for (let i = 0; i < 6; i++) code += alphabet[bytes[i]! % 32];
  return `REF-${now.getUTCFullYear()}-${code}`;
}

/** A birth date after today is a typing error: say so on the field (the clock is the service's). */
function checkBirthDate(s: Services, birthDate: string): void {
  if (birthDate > s.now().toISOString().slice(0, 10)) {
    throw new AppError('validation', 'patient.birthDate: is in the future', { issues: [{ field: 'patient.birthDate', message: 'is in the future' }] });
  }
}

/** Checks every file by its content (not its name) before anything is stored: all or nothing. */
function checkFiles(s: Services, files: IncomingFile[]): CheckedFile[] {
  const max = programConfig(s).attachmentMaxBytes;
  return files.map((f, i) => {
    const size = f.staged ? f.staged.size : f.bytes.length;
    const head = f.staged ? f.staged.head.subarray(0, 16) : f.bytes.subarray(0, 16);
    const res = checkAttachment({ filename: f.filename, declaredType: f.declaredType, size, head }, max);
    if (!res.ok) throw new AppError('validation', `attachments[${i}]: ${res.message}`, { issues: [{ field: `attachments[${i}]`, message: res.message }] });
    return { ...f, filename: safeFilename(f.filename), contentType: res.contentType };
  });
}

/**
 * Makes the checked files durable in the file store (in parallel, each fsynced and renamed into place) before any
 * row names them: a committed attachment row always has its file. A crash in between leaves an unreferenced file.
 */
async function storeFiles(s: Services, files: CheckedFile[]): Promise<StoredFile[]> {
  return Promise.all(files.map(async (f) => ({
    filename: f.filename, contentType: f.contentType,
    size: f.staged ? f.staged.size : f.bytes.length,
    sha256: f.staged ? await f.staged.commit() : await s.files!.put(f.bytes),
  })));
}

async function programInstitutionId(s: Services): Promise<string> {
  const code = programConfig(s).publicInstitutionCode;
  const inst = code ? await institutionsRepo.findByCode(s.store.db, code) : (await s.store.db.selectFrom('institutions').select('id').orderBy('created_at').orderBy('id').executeTakeFirst());
  if (!inst) throw new AppError('unavailable', 'the program is not set up to receive referrals yet');
  return inst.id;
}

interface NewReferral {
  institutionId: string;
  input: PublicReferralInput | StaffReferralInput;
  channel: 'staff' | 'physician' | 'family';
  origin: string;
  referrerUserId: string | null;
  idempotencyKey: string | null;
  files: StoredFile[];
}

async function insertReferral(s: Services, tx: Tx, r: NewReferral, byUserId: string | null): Promise<{ id: string; reference: string }> {
  const now = s.now();
  const at = now.toISOString();
  const id = newId();
  const reference = newReference(now);
  const { input } = r;
  await referralsRepo.insert(tx, {
    id, institution_id: r.institutionId, reference, idempotency_key: r.idempotencyKey, status: 'received',
    channel: r.channel, origin: r.origin, urgency: input.urgency,
    patient: JSON.stringify({ ...input.patient, interpreterNeeded: input.interpreterNeeded, travelNeeded: input.travelNeeded }),
    referrer: JSON.stringify(input.referrer), referrer_user_id: r.referrerUserId, diagnosis_text: input.diagnosisText ?? null,
    question: input.question ?? null, consent_to_share: input.consentToShare ? 1 : 0, preferred_language: input.preferredLanguage,
    assigned_to: null, patient_id: null, case_id: null, suspected_family: null, outcome_reason: null,
    search_text: referralSearchText(input.patient, input.referrer, reference, input.diagnosisText),
    triaged_at: null, records_complete_at: null, scheduled_at: null, closed_at: null, created_at: at,
  });
  await referralsRepo.addEvent(tx, { id: newId(), referralId: id, status: 'received', at, byUserId, note: null });
  for (const f of r.files) {
    await referralsRepo.addAttachment(tx, { id: newId(), referral_id: id, filename: f.filename, content_type: f.contentType, size_bytes: f.size, sha256: f.sha256, kind: 'report', created_at: at });
  }
  await notifyReferral(s, tx, { id, institutionId: r.institutionId, reference, language: input.preferredLanguage, referrerEmail: input.referrer.email ?? null, patient: input.patient }, 'referral_received', null);
  return { id, reference };
}

/**
 * The transaction of one public intake. SQLite (one connection, one writer, one fsync per commit) gets group commit:
 * concurrent submissions share a transaction and its durable commit, each in its own savepoint. PostgreSQL keeps a
 * transaction per request: its pool runs them in parallel and it already groups concurrent WAL flushes; a batch on
 * one connection would serialize every statement's round trip (measured: no gain on loopback, a loss when the
 * database is across a network).
 */
function intakeTransaction<T>(s: Services, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return s.store.dialect === 'sqlite' ? groupCommitter(s.store.db).run(fn) : inTransaction(s.store.db, fn);
}

export const referrals = {
  /**
   * The public form (no login). The idempotency key is a unique column: a double submit or a retried request
   * creates one referral, and the replay gets the same id back. The honeypot field quietly drops spam.
   *
   * Attachments are made durable first; then the referral, its event, attachment and outbox rows and its audit
   * entry are written in one transaction; on SQLite that is one unit of a group commit (store/group-commit.ts):
   * submissions arriving together share one transaction and one durable commit, each in its own savepoint, and
   * each is answered only after that commit.
   */
  async submitPublic(s: Services, input: PublicReferralInput, files: IncomingFile[], idempotencyKey: string | null, meta: { clientIp: string | null; requestId: string | null; referrerActor?: Actor | undefined }): Promise<{ id: string; reference: string; status: string; replay: boolean }> {
    const system = { action: 'create' as const, recordType: 'referral' };
    if (input.website && input.website.trim() !== '') {
      await auditRepo.append(s.store.db, { id: newId(), at: isoNow(s), userId: null, username: null, role: null, institutionId: null, ...system, recordId: null, patientId: null, outcome: 'denied', clientIp: meta.clientIp, requestId: meta.requestId, detail: 'honeypot' });
      return { id: newId(), reference: newReference(s.now()), status: 'received', replay: false };
    }
    if (idempotencyKey) {
      const prior = await referralsRepo.findByIdempotencyKey(s.store.db, idempotencyKey);
      if (prior) return { id: prior.id, reference: prior.reference, status: prior.status, replay: true };
    }
    checkBirthDate(s, input.patient.birthDate);
    const checked = checkFiles(s, files);
    const institutionId = await programInstitutionId(s);
    const channel = ['physician', 'nurse'].includes(input.referrer.role) ? 'physician' : 'family';
    const origin = referralOrigin(input.patient.homeCountry, 'United States', false);
    const stored = await storeFiles(s, checked);
    try {
      return await intakeTransaction(s, async (tx) => {
        const created = await insertReferral(s, tx, { institutionId, input, channel, origin, referrerUserId: meta.referrerActor?.role === 'referrer' ? meta.referrerActor.userId : null, idempotencyKey, files: stored }, meta.referrerActor?.userId ?? null);
        await auditRepo.append(tx, { id: newId(), at: isoNow(s), userId: meta.referrerActor?.userId ?? null, username: meta.referrerActor?.username ?? null, role: meta.referrerActor?.role ?? null, institutionId, ...system, recordId: created.id, patientId: null, outcome: 'success', clientIp: meta.clientIp, requestId: meta.requestId, detail: `channel=${channel} attachments=${stored.length}` });
        return { ...created, status: 'received', replay: false };
      });
    } catch (err) {
      // Two submissions with one key raced (in one batch or in two): the loser's insert hit the unique constraint and
      // its savepoint was rolled back; it is answered after the winner's commit, so the lookup finds the winner.
      if (idempotencyKey && isUniqueViolation(err)) {
        const prior = await referralsRepo.findByIdempotencyKey(s.store.db, idempotencyKey);
        if (prior) return { id: prior.id, reference: prior.reference, status: prior.status, replay: true };
      }
      throw err;
    }
  },

  async createStaff(s: Services, actor: Actor, input: StaffReferralInput, files: IncomingFile[] = []): Promise<ReferralDetail> {
    checkBirthDate(s, input.patient.birthDate);
    const checked = checkFiles(s, files);
    const stored = await storeFiles(s, checked);
    const id = await audited(s, actor, { action: 'create', recordType: 'referral' }, async (tx, note) => {
      const created = await insertReferral(s, tx, { institutionId: actor.institutionId, input, channel: 'staff', origin: input.origin, referrerUserId: null, idempotencyKey: null, files: stored }, actor.userId);
      note.recordId = created.id;
      return created.id;
    });
    return this.get(s, actor, id);
  },

  async list(s: Services, actor: Actor, f: ReferralFilter & { overdue?: boolean | undefined }) {
    return audited(s, actor, { action: 'search', recordType: 'referral' }, async (tx, note) => {
      const now = s.now();
      // Overdue is computed from the clocks, so that filter pages in memory over the open referrals.
      const page = f.overdue ? { ...f, open: true, limit: 2000, offset: 0 } : f;
      const res = await referralsRepo.list(tx, actor.institutionId, page);
      let items = res.items.map((r) => summary(r, now));
      let total = res.total;
      if (f.overdue) {
        items = items.filter((i) => i.overdue);
        total = items.length;
        items = items.slice(f.offset, f.offset + f.limit);
      }
      note.detail = `query_length=${(f.q ?? '').length} results=${total}`;
      return { items, total };
    });
  },

  async mine(s: Services, actor: Actor) {
    return audited(s, actor, { action: 'search', recordType: 'referral' }, async (tx, note) => {
      const res = await referralsRepo.list(tx, actor.institutionId, { referrerUserId: actor.userId, limit: 200, offset: 0 });
      note.detail = `own results=${res.total}`;
      return {
        items: res.items.map((r) => ({
          id: r.id, reference: r.reference, status: r.status, createdAt: r.createdAt, updatedAt: r.updatedAt,
          patientInitials: `${r.patient.givenName.slice(0, 1)}. ${r.patient.familyName.slice(0, 1)}.`,
        })),
      };
    });
  },

  async get(s: Services, actor: Actor, id: string): Promise<ReferralDetail> {
    return audited(s, actor, { action: 'read', recordType: 'referral', recordId: id }, async (tx, note) => {
      const r = await requireReferral(tx, actor, id);
      note.patientId = r.patientId;
      return detail(s, tx, r);
    });
  },

  async triage(s: Services, actor: Actor, id: string, version: number, input: TriageInput): Promise<ReferralDetail> {
    return audited(s, actor, { action: 'update', recordType: 'referral', recordId: id }, async (tx, note) => {
      const r = await requireReferral(tx, actor, id);
      if (r.status !== 'received') throw new AppError('conflict', `status: only a received referral can be triaged (this one is ${r.status})`, { field: 'status' });
      const now = isoNow(s);
      let patientId: string;
      if (input.patient.action === 'link') {
        const p = await patientsRepo.get(tx, actor.institutionId, input.patient.patientId);
        if (!p) throw new AppError('validation', 'patient.patientId: no such patient', { field: 'patient.patientId' });
        patientId = p.id;
      } else {
        const sex = input.patient.sex ?? r.patient.sex;
        if (!sex) throw new AppError('validation', 'patient.sex: the referral does not say; choose it to create the patient', { field: 'patient.sex' });
        patientId = newId();
        try {
          await patientsRepo.insert(tx, {
            id: patientId, institutionId: actor.institutionId, now, createdBy: actor.userId,
            input: {
              mrn: input.patient.mrn, familyName: r.patient.familyName, givenName: r.patient.givenName, birthDate: r.patient.birthDate,
              sex, preferredLanguage: r.preferredLanguage, interpreterNeeded: r.patient.interpreterNeeded ?? false,
              homeCountry: r.patient.homeCountry, guardians: [],
            },
          });
        } catch (err) {
          if (isUniqueViolation(err)) throw new AppError('conflict', 'patient.mrn: a patient with this MRN already exists (link to it instead)', { field: 'patient.mrn' });
          throw err;
        }
      }
      if (input.assignedTo) await requireAssignee(tx, actor, input.assignedTo);
      const caseId = newId();
      await casesRepo.insert(tx, {
        id: caseId, institution_id: actor.institutionId, patient_id: patientId, tumor_id: null, status: 'referred',
        question: r.question, urgent: input.urgency === 'urgent' ? 1 : 0, created_at: now, eventId: newId(), byUserId: actor.userId,
      });
      await caseRecordsRepo.insertMany(tx, caseId, recordsChecklist(input.suspectedFamily as TumorFamily | undefined).map((i) => ({ id: newId(), item: i.item, required: i.required })), now, actor.userId);
      await tx.updateTable('patients').set({ case_status: 'referred' }).where('id', '=', patientId).execute();
      const ok = await referralsRepo.update(tx, actor.institutionId, id, version, {
        status: 'triaged', urgency: input.urgency, assigned_to: input.assignedTo ?? actor.userId, patient_id: patientId,
        case_id: caseId, suspected_family: input.suspectedFamily ?? null, triaged_at: now,
      }, now);
      if (!ok) throw new AppError('stale', `referral was changed by someone else (now version ${r.version})`, { field: 'If-Match' });
      await referralsRepo.addEvent(tx, { id: newId(), referralId: id, status: 'triaged', at: now, byUserId: actor.userId, note: input.note ?? null });
      note.patientId = patientId;
      note.detail = `status=received->triaged patient=${input.patient.action}`;
      const updated = (await referralsRepo.get(tx, actor.institutionId, id))!;
      await notifyReferral(s, tx, referralNoticeOf(updated), 'referral_status_changed', updated.assignedTo);
      return detail(s, tx, updated);
    });
  },

  async changeStatus(s: Services, actor: Actor, id: string, version: number, to: ReferralStatus, reason?: string, text?: string): Promise<ReferralDetail> {
    return audited(s, actor, { action: 'update', recordType: 'referral', recordId: id }, async (tx, note) => {
      const r = await requireReferral(tx, actor, id);
      note.patientId = r.patientId;
      if (to === 'triaged') throw new AppError('conflict', 'status: use triage to link the patient and open the case', { field: 'status' });
      if (!REFERRAL_TRANSITIONS[r.status].includes(to)) {
        throw new AppError('conflict', `status: cannot move from ${r.status} to ${to} (allowed: ${REFERRAL_TRANSITIONS[r.status].join(', ') || 'none'})`, { field: 'status' });
      }
      if (CLOSING_STATUSES.includes(to) && !reason?.trim()) throw new AppError('validation', `reason: say why the referral is ${to}`, { field: 'reason' });
      if (to === 'records_complete' && r.caseId) {
        const ready = recordsReadiness(await caseRecordsRepo.list(tx, r.caseId));
        if (!ready.complete) {
          throw new AppError('conflict', `status: records are not complete (waiting for ${ready.outstanding.map((o) => o.label).join(', ')})`, { field: 'status' });
        }
      }
      const now = isoNow(s);
      const ok = await referralsRepo.update(tx, actor.institutionId, id, version, {
        status: to,
        ...(to === 'records_complete' ? { records_complete_at: now } : {}),
        ...(to === 'scheduled' ? { scheduled_at: now } : {}),
        ...(CLOSING_STATUSES.includes(to) || to === 'presented' ? { closed_at: now } : {}),
        ...(CLOSING_STATUSES.includes(to) ? { outcome_reason: reason!.trim() } : {}),
      }, now);
      if (!ok) throw new AppError('stale', `referral was changed by someone else (now version ${r.version})`, { field: 'If-Match' });
      await referralsRepo.addEvent(tx, { id: newId(), referralId: id, status: to, at: now, byUserId: actor.userId, note: [reason?.trim(), text?.trim()].filter(Boolean).join(' — ') || null });
      note.detail = `status=${r.status}->${to}`;
      const updated = (await referralsRepo.get(tx, actor.institutionId, id))!;
      await notifyReferral(s, tx, referralNoticeOf(updated), 'referral_status_changed', updated.assignedTo, reason);
      return detail(s, tx, updated);
    });
  },

  async assign(s: Services, actor: Actor, id: string, version: number, assignedTo: string): Promise<ReferralDetail> {
    return audited(s, actor, { action: 'update', recordType: 'referral', recordId: id }, async (tx, note) => {
      const r = await requireReferral(tx, actor, id);
      note.patientId = r.patientId;
      await requireAssignee(tx, actor, assignedTo);
      const now = isoNow(s);
      if (!await referralsRepo.update(tx, actor.institutionId, id, version, { assigned_to: assignedTo }, now)) {
        throw new AppError('stale', `referral was changed by someone else (now version ${r.version})`, { field: 'If-Match' });
      }
      note.detail = 'assigned';
      const updated = (await referralsRepo.get(tx, actor.institutionId, id))!;
      await notifyReferral(s, tx, referralNoticeOf(updated), 'referral_assigned', assignedTo);
      return detail(s, tx, updated);
    });
  },

  async assignees(s: Services, actor: Actor) {
    const rows = await s.store.db.selectFrom('users').select(['id', 'display_name']).where('institution_id', '=', actor.institutionId)
      .where('active', '=', 1).where('role', 'in', ['coordinator', 'admin']).orderBy('display_name').execute();
    return { items: rows.map((r) => ({ id: r.id, displayName: r.display_name })) };
  },

  /** One checklist item; when the last required item is done, the referral moves to records complete by itself. */
  async updateRecord(s: Services, actor: Actor, caseId: string, item: string, version: number, status: RecordStatus, noteText?: string) {
    return audited(s, actor, { action: 'update', recordType: 'case_record', recordId: caseId }, async (tx, note) => {
      const c = await casesRepo.get(tx, actor.institutionId, caseId);
      if (!c) throw new AppError('not_found', 'case not found', { field: 'id' });
      note.patientId = c.patientId;
      const items = await caseRecordsRepo.list(tx, caseId);
      const current = items.find((i) => i.item === item);
      if (!current) throw new AppError('not_found', `item: no checklist item ${item} on this case`, { field: 'item' });
      const def = RECORD_ITEMS.find((d) => d.key === item);
      if (status === 'reviewed' && !def?.reviewedBy) throw new AppError('validation', `status: ${item} is received, not reviewed`, { field: 'status' });
      const now = isoNow(s);
      if (!await caseRecordsRepo.update(tx, caseId, item, version, status, noteText?.trim() || null, now, actor.userId)) {
        throw new AppError('stale', 'checklist item was changed by someone else', { field: 'If-Match' });
      }
      note.detail = `item=${item} status=${current.status}->${status}`;
      const after = await caseRecordsRepo.list(tx, caseId);
      const ready = recordsReadiness(after);
      const ref = await tx.selectFrom('referrals').select(['id', 'status', 'version']).where('case_id', '=', caseId).executeTakeFirst();
      if (ready.complete && ref && (ref.status === 'triaged' || ref.status === 'records_requested')) {
        await referralsRepo.update(tx, actor.institutionId, ref.id, ref.version, { status: 'records_complete', records_complete_at: now }, now);
        await referralsRepo.addEvent(tx, { id: newId(), referralId: ref.id, status: 'records_complete', at: now, byUserId: actor.userId, note: 'all required records received and reviewed' });
      } else if (!ready.complete && ref && ref.status === 'triaged' && (status === 'requested')) {
        await referralsRepo.update(tx, actor.institutionId, ref.id, ref.version, { status: 'records_requested' }, now);
        await referralsRepo.addEvent(tx, { id: newId(), referralId: ref.id, status: 'records_requested', at: now, byUserId: actor.userId, note: null });
      }
      return recordsView(after);
    });
  },

  async saveTravel(s: Services, actor: Actor, id: string, version: number | undefined, plan: TravelPlan): Promise<ReferralDetail> {
    return audited(s, actor, { action: 'update', recordType: 'travel_plan', recordId: id }, async (tx, note) => {
      const r = await requireReferral(tx, actor, id);
      note.patientId = r.patientId;
      const now = isoNow(s);
      const due = travelNextDue(plan, s.now()).due;
      const existing = await referralsRepo.getTravel(tx, id);
      if (!existing) {
        if (version !== undefined) throw new AppError('stale', 'there is no travel plan at that version yet', { field: 'If-Match' });
        await referralsRepo.insertTravel(tx, id, plan, due, now, actor.userId);
      } else {
        if (version === undefined) throw new AppError('precondition_required', 'If-Match: send the travel plan version you edited', { field: 'If-Match' });
        if (!await referralsRepo.updateTravel(tx, id, version, plan, due, now, actor.userId)) {
          throw new AppError('stale', `travel plan was changed by someone else (now version ${existing.version})`, { field: 'If-Match' });
        }
      }
      return detail(s, tx, r);
    });
  },

  async travelWorklist(s: Services, actor: Actor) {
    return audited(s, actor, { action: 'search', recordType: 'travel_plan' }, async (tx, note) => {
      const now = s.now();
      const rows = await referralsRepo.travelWorklist(tx, actor.institutionId);
      note.detail = `results=${rows.length}`;
      return {
        items: rows.map((r) => {
          const plan = JSON.parse(r.plan) as TravelPlan;
          const p = JSON.parse(r.patient) as { familyName: string; givenName: string; homeCountry: string };
          const due = travelNextDue(plan, now);
          return {
            referralId: r.id, reference: r.reference, patientName: `${p.familyName}, ${p.givenName}`, homeCountry: plan.homeCountry ?? p.homeCountry,
            arrivalDate: plan.arrivalDate ?? null, interpreterLanguage: plan.interpreterNeeded ? plan.interpreterLanguage ?? 'language not set' : null,
            nextDue: due.due, nextDueWhat: due.what, overdue: due.due !== null && due.due < now.toISOString().slice(0, 10),
          };
        }),
      };
    });
  },

  async attachment(s: Services, actor: Actor, id: string) {
    return audited(s, actor, { action: 'export', recordType: 'attachment', recordId: id }, async (tx, note) => {
      const a = await referralsRepo.attachment(tx, actor.institutionId, id);
      if (!a || (actor.role === 'referrer' && a.referrer_user_id !== actor.userId)) throw new AppError('not_found', 'attachment not found', { field: 'id' });
      note.patientId = a.patient_id;
      return { filename: a.filename, contentType: a.content_type, bytes: await s.files!.read(a.sha256) };
    });
  },
};

async function requireReferral(tx: Tx, actor: Actor, id: string): Promise<ReferralRow> {
  const r = await referralsRepo.get(tx, actor.institutionId, id);
  if (!r || (actor.role === 'referrer' && r.referrerUserId !== actor.userId)) throw new AppError('not_found', 'referral not found', { field: 'id' });
  return r;
}

async function requireAssignee(tx: Tx, actor: Actor, userId: string): Promise<void> {
  const u = await tx.selectFrom('users').select('id').where('id', '=', userId).where('institution_id', '=', actor.institutionId).where('active', '=', 1).executeTakeFirst();
  if (!u) throw new AppError('validation', 'assignedTo: no such active user in this institution', { field: 'assignedTo' });
}

function referralNoticeOf(r: ReferralRow) {
  return { id: r.id, institutionId: r.institutionId, reference: r.reference, language: r.preferredLanguage, referrerEmail: r.referrer.email ?? null, patient: r.patient, status: r.status };
}

function clocksOf(r: ReferralRow, now: Date) {
  return turnaround({ createdAt: r.createdAt, triagedAt: r.triagedAt, recordsCompleteAt: r.recordsCompleteAt, scheduledAt: r.scheduledAt, closedAt: r.closedAt, urgency: r.urgency, status: r.status }, now);
}

function summary(r: ReferralRow, now: Date) {
  const t = clocksOf(r, now);
  return {
    id: r.id, reference: r.reference, status: r.status, urgency: r.urgency, channel: r.channel, origin: r.origin,
    patientName: `${r.patient.familyName}, ${r.patient.givenName}`, birthDate: r.patient.birthDate, diagnosisText: r.diagnosisText,
    referrerName: r.referrer.name, assignedTo: r.assignedTo, assignedToName: r.assignedToName, createdAt: r.createdAt,
    updatedAt: r.updatedAt, overdue: OPEN(r.status) && t.overdue, clocks: t.clocks,
  };
}

const RECORD_ORDER = new Map<string, number>(RECORD_ITEMS.map((d, i) => [d.key, i]));

function recordsView(items: Awaited<ReturnType<typeof caseRecordsRepo.list>>) {
  const ready = recordsReadiness(items);
  const ordered = [...items].sort((a, b) => (RECORD_ORDER.get(a.item) ?? 99) - (RECORD_ORDER.get(b.item) ?? 99));
  return {
    items: ordered.map((i) => {
      const def = RECORD_ITEMS.find((d) => d.key === i.item);
      return { ...i, label: def?.label ?? i.item, category: def?.category ?? 'other', reviewedBy: def?.reviewedBy ?? null };
    }),
    complete: ready.complete,
    outstanding: ready.outstanding,
  };
}

export type ReferralDetail = Awaited<ReturnType<typeof detail>>;

async function detail(s: Services, tx: Tx, r: ReferralRow) {
  const now = s.now();
  const t = clocksOf(r, now);
  const travel = await referralsRepo.getTravel(tx, r.id);
  return {
    ...summary(r, now),
    patient: r.patient, referrer: r.referrer, question: r.question, consentToShare: r.consentToShare,
    preferredLanguage: r.preferredLanguage, interpreterNeeded: r.patient.interpreterNeeded ?? false, travelNeeded: r.patient.travelNeeded ?? false,
    patientId: r.patientId, caseId: r.caseId, suspectedFamily: r.suspectedFamily, outcomeReason: r.outcomeReason, version: r.version,
    timeline: await referralsRepo.timeline(tx, r.id),
    attachments: await referralsRepo.attachments(tx, r.id),
    duplicates: r.patientId ? [] : await duplicates(tx, r),
    allowedTransitions: REFERRAL_TRANSITIONS[r.status],
    clocks: t.clocks, overdue: OPEN(r.status) && t.overdue,
    records: r.caseId ? recordsView(await caseRecordsRepo.list(tx, r.caseId)) : null,
    travel: travel ? { ...travel.plan, version: travel.version, nextDue: (() => { const d = travelNextDue(travel.plan, now); return d.due ? { due: d.due, what: d.what } : null; })() } : null,
  };
}

/** Patients who may be the referred child: prefiltered in SQL (birth date, MRN, name token), scored in the domain. */
async function duplicates(tx: Tx, r: ReferralRow) {
  const token = duplicateSearchTokens(r.patient);
  let q = tx.selectFrom('patients').select(['id', 'mrn', 'family_name', 'given_name', 'birth_date']).where('institution_id', '=', r.institutionId);
  q = q.where((eb) => eb.or([
    eb('birth_date', '=', r.patient.birthDate),
    ...(r.patient.mrn ? [eb('mrn', '=', r.patient.mrn)] : []),
    ...(token ? [sql<boolean>`search_text like ${`%${escapeLike(token)}%`} escape '\\'`] : []),
  ]));
  const rows = await q.limit(200).execute();
  const found = findDuplicateCandidates(r.patient, rows.map((p) => ({ id: p.id, mrn: p.mrn, familyName: p.family_name, givenName: p.given_name, birthDate: p.birth_date })));
  const byId = new Map(rows.map((p) => [p.id, p]));
  return found.slice(0, 5).map((d) => {
    const p = byId.get(d.patientId)!;
    return { patientId: p.id, mrn: p.mrn, familyName: p.family_name, givenName: p.given_name, birthDate: p.birth_date, score: d.score, reasons: d.reasons };
  });
}
