import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useStory } from './harness.js';
import { FhirImportPage } from './fhir-import-pages.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'fhir', 'outside-ehr-transaction.json');

/** The server refuses the bad bundle on purpose (400); the browser logs that refused request, and nothing else may go wrong. */
const unexpected = (problems: string[]) => problems.filter((p) => !p.includes('the server responded with a status of 400'));

/**
 * Issue 8, the import page as a coordinator uses it: a child arrives with a FHIR bundle from an outside hospital's
 * EHR; the coordinator uploads it, sees the patient created (with a link), what was not imported and why, opens the
 * new patient; uploading it again matches the patient by MRN; a broken bundle is refused with its problems located.
 */
describe('a coordinator imports an outside hospital\'s FHIR bundle', () => {
  const story = useStory();
  let tmp = '';

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-fhir-import-'));
  }, 90_000);
  afterAll(async () => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('uploads the bundle, reads the report, opens the new patient, re-imports it and sees a broken bundle refused', async () => {
    const { page, problems } = await story.signedIn('coordinator');
    const importer = new FhirImportPage(page);
    await importer.openFromMenu();

    await importer.upload(FIXTURE);
    expect(await importer.summary()).toMatch(/1 patient created, 0 matched by MRN; 1 new tumour recorded; \d+ elements not imported/);
    const [patient] = await importer.patients();
    expect(patient).toMatchObject({ name: 'Synthetic Example Testchild', outcome: 'created', href: expect.stringMatching(/^\/patients\//) });
    const unmapped = await importer.unmapped();
    expect(unmapped).toEqual(expect.arrayContaining([
      expect.objectContaining({ where: 'Bundle.entry[7].resource', reason: expect.stringMatching(/Heart rate/) }),
      expect.objectContaining({ where: 'Bundle.entry[9].resource', reason: expect.stringMatching(/medication orders/) }),
    ]));

    await importer.openPatient('Synthetic Example Testchild');
    await page.getByRole('heading', { name: /TESTCHILD, Synthetic Example/ }).first().waitFor();
    expect(await page.getByText('9260/3').count()).toBeGreaterThan(0);

    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Import FHIR bundle' }).waitFor();
    await importer.upload(FIXTURE);
    expect(await importer.summary()).toMatch(/0 patients created, 1 matched by MRN; 0 new tumours recorded/);

    const bad = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { entry: Array<{ resource: { subject?: { reference: string } } }> };
    bad.entry[3]!.resource.subject = { reference: 'urn:uuid:not-in-this-bundle' };
    const badFile = path.join(tmp, 'broken-bundle.json');
    fs.writeFileSync(badFile, JSON.stringify(bad));
    await importer.upload(badFile);
    await page.getByRole('alert').filter({ hasText: 'Bundle not imported' }).waitFor();
    expect(await importer.problems()).toEqual([{ where: 'Bundle.entry[3].resource.subject.reference', reason: expect.stringMatching(/neither in the bundle nor an existing patient/) }]);

    expect(unexpected(problems)).toEqual([]);
  }, 120_000);
});
