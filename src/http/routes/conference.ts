import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agendaItemInputSchema, attendanceInputSchema, disciplineInputSchema, recommendationSchema, seriesInputSchema } from '../../domain/conference/types.js';
import type { Services } from '../../services/context.js';
import { conferences } from '../../services/conference.service.js';
import { actorOf } from '../app.js';
import { requireIfMatch, sendWithEtag } from '../etag.js';
import { IDEMPOTENCY_DOC, sendCreated } from '../idempotency.js';
import { idParams, pageQuery } from './common.js';

const itemParams = z.strictObject({ id: z.string().min(1).max(64), itemId: z.string().min(1).max(64) });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-03');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 07:30');

export async function conferenceRoutes(api: FastifyInstance, s: Services, live?: (req: unknown, reply: unknown, conferenceId: string) => Promise<void>): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.post('/conference-series', { config: { permission: 'conference.write' }, schema: { tags: ['conference'], body: seriesInputSchema, description: IDEMPOTENCY_DOC } },
    async (req, reply) => sendCreated(req, reply, (idem) => conferences.createSeries(s, actorOf(req), req.body, idem)));
  r.get('/conference-series', { config: { permission: 'conference.read' }, schema: { tags: ['conference'] } },
    async (req) => conferences.listSeries(s, actorOf(req)));
  // Signed-in users get the feed with their session; calendar apps subscribe with the secret `token` of a feed link.
  r.get('/conference-series/:id/calendar.ics', {
    config: { permission: 'conference.read', tokenAlternative: true },
    schema: { tags: ['conference'], params: idParams, querystring: z.strictObject({ token: z.string().min(20).max(100).optional() }) },
  }, async (req, reply) => {
    const ics = req.actor ? await conferences.calendar(s, req.actor, req.params.id) : await conferences.calendarByToken(s, req.params.id, req.query.token ?? '');
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(ics);
  });
  r.get('/staff', { config: { permission: 'conference.read' }, schema: { tags: ['conference'], description: 'Clinicians and coordinators of your institution (for presenter and sign-off choices)' } },
    async (req) => conferences.staff(s, actorOf(req)));
  r.post('/conference-series/:id/feed-token', { config: { permission: 'conference.read' }, schema: { tags: ['conference'], params: idParams, description: 'A new secret calendar subscription link (revokes the previous one)' } },
    async (req) => {
      const { token } = await conferences.feedToken(s, actorOf(req), req.params.id);
      return { token, path: `/api/v1/conference-series/${req.params.id}/calendar.ics?token=${token}` };
    });

  for (const kind of ['agenda', 'minutes'] as const) {
    r.get(`/conferences/:id/${kind}.pdf`, {
      config: { permission: 'conference.read' },
      schema: { tags: ['conference'], params: idParams, description: `The ${kind} as a PDF with the institution's header (audited as an export)` },
    }, async (req, reply) => {
      const pdf = await conferences.exportPdf(s, actorOf(req), req.params.id, kind);
      return reply.header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${pdf.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(pdf.bytes);
    });
  }

  r.get('/conferences', {
    config: { permission: 'conference.read' },
    schema: { tags: ['conference'], querystring: z.strictObject({ when: z.enum(['upcoming', 'past']).default('upcoming'), ...pageQuery }) },
  }, async (req) => conferences.list(s, actorOf(req), req.query.when, req.query));

  r.get('/conferences/:id', { config: { permission: 'conference.read' }, schema: { tags: ['conference'], params: idParams } },
    async (req, reply) => sendWithEtag(reply, await conferences.get(s, actorOf(req), req.params.id)));

  r.post('/conferences/:id/move', { config: { permission: 'conference.write' }, schema: { tags: ['conference'], params: idParams, body: z.strictObject({ date, time }) } },
    async (req, reply) => sendWithEtag(reply, await conferences.move(s, actorOf(req), req.params.id, requireIfMatch(req), req.body)));
  r.post('/conferences/:id/cancel', { config: { permission: 'conference.write' }, schema: { tags: ['conference'], params: idParams, body: z.strictObject({ note: z.string().trim().min(1).max(500) }) } },
    async (req, reply) => sendWithEtag(reply, await conferences.cancel(s, actorOf(req), req.params.id, requireIfMatch(req), req.body.note)));

  r.post('/conferences/:id/agenda', { config: { permission: 'conference.input' }, schema: { tags: ['conference'], params: idParams, body: agendaItemInputSchema } },
    async (req, reply) => sendWithEtag(reply, await conferences.addCase(s, actorOf(req), req.params.id, req.body), 201));
  r.delete('/conferences/:id/agenda/:itemId', { config: { permission: 'conference.write' }, schema: { tags: ['conference'], params: itemParams } },
    async (req, reply) => sendWithEtag(reply, await conferences.removeCase(s, actorOf(req), req.params.id, requireIfMatch(req), req.params.itemId)));
  r.put('/conferences/:id/agenda/order', {
    config: { permission: 'conference.write' },
    schema: { tags: ['conference'], params: idParams, body: z.strictObject({ itemIds: z.array(z.string().min(1).max(64)).max(60) }) },
  }, async (req, reply) => sendWithEtag(reply, await conferences.reorder(s, actorOf(req), req.params.id, requireIfMatch(req), req.body.itemIds)));

  r.put('/conferences/:id/cases/:caseId/input', {
    config: { permission: 'conference.input' },
    schema: { tags: ['conference'], params: z.strictObject({ id: z.string().min(1).max(64), caseId: z.string().min(1).max(64) }), body: disciplineInputSchema },
  }, async (req, reply) => sendWithEtag(reply, await conferences.saveInput(s, actorOf(req), req.params.id, req.params.caseId, req.body)));

  r.post('/conferences/:id/check-in', { config: { permission: 'conference.input' }, schema: { tags: ['conference'], params: idParams, body: attendanceInputSchema } },
    async (req, reply) => sendWithEtag(reply, await conferences.checkIn(s, actorOf(req), req.params.id, req.body.discipline, req.body.mode)));

  r.post('/conferences/:id/start', { config: { permission: 'conference.write' }, schema: { tags: ['conference'], params: idParams } },
    async (req, reply) => sendWithEtag(reply, await conferences.start(s, actorOf(req), req.params.id, requireIfMatch(req))));
  r.post('/conferences/:id/current', { config: { permission: 'conference.write' }, schema: { tags: ['conference'], params: idParams, body: z.strictObject({ itemId: z.string().min(1).max(64) }) } },
    async (req, reply) => sendWithEtag(reply, await conferences.setCurrent(s, actorOf(req), req.params.id, requireIfMatch(req), req.body.itemId)));
  r.put('/conferences/:id/agenda/:itemId/recommendation', {
    config: { permission: 'conference.write' }, schema: { tags: ['conference'], params: itemParams, body: recommendationSchema },
  }, async (req, reply) => sendWithEtag(reply, await conferences.saveRecommendation(s, actorOf(req), req.params.id, req.params.itemId, requireIfMatch(req), req.body)));
  r.post('/conferences/:id/finish', { config: { permission: 'conference.write' }, schema: { tags: ['conference'], params: idParams } },
    async (req, reply) => sendWithEtag(reply, await conferences.finish(s, actorOf(req), req.params.id, requireIfMatch(req))));

  if (live) {
    r.get('/conferences/:id/events', { config: { permission: 'conference.read' }, schema: { tags: ['conference'], params: idParams, description: 'Server-sent events of the live meeting' } },
      async (req, reply) => {
        await conferences.get(s, actorOf(req), req.params.id); // 404 for another institution's meeting, and audited
        await live(req, reply, req.params.id);
      });
  }
}
