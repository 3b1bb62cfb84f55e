import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, signedIn as signIn, startServer, type RunningServer } from './harness.js';
import { ResearchCohortPage } from './research-pages.js';

/** The refusals this story provokes on purpose (a wrong password: 403; a count that could be subtracted: 409). */
const unexpected = (problems: string[]) => problems.filter((p) => !p.includes('the server responded with a status of 403') && !p.includes('the server responded with a status of 409'));

/**
 * Issue 8 item 5, as a researcher lives it: she lands on the research cohort page, sees the program's counts with
 * small cells suppressed, narrows the cohort to one tumour type, and downloads a Safe Harbor CSV after typing her
 * password again (a wrong password is refused first).
 */
describe('a researcher builds a cohort and downloads a Safe Harbor CSV', () => {
  let server: RunningServer;
  let browser: Browser;

  // The program's patients, as the registry counts them (the demo's generated patients and those on open referrals).
  let programTotal = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    fs.mkdirSync('.tmp', { recursive: true });
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'coordinator', password: 'tumorboard-demo' }) });
    const cookie = /tb_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    programTotal = String(((await (await fetch(`${server.url}/api/v1/patients?limit=1`, { headers: { cookie } })).json()) as { total: number }).total);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the researcher sees suppressed counts, filters the cohort and downloads a de-identified CSV', async () => {
    const { page, problems } = await signIn(browser, server, 'researcher');
    // The research cohort is the researcher's home page.
    await page.waitForURL(/\/research$/);
    const research = new ResearchCohortPage(page);
    await research.waitForCounts();
    expect(await research.total()).toBe(programTotal);
    const byType = await research.breakdown('Tumour type');
    expect(Object.keys(byType)).toContain('Osteosarcoma');
    // No count from 1 to 10 is ever on the screen; suppressed cells read "<11".
    const shown = await research.allShownCounts();
    expect(shown.length).toBeGreaterThan(10);
    for (const c of shown) expect(c === '<11' || c === '0' || Number(c) >= 11, c).toBe(true);
    expect(shown).toContain('<11');

    await research.chooseTumourType('Osteosarcoma');
    const osteo = await research.count(programTotal);
    expect(osteo === '<11' || Number(osteo) < Number(programTotal)).toBe(true);
    expect(Object.keys(await research.breakdown('Tumour type'))).toEqual(['Osteosarcoma']);

    // Her first count showed how many osteosarcomas there are; the osteosarcomas diagnosed in 2026 would tell how many
    // (fewer than 11) were diagnosed earlier, so that cell is hidden, and the screen says why.
    expect((await research.overlapNotes()).join(' ')).toContain('together with your earlier counts');

    await research.chooseMode('Date-shifted, pseudonymized');
    expect(await research.modeDescription()).toContain('Not Safe Harbor');
    await research.chooseMode('HIPAA Safe Harbor');
    await research.enterPassword('not-my-password');
    await page.getByRole('button', { name: 'Download export' }).click();
    expect(await research.refusal()).toContain('password');

    await research.enterPassword('tumorboard-demo');
    const file = await research.download();
    expect(file.suggestedFilename()).toMatch(/^tumorboard-research-safe-harbor-\d{8}\.csv$/);
    const text = fs.readFileSync((await file.path())!, 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toContain('mode=safe_harbor; HIPAA Safe Harbor, 45 CFR 164.514(b)(2)');
    expect(lines.find((l) => l.startsWith('subject,'))).toContain('diagnosis_year');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toMatch(/LCH-\d{6}/);
    const rows = lines.filter((l) => /^S\d{5},/.test(l));
    expect(rows.length === Number(osteo) || (osteo === '<11' && rows.length < 11)).toBe(true);
    expect(await research.exportDone()).toContain(`(${rows.length} rows)`);
    // The export log shows who exported what, with the file's hash (never the data).
    expect(await research.exportLog()).toContainEqual(expect.stringContaining('HIPAA Safe Harbor (CSV)'));
    await page.screenshot({ path: '.tmp/research-story.png', fullPage: true });
    expect(unexpected(problems)).toEqual([]);
  }, 120_000);

  test('a nested question that could be subtracted from an earlier count is refused in plain words', async () => {
    const { page, problems } = await signIn(browser, server, 'researcher');
    await page.waitForURL(/\/research$/);
    const research = new ResearchCohortPage(page);
    await research.waitForCounts();
    await research.chooseTumourType('Ewing sarcoma');
    const ewing = await research.count(await research.total());
    expect(Number(ewing)).toBeGreaterThanOrEqual(11);
    // "Ewing, not enrolled" against "all Ewing" would give away how many (fewer than 11) are enrolled.
    await research.chooseTrialEnrollment('Not enrolled');
    const refusal = await research.countRefused();
    expect(refusal).toContain('differs from one you counted before by 1 to 10 children');
    expect(refusal).toContain('widen or change the filters');
    expect(await page.getByTestId('cohort-total').count()).toBe(0);
    await page.screenshot({ path: '.tmp/research-refused.png', fullPage: true });
    expect(unexpected(problems)).toEqual([]);
    expect(problems.filter((p) => p.includes('409'))).toHaveLength(1);
  }, 120_000);

  test('an administrator sees the demo data-use agreement and no cohort', async () => {
    const { page, problems } = await signIn(browser, server, 'admin');
    const research = new ResearchCohortPage(page);
    await research.open(server.url);
    await page.getByRole('table', { name: 'Recorded data-use agreements' }).getByText('DUA-2026-001').waitFor();
    expect(await page.getByTestId('cohort-total').count()).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
