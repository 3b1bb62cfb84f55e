import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db.js';
import { chainHashes, GENESIS_HASH, type ChainContent } from '../../domain/audit/chain.js';

/**
 * The hardened audit log (issue #9 item 3): every entry links to the previous one of its chain by hash (`chain`,
 * `chain_seq`, `prev_hash`, `hash`: hex SHA-256, see src/domain/audit/chain.ts), existing entries become chain 0 in
 * seq order, and the table becomes append-only in the database itself: triggers abort any UPDATE or DELETE (and
 * TRUNCATE on PostgreSQL), whoever sends it. Unique (chain, chain_seq) and (chain, prev_hash) mean two entries can
 * never claim the same place or the same predecessor in a chain (no fork).
 *
 * PostgreSQL appenders spread over parallel chains (src/store/audit.repo.ts): `audit_chain_claim(k, base)` takes the
 * first free one of k advisory transaction locks base..base+k-1 from a random start without waiting (or waits for
 * the random start if all are taken) and returns its chain; from then on `seq` comes from the table's sequence
 * (moved past the existing entries here).
 *
 * On PostgreSQL the UPDATE/DELETE/TRUNCATE privileges are also revoked from PUBLIC and from every role other than
 * the table's owner (e.g. a dedicated application role granted ALL before this ran). What that buys depends on how
 * the app connects:
 * - as a non-owner role with SELECT, INSERT only (the recommended deployment): it can neither change nor remove
 *   entries, nor drop the triggers (only the owner may);
 * - as the owner or a superuser (as the tests and a single-user install do): the triggers still refuse every UPDATE
 *   and DELETE the application (or an injected statement) sends, but the owner may drop or disable them (ALTER
 *   TABLE), and a superuser may bypass them (session_replication_role). Such tampering is then caught by
 *   `tumorboard audit verify`, which names the first entry that no longer fits the chain.
 * SQLite has no roles: the triggers are the database-level guard there, the chain the proof.
 */
export function auditChainMigration(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('audit_log').addColumn('chain', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('audit_log').addColumn('chain_seq', 'integer').execute();
      await db.schema.alterTable('audit_log').addColumn('prev_hash', 'text').execute();
      await db.schema.alterTable('audit_log').addColumn('hash', 'text').execute();
      await backfill(db);
      await db.schema.createIndex('audit_log_chain_seq_unique').on('audit_log').columns(['chain', 'chain_seq']).unique().execute();
      await db.schema.createIndex('audit_log_chain_prev_hash_unique').on('audit_log').columns(['chain', 'prev_hash']).unique().execute();
      if (dialect === 'sqlite') {
        await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
        return;
      }
      await sql`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`.execute(db);
      await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
      await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
      await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(db);
      await revokeAuditChanges(db);
      await sql`SELECT setval('audit_log_seq_seq', COALESCE(MAX(seq), 0) + 1, false) FROM audit_log`.execute(db);
      await sql`CREATE OR REPLACE FUNCTION audit_chain_claim(k integer, base bigint) RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
        DECLARE start integer := floor(random() * k)::integer; c integer;
        BEGIN
          FOR i IN 0 .. k - 1 LOOP
            c := (start + i) % k;
            IF pg_try_advisory_xact_lock(base + c) THEN RETURN c; END IF;
          END LOOP;
          PERFORM pg_advisory_xact_lock(base + start);
          RETURN start;
        END $$`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (dialect === 'sqlite') {
        await sql`DROP TRIGGER IF EXISTS audit_log_no_update`.execute(db);
        await sql`DROP TRIGGER IF EXISTS audit_log_no_delete`.execute(db);
      } else {
        for (const t of ['audit_log_no_update', 'audit_log_no_delete', 'audit_log_no_truncate']) await sql`DROP TRIGGER IF EXISTS ${sql.raw(t)} ON audit_log`.execute(db);
        await sql`DROP FUNCTION IF EXISTS audit_log_append_only()`.execute(db);
        await sql`DROP FUNCTION IF EXISTS audit_chain_claim(integer, bigint)`.execute(db);
      }
      await db.schema.dropIndex('audit_log_chain_prev_hash_unique').execute();
      await db.schema.dropIndex('audit_log_chain_seq_unique').execute();
      for (const col of ['hash', 'prev_hash', 'chain_seq', 'chain']) await db.schema.alterTable('audit_log').dropColumn(col).execute();
    },
  };
}

/**
 * PostgreSQL: takes UPDATE, DELETE and TRUNCATE on audit_log away from PUBLIC and from every role other than the
 * owner that holds them. Safe to run again (e.g. after granting an application role ALL by mistake).
 */
export async function revokeAuditChanges(db: Kysely<any>): Promise<string[]> {
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC`.execute(db);
  const { rows } = await sql<{ grantee: string }>`
    SELECT DISTINCT g.grantee FROM information_schema.role_table_grants g
    JOIN pg_tables t ON t.tablename = g.table_name AND t.schemaname = g.table_schema
    WHERE g.table_name = 'audit_log' AND g.table_schema = current_schema()
      AND g.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE') AND g.grantee <> t.tableowner AND g.grantee <> 'PUBLIC'`.execute(db);
  for (const { grantee } of rows) {
    await sql`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${sql.id(grantee)}`.execute(db);
  }
  return rows.map((r) => r.grantee);
}

interface LegacyRow {
  seq: number; id: string; at: string; user_id: string | null; username: string | null; role: string | null;
  institution_id: string | null; action: string; record_type: string; record_id: string | null; patient_id: string | null;
  outcome: string; client_ip: string | null; request_id: string | null; detail: string | null;
}

/** Chains the entries written before this migration into chain 0, in seq order, a page at a time. */
async function backfill(db: Kysely<unknown>): Promise<void> {
  const d = db as unknown as Kysely<{ audit_log: LegacyRow & { chain: number; chain_seq: number | null; prev_hash: string | null; hash: string | null } }>;
  let prevHash = GENESIS_HASH;
  let after = -1;
  let chainSeq = 0;
  for (;;) {
    const rows = await d.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(1000).execute();
    if (rows.length === 0) return;
    const contents = rows.map((r) => toContent(r, 0, ++chainSeq));
    const links = chainHashes(contents, prevHash);
    for (let i = 0; i < rows.length; i++) {
      await d.updateTable('audit_log').set({ chain: 0, chain_seq: contents[i]!.chainSeq, prev_hash: links[i]!.prevHash, hash: links[i]!.hash })
        .where('seq', '=', Number(rows[i]!.seq)).execute();
    }
    prevHash = links[links.length - 1]!.hash;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

function toContent(r: LegacyRow, chain: number, chainSeq: number): ChainContent {
  return {
    seq: Number(r.seq), chain, chainSeq, id: r.id, at: r.at, userId: r.user_id, username: r.username, role: r.role,
    institutionId: r.institution_id, action: r.action, recordType: r.record_type, recordId: r.record_id,
    patientId: r.patient_id, outcome: r.outcome, clientIp: r.client_ip, requestId: r.request_id, detail: r.detail,
  };
}
