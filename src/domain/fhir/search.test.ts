import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, test } from 'vitest';
import { AppError } from '../errors.js';
import { matches, parseDate, parseSearch } from './search.js';

const obs = (effectiveDateTime: string): Observation => ({
  resourceType: 'Observation', id: 'obs-1', status: 'final', effectiveDateTime,
  code: { coding: [{ system: 'http://loinc.org', code: '21889-1' }] },
});

describe('search parameters', () => {
  test.each([
    ['2026', { prefix: 'eq', start: '2026-01-01', end: '2026-12-31' }],
    ['ge2026-03', { prefix: 'ge', start: '2026-03-01', end: '2026-03-31' }],
    ['le2026-03-09', { prefix: 'le', start: '2026-03-09', end: '2026-03-09' }],
    ['gt2026-03-09T10:00:00Z', { prefix: 'gt', start: '2026-03-09', end: '2026-03-09' }],
  ])('the date %s covers %o', (v, bound) => {
    expect(parseDate('date', v)).toEqual(bound);
  });

  test.each(['2026-13', 'yesterday', 'ne2026', '2026-03-32'])('the date %s is refused naming the parameter', (v) => {
    expect(() => parseDate('date', v)).toThrow(AppError);
    expect(() => parseDate('date', v)).toThrow(/^date: /);
  });

  test.each([
    ['ge2026-03-09', true], ['gt2026-03-09', false], ['le2026-03-09', true], ['lt2026-03-09', false],
    ['2026-03', true], ['2025', false],
  ])('an observation of 2026-03-09 matches date=%s: %s', (d, expected) => {
    expect(matches(obs('2026-03-09'), parseSearch('Observation', { date: d }))).toBe(expected);
  });

  test('a code matches with or without its system; a wrong system does not', () => {
    expect(matches(obs('2026-03-09'), parseSearch('Observation', { code: '21889-1' }))).toBe(true);
    expect(matches(obs('2026-03-09'), parseSearch('Observation', { code: 'http://loinc.org|21889-1' }))).toBe(true);
    expect(matches(obs('2026-03-09'), parseSearch('Observation', { code: 'http://snomed.info/sct|21889-1' }))).toBe(false);
    expect(matches(obs('2026-03-09'), parseSearch('Observation', { code: 'x,21889-1' }))).toBe(true);
  });

  test('patient references take a bare id, Patient/id or an absolute URL; anything else is refused', () => {
    expect(parseSearch('Condition', { patient: 'Patient/pt-1' }).patients).toEqual(['pt-1']);
    expect(parseSearch('Condition', { subject: 'http://x/fhir/R4/Patient/pt-2' }).patients).toEqual(['pt-2']);
    expect(parseSearch('Condition', { patient: 'pt-3' }).patients).toEqual(['pt-3']);
    expect(() => parseSearch('Condition', { patient: 'Group/g-1' })).toThrow(/^patient: /);
  });

  test('an unknown parameter or a bad _count is a 400 naming it, not silently ignored', () => {
    expect(() => parseSearch('Observation', { colour: 'red' })).toThrow(/^colour: unknown search parameter/);
    expect(() => parseSearch('Patient', { _count: '5000' })).toThrow(/^_count: /);
    expect(parseSearch('Patient', { _count: '0' }).count).toBe(0);
  });
});
