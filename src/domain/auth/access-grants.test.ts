import { describe, expect, test } from 'vitest';
import {
  basisDetail, breakGlassProblems, breakGlassUntil, grantStatus, isGrantActive, purposeProblems, shareEnd, shareTargetProblems,
} from './access-grants.js';

const now = new Date('2026-11-27T12:00:00.000Z');

describe('grant status', () => {
  const g = { createdAt: '2026-11-27T12:00:00.000Z', until: '2026-12-01T00:00:00.000Z', revokedAt: null };
  test.each([
    ['2026-11-27T12:00:00.000Z', 'active'],
    ['2026-11-30T23:59:59.999Z', 'active'],
    ['2026-12-01T00:00:00.000Z', 'expired'],
    ['2026-11-27T11:59:59.999Z', 'expired'],
  ])('a share created at noon and ending on 1 December is %s → %s', (t, status) => {
    expect(grantStatus(g, new Date(t))).toBe(status);
  });

  test('a revoked share is revoked from the moment of revocation, not before', () => {
    const r = { ...g, revokedAt: '2026-11-28T09:00:00.000Z' };
    expect(grantStatus(r, new Date('2026-11-28T08:59:59.000Z'))).toBe('active');
    expect(grantStatus(r, new Date('2026-11-28T09:00:00.000Z'))).toBe('revoked');
    expect(isGrantActive(r, new Date('2026-11-29T00:00:00.000Z'))).toBe(false);
  });
});

describe('the end of a share', () => {
  test('a share without an end date lasts 14 days', () => {
    expect(shareEnd(undefined, now)).toEqual({ until: '2026-12-11T12:00:00.000Z' });
  });

  test('a date means the end of that day (UTC)', () => {
    expect(shareEnd('2026-12-03', now)).toEqual({ until: '2026-12-03T23:59:59.999Z' });
  });

  test.each([
    ['2026-12-27', true], ['2026-12-28', false],
    ['2026-12-27T12:00:00Z', true], ['2026-12-27T12:00:01Z', false],
  ])('a share ending %s is allowed: %s (at most 30 days)', (until, ok) => {
    expect('until' in shareEnd(until, now)).toBe(ok);
  });

  test.each([['2026-11-26'], ['2026-11-27T11:00:00Z'], ['2026-11-27T12:00:00Z']])('a share ending in the past (%s) is refused naming until', (until) => {
    expect(shareEnd(until, now)).toEqual({ problem: { field: 'until', message: 'must be in the future' } });
  });

  test.each([['tomorrow'], ['2026-02-30'], ['2026-13-01']])('a malformed end (%s) is refused naming until', (until) => {
    const r = shareEnd(until, now);
    expect('problem' in r && r.problem.field).toBe('until');
  });
});

describe('share and break-the-glass inputs', () => {
  test('a purpose is required and at most 500 characters', () => {
    expect(purposeProblems('  ')[0]?.field).toBe('purpose');
    expect(purposeProblems('x'.repeat(501))[0]?.field).toBe('purpose');
    expect(purposeProblems('x'.repeat(500))).toEqual([]);
  });

  test('a case cannot be shared with its own institution', () => {
    expect(shareTargetProblems('a', 'a')[0]?.field).toBe('institution');
    expect(shareTargetProblems('a', 'b')).toEqual([]);
  });

  test('break-the-glass needs a known reason and a justification of at least 20 characters', () => {
    expect(breakGlassProblems({ reasonCategory: 'curiosity', justification: 'x'.repeat(19) }).map((p) => p.field)).toEqual(['reasonCategory', 'justification']);
    expect(breakGlassProblems({ reasonCategory: 'emergency-care', justification: `  ${'x'.repeat(19)}  ` })[0]?.field).toBe('justification');
    expect(breakGlassProblems({ reasonCategory: 'emergency-care', justification: 'x'.repeat(20) })).toEqual([]);
  });

  test('break-the-glass lasts four hours', () => {
    expect(breakGlassUntil(now)).toBe('2026-11-27T16:00:00.000Z');
  });

  test('a read through a grant names the grant in the audit detail', () => {
    expect(basisDetail('own')).toBeNull();
    expect(basisDetail('share:abc')).toBe('via share abc');
    expect(basisDetail('btg:def')).toBe('break-glass def');
  });
});
