import { generateDemoPatients } from '../demo/generate.js';
import type { ExportInstitution, PatientRecord } from './export-common.js';

/** A made-up UUID from a number (synthetic records only). */
const syntheticUuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * Synthetic patient records from the demo generator, with made-up ids and no plans: what the FHIR mapping needs,
 * without a database. For tests of the whole generated cohort and for warming up the validation workers.
 */
export function demoPatientRecords(opts: { seed: number; count: number; today: string; mrnPrefix: string; institution: ExportInstitution; timestamp: string; firstId?: number }): PatientRecord[] {
  const { institution, timestamp: at } = opts;
  return generateDemoPatients({ seed: opts.seed, count: opts.count, today: opts.today, mrnPrefix: opts.mrnPrefix }).map((g, i) => {
    const n = (opts.firstId ?? 100_000) + i;
    const pid = syntheticUuid(n);
    const tumorId = (k: number) => syntheticUuid(200_000 + n * 10 + k);
    return {
      institution,
      patient: { ...g.patient, id: pid, institutionId: institution.id, version: 1, createdAt: at, updatedAt: at },
      tumors: g.tumors.map((t, k) => ({ ...t, details: t.details ?? {}, id: tumorId(k), patientId: pid, institutionId: institution.id, version: 1, createdAt: at, updatedAt: at })),
      cases: g.cases.map((c, k) => ({ id: syntheticUuid(300_000 + n * 10 + k), tumorId: tumorId(c.tumorIndex) })),
      plans: [], recommendations: [],
    };
  });
}
