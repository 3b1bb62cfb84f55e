import type { Download, Page } from 'playwright-core';

/** The research cohort page (issue 8 item 5), in the words the screen uses. */
export class ResearchCohortPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/research`);
    await this.page.getByRole('heading', { name: 'Research cohort', level: 1 }).waitFor();
  }

  async waitForCounts(): Promise<void> {
    await this.page.getByTestId('cohort-total').waitFor();
  }

  async total(): Promise<string> {
    return (await this.page.getByTestId('cohort-total').innerText()).trim();
  }

  /** The cells of one breakdown as label → what the screen shows ("<11" for a suppressed count). */
  async breakdown(title: string): Promise<Record<string, string>> {
    const table = this.page.getByRole('table', { name: `Cohort by ${title.toLowerCase()}` });
    await table.waitFor();
    const out: Record<string, string> = {};
    for (const row of await table.locator('tr').all()) {
      const label = (await row.locator('th').innerText()).trim();
      out[label] = (await row.locator('td').first().innerText()).trim();
    }
    return out;
  }

  async allShownCounts(): Promise<string[]> {
    return (await this.page.locator('[data-testid^="breakdown-"] td:nth-of-type(1)').allInnerTexts()).map((t) => t.trim());
  }

  async chooseTumourType(label: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Tumour type' }).click();
    await this.page.getByRole('option', { name: label, exact: true }).click();
    await this.page.keyboard.press('Escape');
  }

  /** Counts the cohort and waits until the total shown changes from `before`. */
  async count(before: string): Promise<string> {
    await this.page.getByRole('button', { name: 'Count', exact: true }).click();
    await this.page.waitForFunction((b) => document.querySelector('[data-testid="cohort-total"]')?.textContent?.trim() !== b, before);
    return this.total();
  }

  async chooseTrialEnrollment(label: 'Any' | 'Enrolled on a trial' | 'Not enrolled'): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Trial enrollment' }).click();
    await this.page.getByRole('option', { name: label, exact: true }).click();
  }

  /** Clicks "Count" and returns the refusal shown when the counts could be subtracted from earlier ones. */
  async countRefused(): Promise<string> {
    await this.page.getByRole('button', { name: 'Count', exact: true }).click();
    const alert = this.page.getByRole('alert').filter({ hasText: 'Not counted' });
    await alert.waitFor();
    return alert.innerText();
  }

  /** The notes under breakdowns whose cells are hidden because of the researcher's earlier counts. */
  async overlapNotes(): Promise<string[]> {
    return this.page.locator('[data-testid^="overlap-note-"]').allInnerTexts();
  }

  async chooseMode(title: 'HIPAA Safe Harbor' | 'Limited Data Set' | 'Date-shifted, pseudonymized'): Promise<void> {
    await this.page.getByRole('radio', { name: new RegExp(`^${title}`) }).check();
  }

  async modeDescription(): Promise<string> {
    return this.page.getByRole('radiogroup', { name: 'What kind of data set' }).innerText();
  }

  async enterPassword(password: string): Promise<void> {
    await this.page.getByLabel('Your password').fill(password);
  }

  /** Clicks "Download export" and returns the file the browser saves. */
  async download(): Promise<Download> {
    const [file] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('button', { name: 'Download export' }).click()]);
    return file;
  }

  async refusal(): Promise<string> {
    const alert = this.page.getByRole('alert').filter({ hasText: 'Export refused' });
    await alert.waitFor();
    return alert.innerText();
  }

  /** Rows of the "Recent exports" table, as text. */
  async exportLog(): Promise<string[]> {
    const table = this.page.getByRole('table', { name: 'Recent research exports' });
    await table.locator('tbody tr').first().waitFor();
    return (await table.locator('tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  async exportDone(): Promise<string> {
    return this.page.getByTestId('export-done').innerText();
  }
}
