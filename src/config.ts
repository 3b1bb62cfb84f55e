import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from './domain/errors.js';
import { DEFAULT_PROGRAM_CONFIG, type ProgramConfig } from './services/context.js';
import { DEFAULT_SQLITE_FILE, type StoreOptions } from './store/db.js';

/** The package root (works from src/ under tsx and from dist/ when compiled). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_DIR = path.join(PACKAGE_ROOT, 'dist', 'web');

/** `--db FILE` picks SQLite; otherwise DATABASE_URL (PostgreSQL); otherwise the default SQLite file. */
export function storeOptions(dbFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): StoreOptions {
  if (dbFlag) return { file: dbFlag };
  if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL };
  return { file: DEFAULT_SQLITE_FILE };
}

/** Program settings from the environment, over the defaults (synthetic 555 numbers until set). */
export function programConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ProgramConfig {
  const d = DEFAULT_PROGRAM_CONFIG;
  const phones = [
    { label: 'Program office (U.S.)', number: env.PROGRAM_PHONE_US ?? d.contacts.phones[0]!.number },
    { label: 'International patient line', number: env.PROGRAM_PHONE_INTL ?? d.contacts.phones[1]!.number },
  ];
  const mb = env.ATTACHMENT_MAX_MB ? Number(env.ATTACHMENT_MAX_MB) : undefined;
  if (mb !== undefined && !(mb > 0 && mb <= 100)) throw new AppError('bad_request', 'ATTACHMENT_MAX_MB: must be a number of megabytes from 0 to 100', { field: 'ATTACHMENT_MAX_MB' });
  return {
    contacts: { phones, email: env.PROGRAM_EMAIL ?? d.contacts.email },
    attachmentMaxBytes: mb !== undefined ? Math.round(mb * 1024 * 1024) : d.attachmentMaxBytes,
    publicInstitutionCode: env.PUBLIC_INSTITUTION ?? undefined,
    mfaRequiredRoles: (env.MFA_REQUIRED_ROLES ?? '').split(',').map((r) => r.trim()).filter(Boolean),
  };
}

/** Attachments live beside the SQLite file, or under ./data for PostgreSQL, unless FILES_DIR says otherwise. */
export function filesDir(opts: StoreOptions, env: NodeJS.ProcessEnv = process.env): string {
  if (env.FILES_DIR) return env.FILES_DIR;
  const base = opts.file && opts.file !== ':memory:' ? path.dirname(path.resolve(opts.file)) : path.resolve('data');
  return path.join(base, 'attachments');
}
