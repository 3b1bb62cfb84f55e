import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Clinical trials (issue 7): the registry (imported ClinicalTrials.gov records and local trials), their curated
 * criteria, each case's latest match per trial, and the screening log.
 */
export function trialsMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('trials')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // NCT id for registry trials; local institutional trials have a local id and no NCT id.
        .addColumn('nct_id', 'text', (c) => c.unique())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('institution_id', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('network', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('phases', 'text', (c) => c.notNull())
        // JSON: the imported record as parsed (identification, sponsor, sites, arms, eligibility text, items).
        .addColumn('registry', 'text', (c) => c.notNull())
        .addColumn('criteria_sha256', 'text')
        .addColumn('last_update_post_date', 'text')
        // JSON: the curated trial definition (criterion tree with per-item curation status).
        .addColumn('definition', 'text', (c) => c.notNull())
        // draft | curated | stale
        .addColumn('curation', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('imported_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('trials_status_idx').on('trials').columns(['status', 'network']).execute();
      await db.schema.createTable('trial_matches')
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('trial_id', 'text', (c) => c.notNull().references('trials.id'))
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('trial_version', 'integer', (c) => c.notNull())
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('trial_matches_pk', ['case_id', 'trial_id'])
        .execute();
      await db.schema.createIndex('trial_matches_trial_idx').on('trial_matches').columns(['trial_id', 'verdict']).execute();
      await db.schema.createTable('trial_screenings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('trial_id', 'text', (c) => c.notNull().references('trials.id'))
        .addColumn('institution_id', 'text', (c) => c.notNull())
        // screened | discussed | offered | enrolled | declined | not_eligible
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('verdict', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('trial_screenings_case_trial_unique', ['case_id', 'trial_id'])
        .execute();
      await db.schema.createTable('trial_screening_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('screening_id', 'text', (c) => c.notNull().references('trial_screenings.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('trial_screening_events_screening_idx').on('trial_screening_events').columns(['screening_id', 'at']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['trial_screening_events', 'trial_screenings', 'trial_matches', 'trials']) await db.schema.dropTable(t).execute();
    },
  };
}
