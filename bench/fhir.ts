import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorsOf, validateBundle, warmUpValidators } from '../src/domain/fhir/validate.js';
import type { Actor } from '../src/services/context.js';
import { fhirService } from '../src/services/fhir.service.js';
import { startValidationPool } from '../src/services/fhir-validation-pool.js';
import { migrate, openStore } from '../src/store/db.js';
import { loadDemo } from '../src/services/demo.service.js';

/**
 * Issue #8 figure: export every patient of a generated cohort to FHIR (the audited cohort export: bulk reads, mapping,
 * one audit entry per patient in one transaction) and fully validate each Bundle (Medplum R4, R4 JSON schema, mCODE
 * rules, references), on SQLite. Reports patients per second (target ≥ 200/s), by wall clock and by this process's
 * CPU time (the machine may be shared). The one-time indexing of the R4 definitions and compiling of the schema
 * validators is reported apart (once per process, not per patient).
 */
export async function benchFhirExport(patients = 300): Promise<Record<string, unknown>> {
  // A fresh cohort each run (not the shared cached file, which may predate a migration).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-bench-fhir-'));
  const store = openStore({ file: path.join(dir, 'cohort.db') });
  try {
    await migrate(store);
    await loadDemo({ store, now: () => new Date() }, { patients });
    const w0 = performance.now();
    warmUpValidators();
    const warmUpMs = performance.now() - w0;
    const inst = await store.db.selectFrom('institutions').select(['id', 'name']).where('code', '=', 'LCH').executeTakeFirstOrThrow();
    const user = await store.db.selectFrom('users').selectAll().where('username', '=', 'coordinator').executeTakeFirstOrThrow();
    const actor: Actor = {
      userId: user.id, username: user.username, displayName: user.display_name, role: user.role, discipline: user.discipline,
      institutionId: inst.id, institutionName: inst.name, clientIp: '127.0.0.1', requestId: null,
    };
    const s = { store, now: () => new Date() };
    const ids = (await store.db.selectFrom('patients').select('id').where('institution_id', '=', inst.id).orderBy('mrn').execute()).map((p) => p.id);
    const baseUrl = 'http://127.0.0.1:3000/fhir/R4';

    // The figure: the whole cohort exported (one audited transaction, one audit entry per patient) and every bundle
    // fully validated. Wall time and this process's CPU time (the machine is shared: wall time includes waiting).
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const bundles = await fhirService.exportCohort(s, actor, { baseUrl });
    const exportedMs = performance.now() - t0;
    let resources = 0;
    let errors = 0;
    for (const b of bundles) {
      resources += b.entry?.length ?? 0;
      errors += errorsOf(validateBundle(b)).length;
    }
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const cpuS = (cpu.user + cpu.system) / 1e6;

    // The same export validated by the worker pool (one thread per core), as `tumorboard fhir export --all` does.
    const pw0 = performance.now();
    const pool = await startValidationPool();
    const poolStartMs = performance.now() - pw0;
    let pooledWallS = 0;
    let pooledWarmWallS = 0;
    let pooledErrors = 0;
    const pooledRun = async () => {
      const q0 = performance.now();
      const again = await fhirService.exportCohort(s, actor, { baseUrl });
      for (const issues of await pool.validate(again)) pooledErrors += errorsOf(issues).length;
      return (performance.now() - q0) / 1000;
    };
    try {
      // First run with the workers' code still cold (what a one-off `fhir export --all` sees) ...
      pooledWallS = await pooledRun();
      // ... and the steady state of a warm process (a server exporting again): the same run once more.
      pooledWarmWallS = await pooledRun();
    } finally {
      await pool.close();
    }

    // For comparison: the same patients one `$everything` request's use case at a time (a transaction and fsync each).
    const p0 = performance.now();
    for (const id of ids.slice(0, 50)) await fhirService.exportPatient(s, actor, `pt-${id}`, { baseUrl });
    const perPatientS = (performance.now() - p0) / 1000;
    return {
      patients: bundles.length, resources, validationErrors: errors,
      wallSeconds: +wallS.toFixed(2), cpuSeconds: +cpuS.toFixed(2),
      pooledPatientsPerSecond: Math.round(bundles.length / pooledWallS), pooledWarmPatientsPerSecond: Math.round(bundles.length / pooledWarmWallS), pooledValidationErrors: pooledErrors,
      poolThreads: os.availableParallelism(), poolStartMs: Math.round(poolStartMs),
      singleThreadPatientsPerSecond: Math.round(bundles.length / wallS),
      patientsPerCpuSecond: Math.round(bundles.length / cpuS),
      cohortExportOnlyPatientsPerSecond: Math.round(bundles.length / (exportedMs / 1000)),
      everythingOneByOnePatientsPerSecond: Math.round(Math.min(50, ids.length) / perPatientS),
      oneTimeValidatorWarmUpMs: Math.round(warmUpMs),
      loadAverage1m: +(os.loadavg()[0] ?? 0).toFixed(1), cpus: os.cpus().length,
      targetPatientsPerSecond: 200,
    };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

