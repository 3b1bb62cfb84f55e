import type { Kysely } from 'kysely';
import type { Dialect } from '../db.js';

/**
 * Single sign-on with OpenID Connect (issue 9 §1): a local account is linked to one identity at the provider
 * (`issuer|sub`, unique), and each sign-in in flight keeps its state, nonce and PKCE verifier for ten minutes, used once.
 */
export function oidcMigration(_dialect: Dialect) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('users').addColumn('oidc_subject', 'text').execute();
      await db.schema.createIndex('users_oidc_subject_unique').on('users').column('oidc_subject').unique().execute();
      await db.schema.createTable('oidc_logins')
        .addColumn('state', 'text', (c) => c.primaryKey())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('oidc_logins').execute();
      await db.schema.dropIndex('users_oidc_subject_unique').execute();
      await db.schema.alterTable('users').dropColumn('oidc_subject').execute();
    },
  };
}
