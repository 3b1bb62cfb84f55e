import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useStory } from './harness.js';
import { CaseTrialsPanel, TrialDetailPage, TrialListPage } from './trial-pages.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const fixture = (nct: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', 'ctgov', `${nct}.json`), 'utf8')) as {
  protocolSection: { eligibilityModule: { eligibilityCriteria: string } };
};

/**
 * The server answers some requests in this story with an error on purpose (a stale save: 412). The browser logs
 * each refused request; anything else is a problem.
 */
const expected = (statuses: number[]) => (problems: string[]) =>
  problems.filter((p) => !statuses.some((s) => p.includes(`Failed to load resource: the server responded with a status of ${s}`)));

/**
 * Issue 7, as people live it: the research coordinator keeps the trial registry (curates the drafted criteria of a
 * trial, is stopped from overwriting a colleague's save, imports amended ClinicalTrials.gov records and sees which
 * curation is now out of date); then the conference coordinator opens a child's trial matches, reads why each trial
 * is possible or not, and logs an offer and a declined offer with its reason.
 */
describe('the research coordinator curates and imports trials; the coordinator logs trial offers for a child', () => {
  const story = useStory();
  let tmp = '';

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-trials-'));
    fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  });
  afterAll(async () => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const signedIn = (username: string) => story.signedIn(username, { width: 1366, height: 900 });

  test('the research coordinator sees the demo trials with their networks and curation states, and filters them', async () => {
    const { page, problems } = await signedIn('trials');
    const list = new TrialListPage(page);
    await list.open(story.server.url);
    await list.waitForRowCount(8);
    const trials = await list.listed();
    expect(Object.keys(trials).sort()).toEqual(['LCH-SARC-2026-01', 'NCT00023998', 'NCT00354835', 'NCT01231906', 'NCT02301039', 'NCT02567435', 'NCT03643133', 'NCT04129151']);
    expect(trials['LCH-SARC-2026-01']!.network).toBe('Institutional');
    expect(trials.NCT02567435).toEqual({ network: 'COG', curation: 'curated', label: '✓ Curated' });
    expect(trials.NCT02301039!.network).toBe('SARC');
    expect(trials.NCT03643133!.network).toBe('Other');
    expect(trials.NCT00354835!.curation).toBe('draft');
    expect(trials.NCT00354835!.label).toMatch(/Draft/);
    // A draft says how many criteria wait for a curator, and every trial how many open cases it matches.
    expect(await list.row('NCT00354835').getByTestId('pending-review').innerText()).toMatch(/\d+ of \d+/);
    expect(await list.row('NCT02301039').getByTestId('match-counts').innerText()).toMatch(/^\d+ eligible · \d+ possible$/);
    // The program figures: share of presented children offered / enrolled, by tumor family.
    expect(await list.metrics().getByTestId('metrics-summary').innerText()).toMatch(/^Of \d+ children presented at conference, \d+ \([\d.]+%\) were offered a trial and \d+ \([\d.]+%\) enrolled\.$/);
    expect(await list.metrics().getByTestId('metrics-row').count()).toBeGreaterThanOrEqual(2);

    await list.filter('Network', 'COG');
    await list.waitForRowCount(4);
    expect(Object.values(await list.listed()).every((t) => t.network === 'COG')).toBe(true);
    await list.filter('Network', 'Any network');
    await list.search('SARC028');
    await list.waitForRowCount(1);
    expect(Object.keys(await list.listed())).toEqual(['NCT02301039']);
    await list.search('');
    await list.waitForRowCount(8);
    await page.screenshot({ path: '.tmp/trial-story-list.png', fullPage: true });
    expect(problems).toEqual([]);
  }, 120_000);

  test('she enters a local institutional trial by hand: a wrong age is named at its field; once saved, its criteria wait for curation', async () => {
    const { page, problems } = await signedIn('trials');
    const list = new TrialListPage(page);
    await list.open(story.server.url);
    const fields = {
      'Protocol number': 'LCH-RMS-2026-02', Sponsor: "Lakeshore Children's Hospital",
      Title: 'Institutional study of maintenance vinorelbine and oral cyclophosphamide timing in rhabdomyosarcoma',
      'Minimum age': 'six months', 'Maximum age': '21 Years',
      'Inclusion criteria': 'Newly diagnosed rhabdomyosarcoma\nLansky or Karnofsky performance status of 50 or more',
      'Exclusion criteria': 'Pregnant or breastfeeding',
    };
    await list.enterLocalTrial(fields, ['Phase 2']);
    const errors = await list.localTrialErrors();
    expect(errors.some((e) => /not an age like "12 Months"/.test(e))).toBe(true);
    await page.getByLabel(/^Minimum age/).fill('6 Months');
    await page.getByRole('button', { name: 'Save and draft the criteria' }).click();
    const detail = new TrialDetailPage(page);
    await page.getByTestId('curation').waitFor();
    expect(await page.getByTestId('trial-nct').innerText()).toBe('LCH-RMS-2026-02');
    expect(await detail.registry().innerText()).toMatch(/Protocol number \(local trial\)\s+LCH-RMS-2026-02/);
    expect(await detail.curationBadge().innerText()).toMatch(/Draft/);
    expect((await detail.criterionIds()).length).toBeGreaterThanOrEqual(3);

    // The study has two cohorts that admit different children: she evaluates one separately and places a criterion in it.
    await detail.addCohort('Cohort B: relapsed disease');
    await detail.placeCriterion('in1', 'Cohort B: relapsed disease (cohort)');
    expect(await detail.scopeCriterionIds('cohort-1')).toEqual(['in1']);
    // The protocol says Lansky 60, not 50: she changes the cut-off in the rule's fields, not in JSON.
    await detail.editRuleField('in2', 'in2 lansky: minimum', '60');
    expect(await detail.ruleText('in2')).toMatch(/Lansky ≥ 60/);
    expect(await detail.save()).toBe(200);
    await expect.poll(async () => detail.version().innerText()).toBe('Version 2');
    expect(await detail.scopeCriterionIds('cohort-1')).toEqual(['in1']);
    expect(await detail.status('in2')).toBe('edited');
    expect(await detail.ruleText('in2')).toMatch(/Lansky ≥ 60/);
    await page.screenshot({ path: '.tmp/trial-story-local.png', fullPage: true });
    expect(expected([400])(problems)).toEqual([]);
  }, 120_000);

  test('she reviews NCT02567435 criterion by criterion, is stopped from overwriting a colleague\'s save, and saves a new version', async () => {
    const { page, problems } = await signedIn('trials');
    const list = new TrialListPage(page);
    await list.open(story.server.url);
    await list.openTrial('NCT02567435');
    const trial = new TrialDetailPage(page);

    // Registry facts and the registered text, as the record gives them (absent fields say so).
    expect(await trial.registry().getByTestId('fact-sponsor').innerText()).toMatch(/National Cancer Institute \(NCI\)/);
    expect(await trial.registry().getByTestId('fact-network').innerText()).toMatch(/COG/);
    expect(await trial.registry().getByTestId('registry-missing').innerText()).toMatch(/minimum age/);
    expect(await trial.eligibilityText().innerText()).toMatch(/Up to 40 years old at the time of enrollment/);
    expect(await trial.version().innerText()).toBe('Version 2');
    expect(await trial.criterionIds()).toEqual(['in1', 'in2']);
    expect(await trial.status('in1')).toBe('accepted');
    // Each criterion shows its source text and the proposed rule in words.
    expect(await trial.criterion('in1').getByTestId('criterion-source').innerText()).toBe('Up to 40 years old at the time of enrollment');
    expect(await trial.criterion('in1').innerText()).toMatch(/Age ≤ 40 y \(before the 41st birthday\)/);
    expect(await trial.criterion('in2').innerText()).toMatch(/All of:[\s\S]*Disease status: newly diagnosed[\s\S]*Clinician review \(not computed\)/);

    // The free-text part of in2 goes back to a clinician: the curation is no longer complete.
    await trial.decide('in2', 'Needs review');
    expect(await trial.status('in2')).toBe('needs_review');
    await trial.criterion('in2').getByTestId('criterion-dirty').waitFor();
    expect(await trial.message().innerText()).toBe('1 change not saved.');
    expect(await trial.save()).toBe(200);
    await trial.message().filter({ hasText: 'Saved as version 3. 1 criterion still waiting for review.' }).waitFor();
    expect(await trial.version().innerText()).toBe('Version 3');
    expect(await trial.curationBadge().innerText()).toMatch(/Draft/);

    // Meanwhile a colleague saves the trial (version 4): her next save must not overwrite it.
    const colleague = await page.evaluate(async (url) => {
      const t = await (await fetch(url)).json() as { version: number; definition: unknown };
      const res = await fetch(`${url}/definition`, { method: 'PUT', headers: { 'Content-Type': 'application/json', 'If-Match': `W/"${t.version}"` }, body: JSON.stringify(t.definition) });
      return res.status;
    }, `${story.server.url}/api/v1/trials/${page.url().split('/').pop()}`);
    expect(colleague).toBe(200);
    await trial.decide('in2', 'Accept');
    await trial.decide('in1', 'Reject');
    expect(await trial.save()).toBe(412);
    const alert = page.getByRole('alert').filter({ hasText: 'Curation not saved' });
    expect(await alert.innerText()).toMatch(/changed by someone else/);
    await alert.getByRole('button', { name: 'Reload' }).click();
    await trial.message().filter({ hasText: 'Reloaded the latest version' }).waitFor();
    expect(await trial.version().innerText()).toBe('Version 4');
    expect(await trial.status('in1')).toBe('accepted');
    expect(await trial.status('in2')).toBe('needs_review');

    // Again, on the latest version: in2 accepted, the age rule rejected.
    await trial.decide('in2', 'Accept');
    await trial.decide('in1', 'Reject');
    expect(await trial.save()).toBe(200);
    await trial.message().filter({ hasText: 'Saved as version 5. Curation complete: every criterion reviewed.' }).waitFor();
    expect(await trial.curationBadge().innerText()).toMatch(/Curated/);
    await page.reload();
    await page.getByTestId('curation').waitFor();
    expect(await trial.version().innerText()).toBe('Version 5');
    expect(await trial.status('in1')).toBe('rejected');
    expect(await trial.status('in2')).toBe('accepted');

    // She rewrites in1's rule herself: a wrong field is refused at the criterion, a right one saves as "edited".
    await trial.editRule('in1', '{ "op": "age", "min": { "days": "ten years", "inclusive": true } }');
    expect(await trial.save()).toBe(400);
    await trial.criterion('in1').getByText(/days/).first().waitFor();
    await trial.editRule('in1', '{ "op": "age", "min": { "days": 3650, "inclusive": true }, "max": { "days": 14975, "inclusive": false } }');
    expect(await trial.save()).toBe(200);
    await trial.message().filter({ hasText: 'Saved as version 6' }).waitFor();
    expect(await trial.status('in1')).toBe('edited');
    await page.screenshot({ path: '.tmp/trial-story-curation.png', fullPage: true });
    expect(expected([400, 412])(problems)).toEqual([]);
  }, 120_000);

  test('she imports amended study records: the report says what changed, and the curated trial is marked for review', async () => {
    const { page, problems } = await signedIn('trials');
    // NCT04129151 was never curated: its draft is redone. NCT02567435 was curated: its curation goes stale.
    const ewing = fixture('NCT04129151');
    ewing.protocolSection.eligibilityModule.eligibilityCriteria = ewing.protocolSection.eligibilityModule.eligibilityCriteria
      .replace('Age ≥ 12 years and ≤ 50 years', 'Age ≥ 10 years and ≤ 40 years');
    expect(ewing.protocolSection.eligibilityModule.eligibilityCriteria).toMatch(/Age ≥ 10 years and ≤ 40 years/);
    const rms = fixture('NCT02567435');
    rms.protocolSection.eligibilityModule.eligibilityCriteria += '\n* Amendment 3: patients must have a documented cardiac evaluation';
    const files = {
      ewing: path.join(tmp, 'NCT04129151-amended.json'),
      rms: path.join(tmp, 'NCT02567435-amendment3.json'),
      broken: path.join(tmp, 'broken-export.json'),
    };
    fs.writeFileSync(files.ewing, JSON.stringify(ewing));
    fs.writeFileSync(files.rms, JSON.stringify({ studies: [rms] }));
    fs.writeFileSync(files.broken, '{"protocolSection": {"identificationModule": ');

    const list = new TrialListPage(page);
    await list.open(story.server.url);
    await list.importFiles([files.ewing, files.rms, files.broken]);
    expect(await list.report().getByTestId('import-summary').innerText()).toMatch(/^2 records imported from 3 files: 1 updated, 1 curation stale\. 1 problem reported\. \d+ open cases re-matched\.$/);
    const imported = await list.imported();
    expect(imported.map((i) => [i.nct, i.outcome])).toEqual([['NCT04129151', 'updated'], ['NCT02567435', 'curation_stale']]);
    expect(imported[0]!.text).toMatch(/Updated[\s\S]*draft was redone/);
    expect(imported[1]!.text).toMatch(/Curation stale[\s\S]*criteria changed — review pending/);
    // What the record lacks is listed, never filled in.
    expect(imported[0]!.text).toMatch(/minimum age/);
    const bad = await list.problems();
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatch(/^broken-export\.json Whole file — not valid JSON/);
    await page.screenshot({ path: '.tmp/trial-story-import.png', fullPage: true });

    // The list now shows the stale curation in words; the trial page explains it.
    await list.report().getByRole('button', { name: 'Close the import report' }).click();
    await list.row('NCT02567435').getByText('Criteria changed — review pending').waitFor();
    expect((await list.listed()).NCT02567435!.curation).toBe('stale');
    await list.openTrial('NCT02567435');
    const trial = new TrialDetailPage(page);
    expect(await trial.staleBanner().innerText()).toMatch(/changed after this trial was curated/);
    expect(await trial.eligibilityText().innerText()).toMatch(/Amendment 3/);
    await page.goto(`${story.server.url}/trials/NCT04129151`);
    await page.getByTestId('curation').waitFor();
    expect(await trial.eligibilityText().innerText()).toMatch(/Age ≥ 10 years and ≤ 40 years/);
    expect(await page.getByTestId('curation').innerText()).toMatch(/Age ≥ 10 y and ≤ 40 y \(before the 41st birthday\)/);
    expect(problems).toEqual([]);
  }, 120_000);

  /** A case with at least two trials it could join (not "not eligible"), none of them in its screening log yet. */
  async function findCase(page: Page): Promise<{ caseId: string; trials: string[] }> {
    const cases = await (await page.request.get(`${story.server.url}/api/v1/cases?limit=100`)).json() as { items: Array<{ id: string }> };
    for (const c of cases.items) {
      const res = await page.request.get(`${story.server.url}/api/v1/cases/${c.id}/trial-matches`);
      if (!res.ok()) continue;
      const m = await res.json() as { available: boolean; matches: Array<{ trialId: string; verdict: string; screening: unknown; id: string | null }>; dataRequests: unknown[] };
      const open = m.matches.filter((x) => x.verdict !== 'not_eligible' && x.screening === null && x.id);
      if (m.available && open.length >= 2 && m.dataRequests.length > 0) return { caseId: c.id, trials: open.map((x) => x.trialId) };
    }
    throw new Error('no demo case with two unscreened possible trials');
  }

  test('the coordinator opens a child\'s trial matches, reads the verdicts, and logs an offer and a declined offer with its reason', async () => {
    const { page, problems } = await signedIn('coordinator');
    const { caseId, trials } = await findCase(page);
    const [offered, declined] = [trials[0]!, trials[1]!];
    const panel = new CaseTrialsPanel(page);
    await panel.open(story.server.url, caseId);
    expect(await panel.panel().getByTestId('match-totals').innerText()).toMatch(/^\d+ eligible · \d+ possible · \d+ not eligible$/);
    expect(await panel.group('possible').getByRole('heading').innerText()).toMatch(/Possible — needs data or review \(\d+\)/);

    // The facts that would settle the most trials come first, in words.
    const requests = await panel.dataRequests();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests[0]).toMatch(/would settle \d+ trials? \(NCT\d{8}/);

    // Every criterion says its verdict in words (not colour alone), with its evidence.
    const criteria = await panel.criteria(offered);
    expect(criteria.length).toBeGreaterThan(0);
    const words: Record<string, RegExp> = { met: /^✓ Met/, not_met: /^✗ Not met/, unknown: /^\? Unknown — needs data/, needs_review: /^⚑ Needs clinician review/ };
    for (const c of criteria) {
      expect(c.text).toMatch(words[c.verdict]!);
      expect(c.text).toMatch(/Evidence: /);
      if (c.verdict === 'unknown') expect(c.text).toMatch(/Needs: /);
    }
    expect(criteria.some((c) => c.verdict !== 'met')).toBe(true);

    await panel.log(offered, 'Offered');
    expect(await panel.screeningStatus(offered).innerText()).toBe('Offered');
    expect(await panel.trial(offered).getByRole('list', { name: `Screening history of ${offered}` }).innerText()).toMatch(/Offered · Dana Whitfield/);

    // Declining needs a reason: refused at the field, which gets the focus. (The offer's refetch settles first:
    // a list re-rendered under an open dialog would be a different test.)
    await page.waitForLoadState('networkidle');
    const dialog = await panel.startWithReason(declined, 'Declined');
    await dialog.getByRole('textbox', { name: /^Reason/ }).waitFor();
    await dialog.getByRole('button', { name: 'Log declined' }).click();
    await dialog.getByText('Say why (declined)').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    const reason = 'Family prefers standard therapy closer to home.';
    await dialog.getByRole('textbox', { name: /^Reason/ }).fill(reason);
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes('/trial-screenings/') && r.ok()),
      dialog.getByRole('button', { name: 'Log declined' }).click(),
    ]);
    await dialog.waitFor({ state: 'hidden' });
    await panel.screeningStatus(declined).filter({ hasText: 'Declined' }).waitFor();
    expect(await panel.trial(declined).getByTestId('screening-reason').innerText()).toBe(`Reason: ${reason}`);
    await page.screenshot({ path: '.tmp/trial-story-matches.png', fullPage: true });

    // The log is the server's, not only the screen's.
    await page.reload();
    await panel.panel().getByTestId('match-totals').waitFor();
    expect(await panel.screeningStatus(offered).innerText()).toBe('Offered');
    expect(await panel.screeningStatus(declined).innerText()).toBe('Declined');
    expect(await panel.trial(declined).getByTestId('screening-reason').innerText()).toBe(`Reason: ${reason}`);
    expect(problems).toEqual([]);
  }, 180_000);
});
