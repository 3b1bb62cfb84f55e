import { beforeAll, describe, expect, test } from 'vitest';
import { useStory } from './harness.js';

/**
 * The assessment playground as a clinician uses it: from a case, "Try changes in Assessment" opens the case's facts in a
 * form (the same structured facts as the tumour form); a change is assessed with its rules, the same facts read as
 * JSON, and a bad value is named at its field before anything is sent.
 */
describe('a clinician tries a change to a case\'s facts in the assessment', () => {
  const story = useStory();
  let caseId = '';

  beforeAll(async () => {
    const login = await fetch(`${story.server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'oncologist', password: 'tumorboard-demo' }) });
    const cookie = /tb_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    const get = async <T>(url: string) => (await (await fetch(`${story.server.url}/api/v1${url}`, { headers: { cookie } })).json()) as T;
    // A case whose facts assess, with no metastases recorded yet.
    for (const c of (await get<{ items: Array<{ id: string }> }>('/cases?limit=40')).items) {
      const a = await get<{ facts: { metastases?: unknown[] } | null; assessment: unknown }>(`/cases/${c.id}/assessment`);
      if (a.assessment && Array.isArray(a.facts?.metastases) && a.facts.metastases.length === 0) { caseId = c.id; break; }
    }
    expect(caseId).not.toBe('');
  });

  test('the case\'s facts open in the form; lung metastases are assessed, read back as JSON, and a bad size is refused at its field', async () => {
    const { page, problems } = await story.signedIn('oncologist');
    await page.goto(`${story.server.url}/cases/${caseId}`);
    await page.getByRole('button', { name: 'Try changes in Assessment' }).click();
    await page.waitForURL(/\/assessment$/);
    await page.getByText('Loaded from a case. Changes here are not saved to the record.').waitFor();
    const form = page.getByRole('form', { name: 'Case facts' });
    expect(await form.getByLabel('Age at diagnosis: years').inputValue()).not.toBe('');
    expect(await form.getByLabel('Topography (ICD-O-3)').inputValue()).toMatch(/^C\d{2}/);

    // Lung metastases found: the assessment follows, with its rules.
    const mets = form.getByRole('radiogroup', { name: 'Distant metastases' });
    await mets.getByRole('radio', { name: 'Metastases present' }).check();
    await form.getByRole('group', { name: /^Metastatic sites/ }).getByRole('checkbox', { name: 'Lung', exact: true }).check();
    await form.getByRole('button', { name: 'Assess' }).click();
    const panel = page.getByTestId('assessment-panel');
    await panel.waitFor();
    await panel.getByTestId('explanation').first().waitFor();
    expect(await panel.innerText()).toMatch(/R-[A-Z]/);

    // The same facts as JSON.
    await page.locator('label').filter({ hasText: /^JSON$/ }).click();
    const json = JSON.parse(await page.getByLabel('Case facts JSON').inputValue()) as { metastases: string[]; ageMonths: number };
    expect(json.metastases).toEqual(['lung']);
    expect(json.ageMonths).toBeGreaterThan(0);

    // Back to the form: a size of 0 is named at the field, and nothing is sent.
    await page.locator('label').filter({ hasText: /^Form$/ }).click();
    await form.getByLabel('Size (cm)').fill('0');
    await form.getByRole('button', { name: 'Assess' }).click();
    await form.getByText('Enter the largest dimension in cm (0–100)').waitFor();
    expect(await form.getByLabel('Size (cm)').getAttribute('aria-invalid')).toBe('true');
    expect(problems).toEqual([]);
  });
});
