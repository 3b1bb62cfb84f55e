import type { Page } from 'playwright-core';

/** Page objects: what a person does, in the words the screen uses. */
export class LoginPage {
  constructor(private readonly page: Page, private readonly baseUrl: string) {}

  async open(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/`);
    await this.page.getByLabel('Username').waitFor();
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.page.getByLabel('Username').fill(username);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }
}

export class PatientsPage {
  constructor(private readonly page: Page) {}

  async search(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search patients' }).fill(text);
  }

  rows() {
    return this.page.locator('table tbody tr');
  }

  async openFirst(): Promise<string> {
    const row = this.rows().first();
    await row.waitFor();
    const name = (await row.locator('td').first().innerText()).trim();
    await row.click();
    return name;
  }
}

export class PatientFormPage {
  constructor(private readonly page: Page) {}

  field(name: string) {
    return this.page.getByRole('textbox', { name, exact: false }).first();
  }

  async fill(values: { mrn: string; familyName: string; givenName: string; birthDate: string; homeCountry: string }): Promise<void> {
    await this.page.getByRole('textbox', { name: /^MRN/ }).fill(values.mrn);
    await this.page.getByRole('textbox', { name: /^Family name/ }).fill(values.familyName);
    await this.page.getByRole('textbox', { name: /^Given name/ }).fill(values.givenName);
    await this.page.getByRole('textbox', { name: /^Birth date/ }).fill(values.birthDate);
    await this.page.getByRole('textbox', { name: /^Home country/ }).fill(values.homeCountry);
  }
}

export type TriState = 'Unknown' | 'Yes' | 'No';

/** The add/edit tumour form, including its structured clinical facts. */
export class TumourFormPage {
  constructor(private readonly page: Page, private readonly name: 'Add tumour' | 'Edit tumour' = 'Add tumour') {}

  form() {
    return this.page.getByRole('form', { name: this.name });
  }

  async fillBasics(v: { diagnosisDate: string; morphology: string; topography: string; siteCategory: string; primarySite: string; laterality?: string; sizeCm?: string }): Promise<void> {
    const form = this.form();
    await form.getByRole('textbox', { name: /^Diagnosis date/ }).fill(v.diagnosisDate);
    const morphology = form.getByRole('textbox', { name: /^Morphology/ });
    await morphology.fill(v.morphology);
    await this.page.getByRole('option', { name: new RegExp(`^${v.morphology.replace('/', '\\/')}`) }).click();
    await form.getByRole('textbox', { name: /^Topography/ }).fill(v.topography);
    await form.getByRole('combobox', { name: /^Site category/ }).selectOption(v.siteCategory);
    await form.getByRole('textbox', { name: /^Primary site/ }).fill(v.primarySite);
    if (v.laterality) await form.getByRole('combobox', { name: 'Laterality' }).selectOption({ label: v.laterality });
    if (v.sizeCm) await form.getByRole('textbox', { name: /^Size/ }).fill(v.sizeCm);
  }

  /** A fact offered as a select, chosen by the words on screen ('Unknown' clears it). */
  async choose(label: string, option: string): Promise<void> {
    await this.form().getByRole('combobox', { name: label, exact: true }).selectOption({ label: option });
  }

  /** A yes/no fact: Unknown, Yes or No. */
  async answer(question: string, value: TriState): Promise<void> {
    await this.form().getByRole('radiogroup', { name: question }).getByRole('radio', { name: value, exact: true }).check();
  }

  /** Distant metastases: 'unknown' (not yet staged), 'none', or the sites present by their labels. */
  async metastases(value: 'unknown' | 'none' | string[]): Promise<void> {
    const group = this.form().getByRole('radiogroup', { name: 'Distant metastases' });
    if (value === 'unknown') return group.getByRole('radio', { name: /^Unknown/ }).check();
    if (value === 'none') return group.getByRole('radio', { name: 'No distant metastases' }).check();
    await group.getByRole('radio', { name: 'Metastases present' }).check();
    const sites = this.form().getByRole('group', { name: /^Metastatic sites/ });
    for (const s of value) await sites.getByRole('checkbox', { name: s, exact: true }).check();
  }

  async save(): Promise<void> {
    await this.form().getByRole('button', { name: /^Save/ }).click();
    await this.form().waitFor({ state: 'detached' });
  }
}
