import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../test/support/cli.js';

/**
 * `tumorboard fhir import FILE` end to end: the real entry point in a child process on a fresh SQLite demo database
 * (two institutions), the outside-EHR transaction fixture and a bad bundle.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/fhir/outside-ehr-transaction.json');
interface Run { code: number | null; stdout: string; stderr: string }

const run = (args: string[]): Promise<Run> => runCli(args);

describe('tumorboard fhir import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-cli-fhir-import-'));
  const db = path.join(dir, 't.db');
  const bad = path.join(dir, 'bad.json');
  let first: Run;
  let second: Run;
  let refused: Run;
  let ambiguous: Run;

  beforeAll(async () => {
    fs.writeFileSync(bad, JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:1', resource: { resourceType: 'Condition', subject: { reference: 'urn:uuid:nobody' } }, request: { method: 'POST', url: 'Condition' } }] }));
    const demo = await run(['demo', '--db', db, '--patients', '2']);
    expect(demo.code).toBe(0);
    first = await run(['fhir', 'import', FIXTURE, '--institution', 'LCH', '--db', db]);
    [second, refused, ambiguous] = await Promise.all([
      run(['fhir', 'import', FIXTURE, '--institution', 'lch', '--db', db]).then(async (r) => r),
      run(['fhir', 'import', bad, '--institution', 'LCH', '--db', db]),
      run(['fhir', 'import', FIXTURE, '--db', db]),
    ]);
  }, 180_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('imports the bundle and prints the report as JSON', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as { institution: string; counts: Record<string, number>; unmapped: Array<{ path: string; reason: string }> };
    expect(report.institution).toBe('LCH');
    expect(report.counts).toMatchObject({ patientsCreated: 1, tumorsCreated: 1, casesCreated: 1 });
    expect(report.unmapped.map((u) => u.path)).toContain('Bundle.entry[9].resource');
  });

  test('importing it again matches the patient by MRN', () => {
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).counts).toMatchObject({ patientsCreated: 0, patientsMatched: 1, tumorsCreated: 0, tumorsMatched: 1 });
  });

  test('a bad bundle exits 2 with one line naming the location, and writes nothing', () => {
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: Bundle\.entry\[0\]\.resource\.subject\.reference: urn:uuid:nobody is neither in the bundle nor an existing patient/)]);
  });

  test('with several institutions and no --institution it says which to choose', () => {
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/^error: --institution: .*LCH/);
  });
});
