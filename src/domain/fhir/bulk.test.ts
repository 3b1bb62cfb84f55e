import type { Bundle } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../errors.js';
import { bulkBatch, bulkManifest, bulkParts, parseKickoff } from './bulk.js';
import { PROFILES } from './profiles.js';
import { warmUpValidators } from './validate.js';

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

beforeAll(() => warmUpValidators(), 120_000);

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

  test('one part per type in export order, each resource once across batches, one JSON object per line', () => {
    const written = new Set<string>();
    const first = bulkParts(bulkBatch([bundle(1)]).lines, written);
    const second = bulkParts(bulkBatch([bundle(2)]).lines, written);
    expect(first.map((f) => [f.type, f.count])).toEqual([['Patient', 1], ['Organization', 1], ['Condition', 1]]);
    expect(second.map((f) => [f.type, f.count])).toEqual([['Patient', 1], ['Condition', 1]]);
    const patientFile = first[0]!.ndjson + second[0]!.ndjson;
    const lines = patientFile.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[1]!)).toEqual({ resourceType: 'Patient', id: 'pt-2' });
  });

  test('only the requested types are written; types with no resource give no part', () => {
    expect(bulkParts(bulkBatch([bundle(1)], ['Condition', 'CarePlan']).lines, new Set()).map((f) => f.type)).toEqual(['Condition']);
    expect(bulkParts([], new Set())).toEqual([]);
  });

  test('the manifest points each file at the export-file URL and says a token is required', () => {
    const m = bulkManifest({ id: 'j1', requestUrl: 'http://h/fhir/R4/Patient/$export', completedAt: '2026-11-27T10:00:00.000Z' }, [{ type: 'Patient', count: 2 }], 'http://h/fhir/R4');
    expect(m).toEqual({
      transactionTime: '2026-11-27T10:00:00.000Z', request: 'http://h/fhir/R4/Patient/$export', requiresAccessToken: true,
      output: [{ type: 'Patient', url: 'http://h/fhir/R4/$export-file/j1/Patient.ndjson', count: 2 }], error: [],
    });
  });
});

describe('a bulk export batch', () => {
  const org = { resourceType: 'Organization', id: 'org-1', name: 'Lakeshore', meta: { profile: [PROFILES.organization] } } as const;
  const patient = (n: number) => ({
    resourceType: 'Patient', id: `pt-${n}`, meta: { profile: [PROFILES.cancerPatient] }, gender: 'female',
    identifier: [{ system: 'urn:tb:mrn', value: `MRN-${n}` }], name: [{ family: 'Synthetic', given: [`P${n}`] }],
    managingOrganization: { reference: 'Organization/org-1' },
  }) as const;
  const bundleOf = (...resources: object[]): Bundle => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((r) => ({ resource: r as never })) });

  test('valid bundles give no errors and one line per resource, the shared Organization once', () => {
    const batch = bulkBatch([bundleOf(patient(1), org), bundleOf(patient(2), org)]);
    expect(batch.errors).toEqual([]);
    expect(batch.lines.map((l) => l.key)).toEqual(['Patient/pt-1', 'Organization/org-1', 'Patient/pt-2']);
    expect(JSON.parse(batch.lines[1]!.json)).toEqual(org);
  });

  test('an invalid resource repeated identically is reported once; a different copy under the same id is validated again', () => {
    const bad = { resourceType: 'Organization', id: 'org-1', meta: { profile: [PROFILES.organization] } };
    const twice = bulkBatch([bundleOf(patient(1), bad), bundleOf(patient(2), bad)]);
    expect(twice.errors.filter((e) => e.resource === 'Organization/org-1' && e.layer === 'mcode')).toHaveLength(1);
    const changed = bulkBatch([bundleOf(patient(1), org), bundleOf(patient(2), bad)]);
    expect(changed.errors.filter((e) => e.resource === 'Organization/org-1' && e.layer === 'mcode')).toHaveLength(1);
  });

  test('references are resolved in every bundle, even for a resource validated before', () => {
    const batch = bulkBatch([bundleOf(patient(1), org), bundleOf(patient(1))]);
    expect(batch.errors.map((e) => [e.layer, e.message])).toEqual([['bundle', 'reference Organization/org-1 does not resolve inside the bundle']]);
  });

  test('only the requested types are serialized, but every resource is validated', () => {
    const bad = { resourceType: 'Organization', id: 'org-1', meta: { profile: [PROFILES.organization] } };
    const batch = bulkBatch([bundleOf(patient(1), bad)], ['Patient']);
    expect(batch.lines.map((l) => l.type)).toEqual(['Patient']);
    expect(batch.errors.some((e) => e.resource === 'Organization/org-1')).toBe(true);
  });
});
