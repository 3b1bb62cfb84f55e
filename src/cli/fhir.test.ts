import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errorsOf, validateBundle, warmUpValidators } from '../domain/fhir/validate.js';
import { runCli } from '../../test/support/cli.js';

/**
 * `tumorboard fhir export --patient ID` end to end: the real entry point in a child process on a fresh SQLite demo
 * database; exit codes 0 / 2 (bad input, naming the field) / 1 (not found).
 */

interface Run { code: number | null; stdout: string; stderr: string }

const run = (args: string[]): Promise<Run> => runCli(args);

describe('tumorboard fhir export', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-cli-fhir-'));
  const db = path.join(dir, 'demo.db');
  const out = path.join(dir, 'bundle.json');
  let byMrn: Run;
  let toFile: Run;
  let noPatient: Run;
  let unknown: Run;
  let badSub: Run;
  let noDb: Run;
  let all: Run;
  let allNoInstitution: Run;
  const ndjson = path.join(dir, 'cohort.ndjson');

  beforeAll(async () => {
    const demo = await run(['demo', '--db', db, '--patients', '4']);
    if (demo.code !== 0) throw new Error(`demo failed: ${demo.stderr}`);
    [all, allNoInstitution] = [await run(['fhir', 'export', '--all', '--institution', 'LCH', '--db', db, '--out', ndjson]), await run(['fhir', 'export', '--all', '--db', db])];
    [byMrn, toFile, noPatient, unknown, badSub, noDb] = await Promise.all([
      run(['fhir', 'export', '--patient', 'LCH-000001', '--db', db]),
      run(['fhir', 'export', '--patient', 'LCH-000002', '--db', db, '--out', out, '--base-url', 'http://tb.example/fhir/R4']),
      run(['fhir', 'export', '--db', db]),
      run(['fhir', 'export', '--patient', 'LCH-999999', '--db', db]),
      run(['fhir', 'frobnicate']),
      run(['fhir', 'export', '--patient', 'LCH-000001', '--db', path.join(dir, 'missing.db')]),
    ]);
    warmUpValidators();
  }, 240_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('prints the patient\'s Bundle (collection) that validates in every layer', () => {
    expect(byMrn.code).toBe(0);
    const bundle = JSON.parse(byMrn.stdout) as Bundle;
    expect(bundle.type).toBe('collection');
    const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource;
    expect(patient && patient.resourceType === 'Patient' ? patient.identifier?.[0]?.value : '').toBe('LCH-000001');
    expect(errorsOf(validateBundle(bundle))).toEqual([]);
  });

  test('--out writes the file and fullUrls use --base-url', () => {
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toBe('');
    const bundle = JSON.parse(fs.readFileSync(out, 'utf8')) as Bundle;
    expect(bundle.entry?.[0]?.fullUrl).toMatch(/^http:\/\/tb\.example\/fhir\/R4\/Organization\//);
  });

  test('--all writes every patient of the institution as NDJSON, one validated Bundle per line (validated by worker threads)', () => {
    expect(all.code, all.stderr).toBe(0);
    const lines = fs.readFileSync(ndjson, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    const mrns = lines.map((l) => {
      const b = JSON.parse(l) as Bundle;
      expect(b.type).toBe('collection');
      expect(errorsOf(validateBundle(b))).toEqual([]);
      const p = b.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource;
      return p && p.resourceType === 'Patient' ? p.identifier?.[0]?.value : '';
    });
    expect(mrns.every((m) => m?.startsWith('LCH-'))).toBe(true);
    expect(all.stderr).toMatch(/^exported \d+ patients, every bundle valid$/m);
    // Two institutions in the database: which one must be said.
    expect(allNoInstitution.code).toBe(2);
    expect(allNoInstitution.stderr).toMatch(/^error: --institution: /);
  });

  test('bad input exits 2 with one line naming the field; an unknown patient exits 1', () => {
    expect(noPatient.code).toBe(2);
    expect(noPatient.stderr).toMatch(/^error: --patient: /);
    expect(noPatient.stderr.trim().split('\n')).toHaveLength(1);
    expect(badSub.code).toBe(2);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toContain('--db');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error: --patient: no such patient\n');
  });
});
