import fs from 'node:fs/promises';
import { AppError } from '../domain/errors.js';
import { assess, isInternalError, ROOT_FIELD } from '../domain/assess.js';
import type { Assessment, FactError } from '../domain/facts/assessment.js';

/**
 * `tumorboard assess FILE|-` (DESIGN.md §4): reads one case-facts JSON object, or an array of them, from a file or
 * stdin and prints the assessment JSON (an array for an array). Exit 0 on success; 2 on bad input with one line on
 * stderr naming the field (`error: ageMonths: …`, `error: [3].morphology: …` for the fourth item of an array);
 * 1 otherwise.
 */
export async function assessCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: tumorboard assess FILE|-\n\nReads case facts (one JSON object or an array) and prints the assessment JSON.\n');
    return 0;
  }
  const unknownOption = args.find((a) => a.startsWith('-') && a !== '-');
  if (unknownOption !== undefined) throw new AppError('bad_request', `${unknownOption}: unknown option (usage: tumorboard assess FILE|-)`, { field: unknownOption });
  const [file, ...extra] = args;
  if (file === undefined) throw new AppError('validation', 'FILE: give a case-facts JSON file or - for stdin', { field: 'FILE' });
  if (extra.length > 0) throw new AppError('bad_request', `${extra[0]}: unexpected argument (assess takes one FILE or -)`, { field: 'FILE' });

  const name = file === '-' ? 'stdin' : file;
  const text = file === '-' ? await readStdin() : await readFile(file);
  let input: unknown;
  try {
    input = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new AppError('validation', `${name}: not valid JSON (${(err as Error).message})`, { field: 'FILE' });
  }

  if (Array.isArray(input)) {
    const out: Assessment[] = [];
    for (const [i, item] of input.entries()) {
      const r = assess(item);
      if (!r.ok) return fail(r.errors, `[${i}]`);
      out.push(r.assessment);
    }
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const r = assess(input);
  if (!r.ok) return fail(r.errors, '');
  process.stdout.write(`${JSON.stringify(r.assessment, null, 2)}\n`);
  return 0;
}

/** One line on stderr for the first error; exit 2 for invalid facts, 1 for a failure inside the engine (also `match`). */
export function fail(errors: readonly FactError[], prefix: string): number {
  const first = errors[0] ?? { field: ROOT_FIELD, message: 'invalid' };
  const field = prefix === '' ? first.field : first.field === ROOT_FIELD ? prefix : `${prefix}${first.field.startsWith('[') ? '' : '.'}${first.field}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  process.stderr.write(`error: ${field}: ${oneLine(first.message)}${more}\n`);
  return isInternalError(first) ? 1 : 2;
}

export function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

async function readFile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new AppError('validation', `${file}: cannot read (${why})`, { field: 'FILE' });
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
