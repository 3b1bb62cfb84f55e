import { parseArgs } from 'node:util';
import pino from 'pino';
import { AppError } from '../domain/errors.js';
import { filesDir, loadSecretKey, programConfigFromEnv, storeOptions, WEB_DIR } from '../config.js';
import { oidcSettingsFromEnv } from '../services/oidc.service.js';
import { fileStore } from '../store/files.js';
import { createMailer, startNotificationLoop } from '../services/notifier.js';
import { createEventBus } from '../services/events.js';
import { buildApp } from '../http/app.js';
import { migrate, openStore } from '../store/db.js';
import { usersRepo } from '../store/users.repo.js';
import type { Services } from '../services/context.js';
import { DEMO_INSTITUTIONS, DEMO_PASSWORD, loadDemo } from '../services/demo.service.js';

/**
 * Field names whose values are never logged, at any of the first three levels of a log line: credentials (cookies,
 * authorization, passwords, tokens), patient names and identifiers (MRN, birth date, guardians, contact details),
 * search text and query strings. Request lines already carry only method, route pattern and id (serializers below).
 */
const REDACTED_KEYS = [
  'cookie', 'authorization', '"set-cookie"', 'password', 'newPassword', 'currentPassword', 'token', 'idempotencyKey',
  'familyName', 'givenName', 'name', 'displayName', 'guardians', 'mrn', 'birthDate', 'dateOfBirth', 'phone', 'email',
  'address', 'q', 'query', 'querystring', 'url', 'body', 'payload',
] as const;
export const REDACT_PATHS = [
  'req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]',
  ...REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

/** Logs carry no patient data: request lines name the route pattern, never the URL with its ids or query. */
export function makeLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream) {
  return pino({
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; routeOptions?: { url?: string }; id?: string }) => ({ method: req.method, route: req.routeOptions?.url ?? '(unmatched)', id: req.id }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  }, destination);
}

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args, strict: true,
    options: { port: { type: 'string', default: process.env.PORT ?? '3000' }, host: { type: 'string', default: process.env.HOST ?? '127.0.0.1' }, db: { type: 'string' }, demo: { type: 'boolean', default: false } },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('bad_request', '--port: must be a port number 0-65535', { field: 'port' });
  const opts = storeOptions(values.db);
  const store = openStore(opts);
  const services: Services = { store, now: () => new Date(), files: fileStore(filesDir(opts)), config: programConfigFromEnv(), secretKey: loadSecretKey(opts) };
  await migrate(store);
  const empty = (await usersRepo.count(store.db)) === 0;
  if (empty && values.demo) {
    const res = await loadDemo(services);
    process.stdout.write(`Loaded the synthetic demo program: ${res.patients} patients (and ${res.openReferrals} open referrals), ${res.users} accounts.\n`);
  }
  const publicRateLimit = process.env.PUBLIC_RATE_LIMIT ? Number(process.env.PUBLIC_RATE_LIMIT) : undefined;
  // Live meeting events reach every app node through PostgreSQL LISTEN/NOTIFY; SQLite is a single node.
  const bus = createEventBus(store, opts.databaseUrl);
  // Behind a proxy that rewrites Host, the browser's origin(s) must be named for the CSRF check (src/http/csrf.ts).
  const publicOrigins = (process.env.PUBLIC_ORIGIN ?? '').split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
  const app = await buildApp({ services, bus, webDir: WEB_DIR, logger: makeLogger(process.env.LOG_LEVEL ?? 'warn'), publicOrigins, oidc: oidcSettingsFromEnv(), ...(publicRateLimit ? { publicRateLimit } : {}) });
  // Emails go out from the outbox in the background; without SMTP_URL they are recorded as skipped.
  const stopNotifications = startNotificationLoop(services, createMailer(process.env.SMTP_URL), 5000, process.env.SMTP_FROM ? { from: process.env.SMTP_FROM } : {});
  const close = async () => { await stopNotifications(); await app.close(); await bus.close(); await store.close(); process.exit(0); };
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());
  await app.listen({ port, host: values.host });
  const addr = app.server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  const shownHost = values.host === '127.0.0.1' || values.host === '0.0.0.0' ? 'localhost' : values.host;
  process.stdout.write(`TumorBoard is running at http://${shownHost}:${actualPort}/ (database: ${store.location})\n`);
  if (values.demo || !empty) {
    const hasDemo = await usersRepo.findByUsername(store.db, 'coordinator');
    if (hasDemo) {
      const names = DEMO_INSTITUTIONS.flatMap((i) => i.users.map((u) => u[0]));
      process.stdout.write(`Demo logins (password "${DEMO_PASSWORD}"): ${names.join(', ')}\n`);
    }
  } else if (empty) {
    process.stdout.write('No accounts yet: create the first admin with `tumorboard user add NAME --role admin`.\n');
  }
  return new Promise<number>(() => {}); // runs until a signal
}
