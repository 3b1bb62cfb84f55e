import type {
  CarePlan, CarePlanActivity, CarePlanActivityDetail, ClinicalImpression, Condition, Organization, Patient, Dosage, MedicationAdministration, MedicationRequest, Procedure, Quantity,
  Reference, Resource,
} from '@medplum/fhirtypes';
import { normalizeAgent } from '../plan/exposure.js';
import { NON_RESECTION_SURGERY, type Administration } from '../plan/concordance.js';
import type { PlanAgent, SelectedLocalControl } from '../plan/plan.js';
import { TEMPLATES } from '../plan/templates.js';
import type { Tumor } from '../registry/types.js';
import { compact, concept, ids, type ExportPlan, type ExportRecommendation } from './export-common.js';
import { primaryBodySite } from './export-tumor.js';
import { EXTENSIONS, PROCEDURE_CODES, PROFILES, SYSTEMS, UNITS } from './profiles.js';

/** Where the plan resources point: the patient, the managing organisation and the case's tumour (when linked). */
export interface PlanRefs {
  patient: Reference<Patient>;
  organization: Reference<Organization>;
  tumor: Tumor | null;
}

const CAREPLAN_STATUS = { draft: 'draft', agreed: 'active', active: 'active', completed: 'completed', stopped: 'revoked' } as const;
const ACTIVITY_STATUS = { draft: 'not-started', agreed: 'scheduled', active: 'in-progress', completed: 'completed', stopped: 'stopped' } as const;
const REQUEST_STATUS = { draft: 'draft', agreed: 'active', active: 'active', completed: 'completed', stopped: 'stopped' } as const;
type PlanStatusKey = keyof typeof CAREPLAN_STATUS;

function statusKey(s: string): PlanStatusKey {
  return (Object.hasOwn(CAREPLAN_STATUS, s) ? s : 'draft') as PlanStatusKey;
}

function reasonOf(r: PlanRefs): Array<Reference<Condition>> | undefined {
  return r.tumor ? [{ reference: `Condition/${ids.primaryCondition(r.tumor.id)}` }] : undefined;
}

function agentConcept(agent: string) {
  return { coding: [{ system: SYSTEMS.tbAgent, code: normalizeAgent(agent) }], text: agent };
}

/** The dose of a planned or given agent with its UCUM unit (exactly one of mg/m², mg/kg, mg is set). */
function doseQuantity(a: { doseMgM2?: number | undefined; doseMgKg?: number | undefined; doseMg?: number | undefined }): Quantity | undefined {
  if (a.doseMgM2 !== undefined) return { value: a.doseMgM2, ...UNITS.mgPerM2 };
  if (a.doseMgKg !== undefined) return { value: a.doseMgKg, system: SYSTEMS.ucum, code: 'mg/kg', unit: 'mg/kg' };
  if (a.doseMg !== undefined) return { value: a.doseMg, system: SYSTEMS.ucum, code: 'mg', unit: 'mg' };
  return undefined;
}

/** CancerRelatedMedicationRequest per agent of each planned cycle (intent `plan`, based on the CarePlan). */
function medicationRequests(plan: ExportPlan, refs: PlanRefs, carePlanId: string): MedicationRequest[] {
  const out: MedicationRequest[] = [];
  plan.content.phases.forEach((phase, p) => phase.cycles.forEach((cycle, c) => cycle.agents.forEach((agent: PlanAgent, a) => {
    const dose = doseQuantity(agent);
    const cycles = cycle.count === null ? 'cycle count open' : `${cycle.count} cycle${cycle.count === 1 ? '' : 's'}`;
    const dosage: Dosage = compact({
      text: `${phase.name} · ${cycle.regimen}: ${dose ? `${dose.value} ${dose.unit}` : 'dose open'} × ${agent.administrations} per cycle, ${cycles}`,
      route: agent.route ? { text: agent.route } : undefined,
      doseAndRate: dose ? [{ doseQuantity: dose }] : undefined,
      maxDosePerAdministration: agent.maxMg !== undefined ? { value: agent.maxMg, system: SYSTEMS.ucum, code: 'mg', unit: 'mg' } : undefined,
    });
    out.push(compact({
      resourceType: 'MedicationRequest',
      id: ids.medicationRequest(plan.id, p, c, a),
      meta: { profile: [PROFILES.cancerRelatedMedicationRequest], lastUpdated: plan.updatedAt },
      status: REQUEST_STATUS[statusKey(plan.status)],
      intent: 'plan',
      medicationCodeableConcept: agentConcept(agent.agent),
      subject: refs.patient,
      authoredOn: plan.updatedAt,
      requester: refs.organization,
      reasonReference: reasonOf(refs),
      basedOn: [{ reference: `CarePlan/${carePlanId}` }],
      groupIdentifier: { system: 'urn:tumorboard:plan-cycle', value: `${plan.id}:${phase.id}:${cycle.id}` },
      dosageInstruction: [dosage],
      note: agent.doseModification ? [{ text: `dose modified to ${agent.doseModification.percent}% (${agent.doseModification.rules.join(', ')}): ${agent.doseModification.reason}` }] : undefined,
    } satisfies MedicationRequest));
  })));
  return out;
}

function localControlActivity(lc: SelectedLocalControl, status: CarePlanActivityDetail['status']): CarePlanActivity {
  const code = lc.kind === 'radiation' ? PROCEDURE_CODES.radiotherapy : lc.kind === 'surgery' || lc.kind === 'curettage' ? PROCEDURE_CODES.resection : undefined;
  const what = lc.kind === 'radiation'
    ? `radiation ${lc.radiation.field}${lc.radiation.side ? ` (${lc.radiation.side})` : ''} ${lc.radiation.doseGy}${lc.radiation.boostGy ? ` + ${lc.radiation.boostGy}` : ''} Gy`
    : lc.kind === 'surgery' ? `surgery: ${lc.surgeryType.replace(/_/g, ' ')}` : lc.kind;
  return {
    detail: compact({
      kind: code ? 'ServiceRequest' as const : undefined,
      code: code ? { ...concept(code), text: what } : { text: what },
      status,
      description: lc.description ? `${what}: ${lc.description}` : what,
    }),
  };
}

/** The treatment plan as a CarePlan (intent `plan`) with its medication requests and local control as activities. */
export function planResources(plan: ExportPlan, refs: PlanRefs, recommendation: ClinicalImpression | undefined): Resource[] {
  const id = ids.carePlan(plan.id);
  const key = statusKey(plan.status);
  const requests = medicationRequests(plan, refs, id);
  const c = plan.content;
  const carePlan: CarePlan = compact({
    resourceType: 'CarePlan',
    id,
    meta: { profile: [PROFILES.carePlan], lastUpdated: plan.updatedAt },
    identifier: [{ system: 'urn:tumorboard:id', value: plan.id }, { system: 'urn:tumorboard:plan-version', value: String(plan.version) }],
    status: CAREPLAN_STATUS[key],
    intent: 'plan',
    category: c.templateId ? [{ coding: [{ system: SYSTEMS.tbTemplate, code: c.templateId, display: TEMPLATES[c.templateId].title }] }] : undefined,
    title: c.title,
    description: `${c.intent} intent${c.trialNctId ? `; trial ${c.trialNctId}` : ''}`,
    subject: refs.patient,
    period: plan.startedOn ? compact({ start: plan.startedOn, end: plan.endedOn ?? undefined }) : undefined,
    created: plan.createdAt,
    author: refs.organization,
    addresses: reasonOf(refs),
    supportingInfo: recommendation ? [{ reference: `ClinicalImpression/${recommendation.id!}` }] : undefined,
    activity: [
      ...requests.map((r) => ({ reference: { reference: `MedicationRequest/${r.id!}` } })),
      ...c.localControl.selected.map((lc) => localControlActivity(lc, ACTIVITY_STATUS[key])),
    ],
    note: c.notes ? [{ text: c.notes }] : undefined,
  } satisfies CarePlan);
  return [carePlan, ...requests, ...administrationResources(plan, refs)];
}

/** What was given: MedicationAdministration per agent of a chemo cycle, a surgical Procedure, a radiotherapy course. */
function administrationResources(plan: ExportPlan, refs: PlanRefs): Resource[] {
  return plan.administrations.flatMap((adm) => administration(adm.id, adm.data, plan, refs));
}

function deviationNote(a: Administration): Array<{ text: string }> | undefined {
  const notes = [a.deviation ? `deviation (${a.deviation.reason}): ${a.deviation.note}` : undefined, a.note].filter((x): x is string => !!x);
  return notes.length ? notes.map((text) => ({ text })) : undefined;
}

function administration(id: string, a: Administration, plan: ExportPlan, refs: PlanRefs): Resource[] {
  if (a.kind === 'chemo') {
    return a.agents.map((agent, i): MedicationAdministration => compact({
      resourceType: 'MedicationAdministration',
      id: ids.medicationAdministration(id, i),
      meta: { profile: [PROFILES.cancerRelatedMedicationAdministration], lastUpdated: plan.updatedAt },
      identifier: [{ system: 'urn:tumorboard:id', value: id }],
      status: 'completed',
      medicationCodeableConcept: agentConcept(agent.agent),
      subject: refs.patient,
      effectiveDateTime: a.date,
      reasonReference: reasonOf(refs),
      dosage: compact({
        text: `${agent.administrations ?? 1} administration${(agent.administrations ?? 1) === 1 ? '' : 's'} in the cycle${a.cycleId ? ` (${a.cycleId})` : ''}`,
        dose: doseQuantity(agent),
      }),
      note: deviationNote(a),
    } satisfies MedicationAdministration));
  }
  if (a.kind === 'surgery') {
    const resection = !(NON_RESECTION_SURGERY as readonly string[]).includes(a.surgeryType);
    return [compact({
      resourceType: 'Procedure',
      id: ids.procedure(id),
      meta: { profile: [PROFILES.cancerRelatedSurgicalProcedure], lastUpdated: plan.updatedAt },
      identifier: [{ system: 'urn:tumorboard:id', value: id }],
      status: 'completed',
      code: {
        coding: [
          { ...(resection ? PROCEDURE_CODES.resection : PROCEDURE_CODES.biopsy) },
          { system: SYSTEMS.tbSurgeryType, code: a.surgeryType },
        ],
        text: a.procedure ?? a.surgeryType.replace(/_/g, ' '),
      },
      subject: refs.patient,
      performedDateTime: a.date,
      reasonReference: reasonOf(refs),
      bodySite: refs.tumor ? [primaryBodySite(refs.tumor)] : undefined,
      outcome: a.margin ? { coding: [{ system: SYSTEMS.tbMargin, code: a.margin, display: `${a.margin} margin` }], text: `${a.margin} margin` } : undefined,
      note: deviationNote(a),
    } satisfies Procedure)];
  }
  const total = a.doseGy + (a.boostGy ?? 0);
  return [compact({
    resourceType: 'Procedure',
    id: ids.procedure(id),
    meta: { profile: [PROFILES.radiotherapyCourseSummary], lastUpdated: plan.updatedAt },
    identifier: [{ system: 'urn:tumorboard:id', value: id }],
    extension: [{
      url: EXTENSIONS.radiotherapyDoseDeliveredToVolume,
      extension: [
        { url: 'totalDoseDelivered', valueQuantity: { value: total, ...UNITS.gy } },
        ...(a.fractions !== undefined ? [{ url: 'fractionsDelivered', valueUnsignedInt: a.fractions }] : []),
      ],
    }],
    status: a.endDate ? 'completed' : 'in-progress',
    category: concept(PROCEDURE_CODES.radiotherapy),
    code: { coding: [{ system: SYSTEMS.snomed, code: '1217123003', display: 'Radiotherapy course of treatment (regime/therapy)' }] },
    subject: refs.patient,
    performedPeriod: compact({ start: a.startDate, end: a.endDate }),
    reasonReference: reasonOf(refs),
    bodySite: [{
      coding: [{ system: SYSTEMS.tbRadiationField, code: a.field }],
      text: `${a.field.replace(/_/g, ' ')}${a.side ? ` (${a.side})` : ''}${a.technique ? `, ${a.technique}` : ''}`,
    }],
    note: [{ text: `${a.doseGy} Gy${a.boostGy ? ` + ${a.boostGy} Gy boost` : ''}${a.fractions ? ` in ${a.fractions} fractions` : ''}` }, ...(deviationNote(a) ?? [])],
  } satisfies Procedure)];
}

/**
 * The Tumor Conference consensus recommendation as a ClinicalImpression (mCODE has no profile for it): the plan of
 * care as summary, the other parts and any dissent as notes, the case's primary as the problem.
 */
export function recommendationResource(r: ExportRecommendation, refs: PlanRefs): ClinicalImpression {
  const rec = r.recommendation;
  const notes = [
    rec.diagnosisConfirmed && `Diagnosis confirmed: ${rec.diagnosisConfirmed}`,
    rec.stageConfirmed && `Stage confirmed: ${rec.stageConfirmed}`,
    rec.trialToOffer && `Trial to offer: ${rec.trialToOffer}`,
    rec.furtherWorkup && `Further work-up: ${rec.furtherWorkup}`,
    ...rec.dissent.map((d) => `Dissent (${d.discipline}): ${d.note}`),
  ].filter((x): x is string => !!x);
  return compact({
    resourceType: 'ClinicalImpression',
    id: ids.recommendation(r.itemId),
    meta: { profile: [PROFILES.clinicalImpression], lastUpdated: r.updatedAt },
    identifier: [{ system: 'urn:tumorboard:id', value: r.itemId }],
    status: 'completed',
    description: 'Tumor Conference consensus recommendation',
    subject: refs.patient,
    effectiveDateTime: r.conferenceDate ?? r.updatedAt,
    date: r.updatedAt,
    problem: reasonOf(refs),
    summary: rec.planOfCare,
    note: notes.length ? notes.map((text) => ({ text })) : undefined,
  } satisfies ClinicalImpression);
}
