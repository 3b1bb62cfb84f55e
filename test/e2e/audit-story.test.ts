import { beforeAll, describe, expect, test } from 'vitest';
import { useStory } from './harness.js';
import { PatientAccessReportPage } from './audit-pages.js';

describe('an admin finds out who accessed a patient\'s record', () => {
  const story = useStory();
  let patientId: string;

  beforeAll(async () => {
    // The coordinator opens one patient's record (through the API, as the web app would).
    const login = await fetch(`${story.server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'coordinator', password: 'tumorboard-demo' }) });
    const cookie = /tb_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    const list = await (await fetch(`${story.server.url}/api/v1/patients?limit=1`, { headers: { cookie } })).json() as { items: Array<{ id: string }> };
    patientId = list.items[0]!.id;
    expect((await fetch(`${story.server.url}/api/v1/patients/${patientId}`, { headers: { cookie } })).status).toBe(200);
  });

  test('the report lists the coordinator\'s read, with role, outcome and address, and records the admin\'s look', async () => {
    const { page, problems } = await story.signedIn('admin');
    const report = new PatientAccessReportPage(page);
    await report.open();
    await report.showAccessTo(patientId);
    const text = await report.entries().innerText();
    expect(text).toMatch(/coordinator \(Coordinator\)\s+Read\s+patient\s+success\s+127\.0\.0\.1/);
    expect(await report.byUser().innerText()).toMatch(/coordinator \(Coordinator\)\s+\d+/);
    // Asking again shows the admin's own first look at the report.
    await page.getByRole('form', { name: 'Patient access report' }).getByLabel('Patient ID').fill(` ${patientId} `);
    await page.getByRole('button', { name: 'Show access' }).click();
    await report.entries().getByText('patient_access_report').first().waitFor();
    await page.screenshot({ path: '.tmp/e2e-patient-access.png', fullPage: true });
    expect(problems).toEqual([]);
  });

  test('an empty patient ID is refused with a message at the field', async () => {
    const { page, problems } = await story.signedIn('admin');
    const report = new PatientAccessReportPage(page);
    await report.open();
    await page.getByRole('button', { name: 'Show access' }).click();
    await page.getByText('Enter a patient ID').waitFor();
    expect(problems).toEqual([]);
  });
});
