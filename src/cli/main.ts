import { parseArgs } from 'node:util';
import { AppError } from '../domain/errors.js';
import { serveCommand } from './serve.js';
import { demoCommand, migrateCommand, userAddCommand, withStore } from './admin.js';
import { existsSync } from 'node:fs';
import { storeOptions } from '../config.js';
import { migrate } from '../store/db.js';

export const COMMANDS = {
  serve: 'serve [--port 3000] [--host 127.0.0.1] [--db FILE] [--demo]   the server and web UI',
  assess: 'assess FILE|-                                  case facts JSON in, assessment JSON out',
  'trials import': 'trials import PATH…                            import ClinicalTrials.gov v2 study JSON',
  match: 'match FILE|- [--trials PATH]                    trial matches for case facts',
  'fhir export': 'fhir export --patient ID [--out FILE] [--db FILE]  FHIR R4 Bundle (mCODE) out',
  'fhir import': 'fhir import FILE                                FHIR R4 Bundle in',
  backup: 'backup FILE [--db FILE] [--force]               consistent online backup',
  restore: 'restore FILE [--db FILE] [--force]              restore a backup into an empty database, then verify the audit chain',
  'audit verify': 'audit verify [--db FILE]                        check the audit log hash chain; exit 1 naming the first bad entry',
  migrate: 'migrate [--db FILE]                             apply pending schema migrations',
  demo: 'demo [--db FILE] [--patients N] [--seed N]        load the synthetic demo program into an empty database',
  'user add': 'user add USERNAME --role ROLE [--discipline D] [--name NAME] [--institution NAME]  (password from TUMORBOARD_PASSWORD or stdin)',
} as const;

function usage(): string {
  return `usage: tumorboard <command>\n\n${Object.values(COMMANDS).map((c) => `  tumorboard ${c}`).join('\n')}\n\n` +
    'Commands that use the database take --db FILE (SQLite) or the DATABASE_URL environment variable (PostgreSQL).\n';
}

/** Runs one command; returns the exit status (0 ok, 2 bad input, 1 otherwise). */
export async function main(argv: string[]): Promise<number> {
  const [cmd, sub] = argv;
  try {
    switch (cmd) {
      case 'serve': return await serveCommand(argv.slice(1));
      case 'migrate': return await migrateCommand(argv.slice(1));
      case 'demo': return await demoCommand(argv.slice(1));
      case 'user':
        if (sub === 'add') return await userAddCommand(argv.slice(2));
        throw new AppError('bad_request', `user ${sub ?? ''}: unknown subcommand (try: user add)`);
      case 'assess': {
        const { assessCommand } = await import('./assess.js');
        return await assessCommand(argv.slice(1));
      }
      case 'match': {
        const { matchCommand } = await import('./match.js');
        const { trials } = await import('../services/trials.service.js');
        return await matchCommand(argv.slice(1), {
          // Without --trials: the curated definitions in the database (--db FILE or DATABASE_URL).
          loadTrials: async ({ db }) => {
            const opts = storeOptions(db);
            if ('file' in opts && opts.file && !existsSync(opts.file)) {
              throw new AppError('validation', `--trials: give a study JSON file or folder (no database at ${opts.file}; or --db FILE / DATABASE_URL)`, { field: '--trials' });
            }
            return withStore(db, async (store) => { await migrate(store); return trials.definitions(store.db); });
          },
        });
      }
      case 'trials': {
        const { trialsCommand } = await import('./trials.js');
        return await trialsCommand(argv.slice(1));
      }
      case 'audit': {
        const { auditCommand } = await import('./audit.js');
        return await auditCommand(argv.slice(1));
      }
      case 'backup': {
        const { backupCommand } = await import('./backup.js');
        return await backupCommand(argv.slice(1));
      }
      case 'restore': {
        const { restoreCommand } = await import('./backup.js');
        return await restoreCommand(argv.slice(1));
      }
      case 'fhir': {
        const { fhirCommand } = await import('./fhir.js');
        return await fhirCommand(argv.slice(1));
      }
      case undefined: case 'help': case '--help': case '-h':
        process.stdout.write(usage());
        return cmd === undefined ? 2 : 0;
      default:
        throw new AppError('bad_request', `${cmd}: unknown command\n${usage()}`);
    }
  } catch (err) {
    return reportError(err);
  }
}

export function reportError(err: unknown): number {
  if (err instanceof AppError) {
    process.stderr.write(`error: ${err.message}\n`);
    return err.isBadInput ? 2 : 1;
  }
  const e = err as { code?: string; message?: string };
  if (e?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || e?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || e?.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  process.stderr.write(`error: ${e?.message ?? String(err)}\n`);
  return 1;
}

export { parseArgs };

// Run directly (`tsx src/cli/main.ts …`); the package bin imports main() instead.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
