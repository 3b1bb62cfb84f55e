import type { Recommendation } from '../domain/conference/types.js';
import type { ExportPlan, ExportRecommendation, PatientRecord } from '../domain/fhir/export.js';
import type { Administration } from '../domain/plan/concordance.js';
import type { PlanContent } from '../domain/plan/plan.js';
import type { Executor } from './db.js';
import { toPatient } from './patients.repo.js';
import type { PatientTable, TumorTable } from './schema.js';
import { toTumor } from './tumors.repo.js';

/**
 * Reads for the FHIR export and REST API (issue #8): whole patient records (patient, tumours, cases, current plan
 * versions, administrations, latest conference recommendation per case) in a fixed number of queries per batch,
 * always within one institution. The mapping to FHIR is the domain's (src/domain/fhir/export.ts).
 */

/** Splits ids into chunks so an `IN (…)` list stays well under SQLite's and PostgreSQL's parameter limits. */
function chunks<T>(xs: readonly T[], n = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

function groupBy<T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x); else m.set(k, [x]);
  }
  return m;
}

export const fhirRepo = {
  /**
   * Full records of the given patients of one institution (all its patients when `patientIds` is omitted), in the
   * order of the patient ids given (by MRN when all). Patients of other institutions are simply not found.
   */
  async records(db: Executor, institutionId: string, patientIds?: readonly string[]): Promise<PatientRecord[]> {
    const inst = await db.selectFrom('institutions').select(['id', 'code', 'name']).where('id', '=', institutionId).executeTakeFirst();
    if (!inst) return [];
    let patientRows: PatientTable[] = [];
    if (patientIds === undefined) {
      patientRows = await db.selectFrom('patients').selectAll().where('institution_id', '=', institutionId).orderBy('mrn').execute();
    } else {
      for (const part of chunks(patientIds)) {
        if (part.length === 0) continue;
        patientRows.push(...await db.selectFrom('patients').selectAll().where('institution_id', '=', institutionId).where('id', 'in', part).execute());
      }
      const order = new Map(patientIds.map((id, i) => [id, i]));
      patientRows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    }
    if (patientRows.length === 0) return [];
    const ids = patientRows.map((p) => p.id);
    const all = patientIds === undefined;
    const tumors: TumorTable[] = [];
    const cases: Array<{ id: string; patient_id: string; tumor_id: string | null; created_at: string }> = [];
    for (const part of all ? [undefined] : chunks(ids)) {
      let tq = db.selectFrom('tumors').selectAll().where('institution_id', '=', institutionId);
      let cq = db.selectFrom('cases').select(['id', 'patient_id', 'tumor_id', 'created_at']).where('institution_id', '=', institutionId);
      if (part) { tq = tq.where('patient_id', 'in', part); cq = cq.where('patient_id', 'in', part); }
      tumors.push(...await tq.orderBy('diagnosis_date').orderBy('id').execute());
      cases.push(...await cq.orderBy('created_at').orderBy('id').execute());
    }
    const caseIds = cases.map((c) => c.id);
    const plans: Array<{ id: string; case_id: string; status: string; version: number; started_on: string | null; ended_on: string | null; created_at: string; updated_at: string; content: string }> = [];
    const recs: Array<{ id: string; case_id: string; recommendation: string | null; updated_at: string; slot_date: string | null }> = [];
    for (const part of all ? [undefined] : chunks(caseIds)) {
      if (part && part.length === 0) continue;
      let pq = db.selectFrom('plans').innerJoin('plan_versions', (j) => j.onRef('plan_versions.plan_id', '=', 'plans.id').onRef('plan_versions.version', '=', 'plans.version'))
        .select(['plans.id', 'plans.case_id', 'plans.status', 'plans.version', 'plans.started_on', 'plans.ended_on', 'plans.created_at', 'plans.updated_at', 'plan_versions.content'])
        .where('plans.institution_id', '=', institutionId);
      let rq = db.selectFrom('agenda_items').leftJoin('conferences', 'conferences.id', 'agenda_items.conference_id')
        .select(['agenda_items.id', 'agenda_items.case_id', 'agenda_items.recommendation', 'agenda_items.updated_at', 'conferences.slot_date'])
        .where('agenda_items.recommendation', 'is not', null)
        .where('conferences.institution_id', '=', institutionId);
      if (part) { pq = pq.where('plans.case_id', 'in', part); rq = rq.where('agenda_items.case_id', 'in', part); }
      plans.push(...await pq.execute());
      recs.push(...await rq.orderBy('agenda_items.updated_at', 'desc').orderBy('agenda_items.id').execute());
    }
    const planIds = plans.map((p) => p.id);
    const adms: Array<{ id: string; plan_id: string; data: string; created_at: string }> = [];
    for (const part of all ? [undefined] : chunks(planIds)) {
      if (part && part.length === 0) continue;
      let aq = db.selectFrom('plan_administrations').innerJoin('plans', 'plans.id', 'plan_administrations.plan_id')
        .select(['plan_administrations.id', 'plan_administrations.plan_id', 'plan_administrations.data', 'plan_administrations.created_at'])
        .where('plans.institution_id', '=', institutionId);
      if (part) aq = aq.where('plan_administrations.plan_id', 'in', part);
      adms.push(...await aq.orderBy('plan_administrations.given_on').orderBy('plan_administrations.created_at').orderBy('plan_administrations.id').execute());
    }
    const admsByPlan = groupBy(adms, (a) => a.plan_id);
    const exportPlans: ExportPlan[] = plans.map((p) => ({
      id: p.id, caseId: p.case_id, status: p.status, version: p.version, startedOn: p.started_on, endedOn: p.ended_on,
      createdAt: p.created_at, updatedAt: p.updated_at, content: JSON.parse(p.content) as PlanContent,
      administrations: (admsByPlan.get(p.id) ?? []).map((a) => ({ id: a.id, data: JSON.parse(a.data) as Administration, createdAt: a.created_at })),
    }));
    const latestRec = new Map<string, ExportRecommendation>();
    for (const r of recs) {
      if (latestRec.has(r.case_id) || !r.recommendation) continue;
      latestRec.set(r.case_id, {
        itemId: r.id, caseId: r.case_id, conferenceDate: r.slot_date, updatedAt: r.updated_at,
        recommendation: JSON.parse(r.recommendation) as Recommendation,
      });
    }
    const tumorsBy = groupBy(tumors, (t) => t.patient_id);
    const casesBy = groupBy(cases, (c) => c.patient_id);
    const caseOwner = new Map(cases.map((c) => [c.id, c.patient_id]));
    const plansBy = groupBy(exportPlans, (p) => caseOwner.get(p.caseId));
    const recsBy = groupBy([...latestRec.values()], (r) => caseOwner.get(r.caseId));
    return patientRows.map((p) => ({
      institution: inst,
      patient: toPatient(p),
      tumors: (tumorsBy.get(p.id) ?? []).map(toTumor),
      cases: (casesBy.get(p.id) ?? []).map((c) => ({ id: c.id, tumorId: c.tumor_id })),
      plans: plansBy.get(p.id) ?? [],
      recommendations: recsBy.get(p.id) ?? [],
    }));
  },

  /** The patient a TumorBoard record belongs to (tumour, plan, plan administration, agenda item), within the institution. */
  async ownerOf(db: Executor, institutionId: string, kind: 'patient' | 'tumor' | 'plan' | 'administration' | 'agenda_item', id: string): Promise<string | undefined> {
    switch (kind) {
      case 'patient':
        return (await db.selectFrom('patients').select('id').where('id', '=', id).where('institution_id', '=', institutionId).executeTakeFirst())?.id;
      case 'tumor':
        return (await db.selectFrom('tumors').select('patient_id').where('id', '=', id).where('institution_id', '=', institutionId).executeTakeFirst())?.patient_id;
      case 'plan':
        return (await db.selectFrom('plans').innerJoin('cases', 'cases.id', 'plans.case_id').select('cases.patient_id')
          .where('plans.id', '=', id).where('plans.institution_id', '=', institutionId).executeTakeFirst())?.patient_id;
      case 'administration':
        return (await db.selectFrom('plan_administrations').innerJoin('plans', 'plans.id', 'plan_administrations.plan_id').innerJoin('cases', 'cases.id', 'plans.case_id')
          .select('cases.patient_id').where('plan_administrations.id', '=', id).where('plans.institution_id', '=', institutionId).executeTakeFirst())?.patient_id;
      case 'agenda_item':
        return (await db.selectFrom('agenda_items').innerJoin('cases', 'cases.id', 'agenda_items.case_id')
          .select('cases.patient_id').where('agenda_items.id', '=', id).where('cases.institution_id', '=', institutionId).executeTakeFirst())?.patient_id;
    }
  },
};
