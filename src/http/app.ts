import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { can, type Permission } from '../domain/auth/permissions.js';
import { AppError } from '../domain/errors.js';
import type { Actor, Services } from '../services/context.js';
import { auth } from '../services/auth.service.js';
import { errorHandler } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { assessRoutes } from './routes/assess.js';
import { referralRoutes } from './routes/referrals.js';
import { conferenceRoutes } from './routes/conference.js';
import { endStreamsOnClose, streamEvents } from './sse.js';
import { memoryBus, type EventBus } from '../services/events.js';
import { authRoutes, SESSION_COOKIE } from './routes/auth.js';
import { planRoutes } from './routes/plans.js';
import { trialRoutes } from './routes/trials.js';
import { caseRoutes } from './routes/cases.js';
import { metaRoutes } from './routes/meta.js';
import { patientRoutes } from './routes/patients.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs; routes without one must say `public: true`. */
    permission?: Permission;
    public?: boolean;
    /** The route also accepts a secret `token` query parameter instead of a session (it verifies the token). */
    tokenAlternative?: boolean;
  }
  interface FastifyRequest {
    actor?: Actor;
  }
}

export interface AppOptions {
  services: Services;
  /** Folder of the built web app (dist/web); omitted in API-only tests. */
  webDir?: string | undefined;
  /** A pino logger (with redaction); no logging when omitted. */
  logger?: FastifyBaseLogger;
  /** Login attempts allowed per client address per minute. */
  loginRateLimit?: number;
  /** Public referral submissions allowed per client address per minute. */
  publicRateLimit?: number;
  /** Live-update bus (PostgreSQL LISTEN/NOTIFY across nodes, or in memory for one SQLite node). */
  bus?: EventBus;
  /** Send the session cookie with `Secure` (behind HTTPS). */
  secureCookies?: boolean;
}

export type App = FastifyInstance;

/** The secure defaults in one place: headers, body limit, error handler, auth and permission checks. */
export async function buildApp(opts: AppOptions): Promise<App> {
  const bus = opts.bus ?? memoryBus();
  // Services publish live events on the same bus the event stream reads.
  opts.services.bus ??= bus;
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: 256 * 1024,
    genReqId: () => crypto.randomUUID(),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"], fontSrc: ["'self'", 'data:'], objectSrc: ["'none'"],
        frameAncestors: ["'none'"], upgradeInsecureRequests: null,
      },
    },
    hsts: opts.secureCookies ? undefined : false,
  });
  await app.register(cookie);
  await app.register(multipart, { throwFileSizeLimit: true });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'TumorBoard API', version: '1', description: 'Pediatric musculoskeletal tumor program platform' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });

  // Every /api route must declare a permission or be explicitly public: a forgotten declaration fails at start-up.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const cfg = route.config as { permission?: Permission; public?: boolean } | undefined;
    if (!cfg?.permission && !cfg?.public) throw new Error(`route ${route.method} ${route.url} declares no permission`);
  });

  // Authenticate before the body is parsed or validated: without a session every API route answers 401.
  app.addHook('onRequest', async (req) => {
    const cfg = req.routeOptions.config as { permission?: Permission; public?: boolean; tokenAlternative?: boolean };
    if (!req.url.startsWith('/api/') || cfg.public) return;
    const token = req.cookies[SESSION_COOKIE];
    // A route that also takes a secret link token (calendar feeds) checks that token itself when no session is sent.
    if (!token && cfg.tokenAlternative && typeof (req.query as { token?: unknown }).token === 'string') return;
    const actor = token ? await auth.resolve(opts.services, token, req.ip, req.id) : undefined;
    if (!actor) throw new AppError('unauthenticated', 'sign in first');
    if (cfg.permission && !can(actor.role, cfg.permission)) {
      throw new AppError('forbidden', `your role (${actor.role}) may not ${cfg.permission}`);
    }
    req.actor = actor;
  });

  await app.register(async (api) => {
    api.get('/health', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
    api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
    await authRoutes(api, opts);
    await patientRoutes(api, opts.services);
    await caseRoutes(api, opts.services);
    await adminRoutes(api, opts.services);
    await assessRoutes(api, opts.services);
    await referralRoutes(api, opts.services, { publicRateLimit: opts.publicRateLimit });
    // Open event streams must end when the server closes (they are never idle).
    endStreamsOnClose(api);
    await conferenceRoutes(api, opts.services, (req, reply, id) => streamEvents(
      req as Parameters<typeof streamEvents>[0], reply as Parameters<typeof streamEvents>[1], bus, `conference:${id}`, {
        // Read after subscribing, so no change between the hello and the first event is lost.
        initial: async () => {
          const row = await opts.services.store.db.selectFrom('conferences').select('version').where('id', '=', id).executeTakeFirst();
          return row ? { type: 'hello', conferenceId: id, version: row.version, at: new Date().toISOString() } : undefined;
        },
      }));
    await planRoutes(api, opts.services);
    await trialRoutes(api, opts.services);
    await metaRoutes(api);
  }, { prefix: '/api/v1' });

  const webDir = opts.webDir;
  const hasWeb = webDir !== undefined && fs.existsSync(path.join(webDir, 'index.html'));
  // wildcard: files are looked up on each request, so a rebuilt web app is served without a restart.
  if (hasWeb) await app.register(fastifyStatic, { root: path.resolve(webDir), wildcard: true, index: 'index.html' });
  app.setNotFoundHandler((req, reply) => {
    // Client-side routes get the app; a missing asset or API path is a real 404.
    if (hasWeb && req.method === 'GET' && !/^\/(api|fhir|assets)\//.test(req.url)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.status(404).send({ error: new AppError('not_found', `no route ${req.method} ${req.url.split('?')[0]}`).toJSON() });
  });
  return app;
}

/** The actor of an authenticated route (set by the onRequest hook). */
export function actorOf(req: { actor?: Actor }): Actor {
  if (!req.actor) throw new AppError('unauthenticated', 'sign in first');
  return req.actor;
}
