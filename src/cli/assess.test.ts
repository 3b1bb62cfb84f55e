import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { assess } from '../domain/assess.js';
import type { Assessment } from '../domain/facts/assessment.js';
import { runCli } from '../../test/support/cli.js';

/**
 * `tumorboard assess FILE|-` end to end: the real entry point in a child process (`npx tsx src/cli/main.ts`), with the
 * synthetic case-facts files under test/fixtures/case-facts. The runs start together in beforeAll (each takes about
 * two seconds to start tsx) and the tests read their results.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join('test', 'fixtures', 'case-facts');
const fixture = (name: string) => path.join(FIXTURES, name);

interface Run { code: number | null; stdout: string; stderr: string }

const run = (args: string[], stdin?: string): Promise<Run> => runCli(['assess', ...args], { stdin: stdin ?? '' });

const CASES = {
  osteosarcoma: [fixture('osteosarcoma.json')],
  stdin: ['-'],
  batch: [fixture('batch.json')],
  invalid: [fixture('invalid-morphology.json')],
  invalidBatch: [fixture('invalid-batch.json')],
  notJson: [fixture('not-json.json')],
  noFile: [],
  missingFile: [fixture('does-not-exist.json')],
} as const;

const results: Partial<Record<keyof typeof CASES, Run>> = {};
const readFixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(ROOT, fixture(name)), 'utf8'));

beforeAll(async () => {
  const stdin = fs.readFileSync(path.join(ROOT, fixture('ewing-pelvis.json')), 'utf8');
  await Promise.all((Object.keys(CASES) as Array<keyof typeof CASES>).map(async (k) => {
    results[k] = await run([...CASES[k]], k === 'stdin' ? stdin : undefined);
  }));
}, 120_000);

function expected(name: string): Assessment {
  const r = assess(readFixture(name));
  if (!r.ok) throw new Error(`fixture ${name} is invalid`);
  return r.assessment;
}

describe('tumorboard assess', () => {
  test('prints the assessment of a case-facts file as 2-space JSON and exits 0', () => {
    const r = results.osteosarcoma!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${JSON.stringify(expected('osteosarcoma.json'), null, 2)}\n`);
    const a = JSON.parse(r.stdout) as Assessment;
    expect(a.treatmentTemplate).toBe('T-OS-MAP');
    expect(a.icd10cm).toBe('C40.21');
  });

  test('reads stdin for -', () => {
    const r = results.stdin!;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected('ewing-pelvis.json'));
  });

  test('prints an array of assessments for an array of case facts', () => {
    const r = results.batch!;
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Assessment[];
    expect(out.map((a) => a.treatmentTemplate)).toEqual(['T-RMS-LR-VAC4-VA', 'T-BN-CURETTAGE']);
  });

  test('exits 2 with one line naming the field for invalid facts', () => {
    const r = results.invalid!;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: morphology: unknown ICD-O-3 morphology code 1234/3\n');
  });

  test('exits 2 naming the item and field of the first invalid case in an array, printing nothing', () => {
    const r = results.invalidBatch!;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('error: [1].sizeCm: must be > 0, got -2\n');
  });

  test('exits 2 for a file that is not JSON', () => {
    const r = results.notJson!;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: test\/fixtures\/case-facts\/not-json\.json: not valid JSON \(.+\)\n$/);
  });

  test('exits 2 asking for FILE when none is given', () => {
    const r = results.noFile!;
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: FILE: give a case-facts JSON file or - for stdin\n');
  });

  test('exits 2 for a file that does not exist', () => {
    const r = results.missingFile!;
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: test/fixtures/case-facts/does-not-exist.json: cannot read (no such file)\n');
  });

  test.each(['osteosarcoma.json', 'ewing-pelvis.json', 'rms-orbit.json', 'rms-alveolar-metastatic.json', 'nrsts-synovial.json', 'benign-abc.json'])(
    'the fixture %s is valid case facts',
    (name) => {
      expect(assess(readFixture(name)).ok).toBe(true);
    },
  );
});
