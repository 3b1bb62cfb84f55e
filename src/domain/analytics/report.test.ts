import { describe, expect, test } from 'vitest';
import { METRICS, ageBandOf, type AnalyticsSummary } from './metrics.js';
import { annualReportPdf, csvCell, fmtDistribution, fmtShare, reportCsv, toCsv } from './report.js';
import { share } from './stats.js';

describe('CSV cells are protected against formula injection', () => {
  test.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1 410', "'+1 410"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['plain, with comma', '"plain, with comma"'],
    ['say "hi"', '"say ""hi"""'],
    ['ok', 'ok'],
  ])('%j is written as %s', (v, want) => {
    expect(csvCell(v)).toBe(want);
  });

  test('numbers (a negative median difference too) are not prefixed; null is empty', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(toCsv([['a', 1], ['=b', null]])).toBe("a,1\r\n'=b,\r\n");
  });
});

describe('figures print with their counts', () => {
  test('a share prints the percentage and the fraction, or says the denominator is empty or suppressed', () => {
    expect(fmtShare(share(2, 3))).toBe('66.7% (2/3)');
    expect(fmtShare(share(0, 0))).toBe('— (0 in denominator)');
    expect(fmtShare({ numerator: null, denominator: null, percent: null, suppressed: true })).toBe('<11 (suppressed)');
    expect(fmtDistribution({ n: 3, medianDays: 10, p90Days: 20 })).toBe('median 10 days, 90th percentile 20 days (n = 3)');
  });

  test.each([[0, '<1'], [1, '1-4'], [4, '1-4'], [5, '5-9'], [14, '10-14'], [15, '15-19'], [19, '15-19'], [20, '20+'], [25, '20+']])('age %d years falls in band %s', (y, band) => {
    expect(ageBandOf(y)).toBe(band);
  });

  test('every metric has a definition that says over which period it counts', () => {
    for (const m of METRICS) {
      expect(m.definition.length).toBeGreaterThan(60);
      if (m.id !== 'survivorship.due') expect(m.definition).toMatch(/period/);
    }
  });
});

/** A summary with zeros, two conferences (one without radiation oncology). */
function summary(): AnalyticsSummary {
  const z = { value: 0 };
  const s0 = share(0, 0);
  const d0 = { n: 0, medianDays: null, p90Days: null };
  const fr = { key: 'all', label: 'All', screened: s0, eligible: s0, offered: s0, enrolled: s0 };
  const values = {
    'caseload.new_cases': { total: z, byTumorType: [], bySite: [], byAgeBand: [] },
    'caseload.referrals': { total: z, byOrigin: [] },
    'conference.meetings': { scheduled: { value: 2 }, held: { value: 2 }, cancelled: z, heldShare: share(2, 2) },
    'conference.presented': { cases: z, presentations: z },
    'conference.prospective': s0,
    'conference.attendance': {
      targetPercent: 90, allCorePresent: share(1, 2), byGroup: [{ key: 'radiation_oncology', label: 'Radiation oncology', core: true, share: share(1, 2), meetsTarget: false }],
      conferences: [
        { conferenceId: 'a', date: '2025-01-02', status: 'finished', groupsPresent: ['pediatric_oncology', 'pathology', 'radiology', 'radiation_oncology'], coreGroupsPresent: 4, allCorePresent: true, casesDiscussed: 3 },
        { conferenceId: 'b', date: '2025-01-09', status: 'finished', groupsPresent: ['pediatric_oncology'], coreGroupsPresent: 1, allCorePresent: false, casesDiscussed: 0 },
      ],
    },
    'conference.documentation': { stage: s0, guideline: s0, trialDiscussed: s0 },
    'trials.funnel': { overall: fr, byNetwork: [] },
    'trials.declined': { total: z, byReason: [] },
    'turnaround.referral_to_conference': d0, 'turnaround.conference_to_treatment': d0, 'turnaround.records_complete': d0,
    'plan.concordance': { plans: z, concordant: s0, deviationsByReason: [] },
    'survivorship.due': { survivors: z, overdue: z, dueSoon: z, upcoming: z },
  } as const;
  return {
    institution: "Lakeshore Children's Hospital", period: { from: '2025-01-01', to: '2025-12-31' }, filters: { tumorType: null }, generatedAt: '2026-01-05T10:00:00.000Z',
    suppression: { applied: false, threshold: 11 },
    metrics: Object.fromEntries(METRICS.map((m) => [m.id, { ...m, value: values[m.id] }])) as unknown as AnalyticsSummary['metrics'],
  };
}

describe('the annual conference report', () => {
  test('the CSV lists the figures with definitions, attendance by group and every conference', () => {
    const csv = reportCsv(summary());
    expect(csv.split('\r\n')[0]).toBe('section,metric,item,value,numerator,denominator,definition');
    expect(csv).toContain('figure,conference.meetings,Conferences held of scheduled,100% (2/2),2,2,');
    expect(csv).toContain('attendance_by_group,conference.attendance,Radiation oncology,50% (1/2),1,2,target 90%: not met');
    expect(csv).toContain('conference,2025-01-09,finished,Pediatric oncology,1,no,0');
  });

  test('the PDF definition has the title, the figures and a row per conference, with a fixed creation date', () => {
    const doc = annualReportPdf(summary(), { year: 2025, generatedAt: new Date('2026-01-05T10:00:00Z') });
    const text = JSON.stringify(doc.content);
    expect(text).toContain('Annual Tumor Conference Report 2025');
    expect(text).toContain('Conferences with all four core groups present');
    expect(text).toContain('2025-01-09');
    expect(text).toContain('NOT met');
    expect(doc.info?.creationDate).toEqual(new Date('2026-01-05T10:00:00Z'));
  });
});
