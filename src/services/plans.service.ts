import { AppError } from '../domain/errors.js';
import type { Assessment } from '../domain/facts/assessment.js';
import type { CaseFacts } from '../domain/facts/case-facts.js';
import { buildPlanFromTemplate } from '../domain/plan/builder.js';
import { concordance, parseAdministration, type Administration } from '../domain/plan/concordance.js';
import { planOpenItems, validatePlanContent, checklistComplete, type PlanContent } from '../domain/plan/plan.js';
import { planExposure, receivedExposure } from '../domain/plan/plan-exposure.js';
import { survivorshipPlan } from '../domain/plan/survivorship-schedule.js';
import { TEMPLATE_IDS, TEMPLATES, type TemplateId } from '../domain/plan/templates.js';
import { planTimeline } from '../domain/plan/timeline.js';
import { contentHash, diffPlans, signoffState } from '../domain/plan/versions.js';
import { DISCIPLINES } from '../domain/registry/types.js';
import type { Recommendation } from '../domain/conference/types.js';
import type { PlanComparison, PlanProgress, PlanStatus, PlanVersionList, PlanView } from '../domain/plan/plan-view.js';
import { isUniqueViolation, type Tx } from '../store/db.js';
import { plansRepo } from '../store/plans.repo.js';
import type { PlanTable } from '../store/schema.js';
import { readCaseContext, type CaseContext } from './assessment.service.js';
import { audited } from './audit.js';
import { basisDetail, resolveCaseRead } from './access.js';
import { auth } from './auth.service.js';
import { isoNow, newId, type Actor, type Services } from './context.js';

/**
 * Treatment plans (issue 6): one plan per case, built from a template and tailored by the team; every change is a
 * new immutable version (compare-and-set on the plan's version), each required group signs one version bound to its
 * content hash after typing its password again, and what was given is recorded against the plan.
 */

export { PLAN_STATUSES, type PlanStatus, type PlanView } from '../domain/plan/plan-view.js';

function requireContext(ctx: CaseContext): { facts: CaseFacts; assessment: Assessment } | null {
  return ctx.facts && ctx.assessment ? { facts: ctx.facts, assessment: ctx.assessment } : null;
}

async function loadPlan(tx: Tx, actor: Actor, caseId: string, institutionId = actor.institutionId): Promise<{ ctx: CaseContext; plan: PlanTable }> {
  const ctx = await readCaseContext(tx, actor, caseId, institutionId);
  const plan = await plansRepo.byCase(tx, institutionId, caseId);
  if (!plan) throw new AppError('not_found', 'plan: this case has no treatment plan yet (create one from a template)', { field: 'plan' });
  return { ctx, plan };
}

async function recommendationOf(tx: Tx, itemId: string | null): Promise<Recommendation | null> {
  if (!itemId) return null;
  const row = await tx.selectFrom('agenda_items').select('recommendation').where('id', '=', itemId).executeTakeFirst();
  return row?.recommendation ? JSON.parse(row.recommendation) as Recommendation : null;
}

/** The latest discussed recommendation of the case (the source of a plan built after the conference). */
async function latestRecommendationItem(tx: Tx, caseId: string): Promise<string | null> {
  const row = await tx.selectFrom('agenda_items').select('id').where('case_id', '=', caseId).where('recommendation', 'is not', null)
    .orderBy('updated_at', 'desc').limit(1).executeTakeFirst();
  return row?.id ?? null;
}

async function view(tx: Tx, ctx: CaseContext, plan: PlanTable): Promise<PlanView> {
  const v = (await plansRepo.version(tx, plan.id, plan.version))!;
  const content = JSON.parse(v.content) as PlanContent;
  const author = await tx.selectFrom('users').select('display_name').where('id', '=', v.author_id).executeTakeFirst();
  const sigs = await plansRepo.signatures(tx, plan.id);
  const required = ctx.assessment ? [...ctx.assessment.conferenceDisciplines] : null;
  const state = signoffState(required ?? [], sigs.map((x) => ({ discipline: x.discipline, version: x.version, contentHash: x.content_hash })), plan.version, v.content_hash);
  const validation = validatePlanContent(content, { ageMonths: ctx.facts?.ageMonths });
  return {
    id: plan.id, caseId: plan.case_id, status: plan.status as PlanStatus, version: plan.version, contentHash: v.content_hash, content,
    templateTitle: content.templateId ? TEMPLATES[content.templateId].title : null,
    startedOn: plan.started_on, endedOn: plan.ended_on, updatedAt: plan.updated_at, author: author?.display_name ?? null,
    openItems: planOpenItems(content), checklistComplete: checklistComplete(content), warnings: validation.warnings,
    exposure: ctx.facts ? planExposure(content, ctx.facts) : null,
    signoff: {
      required, requiredRules: ['R-CONF'], agreed: state.agreed, missing: [...state.missing],
      signatures: sigs.map((x) => ({ discipline: x.discipline, version: x.version, userName: x.user_name, signedAt: x.signed_at, current: x.version === plan.version && x.content_hash === v.content_hash })),
    },
    recommendation: await recommendationOf(tx, plan.source_item_id),
  };
}

function stale(what: string, current: number): AppError {
  return new AppError('stale', `${what} was changed by someone else (now version ${current}): reload to see the change`, { field: 'If-Match' });
}

function checkedContent(input: unknown, ageMonths: number | undefined): PlanContent {
  const v = validatePlanContent(input, { ageMonths });
  if (!v.ok) {
    const first = v.errors[0]!;
    throw new AppError('validation', `${first.field}: ${first.message}`, { field: first.field, issues: v.errors });
  }
  return v.content;
}

export interface CreatePlanInput {
  templateId?: TemplateId | null;
  bsaM2?: number;
  weightKg?: number;
}

export const plans = {
  /** The current version with its exposure and sign-off state. */
  async get(s: Services, actor: Actor, caseId: string): Promise<PlanView> {
    return audited(s, actor, { action: 'read', recordType: 'plan', recordId: caseId }, async (tx, note) => {
      // A second-opinion reviewer or break-the-glass reader may read the plan (issue #9 item 2); plan writes stay own-institution.
      const access = await resolveCaseRead(s, tx, actor, caseId);
      if (!access) throw new AppError('not_found', 'case not found', { field: 'id' });
      note.detail = basisDetail(access.basis);
      const { ctx, plan } = await loadPlan(tx, actor, caseId, access.institutionId);
      note.patientId = ctx.patient.id;
      return view(tx, ctx, plan);
    });
  },

  /**
   * Starts the plan from the template the assessment proposes (or the one the team picks): version 1, unsigned,
   * with the tailoring checklist unanswered. One plan per case (the unique constraint decides).
   */
  async create(s: Services, actor: Actor, caseId: string, input: CreatePlanInput): Promise<PlanView> {
    return audited(s, actor, { action: 'create', recordType: 'plan', recordId: caseId }, async (tx, note) => {
      const ctx = await readCaseContext(tx, actor, caseId);
      note.patientId = ctx.patient.id;
      const known = requireContext(ctx);
      if (!known) {
        const why = ctx.errors[0]?.message ?? 'the case facts are incomplete';
        throw new AppError('conflict', `facts: a plan is built from the case's assessment, which is not available (${why})`, { field: 'facts' });
      }
      const templateId = input.templateId ?? (known.assessment.treatmentTemplate as TemplateId | null);
      if (!templateId || !(TEMPLATE_IDS as readonly string[]).includes(templateId)) {
        throw new AppError('validation', 'templateId: the assessment proposes no treatment template for this case; choose one', { field: 'templateId' });
      }
      const content = checkedContent(buildPlanFromTemplate(templateId, { ...known, bsaM2: input.bsaM2, weightKg: input.weightKg }), known.facts.ageMonths);
      const now = isoNow(s);
      const plan: PlanTable = {
        id: newId(), case_id: caseId, institution_id: actor.institutionId, status: 'draft', source_item_id: await latestRecommendationItem(tx, caseId),
        started_on: null, ended_on: null, version: 1, created_at: now, updated_at: now,
      };
      try {
        await plansRepo.insert(tx, plan);
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', 'plan: this case already has a plan; open it and edit it', { field: 'plan' });
        throw err;
      }
      await plansRepo.insertVersion(tx, { id: newId(), plan_id: plan.id, version: 1, content: JSON.stringify(content), content_hash: contentHash(content), author_id: actor.userId, note: `from ${templateId}`, created_at: now });
      note.detail = `template=${templateId}`;
      return view(tx, ctx, plan);
    });
  },

  /**
   * Saves an edit as a new version. Compare-and-set on the version read (If-Match): of two concurrent edits exactly
   * one wins, the other is told the plan changed. An edit after signatures makes an unsigned new version (an agreed
   * plan goes back to draft; an active plan stays active and needs its groups to sign the amendment).
   */
  async update(s: Services, actor: Actor, caseId: string, expectedVersion: number, input: unknown, changeNote?: string): Promise<PlanView> {
    return audited(s, actor, { action: 'update', recordType: 'plan', recordId: caseId }, async (tx, note) => {
      const { ctx, plan } = await loadPlan(tx, actor, caseId);
      note.patientId = ctx.patient.id;
      if (plan.status === 'completed' || plan.status === 'stopped') {
        throw new AppError('conflict', `status: the plan is ${plan.status}; it can no longer be edited`, { field: 'status' });
      }
      const content = checkedContent(input, ctx.facts?.ageMonths);
      const hash = contentHash(content);
      const current = (await plansRepo.version(tx, plan.id, plan.version))!;
      if (plan.version === expectedVersion && current.content_hash === hash) return view(tx, ctx, plan);
      const now = isoNow(s);
      const status = plan.status === 'agreed' ? 'draft' : plan.status;
      if (!await plansRepo.advance(tx, plan.id, expectedVersion, { status }, now)) throw stale('the plan', plan.version);
      await plansRepo.insertVersion(tx, { id: newId(), plan_id: plan.id, version: expectedVersion + 1, content: JSON.stringify(content), content_hash: hash, author_id: actor.userId, note: changeNote?.trim() || null, created_at: now });
      note.detail = `version=${expectedVersion + 1}`;
      return view(tx, ctx, { ...plan, version: expectedVersion + 1, status, updated_at: now });
    });
  },

  async versions(s: Services, actor: Actor, caseId: string): Promise<PlanVersionList> {
    return audited(s, actor, { action: 'read', recordType: 'plan_versions', recordId: caseId }, async (tx, note) => {
      const { ctx, plan } = await loadPlan(tx, actor, caseId);
      note.patientId = ctx.patient.id;
      const rows = await plansRepo.versions(tx, plan.id);
      const sigs = await plansRepo.signatures(tx, plan.id);
      return {
        current: plan.version,
        items: rows.map((r) => ({
          version: r.version, contentHash: r.content_hash, author: r.author_name, note: r.note, createdAt: r.created_at,
          signedBy: sigs.filter((x) => x.version === r.version).map((x) => x.discipline),
        })),
      };
    });
  },

  /** Two versions side by side: both documents and the list of differences. */
  async compare(s: Services, actor: Actor, caseId: string, a: number, b: number): Promise<PlanComparison> {
    return audited(s, actor, { action: 'read', recordType: 'plan_versions', recordId: caseId }, async (tx, note) => {
      const { ctx, plan } = await loadPlan(tx, actor, caseId);
      note.patientId = ctx.patient.id;
      const [va, vb] = await Promise.all([plansRepo.version(tx, plan.id, a), plansRepo.version(tx, plan.id, b)]);
      if (!va) throw new AppError('not_found', `a: version ${a} does not exist (latest is ${plan.version})`, { field: 'a' });
      if (!vb) throw new AppError('not_found', `b: version ${b} does not exist (latest is ${plan.version})`, { field: 'b' });
      const ca = JSON.parse(va.content) as PlanContent;
      const cb = JSON.parse(vb.content) as PlanContent;
      return { a: { version: a, content: ca, createdAt: va.created_at }, b: { version: b, content: cb, createdAt: vb.created_at }, changes: diffPlans(ca, cb) };
    });
  },

  /**
   * A group signs one version: the signer's discipline, the version they reviewed (a superseded version is refused),
   * bound to that version's content hash, after re-entering their password. The plan is agreed when every required
   * group has signed the same version.
   */
  async sign(s: Services, actor: Actor, caseId: string, input: { version: number; password: string }): Promise<PlanView> {
    await auth.reauthenticate(s, actor, input.password, 'signing');
    return audited(s, actor, { action: 'update', recordType: 'plan_signature', recordId: caseId }, async (tx, note) => {
      const { ctx, plan } = await loadPlan(tx, actor, caseId);
      note.patientId = ctx.patient.id;
      const discipline = actor.discipline;
      if (!discipline || !(DISCIPLINES as readonly string[]).includes(discipline)) {
        throw new AppError('forbidden', 'discipline: only a clinician of one of the conference groups can sign a plan', { field: 'discipline' });
      }
      if (input.version !== plan.version) {
        throw new AppError('conflict', `version: version ${input.version} is superseded by version ${plan.version}; review version ${plan.version} and sign that`, { field: 'version' });
      }
      const v = (await plansRepo.version(tx, plan.id, plan.version))!;
      const content = JSON.parse(v.content) as PlanContent;
      const open = validatePlanContent(content, { ageMonths: ctx.facts?.ageMonths, requireComplete: true });
      if (!open.ok) {
        const first = open.errors[0]!;
        throw new AppError('conflict', `${first.field}: ${first.message} (complete the plan before signing)`, { field: first.field, issues: open.errors });
      }
      const now = isoNow(s);
      try {
        await plansRepo.insertSignature(tx, { id: newId(), plan_id: plan.id, version: plan.version, content_hash: v.content_hash, discipline, user_id: actor.userId, signed_at: now });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('conflict', `discipline: ${discipline.replace(/_/g, ' ')} has already signed version ${plan.version}`, { field: 'discipline' });
        throw err;
      }
      const sigs = await plansRepo.signatures(tx, plan.id);
      const required = ctx.assessment ? [...ctx.assessment.conferenceDisciplines] : [];
      const state = signoffState(required, sigs.map((x) => ({ discipline: x.discipline, version: x.version, contentHash: x.content_hash })), plan.version, v.content_hash);
      let status = plan.status;
      if (state.agreed && plan.status === 'draft') {
        status = 'agreed';
        await plansRepo.setStatus(tx, plan.id, { status }, now);
      }
      note.detail = `version=${plan.version} discipline=${discipline}${state.agreed ? ' agreed' : ''}`;
      return view(tx, ctx, { ...plan, status });
    });
  },

  /** Records what was given (a chemotherapy cycle, an operation, a radiation course); the first one starts the plan. */
  async recordAdministration(s: Services, actor: Actor, caseId: string, input: unknown) {
    return audited(s, actor, { action: 'create', recordType: 'plan_administration', recordId: caseId }, async (tx, note) => {
      const { ctx, plan } = await loadPlan(tx, actor, caseId);
      note.patientId = ctx.patient.id;
      if (plan.status === 'draft') throw new AppError('conflict', 'status: the plan is not agreed yet; treatment is recorded against an agreed plan', { field: 'status' });
      if (plan.status === 'completed' || plan.status === 'stopped') throw new AppError('conflict', `status: the plan is ${plan.status}`, { field: 'status' });
      const a = parseAdministration(input, { ageMonths: ctx.facts?.ageMonths });
      const date = a.kind === 'radiation' ? a.startDate : a.date;
      const now = isoNow(s);
      if (date > now.slice(0, 10)) throw new AppError('validation', `${a.kind === 'radiation' ? 'startDate' : 'date'}: ${date} is in the future; record treatment once it has been given`, { field: a.kind === 'radiation' ? 'startDate' : 'date' });
      const id = newId();
      await plansRepo.insertAdministration(tx, { id, plan_id: plan.id, kind: a.kind, given_on: date, data: JSON.stringify(a), recorded_by: actor.userId, created_at: now });
      if (plan.status === 'agreed') await plansRepo.setStatus(tx, plan.id, { status: 'active', started_on: plan.started_on ?? date }, now);
      note.detail = `kind=${a.kind}`;
      return { id, administration: a };
    });
  },

  /**
   * Plan against what was given: the timeline, concordance with the plan (and the recommendation's trial), the
   * received exposure and, once therapy has ended, the survivorship screening schedule built from it.
   */
  async progress(s: Services, actor: Actor, caseId: string): Promise<PlanProgress> {
    return audited(s, actor, { action: 'read', recordType: 'plan_progress', recordId: caseId }, async (tx, note) => {
      const { ctx, plan } = await loadPlan(tx, actor, caseId);
      note.patientId = ctx.patient.id;
      const v = (await plansRepo.version(tx, plan.id, plan.version))!;
      const content = JSON.parse(v.content) as PlanContent;
      const rows = await plansRepo.administrations(tx, plan.id);
      const given = rows.map((r) => JSON.parse(r.data) as Administration);
      const today = isoNow(s).slice(0, 10);
      const start = plan.started_on ?? rows[0]?.given_on ?? null;
      const rec = await recommendationOf(tx, plan.source_item_id);
      const received = ctx.facts ? receivedExposure(given, ctx.facts) : null;
      const survivorship = ctx.facts && received && plan.ended_on
        ? survivorshipPlan(ctx.facts, received, { endOfTherapyDate: plan.ended_on, birthDate: ctx.patient.birthDate, asOf: today })
        : null;
      return {
        status: plan.status as PlanStatus, version: plan.version, startedOn: start, endedOn: plan.ended_on,
        administrations: rows.map((r, i) => ({ id: r.id, recordedAt: r.created_at, ...given[i]! })),
        timeline: start ? planTimeline(content, given, start) : [],
        concordance: concordance(content, given, rec, start ? { startDate: start, asOf: today } : {}),
        received,
        survivorship,
      };
    });
  },

  /** Ends therapy: the plan is completed and the survivorship schedule runs from this date. */
  async complete(s: Services, actor: Actor, caseId: string, input: { endedOn: string; outcome: 'completed' | 'stopped' }) {
    return audited(s, actor, { action: 'update', recordType: 'plan', recordId: caseId }, async (tx, note) => {
      const { ctx, plan } = await loadPlan(tx, actor, caseId);
      note.patientId = ctx.patient.id;
      if (plan.status !== 'active') throw new AppError('conflict', `status: only a plan in progress can end (this one is ${plan.status})`, { field: 'status' });
      const today = isoNow(s).slice(0, 10);
      if (input.endedOn > today) throw new AppError('validation', `endedOn: ${input.endedOn} is in the future`, { field: 'endedOn' });
      if (plan.started_on && input.endedOn < plan.started_on) throw new AppError('validation', `endedOn: therapy started on ${plan.started_on}; the end cannot be earlier`, { field: 'endedOn' });
      await plansRepo.setStatus(tx, plan.id, { status: input.outcome, ended_on: input.endedOn }, isoNow(s));
      note.detail = `${input.outcome} ${input.endedOn}`;
      return view(tx, ctx, { ...plan, status: input.outcome, ended_on: input.endedOn });
    });
  },
};
