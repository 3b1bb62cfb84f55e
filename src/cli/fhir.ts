import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../domain/errors.js';
import { storeOptions } from '../config.js';
import { migrate } from '../store/db.js';
import type { Services } from '../services/context.js';
import { fhirService } from '../services/fhir.service.js';
import { withStore } from './admin.js';

/**
 * `tumorboard fhir <export|import> …` (DESIGN.md §4). `export` is here; `import` lives in fhir-import.ts. Keep this
 * switch small: each subcommand is one function taking the arguments after its name.
 */
export async function fhirCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'export':
      return runFhirExport(rest);
    case 'import': {
      const { runFhirImport } = await import('./fhir-import.js');
      return runFhirImport(rest);
    }
    default:
      throw new AppError('bad_request', `fhir ${sub ?? ''}: unknown subcommand (try: fhir export --patient ID, fhir import FILE)`, { field: 'subcommand' });
  }
}

/**
 * `tumorboard fhir export --patient ID [--db FILE] [--out FILE] [--institution CODE] [--base-url URL]`: the
 * patient's record as a FHIR R4 Bundle (type collection, mCODE profiles) on stdout or in FILE. ID is the TumorBoard
 * patient id, its FHIR id (`pt-…`) or an MRN (with `--institution` when several institutions share the MRN). The
 * export is audited (no user: the operator's command). Exit 0, 2 for bad input naming the field, 1 when not found.
 */
export async function runFhirExport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { patient: { type: 'string' }, all: { type: 'boolean' }, db: { type: 'string' }, out: { type: 'string' }, institution: { type: 'string' }, 'base-url': { type: 'string' } },
  });
  if (positionals.length > 0) throw new AppError('validation', `${positionals[0]}: unexpected argument (give --patient ID)`, { field: positionals[0]! });
  if (values.all) {
    if (values.patient) throw new AppError('validation', '--all: give either --patient or --all, not both', { field: '--all' });
    return runCohortExport(values);
  }
  const patient = values.patient?.trim();
  if (!patient) throw new AppError('validation', '--patient: give the patient id, FHIR id (pt-…) or MRN (or --all)', { field: '--patient' });
  if (patient.length > 100) throw new AppError('validation', '--patient: too long', { field: '--patient' });
  const baseUrl = values['base-url'] ?? 'http://localhost:3000/fhir/R4';
  if (!/^https?:\/\/[^\s]+$/.test(baseUrl)) throw new AppError('validation', '--base-url: must be an http(s) URL like http://localhost:3000/fhir/R4', { field: '--base-url' });
  const opts = storeOptions(values.db);
  if ('file' in opts && opts.file && !fs.existsSync(opts.file)) {
    throw new AppError('validation', `--db: no database at ${opts.file}`, { field: '--db' });
  }
  return withStore(values.db, async (store) => {
    await migrate(store);
    const s: Services = { store, now: () => new Date() };
    let bundle;
    try {
      bundle = await fhirService.exportForCli(s, patient, { baseUrl, type: 'collection', institutionCode: values.institution });
    } catch (err) {
      // A well-formed id that names no patient is "not found" (exit 1), not bad input (exit 2).
      if (err instanceof AppError && err.code === 'not_found') {
        process.stderr.write(`error: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
    const text = `${JSON.stringify(bundle, null, 2)}\n`;
    if (values.out) fs.writeFileSync(values.out, text);
    else process.stdout.write(text);
    return 0;
  });
}

/**
 * `tumorboard fhir export --all [--institution CODE] [--out FILE] [--db FILE]`: every patient of the institution as
 * NDJSON (one Bundle per line, FHIR bulk-data style), each Bundle validated (Medplum R4, R4 JSON schema, mCODE rules)
 * by a pool of worker threads. Nothing is written when any bundle fails validation: the first problems are listed on
 * stderr and the exit status is 1.
 */
async function runCohortExport(values: { db?: string | undefined; out?: string | undefined; institution?: string | undefined; 'base-url'?: string | undefined }): Promise<number> {
  const baseUrl = values['base-url'] ?? 'http://localhost:3000/fhir/R4';
  if (!/^https?:\/\/[^\s]+$/.test(baseUrl)) throw new AppError('validation', '--base-url: must be an http(s) URL like http://localhost:3000/fhir/R4', { field: '--base-url' });
  const opts = storeOptions(values.db);
  if ('file' in opts && opts.file && !fs.existsSync(opts.file)) throw new AppError('validation', `--db: no database at ${opts.file}`, { field: '--db' });
  const { startValidationPool } = await import('../services/fhir-validation-pool.js');
  const { errorsOf } = await import('../domain/fhir/validate.js');
  return withStore(values.db, async (store) => {
    await migrate(store);
    // The workers index the definitions while the main thread reads and maps the cohort.
    const starting = startValidationPool();
    let pool: Awaited<typeof starting> | undefined;
    try {
      const bundles = await fhirService.exportInstitution({ store, now: () => new Date() }, values.institution, { baseUrl, type: 'collection' });
      pool = await starting;
      const problems = (await pool.validate(bundles)).flatMap((issues) => errorsOf(issues));
      if (problems.length > 0) {
        for (const p of problems.slice(0, 20)) process.stderr.write(`invalid: ${p.resource} ${p.path}: ${p.message}\n`);
        process.stderr.write(`error: ${problems.length} validation problem(s); nothing written\n`);
        return 1;
      }
      const text = bundles.map((b) => JSON.stringify(b)).join('\n') + (bundles.length ? '\n' : '');
      if (values.out) fs.writeFileSync(values.out, text);
      else process.stdout.write(text);
      process.stderr.write(`exported ${bundles.length} patients, every bundle valid\n`);
      return 0;
    } finally {
      await (pool ?? await starting.catch(() => undefined))?.close();
    }
  });
}
