import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Referrals and traveling for care: referrals with their status timeline, attachments (files live outside the
 * rows, content-addressed by SHA-256), the records checklist of a case, travel plans, and the notification outbox.
 */
export function referralsMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // Coordinators are notified by email of referral changes.
      await db.schema.alterTable('users').addColumn('email', 'text').execute();
      await db.schema.createTable('referrals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('reference', 'text', (c) => c.notNull().unique())
        // A double submit or a retried request carries the same key: the unique constraint keeps one referral.
        .addColumn('idempotency_key', 'text', (c) => c.unique())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('urgency', 'text', (c) => c.notNull())
        .addColumn('patient', 'text', (c) => c.notNull())
        .addColumn('referrer', 'text', (c) => c.notNull())
        .addColumn('referrer_user_id', 'text')
        .addColumn('diagnosis_text', 'text')
        .addColumn('question', 'text')
        .addColumn('consent_to_share', 'integer', (c) => c.notNull())
        .addColumn('preferred_language', 'text', (c) => c.notNull())
        .addColumn('assigned_to', 'text')
        .addColumn('patient_id', 'text')
        .addColumn('case_id', 'text')
        .addColumn('suspected_family', 'text')
        .addColumn('outcome_reason', 'text')
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('triaged_at', 'text')
        .addColumn('records_complete_at', 'text')
        .addColumn('scheduled_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('referrals_institution_status_idx').on('referrals').columns(['institution_id', 'status', 'created_at']).execute();
      await db.schema.createIndex('referrals_referrer_user_idx').on('referrals').column('referrer_user_id').execute();
      await db.schema.createTable('referral_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('by_user_id', 'text')
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('referral_events_referral_idx').on('referral_events').columns(['referral_id', 'at']).execute();
      await db.schema.createTable('attachments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size_bytes', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('attachments_referral_idx').on('attachments').column('referral_id').execute();
      await db.schema.createTable('case_records')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('item', 'text', (c) => c.notNull())
        .addColumn('required', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('updated_by', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('case_records_case_item_unique', ['case_id', 'item'])
        .execute();
      await db.schema.createTable('travel_plans')
        .addColumn('referral_id', 'text', (c) => c.primaryKey().references('referrals.id'))
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('next_due', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema.createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text')
        .addColumn('referral_id', 'text')
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('template', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .execute();
      await db.schema.createIndex('notifications_status_idx').on('notifications').columns(['status', 'created_at']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['notifications', 'travel_plans', 'case_records', 'attachments', 'referral_events', 'referrals']) {
        await db.schema.dropTable(t).execute();
      }
      await db.schema.alterTable('users').dropColumn('email').execute();
    },
  };
}
