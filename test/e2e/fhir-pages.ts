import type { Page } from 'playwright-core';

/** /patients/:id, as far as the FHIR export is concerned. */
export class PatientFhirPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string, patientId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/patients/${patientId}`);
    await this.exportButton().waitFor();
  }

  exportButton() {
    return this.page.getByRole('link', { name: 'Export FHIR' });
  }

  /** Clicks "Export FHIR" and returns the downloaded file's name and parsed JSON. */
  async exportFhir(): Promise<{ filename: string; json: unknown }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.exportButton().click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return { filename: download.suggestedFilename(), json: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  }
}
