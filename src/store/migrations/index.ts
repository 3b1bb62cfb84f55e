import type { Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../db.js';
import { registryMigration } from './001-registry.js';
import { referralsMigration } from './002-referrals.js';
import { conferenceMigration } from './003-conference.js';
import { plansMigration } from './004-plans.js';
import { trialsMigration } from './005-trials.js';
import { calendarFeedsMigration } from './006-calendar-feeds.js';
import { analyticsMigration } from './007-analytics.js';
import { auditChainMigration } from './008-audit-chain.js';
import { researchMigration } from './009-research.js';
import { localTrialsMigration } from './011-local-trials.js';
import { mfaMigration } from './012-mfa.js';
import { oidcMigration } from './013-oidc.js';
import { accessGrantsMigration } from './014-access-grants.js';
import { securityMigration } from './010-security.js';
import { fhirBulkMigration } from './017-fhir-bulk.js';
import { rateLimitsMigration } from './018-rate-limits.js';
import { fhirBulkPartsMigration } from './019-fhir-bulk-parts.js';
import { researchReleasedMigration } from './020-research-released.js';
import { idempotencyMigration } from './015-idempotency.js';
import { auditAppendMigration } from './016-audit-append.js';

/** The migrations, in order, listed explicitly (no directory autoloading): one set for both dialects. */
export function migrationProvider(dialect: Dialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '001-registry': registryMigration(dialect),
    '002-referrals': referralsMigration(dialect),
    '003-conference': conferenceMigration(dialect),
    '004-plans': plansMigration(dialect),
    '005-trials': trialsMigration(dialect),
    '006-calendar-feeds': calendarFeedsMigration(dialect),
    '007-analytics': analyticsMigration(dialect),
    '008-audit-chain': auditChainMigration(dialect),
    '009-research': researchMigration(dialect),
    '011-local-trials': localTrialsMigration(dialect),
    '012-mfa': mfaMigration(dialect),
    '013-oidc': oidcMigration(dialect),
    '014-access-grants': accessGrantsMigration(dialect),
    '010-security': securityMigration(dialect),
    '017-fhir-bulk': fhirBulkMigration(dialect),
    '018-rate-limits': rateLimitsMigration(dialect),
    '019-fhir-bulk-parts': fhirBulkPartsMigration(dialect),
    '020-research-released': researchReleasedMigration(dialect),
    '015-idempotency': idempotencyMigration(dialect),
    '016-audit-append': auditAppendMigration(dialect),
  };
  return { getMigrations: async () => migrations };
}
