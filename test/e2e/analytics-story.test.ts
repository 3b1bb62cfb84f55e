import { describe, expect, test } from 'vitest';
import { useStory } from './harness.js';
import { AnalyticsPage } from './analytics-pages.js';

const iso = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Issue 10, as the program director lives it: from the menu she opens the analytics dashboard of the demo program,
 * sees the last twelve months, narrows the period, reads how many children were presented before their first
 * treatment and what exactly that figure counts, and downloads the annual conference report in one click.
 */
describe('a program director reads the program figures and downloads the annual report', () => {
  const story = useStory();

  test('the dashboard explains each figure, follows the date range and gives the annual report as a PDF', async () => {
    const { page, problems } = await story.signedIn('admin');
    page.setDefaultTimeout(60_000);
    const dash = new AnalyticsPage(page);
    await dash.openFromMenu();

    // The demo program has a year of conferences: figures, not dashes.
    expect(await dash.headlineValue('new-cases')).toMatch(/^\d+$/);
    expect(Number(await dash.headlineValue('presented'))).toBeGreaterThan(0);
    expect(await dash.headlineValue('meetings')).toMatch(/^\d+(\.\d)?% \(\d+\/\d+\)$/);

    // A narrower period: the last 90 days.
    const to = iso(new Date());
    const from = iso(new Date(Date.now() - 89 * 86_400_000));
    const yearPresented = Number(await dash.headlineValue('presented'));
    await dash.setPeriod(from, to);
    const quarterPresented = Number(await dash.headlineValue('presented'));
    expect(quarterPresented).toBeGreaterThan(0);
    expect(quarterPresented).toBeLessThan(yearPresented);

    // A figure and what it counts.
    expect(await dash.headlineValue('prospective')).toMatch(/^\d+(\.\d)?% \(\d+\/\d+\)$/);
    const definition = await dash.definitionOf('Presented before first treatment');
    expect(definition).toContain('no treatment');
    expect(definition).toContain('biopsy');
    expect(await dash.definitionOf('Required-group attendance')).toContain('90%');
    await dash.table('Attendance by group').getByRole('rowheader', { name: 'Radiation oncology (core)' }).waitFor();

    // The tumour-type filter narrows the case figures.
    const allTypes = Number(await dash.headlineValue('new-cases'));
    await dash.chooseTumourType('Osteosarcoma');
    const osteosarcoma = Number(await dash.headlineValue('new-cases'));
    expect(osteosarcoma).toBeLessThan(allTypes);

    // The annual report, one click: a PDF.
    const year = new Date().getFullYear();
    const href = await dash.annualReportHref(year);
    expect(href).toBe(`/api/v1/analytics/report.pdf?year=${year}`);
    const [download] = await Promise.all([page.waitForEvent('download'), dash.reportButton().click()]);
    const file = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(file!).subarray(0, 4).toString()).toBe('%PDF');
    expect(download.suggestedFilename()).toBe(`tumor-conference-report-${year}.pdf`);

    expect(problems).toEqual([]);
    await page.close();
  });
});
