import type { Locator, Page } from 'playwright-core';

/** Page objects for the clinical-trial pages (issue 7): what a person does, in the words the screen uses. */

/** /trials: the trial registry, the import panel and the offer figures. */
export class TrialListPage {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string): Promise<void> {
    await this.page.goto(`${baseUrl}/trials`);
    await this.rows().first().waitFor();
  }

  table(): Locator {
    return this.page.getByRole('table', { name: 'Trials' });
  }

  rows(): Locator {
    return this.page.getByTestId('trial-row');
  }

  row(nct: string): Locator {
    return this.page.locator(`[data-testid="trial-row"][data-nct="${nct}"]`);
  }

  /** NCT number → { network, curation (code), curation label } for every row shown. */
  async listed(): Promise<Record<string, { network: string; curation: string; label: string }>> {
    const out: Record<string, { network: string; curation: string; label: string }> = {};
    for (const r of await this.rows().all()) {
      out[(await r.getAttribute('data-nct')) ?? ''] = {
        network: (await r.getByTestId('trial-network').innerText()).trim(),
        curation: (await r.getAttribute('data-curation')) ?? '',
        label: (await r.getByTestId('curation-badge').innerText()).trim(),
      };
    }
    return out;
  }

  /** Waits until the table shows exactly `n` rows (after a filter or search). */
  async waitForRowCount(n: number): Promise<void> {
    await this.page.waitForFunction((count) => document.querySelectorAll('[data-testid="trial-row"]').length === count
      && document.querySelector('table[aria-label="Trials"]')?.getAttribute('aria-busy') === 'false', n);
  }

  async search(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search trials' }).fill(text);
  }

  async filter(label: 'Network' | 'Status' | 'Curation', option: string): Promise<void> {
    await this.page.getByRole('combobox', { name: label }).selectOption({ label: option });
  }

  metrics(): Locator {
    return this.page.getByTestId('trial-metrics');
  }

  async openTrial(nct: string): Promise<void> {
    await this.row(nct).getByTestId('trial-link').click();
    await this.page.getByTestId('curation').waitFor();
  }

  /** Opens the import panel, chooses the files and uploads them; resolves when the report is shown. */
  async importFiles(paths: string[]): Promise<void> {
    await this.page.getByRole('button', { name: 'Import studies' }).click();
    const form = this.page.getByRole('form', { name: 'Import studies' });
    await form.locator('input[type="file"]').setInputFiles(paths);
    await form.getByRole('button', { name: 'Upload and import' }).click();
    await this.report().waitFor({ timeout: 30_000 });
  }

  report(): Locator {
    return this.page.getByTestId('import-report');
  }

  /** Enters a local trial by hand: fills the form's labelled fields and saves; resolves on the new trial's page. */
  async enterLocalTrial(fields: Record<string, string>, phases: string[] = []): Promise<void> {
    await this.page.getByRole('link', { name: 'Enter a local trial' }).click();
    const form = this.page.getByTestId('local-trial-form');
    await form.waitFor();
    for (const [label, value] of Object.entries(fields)) {
      // A required field's label ends with Mantine's asterisk.
      const box = form.getByLabel(new RegExp(`^${label.replace(/[()]/g, '\\$&')}( \\*)?$`));
      if ((await box.evaluate((el) => el.tagName)) === 'SELECT') await box.selectOption({ label: value });
      else await box.fill(value);
    }
    for (const p of phases) await form.getByRole('checkbox', { name: p, exact: true }).check();
    await form.getByRole('button', { name: 'Save and draft the criteria' }).click();
  }

  /** The form's messages: the alert and each field's error, as shown. */
  async localTrialErrors(): Promise<string[]> {
    const form = this.page.getByTestId('local-trial-form');
    await form.getByRole('alert').first().waitFor();
    return (await form.locator('[role="alert"], .mantine-InputWrapper-error').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** The imported records: { nct, outcome (code), text }. */
  async imported(): Promise<{ nct: string; outcome: string; text: string }[]> {
    const out: { nct: string; outcome: string; text: string }[] = [];
    for (const r of await this.page.getByTestId('import-row').all()) {
      out.push({ nct: (await r.getAttribute('data-nct')) ?? '', outcome: (await r.getAttribute('data-outcome')) ?? '', text: (await r.innerText()).trim() });
    }
    return out;
  }

  async problems(): Promise<string[]> {
    return (await this.page.getByTestId('import-problem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }
}

/** /trials/:id: registry facts, the registered text and the curation screen. */
export class TrialDetailPage {
  constructor(private readonly page: Page) {}

  registry(): Locator {
    return this.page.getByTestId('registry-facts');
  }

  eligibilityText(): Locator {
    return this.page.getByTestId('eligibility-text');
  }

  criterion(id: string): Locator {
    return this.page.locator(`[data-testid="curation-criterion"][data-criterion="${id}"]`);
  }

  async criterionIds(): Promise<string[]> {
    return this.page.locator('[data-testid="curation-criterion"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-criterion') ?? ''));
  }

  /** The status the screen shows for a criterion (code), e.g. accepted, needs_review. */
  async status(id: string): Promise<string> {
    return (await this.criterion(id).getByTestId('criterion-status').getAttribute('data-status')) ?? '';
  }

  async decide(id: string, decision: 'Accept' | 'Reject' | 'Needs review'): Promise<void> {
    await this.page.getByRole('button', { name: `${decision} ${id}`, exact: true }).click();
  }

  /** Rewrites a criterion's rule as JSON (the criterion becomes "edited"). */
  async editRule(id: string, json: string): Promise<void> {
    const open = this.page.getByRole('button', { name: `Edit the rule of ${id}`, exact: true });
    if (await open.count()) await open.click();
    // The structured fields open first; the shape of a rule is changed in the JSON view.
    const asJson = this.page.getByRole('button', { name: `Edit ${id} as JSON`, exact: true });
    if (await asJson.count()) await asJson.click();
    await this.criterion(id).getByTestId('criterion-expr').fill(json);
  }

  /** Opens a criterion's rule for editing and sets one of its fields (by the field's label). */
  async editRuleField(id: string, label: string, value: string): Promise<void> {
    const open = this.page.getByRole('button', { name: `Edit the rule of ${id}`, exact: true });
    if (await open.count()) await open.click();
    const field = this.criterion(id).getByTestId('rule-form').getByLabel(label, { exact: true });
    await field.fill(value);
    await field.blur();
  }

  /** The rule as the card shows it in words (as edited, or as proposed). */
  async ruleText(id: string): Promise<string> {
    return (await this.criterion(id).locator('ul.tb-trials-rule').innerText()).replace(/\s+/g, ' ').trim();
  }

  /** Saves and resolves with the HTTP status the server answered. */
  async save(): Promise<number> {
    const [res] = await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/definition')),
      this.page.getByRole('button', { name: 'Save curation' }).click(),
    ]);
    return res.status();
  }

  message(): Locator {
    return this.page.getByTestId('curation-message');
  }

  /** Adds a cohort evaluated on its own (a scope of the curated definition). */
  async addCohort(name: string): Promise<void> {
    const panel = this.page.getByTestId('curation-arms');
    await panel.getByRole('textbox', { name: 'Another cohort' }).fill(name);
    await panel.getByRole('button', { name: 'Add cohort' }).click();
  }

  /** Chooses what a criterion applies to (the option's label, e.g. "Whole trial"). */
  async placeCriterion(id: string, scopeLabel: string): Promise<void> {
    await this.page.getByRole('combobox', { name: `${id} applies to` }).selectOption({ label: scopeLabel });
  }

  /** The criteria listed under one scope. */
  async scopeCriterionIds(scopeId: string): Promise<string[]> {
    return this.page.locator(`[data-testid="curation-scope"][data-scope="${scopeId}"] [data-testid="curation-criterion"]`)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-criterion') ?? ''));
  }

  version(): Locator {
    return this.page.getByTestId('trial-version');
  }

  curationBadge(): Locator {
    return this.page.getByRole('heading', { level: 1 }).locator('..').getByTestId('curation-badge');
  }

  staleBanner(): Locator {
    return this.page.getByTestId('stale-banner');
  }
}

/** /trials/case/:caseId: one case's trial matches and its screening log. */
export class CaseTrialsPanel {
  constructor(private readonly page: Page) {}

  async open(baseUrl: string, caseId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/trials/case/${caseId}`);
    await this.panel().getByTestId('match-totals').waitFor();
  }

  panel(): Locator {
    return this.page.getByTestId('trial-matches');
  }

  group(verdict: 'eligible' | 'possible' | 'not_eligible'): Locator {
    return this.page.locator(`[data-testid="match-group"][data-verdict="${verdict}"]`);
  }

  trial(nct: string): Locator {
    return this.page.locator(`[data-testid="trial-match"][data-nct="${nct}"]`);
  }

  async dataRequests(): Promise<string[]> {
    return (await this.page.getByTestId('data-request').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Expands a trial and returns its criteria: { id, verdict (code), text (what the screen says) }. */
  async criteria(nct: string): Promise<{ id: string; verdict: string; text: string }[]> {
    const toggle = this.trial(nct).getByTestId('trial-match-toggle');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    const rows = this.trial(nct).getByTestId('criterion-match');
    await rows.first().waitFor();
    const out: { id: string; verdict: string; text: string }[] = [];
    for (const r of await rows.all()) {
      out.push({ id: (await r.getAttribute('data-criterion')) ?? '', verdict: (await r.getAttribute('data-verdict')) ?? '', text: (await r.innerText()).trim() });
    }
    return out;
  }

  screeningStatus(nct: string): Locator {
    return this.trial(nct).getByTestId('screening-status');
  }

  async openLogMenu(nct: string): Promise<void> {
    await this.page.getByRole('button', { name: `Log a screening step for ${nct}` }).click();
    await this.page.getByRole('menu').waitFor();
  }

  /** Logs a step without a reason (screened, discussed, offered, enrolled) and waits for the server. */
  async log(nct: string, step: 'Screened' | 'Discussed' | 'Offered' | 'Enrolled'): Promise<void> {
    await this.openLogMenu(nct);
    await Promise.all([
      this.page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/trial-screenings/') && r.ok()),
      this.page.getByRole('menuitem', { name: step, exact: true }).click(),
    ]);
    await this.page.getByTestId('screening-announce').filter({ hasText: `${nct}: logged ${step.toLowerCase()}` }).waitFor();
  }

  /** Opens the reason dialog of a step that needs one (declined, not eligible). */
  async startWithReason(nct: string, step: 'Declined' | 'Not eligible'): Promise<Locator> {
    await this.openLogMenu(nct);
    await this.page.getByRole('menuitem', { name: new RegExp(`^${step}…`) }).click();
    const dialog = this.page.getByRole('dialog', { name: `${step} — ${nct}` });
    await dialog.waitFor();
    return dialog;
  }
}
