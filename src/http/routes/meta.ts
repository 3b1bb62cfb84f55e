import type { FastifyInstance } from 'fastify';
import { MORPHOLOGY } from '../../domain/coding/morphology.js';
import { SITE_CATEGORIES } from '../../domain/facts/case-facts.js';
import { CASE_STATUSES, DISCIPLINES, ROLES } from '../../domain/registry/types.js';

const vocabularies = {
  siteCategories: SITE_CATEGORIES,
  morphologies: Object.entries(MORPHOLOGY).map(([code, m]) => ({ code, term: m.term, family: m.family })),
  caseStatuses: CASE_STATUSES,
  disciplines: DISCIPLINES,
  roles: ROLES,
};

export async function metaRoutes(api: FastifyInstance): Promise<void> {
  api.get('/meta/vocabularies', { config: { permission: 'vocabulary.read' }, schema: { tags: ['meta'] } }, async () => vocabularies);
}
