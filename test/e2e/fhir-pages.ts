import type { Page } from 'playwright-core';

/** /patients/:id, as far as the FHIR export is concerned. */
export class PatientFhirPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string, patientId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/patients/${patientId}`);
    await this.exportButton().waitFor();
  }

  exportButton() {
    return this.page.getByRole('link', { name: 'Export FHIR', exact: true });
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

/** /fhir/export: the FHIR Bulk Data export of the whole cohort. */
export class BulkExportPage {
  constructor(private readonly page: Page) {}

  async openFromMenu(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/patients`);
    await this.page.getByRole('link', { name: 'Export FHIR (bulk)' }).click();
    await this.page.getByRole('heading', { level: 1, name: 'FHIR bulk export' }).waitFor();
  }

  async tick(type: string): Promise<void> {
    await this.page.getByRole('checkbox', { name: new RegExp(`^${type}:`) }).check();
  }

  /** Starts the export and waits for the file table; returns its rows as [type, count]. */
  async start(): Promise<Array<[string, number]>> {
    await this.page.getByRole('button', { name: 'Start export' }).click();
    const table = this.page.getByRole('heading', { name: 'Files ready' });
    await table.waitFor({ timeout: 60_000 });
    const rows = await this.page.locator('table tbody tr').all();
    const out: Array<[string, number]> = [];
    for (const r of rows) {
      const cells = await r.locator('td').allInnerTexts();
      out.push([cells[0]!, Number(cells[1])]);
    }
    return out;
  }

  /** Downloads one type's file; returns its name and lines. */
  async download(type: string): Promise<{ filename: string; lines: string[] }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByRole('link', { name: `Download ${type}.ndjson` }).click()]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return { filename: download.suggestedFilename(), lines: Buffer.concat(chunks).toString('utf8').trim().split('\n') };
  }

  async deleteFiles(): Promise<void> {
    await this.page.getByRole('button', { name: 'Delete these files now' }).click();
    await this.page.getByRole('heading', { name: 'Files ready' }).waitFor({ state: 'detached' });
  }
}
