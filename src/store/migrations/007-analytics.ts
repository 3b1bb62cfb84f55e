import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Indexes for the program analytics aggregates (issue 10): every metric filters by institution and a date column
 * (cases opened, referrals received and completed, conference dates, therapy end) or joins by case.
 */
export function analyticsMigration(_dialect: Dialect) {
  const indexes: Array<[name: string, table: string, columns: string[]]> = [
    ['cases_institution_created_idx', 'cases', ['institution_id', 'created_at']],
    ['referrals_institution_created_idx', 'referrals', ['institution_id', 'created_at']],
    ['referrals_institution_records_idx', 'referrals', ['institution_id', 'records_complete_at']],
    ['referrals_case_created_idx', 'referrals', ['case_id', 'created_at']],
    ['conferences_institution_slot_idx', 'conferences', ['institution_id', 'slot_date']],
    ['agenda_items_case_status_idx', 'agenda_items', ['case_id', 'status']],
    ['agenda_items_status_conference_idx', 'agenda_items', ['status', 'conference_id']],
    ['plans_institution_status_ended_idx', 'plans', ['institution_id', 'status', 'ended_on']],
    ['plan_administrations_given_idx', 'plan_administrations', ['given_on', 'plan_id']],
    ['trial_screenings_institution_status_idx', 'trial_screenings', ['institution_id', 'status']],
  ];
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const [name, table, columns] of indexes) await db.schema.createIndex(name).on(table).columns(columns).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const [name] of indexes) await db.schema.dropIndex(name).execute();
    },
  };
}
