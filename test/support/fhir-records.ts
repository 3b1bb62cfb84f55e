import type { Bundle } from '@medplum/fhirtypes';
import { generateDemoPatients } from '../../src/domain/demo/generate.js';
import { exportPatientBundle, type PatientRecord } from '../../src/domain/fhir/export.js';
import type { Patient, Tumor } from '../../src/domain/registry/types.js';

/**
 * Synthetic FHIR bundles for import tests and the import bench: demo patients (src/domain/demo, seeded) turned into
 * registry-shaped records with made-up ids, then exported by TumorBoard's own FHIR export. Deterministic per seed.
 */

const uuid = (n: number, kind: number) => `00000000-0000-4000-8${kind.toString(16).padStart(3, '0')}-${n.toString(16).padStart(12, '0')}`;

export function demoRecords(count: number, opts: { seed?: number; today?: string; mrnPrefix?: string; institutionCode?: string } = {}): PatientRecord[] {
  const today = opts.today ?? '2026-11-27';
  const at = `${today}T08:00:00.000Z`;
  const demo = generateDemoPatients({ seed: opts.seed ?? 20261127, count, today, mrnPrefix: opts.mrnPrefix ?? 'EXT' });
  return demo.map((d, i) => {
    const patient: Patient = { ...d.patient, id: uuid(i, 1), institutionId: uuid(0, 9), version: 1, createdAt: at, updatedAt: at };
    const tumors: Tumor[] = d.tumors.map((t, j) => ({
      ...t, id: uuid(i * 10 + j, 2), patientId: patient.id, institutionId: patient.institutionId, version: 1, createdAt: at, updatedAt: at,
    }) as Tumor);
    return {
      institution: { id: uuid(0, 9), code: opts.institutionCode ?? 'EXT', name: 'Outside Children\'s Hospital' },
      patient, tumors, cases: [], plans: [], recommendations: [],
    };
  });
}

/** One export bundle per record (type collection), as another TumorBoard instance would send them. */
export function demoBundles(count: number, opts: Parameters<typeof demoRecords>[1] = {}): Bundle[] {
  return demoRecords(count, opts).map((rec) => exportPatientBundle(rec, { type: 'collection', timestamp: '2026-11-27T08:00:00.000Z', baseUrl: 'https://outside.example.org/fhir/R4' }));
}

/** Many patients in one transaction Bundle (entries of several exports, each made a POST). */
export function transactionOf(bundles: readonly Bundle[]): Bundle {
  const seen = new Set<string>();
  const entry = bundles.flatMap((b) => b.entry ?? []).filter((e) => {
    // The managing Organization repeats in every export: keep it once.
    if (seen.has(e.fullUrl!)) return false;
    seen.add(e.fullUrl!);
    return true;
  }).map((e) => ({ fullUrl: e.fullUrl, resource: e.resource, request: { method: 'POST' as const, url: e.resource!.resourceType } }));
  return { resourceType: 'Bundle', type: 'transaction', entry };
}
