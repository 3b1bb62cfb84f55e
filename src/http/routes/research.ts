import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { cohortFiltersSchema } from '../../domain/deid/cohort.js';
import type { Services } from '../../services/context.js';
import { duaInputSchema, exportRequestSchema, research } from '../../services/research.service.js';
import { actorOf } from '../app.js';

/**
 * Research (issue 8 item 5): cohort counts with small-cell suppression, de-identified exports (Safe Harbor, Limited
 * Data Set under a DUA, date-shifted pseudonymized) as a file download, and data-use agreements.
 */
export async function researchRoutes(api: FastifyInstance, s: Services): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['research'];

  r.post('/research/cohort', {
    config: { permission: 'research.cohort' },
    schema: { tags, body: cohortFiltersSchema, description: 'Cohort counts and breakdowns; counts from 1 to 10 are suppressed ("<11"), as are cells 1 to 10 away from an earlier count of the same researcher (`overlapSuppressed`); 409 when the total itself is 1 to 10 away from one' },
  }, async (req) => research.count(s, actorOf(req), req.body));

  r.post('/research/export', {
    config: { permission: 'research.export' },
    schema: { tags, body: exportRequestSchema, description: 'De-identified export (CSV or NDJSON download); needs the password again; limited needs duaId' },
  }, async (req, reply) => {
    const file = await research.export(s, actorOf(req), req.body);
    return reply.header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('cache-control', 'no-store')
      .header('x-export-mode', file.mode)
      .header('x-safe-harbor', file.safeHarbor ? 'yes' : 'no')
      .header('x-export-rows', String(file.rows))
      .header('x-export-sha256', file.sha256)
      .send(file.body);
  });

  r.get('/research/exports', { config: { permission: 'research.export' }, schema: { tags } }, async (req) => research.exports(s, actorOf(req)));

  r.get('/research/dua', { config: { permission: 'research.dua.read' }, schema: { tags } }, async (req) => research.duas(s, actorOf(req)));

  r.post('/research/dua', {
    config: { permission: 'research.dua' }, schema: { tags, body: duaInputSchema },
  }, async (req, reply) => reply.code(201).send(await research.recordDua(s, actorOf(req), req.body)));
}
