import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TEMPLATE_IDS } from '../../domain/plan/templates.js';
import type { Services } from '../../services/context.js';
import { plans } from '../../services/plans.service.js';
import { letters, LETTER_KINDS } from '../../services/letters.service.js';
import { actorOf } from '../app.js';
import { requireIfMatch, sendWithEtag } from '../etag.js';
import { idParams } from './common.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-09');

/** Treatment plan routes (issue 6). `GET/PUT /cases/:id/plan` and `GET /cases/:id/plan/versions` are a public contract. */
export async function planRoutes(api: FastifyInstance, s: Services): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['plans'];

  r.get('/cases/:id/plan', { config: { permission: 'plan.read' }, schema: { tags, params: idParams, description: 'The current plan version (ETag = version)' } },
    async (req, reply) => sendWithEtag(reply, await plans.get(s, actorOf(req), req.params.id)));

  r.post('/cases/:id/plan', {
    config: { permission: 'plan.write' },
    schema: {
      tags, params: idParams, description: 'Start the plan from the proposed (or a chosen) template',
      body: z.strictObject({
        templateId: z.enum(TEMPLATE_IDS).nullable().optional(),
        bsaM2: z.number().min(0.1).max(3).optional(),
        weightKg: z.number().min(0.5).max(250).optional(),
      }),
    },
  }, async (req, reply) => sendWithEtag(reply, await plans.create(s, actorOf(req), req.params.id, req.body), 201));

  // The body is the plan document, or `{ content, note }` to describe the change; the service validates it and
  // names the field of any error (doses are checked against their allowed ranges and units).
  r.put('/cases/:id/plan', {
    config: { permission: 'plan.write' }, schema: { tags, params: idParams, body: z.record(z.string(), z.unknown()) },
  }, async (req, reply) => {
    const version = requireIfMatch(req);
    const body = req.body;
    const wrapped = 'content' in body;
    const note = wrapped && typeof body.note === 'string' ? body.note.slice(0, 500) : undefined;
    return sendWithEtag(reply, await plans.update(s, actorOf(req), req.params.id, version, wrapped ? body.content : body, note));
  });

  r.get('/cases/:id/plan/versions', { config: { permission: 'plan.read' }, schema: { tags, params: idParams } },
    async (req) => plans.versions(s, actorOf(req), req.params.id));

  r.get('/cases/:id/plan/compare', {
    config: { permission: 'plan.read' },
    schema: { tags, params: idParams, querystring: z.strictObject({ a: z.coerce.number().int().min(1), b: z.coerce.number().int().min(1) }) },
  }, async (req) => plans.compare(s, actorOf(req), req.params.id, req.query.a, req.query.b));

  r.post('/cases/:id/plan/signatures', {
    config: { permission: 'plan.sign' },
    schema: { tags, params: idParams, body: z.strictObject({ version: z.number().int().min(1), password: z.string().min(1).max(200) }) },
  }, async (req, reply) => sendWithEtag(reply, await plans.sign(s, actorOf(req), req.params.id, req.body), 201));

  r.post('/cases/:id/plan/administrations', {
    config: { permission: 'treatment.record' }, schema: { tags, params: idParams, body: z.record(z.string(), z.unknown()) },
  }, async (req, reply) => reply.status(201).send(await plans.recordAdministration(s, actorOf(req), req.params.id, req.body)));

  r.get('/cases/:id/plan/progress', { config: { permission: 'plan.read' }, schema: { tags, params: idParams } },
    async (req) => plans.progress(s, actorOf(req), req.params.id));

  r.post('/cases/:id/plan/end', {
    config: { permission: 'treatment.record' },
    schema: { tags, params: idParams, body: z.strictObject({ endedOn: isoDate, outcome: z.enum(['completed', 'stopped']).default('completed') }) },
  }, async (req, reply) => sendWithEtag(reply, await plans.complete(s, actorOf(req), req.params.id, req.body)));

  // The letters (consensus letter to the referrer, family summary, survivorship care plan) as PDF, audited exports.
  r.get('/cases/:id/documents/:kind.pdf', {
    config: { permission: 'plan.read' },
    schema: { tags, params: idParams.extend({ kind: z.enum(LETTER_KINDS) }), querystring: z.strictObject({ lang: z.enum(['en', 'es']).optional() }) },
  }, async (req, reply) => {
    const pdf = await letters.pdf(s, actorOf(req), req.params.id, req.params.kind, req.query.lang);
    return reply.header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${pdf.filename}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(pdf.bytes);
  });

  r.get('/referrals/mine/:id/letter.pdf', { config: { permission: 'referral.own' }, schema: { tags: ['referrals'], params: idParams, description: 'The consensus letter of one of your own referrals' } },
    async (req, reply) => {
      const pdf = await letters.forReferrer(s, actorOf(req), req.params.id);
      return reply.header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${pdf.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(pdf.bytes);
    });
}
