import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AppError } from '../domain/errors.js';
import { IMPORT_LIMITS } from '../domain/fhir/import.js';
import { migrate } from '../store/db.js';
import { institutionsRepo } from '../store/users.repo.js';
import type { Services } from '../services/context.js';
import { fhirImport } from '../services/fhir-import.service.js';
import { withStore } from './admin.js';

/**
 * `tumorboard fhir import FILE [--institution CODE] [--db FILE]` (DESIGN.md §4): imports one FHIR R4 Bundle
 * (transaction, batch, collection or a `$everything` searchset) into the institution's registry in one transaction,
 * and prints the report (created and matched patients, unmapped elements, notes) as JSON. `--institution` may be
 * left out when the database has one institution. Exit 0 on success, 2 with a one-line error naming the problem for
 * a bad bundle (nothing is written then), 1 otherwise.
 */
export async function runFhirImport(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true, options: { db: { type: 'string' }, institution: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new AppError('validation', 'FILE: give one FHIR Bundle JSON file', { field: 'FILE' });
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) throw new AppError('validation', `FILE: ${file} is not a readable file`, { field: 'FILE' });
  if (stat.size > IMPORT_LIMITS.maxBytes) {
    throw new AppError('payload_too_large', `FILE: the bundle is ${(stat.size / 1048576).toFixed(1)} MB; the import limit is ${IMPORT_LIMITS.maxBytes / 1048576} MB (split it into smaller bundles)`, { field: 'FILE' });
  }
  let bundle: unknown;
  try {
    bundle = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new AppError('validation', `FILE: not valid JSON (${(err as Error).message.split('\n')[0]})`, { field: 'FILE' });
  }
  return withStore(values.db, async (store) => {
    await migrate(store);
    const all = await institutionsRepo.list(store.db);
    const institution = values.institution !== undefined
      ? all.find((i) => i.code.toLowerCase() === values.institution!.toLowerCase())
      : all.length === 1 ? all[0] : undefined;
    if (!institution) {
      throw new AppError('validation', values.institution !== undefined
        ? `--institution: no institution with code ${values.institution} (known: ${all.map((i) => i.code).join(', ') || 'none'})`
        : all.length === 0 ? '--institution: the database has no institution yet (run tumorboard demo or user add first)'
          : `--institution: the database has several institutions; choose one of ${all.map((i) => i.code).join(', ')}`, { field: '--institution' });
    }
    const s: Services = { store, now: () => new Date() };
    const report = await fhirImport.importBundle(s, null, bundle, { institutionId: institution.id, byteLength: stat.size });
    process.stdout.write(`${JSON.stringify({ institution: institution.code, counts: report.counts, created: report.created, matched: report.matched, unmapped: report.unmapped, notes: report.notes }, null, 2)}\n`);
    return 0;
  });
}
