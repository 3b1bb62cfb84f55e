import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * Time-based one-time passwords (RFC 6238) for multi-factor sign-in (issue 9 §1), with the `otpauth` library: SHA-1,
 * 6 digits, 30-second steps — what every authenticator app reads from the enrolment QR code. A code is accepted one
 * step early or late (clock drift) and never twice (replay): the last accepted step is stored and must increase.
 */

export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
/** Steps accepted either side of now: ±30 s of phone clock drift. */
const WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;

/** A new random secret (160 bits, RFC 4226 §4's recommendation), base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, account: string, issuer: string): TOTP {
  return new TOTP({ issuer, label: account, algorithm: 'SHA1', digits: DIGITS, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

/** The `otpauth://totp/…` URI an authenticator app scans (shown as a QR code and as the secret for typing in). */
export function totpUri(secretBase32: string, account: string, issuer: string): string {
  return totp(secretBase32, account, issuer).toString();
}

/** The code for a moment (tests, and nothing else: the server never shows a code). */
export function totpCodeAt(secretBase32: string, at: Date): string {
  return totp(secretBase32, 'x', 'x').generate({ timestamp: at.getTime() });
}

/**
 * Checks a typed code. Returns the time step it matched, or null. `lastStep` is the step of the last accepted code:
 * a code of that step or an earlier one is refused even if it is otherwise right (a replayed or shoulder-surfed code).
 */
export function verifyTotp(secretBase32: string, code: string, at: Date, lastStep: number | null): number | null {
  const digits = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(digits)) return null;
  const delta = totp(secretBase32, 'x', 'x').validate({ token: digits, timestamp: at.getTime(), window: WINDOW });
  if (delta === null) return null;
  const step = Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

/**
 * One-time recovery codes for a lost phone: 10 codes of 10 base32 characters (50 bits each), shown once. Only their
 * SHA-256 is stored (they are random, not chosen by a person, so a fast hash suffices); each works once.
 */
export function newRecoveryCodes(): string[] {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** The stored form of a recovery code: case, spaces and dashes do not matter when it is typed back. */
export function recoveryCodeHash(code: string): string {
  return createHash('sha256').update(code.toUpperCase().replace(/[\s-]/g, ''), 'utf8').digest('hex');
}

/** Is this input shaped like a recovery code (rather than a 6-digit TOTP code)? */
export function looksLikeRecoveryCode(code: string): boolean {
  return /^[A-Z2-9]{5}-?[A-Z2-9]{5}$/i.test(code.trim());
}
