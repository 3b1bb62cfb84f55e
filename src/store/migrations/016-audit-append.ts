import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * PostgreSQL: one round trip instead of two for the start of every audit append (src/store/audit.repo.ts).
 * `audit_chain_claim_head(k, base, held)` takes a chain's advisory transaction lock exactly as `audit_chain_claim`
 * does (the first free of k from a random start without waiting, else waits for the random start; or re-takes the
 * chain `held` that the transaction already appends to), then draws the next `seq` and reads that chain's head.
 * The function is VOLATILE, so its read runs in a statement of its own with a fresh READ COMMITTED snapshot taken
 * after the lock is held: it sees the entry the previous holder of the chain committed, as the separate head read did.
 * SQLite (one writer, one chain) has nothing to claim.
 */
export function auditAppendMigration(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') return;
      await sql`CREATE OR REPLACE FUNCTION audit_chain_claim_head(k integer, base bigint, held integer)
        RETURNS TABLE (claimed integer, next_seq bigint, head_seq bigint, head_hash text) LANGUAGE plpgsql VOLATILE AS $$
        DECLARE start integer; got integer;
        BEGIN
          IF held IS NOT NULL THEN
            PERFORM pg_advisory_xact_lock(base + held);
            got := held;
          ELSE
            start := floor(random() * k)::integer;
            FOR i IN 0 .. k - 1 LOOP
              IF pg_try_advisory_xact_lock(base + (start + i) % k) THEN got := (start + i) % k; EXIT; END IF;
            END LOOP;
            IF got IS NULL THEN
              PERFORM pg_advisory_xact_lock(base + start);
              got := start;
            END IF;
          END IF;
          RETURN QUERY SELECT got, nextval('audit_log_seq_seq')::bigint, h.chain_seq::bigint, h.hash::text
            FROM (SELECT 1) AS one LEFT JOIN LATERAL
            (SELECT a.chain_seq, a.hash FROM audit_log a WHERE a.chain = got AND a.chain_seq IS NOT NULL ORDER BY a.chain_seq DESC LIMIT 1) AS h ON true;
        END $$`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'postgres') await sql`DROP FUNCTION IF EXISTS audit_chain_claim_head(integer, bigint, integer)`.execute(db);
    },
  };
}
