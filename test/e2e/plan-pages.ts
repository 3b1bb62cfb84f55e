import type { Browser, Locator, Page } from 'playwright-core';
import { watchConsole, type RunningServer } from './harness.js';
import { LoginPage } from './pages.js';

/** Page objects for the treatment plan pages (issue 6): what a person does, in the words the screen uses. */

/** The demo user of each conference group (demo data). */
export const SIGNER: Record<string, string> = {
  pediatric_oncology: 'oncologist', orthopedic_oncology: 'orthopedic', pediatric_surgery: 'surgeon', radiation_oncology: 'radiation',
  medical_oncology: 'medonc', pathology: 'pathologist', radiology: 'radiologist', otolaryngology: 'ent', neurosurgery: 'neurosurgeon',
};

/**
 * A fresh page signed in as a demo user, its console watched (as harness.signedIn), with a longer patience for each
 * step: the story signs in a dozen times and a busy machine should slow it down, not fail it.
 */
export async function signedInPatiently(browser: Browser, server: RunningServer, username: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.setDefaultTimeout(90_000);
  const problems = watchConsole(page);
  const login = new LoginPage(page, server.url);
  await login.open();
  await login.signIn(username, 'tumorboard-demo');
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  return { page, problems };
}

/** /cases/:id/plan */
export class PlanPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string, caseId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/cases/${caseId}/plan`);
    await this.page.getByRole('heading', { level: 1, name: /^Treatment plan/ }).waitFor();
  }

  /** From the case page, by its "Treatment plan" button. */
  async openFromCase(baseUrl: string, caseId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/cases/${caseId}`);
    await this.page.getByRole('link', { name: 'Treatment plan' }).click();
    await this.page.getByRole('heading', { level: 1, name: /^Treatment plan/ }).waitFor();
  }

  // ---- starting ----

  proposedTemplate(): Locator {
    return this.page.getByTestId('proposed-template');
  }

  async start(): Promise<void> {
    await this.page.getByRole('button', { name: /^Start the plan/ }).click();
    await this.editorHeading(1).waitFor();
  }

  editorHeading(version: number): Locator {
    return this.page.getByRole('heading', { level: 2, name: `Plan · version ${version}` });
  }

  status(): Locator {
    return this.page.getByTestId('plan-status');
  }

  // ---- editing ----

  checklistItems(): Locator {
    return this.page.getByTestId('checklist-item');
  }

  /** Every checklist question's rule IDs, as the screen shows them. */
  async checklistRules(): Promise<string[][]> {
    const out: string[][] = [];
    for (const item of await this.checklistItems().all()) out.push((await item.getByTestId('rule-ids').first().innerText()).split(/\s+/).filter((w) => /^[A-Z]-/.test(w)));
    return out;
  }

  async answerAll(answer: 'Yes' | 'No' | 'Not applicable'): Promise<void> {
    for (const item of await this.checklistItems().all()) await item.getByRole('radio', { name: answer, exact: true }).check();
  }

  /** The agent row of the first cycle (in plan order) that gives `agent`. */
  agentRow(agent: string): Locator {
    return this.page.locator(`[data-testid="agent-row"][data-agent="${agent}"]`).first();
  }

  dose(agent: string): Locator {
    return this.agentRow(agent).getByRole('textbox', { name: /^Dose of / });
  }

  /** The number of cycles of the cycle group holding the first row of `agent`. */
  async cyclesOf(agent: string): Promise<number> {
    const cycle = this.page.locator('[data-testid="plan-cycle"]').filter({ has: this.agentRow(agent) }).first();
    return Number(await cycle.getByRole('textbox', { name: /^Number of / }).inputValue());
  }

  async setDose(agent: string, value: string): Promise<void> {
    await this.dose(agent).fill(value);
  }

  notes(): Locator {
    return this.page.getByRole('form', { name: 'Treatment plan' }).getByRole('textbox', { name: 'Notes', exact: true });
  }

  dirtyState(): Locator {
    return this.page.getByTestId('dirty-state');
  }

  /** Saves; resolves with the version the status line announces. */
  async save(note?: string): Promise<number> {
    if (note) await this.page.getByRole('textbox', { name: 'What changed' }).fill(note);
    await this.page.getByRole('button', { name: /^Save as version \d+$/ }).click();
    const status = this.page.getByTestId('plan-save-status').filter({ hasText: /Saved as version \d+\./ });
    await status.waitFor();
    return Number(/version (\d+)/.exec(await status.innerText())![1]);
  }

  /** Saves and waits for the server's refusal. */
  async saveRefused(): Promise<void> {
    await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/plan') && r.status() >= 400),
      this.page.getByRole('button', { name: /^Save as version \d+$/ }).click(),
    ]);
    await this.page.getByRole('alert').filter({ hasText: /was not saved|saved this plan while you were editing/ }).first().waitFor();
  }

  conflict(): Locator {
    return this.page.getByTestId('plan-conflict');
  }

  // ---- exposure ----

  exposure(): Locator {
    return this.page.getByTestId('planned-exposure');
  }

  exposureRow(testId: 'exposure-doxorubicin-equivalent' | 'exposure-ced' | 'exposure-echo' | 'exposure-fertility' | 'exposure-radiation' | 'exposure-hearing'): Locator {
    return this.exposure().getByTestId(testId);
  }

  savedTotal(agent: string): Locator {
    return this.exposure().locator(`tr[data-agent="${agent}"] [data-testid="saved-total"]`);
  }

  estimate(agent: string): Locator {
    return this.exposure().locator(`tr[data-agent="${agent}"] [data-testid="estimate-total"]`);
  }

  // ---- sign-off ----

  signoff(): Locator {
    return this.page.getByTestId('signoff');
  }

  async requiredGroups(): Promise<string[]> {
    const groups = this.signoff().getByTestId('signoff-group');
    await groups.first().waitFor();
    return Promise.all((await groups.all()).map(async (g) => (await g.getAttribute('data-discipline')) ?? ''));
  }

  group(discipline: string): Locator {
    return this.signoff().locator(`[data-testid="signoff-group"][data-discipline="${discipline}"]`);
  }

  signButton(): Locator {
    return this.signoff().getByRole('button', { name: /^Sign version \d+$/ });
  }

  /** Opens the password dialog and signs; resolves when the server's answer is on screen (or its error in the dialog). */
  async sign(password: string): Promise<void> {
    await this.signButton().click();
    const dialog = this.page.getByRole('dialog', { name: /^Sign version \d+$/ });
    await dialog.waitFor();
    await dialog.getByLabel(/^Your password/).fill(password);
    await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/plan/signatures')),
      dialog.getByRole('button', { name: /^Sign version \d+$/ }).click(),
    ]);
  }

  signDialog(): Locator {
    return this.page.getByRole('dialog', { name: /^Sign version \d+$/ });
  }

  signStatus(): Locator {
    return this.page.getByTestId('sign-status');
  }

  signoffState(): Locator {
    return this.page.getByTestId('signoff-state');
  }

  // ---- versions and compare ----

  async openCompare(): Promise<void> {
    await this.page.getByRole('link', { name: 'Compare versions' }).click();
    await this.page.getByRole('heading', { level: 1, name: /^Compare plan versions/ }).waitFor();
  }

  versionRows(): Locator {
    return this.page.getByTestId('version-row');
  }

  // ---- treatment ----

  recordForm(): Locator {
    return this.page.getByRole('form', { name: 'Record treatment' });
  }

  /** Records a chemotherapy cycle as the plan gives it (the first planned cycle group), given on `date`. */
  async recordPlannedChemo(date: string): Promise<void> {
    const form = this.recordForm();
    await form.getByRole('textbox', { name: /^Date given/ }).fill(date);
    await form.getByRole('combobox', { name: /^Planned cycle/ }).selectOption({ index: 1 });
    await form.getByTestId('given-agent').first().waitFor();
    await form.getByRole('button', { name: 'Record chemotherapy cycle' }).click();
    await this.page.getByTestId('record-status').filter({ hasText: `on ${date}.` }).waitFor();
  }

  timelineRows(status?: 'given' | 'planned' | 'off_plan'): Locator {
    const rows = this.page.getByTestId('timeline-row');
    return status ? this.page.locator(`[data-testid="timeline-row"][data-status="${status}"]`) : rows;
  }

  concordance(): Locator {
    return this.page.getByTestId('concordance-status');
  }

  async endTherapy(date: string): Promise<void> {
    const form = this.page.getByRole('form', { name: 'End therapy' });
    await form.getByRole('textbox', { name: /^Last day of therapy/ }).fill(date);
    await form.getByRole('button', { name: 'End therapy…' }).click();
    const dialog = this.page.getByRole('dialog', { name: `End therapy on ${date}?` });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'End therapy', exact: true }).click();
    await this.survivorship().waitFor();
  }

  survivorship(): Locator {
    return this.page.getByTestId('survivorship');
  }

  screeningRows(): Locator {
    return this.page.getByTestId('screening-row');
  }
}

/** /cases/:id/plan/compare */
export class ComparePlanPage {
  constructor(private readonly page: Page) {}

  changes(): Locator {
    return this.page.getByTestId('change-row');
  }

  /** The changed places highlighted in one side of the side-by-side view. */
  highlighted(version: number): Locator {
    return this.page.getByRole('group', { name: `Version ${version}` }).locator('[data-changed="true"]');
  }
}
