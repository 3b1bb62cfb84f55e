import { sql } from 'kysely';
import type { DB, Tx } from './db.js';

/**
 * Group commit: units of work that arrive within a few milliseconds of each other are written in ONE transaction,
 * so they share one durable commit (one WAL fsync with SQLite `synchronous=FULL`) instead of paying one each.
 *
 * What stays true (DESIGN.md §7):
 * - Durability: every caller is answered only after the shared COMMIT has returned; nothing is acknowledged early,
 *   and the database settings (WAL, synchronous=FULL; fsync on PostgreSQL) are untouched.
 * - Isolation of failures: each unit runs inside its own SAVEPOINT. A unit that throws is rolled back to its
 *   savepoint (its writes, its audit entry and all) and only its caller gets the error; the others commit.
 * - Atomicity per unit: a unit's writes (its row, its audit entry, its outbox rows) commit together or not at all.
 * - Units run one after another inside the transaction, in arrival order, exactly as separate transactions would
 *   on SQLite's single connection; a later unit sees the earlier ones' writes (so a unique constraint, such as an
 *   idempotency key, still decides between two units of one batch).
 * - If the COMMIT itself fails, every unit of the batch fails with that error (none was acknowledged); a unit that
 *   had failed by itself keeps its own error.
 *
 * A unit must only do database work through the transaction it is given (no slow I/O while the batch holds the
 * connection): files, network calls and validation belong before it.
 */
export interface GroupCommitOptions {
  /** How long the first unit of a batch waits for others to join (ms). Default 2. */
  windowMs?: number;
  /** A batch is started at once when this many units are waiting. Default 64. */
  maxBatch?: number;
}

export interface GroupCommitStats {
  batches: number;
  units: number;
  failedUnits: number;
  failedCommits: number;
  largestBatch: number;
}

interface Unit {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class GroupCommitter {
  readonly #db: DB;
  readonly #windowMs: number;
  readonly #maxBatch: number;
  #queue: Unit[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  readonly stats: GroupCommitStats = { batches: 0, units: 0, failedUnits: 0, failedCommits: 0, largestBatch: 0 };

  constructor(db: DB, opts: GroupCommitOptions = {}) {
    this.#db = db;
    this.#windowMs = Math.max(0, opts.windowMs ?? 2);
    this.#maxBatch = Math.max(1, opts.maxBatch ?? 64);
  }

  /**
   * Runs `fn` in the next shared transaction and resolves with its result once that transaction has committed;
   * rejects with `fn`'s own error (after the commit of the others), or with the commit's error.
   */
  run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Waits until every unit queued so far has been committed or failed. */
  async drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#running) {
      if (this.#running) await this.#running;
      else this.#flushNow();
    }
  }

  #schedule(): void {
    if (this.#running) return; // the running batch starts the next one when it is done
    if (this.#queue.length >= this.#maxBatch) {
      this.#flushNow();
      return;
    }
    this.#timer ??= setTimeout(() => { this.#timer = undefined; this.#flushNow(); }, this.#windowMs);
  }

  #flushNow(): void {
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = undefined; }
    if (this.#running || this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, this.#maxBatch);
    this.#running = this.#runBatch(batch).finally(() => {
      this.#running = undefined;
      // Units that arrived while this batch was being written form the next batch (after its own window).
      if (this.#queue.length > 0) this.#schedule();
    });
  }

  async #runBatch(batch: Unit[]): Promise<void> {
    this.stats.batches++;
    this.stats.units += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.#db.transaction().execute(async (tx) => {
        for (let i = 0; i < batch.length; i++) {
          const name = sql.raw(`gc_unit_${i}`);
          await sql`savepoint ${name}`.execute(tx);
          try {
            const value = await batch[i]!.fn(tx);
            await sql`release savepoint ${name}`.execute(tx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            outcomes.push({ ok: false, error });
            // Undo this unit only; the transaction goes on with the next one. If even that is impossible (the
            // database gave up the whole transaction, e.g. disk full), the batch ends here and nothing commits.
            try {
              await sql`rollback to savepoint ${name}`.execute(tx);
              await sql`release savepoint ${name}`.execute(tx);
            } catch (undoError) {
              throw new Error(`group commit: the shared transaction could not undo a failed unit (${describe(error)}), so no unit of it was committed: ${describe(undoError)}`, { cause: undoError });
            }
          }
        }
      });
    } catch (commitError) {
      // The shared transaction did not commit: nobody is acknowledged. A unit that failed by itself keeps its own
      // error; every other unit (its writes rolled back with the rest) gets the commit's.
      this.stats.failedCommits++;
      this.stats.failedUnits += batch.length;
      batch.forEach((u, i) => {
        const o = outcomes[i];
        u.reject(o && !o.ok ? o.error : commitError);
      });
      return;
    }
    // Durable now: answer every caller.
    batch.forEach((u, i) => {
      const o = outcomes[i]!;
      if (o.ok) u.resolve(o.value);
      else { this.stats.failedUnits++; u.reject(o.error); }
    });
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const committers = new WeakMap<DB, GroupCommitter>();

/** The group committer of a database (one per store, created on first use). */
export function groupCommitter(db: DB, opts?: GroupCommitOptions): GroupCommitter {
  let gc = committers.get(db);
  if (!gc) {
    gc = new GroupCommitter(db, opts);
    committers.set(db, gc);
  }
  return gc;
}
