import { basisDetail, isGrantActive, type AccessBasis } from '../domain/auth/access-grants.js';
import type { Executor } from '../store/db.js';
import { accessGrantsRepo } from '../store/access-grants.repo.js';
import type { Actor, Services } from './context.js';

/** Who owns the record the actor asked for, and on what basis the actor may read it. */
export interface ReadAccess {
  /** The owner institution (what the repositories are scoped by for this read). */
  institutionId: string;
  basis: AccessBasis;
  /** The grant's end and, for a share, its owner's name: the banners the pages show. */
  grant?: { kind: 'share' | 'btg'; id: string; until: string; ownerInstitutionName?: string; caseIds?: string[] };
}

export { basisDetail };

/**
 * Read access to a case (issue #9 item 2): the actor's own institution's case; else a case shared with the actor's
 * institution by an active second-opinion share; else a case of a patient the actor holds an active break-the-glass
 * grant on. `null` means "not found" (404, as for any other institution's record). Only READ paths call this: writes
 * stay scoped to the actor's institution in their repositories, so a grant can never reach a write by mistake.
 */
export async function resolveCaseRead(s: Services, tx: Executor, actor: Actor, caseId: string): Promise<ReadAccess | null> {
  const owner = await accessGrantsRepo.caseOwner(tx, caseId);
  if (!owner) return null;
  if (owner.institution_id === actor.institutionId) return { institutionId: owner.institution_id, basis: 'own' };
  const now = s.now();
  const share = (await accessGrantsRepo.openSharesFor(tx, actor.institutionId, now.toISOString(), { caseId }))
    .find((x) => isGrantActive({ createdAt: x.created_at, until: x.until, revokedAt: x.revoked_at }, now));
  if (share) {
    return { institutionId: owner.institution_id, basis: `share:${share.id}`, grant: { kind: 'share', id: share.id, until: share.until, ownerInstitutionName: share.owner_institution_name, caseIds: [caseId] } };
  }
  const btg = await activeBreakGlass(s, tx, actor, owner.patient_id);
  return btg ? { institutionId: owner.institution_id, basis: `btg:${btg.id}`, grant: { kind: 'btg', id: btg.id, until: btg.until } } : null;
}

/**
 * Read access to a patient: one's own institution's patient; a patient the actor holds an active break-the-glass grant
 * on (the whole record, read-only); or the patient of a case shared with the actor's institution (then `grant.caseIds`
 * lists the shared cases, and the caller shows only those). `null` means 404.
 */
export async function resolvePatientRead(s: Services, tx: Executor, actor: Actor, patientId: string): Promise<ReadAccess | null> {
  const owner = await accessGrantsRepo.patientOwner(tx, patientId);
  if (!owner) return null;
  if (owner === actor.institutionId) return { institutionId: owner, basis: 'own' };
  const btg = await activeBreakGlass(s, tx, actor, patientId);
  if (btg) return { institutionId: owner, basis: `btg:${btg.id}`, grant: { kind: 'btg', id: btg.id, until: btg.until } };
  const now = s.now();
  const open = (await accessGrantsRepo.openSharesFor(tx, actor.institutionId, now.toISOString(), { patientId }))
    .filter((x) => isGrantActive({ createdAt: x.created_at, until: x.until, revokedAt: x.revoked_at }, now));
  const first = open[0];
  if (!first) return null;
  return {
    institutionId: owner, basis: `share:${first.id}`,
    grant: { kind: 'share', id: first.id, until: first.until, ownerInstitutionName: first.owner_institution_name, caseIds: [...new Set(open.map((x) => x.case_id))] },
  };
}

async function activeBreakGlass(s: Services, tx: Executor, actor: Actor, patientId: string) {
  const now = s.now();
  return (await accessGrantsRepo.openGrantsFor(tx, actor.userId, patientId, now.toISOString()))
    .find((g) => isGrantActive({ createdAt: g.created_at, until: g.until }, now));
}

/** What the pages show about a read through a grant (omitted for one's own records). */
export function accessView(a: ReadAccess): { basis: 'share' | 'btg'; grantId: string; until: string; sharedBy: string | null } | undefined {
  if (!a.grant) return undefined;
  return { basis: a.grant.kind, grantId: a.grant.id, until: a.grant.until, sharedBy: a.grant.ownerInstitutionName ?? null };
}
