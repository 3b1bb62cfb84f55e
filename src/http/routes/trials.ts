import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services/context.js';
import { localTrialInput } from '../../domain/trials/local.js';
import { SCREENING_STATUSES, trials } from '../../services/trials.service.js';
import { actorOf } from '../app.js';
import { requireIfMatch, sendWithEtag } from '../etag.js';
import { idParams, pageQuery } from './common.js';

/** Trial registry, curation, matching and the screening log (issue 7). `GET /cases/:id/trial-matches` is a contract. */
export async function trialRoutes(api: FastifyInstance, s: Services): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const tags = ['trials'];

  r.get('/trials', {
    config: { permission: 'trial.read' },
    schema: {
      tags, querystring: z.strictObject({
        q: z.string().max(200).optional(), network: z.enum(['COG', 'SARC', 'POETIC', 'industry', 'institutional', 'other']).optional(),
        status: z.string().max(40).optional(), curation: z.enum(['draft', 'curated', 'stale']).optional(), ...pageQuery,
      }),
    },
  }, async (req) => trials.list(s, actorOf(req), { ...req.query, limit: req.query.limit ?? 50, offset: req.query.offset ?? 0 }));

  r.get('/trials/metrics', { config: { permission: 'trial.read' }, schema: { tags } }, async (req) => trials.metrics(s, actorOf(req)));

  r.get('/trials/:id', { config: { permission: 'trial.read' }, schema: { tags, params: idParams } },
    async (req, reply) => sendWithEtag(reply, await trials.get(s, actorOf(req), req.params.id)));

  // ClinicalTrials.gov API v2 study JSON: one study, `{ studies: […] }` or an array; each bad record is reported.
  r.post('/trials/import', {
    config: { permission: 'trial.curate' }, bodyLimit: 20 * 1024 * 1024,
    schema: { tags, body: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]), description: 'Import ClinicalTrials.gov v2 study JSON' },
  }, async (req) => trials.importStudies(s, actorOf(req), [{ source: 'upload', json: req.body }]));

  // A local institutional trial entered by hand; its criteria are drafted for curation like an import's.
  r.post('/trials', {
    config: { permission: 'trial.curate' }, schema: { tags, body: localTrialInput, description: 'Enter a local institutional trial by hand' },
  }, async (req, reply) => sendWithEtag(reply, await trials.createLocal(s, actorOf(req), req.body), 201));

  r.put('/trials/:id/registry', {
    config: { permission: 'trial.curate' }, schema: { tags, params: idParams, body: localTrialInput, description: "Edit a local trial's registry entry" },
  }, async (req, reply) => sendWithEtag(reply, await trials.updateLocal(s, actorOf(req), req.params.id, requireIfMatch(req), req.body)));

  r.put('/trials/:id/definition', {
    config: { permission: 'trial.curate' }, schema: { tags, params: idParams, body: z.record(z.string(), z.unknown()) },
  }, async (req, reply) => sendWithEtag(reply, await trials.saveDefinition(s, actorOf(req), req.params.id, requireIfMatch(req), req.body)));

  r.get('/cases/:id/trial-matches', { config: { permission: 'trial.read' }, schema: { tags, params: idParams } },
    async (req) => trials.forCase(s, actorOf(req), req.params.id));

  r.put('/cases/:id/trial-screenings/:trialId', {
    config: { permission: 'trial.screen' },
    schema: {
      tags, params: idParams.extend({ trialId: z.string().min(1).max(64) }),
      body: z.strictObject({ status: z.enum(SCREENING_STATUSES), reason: z.string().trim().max(1000).optional() }),
    },
  }, async (req) => trials.screen(s, actorOf(req), req.params.id, req.params.trialId, req.body));
}
