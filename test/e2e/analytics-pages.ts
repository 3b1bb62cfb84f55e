import type { Locator, Page } from 'playwright-core';

/** Page objects for the program analytics dashboard (issue 10): what a program director does, in the screen's words. */

/** /analytics */
export class AnalyticsPage {
  constructor(private readonly page: Page) {}

  /** From the navigation menu, as a person would. */
  async openFromMenu(): Promise<void> {
    await this.page.getByRole('navigation').getByRole('link', { name: 'Analytics' }).click();
    await this.heading().waitFor();
    await this.headline('new-cases').getByTestId('headline-value').waitFor();
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1, name: 'Program analytics' });
  }

  headline(key: 'new-cases' | 'presented' | 'prospective' | 'meetings' | 'offered' | 'turnaround'): Locator {
    return this.page.getByTestId(`headline-${key}`);
  }

  async headlineValue(key: Parameters<AnalyticsPage['headline']>[0]): Promise<string> {
    return this.headline(key).getByTestId('headline-value').innerText();
  }

  /** The period line under the filters ("Showing 2025-01-01 to 2025-12-31, all tumour types."). */
  period(): Locator {
    return this.page.getByTestId('analytics-period');
  }

  /** Types a new date range; the figures follow once both dates are real dates. */
  async setPeriod(from: string, to: string): Promise<void> {
    const f = this.page.getByRole('textbox', { name: 'From' });
    const t = this.page.getByRole('textbox', { name: 'To' });
    await f.fill(from);
    await t.fill(to);
    await this.period().filter({ hasText: `Showing ${from} to ${to}` }).waitFor();
  }

  async chooseTumourType(label: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Tumour type' }).click();
    await this.page.getByRole('option', { name: label }).click();
    await this.period().filter({ hasText: label }).waitFor();
  }

  /** A metric's section, found by its heading. */
  metric(label: string): Locator {
    return this.page.getByRole('region', { name: label });
  }

  async definitionOf(label: string): Promise<string> {
    return this.metric(label).getByTestId('metric-definition').innerText();
  }

  table(caption: string): Locator {
    return this.page.getByRole('table', { name: caption });
  }

  /** The annual report PDF link's address (the download button). */
  async annualReportHref(year: number): Promise<string> {
    await this.page.getByRole('textbox', { name: 'Year' }).fill(String(year));
    return (await this.page.getByTestId('report-pdf').getAttribute('href')) ?? '';
  }

  reportButton(): Locator {
    return this.page.getByRole('link', { name: 'Download PDF' });
  }
}
