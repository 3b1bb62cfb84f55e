import { z } from 'zod';
import {
  BREAK_GLASS_REASONS, breakGlassProblems, breakGlassUntil, COMMENT_MAX, grantStatus, JUSTIFICATION_MAX, purposeProblems,
  REVIEW_NOTE_MAX, SHARE_PURPOSE_MAX, shareEnd, shareTargetProblems, type GrantStatus,
} from '../domain/auth/access-grants.js';
import { AppError, type FieldIssue } from '../domain/errors.js';
import { accessGrantsRepo, type BreakGlassRow, type CommentRow, type ShareRow } from '../store/access-grants.repo.js';
import { casesRepo } from '../store/cases.repo.js';
import type { Executor } from '../store/db.js';
import { patientsRepo } from '../store/patients.repo.js';
import { basisDetail, resolveCaseRead } from './access.js';
import { audited } from './audit.js';
import { auth } from './auth.service.js';
import { isoNow, newId, type Actor, type Services } from './context.js';
import { notifyComment, notifyShareCreated } from './second-opinion-notices.js';

/** POST /cases/:id/shares: the recipient by code or id, an optional end (date or time), the purpose. */
export const shareInputSchema = z.strictObject({
  institutionCode: z.string().trim().min(1).max(40).optional(),
  institutionId: z.string().trim().min(1).max(64).optional(),
  until: z.string().trim().max(40).optional(),
  purpose: z.string().max(SHARE_PURPOSE_MAX * 2),
});
export type ShareInput = z.infer<typeof shareInputSchema>;

const breakGlassFields = {
  reasonCategory: z.enum(BREAK_GLASS_REASONS),
  justification: z.string().max(JUSTIFICATION_MAX),
  password: z.string().min(1, 'must not be empty: emergency access needs your password again').max(200),
};
/** POST /patients/:id/break-glass. */
export const breakGlassInputSchema = z.strictObject(breakGlassFields);
/** POST /break-glass/lookup: the institution and MRN instead of a patient id. */
export const breakGlassLookupSchema = z.strictObject({
  institutionCode: z.string().trim().min(1).max(40),
  mrn: z.string().trim().min(1).max(64),
  ...breakGlassFields,
});
/**
 * POST /cases/:id/second-opinion. A reviewer writes on their institution's share (`shareId` may be left out); the
 * owner institution replies on one share's thread, named by `shareId`.
 */
export const commentInputSchema = z.strictObject({
  body: z.string().trim().min(1, 'must not be empty').max(COMMENT_MAX),
  shareId: z.string().trim().min(1, 'must not be empty').max(64).optional(),
});
export type CommentInput = z.infer<typeof commentInputSchema>;
export const reviewInputSchema = z.strictObject({ note: z.string().trim().min(1, 'must not be empty: say what the review found').max(REVIEW_NOTE_MAX) });

export interface ShareView {
  id: string;
  caseId: string;
  patientId: string;
  ownerInstitution: string;
  institution: { id: string; code: string; name: string };
  purpose: string;
  createdAt: string;
  createdBy: string;
  until: string;
  revokedAt: string | null;
  status: GrantStatus;
}

/** One message of a share's second-opinion thread; `from` says whether the reviewers or the owner institution wrote it. */
export interface CommentView {
  id: string; shareId: string; caseId: string; author: string; institution: string; from: 'reviewer' | 'owner'; body: string; createdAt: string;
}

/** How long an ended share stays on the owner's overview of its second-opinion requests. */
export const OUTGOING_ENDED_DAYS = 30;

/** Where a share's thread stands: messages, how many are the reviewers' (the rest are the owner's replies), the last. */
export interface ThreadState {
  messages: number;
  opinions: number;
  last: { at: string; from: CommentView['from']; author: string } | null;
}

/** One of the owner institution's second-opinion requests, with its patient and where its thread stands. */
export interface OutgoingShareView extends ShareView, ThreadState {
  patient: { id: string; mrn: string; familyName: string; givenName: string };
  diagnosis: string | null;
}

/** A case shared with the actor's institution: no names, the diagnosis, and where its thread stands. */
export interface IncomingShareView extends ShareView, ThreadState {
  diagnosis: string | null;
}

export interface BreakGlassView {
  id: string;
  patientId: string;
  user: { name: string; username: string; institution: string };
  reasonCategory: string;
  justification: string;
  createdAt: string;
  until: string;
  status: GrantStatus;
  reviewedAt: string | null;
  reviewedBy: string | null;
  reviewNote: string | null;
}

function shareView(r: ShareRow, now: Date): ShareView {
  return {
    id: r.id, caseId: r.case_id, patientId: r.patient_id, ownerInstitution: r.owner_institution_name,
    institution: { id: r.institution_id, code: r.institution_code, name: r.institution_name }, purpose: r.purpose,
    createdAt: r.created_at, createdBy: r.created_by_name, until: r.until, revokedAt: r.revoked_at,
    status: grantStatus({ createdAt: r.created_at, until: r.until, revokedAt: r.revoked_at }, now),
  };
}

function commentView(r: CommentRow): CommentView {
  return {
    id: r.id, shareId: r.share_id, caseId: r.case_id, author: r.author_name, institution: r.institution_name,
    from: r.institution_id === r.share_institution_id ? 'reviewer' : 'owner', body: r.body, createdAt: r.created_at,
  };
}

/** A thread (one share's comments, oldest first) summed up. */
function threadState(thread: readonly CommentView[]): ThreadState {
  const last = thread.at(-1);
  return {
    messages: thread.length,
    opinions: thread.filter((c) => c.from === 'reviewer').length,
    last: last ? { at: last.createdAt, from: last.from, author: last.author } : null,
  };
}

function grantView(r: BreakGlassRow, now: Date): BreakGlassView {
  return {
    id: r.id, patientId: r.patient_id, user: { name: r.user_name, username: r.username, institution: r.user_institution_name },
    reasonCategory: r.reason_category, justification: r.justification, createdAt: r.created_at, until: r.until,
    status: grantStatus({ createdAt: r.created_at, until: r.until }, now),
    reviewedAt: r.reviewed_at, reviewedBy: r.reviewed_by_name, reviewNote: r.review_note,
  };
}

function invalid(issues: FieldIssue[]): AppError {
  return new AppError('validation', issues.map((i) => `${i.field}: ${i.message}`).join('; '), { issues });
}

async function ownCase(tx: Executor, actor: Actor, caseId: string) {
  const c = await casesRepo.get(tx, actor.institutionId, caseId);
  if (!c) throw new AppError('not_found', 'case not found', { field: 'id' });
  return c;
}

/** Creates a break-the-glass grant on a patient of another institution (inside the caller's audited transaction). */
async function declareBreakGlass(s: Services, tx: Executor, actor: Actor, patient: { id: string; institution_id: string }, input: { reasonCategory: string; justification: string }) {
  if (patient.institution_id === actor.institutionId) {
    throw new AppError('conflict', 'id: this patient belongs to your own institution: open the record as usual, no emergency access is needed', { field: 'id' });
  }
  const now = s.now();
  const id = newId();
  await accessGrantsRepo.insertGrant(tx, {
    id, user_id: actor.userId, institution_id: actor.institutionId, patient_id: patient.id, owner_institution_id: patient.institution_id,
    reason_category: input.reasonCategory, justification: input.justification.trim(), created_at: now.toISOString(), until: breakGlassUntil(now),
    reviewed_at: null, reviewed_by: null, review_note: null,
  });
  return grantView((await accessGrantsRepo.grant(tx, id))!, now);
}

/**
 * Second-opinion sharing and break-the-glass (issue #9 item 2). Creating, revoking, commenting and declaring are
 * audited writes; reading through a grant is audited by the read use cases (src/services/access.ts gives the basis).
 */
export const accessGrants = {
  /** Institutions of the consortium (the share form's list). */
  async institutions(s: Services) {
    return { items: await accessGrantsRepo.institutions(s.store.db) };
  },

  /** Shares one case of the actor's institution with another institution, until an end date, for a purpose. */
  async share(s: Services, actor: Actor, caseId: string, input: ShareInput): Promise<ShareView> {
    const now = s.now();
    const issues: FieldIssue[] = [...purposeProblems(input.purpose)];
    const end = shareEnd(input.until, now);
    if ('problem' in end) issues.push(end.problem);
    if (!input.institutionCode && !input.institutionId) issues.push({ field: 'institutionCode', message: 'is required: the institution to share with (or institutionId)' });
    if (issues.length) throw invalid(issues);
    return audited(s, actor, { action: 'create', recordType: 'case_share', recordId: null }, async (tx, note) => {
      const c = await ownCase(tx, actor, caseId);
      note.patientId = c.patientId;
      const field = input.institutionCode ? 'institutionCode' : 'institutionId';
      const target = input.institutionCode
        ? await accessGrantsRepo.institutionByCode(tx, input.institutionCode)
        : await accessGrantsRepo.institutionById(tx, input.institutionId!);
      if (!target) throw invalid([{ field, message: 'no such institution' }]);
      const same = shareTargetProblems(actor.institutionId, target.id);
      if (same.length) throw invalid(same.map((p) => ({ ...p, field })));
      const id = newId();
      note.recordId = id;
      note.detail = `case=${caseId} to=${target.code} until=${('until' in end ? end.until : '')}`;
      await accessGrantsRepo.insertShare(tx, {
        id, case_id: caseId, patient_id: c.patientId, owner_institution_id: actor.institutionId, institution_id: target.id,
        purpose: input.purpose.trim(), created_by: actor.userId, created_at: now.toISOString(), until: 'until' in end ? end.until : '',
        revoked_at: null, revoked_by: null,
      });
      const created = (await accessGrantsRepo.share(tx, id))!;
      await notifyShareCreated(s, tx, created, actor.userId);
      return shareView(created, now);
    });
  },

  /** The shares of one case of the actor's institution, with the comments received on each. */
  async sharesOfCase(s: Services, actor: Actor, caseId: string): Promise<{ items: Array<ShareView & { comments: CommentView[] }> }> {
    return audited(s, actor, { action: 'read', recordType: 'case_share', recordId: caseId }, async (tx, note) => {
      const c = await ownCase(tx, actor, caseId);
      note.patientId = c.patientId;
      const now = s.now();
      const comments = (await accessGrantsRepo.comments(tx, caseId)).map(commentView);
      const items = (await accessGrantsRepo.sharesOfCase(tx, caseId)).map((r) => ({ ...shareView(r, now), comments: comments.filter((x) => x.shareId === r.id) }));
      note.detail = `shares=${items.length}`;
      return { items };
    });
  },

  /** Ends a share early (owner institution only; a share already revoked is a conflict). */
  async revoke(s: Services, actor: Actor, shareId: string): Promise<ShareView> {
    return audited(s, actor, { action: 'update', recordType: 'case_share', recordId: shareId }, async (tx, note) => {
      const before = await accessGrantsRepo.share(tx, shareId);
      if (!before || before.owner_institution_id !== actor.institutionId) throw new AppError('not_found', 'share not found', { field: 'id' });
      note.patientId = before.patient_id;
      if (!await accessGrantsRepo.revokeShare(tx, shareId, actor.institutionId, actor.userId, isoNow(s))) {
        throw new AppError('conflict', 'id: this share is already revoked', { field: 'id' });
      }
      note.detail = 'revoked';
      return shareView((await accessGrantsRepo.share(tx, shareId))!, s.now());
    });
  },

  /**
   * The institution's second-opinion requests: its active shares and those that ended in the last
   * OUTGOING_ENDED_DAYS days, each with its patient and the state of its thread. Active ones first, then the most
   * recent activity (last message, else the share itself).
   */
  async outgoing(s: Services, actor: Actor): Promise<{ items: OutgoingShareView[] }> {
    return audited(s, actor, { action: 'search', recordType: 'case_share' }, async (tx, note) => {
      const now = s.now();
      const rows = await accessGrantsRepo.sharesBy(tx, actor.institutionId, new Date(now.getTime() - OUTGOING_ENDED_DAYS * 86_400_000).toISOString());
      const comments = (await accessGrantsRepo.commentsOfShares(tx, rows.map((r) => r.id))).map(commentView);
      const items = rows.map((r): OutgoingShareView => {
        return {
          ...shareView(r, now),
          patient: { id: r.patient_id, mrn: r.mrn, familyName: r.family_name, givenName: r.given_name },
          diagnosis: r.diagnosis_summary,
          ...threadState(comments.filter((c) => c.shareId === r.id)),
        };
      });
      const activity = (v: OutgoingShareView) => v.last?.at ?? v.createdAt;
      items.sort((a, b) => Number(b.status === 'active') - Number(a.status === 'active') || activity(b).localeCompare(activity(a)) || a.id.localeCompare(b.id));
      note.detail = `outgoing results=${items.length}`;
      return { items };
    });
  },

  /** Cases shared with the actor's institution, active now (no names: the diagnosis and who shared, for what, until when). */
  async incoming(s: Services, actor: Actor): Promise<{ items: IncomingShareView[] }> {
    return audited(s, actor, { action: 'search', recordType: 'case_share' }, async (tx, note) => {
      const now = s.now();
      const rows = (await accessGrantsRepo.openSharesFor(tx, actor.institutionId, now.toISOString()))
        .map((r) => shareView(r, now)).filter((v) => v.status === 'active');
      const comments = (await accessGrantsRepo.commentsOfShares(tx, rows.map((v) => v.id))).map(commentView);
      const items = [];
      for (const v of rows) {
        const p = await tx.selectFrom('patients').select(['diagnosis_summary']).where('id', '=', v.patientId).executeTakeFirst();
        items.push({ ...v, diagnosis: p?.diagnosis_summary ?? null, ...threadState(comments.filter((c) => c.shareId === v.id)) });
      }
      note.detail = `results=${items.length}`;
      return { items };
    });
  },

  /** Second-opinion threads of a case: the owner sees all; a reviewer sees their own institution's (with the owner's replies). */
  async comments(s: Services, actor: Actor, caseId: string): Promise<{ items: CommentView[] }> {
    return audited(s, actor, { action: 'read', recordType: 'second_opinion_comment', recordId: caseId }, async (tx, note) => {
      const access = await resolveCaseRead(s, tx, actor, caseId);
      if (!access) throw new AppError('not_found', 'case not found', { field: 'id' });
      note.detail = basisDetail(access.basis);
      note.patientId = (await accessGrantsRepo.caseOwner(tx, caseId))?.patient_id ?? null;
      const rows = await accessGrantsRepo.comments(tx, caseId, access.basis === 'own' ? undefined : actor.institutionId);
      return { items: rows.map(commentView) };
    });
  },

  /**
   * A message on a share's second-opinion thread: a reviewer's opinion on a case shared with their institution, or
   * the owner institution's reply to one share's reviewers. The only write another institution may make, kept in its
   * own table (the case record itself is never changed by a reviewer). A thread takes messages while its share is
   * active; emergency access is read-only.
   */
  async addComment(s: Services, actor: Actor, caseId: string, input: CommentInput): Promise<CommentView> {
    return audited(s, actor, { action: 'create', recordType: 'second_opinion_comment' }, async (tx, note) => {
      const access = await resolveCaseRead(s, tx, actor, caseId);
      if (!access) throw new AppError('not_found', 'case not found', { field: 'id' });
      note.patientId = (await accessGrantsRepo.caseOwner(tx, caseId))?.patient_id ?? null;
      let shareId: string;
      let share: ShareRow | undefined;
      if (access.basis === 'own') {
        if (!input.shareId) throw invalid([{ field: 'shareId', message: 'name the share whose reviewers you are replying to' }]);
        share = await accessGrantsRepo.share(tx, input.shareId);
        if (!share || share.case_id !== caseId) throw invalid([{ field: 'shareId', message: 'not a share of this case' }]);
        if (grantStatus({ createdAt: share.created_at, until: share.until, revokedAt: share.revoked_at }, s.now()) !== 'active') {
          throw new AppError('conflict', 'shareId: this share has ended, so its reviewers can no longer read a reply', { field: 'shareId' });
        }
        shareId = share.id;
      } else if (access.grant?.kind === 'share') {
        if (input.shareId && input.shareId !== access.grant.id) throw invalid([{ field: 'shareId', message: 'not your institution\'s share of this case' }]);
        shareId = access.grant.id;
      } else {
        throw new AppError('conflict', 'id: emergency access is read-only', { field: 'id' });
      }
      const id = newId();
      note.recordId = id;
      note.detail = access.basis === 'own' ? `reply on share ${shareId}` : basisDetail(access.basis);
      await accessGrantsRepo.insertComment(tx, {
        id, share_id: shareId, case_id: caseId, institution_id: actor.institutionId, author_id: actor.userId, body: input.body.trim(), created_at: isoNow(s),
      });
      // The thread as it now stands: the message just written, and (for a reply) the reviewers to tell.
      const thread = await accessGrantsRepo.commentsOfShares(tx, [shareId]);
      const written = thread.find((c) => c.id === id)!;
      await notifyComment(s, tx, share ?? (await accessGrantsRepo.share(tx, shareId))!, written, thread);
      return commentView(written);
    });
  },

  /** Break-the-glass on a patient by id: the password again, a reason category and a justification; read-only for 4 hours. */
  async breakGlass(s: Services, actor: Actor, patientId: string, input: z.infer<typeof breakGlassInputSchema>): Promise<BreakGlassView> {
    const problems = breakGlassProblems(input);
    if (problems.length) throw invalid(problems);
    await auth.reauthenticate(s, actor, input.password, 'emergency access');
    return audited(s, actor, { action: 'create', recordType: 'break_glass', patientId }, async (tx, note) => {
      const owner = await accessGrantsRepo.patientOwner(tx, patientId);
      if (!owner) throw new AppError('not_found', 'patient not found', { field: 'id' });
      const g = await declareBreakGlass(s, tx, actor, { id: patientId, institution_id: owner }, input);
      note.recordId = g.id;
      note.detail = `reason=${input.reasonCategory}`;
      return g;
    });
  },

  /**
   * Break-the-glass by institution code and MRN (a clinician elsewhere has no id to start from): when the MRN exists
   * there, the grant is created and the patient id returned; otherwise 404 naming `mrn`. Audited either way.
   */
  async lookup(s: Services, actor: Actor, input: z.infer<typeof breakGlassLookupSchema>): Promise<BreakGlassView> {
    const problems = breakGlassProblems(input);
    if (problems.length) throw invalid(problems);
    await auth.reauthenticate(s, actor, input.password, 'emergency access');
    return audited(s, actor, { action: 'create', recordType: 'break_glass' }, async (tx, note) => {
      note.detail = `lookup institution=${input.institutionCode}`;
      const p = await accessGrantsRepo.patientByMrn(tx, input.institutionCode, input.mrn);
      if (!p) throw new AppError('not_found', 'mrn: no patient with this MRN at that institution', { field: 'mrn' });
      note.patientId = p.id;
      const g = await declareBreakGlass(s, tx, actor, p, input);
      note.recordId = g.id;
      note.detail = `reason=${input.reasonCategory} lookup institution=${input.institutionCode}`;
      return g;
    });
  },

  /**
   * Break-the-glass events on the admin's institution's patients, newest first, each with what its holder read during
   * the grant (from the audit log). Itself an audited read.
   */
  async report(s: Services, actor: Actor, page: { limit: number; offset: number }) {
    return audited(s, actor, { action: 'read', recordType: 'break_glass_report' }, async (tx, note) => {
      const now = s.now();
      const { items, total } = await accessGrantsRepo.grantsOnInstitution(tx, actor.institutionId, page.limit, page.offset);
      const out = [];
      for (const g of items) {
        const p = await patientsRepo.get(tx, actor.institutionId, g.patient_id);
        const reads = (await accessGrantsRepo.readsDuring(tx, g)).map((r) => ({
          at: r.at, action: r.action, recordType: r.record_type, recordId: r.record_id, outcome: r.outcome, detail: r.detail,
        }));
        out.push({ ...grantView(g, now), patient: p ? { id: p.id, mrn: p.mrn, name: `${p.familyName}, ${p.givenName}` } : null, reads });
      }
      note.detail = `entries=${total}`;
      return { items: out, total };
    });
  },

  /** Marks a break-the-glass event reviewed, with the reviewer's note (once; the owner institution's admin). */
  async review(s: Services, actor: Actor, grantId: string, reviewNote: string): Promise<BreakGlassView> {
    return audited(s, actor, { action: 'update', recordType: 'break_glass', recordId: grantId }, async (tx, note) => {
      const g = await accessGrantsRepo.grant(tx, grantId);
      if (!g || g.owner_institution_id !== actor.institutionId) throw new AppError('not_found', 'break-the-glass event not found', { field: 'id' });
      note.patientId = g.patient_id;
      if (!await accessGrantsRepo.reviewGrant(tx, grantId, actor.institutionId, actor.userId, reviewNote.trim(), isoNow(s))) {
        throw new AppError('conflict', 'id: this event is already reviewed', { field: 'id' });
      }
      note.detail = 'reviewed';
      return grantView((await accessGrantsRepo.grant(tx, grantId))!, s.now());
    });
  },
};
