import type { Tumor, TumorInput } from '../domain/registry/types.js';
import { caseFactsFromRegistry } from '../domain/facts/from-registry.js';
import type { Executor } from './db.js';
import type { TumorTable } from './schema.js';

/** The domain record of a stored row (also used by the FHIR export's bulk reads). */
export function toTumor(r: TumorTable): Tumor {
  return {
    id: r.id, patientId: r.patient_id, institutionId: r.institution_id, diagnosisDate: r.diagnosis_date,
    morphology: r.morphology, topography: r.topography, siteCategory: r.site_category as Tumor['siteCategory'],
    primarySite: r.primary_site,
    ...(r.laterality ? { laterality: r.laterality as Tumor['laterality'] } : {}),
    ...(r.size_cm !== null ? { sizeCm: r.size_cm } : {}),
    details: JSON.parse(r.details) as Tumor['details'],
    ...(r.pathology_summary !== null ? { pathologySummary: r.pathology_summary } : {}),
    ...(r.imaging_summary !== null ? { imagingSummary: r.imaging_summary } : {}),
    version: r.version, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

function columns(t: TumorInput) {
  return {
    diagnosis_date: t.diagnosisDate, morphology: t.morphology, topography: t.topography, site_category: t.siteCategory,
    primary_site: t.primarySite, laterality: t.laterality ?? null, size_cm: t.sizeCm ?? null,
    details: JSON.stringify(t.details ?? {}), pathology_summary: t.pathologySummary ?? null,
    imaging_summary: t.imagingSummary ?? null,
  };
}

export const tumorsRepo = {
  async insert(db: Executor, row: { id: string; patientId: string; institutionId: string; input: TumorInput; now: string }): Promise<Tumor> {
    const values: TumorTable = {
      id: row.id, patient_id: row.patientId, institution_id: row.institutionId, ...columns(row.input),
      version: 1, created_at: row.now, updated_at: row.now,
    };
    await db.insertInto('tumors').values(values).execute();
    return toTumor(values);
  },

  async get(db: Executor, institutionId: string, id: string): Promise<Tumor | undefined> {
    const r = await db.selectFrom('tumors').selectAll().where('id', '=', id).where('institution_id', '=', institutionId).executeTakeFirst();
    return r ? toTumor(r) : undefined;
  },

  async listForPatient(db: Executor, patientId: string): Promise<Tumor[]> {
    const rows = await db.selectFrom('tumors').selectAll().where('patient_id', '=', patientId).orderBy('diagnosis_date').orderBy('id').execute();
    return rows.map(toTumor);
  },

  /** Compare-and-set on version; undefined when stale. */
  async update(db: Executor, institutionId: string, id: string, expectedVersion: number, input: TumorInput, now: string): Promise<Tumor | undefined> {
    const res = await db.updateTable('tumors').set({ ...columns(input), version: expectedVersion + 1, updated_at: now })
      .where('id', '=', id).where('institution_id', '=', institutionId).where('version', '=', expectedVersion).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return undefined;
    return this.get(db, institutionId, id);
  },
};

/**
 * The patient and tumour columns a query joining cases, patients and tumours selects so the case's facts can be
 * built from each row (`caseFactsOfRow`): agenda readiness, trial re-matching, the demo's ready cases.
 */
export const CASE_FACTS_COLUMNS = [
  'patients.birth_date', 'patients.sex', 'tumors.diagnosis_date', 'tumors.morphology', 'tumors.topography', 'tumors.site_category',
  'tumors.primary_site', 'tumors.laterality', 'tumors.size_cm', 'tumors.details',
] as const;

export interface CaseFactsRow {
  birth_date: string; sex: string; diagnosis_date: string; morphology: string; topography: string; site_category: string;
  primary_site: string; laterality: string | null; size_cm: number | null; details: string;
}

/** Case facts (DESIGN §4) from a joined row, as `caseFactsFromRegistry` builds them from the records; not yet validated. */
export function caseFactsOfRow(r: CaseFactsRow): unknown {
  return caseFactsFromRegistry({ birthDate: r.birth_date, sex: r.sex as 'male' | 'female' }, {
    diagnosisDate: r.diagnosis_date, morphology: r.morphology, topography: r.topography, siteCategory: r.site_category,
    primarySite: r.primary_site, ...(r.laterality ? { laterality: r.laterality } : {}), ...(r.size_cm !== null ? { sizeCm: r.size_cm } : {}),
    details: JSON.parse(r.details) as Record<string, unknown>,
  });
}
