import type { RouteOptions } from 'fastify';
import type { ZodType } from 'zod';
import type { Permission } from '../../src/domain/auth/permissions.js';
import { buildApp } from '../../src/http/app.js';
import type { Services } from '../../src/services/context.js';

/** One route of the running app, as registered (never a hand-kept list: new routes are covered automatically). */
export interface CatalogRoute {
  method: string;
  /** The full URL pattern, e.g. `/api/v1/cases/:id/plan`. */
  url: string;
  permission?: Permission;
  public: boolean;
  /** The route also accepts a secret `token` query parameter instead of a session. */
  tokenAlternative: boolean;
  /** Path parameter names in order (`:id`, `:kind.pdf` → `kind`). */
  params: string[];
  schema: { params?: ZodType; querystring?: ZodType; body?: ZodType; hide?: boolean };
  /** `METHOD url`, for test names. */
  name: string;
}

/** Path parameter names of a Fastify URL pattern (`:kind.pdf` names `kind`; `*` names `*`). */
export function paramNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)|\*/g)].map((m) => m[1] ?? '*');
}

/**
 * Every route the app registers (one entry per method; HEAD routes that Fastify adds for GET are left out), collected
 * by building the app with buildApp's `onRouteCollected` hook (on the given services, or a stand-in).
 */
export async function routeCatalog(services: Services = {} as Services): Promise<CatalogRoute[]> {
  // Registering routes touches no database: a stand-in services object is enough (handlers never run here).
  const seen: RouteOptions[] = [];
  const app = await buildApp({ services, onRouteCollected: (r) => seen.push(r) });
  await app.ready();
  await app.close();
  const out: CatalogRoute[] = [];
  const keys = new Set<string>();
  for (const r of seen) {
    const methods = (Array.isArray(r.method) ? r.method : [r.method]).map(String);
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      const key = `${method} ${r.url}`;
      if (keys.has(key)) continue;
      keys.add(key);
      const cfg = (r.config ?? {}) as { permission?: Permission; public?: boolean; tokenAlternative?: boolean };
      out.push({
        method, url: r.url, public: cfg.public === true, tokenAlternative: cfg.tokenAlternative === true,
        ...(cfg.permission ? { permission: cfg.permission } : {}),
        params: paramNames(r.url), schema: (r.schema ?? {}) as CatalogRoute['schema'], name: key,
      });
    }
  }
  return out.sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
}

/** The routes that form the API (under /api/ and the FHIR API under /fhir/R4). */
export function apiRoutes(routes: CatalogRoute[]): CatalogRoute[] {
  return routes.filter((r) => r.url.startsWith('/api/') || r.url.startsWith('/fhir/R4'));
}
