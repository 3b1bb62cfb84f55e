import { sql } from 'kysely';
import type { ResearchSubject } from '../domain/deid/cohort.js';
import type { Dialect, Executor } from './db.js';
import type { DataUseAgreementTable, ResearchExportTable, ResearchReleasedSetTable } from './schema.js';

function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/**
 * Research cohort source and the research bookkeeping (data-use agreements, export log). Subjects are read with a
 * fixed number of set-wise queries (not one per patient); first referral dates are a SQL aggregate.
 */
export const researchRepo = {
  /** Every patient of the institution as a research subject (identifiers included: the domain drops them). */
  async subjects(db: Executor, institutionId: string): Promise<ResearchSubject[]> {
    const [patients, tumors, cases, referred, referrals, plans, enrolled] = await Promise.all([
      db.selectFrom('patients').select(['id', 'mrn', 'family_name', 'given_name', 'birth_date', 'sex', 'preferred_language', 'interpreter_needed', 'home_country', 'guardians'])
        .where('institution_id', '=', institutionId).orderBy('id').execute(),
      db.selectFrom('tumors').select(['id', 'patient_id', 'diagnosis_date', 'morphology', 'topography', 'site_category', 'primary_site', 'laterality', 'size_cm', 'details', 'pathology_summary', 'imaging_summary', 'created_at'])
        .where('institution_id', '=', institutionId).orderBy('diagnosis_date').orderBy('created_at').execute(),
      db.selectFrom('cases').select(['id', 'patient_id', 'tumor_id', 'status', 'question', 'created_at'])
        .where('institution_id', '=', institutionId).orderBy('created_at').execute(),
      db.selectFrom('case_events').innerJoin('cases', 'cases.id', 'case_events.case_id')
        .select(['cases.patient_id as patient_id', (eb) => eb.fn.min<string>('case_events.at').as('first_at')])
        .where('cases.institution_id', '=', institutionId).groupBy('cases.patient_id').execute(),
      db.selectFrom('referrals').select(['patient_id', 'patient', 'created_at'])
        .where('institution_id', '=', institutionId).where('patient_id', 'is not', null).orderBy('created_at').execute(),
      db.selectFrom('plans').innerJoin('plan_versions', (j) => j.onRef('plan_versions.plan_id', '=', 'plans.id').onRef('plan_versions.version', '=', 'plans.version'))
        .select(['plans.case_id', 'plans.status', 'plans.started_on', 'plan_versions.content'])
        .where('plans.institution_id', '=', institutionId).execute(),
      db.selectFrom('trial_screenings').innerJoin('cases', 'cases.id', 'trial_screenings.case_id').innerJoin('trials', 'trials.id', 'trial_screenings.trial_id')
        .select(['cases.patient_id', 'trials.nct_id', 'trials.network'])
        .where('trial_screenings.institution_id', '=', institutionId).where('trial_screenings.status', '=', 'enrolled').execute(),
    ]);
    const group = <R, K>(rows: readonly R[], key: (r: R) => K) => {
      const m = new Map<K, R[]>();
      for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
      return m;
    };
    const tumorsBy = group(tumors, (t) => t.patient_id);
    const casesBy = group(cases, (c) => c.patient_id);
    const firstAt = new Map(referred.map((r) => [r.patient_id, r.first_at]));
    const stateBy = new Map<string, string>();
    for (const r of referrals) {
      const st = parseJson<{ homeState?: string }>(r.patient, {}).homeState;
      if (st && r.patient_id) stateBy.set(r.patient_id, st);
    }
    const planBy = new Map(plans.map((p) => [p.case_id, { templateId: parseJson<{ templateId?: string | null }>(p.content, {}).templateId ?? null, status: p.status, startedOn: p.started_on }]));
    const enrolledBy = group(enrolled, (e) => e.patient_id);

    return patients.map((p) => {
      const ts = tumorsBy.get(p.id) ?? [];
      const index = ts[0];
      const pcs = casesBy.get(p.id) ?? [];
      const indexCase = (index && pcs.find((c) => c.tumor_id === index.id)) ?? pcs[0];
      const plan = (indexCase && planBy.get(indexCase.id)) ?? pcs.map((c) => planBy.get(c.id)).find((x) => x) ?? null;
      const first = firstAt.get(p.id);
      return {
        patientId: p.id, mrn: p.mrn, familyName: p.family_name, givenName: p.given_name, birthDate: p.birth_date, sex: p.sex,
        preferredLanguage: p.preferred_language, interpreterNeeded: p.interpreter_needed === 1, homeCountry: p.home_country,
        homeState: stateBy.get(p.id) ?? null, city: null, postalCode: null,
        guardians: parseJson(p.guardians, []),
        tumor: index ? {
          diagnosisDate: index.diagnosis_date, morphology: index.morphology, topography: index.topography, siteCategory: index.site_category,
          primarySite: index.primary_site, laterality: index.laterality ?? undefined, sizeCm: index.size_cm ?? undefined,
          details: parseJson<Record<string, unknown>>(index.details, {}), pathologySummary: index.pathology_summary, imagingSummary: index.imaging_summary,
        } : null,
        relapseDiagnosisDate: ts[1]?.diagnosis_date ?? null,
        caseStatus: indexCase?.status ?? null,
        caseQuestion: indexCase?.question ?? null,
        referredOn: first ? first.slice(0, 10) : null,
        plan,
        enrolledTrials: (enrolledBy.get(p.id) ?? []).map((e) => ({ nctId: e.nct_id, network: e.network })),
      } satisfies ResearchSubject;
    });
  },

  async insertDua(db: Executor, row: DataUseAgreementTable): Promise<void> {
    await db.insertInto('data_use_agreements').values(row).execute();
  },
  async duas(db: Executor, institutionId: string): Promise<Array<DataUseAgreementTable & { recorded_by_name: string | null }>> {
    return db.selectFrom('data_use_agreements').leftJoin('users', 'users.id', 'data_use_agreements.recorded_by')
      .selectAll('data_use_agreements').select('users.display_name as recorded_by_name')
      .where('data_use_agreements.institution_id', '=', institutionId).orderBy('data_use_agreements.expires_on', 'desc').execute();
  },
  async dua(db: Executor, institutionId: string, id: string): Promise<DataUseAgreementTable | undefined> {
    return db.selectFrom('data_use_agreements').selectAll().where('institution_id', '=', institutionId).where('id', '=', id).executeTakeFirst();
  },
  async insertExport(db: Executor, row: ResearchExportTable): Promise<void> {
    await db.insertInto('research_exports').values(row).execute();
  },
  async exports(db: Executor, institutionId: string, limit = 50): Promise<Array<ResearchExportTable & { username: string | null }>> {
    return db.selectFrom('research_exports').leftJoin('users', 'users.id', 'research_exports.user_id')
      .selectAll('research_exports').select('users.username as username')
      .where('research_exports.institution_id', '=', institutionId).orderBy('research_exports.at', 'desc').limit(limit).execute();
  },

  /**
   * Remembers the sets one cohort answer showed exactly (`payload`: key → sorted patient ids) and deletes every
   * answer older than `notBefore` (outside the differencing window), so the table holds only what is still checked.
   */
  async insertReleasedSets(db: Executor, row: Omit<ResearchReleasedSetTable, 'payload'> & { sets: Record<string, readonly string[]> }, notBefore: string): Promise<void> {
    await db.deleteFrom('research_released_sets').where('answered_at', '<', notBefore).execute();
    const { sets, ...rest } = row;
    await db.insertInto('research_released_sets').values({ ...rest, payload: JSON.stringify(sets) }).execute();
  },
  /**
   * Serializes one researcher's cohort answers until the transaction ends, so two answers sent at once cannot both
   * pass the differencing check without seeing each other. SQLite has a single writer already.
   */
  async lockResearcherAnswers(db: Executor, dialect: Dialect, userId: string): Promise<void> {
    // Two-int advisory key: its own key space, apart from the audit chains' bigint locks. 0x74627273 = 'tbrs'.
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${0x74627273}, hashtext(${userId}))`.execute(db);
  },
  /** A researcher's released sets from answers since `notBefore`, of the latest `limit` answers (newest first). */
  async releasedSets(db: Executor, institutionId: string, userId: string, notBefore: string, limit: number): Promise<Array<{ key: string; members: string[] }>> {
    const rows = await db.selectFrom('research_released_sets').select(['payload'])
      .where('institution_id', '=', institutionId).where('user_id', '=', userId).where('answered_at', '>=', notBefore)
      .orderBy('answered_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.flatMap((r) => Object.entries(parseJson<Record<string, string[]>>(r.payload, {})).map(([key, members]) => ({ key, members })));
  },
};
