import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services/context.js';
import { assessFacts, caseAssessment } from '../../services/assessment.service.js';
import { actorOf } from '../app.js';
import { idParams } from './common.js';

export async function assessRoutes(api: FastifyInstance, s: Services): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  // The body is checked by the rules engine itself, so its errors name the field exactly as `tumorboard assess` does.
  r.post('/assess', {
    config: { permission: 'assess.run' },
    schema: { tags: ['assessment'], description: 'Assess one case-facts object (DESIGN.md §4)', body: z.record(z.string(), z.unknown()) },
  }, async (req) => ({ assessment: assessFacts(req.body) }));

  r.get('/cases/:id/assessment', {
    config: { permission: 'case.read' }, schema: { tags: ['assessment'], params: idParams },
  }, async (req) => caseAssessment(s, actorOf(req), req.params.id));
}
