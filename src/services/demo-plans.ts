import { assess } from '../domain/assess.js';
import { caseFactsFromRegistry } from '../domain/facts/from-registry.js';
import type { CaseFacts } from '../domain/facts/case-facts.js';
import { buildPlanFromTemplate } from '../domain/plan/builder.js';
import { expandPlan, type Administration } from '../domain/plan/concordance.js';
import { addDays, validatePlanContent, type PlanContent } from '../domain/plan/plan.js';
import { TEMPLATE_IDS, type TemplateId } from '../domain/plan/templates.js';
import { contentHash } from '../domain/plan/versions.js';
import type { Tx } from '../store/db.js';
import { patientsRepo } from '../store/patients.repo.js';
import { plansRepo } from '../store/plans.repo.js';
import { tumorsRepo } from '../store/tumors.repo.js';
import { isoNow, newId, type Services } from './context.js';

/**
 * Demo treatment plans (synthetic): cases the conference has presented get a draft plan from their template; cases
 * with an agreed plan are signed by every required group; cases in treatment have cycles given (one with a dose
 * reduction recorded as a deviation); cases in follow-up finished therapy, so their survivorship schedule shows.
 */
export async function demoPlans(s: Services, tx: Tx, institutionId: string): Promise<number> {
  const today = isoNow(s).slice(0, 10);
  const users = await tx.selectFrom('users').select(['id', 'discipline', 'username']).where('institution_id', '=', institutionId).execute();
  const byDiscipline = new Map(users.filter((u) => u.discipline).map((u) => [u.discipline!, u.id]));
  const author = users.find((u) => u.username === 'oncologist')?.id ?? users[0]!.id;
  const cases = await tx.selectFrom('cases').select(['id', 'patient_id', 'tumor_id', 'status', 'updated_at'])
    .where('institution_id', '=', institutionId).where('status', 'in', ['presented', 'plan_agreed', 'in_treatment', 'follow_up'])
    .orderBy('created_at').execute();
  let made = 0;
  for (const [n, c] of cases.entries()) {
    if (!c.tumor_id) continue;
    const patient = await patientsRepo.get(tx, institutionId, c.patient_id);
    const tumor = await tumorsRepo.get(tx, institutionId, c.tumor_id);
    if (!patient || !tumor) continue;
    const facts = caseFactsFromRegistry(patient, tumor) as CaseFacts;
    const r = assess(facts);
    if (!r.ok || !r.assessment.treatmentTemplate || !(TEMPLATE_IDS as readonly string[]).includes(r.assessment.treatmentTemplate)) continue;
    const templateId = r.assessment.treatmentTemplate as TemplateId;
    const draft = buildPlanFromTemplate(templateId, { facts, assessment: r.assessment });
    const planId = newId();
    const at = c.updated_at;
    const versions: PlanContent[] = [draft];
    const signed = c.status !== 'presented';
    if (signed) {
      const answered = completed(draft);
      if (!validatePlanContent(answered, { ageMonths: facts.ageMonths, requireComplete: true }).ok) continue;
      versions.push(answered);
    }
    const startedOn = c.status === 'in_treatment' || c.status === 'follow_up' ? addDays(today, c.status === 'follow_up' ? -400 : -70 - (n % 5) * 7) : null;
    const given = startedOn ? administrations(versions[versions.length - 1]!, startedOn, today, c.status === 'follow_up', n) : [];
    const endedOn = c.status === 'follow_up' && given.length > 0 ? addDays(given[given.length - 1]!.kind === 'radiation' ? (given[given.length - 1] as { startDate: string }).startDate : (given[given.length - 1] as { date: string }).date, 21) : null;
    const status = c.status === 'presented' ? 'draft' : c.status === 'plan_agreed' ? 'agreed' : endedOn ? 'completed' : given.length > 0 ? 'active' : 'agreed';
    await plansRepo.insert(tx, { id: planId, case_id: c.id, institution_id: institutionId, status, source_item_id: null, started_on: given.length > 0 ? startedOn : null, ended_on: endedOn, version: versions.length, created_at: at, updated_at: at });
    for (const [i, v] of versions.entries()) {
      await plansRepo.insertVersion(tx, { id: newId(), plan_id: planId, version: i + 1, content: JSON.stringify(v), content_hash: contentHash(v), author_id: author, note: i === 0 ? `from ${templateId}` : 'tailoring checklist answered at conference', created_at: at });
    }
    if (signed) {
      const final = versions[versions.length - 1]!;
      for (const d of r.assessment.conferenceDisciplines) {
        const uid = byDiscipline.get(d);
        if (uid) await plansRepo.insertSignature(tx, { id: newId(), plan_id: planId, version: versions.length, content_hash: contentHash(final), discipline: d, user_id: uid, signed_at: at });
      }
    }
    for (const a of given) {
      await plansRepo.insertAdministration(tx, { id: newId(), plan_id: planId, kind: a.kind, given_on: a.kind === 'radiation' ? a.startDate : a.date, data: JSON.stringify(a), recorded_by: author, created_at: at });
    }
    made++;
  }
  return made;
}

/** The team's answers (demo): every question answered "yes", open cycle counts set to 1, unset doses left out. */
function completed(p: PlanContent): PlanContent {
  const c = structuredClone(p);
  for (const q of c.checklist) q.answer = 'yes';
  for (const ph of c.phases) {
    for (const cy of ph.cycles) {
      if (cy.count === null) cy.count = 1;
      cy.agents = cy.agents.filter((a) => a.doseMgM2 !== undefined || a.doseMgKg !== undefined || a.doseMg !== undefined);
    }
    ph.cycles = ph.cycles.filter((cy) => cy.agents.length > 0);
  }
  return c;
}

/** Cycles given every 21 days from the start (all of them for finished therapy); the third at 80% with a reason. */
function administrations(plan: PlanContent, startedOn: string, today: string, all: boolean, seed: number): Administration[] {
  const out: Administration[] = [];
  const cycles = expandPlan(plan).cycles;
  for (const [k, cy] of cycles.entries()) {
    const date = cy.offsetDays !== null ? addDays(startedOn, cy.offsetDays) : addDays(startedOn, k * 21);
    if (date > today || (!all && k >= 3 + (seed % 3))) break;
    const reduced = k === 2 && seed % 2 === 0;
    const agents = cy.agents.filter((a) => a.doseMgM2 !== undefined).map((a) => ({ agent: a.agent, doseMgM2: Math.round(a.doseMgM2! * (reduced ? 0.8 : 1) * 100) / 100, administrations: a.administrations }));
    if (agents.length === 0) continue;
    out.push({
      kind: 'chemo', date, phaseId: cy.phaseId, cycleId: cy.cycleId, agents,
      ...(reduced ? { deviation: { reason: 'toxicity' as const, note: 'Grade 3 mucositis after the previous cycle: 80% doses.' } } : {}),
    } as Administration);
  }
  return out;
}
