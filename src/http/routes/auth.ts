import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { permissionsOf } from '../../domain/auth/permissions.js';
import { AppError } from '../../domain/errors.js';
import { auth, SESSION_ABSOLUTE_MS } from '../../services/auth.service.js';
import type { Actor } from '../../services/context.js';
import type { AppOptions } from '../app.js';

export const SESSION_COOKIE = 'tb_session';

export function publicUser(a: Actor) {
  return {
    id: a.userId, username: a.username, displayName: a.displayName, role: a.role, discipline: a.discipline,
    institution: { id: a.institutionId, name: a.institutionName },
    permissions: permissionsOf(a.role),
    // Signed in with the password only, while the role requires a second factor: the app shows the set-up page.
    mfaPending: a.mfaPending ?? false,
  };
}

export async function authRoutes(api: FastifyInstance, opts: AppOptions): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.post('/auth/login', {
    config: { public: true, rateLimit: { max: opts.loginRateLimit ?? 20, timeWindow: '1 minute' } },
    // A sign-in is a username and a password: nothing near the API default is ever needed.
    bodyLimit: 4 * 1024,
    schema: {
      tags: ['auth'],
      // otp: the authenticator code (or a recovery code), asked for when the account has a second factor.
      body: z.strictObject({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200), otp: z.string().trim().max(20).optional() }),
    },
  }, async (req, reply) => {
    const { token, actor } = await auth.login(opts.services, req.body.username, req.body.password, req.ip, req.id, req.body.otp);
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'strict', path: '/', secure: opts.secureCookies ?? false,
      maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
    });
    return { user: publicUser(actor) };
  });

  r.post('/auth/logout', { config: { public: true }, schema: { tags: ['auth'] } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const actor = await auth.resolve(opts.services, token, req.ip, req.id);
      await auth.logout(opts.services, token, actor);
    }
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  // Ends every session of the signed-in account (a lost laptop, a shared computer); the caller signs in again.
  // Any signed-in user may do it, so the route resolves the session itself rather than naming a permission.
  r.post('/auth/logout-everywhere', { config: { public: true }, schema: { tags: ['auth'] } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    const actor = token ? await auth.resolve(opts.services, token, req.ip, req.id) : undefined;
    if (!actor) throw new AppError('unauthenticated', 'sign in first');
    const ended = await auth.logoutEverywhere(opts.services, actor);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ended };
  });

  // Not signed in is an answer, not an error: `{ user: null }` (so the sign-in page loads without a failed request).
  r.get('/auth/me', { config: { public: true }, schema: { tags: ['auth'] } }, async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    const actor = token ? await auth.resolve(opts.services, token, req.ip, req.id) : undefined;
    return { user: actor ? publicUser(actor) : null };
  });
}
