import { parseArgs } from 'node:util';
import { AppError } from '../domain/errors.js';
import type { ImportError, ImportedTrial } from '../domain/trials/ctgov.js';
import { migrate } from '../store/db.js';
import type { Services } from '../services/context.js';
import { trials } from '../services/trials.service.js';
import { withStore } from './admin.js';
import { readStudiesFromPath } from './match.js';

/**
 * `tumorboard trials import PATH… [--db FILE]` (DESIGN.md §4): imports ClinicalTrials.gov v2 study JSON (a file with
 * one study, `{studies:[…]}`, an array, or a folder of .json files) into the database. Bad records are reported on
 * stderr one per line and the rest are imported; the summary goes to stdout. Exit 0 when anything could be read,
 * 2 when no record could be imported.
 */
export async function trialsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import') throw new AppError('bad_request', `trials ${sub ?? ''}: unknown subcommand (try: trials import PATH…)`, { field: 'subcommand' });
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { db: { type: 'string' } } });
  if (positionals.length === 0) throw new AppError('validation', 'PATH: give one or more study JSON files or folders', { field: 'PATH' });
  const records: ImportedTrial[] = [];
  const errors: ImportError[] = [];
  for (const p of positionals) {
    const r = await readStudiesFromPath(p);
    records.push(...r.trials);
    errors.push(...r.errors);
  }
  return withStore(values.db, async (store) => {
    await migrate(store);
    const s: Services = { store, now: () => new Date() };
    const report = await trials.importParsed(s, null, records, errors);
    for (const e of report.errors) process.stderr.write(`warning: ${e.source}${e.index !== null ? `[${e.index}]` : ''}${e.nctId ? ` ${e.nctId}` : ''}: ${e.reason}\n`);
    const by = (o: string) => report.imported.filter((i) => i.outcome === o).length;
    process.stdout.write(`imported ${report.imported.length} trial(s): ${by('new')} new, ${by('updated')} updated, ${by('curation_stale')} with curation now stale, ${by('unchanged')} unchanged; ${report.errors.length} record(s) skipped; ${report.rematchedCases} open case(s) re-matched\n`);
    return report.imported.length === 0 && report.errors.length > 0 ? 2 : 0;
  });
}
