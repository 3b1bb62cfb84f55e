import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { useStory } from './harness.js';
import { PatientFormPage, TumourFormPage } from './pages.js';

describe('an oncologist records tumour facts in plain words and the assessment follows them', () => {
  const story = useStory();
  const mrn = `OS-${Date.now().toString(36).toUpperCase()}`;

  const signedIn = (username: string) => story.signedIn(username, { width: 1360, height: 900 });

  /** The AJCC stage group and treatment template shown in the case page's assessment panel. */
  async function assessment(page: Page): Promise<Locator> {
    const panel = page.getByTestId('assessment-panel');
    await panel.getByRole('table', { name: 'Stage and risk by system' }).waitFor();
    return panel;
  }

  test('osteosarcoma of the distal femur: IIA on MAP, then IVA once lung metastases are recorded', async () => {
    const { page, problems } = await signedIn('oncologist');

    // Opens a (new) patient.
    await page.getByRole('link', { name: 'New patient' }).click();
    await new PatientFormPage(page).fill({ mrn, familyName: 'Okafor', givenName: 'Chidi', birthDate: '2011-06-14', homeCountry: 'Nigeria' });
    await page.getByRole('button', { name: 'Create patient' }).click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    const patientUrl = page.url();

    // Adds the tumour with structured facts; nothing is typed as JSON.
    await page.getByRole('button', { name: 'Add tumour' }).click();
    const tumour = new TumourFormPage(page, 'Add tumour');
    await tumour.fillBasics({
      diagnosisDate: '2025-09-01', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity',
      primarySite: 'distal femur', laterality: 'Right', sizeCm: '7.5',
    });
    await tumour.choose('Regional lymph nodes', 'N0 (clinically uninvolved)');
    await tumour.metastases('none');
    await tumour.choose('Grade (two-tier)', 'High grade');
    await tumour.choose('Compartment', 'Extracompartmental');
    await tumour.choose('Skip lesion', 'No skip lesion');
    await tumour.answer('Extraosseous extension', 'Yes');
    expect(await tumour.form().getByRole('textbox', { name: /JSON/ }).count()).toBe(0);
    await tumour.form().getByRole('group', { name: 'Bone' }).screenshot({ path: '.tmp/e2e-facts-bone.png' });
    await page.screenshot({ path: '.tmp/e2e-facts-form.png', fullPage: true });
    await tumour.save();

    // The tumour card shows the facts in words, and what is still to record.
    const card = page.getByTestId('tumour').first();
    const facts = card.getByTestId('tumour-facts');
    await facts.waitFor();
    const text = await facts.innerText();
    expect(text).toMatch(/Regional nodes\s+N0 \(clinically uninvolved\)/);
    expect(text).toMatch(/Metastases\s+None/);
    expect(text).toMatch(/Grade\s+High \(two-tier\)/);
    expect(text).toMatch(/Compartment\s+Extracompartmental/);
    expect(text).toMatch(/Not recorded:.*surgery/);
    expect(text).not.toMatch(/[{}"]/);
    await page.screenshot({ path: '.tmp/e2e-facts-card.png', fullPage: true });

    // Opens a case for it, then the case page.
    await page.getByRole('button', { name: 'New case' }).click();
    await page.getByRole('form', { name: 'Open a case' }).getByRole('button', { name: 'Open case' }).click();
    await page.getByRole('link', { name: /^Open case page/ }).first().click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    const caseUrl = page.url();
    let panel = await assessment(page);
    expect(await panel.innerText()).toMatch(/Stage group\s+IIA\b/);
    expect(await panel.innerText()).toContain('T-OS-MAP');
    expect(await page.getByRole('region', { name: 'Tumour' }).innerText()).toMatch(/Metastases\s+None/);
    await page.screenshot({ path: '.tmp/e2e-facts-case.png', fullPage: true });

    // Lung metastases found on staging CT: edit the tumour.
    await page.goto(patientUrl);
    await page.getByRole('button', { name: 'Edit tumour' }).click();
    const edit = new TumourFormPage(page, 'Edit tumour');
    await edit.metastases(['Lung']);
    await edit.save();
    await page.getByTestId('tumour-facts').getByText('Lung', { exact: true }).waitFor();

    await page.goto(caseUrl);
    panel = await assessment(page);
    await panel.getByText('IVA', { exact: true }).waitFor();
    expect(await panel.innerText()).toMatch(/Stage group\s+IVA\b/);
    expect(await page.getByRole('region', { name: 'Tumour' }).innerText()).toMatch(/Metastases\s+Lung/);
    await page.screenshot({ path: '.tmp/e2e-facts-case-iva.png', fullPage: true });
    expect(problems).toEqual([]);
  });

  test('errors show under the fact they name: "Metastases present" with no site, and a server refusal', async () => {
    const { page, problems } = await signedIn('oncologist');
    await page.getByRole('link', { name: 'Patients' }).first().click();
    await page.locator('table tbody tr').first().click();
    await page.waitForURL(/\/patients\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Add tumour' }).click();
    const tumour = new TumourFormPage(page, 'Add tumour');
    await tumour.fillBasics({ diagnosisDate: '2025-09-01', morphology: '9180/3', topography: 'C40.2', siteCategory: 'bone_extremity', primarySite: 'proximal tibia' });
    await tumour.form().getByRole('radiogroup', { name: 'Distant metastases' }).getByRole('radio', { name: 'Metastases present' }).check();
    await tumour.form().getByRole('button', { name: 'Save new tumour' }).click();
    await tumour.form().getByText('Tick at least one metastatic site, or choose No distant metastases').waitFor();
    // Focus lands on the refused answer, and nothing was saved.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('checkbox');
    expect(await tumour.form().isVisible()).toBe(true);
    await tumour.form().getByRole('group', { name: 'Extent and spread' }).screenshot({ path: '.tmp/e2e-facts-error.png' });

    // A server refusal naming details.bone.skipLesion shows under the Skip lesion input itself.
    await tumour.metastases(['Lung']);
    const message = 'Invalid option: expected one of "none"|"same_bone"|"other_bone"';
    await page.route('**/api/v1/patients/*/tumors', (route) => route.fulfill({
      status: 400, contentType: 'application/json',
      body: JSON.stringify({ error: { code: 'validation', message: `details.bone.skipLesion: ${message}`, issues: [{ field: 'details.bone.skipLesion', message }] } }),
    }));
    await tumour.choose('Skip lesion', 'In the same bone');
    await tumour.form().getByRole('button', { name: 'Save new tumour' }).click();
    const skip = tumour.form().getByRole('combobox', { name: 'Skip lesion', exact: true });
    await expect.poll(() => skip.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await skip.getAttribute('aria-describedby')) ?? '';
    const description = await page.evaluate((ids) => ids.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' '), describedBy);
    expect(description).toContain(message);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    await page.unroute('**/api/v1/patients/*/tumors');
    // The browser reports the (simulated) 400 response itself; nothing else may be logged.
    expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
  });
});
