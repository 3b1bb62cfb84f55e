import type { Locator, Page } from 'playwright-core';

/** Page objects for the referral pages: what a person does, in the words the screen uses. */

/** A small valid PDF (one empty page) with a correct cross-reference table. */
export function tinyPdf(text = 'Outside pathology report'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    (() => { const s = `BT /F1 12 Tf 10 50 Td (${text.replace(/[()\\]/g, '')}) Tj ET`; return `<< /Length ${s.length} >>\nstream\n${s}\nendstream`; })(),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** `Label *` or `Label`: Mantine may put the required mark in the accessible name. */
const label = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

/** The public form at /refer, in Spanish (labels as a Spanish-speaking family reads them). */
export class PublicReferralFormEs {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/refer`);
    await this.page.getByRole('heading', { level: 1, name: 'Referir a un paciente' }).waitFor();
  }

  text(name: string): Locator {
    return this.page.getByRole('textbox', { name: label(name) });
  }

  select(name: string): Locator {
    return this.page.getByRole('combobox', { name: label(name) });
  }

  async fill(v: {
    familyName: string; givenName: string; birthDate: string; sex?: 'female' | 'male'; homeCountry: string; homeState?: string;
    referrerName: string; referrerRole: 'parent' | 'physician' | 'nurse' | 'guardian' | 'other'; email?: string; phone?: string;
    diagnosis?: string; urgent?: boolean; question?: string; language?: string; interpreter?: boolean; travel?: boolean;
  }): Promise<void> {
    await this.text('Apellidos').fill(v.familyName);
    await this.text('Nombre').fill(v.givenName);
    await this.text('Fecha de nacimiento').fill(v.birthDate);
    if (v.sex) await this.select('Sexo').selectOption(v.sex);
    await this.text('País de residencia').fill(v.homeCountry);
    if (v.homeState) await this.text('Estado o provincia').fill(v.homeState);
    await this.text('Su nombre').fill(v.referrerName);
    await this.select('Su relación con el paciente').selectOption(v.referrerRole);
    if (v.email) await this.text('Correo electrónico').fill(v.email);
    if (v.phone) await this.text('Teléfono').fill(v.phone);
    if (v.diagnosis) await this.text('Diagnóstico conocido').fill(v.diagnosis);
    if (v.urgent) await this.page.getByRole('radio', { name: 'Urgente' }).check();
    if (v.question) await this.text('Pregunta para el comité de tumores').fill(v.question);
    if (v.language) await this.select('Idioma preferido de la familia').selectOption(v.language);
    if (v.interpreter) await this.page.getByRole('checkbox', { name: 'La familia necesita un intérprete' }).check();
    if (v.travel) await this.page.getByRole('checkbox', { name: /La familia tendría que viajar/ }).check();
  }

  async attach(files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
    await this.page.locator('input[type="file"]').setInputFiles(files);
    await this.page.getByRole('list', { name: 'Archivos para enviar' }).waitFor();
  }

  async consent(): Promise<void> {
    await this.page.getByRole('checkbox', { name: /^Acepto que la información/ }).check();
  }

  submitButton(): Locator {
    return this.page.getByRole('button', { name: 'Enviar referencia' });
  }
}

export class ReferralInbox {
  constructor(private readonly page: Page) {}

  table(): Locator {
    return this.page.getByRole('table', { name: 'Referrals' });
  }

  async search(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search referrals' }).fill(text);
  }

  row(reference: string): Locator {
    return this.page.getByTestId('referral-row').filter({ hasText: reference });
  }

  async open(reference: string): Promise<void> {
    await this.page.getByRole('link', { name: reference }).click();
    await this.page.getByRole('heading', { level: 1, name: new RegExp(reference) }).waitFor();
  }
}

export class ReferralDetailPage {
  constructor(private readonly page: Page) {}

  async triage(v: { urgency?: 'Routine' | 'Urgent'; family?: string; createMrn?: string; linkTo?: RegExp }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Triage referral' });
    if (v.urgency) await form.getByRole('radio', { name: v.urgency }).check();
    if (v.family) await form.getByRole('combobox', { name: 'Suspected tumour family' }).selectOption({ label: v.family });
    if (v.linkTo) await form.getByRole('radio', { name: v.linkTo }).check();
    if (v.createMrn) {
      await form.getByRole('radio', { name: 'Create new patient with MRN' }).check();
      await form.getByRole('textbox', { name: 'MRN for the new patient' }).fill(v.createMrn);
    }
    await form.getByRole('button', { name: 'Triage referral' }).click();
    await this.page.getByRole('heading', { name: 'Records checklist' }).waitFor();
  }

  status(): Locator {
    return this.page.getByTestId('referral-status').first();
  }

  readiness(): Locator {
    return this.page.getByTestId('records-readiness');
  }

  /** Sets one checklist item and waits until the server has answered. */
  async setRecord(item: string, status: string): Promise<void> {
    const select = this.page.getByRole('combobox', { name: `Status of ${item}` });
    await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/records/')),
      select.selectOption({ label: status }),
    ]);
    // The row is disabled while it saves and the referral reloads; it is enabled again when both are done.
    await this.page.locator(`select[aria-label="Status of ${item}"]:not([disabled])`).waitFor();
  }

  /** Marks an item done the way the program counts it: received, then reviewed where our pathology/radiology reviews it. */
  async completeRecord(item: string): Promise<void> {
    const options = await this.page.getByRole('combobox', { name: `Status of ${item}` }).locator('option').allInnerTexts();
    const review = options.find((o) => o.startsWith('Reviewed by'));
    await this.setRecord(item, 'Received');
    if (review) await this.setRecord(item, review);
  }

  /** Every checklist item, by label. */
  async recordLabels(): Promise<string[]> {
    return this.page.getByTestId('record-label').allInnerTexts();
  }

  travelForm(): Locator {
    return this.page.getByRole('form', { name: 'Travel plan' });
  }

  async fillTravel(v: {
    arrivalDate: string; departureDate?: string; interpreterLanguage?: string; interpreterArranged?: boolean;
    lodging: string; lodgingConfirmed?: boolean; visaLetter?: 'Not needed' | 'Needed' | 'Sent'; insuranceLetter?: 'Not needed' | 'Needed' | 'Sent';
    escortName?: string; escortPhone?: string;
  }): Promise<void> {
    const f = this.travelForm();
    await f.getByRole('textbox', { name: 'Arrival date' }).fill(v.arrivalDate);
    if (v.departureDate) await f.getByRole('textbox', { name: 'Departure date' }).fill(v.departureDate);
    if (v.interpreterLanguage) {
      await f.getByRole('checkbox', { name: 'Interpreter needed' }).check();
      await f.getByRole('textbox', { name: 'Interpreter language' }).fill(v.interpreterLanguage);
    }
    if (v.interpreterArranged) await f.getByRole('checkbox', { name: 'Interpreter arranged' }).check();
    await f.getByRole('textbox', { name: 'Lodging', exact: true }).fill(v.lodging);
    if (v.lodgingConfirmed) await f.getByRole('checkbox', { name: 'Lodging confirmed' }).check();
    if (v.visaLetter) await f.getByRole('combobox', { name: 'Visa letter' }).selectOption({ label: v.visaLetter });
    if (v.insuranceLetter) await f.getByRole('combobox', { name: 'Insurance letter' }).selectOption({ label: v.insuranceLetter });
    if (v.escortName) await f.getByRole('textbox', { name: 'Escort name' }).fill(v.escortName);
    if (v.escortPhone) await f.getByRole('textbox', { name: 'Escort phone' }).fill(v.escortPhone);
  }

  async saveTravel(): Promise<void> {
    await this.travelForm().getByRole('button', { name: 'Save travel plan' }).click();
    await this.page.getByRole('status').filter({ hasText: 'Travel plan saved' }).waitFor();
  }

  async moveTo(button: string, expectedStatus: string): Promise<void> {
    await this.page.getByRole('button', { name: button }).click();
    await this.page.getByTestId('referral-status').filter({ hasText: expectedStatus }).first().waitFor();
  }
}
