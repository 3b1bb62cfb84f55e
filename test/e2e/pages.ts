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
