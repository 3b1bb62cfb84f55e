import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSecretKey, SECRET_KEY_BYTES } from './domain/auth/secret-box.js';
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

/**
 * The server key that seals secrets kept in the database (TOTP keys): TUMORBOARD_SECRET_KEY (32 bytes, base64), or
 * else a key file made on first start with owner-only permissions, `secret.key` beside the SQLite file (or under
 * ./data for PostgreSQL, or TUMORBOARD_SECRET_KEY_FILE). Every app node must use the same key; back it up apart
 * from the database, since a database backup without it cannot open the sealed secrets.
 */
export function loadSecretKey(opts: StoreOptions, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.TUMORBOARD_SECRET_KEY) return parseSecretKey(env.TUMORBOARD_SECRET_KEY);
  const base = opts.file && opts.file !== ':memory:' ? path.dirname(path.resolve(opts.file)) : path.resolve('data');
  const file = env.TUMORBOARD_SECRET_KEY_FILE ?? path.join(base, 'secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      // 'wx': two nodes starting at once cannot both write a key; the second reads the first's.
      fs.writeFileSync(file, `${randomBytes(SECRET_KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return parseSecretKey(fs.readFileSync(file, 'utf8'), file);
}

/** Attachments live beside the SQLite file, or under ./data for PostgreSQL, unless FILES_DIR says otherwise. */
export function filesDir(opts: StoreOptions, env: NodeJS.ProcessEnv = process.env): string {
  if (env.FILES_DIR) return env.FILES_DIR;
  const base = opts.file && opts.file !== ':memory:' ? path.dirname(path.resolve(opts.file)) : path.resolve('data');
  return path.join(base, 'attachments');
}
