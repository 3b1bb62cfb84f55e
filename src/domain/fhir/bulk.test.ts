import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { AppError } from '../errors.js';
import { bulkFiles, bulkManifest, parseKickoff } from './bulk.js';

const fieldOf = (fn: () => unknown): string | undefined => {
  try { fn(); } catch (err) { return err instanceof AppError ? err.field : 'not an AppError'; }
  return undefined;
};

describe('bulk export kick-off', () => {
  test('needs Prefer: respond-async, alone or among other preferences', () => {
    expect(fieldOf(() => parseKickoff({}, undefined))).toBe('Prefer');
    expect(fieldOf(() => parseKickoff({}, 'return=minimal'))).toBe('Prefer');
    expect(parseKickoff({}, 'respond-async')).toEqual({ types: undefined });
    expect(parseKickoff({}, 'handling=strict, respond-async')).toEqual({ types: undefined });
  });

  test('accepts the NDJSON output formats and refuses others by name', () => {
    for (const f of ['application/fhir+ndjson', 'application/ndjson', 'ndjson']) expect(parseKickoff({ _outputFormat: f }, 'respond-async').types).toBeUndefined();
    expect(fieldOf(() => parseKickoff({ _outputFormat: 'text/csv' }, 'respond-async'))).toBe('_outputFormat');
  });

  test('_type is a comma list of exportable types, deduplicated, in the order given', () => {
    expect(parseKickoff({ _type: 'Condition,Patient,Condition' }, 'respond-async').types).toEqual(['Condition', 'Patient']);
    expect(fieldOf(() => parseKickoff({ _type: 'Patient,Encounter' }, 'respond-async'))).toBe('_type');
    expect(fieldOf(() => parseKickoff({ _type: ['Patient', 'Condition'] }, 'respond-async'))).toBe('_type');
  });

  test('_since and _typeFilter are refused rather than ignored, and unknown parameters are named', () => {
    expect(fieldOf(() => parseKickoff({ _since: '2026-01-01' }, 'respond-async'))).toBe('_since');
    expect(fieldOf(() => parseKickoff({ _typeFilter: 'Condition?code=x' }, 'respond-async'))).toBe('_typeFilter');
    expect(fieldOf(() => parseKickoff({ patient: 'x' }, 'respond-async'))).toBe('patient');
  });
});

describe('bulk export files', () => {
  const org = { resourceType: 'Organization', id: 'org-1', name: 'X' } as const;
  const bundle = (n: number): Bundle => ({
    resourceType: 'Bundle', type: 'collection',
    entry: [
      { resource: { resourceType: 'Patient', id: `pt-${n}` } },
      { resource: org },
      { resource: { resourceType: 'Condition', id: `cond-${n}`, subject: { reference: `Patient/pt-${n}` } } },
    ],
  });

  test('one file per type in export order, each resource once, one JSON object per line', () => {
    const files = bulkFiles([bundle(1), bundle(2)]);
    expect(files.map((f) => [f.type, f.count])).toEqual([['Patient', 2], ['Organization', 1], ['Condition', 2]]);
    const lines = files[0]!.ndjson.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[1]!)).toEqual({ resourceType: 'Patient', id: 'pt-2' });
  });

  test('only the requested types are written; types with no resource give no file', () => {
    expect(bulkFiles([bundle(1)], ['Condition', 'CarePlan']).map((f) => f.type)).toEqual(['Condition']);
    expect(bulkFiles([])).toEqual([]);
  });

  test('the manifest points each file at the export-file URL and says a token is required', () => {
    const m = bulkManifest({ id: 'j1', requestUrl: 'http://h/fhir/R4/Patient/$export', completedAt: '2026-11-27T10:00:00.000Z' }, [{ type: 'Patient', count: 2 }], 'http://h/fhir/R4');
    expect(m).toEqual({
      transactionTime: '2026-11-27T10:00:00.000Z', request: 'http://h/fhir/R4/Patient/$export', requiresAccessToken: true,
      output: [{ type: 'Patient', url: 'http://h/fhir/R4/$export-file/j1/Patient.ndjson', count: 2 }], error: [],
    });
  });
});
