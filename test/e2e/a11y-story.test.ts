import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { useStory } from './harness.js';

// Injected through the DevTools protocol (page.evaluate), which the app's strict CSP (no inline script) does not apply to.
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }

/** axe-core's WCAG 2.1 A and AA rules on the page as it stands; each violation with where it is. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations;
  });
  return found.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')}`));
}

describe('the main pages pass the automated WCAG 2.1 AA checks', () => {
  const story = useStory();

  test.each([
    ['coordinator', '/patients', 'Patients'],
    ['coordinator', '/cases', 'Cases'],
    ['coordinator', '/referrals', 'Referrals'],
    ['coordinator', '/conferences', 'Tumor Conference'],
    ['oncologist', '/assessment', 'Assessment'],
    ['coordinator', '/second-opinions', 'Second opinions'],
    ['researcher', '/research', 'Research'],
    ['admin', '/admin/users', 'Users'],
    ['coordinator', '/analytics', 'Analytics'],
    ['coordinator', '/trials', 'Trials'],
    ['travel', '/travel', 'Travel'],
    ['referrer', '/my-referrals', 'referrals'],
    ['admin', '/admin/audit', 'Audit'],
    ['riverside-onc', '/shared', 'Shared with us'],
  ])('as %s, %s', async (user, path, heading) => {
    const { page } = await story.signedIn(user);
    await page.goto(`${story.server.url}${path}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(heading, 'i') }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await violations(page)).toEqual([]);
  });

  test('a case page and its treatment plan, as the oncologist', async () => {
    const { page } = await story.signedIn('oncologist');
    const cases = (await (await page.request.get(`${story.server.url}/api/v1/cases?limit=50`)).json()) as { items: Array<{ id: string }> };
    let planned = '';
    for (const c of cases.items) {
      const d = (await (await page.request.get(`${story.server.url}/api/v1/cases/${c.id}`)).json()) as { plan: unknown };
      if (d.plan) { planned = c.id; break; }
    }
    expect(planned).not.toBe('');
    await page.goto(`${story.server.url}/cases/${planned}`);
    await page.getByTestId('assessment-panel').waitFor();
    await page.waitForLoadState('networkidle');
    expect(await violations(page)).toEqual([]);
    await page.goto(`${story.server.url}/cases/${planned}/plan`);
    await page.getByRole('heading', { level: 1, name: /Treatment plan/ }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await violations(page)).toEqual([]);
  });

  test('the sign-in page and the public referral form, signed out', async () => {
    const page = await story.browser.newPage();
    for (const [path, heading] of [['/', 'Sign in'], ['/refer', 'Refer']] as const) {
      await page.goto(`${story.server.url}${path}`);
      await page.getByRole('heading', { name: new RegExp(heading, 'i') }).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await violations(page), path).toEqual([]);
    }
    await page.close();
  });

  test('a patient, a referral and a trial, as the coordinator', async () => {
    const { page } = await story.signedIn('coordinator');
    const first = async (url: string) => ((await (await page.request.get(`${story.server.url}/api/v1${url}`)).json()) as { items: Array<{ id: string }> }).items[0]!.id;
    for (const path of [`/patients/${await first('/patients?limit=1')}`, `/referrals/${await first('/referrals?limit=1')}`, `/trials/${await first('/trials?limit=1')}`]) {
      await page.goto(`${story.server.url}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await violations(page), path).toEqual([]);
    }
  });
});
