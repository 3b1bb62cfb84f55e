import { MORPHOLOGY, tumorFamily, type TumorFamily } from '../domain/coding/morphology.js';
import { AppError } from '../domain/errors.js';
import {
  AGE_BANDS, CORE_GROUPS, SITE_LABELS, DEFAULT_ATTENDANCE_TARGET_PERCENT, METRICS, NON_TREATMENT_SURGERY, REFERRAL_ORIGINS, STANDING_GROUPS,
  TRIAL_NETWORKS, TUMOR_FAMILIES, TUMOR_FAMILY_LABELS, ageBandOf, groupLabel,
  type AnalyticsSummary, type ConferenceAttendanceRow, type CountRow, type MetricId, type MetricValues, type TrialFunnelRow,
} from '../domain/analytics/metrics.js';
import { annualReportPdf, reportCsv } from '../domain/analytics/report.js';
import {
  SMALL_CELL_THRESHOLD, count, distribution, share, suppressDistribution, suppressShare,
} from '../domain/analytics/stats.js';
import { addDays, addMonths } from '../domain/plan/plan.js';
import { analyticsRepo, type AnalyticsScope } from '../store/analytics.repo.js';
import type { Tx } from '../store/db.js';
import { audited } from './audit.js';
import { isoNow, type Actor, type Services } from './context.js';
import { renderPdf } from './documents.js';

/**
 * Program analytics and the annual accreditation report (issue 10). Figures for the actor's institution only,
 * computed live by SQL aggregates (store/analytics.repo.ts); definitions come from domain/analytics/metrics.ts.
 * Every read is audited (no patient ids: these are aggregates). The researcher role sees small cells (1–10
 * children) suppressed everywhere, in JSON, PDF and CSV alike.
 */

export interface AnalyticsQuery {
  from: string;
  to: string;
  tumorType?: TumorFamily | undefined;
  /** Attendance target per group, percent (default 90). */
  attendanceTarget?: number | undefined;
}

/** The longest period one summary covers: enough for a five-year trend, bounded so one request stays cheap. */
export const MAX_PERIOD_DAYS = 366 * 10;

/** Days survivors are flagged as "due soon" before their long-term follow-up entry. */
export const DUE_SOON_DAYS = 90;
/** Long-term follow-up entry after the end of therapy (survivorship-schedule.ts LTFU_ENTRY_MONTHS_AFTER_THERAPY). */
const LTFU_MONTHS = 24;

const NETWORK_LABELS: Record<string, string> = {
  COG: "Children's Oncology Group", SARC: 'SARC', POETIC: 'POETIC', industry: 'Industry', institutional: 'Institutional', other: 'Other',
};
const ORIGIN_LABELS: Record<string, string> = { internal: 'Internal (own clinics)', domestic: 'Domestic', international: 'International' };

function morphologiesOf(family: TumorFamily): string[] {
  return Object.entries(MORPHOLOGY).filter(([, e]) => e.family === family).map(([code]) => code);
}

/** Checks the period: real dates, from ≤ to, at most MAX_PERIOD_DAYS. 400 naming the field otherwise. */
export function checkPeriod(from: string, to: string): void {
  for (const [field, v] of [['from', from], ['to', to]] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)) {
      throw new AppError('validation', `${field}: must be a real date like 2026-01-31`, { field });
    }
  }
  if (to < from) throw new AppError('validation', 'to: must not be before from', { field: 'to' });
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_PERIOD_DAYS) {
    throw new AppError('validation', `to: the period may span at most ${MAX_PERIOD_DAYS} days`, { field: 'to' });
  }
}

/** Every metric, computed in one read transaction. */
async function compute(s: Services, tx: Tx, actor: Actor, q: AnalyticsQuery): Promise<AnalyticsSummary> {
  const d = s.store.dialect;
  const suppress = actor.role === 'researcher';
  const target = q.attendanceTarget ?? DEFAULT_ATTENDANCE_TARGET_PERCENT;
  const scope: AnalyticsScope = {
    institutionId: actor.institutionId, from: q.from, to: q.to, now: isoNow(s),
    tumorType: q.tumorType ? { family: q.tumorType, morphologies: morphologiesOf(q.tumorType) } : null,
  };
  const o = { nonTreatmentSurgery: NON_TREATMENT_SURGERY };
  const c = (x: number) => count(x, suppress);
  const sh = (num: number, den: number) => suppressShare(share(num, den), suppress);
  const dist = (sorted: number[]) => suppressDistribution(distribution(sorted), suppress);
  const rowsOf = (m: Map<string, number>, labels: (k: string) => string): CountRow[] =>
    [...m.entries()].map(([key, v]) => ({ key, label: labels(key), count: c(v) }));
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

  // Caseload
  const nc = await analyticsRepo.newCases(tx, scope);
  const byType = new Map<string, number>(TUMOR_FAMILIES.filter((f) => !q.tumorType || f === q.tumorType).map((f) => [f, 0]));
  const bySite = new Map<string, number>();
  const byAge = new Map<string, number>(AGE_BANDS.map((b) => [b.key, 0]));
  for (const r of nc) {
    add(byType, r.morphology === null ? 'uncharacterised' : tumorFamily(r.morphology) ?? 'other', r.n);
    add(bySite, r.site ?? 'uncharacterised', r.n);
    add(byAge, r.age === null ? 'unknown' : ageBandOf(r.age), r.n);
  }
  const famLabel = (k: string) => (TUMOR_FAMILY_LABELS as Record<string, string>)[k] ?? (k === 'uncharacterised' ? 'Not yet characterised' : 'Other');
  const siteLabel = (k: string) => (SITE_LABELS as Record<string, string>)[k] ?? (k === 'uncharacterised' ? 'Not yet characterised' : groupLabel(k));
  const ageLabel = (k: string) => AGE_BANDS.find((b) => b.key === k)?.label ?? 'Unknown';
  const totalNew = nc.reduce((a, r) => a + r.n, 0);

  const ref = await analyticsRepo.referralsByOrigin(tx, scope);
  const byOrigin = new Map<string, number>(REFERRAL_ORIGINS.map((x) => [x, 0]));
  for (const r of ref) add(byOrigin, r.origin, r.n);

  // Conference
  const meet = await analyticsRepo.meetings(tx, scope);
  const pres = await analyticsRepo.presented(tx, scope);
  const prosp = await analyticsRepo.prospective(tx, d, scope, o);
  const att = await analyticsRepo.attendance(tx, scope);
  const confs = new Map<string, { date: string; status: string; groups: Set<string> }>();
  for (const r of att.groups) {
    const e = confs.get(r.id) ?? { date: r.slot_date, status: r.status, groups: new Set<string>() };
    if (r.discipline) e.groups.add(r.discipline);
    confs.set(r.id, e);
  }
  const conferenceRows: ConferenceAttendanceRow[] = [...confs.entries()].map(([id, e]) => {
    const core = CORE_GROUPS.filter((g) => e.groups.has(g)).length;
    return {
      conferenceId: id, date: e.date, status: e.status, groupsPresent: STANDING_GROUPS.filter((g) => e.groups.has(g)),
      coreGroupsPresent: core, allCorePresent: core === CORE_GROUPS.length, casesDiscussed: c(att.discussed.get(id) ?? 0).value,
    };
  });
  const held = conferenceRows.filter((r) => r.status === 'finished');
  const byGroup = STANDING_GROUPS.map((g) => {
    const x = share(held.filter((r) => r.groupsPresent.includes(g)).length, held.length);
    return { key: g, label: groupLabel(g), core: (CORE_GROUPS as readonly string[]).includes(g), share: x, meetsTarget: x.percent === null ? null : x.percent >= target };
  });
  const doc = await analyticsRepo.documentation(tx, d, scope);

  // Trials
  const funnel = await analyticsRepo.trialFunnel(tx, scope);
  const fRow = (key: string, label: string, r: { screened: number; eligible: number; offered: number; enrolled: number }): TrialFunnelRow => ({
    key, label, screened: sh(r.screened, funnel.presented), eligible: sh(r.eligible, funnel.presented),
    offered: sh(r.offered, funnel.presented), enrolled: sh(r.enrolled, funnel.presented),
  });
  const nets = new Map<string, { screened: number; eligible: number; offered: number; enrolled: number }>(
    TRIAL_NETWORKS.map((k) => [k, { screened: 0, eligible: 0, offered: 0, enrolled: 0 }]));
  for (const r of funnel.byNetwork) {
    // Networks outside the list fold into "other"; taking the larger count never counts one child twice.
    const key = (TRIAL_NETWORKS as readonly string[]).includes(r.network ?? '') ? r.network! : 'other';
    const e = nets.get(key)!;
    nets.set(key, key === r.network ? r : { screened: Math.max(e.screened, r.screened), eligible: Math.max(e.eligible, r.eligible), offered: Math.max(e.offered, r.offered), enrolled: Math.max(e.enrolled, r.enrolled) });
  }
  const declined = await analyticsRepo.declinedReasons(tx, scope);
  const byReason = new Map<string, number>();
  for (const r of declined) add(byReason, (r.reason ?? '').trim().slice(0, 80) || 'No reason recorded', r.n);

  // Turnaround
  const r2c = await analyticsRepo.referralToConference(tx, d, scope);
  const c2t = await analyticsRepo.conferenceToTreatment(tx, d, scope, o);
  const rec = await analyticsRepo.recordsComplete(tx, d, scope);

  // Plan and survivorship
  const conc = await analyticsRepo.concordance(tx, d, scope, o);
  const dev = new Map<string, number>();
  for (const r of conc.byReason) add(dev, r.reason, r.n);
  const overdueBy = addMonths(q.to, -LTFU_MONTHS);
  const surv = await analyticsRepo.survivorship(tx, scope, { overdueBy, dueBy: addDays(overdueBy, DUE_SOON_DAYS) });

  const values: MetricValues = {
    'caseload.new_cases': { total: c(totalNew), byTumorType: rowsOf(byType, famLabel), bySite: rowsOf(bySite, siteLabel).sort((a, b) => a.key.localeCompare(b.key)), byAgeBand: rowsOf(byAge, ageLabel) },
    'caseload.referrals': { total: c(ref.reduce((a, r) => a + r.n, 0)), byOrigin: rowsOf(byOrigin, (k) => ORIGIN_LABELS[k] ?? groupLabel(k)) },
    'conference.meetings': { scheduled: count(meet.scheduled, false), held: count(meet.held, false), cancelled: count(meet.cancelled, false), heldShare: share(meet.held, meet.scheduled) },
    'conference.presented': { cases: c(pres.cases), presentations: c(pres.presentations) },
    'conference.prospective': sh(prosp.prospective, prosp.total),
    'conference.attendance': { targetPercent: target, allCorePresent: share(held.filter((r) => r.allCorePresent).length, held.length), byGroup, conferences: conferenceRows },
    'conference.documentation': { stage: sh(doc.stage, doc.total), guideline: sh(doc.guideline, doc.total), trialDiscussed: sh(doc.trial, doc.total) },
    'trials.funnel': { overall: fRow('all', 'All networks', funnel.overall), byNetwork: [...nets.entries()].map(([k, v]) => fRow(k, NETWORK_LABELS[k] ?? k, v)) },
    // Reasons are free text typed by staff: researchers get the total only.
    'trials.declined': { total: c(declined.reduce((a, r) => a + r.n, 0)), byReason: suppress ? [] : rowsOf(byReason, (k) => k).sort((a, b) => (b.count.value ?? 0) - (a.count.value ?? 0)) },
    'turnaround.referral_to_conference': dist(r2c),
    'turnaround.conference_to_treatment': dist(c2t),
    'turnaround.records_complete': dist(rec),
    'plan.concordance': { plans: c(conc.plans), concordant: sh(conc.concordant, conc.plans), deviationsByReason: rowsOf(dev, groupLabel) },
    'survivorship.due': { survivors: c(surv.survivors), overdue: c(surv.overdue), dueSoon: c(surv.dueSoon), upcoming: c(surv.survivors - surv.overdue - surv.dueSoon) },
  };
  const metrics = Object.fromEntries(METRICS.map((m) => [m.id, { ...m, value: values[m.id as MetricId] }])) as unknown as AnalyticsSummary['metrics'];
  return {
    institution: actor.institutionName, period: { from: q.from, to: q.to }, filters: { tumorType: q.tumorType ?? null },
    generatedAt: isoNow(s), suppression: { applied: suppress, threshold: SMALL_CELL_THRESHOLD }, metrics,
  };
}

function detailOf(q: AnalyticsQuery): string {
  return `from=${q.from} to=${q.to}${q.tumorType ? ` tumorType=${q.tumorType}` : ''}`;
}

export const analytics = {
  /** Every metric with its definition for the period (`GET /api/v1/analytics/summary`). */
  async summary(s: Services, actor: Actor, q: AnalyticsQuery): Promise<AnalyticsSummary> {
    checkPeriod(q.from, q.to);
    return audited(s, actor, { action: 'read', recordType: 'analytics_summary', detail: detailOf(q) }, (tx) => compute(s, tx, actor, q));
  },

  /** The annual conference report for a calendar year, as PDF bytes or CSV text (audited as an export). */
  async annualReport(s: Services, actor: Actor, year: number, format: 'pdf' | 'csv'): Promise<{ filename: string; contentType: string; body: Buffer | string }> {
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('validation', 'year: must be a year like 2026', { field: 'year' });
    const q: AnalyticsQuery = { from: `${year}-01-01`, to: `${year}-12-31` };
    const summary = await audited(s, actor, { action: 'export', recordType: 'analytics_report', detail: `year=${year} format=${format}` }, (tx) => compute(s, tx, actor, q));
    const filename = `tumor-conference-report-${year}.${format}`;
    if (format === 'csv') return { filename, contentType: 'text/csv; charset=utf-8', body: reportCsv(summary) };
    const bytes = await renderPdf(annualReportPdf(summary, { year, generatedAt: s.now() }));
    return { filename, contentType: 'application/pdf', body: bytes };
  },
};
