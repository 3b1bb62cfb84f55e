import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { toAppError } from '../http/errors.js';
import { isDatabaseUnavailable, openStore } from './db.js';

const err = (props: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), props);

describe('a database error that means "unavailable right now"', () => {
  test.each([
    ['a refused connection', err({ code: 'ECONNREFUSED' }, 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', err({ code: 'ECONNRESET' }, 'read ECONNRESET')],
    ['SQLSTATE class 08 (connection exception)', err({ code: '08006' }, 'connection failure')],
    ['SQLSTATE 08P01 (protocol violation)', err({ code: '08P01' })],
    ['57P01 admin_shutdown (pg_ctl stop -m fast)', err({ code: '57P01' }, 'terminating connection due to administrator command')],
    ['57P02 crash_shutdown (pg_ctl stop -m immediate)', err({ code: '57P02' })],
    ['57P03 cannot_connect_now (starting up)', err({ code: '57P03' }, 'the database system is starting up')],
    ['53300 too_many_connections', err({ code: '53300' })],
    ['a connection terminated mid-query', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a client that is no longer queryable', new Error('Client has encountered a connection error and is not queryable')],
    ['an AggregateError of refused addresses', Object.assign(new AggregateError([err({ code: 'ECONNREFUSED' })], ''), {})],
    ['a wrapped cause', new Error('query failed', { cause: err({ code: 'ECONNRESET' }) })],
    ['SQLite still locked after busy_timeout', err({ code: 'SQLITE_BUSY' }, 'database is locked')],
  ])('is %s', (_name, e) => {
    expect(isDatabaseUnavailable(e)).toBe(true);
    const app = toAppError(e);
    expect(app.code).toBe('unavailable');
    expect(app.status).toBe(503);
    expect(app.message).not.toMatch(/ECONN|SQLSTATE|127\.0\.0\.1|5432/);
  });

  test.each([
    ['a unique violation', err({ code: '23505' }, 'duplicate key value violates unique constraint')],
    ['a syntax error', err({ code: '42601' }, 'syntax error at or near "selec"')],
    ['a serialization failure', err({ code: '40001' })],
    ['a SQLite constraint', err({ code: 'SQLITE_CONSTRAINT_UNIQUE' }, 'UNIQUE constraint failed: patients.mrn')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['nothing', undefined],
  ])('is not %s', (_name, e) => {
    expect(isDatabaseUnavailable(e)).toBe(false);
  });

  test('a PostgreSQL store whose server is not listening fails with an unavailable error, not a hang', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const store = openStore({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/none` });
    try {
      const failure = await store.db.selectFrom('users').select('id').execute().then(() => undefined, (e: unknown) => e);
      expect(failure).toBeDefined();
      expect(isDatabaseUnavailable(failure)).toBe(true);
      expect(toAppError(failure as Error).status).toBe(503);
    } finally {
      await store.close();
    }
  });
});
