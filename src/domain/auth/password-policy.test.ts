import { describe, expect, test } from 'vitest';
import { commonPasswords, PASSWORD_MIN_LENGTH, passwordProblems } from './password-policy.js';

const rules = (password: string, username?: string) => passwordProblems(password, { username }).map((p) => p.rule);

describe('the password policy', () => {
  test.each([
    ['eleven-char', ['PW-LENGTH-MIN']],
    ['twelve-chars', []],
    ['correct horse battery staple', []],
  ])('%j breaks %j', (password, expected) => {
    expect(rules(password)).toEqual(expected);
  });

  test('length is counted in characters, not bytes: twelve CJK characters are long enough', () => {
    expect(rules('王小明王小明王小明王小明')).toEqual([]);
    expect(rules('王小明王小明王小明王小')).toEqual(['PW-LENGTH-MIN']);
  });

  test('a password longer than 200 characters is refused', () => {
    expect(rules('x'.repeat(201).replace(/x/g, (_, i: number) => String.fromCharCode(97 + (i % 26))))).toEqual(['PW-LENGTH-MAX']);
  });

  test.each([
    ['oncologist', 'my-oncologist-pass'],
    ['oncologist', 'MY-ONCOLOGIST-PASS'],
    ['r.jones', 'winter-r.jones-2026'],
  ])('a password containing the username %s is refused, whatever the case', (username, password) => {
    expect(rules(password, username)).toContain('PW-USERNAME');
  });

  test('a username shorter than three characters is not searched for (it would refuse almost everything)', () => {
    expect(rules('a-long-enough-phrase', 'ab')).toEqual([]);
  });

  test.each(['qwerty123456', '1qaz2wsx3edc', 'QWERTYQWERTY', 'Iloveyou1234', 'leavemealone'])(
    'the breached password %s is refused, whatever the case', (password) => {
      expect(rules(password)).toContain('PW-COMMON');
    });

  test('the shipped list is loaded as a Set of lower-case passwords of the minimum length or more', () => {
    const set = commonPasswords();
    expect(set.size).toBeGreaterThan(40_000);
    for (const p of [...set].slice(0, 2000)) {
      expect(p).toBe(p.toLowerCase());
      expect(p.length).toBeGreaterThanOrEqual(PASSWORD_MIN_LENGTH);
    }
    expect(set.has('')).toBe(false);
  });

  test('the demo password passes the policy (demo accounts stay usable)', () => {
    expect(rules('tumorboard-demo', 'coordinator')).toEqual([]);
  });

  test('every problem carries a message naming what to change', () => {
    expect(passwordProblems('short', { username: 'short' }).map((p) => p.message)).toEqual([
      'must be at least 12 characters', 'must not contain the username',
    ]);
  });
});
