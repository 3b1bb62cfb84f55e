import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
