import { lookupMorphology, type TumorFamily } from '../domain/coding/morphology.js';
import type { Recommendation } from '../domain/conference/types.js';
import { consensusLetter, familySummary, type FamilyTreatment, type TrialOffered } from '../domain/documents/letters.js';
import { patientDocFileName, type DocLanguage, type InstitutionHeader } from '../domain/documents/i18n.js';
import { stagingLines } from '../domain/documents/staging-lines.js';
import { survivorshipCarePlan } from '../domain/documents/survivorship-pdf.js';
import { AppError } from '../domain/errors.js';
import type { Administration } from '../domain/plan/concordance.js';
import type { PlanContent } from '../domain/plan/plan.js';
import { receivedExposure } from '../domain/plan/plan-exposure.js';
import { survivorshipPlan } from '../domain/plan/survivorship-schedule.js';
import { TEMPLATES } from '../domain/plan/templates.js';
import type { Referrer } from '../domain/referrals/types.js';
import type { Tx } from '../store/db.js';
import { plansRepo } from '../store/plans.repo.js';
import { readCaseContext, type CaseContext } from './assessment.service.js';
import { audited } from './audit.js';
import { isoNow, programConfig, type Actor, type Services } from './context.js';
import { renderPdf } from './documents.js';

/**
 * The letters that leave the program (issue 6): the consensus letter to the referring physician, the plain-language
 * summary for the family, and the survivorship care plan, in the patient's preferred language where we have it
 * (English and Spanish). Each export is audited as an export of patient data.
 */

export const LETTER_KINDS = ['consensus-letter', 'family-summary', 'survivorship-care-plan'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

/** The family's language when the documents speak it; English otherwise. */
export function documentLanguage(preferred: string | null | undefined): DocLanguage {
  return /^(es|spa|spanish|español|espanol)\b/i.test((preferred ?? '').trim()) ? 'es' : 'en';
}

const FAMILY_DIAGNOSIS: Record<TumorFamily, Record<DocLanguage, string>> = {
  osteosarcoma: { en: 'Osteosarcoma, a cancer that starts in bone.', es: 'Osteosarcoma, un cáncer que empieza en el hueso.' },
  ewing: { en: 'Ewing sarcoma, a cancer of the bone or the soft tissue around it.', es: 'Sarcoma de Ewing, un cáncer del hueso o del tejido blando que lo rodea.' },
  rhabdomyosarcoma: { en: 'Rhabdomyosarcoma, a cancer of the soft tissue (the kind of tissue muscles are made of).', es: 'Rabdomiosarcoma, un cáncer del tejido blando (el tipo de tejido del que están hechos los músculos).' },
  nrsts: { en: 'A soft tissue sarcoma, a cancer of the soft tissue.', es: 'Un sarcoma de tejidos blandos, un cáncer del tejido blando.' },
  other_bone_malignant: { en: 'A cancer that starts in bone.', es: 'Un cáncer que empieza en el hueso.' },
  benign_bone: { en: 'A bone tumor that is not cancer (benign).', es: 'Un tumor del hueso que no es cáncer (benigno).' },
  intermediate_soft_tissue: { en: 'A soft tissue tumor that can grow locally but rarely spreads.', es: 'Un tumor de tejido blando que puede crecer en su lugar pero rara vez se extiende.' },
};

interface LetterContext {
  ctx: CaseContext;
  content: PlanContent | null;
  planVersion: number | null;
  signatures: Array<{ discipline: string; user_name: string | null; signed_at: string; version: number }>;
  recommendation: Recommendation | null;
  conferenceDate: string | null;
  referral: { reference: string; referrer: Referrer } | null;
  trials: TrialOffered[];
  plan: { started_on: string | null; ended_on: string | null; id: string } | null;
}

async function gather(tx: Tx, actor: Actor, caseId: string): Promise<LetterContext> {
  const ctx = await readCaseContext(tx, actor, caseId);
  const plan = await plansRepo.byCase(tx, actor.institutionId, caseId);
  const version = plan ? await plansRepo.version(tx, plan.id, plan.version) : undefined;
  const content = version ? JSON.parse(version.content) as PlanContent : null;
  const signatures = plan ? await plansRepo.signatures(tx, plan.id) : [];
  const item = await tx.selectFrom('agenda_items').innerJoin('conferences', 'conferences.id', 'agenda_items.conference_id')
    .select(['agenda_items.recommendation', 'conferences.starts_at'])
    .where('agenda_items.case_id', '=', caseId).where('agenda_items.recommendation', 'is not', null)
    .orderBy('conferences.starts_at', 'desc').limit(1).executeTakeFirst();
  const recommendation = item?.recommendation ? JSON.parse(item.recommendation) as Recommendation : null;
  const ref = await tx.selectFrom('referrals').select(['reference', 'referrer']).where('case_id', '=', caseId)
    .where('institution_id', '=', actor.institutionId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  const ncts = new Set([content?.trialNctId, ...(recommendation?.trialToOffer?.match(/NCT\d{8}/g) ?? [])].filter((x): x is string => !!x));
  const trials: TrialOffered[] = [];
  for (const nct of ncts) {
    const t = await tx.selectFrom('trials').select('title').where('nct_id', '=', nct).executeTakeFirst();
    trials.push({ nctId: nct, localId: null, title: t?.title ?? null });
  }
  if (trials.length === 0 && recommendation?.trialToOffer && !/^\s*(none|no)\b/i.test(recommendation.trialToOffer)) {
    trials.push({ nctId: null, localId: null, title: recommendation.trialToOffer });
  }
  return {
    ctx, content, planVersion: plan?.version ?? null, signatures, recommendation, conferenceDate: item?.starts_at ?? null,
    referral: ref ? { reference: ref.reference, referrer: JSON.parse(ref.referrer) as Referrer } : null, trials,
    plan: plan ? { id: plan.id, started_on: plan.started_on, ended_on: plan.ended_on } : null,
  };
}

function header(s: Services, actor: Actor): InstitutionHeader {
  const cfg = programConfig(s);
  return { name: actor.institutionName, addressLines: ['Pediatric Musculoskeletal Tumor Program'], phoneLines: cfg.contacts.phones.map((p) => `${p.label}: ${p.number}`) };
}

function identity(ctx: CaseContext) {
  return { name: `${ctx.patient.givenName} ${ctx.patient.familyName}`, dateOfBirth: ctx.patient.birthDate, mrn: ctx.patient.mrn };
}

function diagnosis(ctx: CaseContext) {
  const m = ctx.tumor ? lookupMorphology(ctx.tumor.morphology) : undefined;
  return {
    text: m?.term ?? null, morphologyCode: ctx.tumor?.morphology ?? null, morphologyLabel: m?.term ?? null,
    topographyCode: ctx.tumor?.topography ?? null, topographyLabel: ctx.tumor?.primarySite ?? null,
  };
}

function rulesOf(d: { explanations: ReadonlyArray<{ rules: readonly string[] }> }, fallback: string): string[] {
  const r = [...new Set(d.explanations.flatMap((e) => e.rules))];
  return r.length > 0 ? r : [fallback];
}

function phaseLines(c: PlanContent): string[] {
  return c.phases.map((p) => `${p.name}: ${p.cycles.map((cy) => `${cy.count ?? '?'} × ${cy.regimen}`).join(', ') || 'no chemotherapy'}`);
}

function localControlText(c: PlanContent): { text: string; rules: string[] } | null {
  if (c.localControl.selected.length === 0) return null;
  const text = c.localControl.selected.map((x) => {
    if (x.kind === 'surgery') return `Surgery${'surgeryType' in x && x.surgeryType ? ` (${String(x.surgeryType).replace(/_/g, ' ')})` : ''}`;
    if (x.kind === 'radiation' && 'radiation' in x) return `Radiation ${x.radiation.doseGy + (x.radiation.boostGy ?? 0)} Gy to ${x.radiation.field.replace(/_/g, ' ')}`;
    return 'description' in x && x.description ? x.description : x.kind;
  }).join('; ');
  const rules = [...new Set(c.localControl.considered.flatMap((o) => o.rules))];
  return { text, rules };
}

function familyTreatments(c: PlanContent | null): FamilyTreatment[] {
  if (!c) return [];
  const out = new Set<FamilyTreatment>();
  if (c.phases.some((p) => p.cycles.length > 0)) out.add('chemotherapy');
  for (const x of c.localControl.selected) {
    if (x.kind === 'surgery' || x.kind === 'curettage') out.add('surgery');
    if (x.kind === 'radiation') out.add('radiation');
    if (x.kind === 'observation') out.add('observation');
  }
  if (c.intent === 'observation') out.add('observation');
  if (c.checklist.some((q) => q.flag === 'FERTILITY_PRESERVATION_INDICATED' && q.answer === 'yes')) out.add('fertility_preservation');
  return [...out];
}

export const letters = {
  /** One of the patient documents as PDF, in `lang` or the patient's preferred language. */
  async pdf(s: Services, actor: Actor, caseId: string, kind: LetterKind, lang?: DocLanguage): Promise<{ filename: string; bytes: Buffer }> {
    return audited(s, actor, { action: 'export', recordType: kind, recordId: caseId }, async (tx, note) => {
      const g = await gather(tx, actor, caseId);
      note.patientId = g.ctx.patient.id;
      const language = lang ?? documentLanguage(g.ctx.patient.preferredLanguage);
      const now = isoNow(s);
      const contacts = programConfig(s).contacts.phones;
      let doc;
      if (kind === 'consensus-letter') {
        if (!g.recommendation && !g.content) throw new AppError('conflict', 'letter: the case has no conference recommendation or plan yet', { field: 'letter' });
        const r = g.referral?.referrer;
        doc = consensusLetter({
          language, generatedAt: now, institution: header(s, actor), letterDate: now.slice(0, 10),
          addressee: r ? { name: r.name, institution: r.organization ?? null, addressLines: [] } : null,
          reference: g.referral?.reference ?? null, patient: identity(g.ctx), conferenceDate: g.conferenceDate, diagnosis: diagnosis(g.ctx),
          staging: g.ctx.assessment ? stagingLines(g.ctx.assessment) : [],
          plan: g.content ? {
            templateId: g.content.templateId, templateTitle: g.content.templateId ? TEMPLATES[g.content.templateId].title : null,
            templateVersion: g.content.templateVersion, rules: g.content.templateId ? [...TEMPLATES[g.content.templateId].rules] : [],
            summary: g.recommendation?.planOfCare ?? null, phases: phaseLines(g.content), localControl: localControlText(g.content),
          } : g.recommendation?.planOfCare ? { templateId: null, templateTitle: null, templateVersion: null, rules: [], summary: g.recommendation.planOfCare, phases: [], localControl: null } : null,
          furtherWorkup: g.recommendation?.furtherWorkup ?? null,
          trials: g.trials, noTrialReason: g.trials.length === 0 ? (g.recommendation?.trialToOffer ?? null) : null,
          dissent: (g.recommendation?.dissent ?? []).map((d) => ({ discipline: d.discipline, text: d.note })),
          participants: g.signatures.filter((x) => x.version === g.planVersion).map((x) => ({ discipline: x.discipline, name: x.user_name, signedAt: x.signed_at })),
          contacts, signatory: { name: actor.displayName, role: actor.discipline ?? actor.role },
        });
      } else if (kind === 'family-summary') {
        const m = g.ctx.tumor ? lookupMorphology(g.ctx.tumor.morphology) : undefined;
        doc = familySummary({
          language, generatedAt: now, institution: header(s, actor), patient: identity(g.ctx), conferenceDate: g.conferenceDate,
          diagnosisPlain: m ? FAMILY_DIAGNOSIS[m.family][language] : null, recommended: familyTreatments(g.content),
          decisionNote: null, trials: g.trials,
          nextSteps: g.plan?.started_on ? [] : [{ text: language === 'es' ? 'El equipo le llamará para planificar el inicio del tratamiento.' : 'The team will call you to plan the start of treatment.', date: null }],
          contacts,
        });
      } else {
        if (!g.plan?.ended_on || !g.ctx.facts) throw new AppError('conflict', 'plan: the survivorship care plan is written once therapy has ended', { field: 'plan' });
        const rows = await plansRepo.administrations(tx, g.plan.id);
        const given = rows.map((x) => JSON.parse(x.data) as Administration);
        const received = receivedExposure(given, g.ctx.facts);
        const sp = survivorshipPlan(g.ctx.facts, received, { endOfTherapyDate: g.plan.ended_on, birthDate: g.ctx.patient.birthDate, asOf: now.slice(0, 10) });
        const items = sp.value?.items ?? [];
        doc = survivorshipCarePlan({
          language, generatedAt: now, institution: header(s, actor), patient: identity(g.ctx), primaryCarePhysician: null,
          diagnosis: { ...diagnosis(g.ctx), date: g.ctx.tumor?.diagnosisDate ?? null },
          therapyStart: g.plan.started_on, therapyEnd: g.plan.ended_on,
          chemotherapy: Object.entries(received.agents).map(([agent, d]) => ({ agent, cumulativeMgM2: d.value })),
          cedMgM2: { value: received.cedMgM2.value, rules: rulesOf(received.cedMgM2, 'R-LE-CED') },
          doxorubicinEquivalentMgM2: { value: received.doxorubicinEquivalentMgM2.value, rules: rulesOf(received.doxorubicinEquivalentMgM2, 'R-LE-ANTHRA') },
          surgery: given.filter((a) => a.kind === 'surgery').map((a) => ({ date: a.kind === 'surgery' ? a.date : null, procedure: a.kind === 'surgery' ? (a.procedure ?? a.surgeryType.replace(/_/g, ' ')) : '' })),
          radiation: given.flatMap((a) => a.kind === 'radiation' ? [{ field: a.field, side: a.side ?? null, doseGy: a.doseGy + (a.boostGy ?? 0), fractions: a.fractions ?? null, startDate: a.startDate, endDate: a.endDate ?? null }] : []),
          risks: null,
          screening: items.map((i) => ({ test: i.test, frequency: i.frequency, nextDue: i.nextDue, because: i.reason, rules: [...i.rules] })),
          guidelines: 'Children’s Oncology Group Long-Term Follow-Up Guidelines (as summarized in the program’s rules, rules.md §4)',
          contacts,
        });
      }
      note.detail = `${kind} ${language}`;
      return { filename: patientDocFileName(kind, now, language), bytes: await renderPdf(doc) };
    });
  },

  /**
   * The consensus letter for the referrer who sent the referral (issue 4: "a referrer with an account sees ... the
   * final letter"): only their own referral, once it has been presented; in the referral's language.
   */
  async forReferrer(s: Services, actor: Actor, referralId: string): Promise<{ filename: string; bytes: Buffer }> {
    const r = await s.store.db.selectFrom('referrals').select(['case_id', 'status', 'preferred_language', 'referrer_user_id'])
      .where('id', '=', referralId).where('institution_id', '=', actor.institutionId).executeTakeFirst();
    if (!r || r.referrer_user_id !== actor.userId) throw new AppError('not_found', 'referral not found', { field: 'id' });
    if (r.status !== 'presented' || !r.case_id) throw new AppError('conflict', 'status: the letter is written after the tumor board has discussed the case', { field: 'status' });
    return letters.pdf(s, actor, r.case_id, 'consensus-letter', documentLanguage(r.preferred_language));
  },
};
