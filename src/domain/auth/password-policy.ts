import { COMMON_PASSWORDS_TEXT } from './data/common-passwords.js';

/**
 * Password policy for local accounts (OWASP ASVS 2.1.1, 2.1.7; NIST SP 800-63B §5.1.1.2): at least 12 characters,
 * not containing the username, not one of the common passwords seen in breaches. No composition rules (NIST advises
 * against them); length is counted in Unicode code points, so any script counts the same.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

export interface PasswordContext {
  username?: string | undefined;
}

interface PasswordRule {
  id: string;
  fails: (password: string, ctx: PasswordContext) => boolean;
  message: string;
}

let common: ReadonlySet<string> | undefined;

/** The shipped list (src/domain/auth/data, lower-cased) as a Set, built on first use. */
export function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(COMMON_PASSWORDS_TEXT.split('\n'));
  return common;
}

const length = (p: string) => [...p].length;

/** The rules in the order they are reported; each names why it refuses. */
export const PASSWORD_RULES = [
  { id: 'PW-LENGTH-MIN', fails: (p) => length(p) < PASSWORD_MIN_LENGTH, message: `must be at least ${PASSWORD_MIN_LENGTH} characters` },
  { id: 'PW-LENGTH-MAX', fails: (p) => length(p) > PASSWORD_MAX_LENGTH, message: `must be at most ${PASSWORD_MAX_LENGTH} characters` },
  {
    id: 'PW-USERNAME',
    fails: (p, ctx) => !!ctx.username && ctx.username.trim().length >= 3 && p.toLowerCase().includes(ctx.username.trim().toLowerCase()),
    message: 'must not contain the username',
  },
  { id: 'PW-COMMON', fails: (p) => commonPasswords().has(p.toLowerCase()), message: 'is on the list of common passwords found in data breaches: choose another' },
] as const satisfies readonly PasswordRule[];

export type PasswordRuleId = (typeof PASSWORD_RULES)[number]['id'];

/**
 * The reasons a new password is refused (empty when it is acceptable), in rule order. Pure: the breached list is
 * data shipped with the code, checked with a Set (no network, no I/O).
 */
export function passwordProblems(password: string, ctx: PasswordContext = {}): Array<{ rule: PasswordRuleId; message: string }> {
  return PASSWORD_RULES.filter((r) => r.fails(password, ctx)).map((r) => ({ rule: r.id, message: r.message }));
}
