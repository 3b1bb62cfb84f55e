import { describe, expect, test } from 'vitest';
import { useStory } from './harness.js';
import { PatientFormPage, PatientsPage } from './pages.js';

describe('a newcomer creates and edits a patient, then an admin sees it in the audit log', () => {
  const story = useStory();
  const mrn = `E2E-${Date.now().toString(36).toUpperCase()}`;

  const signedIn = (username: string) => story.signedIn(username);

  test('the coordinator creates a patient with an Arabic name, is told what is missing, then edits it', async () => {
    const { page, problems } = await signedIn('coordinator');
    await page.getByRole('link', { name: 'New patient' }).click();
    const form = new PatientFormPage(page);
    await page.getByRole('button', { name: 'Create patient' }).click();
    await page.getByText('Enter the medical record number').waitFor();
    await form.fill({ mrn, familyName: 'الحربي', givenName: 'نورة', birthDate: '2013-04-02', homeCountry: 'Saudi Arabia' });
    await page.getByRole('button', { name: 'Create patient' }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: /الحربي/ }).waitFor();
    await page.getByRole('link', { name: 'Edit demographics' }).click();
    await page.getByRole('textbox', { name: /^Given name/ }).fill('نورة سارة');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: /نورة سارة/ }).waitFor();
    const patients = new PatientsPage(page);
    await page.getByRole('link', { name: 'Patients' }).first().click();
    await patients.search(mrn);
    await page.getByRole('link', { name: /الحربي/ }).waitFor();
    await page.screenshot({ path: '.tmp/e2e-created.png', fullPage: true });
    expect(problems).toEqual([]);
  });

  test('the admin finds the create, read and update of that patient in the audit log', async () => {
    const { page, problems } = await signedIn('admin');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('table', { name: 'Audit entries' }).waitFor();
    const rows = page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr');
    await rows.first().waitFor();
    const text = await page.getByRole('table', { name: 'Audit entries' }).innerText();
    expect(text).toMatch(/coordinator \(Coordinator\)\s+Create\s+patient/);
    expect(text).toMatch(/coordinator \(Coordinator\)\s+Update\s+patient/);
    expect(text).toMatch(/fields=givenName/);
    await page.screenshot({ path: '.tmp/e2e-audit.png', fullPage: true });
    expect(problems).toEqual([]);
  });

  test('a clinician opens a case and sees its assessment with rule IDs', async () => {
    const { page, problems } = await signedIn('oncologist');
    await page.getByRole('link', { name: 'Cases' }).first().click();
    await page.getByTestId('case-row').first().click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const panel = page.getByTestId('assessment-panel');
    await panel.waitFor();
    await page.getByTestId('explanation').first().waitFor();
    expect(await panel.innerText()).toMatch(/R-[A-Z]+/);
    await page.screenshot({ path: '.tmp/e2e-case.png', fullPage: true });
    expect(problems).toEqual([]);
  });
});
