import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/** The weekly Tumor Conference: series, occurrences, agenda items, discipline input, attendance. */
export function conferenceMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.createTable('conference_series')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('conferences')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('series_id', 'text', (c) => c.notNull().references('conference_series.id'))
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        // The occurrence's regular slot: generating ahead is idempotent on (series, slot).
        .addColumn('slot_date', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('current_item_id', 'text')
        .addColumn('minutes_locked_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('conferences_series_slot_unique', ['series_id', 'slot_date'])
        .execute();
      await db.schema.createIndex('conferences_institution_start_idx').on('conferences').columns(['institution_id', 'starts_at']).execute();
      await db.schema.createTable('agenda_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id'))
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('estimated_minutes', 'integer', (c) => c.notNull())
        .addColumn('presenter_id', 'text')
        .addColumn('proposed', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('ended_at', 'text')
        .addColumn('recommendation', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('agenda_items_conference_case_unique', ['conference_id', 'case_id'])
        .execute();
      await db.schema.createTable('discipline_inputs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id'))
        .addColumn('discipline', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('stance', 'text', (c) => c.notNull())
        .addColumn('findings', 'text')
        .addColumn('recommendation', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('discipline_inputs_unique', ['conference_id', 'case_id', 'discipline'])
        .execute();
      await db.schema.createTable('attendance')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('discipline', 'text', (c) => c.notNull())
        .addColumn('mode', 'text', (c) => c.notNull())
        .addColumn('checked_in_at', 'text', (c) => c.notNull())
        // Checking in twice is refused by the constraint, not by a read-then-check.
        .addUniqueConstraint('attendance_conference_user_unique', ['conference_id', 'user_id'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['attendance', 'discipline_inputs', 'agenda_items', 'conferences', 'conference_series']) await db.schema.dropTable(t).execute();
    },
  };
}
