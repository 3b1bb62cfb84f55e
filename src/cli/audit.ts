import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ChainVerdict } from '../domain/audit/chain.js';
import { AppError } from '../domain/errors.js';
import { storeOptions } from '../config.js';
import { migrate } from '../store/db.js';
import { verifyAuditChain } from '../services/audit-report.js';
import { withStore } from './admin.js';

/** The one-line result of a chain check, as `audit verify`, `backup` and `restore` print it. */
export function describeVerdict(v: ChainVerdict): string {
  return v.ok
    ? `audit chain intact: ${v.count} entries checked${v.headSeq !== null ? ` (${v.chains} chain${v.chains === 1 ? '' : 's'}, head seq ${v.headSeq}, anchor ${v.anchor})` : ''}`
    : `audit chain broken at entry seq ${v.seq} (${v.why}): ${v.message}; ${v.count} entries verified`;
}

/**
 * `tumorboard audit verify [--db FILE]` (issue #9 contract): exit 0 printing the number of entries checked when the
 * chain is intact; exit 1 naming the first bad entry (its seq) otherwise; exit 2 for bad input.
 */
export async function auditCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'verify') throw new AppError('bad_request', `audit ${sub ?? ''}: unknown subcommand (try: audit verify)`, { field: 'subcommand' });
  const { values } = parseArgs({ args: rest, strict: true, options: { db: { type: 'string' } } });
  const opts = storeOptions(values.db);
  if (opts.file && !existsSync(opts.file)) throw new AppError('validation', `--db: no database at ${opts.file}`, { field: '--db' });
  return withStore(values.db, async (store) => {
    await migrate(store);
    const verdict = await verifyAuditChain(store.db);
    process.stdout.write(`${describeVerdict(verdict)}\n`);
    return verdict.ok ? 0 : 1;
  });
}
