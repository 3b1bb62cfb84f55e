import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { openSecret, parseSecretKey, sealSecret } from './secret-box.js';

/** The same sealed value with one ciphertext bit flipped: always a change (overwriting characters was not, 1 in 256). */
function flipCiphertextBit(sealed: string): string {
  const parts = sealed.split('.');
  const ct = Buffer.from(parts[3]!, 'base64url');
  ct[0] = ct[0]! ^ 1;
  return [...parts.slice(0, 3), ct.toString('base64url')].join('.');
}

describe('sealed secrets', () => {
  const key = randomBytes(32);

  test('a sealed value opens with the same key and binding, and does not show the secret', () => {
    const sealed = sealSecret(key, 'JBSWY3DPEHPK3PXP', 'user-1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(openSecret(key, sealed, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(sealSecret(key, 'JBSWY3DPEHPK3PXP', 'user-1')).not.toBe(sealed);
  });

  test.each([
    ['another key', (s: string) => openSecret(randomBytes(32), s, 'user-1')],
    ['another row', (s: string) => openSecret(key, s, 'user-2')],
    ['a changed value', (s: string) => openSecret(key, flipCiphertextBit(s), 'user-1')],
    ['not a sealed value', () => openSecret(key, 'JBSWY3DPEHPK3PXP', 'user-1')],
  ])('it does not open with %s', (_what, open) => {
    expect(() => open(sealSecret(key, 'JBSWY3DPEHPK3PXP', 'user-1'))).toThrow();
  });

  test('a key must be 32 bytes of base64, and the error names the variable', () => {
    expect(parseSecretKey(randomBytes(32).toString('base64')).length).toBe(32);
    expect(() => parseSecretKey('short')).toThrow(/^TUMORBOARD_SECRET_KEY: /);
  });
});
