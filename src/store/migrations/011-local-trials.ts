import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Local institutional trials entered by hand (issue 7 §1) are known by the institution's protocol number. It is
 * unique across the registry by constraint (a double submit or two curators creating the same protocol get one
 * trial), like the NCT number of imported trials. NULL for imported trials (both dialects allow many NULLs).
 */
export function localTrialsMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('trials').addColumn('local_id', 'text').execute();
      await db.schema.createIndex('trials_local_id_unique').on('trials').column('local_id').unique().execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('trials_local_id_unique').execute();
      await db.schema.alterTable('trials').dropColumn('local_id').execute();
    },
  };
}
