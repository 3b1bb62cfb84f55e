import type { Locator, Page } from 'playwright-core';

/** Page objects for the Tumor Conference pages: what a person does, in the words the screen uses. */

/** `Label *` or `Label`: Mantine may put the required mark in the accessible name. */
const label = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

/** /conferences: upcoming and past occurrences. */
export class ConferenceListPage {
  constructor(private readonly page: Page) {}

  async openFromNav(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Conference', exact: true }).click();
    await this.upcoming().waitFor();
  }

  upcoming(): Locator {
    return this.page.getByRole('table', { name: 'Upcoming conferences' });
  }

  rows(): Locator {
    return this.page.getByTestId('conference-row');
  }

  /** Opens "Subscribe" for the first series and returns the personal calendar link it shows. */
  async calendarLink(): Promise<string> {
    await this.page.getByRole('button', { name: /^Subscribe in a calendar app/ }).first().click();
    const field = this.page.getByTestId('calendar-feed-url');
    await this.page.waitForFunction(() => (document.querySelector('[data-testid="calendar-feed-url"]') as HTMLInputElement | null)?.value.includes('token='));
    const url = await field.inputValue();
    await this.page.keyboard.press('Escape');
    return url;
  }

  /** The first upcoming occurrence with cases on its agenda; returns its row text. */
  async openNextWithCases(): Promise<string> {
    const row = this.rows().filter({ has: this.page.getByTestId('ready-count') }).first();
    await row.waitFor();
    const text = await row.innerText();
    await row.getByTestId('series-time').click();
    await this.page.getByRole('table', { name: 'Agenda' }).waitFor();
    return text;
  }
}

/** /conferences/:id: the agenda with readiness. */
export class AgendaPage {
  constructor(private readonly page: Page) {}

  table(): Locator {
    return this.page.getByRole('table', { name: 'Agenda' });
  }

  rows(): Locator {
    return this.page.getByTestId('agenda-row');
  }

  row(patient: string): Locator {
    return this.rows().filter({ has: this.page.getByTestId('agenda-patient').getByText(patient, { exact: true }) });
  }

  async patients(): Promise<string[]> {
    return this.page.getByTestId('agenda-patient').allInnerTexts();
  }

  /** The readiness checklist of one case, item by item: { key, ok, text }. */
  async readiness(patient: string): Promise<{ key: string; ok: string; text: string }[]> {
    const items = this.row(patient).getByTestId('readiness-item');
    const out: { key: string; ok: string; text: string }[] = [];
    for (const item of await items.all()) {
      out.push({ key: (await item.getAttribute('data-key')) ?? '', ok: (await item.getAttribute('data-ok')) ?? '', text: (await item.innerText()).trim() });
    }
    return out;
  }

  /** Moves a case one place with its keyboard button (focus, then Enter) and waits until the server has the new order. */
  async moveWithKeyboard(patient: string, dir: 'up' | 'down'): Promise<void> {
    await this.page.getByRole('button', { name: `Move ${patient} ${dir}` }).focus();
    await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/agenda/order') && r.ok()),
      this.page.keyboard.press('Enter'),
    ]);
    await this.page.getByTestId('agenda-announce').filter({ hasText: `${patient} moved to position` }).waitFor();
  }

  async openInput(patient: string): Promise<void> {
    await this.page.getByRole('link', { name: `Discipline input: ${patient}` }).click();
    await this.page.getByRole('heading', { level: 1, name: new RegExp(`Discipline input · ${patient}`) }).waitFor();
  }

  async openLive(): Promise<void> {
    await this.page.getByRole('link', { name: /Live meeting|Join live meeting/ }).click();
    await this.page.getByRole('heading', { level: 1, name: /· (meeting|live)$/ }).waitFor();
  }
}

/** /conferences/:id/cases/:caseId/input */
export class DisciplineInputForm {
  constructor(private readonly page: Page) {}

  form(): Locator {
    return this.page.getByRole('form', { name: 'Discipline input' });
  }

  discipline(): Locator {
    return this.form().getByRole('combobox', { name: 'Discipline' });
  }

  async fill(v: { stance?: 'Recommendation' | 'No direct role, comment' | 'Needs more information'; findings?: string; recommendation?: string }): Promise<void> {
    if (v.stance) await this.form().getByRole('radio', { name: v.stance }).check();
    if (v.findings !== undefined) await this.form().getByRole('textbox', { name: 'Findings' }).fill(v.findings);
    if (v.recommendation !== undefined) await this.form().getByRole('textbox', { name: label('Recommendation') }).fill(v.recommendation);
  }

  async save(): Promise<void> {
    await this.form().getByRole('button', { name: 'Save input' }).click();
  }

  saved(): Locator {
    return this.page.getByTestId('input-saved');
  }

  inputs(): Locator {
    return this.page.getByTestId('discipline-input');
  }
}

/** /conferences/:id/live */
export class LiveMeetingPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string, conferenceId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/conferences/${conferenceId}/live`);
    await this.page.getByRole('heading', { level: 1 }).waitFor();
  }

  /** The event stream is connected (followers get changes pushed). */
  async waitForLiveUpdates(): Promise<void> {
    await this.page.getByTestId('live-connection').filter({ hasText: 'Live updates on' }).waitFor();
  }

  currentPatient(): Locator {
    return this.page.getByTestId('current-patient');
  }

  async agendaOrder(): Promise<string[]> {
    return this.page.getByTestId('progress-patient').allInnerTexts();
  }

  async start(): Promise<void> {
    await this.page.getByRole('button', { name: 'Start meeting' }).click();
    await this.currentPatient().waitFor();
  }

  /** Clicks Next case and resolves when the server has accepted it. */
  async next(): Promise<void> {
    await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/current') && r.ok()),
      this.page.getByRole('button', { name: 'Next case' }).click(),
    ]);
  }

  async checkIn(mode: 'In person' | 'Remote'): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Check in' });
    await form.getByRole('radio', { name: mode }).check();
    await form.getByRole('button', { name: 'Check in' }).click();
    await this.page.getByTestId('checked-in').waitFor();
  }

  attendance(): Locator {
    return this.page.getByRole('list', { name: 'Attendance by group' });
  }

  async recordRecommendation(v: { diagnosis?: string; stage?: string; plan?: string; trial?: string; workup?: string; dissent?: { group: string; note: string }[] }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Recommendation' });
    if (v.diagnosis) await form.getByRole('textbox', { name: 'Diagnosis confirmed' }).fill(v.diagnosis);
    if (v.stage) await form.getByRole('textbox', { name: 'Stage confirmed' }).fill(v.stage);
    if (v.plan) await form.getByRole('textbox', { name: 'Plan of care' }).fill(v.plan);
    if (v.trial) await form.getByRole('textbox', { name: 'Trial to offer' }).fill(v.trial);
    if (v.workup) await form.getByRole('textbox', { name: 'Further work-up' }).fill(v.workup);
    for (const [n, d] of (v.dissent ?? []).entries()) {
      await form.getByRole('button', { name: 'Add dissent' }).click();
      await form.getByRole('combobox', { name: `Dissenting group ${n + 1}` }).selectOption({ label: d.group });
      await form.getByRole('textbox', { name: `Dissent note ${n + 1}` }).fill(d.note);
    }
    await form.getByRole('button', { name: 'Save recommendation' }).click();
    await this.page.getByTestId('rec-status').filter({ hasText: 'Recommendation saved.' }).waitFor();
  }

  recordedRecommendation(): Locator {
    return this.page.getByTestId('rec-view');
  }

  /** Opens the finish dialog and returns the cases it says will roll over. */
  async openFinish(): Promise<string[]> {
    await this.page.getByRole('button', { name: 'Finish meeting' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Finish the meeting?' });
    await dialog.waitFor();
    const list = dialog.getByTestId('rolling-list');
    return (await list.count()) ? list.getByRole('listitem').allInnerTexts() : [];
  }

  async confirmFinish(): Promise<void> {
    await this.page.getByRole('button', { name: 'Finish and lock the minutes' }).click();
    await this.finished().waitFor();
  }

  finished(): Locator {
    return this.page.getByTestId('meeting-finished');
  }
}
