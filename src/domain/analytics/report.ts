import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { csvCell, csvGrid } from '../csv.js';
import { METRICS, groupLabel, type AnalyticsSummary, type MetricId } from './metrics.js';
import type { Count, Distribution, Share } from './stats.js';

/**
 * The annual conference report (issue 10 "Accreditation report"): the Commission on Cancer Standard 2.5 style
 * figures for one calendar year and the list of conferences with attendance, as a pdfmake definition (rendered by
 * services/documents.ts) and as CSV rows. Pure: the summary in, the document out. No patient names or ids appear:
 * every figure is an aggregate.
 */

/** The report's CSV uses the shared protected writer (src/domain/csv.ts). */
export { csvCell, csvGrid as toCsv };

export const SUPPRESSED_TEXT = '<11 (suppressed)';

/** A count as printed. */
export function fmtCount(c: Count): string {
  return c.suppressed ? SUPPRESSED_TEXT : c.value === null ? '—' : String(c.value);
}

/** A share as printed: "87.5% (35/40)", "—" when the denominator is 0. */
export function fmtShare(s: Share): string {
  if (s.suppressed) return SUPPRESSED_TEXT;
  if (s.percent === null) return `— (0 in denominator)`;
  return `${s.percent}% (${s.numerator}/${s.denominator})`;
}

/** A distribution as printed: "median 12 days, 90th percentile 30 days (n = 40)". */
export function fmtDistribution(d: Distribution): string {
  if (d.suppressed) return SUPPRESSED_TEXT;
  if (!d.n) return '— (none)';
  return `median ${d.medianDays} days, 90th percentile ${d.p90Days} days (n = ${d.n})`;
}

/** The headline figures of the report: Standard 2.5 style lines, each with the metric whose definition applies. */
export function reportFigures(s: AnalyticsSummary): Array<{ metric: MetricId; label: string; value: string; numerator: number | null; denominator: number | null }> {
  const m = s.metrics;
  const sh = (metric: MetricId, label: string, x: Share) => ({ metric, label, value: fmtShare(x), numerator: x.numerator, denominator: x.denominator });
  const ct = (metric: MetricId, label: string, x: Count) => ({ metric, label, value: fmtCount(x), numerator: x.value, denominator: null });
  // For a duration the count it summarises goes in the denominator column; the value column carries median and p90.
  const di = (metric: MetricId, label: string, x: Distribution) => ({ metric, label, value: fmtDistribution(x), numerator: null, denominator: x.n });
  const mt = m['conference.meetings'].value;
  return [
    ct('caseload.new_cases', 'New cases', m['caseload.new_cases'].value.total),
    ct('caseload.referrals', 'Referrals received', m['caseload.referrals'].value.total),
    { metric: 'conference.meetings', label: 'Conferences held of scheduled', value: fmtShare(mt.heldShare), numerator: mt.heldShare.numerator, denominator: mt.heldShare.denominator },
    ct('conference.meetings', 'Conferences cancelled', mt.cancelled),
    ct('conference.presented', 'Cases presented', m['conference.presented'].value.cases),
    ct('conference.presented', 'Presentations (discussions)', m['conference.presented'].value.presentations),
    sh('conference.prospective', 'Presented before first treatment (prospective)', m['conference.prospective'].value),
    sh('conference.attendance', 'Conferences with all four core groups present', m['conference.attendance'].value.allCorePresent),
    sh('conference.documentation', 'Presentations with stage documented', m['conference.documentation'].value.stage),
    sh('conference.documentation', 'Presentations with a treatment guideline referenced', m['conference.documentation'].value.guideline),
    sh('conference.documentation', 'Presentations with trial eligibility discussed', m['conference.documentation'].value.trialDiscussed),
    sh('trials.funnel', 'Presented children screened for a trial', m['trials.funnel'].value.overall.screened),
    sh('trials.funnel', 'Presented children offered a trial', m['trials.funnel'].value.overall.offered),
    sh('trials.funnel', 'Presented children enrolled on a trial', m['trials.funnel'].value.overall.enrolled),
    di('turnaround.referral_to_conference', 'Referral to conference', m['turnaround.referral_to_conference'].value),
    di('turnaround.conference_to_treatment', 'Conference to treatment start', m['turnaround.conference_to_treatment'].value),
    di('turnaround.records_complete', 'Referral to records complete', m['turnaround.records_complete'].value),
    sh('plan.concordance', 'Plans carried out without a recorded deviation', m['plan.concordance'].value.concordant),
  ];
}

/** CSV of the annual report: the figures with their definitions, attendance by group, then every conference. */
export function reportCsv(s: AnalyticsSummary): string {
  const def = (id: MetricId) => METRICS.find((x) => x.id === id)!.definition;
  const rows: Array<Array<string | number | null>> = [
    ['section', 'metric', 'item', 'value', 'numerator', 'denominator', 'definition'],
  ];
  for (const f of reportFigures(s)) rows.push(['figure', f.metric, f.label, f.value, f.numerator, f.denominator, def(f.metric)]);
  const att = s.metrics['conference.attendance'].value;
  for (const g of att.byGroup) {
    rows.push(['attendance_by_group', 'conference.attendance', g.label, fmtShare(g.share), g.share.numerator, g.share.denominator,
      `target ${att.targetPercent}%: ${g.meetsTarget === null ? 'no conferences' : g.meetsTarget ? 'met' : 'not met'}`]);
  }
  rows.push([]);
  rows.push(['conference', 'date', 'status', 'groups present', 'core groups present (of 4)', 'all core present', 'cases discussed']);
  for (const c of att.conferences) {
    rows.push(['conference', c.date, c.status, c.groupsPresent.map(groupLabel).join('; '), c.coreGroupsPresent, c.allCorePresent ? 'yes' : 'no', c.casesDiscussed ?? SUPPRESSED_TEXT]);
  }
  return csvGrid(rows);
}

export interface ReportOptions {
  year: number;
  /** Printed in the footer and stamped as the creation date (same input, same bytes). */
  generatedAt: Date;
}

/** Text the standard 14 fonts can print (WinAnsi): other characters become '?'. */
function winAnsi(s: string): string {
  return s.replace(/[^\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u2030\u20ac]/g, '?');
}

/**
 * The annual conference report as a pdfmake definition: header with institution and year, the figures table
 * (each with its definition), attendance by group against the target, and the list of conferences with the groups
 * present.
 */
export function annualReportPdf(s: AnalyticsSummary, opts: ReportOptions): TDocumentDefinitions {
  const t = (x: string) => winAnsi(x);
  const figures = reportFigures(s);
  const att = s.metrics['conference.attendance'].value;
  const figureRows: TableCell[][] = [
    [{ text: 'Figure', bold: true }, { text: 'Value', bold: true }, { text: 'Definition', bold: true }],
    ...figures.map((f) => [t(f.label), t(f.value), { text: t(METRICS.find((x) => x.id === f.metric)!.definition), fontSize: 7, color: '#444' }]),
  ];
  const groupRows: TableCell[][] = [
    [{ text: 'Group', bold: true }, { text: 'Attended', bold: true }, { text: `Target ${att.targetPercent}%`, bold: true }],
    ...att.byGroup.map((g) => [t(`${g.label}${g.core ? ' (core)' : ''}`), t(fmtShare(g.share)), g.meetsTarget === null ? '—' : g.meetsTarget ? 'met' : 'NOT met']),
  ];
  const confRows: TableCell[][] = [
    [{ text: 'Date', bold: true }, { text: 'Status', bold: true }, { text: 'Groups present', bold: true }, { text: 'Core (of 4)', bold: true }, { text: 'Cases', bold: true }],
    ...att.conferences.map((c) => [c.date, c.status, { text: t(c.groupsPresent.map(groupLabel).join(', ') || 'none recorded'), fontSize: 7 }, `${c.coreGroupsPresent}${c.allCorePresent ? '' : ' !'}`, c.casesDiscussed === null ? '<11' : String(c.casesDiscussed)]),
  ];
  const content: Content[] = [
    { text: t(s.institution), style: 'institution' },
    { text: `Annual Tumor Conference Report ${opts.year}`, style: 'title' },
    { text: `Period ${s.period.from} to ${s.period.to}. Figures in the style of Commission on Cancer Standard 2.5 (multidisciplinary cancer case conference). Every figure is computed from the TumorBoard records; definitions are printed beside each figure.${s.suppression.applied ? ' Counts of 1 to 10 children are suppressed.' : ''}`, style: 'small', margin: [0, 0, 0, 8] },
    { text: 'Figures', style: 'h2' },
    { table: { headerRows: 1, widths: [140, 110, '*'], body: figureRows }, layout: 'lightHorizontalLines', fontSize: 8 },
    { text: 'Attendance by group', style: 'h2' },
    { text: t(METRICS.find((x) => x.id === 'conference.attendance')!.definition), style: 'small', margin: [0, 0, 0, 4] },
    { table: { headerRows: 1, widths: ['*', 120, 70], body: groupRows }, layout: 'lightHorizontalLines', fontSize: 8 },
    { text: `Conferences (${att.conferences.length})`, style: 'h2', pageBreak: att.conferences.length > 20 ? 'before' : undefined },
    att.conferences.length === 0
      ? { text: 'No conference was held in the period.', style: 'small' }
      : { table: { headerRows: 1, widths: [60, 50, '*', 50, 35], body: confRows }, layout: 'lightHorizontalLines', fontSize: 8 },
    { text: '"!" marks a conference where a core group (pediatric oncology, pathology, radiology, radiation oncology) was absent.', style: 'small', margin: [0, 4, 0, 0] },
  ];
  const generated = opts.generatedAt.toISOString().slice(0, 16).replace('T', ' ');
  return {
    info: { title: `Annual Tumor Conference Report ${opts.year}`, creator: 'TumorBoard', creationDate: opts.generatedAt },
    pageSize: 'LETTER',
    pageMargins: [40, 40, 40, 50],
    content,
    footer: (page: number, pages: number) => ({ text: `Generated ${generated} UTC · aggregate figures only · page ${page} of ${pages}`, fontSize: 7, alignment: 'center', color: '#666' }),
    styles: {
      institution: { fontSize: 10, color: '#555' },
      title: { fontSize: 16, bold: true, margin: [0, 2, 0, 4] },
      h2: { fontSize: 11, bold: true, margin: [0, 10, 0, 4] },
      small: { fontSize: 8, color: '#444' },
    },
    defaultStyle: { fontSize: 9 },
  };
}
