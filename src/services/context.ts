import type { Store } from '../store/db.js';
import type { FileStore } from '../store/files.js';

/** Who is acting, from where: every service call carries it (no request-context singletons). */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: string;
  discipline: string | null;
  institutionId: string;
  institutionName: string;
  clientIp: string | null;
  requestId: string | null;
  /** Signed in with the password only while the role requires a second factor: only enrolment is allowed. */
  mfaPending?: boolean;
}

/** Program settings shown to families and used by intake (from the environment; see src/config.ts). */
export interface ProgramConfig {
  /** Contact numbers shown on the public pages and in letters (U.S. and international lines). */
  contacts: { phones: Array<{ label: string; number: string }>; email: string };
  /** Largest attachment accepted, in bytes. */
  attachmentMaxBytes: number;
  /** The institution that receives public referrals (its code); the first institution when unset. */
  publicInstitutionCode: string | undefined;
  /** Roles that must sign in with a second factor (MFA_REQUIRED_ROLES, comma-separated); none when unset. */
  mfaRequiredRoles?: readonly string[];
}

export const DEFAULT_PROGRAM_CONFIG: ProgramConfig = {
  contacts: {
    phones: [
      { label: 'Program office (U.S.)', number: '+1 410-555-0100' },
      { label: 'International patient line', number: '+1 410-555-0199' },
    ],
    email: 'sarcoma-program@example.org',
  },
  attachmentMaxBytes: 10 * 1024 * 1024,
  publicInstitutionCode: undefined,
};

/** What services need: the store, a clock (time is a parameter, so tests can fix it), files and settings. */
export interface Services {
  store: Store;
  now: () => Date;
  /** Where attachments live; only the referral use cases need it. */
  files?: FileStore;
  config?: ProgramConfig;
  /** The server key that seals secrets kept in the database (TOTP keys); see src/config.ts `loadSecretKey`. */
  secretKey?: Buffer;
  /** Live updates (conference meeting mode); events are published after the change commits. */
  bus?: { publish(channel: string, event: { type: string; conferenceId: string; version: number; at: string; data?: unknown }): Promise<void> };
}

export function programConfig(s: Services): ProgramConfig {
  return s.config ?? DEFAULT_PROGRAM_CONFIG;
}

export function isoNow(s: Services): string {
  return s.now().toISOString();
}

export function newId(): string {
  return crypto.randomUUID();
}
