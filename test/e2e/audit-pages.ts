import type { Page } from 'playwright-core';

/** The admin's audit page, "who accessed this patient's record" part. */
export class PatientAccessReportPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Audit log' }).click();
    await this.page.getByRole('form', { name: 'Patient access report' }).waitFor();
  }

  async showAccessTo(patientId: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Patient access report' });
    await form.getByLabel('Patient ID').fill(patientId);
    await form.getByRole('button', { name: 'Show access' }).click();
    await this.entries().locator('tbody tr').first().waitFor();
  }

  entries() {
    return this.page.getByRole('table', { name: 'Patient access entries' });
  }

  byUser() {
    return this.page.getByRole('table', { name: 'Access by user' });
  }
}
