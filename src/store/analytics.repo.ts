import { sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor } from './db.js';

/**
 * Program analytics (issue 10) as SQL aggregates: every query returns counts per group (GROUP BY, COUNT, CASE) or
 * one sorted column of durations, never whole records. Written with Kysely's `sql` tag so the same text runs on
 * SQLite and PostgreSQL; the two places the dialects differ (reading a JSON field, subtracting dates) go through
 * `jsonText` and `daysBetween`. Dates in the schema are ISO-8601 text, so period bounds are text comparisons that
 * the indexes of migration 007 serve. Per-case lookups (first presentation, first treatment) are correlated
 * sub-queries on indexed columns inside `WITH … AS MATERIALIZED` (SQLite ≥ 3.35 and PostgreSQL 12+), so each runs once
 * per case instead of once per reference when the planner would inline the sub-select.
 */

export interface AnalyticsScope {
  institutionId: string;
  /** Inclusive `YYYY-MM-DD` bounds. */
  from: string;
  to: string;
  /** ISO timestamp: conferences after this are not "scheduled" yet. */
  now: string;
  /** Tumour-type filter: the family and the ICD-O-3 morphology codes of that family; null = all. */
  tumorType: { family: string; morphologies: readonly string[] } | null;
}

/** Query options from the domain: the operations that do not start treatment (metrics.ts NON_TREATMENT_SURGERY). */
export interface AnalyticsQueryOptions {
  nonTreatmentSurgery: readonly string[];
}

/** A JSON text field of a text column holding JSON (`path` is a trusted constant: dotted keys). */
function jsonText(d: Dialect, column: string, path: string): RawBuilder<string | null> {
  if (!/^[a-zA-Z_.]+$/.test(path) || !/^[a-z_.]+$/.test(column)) throw new Error('bad json path');
  return d === 'postgres'
    ? sql<string | null>`(CAST(${sql.raw(column)} AS jsonb) #>> ${sql.lit(`{${path.split('.').join(',')}}`)})`
    : sql<string | null>`json_extract(${sql.raw(column)}, ${sql.lit(`$.${path}`)})`;
}

/** Whole days from date/timestamp column a to b (both ISO text; only the date part is used). */
function daysBetween(d: Dialect, a: string, b: string): RawBuilder<number> {
  return d === 'postgres'
    ? sql<number>`(CAST(substr(${sql.raw(b)}, 1, 10) AS date) - CAST(substr(${sql.raw(a)}, 1, 10) AS date))`
    : sql<number>`CAST(julianday(substr(${sql.raw(b)}, 1, 10)) - julianday(substr(${sql.raw(a)}, 1, 10)) AS integer)`;
}

/** The day after `date` (exclusive upper bound for timestamps). */
function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** `AND <caseColumn> is a case of the tumour type` (a semi-join), or nothing without a filter. */
function caseOfType(s: AnalyticsScope, caseColumn: string): RawBuilder<unknown> {
  if (!s.tumorType) return sql``;
  return sql`AND ${sql.raw(caseColumn)} IN (SELECT fc.id FROM cases fc JOIN tumors ft ON ft.id = fc.tumor_id
    WHERE fc.institution_id = ${s.institutionId} AND ft.morphology IN (${sql.join([...s.tumorType.morphologies])}))`;
}

/** Whether an administration starts treatment (not a biopsy-type operation). */
function isTreatment(d: Dialect, o: AnalyticsQueryOptions): RawBuilder<unknown> {
  // The JSON is read only for operations (CASE evaluates lazily on both dialects; AND may not).
  return sql`(CASE WHEN pa.kind <> 'surgery' THEN 1 WHEN COALESCE(${jsonText(d, 'pa.data', 'surgeryType')}, '') IN (${sql.join(o.nonTreatmentSurgery.map((x) => sql.lit(x)))}) THEN 0 ELSE 1 END) = 1`;
}

/**
 * Cases first presented in the period: `case_id`, `first_date`. Only cases discussed in the period can be (the
 * IN list is built once), then their earliest discussion over all time decides.
 */
function firstPresentedInPeriod(s: AnalyticsScope): RawBuilder<unknown> {
  return sql`SELECT a.case_id AS case_id, MIN(f.slot_date) AS first_date
    FROM agenda_items a JOIN conferences f ON f.id = a.conference_id
    WHERE f.institution_id = ${s.institutionId} AND a.status = 'discussed'
      AND a.case_id IN (${presentedCases(s)})
    GROUP BY a.case_id
    HAVING MIN(f.slot_date) >= ${s.from}`;
}

/** The date of a case's first treatment (correlated on `caseColumn`; plans.case_id and the administrations index serve it). */
function firstTreatmentOf(d: Dialect, o: AnalyticsQueryOptions, caseColumn: string): RawBuilder<unknown> {
  return sql`(SELECT MIN(pa.given_on) FROM plans pl JOIN plan_administrations pa ON pa.plan_id = pl.id
    WHERE pl.case_id = ${sql.raw(caseColumn)} AND ${isTreatment(d, o)})`;
}

/**
 * The date of a case's first presentation (correlated on `caseColumn`, a case of the institution already; agenda_items
 * (case_id, status) serves it). No institution condition here on purpose: with one, SQLite answers MIN() by walking
 * the conferences (institution, slot_date) index in date order, probing every meeting for each case.
 */
function firstPresentationOf(caseColumn: string): RawBuilder<unknown> {
  return sql`(SELECT MIN(f.slot_date) FROM agenda_items a JOIN conferences f ON f.id = a.conference_id
    WHERE a.case_id = ${sql.raw(caseColumn)} AND a.status = 'discussed')`;
}

/** Cases of the institution with a treatment administration given in the period (candidates for "first treatment in the period"). */
function treatedInPeriod(d: Dialect, s: AnalyticsScope, o: AnalyticsQueryOptions): RawBuilder<unknown> {
  return sql`SELECT pl.case_id FROM plan_administrations pa JOIN plans pl ON pl.id = pa.plan_id
    WHERE pa.given_on >= ${s.from} AND pa.given_on <= ${s.to} AND pl.institution_id = ${s.institutionId} AND ${isTreatment(d, o)}`;
}

/** Distinct cases presented (discussed) at a conference in the period, within the tumour-type filter. */
function presentedCases(s: AnalyticsScope): RawBuilder<unknown> {
  return sql`SELECT DISTINCT a.case_id AS case_id FROM agenda_items a JOIN conferences f ON f.id = a.conference_id
    WHERE f.institution_id = ${s.institutionId} AND a.status = 'discussed' AND f.slot_date >= ${s.from} AND f.slot_date <= ${s.to}
    ${caseOfType(s, 'a.case_id')}`;
}

async function rows<T>(db: Executor, q: RawBuilder<T>): Promise<T[]> {
  return (await q.execute(db)).rows;
}

/** Sorted durations (days) of one column. */
async function durations(db: Executor, q: RawBuilder<{ days: number }>): Promise<number[]> {
  return (await rows(db, q)).map((r) => n(r.days)).sort((a, b) => a - b);
}

export const analyticsRepo = {
  /** New cases by morphology, site category and age at diagnosis in whole years (null when no tumour yet). */
  async newCases(db: Executor, s: AnalyticsScope) {
    const age = sql`CAST(substr(t.diagnosis_date, 1, 4) AS integer) - CAST(substr(p.birth_date, 1, 4) AS integer)
      - CASE WHEN CAST(substr(t.diagnosis_date, 6, 2) AS integer) * 100 + CAST(substr(t.diagnosis_date, 9, 2) AS integer)
               < CAST(substr(p.birth_date, 6, 2) AS integer) * 100 + CAST(substr(p.birth_date, 9, 2) AS integer) THEN 1 ELSE 0 END`;
    const r = await rows(db, sql<{ morphology: string | null; site: string | null; age: number | null; n: number }>`
      SELECT x.morphology AS morphology, x.site AS site, x.age AS age, COUNT(*) AS n FROM (
        SELECT t.morphology AS morphology, t.site_category AS site, CASE WHEN t.id IS NULL THEN NULL ELSE ${age} END AS age
        FROM cases c LEFT JOIN tumors t ON t.id = c.tumor_id JOIN patients p ON p.id = c.patient_id
        WHERE c.institution_id = ${s.institutionId} AND c.created_at >= ${s.from} AND c.created_at < ${nextDay(s.to)}
        ${caseOfType(s, 'c.id')}
      ) x GROUP BY x.morphology, x.site, x.age`);
    return r.map((x) => ({ morphology: x.morphology, site: x.site, age: x.age === null ? null : n(x.age), n: n(x.n) }));
  },

  /** Referrals received by origin. */
  async referralsByOrigin(db: Executor, s: AnalyticsScope) {
    const filter = s.tumorType
      ? sql`AND (r.suspected_family = ${s.tumorType.family} OR r.case_id IN (SELECT fc.id FROM cases fc JOIN tumors ft ON ft.id = fc.tumor_id
          WHERE fc.institution_id = ${s.institutionId} AND ft.morphology IN (${sql.join([...s.tumorType.morphologies])})))`
      : sql``;
    const r = await rows(db, sql<{ origin: string; n: number }>`
      SELECT r.origin AS origin, COUNT(*) AS n FROM referrals r
      WHERE r.institution_id = ${s.institutionId} AND r.created_at >= ${s.from} AND r.created_at < ${nextDay(s.to)} ${filter}
      GROUP BY r.origin`);
    return r.map((x) => ({ origin: x.origin, n: n(x.n) }));
  },

  /** Occurrences in the period not in the future: all, finished, cancelled. */
  async meetings(db: Executor, s: AnalyticsScope) {
    const [r] = await rows(db, sql<{ scheduled: number; held: number; cancelled: number }>`
      SELECT COUNT(*) AS scheduled,
        SUM(CASE WHEN f.status = 'finished' THEN 1 ELSE 0 END) AS held,
        SUM(CASE WHEN f.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled
      FROM conferences f
      WHERE f.institution_id = ${s.institutionId} AND f.slot_date >= ${s.from} AND f.slot_date <= ${s.to} AND f.starts_at <= ${s.now}`);
    return { scheduled: n(r?.scheduled), held: n(r?.held), cancelled: n(r?.cancelled) };
  },

  /** Distinct cases presented and presentations (discussed agenda items) in the period. */
  async presented(db: Executor, s: AnalyticsScope) {
    const [r] = await rows(db, sql<{ cases: number; presentations: number }>`
      SELECT COUNT(DISTINCT a.case_id) AS cases, COUNT(*) AS presentations
      FROM agenda_items a JOIN conferences f ON f.id = a.conference_id
      WHERE f.institution_id = ${s.institutionId} AND a.status = 'discussed' AND f.slot_date >= ${s.from} AND f.slot_date <= ${s.to}
      ${caseOfType(s, 'a.case_id')}`);
    return { cases: n(r?.cases), presentations: n(r?.presentations) };
  },

  /** Cases first presented in the period, and how many of them before any treatment. */
  async prospective(db: Executor, d: Dialect, s: AnalyticsScope, o: AnalyticsQueryOptions) {
    const [r] = await rows(db, sql<{ total: number; prospective: number }>`
      WITH x AS MATERIALIZED (SELECT fp.case_id, fp.first_date, ${firstTreatmentOf(d, o, 'fp.case_id')} AS first_tx FROM (${firstPresentedInPeriod(s)}) fp)
      SELECT COUNT(*) AS total, SUM(CASE WHEN x.first_tx IS NULL OR x.first_tx >= x.first_date THEN 1 ELSE 0 END) AS prospective FROM x`);
    return { total: n(r?.total), prospective: n(r?.prospective) };
  },

  /** Days from the (earliest) referral of a case to its first presentation, for cases first presented in the period. */
  async referralToConference(db: Executor, d: Dialect, s: AnalyticsScope): Promise<number[]> {
    return durations(db, sql<{ days: number }>`
      WITH x AS MATERIALIZED (
        SELECT fp.first_date AS first_date,
          (SELECT MIN(r.created_at) FROM referrals r WHERE r.case_id = fp.case_id) AS received
        FROM (${firstPresentedInPeriod(s)}) fp
      )
      SELECT ${daysBetween(d, 'x.received', 'x.first_date')} AS days FROM x WHERE x.received IS NOT NULL
      ORDER BY days`);
  },

  /** Days from first presentation to first treatment, for first treatments in the period on or after the presentation. */
  async conferenceToTreatment(db: Executor, d: Dialect, s: AnalyticsScope, o: AnalyticsQueryOptions): Promise<number[]> {
    return durations(db, sql<{ days: number }>`
      WITH x AS MATERIALIZED (
        SELECT c.id AS case_id, ${firstTreatmentOf(d, o, 'c.id')} AS first_tx, ${firstPresentationOf('c.id')} AS first_date
        FROM cases c
        WHERE c.institution_id = ${s.institutionId} AND c.id IN (${treatedInPeriod(d, s, o)}) ${caseOfType(s, 'c.id')}
      )
      SELECT ${daysBetween(d, 'x.first_date', 'x.first_tx')} AS days FROM x
      WHERE x.first_tx >= ${s.from} AND x.first_date IS NOT NULL AND x.first_tx >= x.first_date
      ORDER BY days`);
  },

  /** Days from referral receipt to records complete, for referrals complete in the period. */
  async recordsComplete(db: Executor, d: Dialect, s: AnalyticsScope): Promise<number[]> {
    const filter = s.tumorType
      ? sql`AND (r.suspected_family = ${s.tumorType.family} OR r.case_id IN (SELECT fc.id FROM cases fc JOIN tumors ft ON ft.id = fc.tumor_id
          WHERE fc.institution_id = ${s.institutionId} AND ft.morphology IN (${sql.join([...s.tumorType.morphologies])})))`
      : sql``;
    return durations(db, sql<{ days: number }>`
      SELECT ${daysBetween(d, 'r.created_at', 'r.records_complete_at')} AS days FROM referrals r
      WHERE r.institution_id = ${s.institutionId} AND r.records_complete_at >= ${s.from} AND r.records_complete_at < ${nextDay(s.to)} ${filter}
      ORDER BY days`);
  },

  /**
   * Conferences in the period (not in the future) with each group that checked in (one row per conference and
   * group; a conference without attendance gives one row with a null group) and the number of cases discussed.
   */
  async attendance(db: Executor, s: AnalyticsScope) {
    const groups = await rows(db, sql<{ id: string; slot_date: string; status: string; discipline: string | null }>`
      SELECT f.id AS id, f.slot_date AS slot_date, f.status AS status, att.discipline AS discipline
      FROM conferences f LEFT JOIN attendance att ON att.conference_id = f.id
      WHERE f.institution_id = ${s.institutionId} AND f.slot_date >= ${s.from} AND f.slot_date <= ${s.to} AND f.starts_at <= ${s.now}
      GROUP BY f.id, f.slot_date, f.status, att.discipline
      ORDER BY f.slot_date, f.id`);
    const discussed = await rows(db, sql<{ id: string; n: number }>`
      SELECT a.conference_id AS id, COUNT(*) AS n FROM agenda_items a JOIN conferences f ON f.id = a.conference_id
      WHERE f.institution_id = ${s.institutionId} AND a.status = 'discussed' AND f.slot_date >= ${s.from} AND f.slot_date <= ${s.to}
      GROUP BY a.conference_id`);
    return { groups, discussed: new Map(discussed.map((x) => [x.id, n(x.n)])) };
  },

  /** Presentations in the period with stage documented, a guideline referenced and trial eligibility discussed. */
  async documentation(db: Executor, d: Dialect, s: AnalyticsScope) {
    const stage = jsonText(d, 'a.recommendation', 'stageConfirmed');
    const planOfCare = jsonText(d, 'a.recommendation', 'planOfCare');
    const trial = jsonText(d, 'a.recommendation', 'trialToOffer');
    const [r] = await rows(db, sql<{ total: number; stage: number; guideline: number; trial: number }>`
      SELECT COUNT(*) AS total,
        SUM(CASE WHEN COALESCE(${stage}, '') <> '' THEN 1 ELSE 0 END) AS stage,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM plans pl WHERE pl.case_id = a.case_id) OR COALESCE(${planOfCare}, '') LIKE '%T-%' THEN 1 ELSE 0 END) AS guideline,
        SUM(CASE WHEN COALESCE(${trial}, '') <> '' OR EXISTS (SELECT 1 FROM trial_screenings ts WHERE ts.case_id = a.case_id) THEN 1 ELSE 0 END) AS trial
      FROM agenda_items a JOIN conferences f ON f.id = a.conference_id
      WHERE f.institution_id = ${s.institutionId} AND a.status = 'discussed' AND f.slot_date >= ${s.from} AND f.slot_date <= ${s.to}
      ${caseOfType(s, 'a.case_id')}`);
    return { total: n(r?.total), stage: n(r?.stage), guideline: n(r?.guideline), trial: n(r?.trial) };
  },

  /** Children presented in the period and, per trial network (null = all networks), how many were screened, eligible, offered, enrolled. */
  async trialFunnel(db: Executor, s: AnalyticsScope) {
    const [base] = await rows(db, sql<{ n: number }>`SELECT COUNT(*) AS n FROM (${presentedCases(s)}) pc`);
    const cols = sql`COUNT(DISTINCT ts.case_id) AS screened,
        COUNT(DISTINCT CASE WHEN ts.verdict = 'eligible' OR ts.status IN ('offered', 'enrolled', 'declined') THEN ts.case_id END) AS eligible,
        COUNT(DISTINCT CASE WHEN ts.status IN ('offered', 'enrolled', 'declined') THEN ts.case_id END) AS offered,
        COUNT(DISTINCT CASE WHEN ts.status = 'enrolled' THEN ts.case_id END) AS enrolled`;
    const from = sql`FROM trial_screenings ts JOIN trials tr ON tr.id = ts.trial_id
        WHERE ts.institution_id = ${s.institutionId} AND ts.case_id IN (${presentedCases(s)})`;
    type Row = { network: string | null; screened: number; eligible: number; offered: number; enrolled: number };
    const [overall] = await rows(db, sql<Row>`SELECT NULL AS network, ${cols} ${from}`);
    const byNetwork = await rows(db, sql<Row>`SELECT tr.network AS network, ${cols} ${from} GROUP BY tr.network`);
    const norm = (r: Row | undefined) => ({ network: r?.network ?? null, screened: n(r?.screened), eligible: n(r?.eligible), offered: n(r?.offered), enrolled: n(r?.enrolled) });
    return { presented: n(base?.n), overall: norm(overall), byNetwork: byNetwork.map(norm) };
  },

  /** Declined offers of children presented in the period, by reason. */
  async declinedReasons(db: Executor, s: AnalyticsScope) {
    const r = await rows(db, sql<{ reason: string | null; n: number }>`
      SELECT ts.reason AS reason, COUNT(*) AS n
      FROM trial_screenings ts
      WHERE ts.institution_id = ${s.institutionId} AND ts.status = 'declined' AND ts.case_id IN (${presentedCases(s)})
      GROUP BY ts.reason`);
    return r.map((x) => ({ reason: x.reason, n: n(x.n) }));
  },

  /** Plans whose first treatment was in the period, and how many have no recorded deviation; deviations given in the period by reason. */
  async concordance(db: Executor, d: Dialect, s: AnalyticsScope, o: AnalyticsQueryOptions) {
    // Most administrations record no deviation: the cheap text test spares parsing their JSON.
    const reason = sql`CASE WHEN pa.data LIKE '%"deviation"%' THEN ${jsonText(d, 'pa.data', 'deviation.reason')} END`;
    const [r] = await rows(db, sql<{ plans: number; concordant: number }>`
      SELECT COUNT(*) AS plans, SUM(CASE WHEN x.deviations = 0 THEN 1 ELSE 0 END) AS concordant FROM (
        SELECT pl.id AS id, MIN(CASE WHEN ${isTreatment(d, o)} THEN pa.given_on END) AS first_tx,
          SUM(CASE WHEN ${reason} IS NOT NULL THEN 1 ELSE 0 END) AS deviations
        FROM plans pl JOIN plan_administrations pa ON pa.plan_id = pl.id
        WHERE pl.institution_id = ${s.institutionId} AND pl.case_id IN (${treatedInPeriod(d, s, o)}) ${caseOfType(s, 'pl.case_id')}
        GROUP BY pl.id
      ) x WHERE x.first_tx >= ${s.from} AND x.first_tx <= ${s.to}`);
    const byReason = await rows(db, sql<{ reason: string; n: number }>`
      SELECT x.reason AS reason, COUNT(*) AS n FROM (
        SELECT ${reason} AS reason FROM plans pl JOIN plan_administrations pa ON pa.plan_id = pl.id
        WHERE pl.institution_id = ${s.institutionId} AND pa.given_on >= ${s.from} AND pa.given_on <= ${s.to} ${caseOfType(s, 'pl.case_id')}
      ) x WHERE x.reason IS NOT NULL GROUP BY x.reason`);
    return { plans: n(r?.plans), concordant: n(r?.concordant), byReason: byReason.map((x) => ({ reason: x.reason, n: n(x.n) })) };
  },

  /**
   * Survivors (patients with a completed plan that ended by the period end), by their latest end of therapy:
   * ended on or before `overdueBy` (LTFU entry passed), on or before `dueBy` (entry within 90 days), or later.
   */
  async survivorship(db: Executor, s: AnalyticsScope, cut: { overdueBy: string; dueBy: string }) {
    const [r] = await rows(db, sql<{ survivors: number; overdue: number; due: number }>`
      SELECT COUNT(*) AS survivors,
        SUM(CASE WHEN x.ended <= ${cut.overdueBy} THEN 1 ELSE 0 END) AS overdue,
        SUM(CASE WHEN x.ended > ${cut.overdueBy} AND x.ended <= ${cut.dueBy} THEN 1 ELSE 0 END) AS due
      FROM (
        SELECT c.patient_id AS patient_id, MAX(pl.ended_on) AS ended
        FROM plans pl JOIN cases c ON c.id = pl.case_id
        WHERE pl.institution_id = ${s.institutionId} AND pl.status = 'completed' AND pl.ended_on IS NOT NULL AND pl.ended_on <= ${s.to}
        ${caseOfType(s, 'pl.case_id')}
        GROUP BY c.patient_id
      ) x`);
    return { survivors: n(r?.survivors), overdue: n(r?.overdue), dueSoon: n(r?.due) };
  },
};
