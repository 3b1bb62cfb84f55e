import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { useStory } from './harness.js';
import { ComparePlanPage, PlanPage, SIGNER, signedInPatiently } from './plan-pages.js';

const PASSWORD = 'tumorboard-demo';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * The server answers some requests in this story with an error on purpose (no plan yet: 404; a wrong dose: 400; a
 * wrong password: 403; a stale save: 412). The browser logs each refused request; anything else is a problem.
 */
const expected = (statuses: number[]) => (problems: string[]) =>
  problems.filter((p) => !statuses.some((s) => p.includes(`Failed to load resource: the server responded with a status of ${s}`)));

/**
 * Issue 6, as the team lives it: the oncologist starts the plan from the template the assessment proposes, answers
 * the tailoring checklist and saves; a mistyped dose is refused at its field; every required group signs with its
 * password until the plan is agreed; an amendment makes an unsigned new version that the compare view explains;
 * after the groups sign again, a chemotherapy cycle is recorded against the plan, and at the end of therapy the
 * survivorship schedule appears.
 */
describe('the team builds, signs, amends and carries out a treatment plan', () => {
  const story = useStory();
  let caseId = '';
  let template = '';
  let required: string[] = [];
  let agreedVersion = 0;
  /** The first planned doxorubicin dose (mg/m²) and the amended one. */
  let original = '';
  let reduced = '';

  const signedIn = (username: string) => signedInPatiently(story.browser, story.server, username);

  /** A case whose assessment proposes a template with doxorubicin (Ewing or osteosarcoma) and that has no plan yet. */
  async function findCase(page: Page): Promise<void> {
    const cases = await (await page.request.get(`${story.server.url}/api/v1/cases?limit=200`)).json() as { items: Array<{ id: string }> };
    for (const c of cases.items) {
      const a = (await (await page.request.get(`${story.server.url}/api/v1/cases/${c.id}/assessment`)).json() as { assessment: { treatmentTemplate: string | null } | null }).assessment;
      if (a?.treatmentTemplate !== 'T-EWS-ICC' && a?.treatmentTemplate !== 'T-OS-MAP') continue;
      if ((await page.request.get(`${story.server.url}/api/v1/cases/${c.id}/plan`)).status() !== 404) continue;
      caseId = c.id;
      template = a.treatmentTemplate;
      return;
    }
  }

  /** Each required group's demo clinician signs `version` in their own browser session. */
  async function everyGroupSigns(version: number, except: string[] = []): Promise<void> {
    for (const d of required.filter((x) => !except.includes(x))) {
      const { page, problems } = await signedIn(SIGNER[d]!);
      const plan = new PlanPage(page);
      await plan.open(story.server.url, caseId);
      await plan.sign(PASSWORD);
      await plan.signStatus().filter({ hasText: `Signed version ${version} as ` }).waitFor();
      expect(await plan.group(d).getAttribute('data-state')).toBe('signed');
      expect(problems).toEqual([]);
      await page.close();
    }
  }

  test('the oncologist starts the plan from the proposed template and sees the checklist and the exposure with their rule IDs', async () => {
    const { page, problems } = await signedIn('oncologist');
    await findCase(page);
    expect(caseId).not.toBe('');
    const plan = new PlanPage(page);
    await plan.openFromCase(story.server.url, caseId);
    expect(await plan.proposedTemplate().innerText()).toContain(template);
    await plan.start();
    expect(await plan.status().innerText()).toContain('Draft');

    // Every tailoring question is open and names the rules it comes from.
    const rules = await plan.checklistRules();
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect(r.every((id) => /^[RT]-[A-Z0-9-]+$/.test(id))).toBe(true);
    expect(await plan.checklistItems().first().getAttribute('data-answered')).toBe('false');

    // The server's planned exposure, each value with its rule IDs.
    const dox = plan.exposureRow('exposure-doxorubicin-equivalent');
    expect(await dox.innerText()).toMatch(/Doxorubicin equivalent\s+[\d,]+ mg\/m²/);
    expect(await dox.getByTestId('rule-ids').first().innerText()).toContain('R-LE-ANTHRA');
    expect(await plan.exposureRow('exposure-ced').getByTestId('rule-ids').first().innerText()).toContain('R-LE-CED');
    expect(await plan.exposureRow('exposure-echo').getByTestId('rule-ids').first().innerText()).toContain('R-LE-ECHO');

    // The required groups are listed (R-CONF); nobody can sign while questions are open.
    required = await plan.requiredGroups();
    expect(required).toContain('pediatric_oncology');
    expect(await plan.signoff().getByTestId('rule-ids').first().innerText()).toContain('R-CONF');
    expect(await plan.signButton().isDisabled()).toBe(true);

    // Editing a dose shows an unsaved estimate beside the saved total, at once.
    const saved = Number((await plan.savedTotal('doxorubicin').innerText()).replace(/[^\d.]/g, ''));
    original = await plan.dose('doxorubicin').inputValue();
    reduced = String(Number(original) - 5);
    const cycles = await plan.cyclesOf('doxorubicin');
    const admins = Number(await plan.agentRow('doxorubicin').getByRole('textbox', { name: /^Administrations per cycle/ }).inputValue());
    await plan.setDose('doxorubicin', reduced);
    await plan.exposure().getByTestId('estimate-note').waitFor();
    expect(await plan.estimate('doxorubicin').innerText()).toContain((saved - 5 * cycles * admins).toLocaleString('en-US'));
    expect(await plan.dirtyState().innerText()).toBe('Unsaved changes');
    await plan.setDose('doxorubicin', original);
    expect(await plan.dirtyState().innerText()).toBe('All changes saved');

    // The team answers every question and saves: version 2.
    await plan.answerAll('Yes');
    expect(await page.getByTestId('checklist-count').innerText()).toBe(`${rules.length} of ${rules.length} answered`);
    expect(await plan.save('tailoring checklist answered')).toBe(2);
    await plan.editorHeading(2).waitFor();
    expect(await page.getByTestId('open-items').count()).toBe(0);
    await page.screenshot({ path: '.tmp/plan-story-v2.png', fullPage: true });

    // A mistyped dose is refused by the server at its field, which gets the focus; nothing is saved.
    await plan.setDose('doxorubicin', '5000');
    await plan.saveRefused();
    const field = plan.dose('doxorubicin');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await plan.agentRow('doxorubicin').innerText()).toMatch(/doxorubicin 5,000 mg\/m² per administration is outside the allowed range 0–90 mg\/m²/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(/^Dose of Doxorubicin/);
    await page.screenshot({ path: '.tmp/plan-story-dose-error.png' });
    await plan.setDose('doxorubicin', original);
    expect(await plan.dirtyState().innerText()).toBe('All changes saved');

    // The oncologist signs first: a wrong password is refused in the dialog, at the password field.
    await plan.sign('not-my-password');
    await plan.signDialog().getByText(/incorrect/).waitFor();
    expect(await plan.signDialog().getByLabel(/^Your password/).getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: '.tmp/plan-story-sign-dialog.png' });
    await plan.signDialog().getByRole('button', { name: 'Cancel' }).click();
    await plan.sign(PASSWORD);
    await plan.signStatus().filter({ hasText: 'Signed version 2 as Pediatric oncology.' }).waitFor();
    expect(await plan.group('pediatric_oncology').getAttribute('data-state')).toBe('signed');
    expect(expected([404, 400, 403])(problems)).toEqual([]);
    await page.close();
  }, 300_000);

  test('every other required group signs version 2 with its password, and the plan is agreed', async () => {
    expect(required.length).toBeGreaterThan(1);
    await everyGroupSigns(2, ['pediatric_oncology']);
    const { page, problems } = await signedIn('coordinator');
    const plan = new PlanPage(page);
    await plan.open(story.server.url, caseId);
    expect(await plan.status().innerText()).toContain('Agreed');
    expect(await plan.signoffState().getAttribute('data-agreed')).toBe('true');
    for (const d of required) expect(await plan.group(d).getAttribute('data-state')).toBe('signed');
    // A coordinator may read and edit the plan, but does not sign for a group.
    expect(await plan.signButton().count()).toBe(0);
    agreedVersion = 2;
    expect(problems).toEqual([]);
    await page.close();
  }, 600_000);

  test('an amendment makes version 3, unsigned; a stale save keeps the edits visible; the compare view shows what changed', async () => {
    expect(agreedVersion).toBe(2);
    // The orthopedic surgeon has the agreed version open and starts typing.
    const ortho = await signedIn('orthopedic');
    const other = new PlanPage(ortho.page);
    await other.open(story.server.url, caseId);
    await other.notes().fill('Orthopedics: limb salvage favoured.');

    // Meanwhile the oncologist amends the plan.
    const { page, problems } = await signedIn('oncologist');
    const plan = new PlanPage(page);
    await plan.open(story.server.url, caseId);
    await plan.setDose('doxorubicin', reduced);
    await plan.notes().fill(`Doxorubicin reduced to ${reduced} mg/m² after the baseline echocardiogram.`);
    expect(await plan.save('doxorubicin reduced')).toBe(3);
    expect(await plan.status().innerText()).toContain('Draft');
    expect(await plan.signoffState().getAttribute('data-agreed')).toBe('false');
    for (const d of required) expect(await plan.group(d).getAttribute('data-state')).toBe('stale');

    // The orthopedic surgeon saves on top of version 2: refused, and the typed note is still there.
    await other.saveRefused();
    await other.conflict().waitFor();
    // The save bar is at the bottom of a long form: the conflict comes into view and takes the focus.
    expect(await ortho.page.evaluate(() => !!document.activeElement?.querySelector('[data-testid="plan-conflict"]'))).toBe(true);
    expect(await ortho.page.getByTestId('plan-save-status').innerText()).toMatch(/Not saved: version 3 was saved meanwhile/);
    expect(await other.conflict().innerText()).toMatch(/Version 3 was saved by .*Your edits are still on this page/s);
    expect(await other.notes().inputValue()).toBe('Orthopedics: limb salvage favoured.');
    await ortho.page.screenshot({ path: '.tmp/plan-story-conflict.png' });
    await other.conflict().getByRole('button', { name: 'Reload version 3 (discard my edits)' }).click();
    expect(await other.notes().inputValue()).toBe(`Doxorubicin reduced to ${reduced} mg/m² after the baseline echocardiogram.`);
    await other.editorHeading(3).waitFor();
    expect(expected([412])(ortho.problems)).toEqual([]);
    await ortho.page.close();

    // The compare view lists the changes and highlights them on both sides.
    await plan.openCompare();
    const compare = new ComparePlanPage(page);
    await compare.changes().first().waitFor();
    const rows = await compare.changes().allInnerTexts();
    expect(rows.some((r) => r.includes('doxorubicin dose') && r.includes(`${original} mg/m²`) && r.includes(`${reduced} mg/m²`))).toBe(true);
    expect(rows.some((r) => /Notes/.test(r))).toBe(true);
    expect(await compare.highlighted(2).count()).toBeGreaterThan(0);
    expect(await compare.highlighted(3).filter({ hasText: `${reduced} mg/m²` }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: '.tmp/plan-story-compare.png', fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);

  test('after the groups sign version 3, a chemotherapy cycle is recorded and shows on the timeline; ending therapy gives the survivorship schedule', async () => {
    await everyGroupSigns(3);
    const { page, problems } = await signedIn('oncologist');
    const plan = new PlanPage(page);
    await plan.open(story.server.url, caseId);
    expect(await plan.status().innerText()).toContain('Agreed');

    const given = day(-1);
    await plan.recordPlannedChemo(given);
    await plan.timelineRows('given').first().waitFor();
    expect(await plan.timelineRows('given').first().getByTestId('given-date').innerText()).toBe(given);
    expect(await plan.timelineRows('planned').count()).toBeGreaterThan(0);
    await plan.concordance().waitFor();
    await plan.status().filter({ hasText: 'In progress' }).waitFor();
    await page.getByTestId('received-exposure').waitFor();
    await page.screenshot({ path: '.tmp/plan-story-treatment.png', fullPage: true });

    await plan.endTherapy(day(0));
    await plan.status().filter({ hasText: 'Completed' }).waitFor();
    const rows = plan.screeningRows();
    expect(await rows.count()).toBeGreaterThan(0);
    for (const row of await rows.all()) expect(await row.getByTestId('rule-ids').innerText()).toMatch(/R-LE-|R-FERT/);
    expect(await plan.survivorship().innerText()).toMatch(/Echocardiogram/);
    await page.screenshot({ path: '.tmp/plan-story-survivorship.png', fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 600_000);
});
