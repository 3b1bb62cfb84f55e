import type { Executor } from './db.js';
import type { BreakGlassGrantTable, CaseShareTable, SecondOpinionCommentTable } from './schema.js';

/** A share with the names the pages show (institutions, who shared, who revoked). */
export interface ShareRow extends CaseShareTable {
  owner_institution_name: string;
  institution_name: string;
  institution_code: string;
  created_by_name: string;
}

/** A share of the owner institution with its patient (the owner's overview; names stay within the institution). */
export interface OwnShareRow extends ShareRow {
  mrn: string;
  family_name: string;
  given_name: string;
  diagnosis_summary: string | null;
}

/** A comment with its author's name and institution, and the institution its share went to (the reviewers'). */
export interface CommentRow extends SecondOpinionCommentTable {
  author_name: string;
  institution_name: string;
  share_institution_id: string;
}

/** A break-the-glass grant with the user's name and institution. */
export interface BreakGlassRow extends BreakGlassGrantTable {
  user_name: string;
  username: string;
  user_institution_name: string;
  reviewed_by_name: string | null;
}

function shares(db: Executor) {
  return db.selectFrom('case_shares')
    .innerJoin('institutions as owner', 'owner.id', 'case_shares.owner_institution_id')
    .innerJoin('institutions as target', 'target.id', 'case_shares.institution_id')
    .innerJoin('users', 'users.id', 'case_shares.created_by')
    .selectAll('case_shares')
    .select(['owner.name as owner_institution_name', 'target.name as institution_name', 'target.code as institution_code', 'users.display_name as created_by_name']);
}

function commentRows(db: Executor) {
  return db.selectFrom('second_opinion_comments')
    .innerJoin('users', 'users.id', 'second_opinion_comments.author_id')
    .innerJoin('institutions', 'institutions.id', 'second_opinion_comments.institution_id')
    .innerJoin('case_shares', 'case_shares.id', 'second_opinion_comments.share_id')
    .selectAll('second_opinion_comments')
    .select(['users.display_name as author_name', 'institutions.name as institution_name', 'case_shares.institution_id as share_institution_id']);
}

function grants(db: Executor) {
  return db.selectFrom('break_glass_grants')
    .innerJoin('users', 'users.id', 'break_glass_grants.user_id')
    .innerJoin('institutions', 'institutions.id', 'break_glass_grants.institution_id')
    .leftJoin('users as reviewer', 'reviewer.id', 'break_glass_grants.reviewed_by')
    .selectAll('break_glass_grants')
    .select(['users.display_name as user_name', 'users.username as username', 'institutions.name as user_institution_name', 'reviewer.display_name as reviewed_by_name']);
}

export const accessGrantsRepo = {
  /** The owner institution and patient of a case, whatever the institution (only for access resolution). */
  async caseOwner(db: Executor, caseId: string): Promise<{ institution_id: string; patient_id: string } | undefined> {
    return db.selectFrom('cases').select(['institution_id', 'patient_id']).where('id', '=', caseId).executeTakeFirst();
  },

  /** The owner institution of a patient, whatever the institution (only for access resolution). */
  async patientOwner(db: Executor, patientId: string): Promise<string | undefined> {
    return (await db.selectFrom('patients').select('institution_id').where('id', '=', patientId).executeTakeFirst())?.institution_id;
  },

  /** A patient id by institution code and MRN (the break-the-glass look-up). */
  async patientByMrn(db: Executor, institutionCode: string, mrn: string): Promise<{ id: string; institution_id: string } | undefined> {
    return db.selectFrom('patients').innerJoin('institutions', 'institutions.id', 'patients.institution_id')
      .select(['patients.id', 'patients.institution_id']).where('institutions.code', '=', institutionCode).where('patients.mrn', '=', mrn)
      .executeTakeFirst();
  },

  async institutionByCode(db: Executor, code: string): Promise<{ id: string; code: string; name: string } | undefined> {
    return db.selectFrom('institutions').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst();
  },

  async institutionById(db: Executor, id: string): Promise<{ id: string; code: string; name: string } | undefined> {
    return db.selectFrom('institutions').select(['id', 'code', 'name']).where('id', '=', id).executeTakeFirst();
  },

  async institutions(db: Executor): Promise<Array<{ id: string; code: string; name: string }>> {
    return db.selectFrom('institutions').select(['id', 'code', 'name']).orderBy('name').orderBy('id').execute();
  },

  async insertShare(db: Executor, row: CaseShareTable): Promise<void> {
    await db.insertInto('case_shares').values(row).execute();
  },

  async share(db: Executor, id: string): Promise<ShareRow | undefined> {
    return shares(db).where('case_shares.id', '=', id).executeTakeFirst();
  },

  async sharesOfCase(db: Executor, caseId: string): Promise<ShareRow[]> {
    return shares(db).where('case_shares.case_id', '=', caseId).orderBy('case_shares.created_at', 'desc').orderBy('case_shares.id').execute();
  },

  /**
   * Shares with `institutionId` that are not revoked and not past their end at `now`, optionally of one case or one
   * patient (the caller still applies `grantStatus`, which also needs the creation time).
   */
  async openSharesFor(db: Executor, institutionId: string, now: string, of: { caseId?: string; patientId?: string } = {}): Promise<ShareRow[]> {
    let q = shares(db).where('case_shares.institution_id', '=', institutionId).where('case_shares.revoked_at', 'is', null)
      .where('case_shares.until', '>', now);
    if (of.caseId) q = q.where('case_shares.case_id', '=', of.caseId);
    if (of.patientId) q = q.where('case_shares.patient_id', '=', of.patientId);
    return q.orderBy('case_shares.until').orderBy('case_shares.id').execute();
  },

  /** Compare-and-set revocation: only a share of the owner that is not yet revoked; false otherwise. */
  async revokeShare(db: Executor, id: string, ownerInstitutionId: string, by: string, now: string): Promise<boolean> {
    const res = await db.updateTable('case_shares').set({ revoked_at: now, revoked_by: by })
      .where('id', '=', id).where('owner_institution_id', '=', ownerInstitutionId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  async insertComment(db: Executor, row: SecondOpinionCommentTable): Promise<void> {
    await db.insertInto('second_opinion_comments').values(row).execute();
  },

  /**
   * Comments on a case, oldest first: the reviewers' and the owner's replies. With `recipientInstitutionId`, only the
   * threads of the shares to that institution (a reviewer sees their own institution's conversation, never another's).
   */
  async comments(db: Executor, caseId: string, recipientInstitutionId?: string): Promise<CommentRow[]> {
    let q = commentRows(db).where('second_opinion_comments.case_id', '=', caseId);
    if (recipientInstitutionId) q = q.where('case_shares.institution_id', '=', recipientInstitutionId);
    return q.orderBy('second_opinion_comments.created_at').orderBy('second_opinion_comments.id').execute();
  },

  /** The threads of some shares, oldest first (the owner's overview of its requests). */
  async commentsOfShares(db: Executor, shareIds: readonly string[]): Promise<CommentRow[]> {
    if (shareIds.length === 0) return [];
    return commentRows(db).where('second_opinion_comments.share_id', 'in', shareIds)
      .orderBy('second_opinion_comments.created_at').orderBy('second_opinion_comments.id').execute();
  },

  /**
   * The shares an institution made that were open at some time after `since` (active ones, and those that ended or
   * were revoked since), newest first, with their patient.
   */
  async sharesBy(db: Executor, ownerInstitutionId: string, since: string): Promise<OwnShareRow[]> {
    return shares(db).innerJoin('patients', 'patients.id', 'case_shares.patient_id')
      .select(['patients.mrn', 'patients.family_name', 'patients.given_name', 'patients.diagnosis_summary'])
      .where('case_shares.owner_institution_id', '=', ownerInstitutionId).where('case_shares.until', '>', since)
      .where((eb) => eb.or([eb('case_shares.revoked_at', 'is', null), eb('case_shares.revoked_at', '>', since)]))
      .orderBy('case_shares.created_at', 'desc').orderBy('case_shares.id').execute();
  },

  async insertGrant(db: Executor, row: BreakGlassGrantTable): Promise<void> {
    await db.insertInto('break_glass_grants').values(row).execute();
  },

  /** The user's break-the-glass grants on a patient not past their end at `now` (newest first). */
  async openGrantsFor(db: Executor, userId: string, patientId: string, now: string): Promise<BreakGlassRow[]> {
    return grants(db).where('break_glass_grants.user_id', '=', userId).where('break_glass_grants.patient_id', '=', patientId)
      .where('break_glass_grants.until', '>', now).orderBy('break_glass_grants.created_at', 'desc').orderBy('break_glass_grants.id').execute();
  },

  /** Break-the-glass grants on the patients of one institution, newest first. */
  async grantsOnInstitution(db: Executor, ownerInstitutionId: string, limit: number, offset: number): Promise<{ items: BreakGlassRow[]; total: number }> {
    const [{ total } = { total: 0 }] = await db.selectFrom('break_glass_grants').select((eb) => eb.fn.countAll<number>().as('total'))
      .where('owner_institution_id', '=', ownerInstitutionId).execute();
    const items = await grants(db).where('break_glass_grants.owner_institution_id', '=', ownerInstitutionId)
      .orderBy('break_glass_grants.created_at', 'desc').orderBy('break_glass_grants.id').limit(limit).offset(offset).execute();
    return { items, total: Number(total) };
  },

  async grant(db: Executor, id: string): Promise<BreakGlassRow | undefined> {
    return grants(db).where('break_glass_grants.id', '=', id).executeTakeFirst();
  },

  /** Compare-and-set review: only a grant on the owner's patient not reviewed yet; false otherwise. */
  async reviewGrant(db: Executor, id: string, ownerInstitutionId: string, by: string, note: string, now: string): Promise<boolean> {
    const res = await db.updateTable('break_glass_grants').set({ reviewed_at: now, reviewed_by: by, review_note: note })
      .where('id', '=', id).where('owner_institution_id', '=', ownerInstitutionId).where('reviewed_at', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  /** What the grant's holder did with the patient during the grant: audit entries in its time window. */
  async readsDuring(db: Executor, g: { user_id: string; patient_id: string; created_at: string; until: string }) {
    return db.selectFrom('audit_log').select(['at', 'action', 'record_type', 'record_id', 'outcome', 'detail'])
      .where('user_id', '=', g.user_id).where('patient_id', '=', g.patient_id)
      .where('at', '>=', g.created_at).where('at', '<=', g.until).orderBy('seq').limit(500).execute();
  },
};
