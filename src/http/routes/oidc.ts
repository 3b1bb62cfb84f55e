import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { SESSION_ABSOLUTE_MS } from '../../services/auth.service.js';
import { sso } from '../../services/oidc.service.js';
import type { AppOptions } from '../app.js';
import { SESSION_COOKIE } from './auth.js';

/**
 * Single sign-on (issue 9 §1). Browser navigations, not API calls: `start` redirects to the provider, the provider
 * redirects back to `callback`, which sets the session cookie and goes to the app, or back to the sign-in page with
 * the reason. Public routes: they are how a session is made.
 */
export async function oidcRoutes(api: FastifyInstance, opts: AppOptions): Promise<void> {
  const settings = opts.oidc;
  api.get('/auth/providers', { config: { public: true }, schema: { tags: ['auth'] } }, async () => ({ sso: settings ? { name: settings.name, start: '/api/v1/auth/oidc/start' } : null }));
  api.get('/auth/oidc/start', { config: { public: true }, schema: { tags: ['auth'], hide: true } }, async (_req, reply) => {
    if (!settings) throw new AppError('not_found', 'single sign-on is not set up on this server (OIDC_ISSUER)');
    return reply.redirect(await sso.start(opts.services, settings));
  });
  if (!settings) return;

  api.get('/auth/oidc/callback', { config: { public: true }, schema: { tags: ['auth'], hide: true } }, async (req, reply) => {
    // The URL the provider redirected to, as registered (the library checks its parameters against it).
    const current = new URL(settings.redirectUri);
    current.search = new URL(req.url, 'http://x').search;
    try {
      const { token } = await sso.callback(opts.services, settings, current, { clientIp: req.ip, requestId: req.id });
      void reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: opts.secureCookies ?? false, maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000) });
      return reply.redirect('/');
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return reply.redirect(`/?sso_error=${encodeURIComponent(err.message)}`);
    }
  });
}
