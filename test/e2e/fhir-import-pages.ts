import type { Locator, Page } from 'playwright-core';

/** The FHIR import page (/fhir/import): choose a bundle file, upload, read the report or the problems. */
export class FhirImportPage {
  constructor(private readonly page: Page) {}

  /** Opens the page from the navigation menu, as a coordinator would. */
  async openFromMenu(): Promise<void> {
    await this.page.getByRole('link', { name: 'Import FHIR' }).click();
    await this.page.getByRole('heading', { level: 1, name: 'Import FHIR bundle' }).waitFor();
  }

  /** Chooses the file and uploads it; resolves when a report or the refusal is shown. */
  async upload(file: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Import FHIR bundle' });
    await form.getByLabel('Bundle file').setInputFiles(file);
    await form.getByRole('button', { name: 'Upload and import' }).click();
    await this.page.locator('[data-testid="fhir-import-report"], [data-testid="fhir-import-refused"]').first().waitFor({ timeout: 30_000 });
  }

  summary(): Promise<string> {
    return this.page.getByTestId('fhir-import-summary').innerText();
  }

  async patients(): Promise<Array<{ name: string; outcome: string; href: string | null }>> {
    const rows = this.page.getByTestId('fhir-import-patient');
    const out: Array<{ name: string; outcome: string; href: string | null }> = [];
    for (let i = 0; i < await rows.count(); i++) {
      const row = rows.nth(i);
      const link = row.getByRole('link');
      out.push({ name: await link.innerText(), outcome: (await row.getAttribute('data-outcome')) ?? '', href: await link.getAttribute('href') });
    }
    return out;
  }

  /** The "not imported" rows as location → reason. */
  async unmapped(): Promise<Array<{ where: string; reason: string }>> {
    return this.rows(this.page.getByTestId('fhir-import-unmapped'));
  }

  async problems(): Promise<Array<{ where: string; reason: string }>> {
    return this.rows(this.page.getByTestId('fhir-import-error'));
  }

  private async rows(rows: Locator): Promise<Array<{ where: string; reason: string }>> {
    const out: Array<{ where: string; reason: string }> = [];
    for (let i = 0; i < await rows.count(); i++) {
      const cells = rows.nth(i).locator('td');
      out.push({ where: await cells.nth(1).innerText(), reason: await cells.nth(2).innerText() });
    }
    return out;
  }

  async openPatient(name: string): Promise<void> {
    await this.page.getByRole('table', { name: 'Imported patients' }).getByRole('link', { name }).click();
  }
}
