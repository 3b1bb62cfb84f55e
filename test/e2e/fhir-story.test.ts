import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { useStory } from './harness.js';
import { BulkExportPage, PatientFhirPage } from './fhir-pages.js';

/**
 * Issue 8, the export as a coordinator uses it: on a patient's page, "Export FHIR" downloads the patient's record
 * as a FHIR R4 Bundle with mCODE profiles, named by the FHIR id (no MRN or name in the file name).
 */
describe('a coordinator exports a patient\'s record as FHIR', () => {
  const story = useStory();

  test('the patient page\'s Export FHIR button downloads the patient\'s Bundle', async () => {
    const { page, problems } = await story.signedIn('coordinator');
    const list = await (await page.request.get(`${story.server.url}/api/v1/patients?limit=1`)).json() as { items: Array<{ id: string }> };
    const id = list.items[0]!.id;
    const patient = new PatientFhirPage(page);
    await patient.open(story.server.url, id);
    const { filename, json } = await patient.exportFhir();
    expect(filename).toBe(`pt-${id}.fhir.json`);
    const bundle = json as Bundle;
    expect(bundle.resourceType).toBe('Bundle');
    const p = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource;
    expect(p?.id).toBe(`pt-${id}`);
    expect(p?.meta?.profile).toEqual(['http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-cancer-patient']);
    expect(bundle.entry?.some((e) => e.resource?.meta?.profile?.[0]?.endsWith('mcode-primary-cancer-condition'))).toBe(true);
    expect(problems).toEqual([]);
  });

  test('a coordinator exports the cohort\'s patients and diagnoses in bulk, downloads the patients, and deletes the files', async () => {
    const { page, problems } = await story.signedIn('coordinator');
    const bulk = new BulkExportPage(page);
    await bulk.openFromMenu(story.server.url);
    await bulk.tick('Patient');
    await bulk.tick('Condition');
    const rows = await bulk.start();
    expect(rows.map(([type]) => type)).toEqual(['Patient', 'Condition']);
    const patients = rows[0]![1];
    expect(patients).toBeGreaterThan(10);
    const { filename, lines } = await bulk.download('Patient');
    expect(filename).toBe('Patient.ndjson');
    expect(lines).toHaveLength(patients);
    expect(JSON.parse(lines[0]!).resourceType).toBe('Patient');
    await bulk.deleteFiles();
    expect(problems).toEqual([]);
  }, 120_000);
});
