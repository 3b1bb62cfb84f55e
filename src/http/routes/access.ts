import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  accessGrants, breakGlassInputSchema, breakGlassLookupSchema, commentInputSchema, reviewInputSchema, shareInputSchema,
} from '../../services/access-grants.service.js';
import type { Services } from '../../services/context.js';
import { actorOf } from '../app.js';
import { idParams, pageQuery } from './common.js';

/**
 * Second-opinion sharing and break-the-glass (issue #9 item 2). Reads through a grant use the ordinary read routes
 * (GET /cases/:id, /patients/:id, the assessment and the plan): the services resolve the basis and audit it.
 */
export async function accessRoutes(api: FastifyInstance, s: Services): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['access'];

  r.get('/institutions', { config: { permission: 'case.share' }, schema: { tags, description: 'Institutions of the consortium (to share a case with)' } },
    async () => accessGrants.institutions(s));

  r.post('/cases/:id/shares', {
    config: { permission: 'case.share' },
    schema: { tags, params: idParams, body: shareInputSchema, description: 'Share one case with another institution for a second opinion (until: date or time, default 14 days, at most 30)' },
  }, async (req, reply) => reply.status(201).send(await accessGrants.share(s, actorOf(req), req.params.id, req.body)));

  r.get('/cases/:id/shares', { config: { permission: 'case.share' }, schema: { tags, params: idParams, description: 'Shares of a case of your institution, with the comments received' } },
    async (req) => accessGrants.sharesOfCase(s, actorOf(req), req.params.id));

  r.post('/shares/:id/revoke', { config: { permission: 'case.share' }, schema: { tags, params: idParams, description: 'End a share early' } },
    async (req) => accessGrants.revoke(s, actorOf(req), req.params.id));

  r.get('/shares/outgoing', { config: { permission: 'case.share' }, schema: { tags, description: 'Your institution\'s second-opinion requests: active shares and those ended in the last 30 days, with where each thread stands' } },
    async (req) => accessGrants.outgoing(s, actorOf(req)));

  r.get('/shares/incoming', { config: { permission: 'case.read' }, schema: { tags, description: 'Cases shared with your institution (active only)' } },
    async (req) => accessGrants.incoming(s, actorOf(req)));

  r.get('/cases/:id/second-opinion', { config: { permission: 'case.read' }, schema: { tags, params: idParams, description: 'Second-opinion comments on a case' } },
    async (req) => accessGrants.comments(s, actorOf(req), req.params.id));

  r.post('/cases/:id/second-opinion', {
    config: { permission: 'case.opinion' }, schema: { tags, params: idParams, body: commentInputSchema, description: 'A second-opinion comment on a case shared with your institution, or the owner\'s reply on one share (shareId)' },
  }, async (req, reply) => reply.status(201).send(await accessGrants.addComment(s, actorOf(req), req.params.id, req.body)));

  r.post('/patients/:id/break-glass', {
    config: { permission: 'access.breakglass' },
    schema: { tags, params: idParams, body: breakGlassInputSchema, description: 'Emergency read-only access to a patient of another institution for 4 hours (password again)' },
  }, async (req, reply) => reply.status(201).send(await accessGrants.breakGlass(s, actorOf(req), req.params.id, req.body)));

  r.post('/break-glass/lookup', {
    config: { permission: 'access.breakglass' },
    schema: { tags, body: breakGlassLookupSchema, description: 'Emergency access by institution code and MRN: creates the grant and returns the patient id' },
  }, async (req, reply) => reply.status(201).send(await accessGrants.lookup(s, actorOf(req), req.body)));

  r.get('/admin/break-glass', {
    config: { permission: 'access.review' }, schema: { tags, querystring: z.strictObject({ ...pageQuery }), description: 'Break-the-glass events on your institution\'s patients, with what was read' },
  }, async (req) => accessGrants.report(s, actorOf(req), req.query));

  r.post('/admin/break-glass/:id/review', {
    config: { permission: 'access.review' }, schema: { tags, params: idParams, body: reviewInputSchema },
  }, async (req) => accessGrants.review(s, actorOf(req), req.params.id, req.body.note));
}
