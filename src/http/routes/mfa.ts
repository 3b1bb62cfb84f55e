import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services/context.js';
import { mfa } from '../../services/mfa.service.js';
import { actorOf } from '../app.js';
import { idParams } from './common.js';

/** Two-step sign-in (issue 9 §1): one's own authenticator set-up, recovery codes, and an administrator's reset. */
export async function mfaRoutes(api: FastifyInstance, s: Services): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];
  // Reachable while a required second factor is still missing: these routes are how it gets set up.
  const own = { permission: 'account.self' as const, allowMfaPending: true };
  const password = z.strictObject({ password: z.string().min(1).max(200) });

  r.get('/auth/mfa', { config: own, schema: { tags } }, async (req) => mfa.status(s, actorOf(req)));
  r.post('/auth/mfa/enrolment', { config: own, schema: { tags, description: 'Start set-up: a new secret and its QR code' } },
    async (req) => mfa.begin(s, actorOf(req)));
  r.post('/auth/mfa/confirm', {
    config: own, schema: { tags, body: z.strictObject({ code: z.string().trim().min(1).max(20) }), description: 'Confirm set-up with a first code; answers the recovery codes once' },
  }, async (req) => mfa.confirm(s, actorOf(req), req.body.code));
  r.post('/auth/mfa/recovery-codes', { config: own, schema: { tags, body: password } },
    async (req) => mfa.regenerateRecoveryCodes(s, actorOf(req), req.body.password));
  r.post('/auth/mfa/disable', { config: own, schema: { tags, body: password } },
    async (req) => mfa.disable(s, actorOf(req), req.body.password));
  r.post('/admin/users/:id/mfa-reset', { config: { permission: 'user.admin' }, schema: { tags: ['admin'], params: idParams } },
    async (req) => mfa.reset(s, actorOf(req), req.params.id));
}
