import pg from 'pg';

/**
 * Store and API tests run on SQLite and on PostgreSQL. PostgreSQL is found at TEST_DATABASE_URL (an admin
 * connection allowed to CREATE DATABASE; default postgres://postgres@127.0.0.1:5432/postgres). Each test file makes
 * its own throwaway database. Without a reachable server the run fails, unless TUMORBOARD_TEST_PG=off says to
 * run SQLite only (then the PostgreSQL suites are not registered, and a warning says so).
 */
export default async function setup(): Promise<void> {
  if (process.env.TUMORBOARD_TEST_PG === 'off') {
    process.stdout.write('\nWARNING: TUMORBOARD_TEST_PG=off: PostgreSQL suites are not run.\n');
    return;
  }
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${new URL(url).host} (${(err as Error).message}). ` +
      'Start it, set TEST_DATABASE_URL, or set TUMORBOARD_TEST_PG=off to test SQLite only.');
  } finally {
    await client.end().catch(() => {});
  }
}
