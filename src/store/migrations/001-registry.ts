import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/** Registry core: institutions, users, sessions, patients, tumours, cases, audit log. */
export function registryMigration(dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const real = dialect === 'postgres' ? 'double precision' : 'real';
      await db.schema.createTable('institutions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('discipline', 'text')
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('client_ip', 'text')
        .execute();
      await db.schema.createTable('patients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('mrn', 'text', (c) => c.notNull())
        .addColumn('family_name', 'text', (c) => c.notNull())
        .addColumn('given_name', 'text', (c) => c.notNull())
        .addColumn('birth_date', 'text', (c) => c.notNull())
        .addColumn('sex', 'text', (c) => c.notNull())
        .addColumn('preferred_language', 'text', (c) => c.notNull())
        .addColumn('interpreter_needed', 'integer', (c) => c.notNull())
        .addColumn('home_country', 'text', (c) => c.notNull())
        .addColumn('guardians', 'text', (c) => c.notNull())
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('diagnosis_summary', 'text')
        .addColumn('case_status', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addUniqueConstraint('patients_institution_mrn_unique', ['institution_id', 'mrn'])
        .execute();
      await db.schema.createIndex('patients_institution_name_idx').on('patients')
        .columns(['institution_id', 'family_name', 'given_name']).execute();
      await db.schema.createTable('tumors')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('diagnosis_date', 'text', (c) => c.notNull())
        .addColumn('morphology', 'text', (c) => c.notNull())
        .addColumn('topography', 'text', (c) => c.notNull())
        .addColumn('site_category', 'text', (c) => c.notNull())
        .addColumn('primary_site', 'text', (c) => c.notNull())
        .addColumn('laterality', 'text')
        .addColumn('size_cm', real as 'real')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('pathology_summary', 'text')
        .addColumn('imaging_summary', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tumors_patient_idx').on('tumors').column('patient_id').execute();
      await db.schema.createTable('cases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('institution_id', 'text', (c) => c.notNull().references('institutions.id'))
        .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
        .addColumn('tumor_id', 'text', (c) => c.references('tumors.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('question', 'text')
        .addColumn('urgent', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cases_institution_status_idx').on('cases').columns(['institution_id', 'status']).execute();
      await db.schema.createIndex('cases_patient_idx').on('cases').column('patient_id').execute();
      await db.schema.createTable('case_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('by_user_id', 'text')
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('case_events_case_idx').on('case_events').columns(['case_id', 'at']).execute();
      await db.schema.createTable('audit_log')
        .addColumn('seq', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('username', 'text')
        .addColumn('role', 'text')
        .addColumn('institution_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('record_type', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text')
        .addColumn('patient_id', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('client_ip', 'text')
        .addColumn('request_id', 'text')
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('audit_log_institution_at_idx').on('audit_log').columns(['institution_id', 'at']).execute();
      await db.schema.createIndex('audit_log_patient_idx').on('audit_log').column('patient_id').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['audit_log', 'case_events', 'cases', 'tumors', 'patients', 'sessions', 'users', 'institutions']) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
