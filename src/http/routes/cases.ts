import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_STATUSES } from '../../domain/registry/types.js';
import type { Services } from '../../services/context.js';
import { registry } from '../../services/registry.service.js';
import { actorOf } from '../app.js';
import { requireIfMatch, sendWithEtag } from '../etag.js';
import { idParams, pageQuery } from './common.js';

export async function caseRoutes(api: FastifyInstance, s: Services): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/cases', {
    config: { permission: 'case.read' },
    schema: {
      tags: ['cases'],
      querystring: z.strictObject({ status: z.enum(CASE_STATUSES).optional(), q: z.string().max(200).optional(), ...pageQuery }),
    },
  }, async (req) => registry.listCases(s, actorOf(req), req.query));

  r.get('/cases/:id', {
    config: { permission: 'case.read' }, schema: { tags: ['cases'], params: idParams },
  }, async (req, reply) => sendWithEtag(reply, await registry.getCase(s, actorOf(req), req.params.id)));

  r.post('/cases/:id/status', {
    config: { permission: 'case.write' },
    schema: {
      tags: ['cases'], params: idParams,
      body: z.strictObject({ status: z.enum(CASE_STATUSES), note: z.string().trim().max(2000).optional() }),
    },
  }, async (req, reply) => {
    const version = requireIfMatch(req);
    return sendWithEtag(reply, await registry.changeCaseStatus(s, actorOf(req), req.params.id, version, req.body.status, req.body.note));
  });

  r.post('/cases/:id/tumor', {
    config: { permission: 'case.write' },
    schema: { tags: ['cases'], params: idParams, body: z.strictObject({ tumorId: z.string().min(1).max(64) }) },
  }, async (req, reply) => sendWithEtag(reply, await registry.setCaseTumor(s, actorOf(req), req.params.id, requireIfMatch(req), req.body.tumorId)));
}
