import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CURATED_STATUSES, type TrialDefinition } from '../domain/trials/criteria.js';
import { parseStudies, type ImportedTrial } from '../domain/trials/ctgov.js';
import type { LocalTrialInput } from '../domain/trials/local.js';
import type { Tx } from '../store/db.js';
import { isoNow, newId, type Services } from './context.js';
import { importTrials, insertLocalTrial, parseLocal } from './trials.service.js';

/** The real ClinicalTrials.gov records shipped with the project (public registry data, see each file's `_source`). */
export const CTGOV_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/ctgov');

/** Reads the shipped study records. */
export function fixtureStudies(dir = CTGOV_FIXTURES): ImportedTrial[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .flatMap((f) => parseStudies(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), path.join('fixtures/ctgov', f)).trials);
}

/** The demo curator's work on one trial: every proposed leaf accepted; free-text items stay for clinician review. */
const DEMO_CURATED = 'NCT02567435';

/** A synthetic institutional pilot: what a research coordinator types for a trial that has no NCT number. */
const DEMO_LOCAL_TRIAL: LocalTrialInput = {
  localId: 'LCH-SARC-2026-01',
  title: 'Pilot of image-guided cryoablation for pulmonary metastases in relapsed pediatric sarcoma',
  status: 'RECRUITING', phases: ['PHASE1'], sponsor: "Lakeshore Children's Hospital", network: 'institutional',
  minimumAge: '2 Years', maximumAge: '25 Years', sex: 'ALL', conditions: ['Osteosarcoma', 'Ewing Sarcoma', 'Rhabdomyosarcoma'],
  inclusion: [
    'Histologically confirmed osteosarcoma, Ewing sarcoma or rhabdomyosarcoma',
    'Relapsed or refractory disease with 1 to 3 pulmonary metastases, each 3 cm or smaller',
    'Lansky performance status of 60 or more for patients 16 years or younger; Karnofsky 60 or more for patients older than 16 years',
    'Adequate bone marrow function, with platelets of 75,000/uL or more',
  ],
  exclusion: ['Pregnant or breastfeeding', 'Uncontrolled infection'],
  arms: [{ label: 'Cryoablation', description: 'Percutaneous image-guided cryoablation of each target lesion, then standard salvage therapy' }],
  contact: { name: 'Pediatric Sarcoma Research Office', phone: '+1 410 555 0142' },
};

/**
 * Demo trials: the shipped records imported and matched against the open cases; one trial curated; a screening log
 * for presented children (offered, enrolled, declined with a reason) so the offer figures show something.
 */
export async function demoTrials(s: Services, tx: Tx, institutionId: string): Promise<void> {
  const list = fixtureStudies();
  if (list.length === 0) return;
  // One local institutional trial entered by hand (synthetic), waiting for curation like a fresh import.
  await insertLocalTrial(s, tx, parseLocal(DEMO_LOCAL_TRIAL), institutionId);
  await importTrials(s, tx, list);
  const row = await tx.selectFrom('trials').selectAll().where('nct_id', '=', DEMO_CURATED).executeTakeFirst();
  if (row) {
    const def = JSON.parse(row.definition) as TrialDefinition;
    const curated: TrialDefinition = {
      ...def, version: row.version + 1,
      curation: { ...def.curation, state: 'in_review', note: 'Demo curation: drafted leaves accepted; free-text items wait for clinician review.' },
      scopes: def.scopes.map((sc) => ({ ...sc, criteria: sc.criteria.map((c) => (c.status === 'proposed' ? { ...c, status: 'accepted' as const } : c)) })),
    };
    const state = curated.scopes.every((sc) => sc.criteria.every((c) => CURATED_STATUSES.has(c.status))) ? 'curated' : 'draft';
    await tx.updateTable('trials').set({ definition: JSON.stringify(curated), curation: state, version: row.version + 1, updated_at: isoNow(s) }).where('id', '=', row.id).execute();
  }
  const coordinator = await tx.selectFrom('users').select('id').where('institution_id', '=', institutionId).where('username', '=', 'trials').executeTakeFirst();
  if (!coordinator) return;
  // Ordered by the trials' public numbers (not their random row ids), so every demo load logs the same offers.
  const candidates = await tx.selectFrom('trial_matches').innerJoin('cases', 'cases.id', 'trial_matches.case_id').innerJoin('trials', 'trials.id', 'trial_matches.trial_id')
    .select(['trial_matches.case_id', 'trial_matches.trial_id', 'trial_matches.verdict', 'cases.status'])
    .where('cases.institution_id', '=', institutionId).where('trial_matches.verdict', '!=', 'not_eligible')
    .where('cases.status', 'in', ['presented', 'plan_agreed', 'in_treatment'])
    .orderBy('cases.created_at').orderBy((eb) => eb.fn.coalesce('trials.nct_id', 'trials.local_id')).execute();
  const done = new Set<string>();
  const now = isoNow(s);
  let n = 0;
  for (const c of candidates) {
    if (done.has(c.case_id)) continue;
    done.add(c.case_id);
    const step = (['offered', 'enrolled', 'declined', 'enrolled', 'screened'] as const)[n++ % 5]!;
    const reason = step === 'declined' ? 'Family preferred standard therapy closer to home.' : null;
    const id = newId();
    await tx.insertInto('trial_screenings').values({ id, case_id: c.case_id, trial_id: c.trial_id, institution_id: institutionId, status: step, reason, verdict: c.verdict, version: 1, updated_by: coordinator.id, created_at: now, updated_at: now }).execute();
    const history = step === 'screened' ? ['screened'] : step === 'offered' ? ['screened', 'discussed', 'offered'] : ['screened', 'discussed', 'offered', step];
    // A step a day, ending today, so the history reads in the order it happened.
    for (const [i, st] of history.entries()) {
      const at = new Date(Date.parse(now) - (history.length - 1 - i) * 86_400_000).toISOString();
      await tx.insertInto('trial_screening_events').values({ id: newId(), screening_id: id, status: st, reason: st === 'declined' ? reason : null, user_id: coordinator.id, at }).execute();
    }
  }
}
