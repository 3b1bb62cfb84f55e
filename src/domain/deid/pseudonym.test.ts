import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { MAX_SHIFT_DAYS, pseudonym, shiftDate, shiftDays } from './pseudonym.js';

const key1 = new Uint8Array(32).fill(1);
const key2 = new Uint8Array(32).fill(2);

test('a pseudonym is stable within one key, differs across keys, and is neither the id nor a plain hash of it', () => {
  fc.assert(fc.property(fc.uuid(), (id) => {
    const p = pseudonym(key1, id);
    expect(p).toMatch(/^P-[0-9a-f]{16}$/);
    expect(pseudonym(key1, id)).toBe(p);
    expect(pseudonym(key2, id)).not.toBe(p);
    expect(p).not.toContain(id);
    const hex = p.slice(2);
    for (const algo of ['sha256', 'sha1', 'md5']) expect(createHash(algo).update(id).digest('hex')).not.toContain(hex);
  }));
});

test('a date shift is the same for a patient under one key, never zero, and within ±182 days', () => {
  fc.assert(fc.property(fc.uuid(), fc.uint8Array({ minLength: 32, maxLength: 32 }), (id, key) => {
    const d = shiftDays(key, id);
    expect(shiftDays(key, id)).toBe(d);
    expect(d).not.toBe(0);
    expect(Math.abs(d)).toBeLessThanOrEqual(MAX_SHIFT_DAYS);
  }));
});

test('shifts spread over both directions', () => {
  const shifts = Array.from({ length: 400 }, (_, i) => shiftDays(key1, `patient-${i}`));
  expect(shifts.some((d) => d < -90)).toBe(true);
  expect(shifts.some((d) => d > 90)).toBe(true);
});

test.each([
  ['2020-02-28', 1, '2020-02-29'], ['2020-12-31', 1, '2021-01-01'], ['2021-03-01', -1, '2021-02-28'], ['2014-03-09T10:00:00Z', 10, '2014-03-19'],
])('%s shifted by %d days is %s', (date, days, out) => {
  expect(shiftDate(date, days)).toBe(out);
});
