import { describe, expect, test } from 'vitest';
import { looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpCodeAt, totpUri, verifyTotp } from './mfa.js';

// RFC 6238 appendix B: the SHA-1 test secret "12345678901234567890" in base32, 8-digit code 94287082 at T = 59 s.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('one-time codes (RFC 6238)', () => {
  test('the code at 59 s is the RFC test vector\'s last six digits', () => {
    expect(totpCodeAt(RFC_SECRET, new Date(59_000))).toBe('287082');
  });

  test('a code is accepted in its step and one step either side, not two', () => {
    const secret = newTotpSecret();
    const t = new Date('2026-11-27T15:00:10Z');
    const code = totpCodeAt(secret, t);
    expect(verifyTotp(secret, code, t, null)).not.toBeNull();
    expect(verifyTotp(secret, code, new Date(t.getTime() + 30_000), null)).not.toBeNull();
    expect(verifyTotp(secret, code, new Date(t.getTime() - 30_000), null)).not.toBeNull();
    expect(verifyTotp(secret, code, new Date(t.getTime() + 61_000), null)).toBeNull();
  });

  test('a code already used (its step or an earlier one) is refused: no replay', () => {
    const secret = newTotpSecret();
    const t = new Date('2026-11-27T15:00:10Z');
    const step = verifyTotp(secret, totpCodeAt(secret, t), t, null)!;
    expect(verifyTotp(secret, totpCodeAt(secret, t), t, step)).toBeNull();
    const later = new Date(t.getTime() + 30_000);
    expect(verifyTotp(secret, totpCodeAt(secret, later), later, step)).toBe(step + 1);
  });

  test.each(['', '12345', '1234567', 'abcdef', '12 34 5x'])('%j is not a code', (code) => {
    expect(verifyTotp(newTotpSecret(), code, new Date(), null)).toBeNull();
  });

  test('the enrolment URI names the issuer and account for the authenticator app', () => {
    const uri = totpUri(RFC_SECRET, 'oncologist', 'TumorBoard (LCH)');
    expect(uri).toMatch(/^otpauth:\/\/totp\/TumorBoard%20\(LCH\):oncologist\?/);
    expect(uri).toContain(`secret=${RFC_SECRET}`);
    expect(uri).toContain('period=30');
  });
});

describe('recovery codes', () => {
  test('ten distinct codes, each shaped as a recovery code, hashed the same however they are typed', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) {
      expect(looksLikeRecoveryCode(c)).toBe(true);
      expect(recoveryCodeHash(c.toLowerCase().replace('-', ' '))).toBe(recoveryCodeHash(c));
    }
    expect(looksLikeRecoveryCode('123456')).toBe(false);
  });
});
