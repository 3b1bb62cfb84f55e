import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { assess, validateCaseFacts } from '../domain/assess.js';
import { AppError } from '../domain/errors.js';
import { fail, oneLine } from './assess.js';
import type { CaseFacts } from '../domain/facts/case-facts.js';
import type { TrialDefinition } from '../domain/trials/criteria.js';
import { parseStudies, type ImportError, type ImportedTrial } from '../domain/trials/ctgov.js';
import { draftCriteria } from '../domain/trials/draft.js';
import type { TrialMatch } from '../domain/trials/evaluate.js';
import { compileTrials, matchCase } from '../domain/trials/index.js';

/**
 * `tumorboard match FILE|- --trials PATH` (DESIGN.md §4; trial-eligibility.md E.3–E.5): reads case facts (one JSON
 * object, or an array) and prints, per case, one entry per trial with per-criterion verdicts. With `--trials` it
 * needs no database: the ClinicalTrials.gov v2 study JSON (a file or a folder of .json files) is imported in
 * memory and drafted (uncurated, so at best "possible"). Without `--trials`, `deps.loadTrials` supplies stored
 * definitions (the database wiring: `--db FILE` / DATABASE_URL).
 *
 * Exit 0 on success; 2 on bad input with one line on stderr naming the field (`error: [2].ageMonths: …`); 1 otherwise.
 * Records of the study files that cannot be imported are warnings on stderr and do not fail the command.
 */

const USAGE = 'usage: tumorboard match FILE|- [--trials PATH] [--db FILE]\n\n' +
  'Reads case facts (one JSON object or an array) and prints trial matches: for an object, a JSON array with one\n' +
  'entry per trial; for an array, an array of such arrays in the same order. --trials PATH imports ClinicalTrials.gov\n' +
  'v2 study JSON (a file with one study, {studies:[…]}, an array, or a folder of .json files) without a database.\n';

export interface MatchDeps {
  /** Stored trial definitions, used when `--trials` is not given (the database). */
  readonly loadTrials?: (opts: { db: string | undefined }) => Promise<TrialDefinition[]>;
  /** Reads stdin for `-` (tests pass text). */
  readonly readStdin?: () => Promise<string>;
}

/** Runs `tumorboard match` (see the module comment); returns the exit status and never throws. */
export async function matchCommand(args: string[], deps: MatchDeps = {}): Promise<number> {
  try {
    return await run(args, deps);
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`error: ${err.message}\n`);
      return err.isBadInput ? 2 : 1;
    }
    const e = err as { code?: string; message?: string };
    if (typeof e?.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${oneLine(e.message ?? 'bad arguments')} (${USAGE.split('\n')[0]})\n`);
      return 2;
    }
    process.stderr.write(`error: ${oneLine(e?.message ?? String(err))}\n`);
    return 1;
  }
}

async function run(args: string[], deps: MatchDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: { trials: { type: 'string' }, db: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { process.stdout.write(USAGE); return 0; }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new AppError('validation', 'FILE: give a case-facts JSON file or - for stdin', { field: 'FILE' });
  if (extra.length > 0) throw new AppError('bad_request', `${extra[0]}: unexpected argument (match takes one FILE or -)`, { field: 'FILE' });
  if (values.trials === undefined && deps.loadTrials === undefined) {
    throw new AppError('validation', '--trials: give a study JSON file or folder (or --db FILE / DATABASE_URL)', { field: '--trials' });
  }

  // Case facts first: a bad facts file fails fast, before any trial is imported.
  const name = file === '-' ? 'stdin' : file;
  const text = file === '-' ? await (deps.readStdin ?? readStdin)() : await readText(file, 'FILE');
  let input: unknown;
  try {
    input = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new AppError('validation', `${name}: not valid JSON (${(err as Error).message})`, { field: 'FILE' });
  }
  const many = Array.isArray(input);
  const cases: CaseFacts[] = [];
  for (const [i, item] of (many ? input as unknown[] : [input]).entries()) {
    const v = validateCaseFacts(item);
    if (!v.ok) return fail(v.errors, many ? `[${i}]` : '');
    cases.push(v.facts);
  }

  let defs: TrialDefinition[];
  if (values.trials !== undefined) {
    const { trials, errors } = await readStudiesFromPath(values.trials);
    for (const e of errors) process.stderr.write(`warning: ${formatImportError(e)}\n`);
    if (trials.length === 0) throw new AppError('validation', `--trials: no study could be imported from ${values.trials}`, { field: '--trials' });
    defs = trials.map(draftCriteria);
  } else {
    defs = await deps.loadTrials!({ db: values.db });
  }

  const catalog = compileTrials(defs);
  const results: TrialMatch[][] = cases.map((facts) => {
    const a = assess(facts);
    return matchCase(facts, catalog, { assessment: a.ok ? a.assessment : null });
  });
  process.stdout.write(`${JSON.stringify(many ? results : results[0], null, 2)}\n`);
  return 0;
}

/** One warning line for a record that could not be imported (or imported with a problem). */
export function formatImportError(e: ImportError): string {
  const where = e.index === null ? e.source : `${e.source}[${e.index}]`;
  return `${where}${e.nctId ? ` ${e.nctId}` : ''}: ${oneLine(e.reason)}`;
}

/**
 * Reads ClinicalTrials.gov v2 study JSON from a file or a folder of `.json` files (sorted by name, not recursive):
 * each file may hold one study, `{studies:[…]}` or an array. A file that is not JSON is an import error, not a
 * failure; an NCT id seen in an earlier file is reported as a duplicate. Throws a validation AppError naming
 * `--trials` when the path cannot be read.
 */
export async function readStudiesFromPath(p: string): Promise<{ trials: ImportedTrial[]; errors: ImportError[] }> {
  let stat;
  try {
    stat = await fs.stat(p);
  } catch (err) {
    throw new AppError('validation', `--trials: cannot read ${p} (${why(err)})`, { field: '--trials' });
  }
  const files = stat.isDirectory()
    ? (await fs.readdir(p)).filter((f) => f.toLowerCase().endsWith('.json')).sort().map((f) => path.join(p, f))
    : [p];
  const trials: ImportedTrial[] = [];
  const errors: ImportError[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const text = await readText(f, '--trials');
    let json: unknown;
    try {
      json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      errors.push({ source: f, index: null, nctId: null, reason: `not valid JSON (${(err as Error).message})` });
      continue;
    }
    const r = parseStudies(json, f);
    errors.push(...r.errors);
    for (const t of r.trials) {
      if (seen.has(t.nctId)) { errors.push({ source: f, index: null, nctId: t.nctId, reason: `duplicate ${t.nctId} (already imported from an earlier file)` }); continue; }
      seen.add(t.nctId);
      trials.push(t);
    }
  }
  return { trials, errors };
}

function why(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
}

async function readText(file: string, field: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new AppError('validation', `${file}: cannot read (${why(err)})`, { field });
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
