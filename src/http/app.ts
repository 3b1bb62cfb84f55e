import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import { databaseRateLimitStore } from './rate-limit-store.js';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type RouteOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { can, type Permission } from '../domain/auth/permissions.js';
import { AppError } from '../domain/errors.js';
import type { Actor, Services } from '../services/context.js';
import { auth } from '../services/auth.service.js';
import type { OidcSettings } from '../services/oidc.service.js';
import { assertSameOrigin, UNSAFE_METHODS } from './csrf.js';
import { errorHandler, unsupportedMediaType } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { assessRoutes } from './routes/assess.js';
import { referralRoutes } from './routes/referrals.js';
import { conferenceRoutes } from './routes/conference.js';
import { endStreamsOnClose, streamEvents } from './sse.js';
import { memoryBus, type EventBus } from '../services/events.js';
import { authRoutes, SESSION_COOKIE } from './routes/auth.js';
import { mfaRoutes } from './routes/mfa.js';
import { oidcRoutes } from './routes/oidc.js';
import { planRoutes } from './routes/plans.js';
import { trialRoutes } from './routes/trials.js';
import { researchRoutes } from './routes/research.js';
import { analyticsRoutes } from './routes/analytics.js';
import { caseRoutes } from './routes/cases.js';
import { accessRoutes } from './routes/access.js';
import { metaRoutes } from './routes/meta.js';
import { patientRoutes } from './routes/patients.js';
import { fhirImportRoutes } from './routes/fhir-import.js';
import { fhirRoutes } from './routes/fhir.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs; routes without one must say `public: true`. */
    permission?: Permission;
    public?: boolean;
    /** The route also accepts a secret `token` query parameter instead of a session (it verifies the token). */
    tokenAlternative?: boolean;
    /** Reachable by a session that must still enrol a second factor (the enrolment routes). */
    allowMfaPending?: boolean;
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
  /** Origins (scheme://host[:port]) browsers use to reach the app when a proxy rewrites `Host` (CSRF check). */
  publicOrigins?: string[];
  /** Single sign-on with an OpenID Connect provider, beside local accounts (off when undefined). */
  oidc?: OidcSettings | undefined;
  /** Send the session cookie with `Secure` (behind HTTPS). */
  secureCookies?: boolean;
  /** Called with every route as it is registered (tests build the route catalog from it: test/security). */
  onRouteCollected?: (route: RouteOptions) => void;
}

export type App = FastifyInstance;

/** Browser features the app never uses are switched off for it and anything it might embed. */
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()';

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
    // A malformed or over-long path is refused by the router before any hook runs: answer in the app's error format,
    // naming the path (never echoing it), and not cached, instead of Fastify's default body.
    frameworkErrors: (err, req, reply: FastifyReply) => {
      const message = `(path): ${err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is too long' : 'the address is malformed'}`;
      void reply.code(400).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
      // FHIR clients get an OperationOutcome, everyone else the API's error body.
      if (req.url.startsWith('/fhir/')) {
        void reply.type('application/fhir+json').send({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: message, expression: ['(path)'] }] });
      } else {
        void reply.send({ error: { code: 'validation', message, field: '(path)' } });
      }
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  // FHIR clients send application/fhir+json (GET /fhir/R4/…, POST /fhir/R4 transactions): parse it as JSON, with the
  // same protections (proto poisoning) as the default parser.
  app.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"], fontSrc: ["'self'", 'data:'], objectSrc: ["'none'"],
        frameAncestors: ["'none'"], upgradeInsecureRequests: null,
        // No inline script anywhere (the built index.html loads modules only). style-src keeps 'unsafe-inline' because
        // Mantine writes its CSS variables and responsive styles in <style> elements (tried: with style-src 'self' the
        // signed-in app logs over a dozen CSP violations); a per-request nonce would need index.html rendered per request.
        baseUri: ["'self'"], formAction: ["'self'"], scriptSrcAttr: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: opts.secureCookies ? undefined : false,
  });
  await app.register(cookie);
  await app.register(multipart, { throwFileSizeLimit: true });
  // Per-address limits are counted in the database when there is one (every node shares the count).
  await app.register(rateLimit, { global: false, ...(opts.services.store ? { store: databaseRateLimitStore(opts.services.store.db) } : {}) });
  await app.register(swagger, {
    openapi: {
      info: { title: 'TumorBoard API', version: '1', description: 'Pediatric musculoskeletal tumor program platform' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });

  // Every /api route must declare a permission or be explicitly public: a forgotten declaration fails at start-up.
  app.addHook('onRoute', (route) => {
    opts.onRouteCollected?.(route);
    if (!route.url.startsWith('/api/') && !route.url.startsWith('/fhir/')) return;
    const cfg = route.config as { permission?: Permission; public?: boolean } | undefined;
    if (!cfg?.permission && !cfg?.public) throw new Error(`route ${route.method} ${route.url} declares no permission`);
  });

  // Secure defaults for every response, and CSRF protection for cookie-authenticated state changes (src/http/csrf.ts).
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('permissions-policy', PERMISSIONS_POLICY);
    const api = req.url.startsWith('/api/') || req.url.startsWith('/fhir/');
    // API answers hold patient data: no browser or proxy keeps a copy (a route may still choose its own policy).
    if (api) void reply.header('cache-control', 'no-store');
    if (!api || !UNSAFE_METHODS.has(req.method) || !req.cookies[SESSION_COOKIE]) return;
    // A FHIR client authenticated by a Bearer token is not riding on a browser's cookie.
    if (req.url.startsWith('/fhir/') && /^Bearer\s/i.test(req.headers.authorization ?? '')) return;
    assertSameOrigin(req.headers, opts.publicOrigins);
  });

  // JSON routes (those with a body schema) read JSON only: any other body type is 415, before validation.
  app.addHook('preValidation', async (req) => {
    const type = req.headers['content-type'];
    if (type === undefined || !req.routeOptions.schema?.body) return;
    const media = type.split(';')[0]!.trim().toLowerCase();
    if (media !== 'application/json' && !media.endsWith('+json')) throw unsupportedMediaType();
  });

  // Authenticate before the body is parsed or validated: without a session every API route answers 401.
  app.addHook('onRequest', async (req) => {
    const cfg = req.routeOptions.config as { permission?: Permission; public?: boolean; tokenAlternative?: boolean };
    // The FHIR API (not the /fhir/import web page): /fhir/R4, /fhir/R4/…, /fhir/R4?…
    const isFhir = /^\/fhir\/R4(?:[/?]|$)/.test(req.url);
    if ((!req.url.startsWith('/api/') && !isFhir) || cfg.public) return;
    // FHIR clients cannot hold a cookie: /fhir/ also accepts the session token as `Authorization: Bearer <token>`.
    const bearer = isFhir ? /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] : undefined;
    const token = req.cookies[SESSION_COOKIE] ?? bearer;
    // A route that also takes a secret link token (calendar feeds) checks that token itself when no session is sent.
    if (!token && cfg.tokenAlternative && typeof (req.query as { token?: unknown }).token === 'string') return;
    const actor = token ? await auth.resolve(opts.services, token, req.ip, req.id) : undefined;
    if (!actor) throw new AppError('unauthenticated', 'sign in first');
    // A role that must use a second factor and has none yet may only set one up (issue 9 §1).
    if (actor.mfaPending && !(cfg as { allowMfaPending?: boolean }).allowMfaPending) {
      throw new AppError('forbidden', 'mfa: set up two-step sign-in first (your role requires it)', { field: 'mfa' });
    }
    if (cfg.permission && !can(actor.role, cfg.permission)) {
      throw new AppError('forbidden', `your role (${actor.role}) may not ${cfg.permission}`);
    }
    req.actor = actor;
  });

  await app.register(async (api) => {
    api.get('/health', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok' }));
    api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
    await authRoutes(api, opts);
    await mfaRoutes(api, opts.services);
    await oidcRoutes(api, opts);
    await patientRoutes(api, opts.services);
    await caseRoutes(api, opts.services);
    await accessRoutes(api, opts.services);
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
    await researchRoutes(api, opts.services);
    await analyticsRoutes(api, opts.services);
    await metaRoutes(api);
  }, { prefix: '/api/v1' });
  // FHIR import (POST /fhir/R4 transaction): its own plugin, body limit and OperationOutcome error handler.
  await app.register(async (fhir) => fhirImportRoutes(fhir, opts.services), { prefix: '/fhir/R4' });
  // FHIR read API (metadata, read, search, $everything): its own plugin and OperationOutcome error handler.
  await app.register(async (fhir) => fhirRoutes(fhir, opts.services), { prefix: '/fhir/R4' });

  const webDir = opts.webDir;
  const hasWeb = webDir !== undefined && fs.existsSync(path.join(webDir, 'index.html'));
  // wildcard: files are looked up on each request, so a rebuilt web app is served without a restart.
  if (hasWeb) await app.register(fastifyStatic, { root: path.resolve(webDir), wildcard: true, index: 'index.html' });
  app.setNotFoundHandler((req, reply) => {
    // Client-side routes get the app; a missing asset or API path is a real 404.
    // (/fhir/import is a web page; the FHIR API itself lives under /fhir/R4.)
    if (hasWeb && req.method === 'GET' && !/^\/(api|fhir\/R4|assets)\//.test(req.url)) {
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
