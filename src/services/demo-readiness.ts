import { assess } from '../domain/assess.js';
import { lookupMorphology } from '../domain/coding/morphology.js';
import { isBlockingMissing } from '../domain/conference/readiness.js';
import { recordItem, recordsChecklist } from '../domain/referrals/records.js';
import type { SiteCategory } from '../domain/facts/case-facts.js';
import type { Tx } from '../store/db.js';
import { CASE_FACTS_COLUMNS, caseFactsOfRow } from '../store/tumors.repo.js';
import { isoNow, newId, type Services } from './context.js';

/** How many of the next meeting's cases the demo prepares fully, so the agenda shows ready cases beside the others. */
const READY_CASES = 3;

/**
 * Demo of conference readiness at work (issue 5): the first cases of the next meeting's agenda whose facts stage
 * completely are made ready the way a coordinator would: records received and reviewed (the records checklist for
 * the tumour type), input from every group the rules engine requires (R-CONF), a question for the conference, and a
 * trial screening step logged. The rest of the agenda stays as it is, not ready, with what each case still needs.
 * Runs after the trials are loaded (a screening step names a trial).
 */
export async function demoReadiness(s: Services, tx: Tx, institutionId: string): Promise<{ ready: number }> {
  const now = isoNow(s);
  const next = await tx.selectFrom('conferences').select('id').where('institution_id', '=', institutionId).where('starts_at', '>', now)
    .where('status', '=', 'scheduled').orderBy('starts_at').execute();
  const users = await tx.selectFrom('users').select(['id', 'username', 'role', 'discipline']).where('institution_id', '=', institutionId).where('active', '=', 1).execute();
  const coordinator = users.find((u) => u.role === 'coordinator');
  const trial = await tx.selectFrom('trials').select('id').orderBy('id').executeTakeFirst();
  if (!coordinator || !trial) return { ready: 0 };
  for (const conference of next) {
    const items = await tx.selectFrom('agenda_items').innerJoin('cases', 'cases.id', 'agenda_items.case_id')
      .innerJoin('patients', 'patients.id', 'cases.patient_id').innerJoin('tumors', 'tumors.id', 'cases.tumor_id')
      .select(['agenda_items.case_id', 'cases.question', ...CASE_FACTS_COLUMNS])
      .where('agenda_items.conference_id', '=', conference.id).orderBy('agenda_items.position').execute();
    if (items.length === 0) continue;
    let ready = 0;
    for (const i of items) {
      if (ready === READY_CASES) break;
      const res = assess(caseFactsOfRow(i));
      // Only a case whose staging is complete can be ready; the others keep showing what they lack.
      if (!res.ok || res.assessment.missing.some(isBlockingMissing)) continue;
      const authors = res.assessment.conferenceDisciplines.map((d) => users.find((u) => u.discipline === d));
      if (authors.some((u) => u === undefined)) continue;
      const given = new Set((await tx.selectFrom('discipline_inputs').select('discipline').where('case_id', '=', i.case_id)
        .where('conference_id', '=', conference.id).execute()).map((r) => r.discipline));
      for (const u of authors) {
        if (!u || given.has(u.discipline!)) continue;
        await tx.insertInto('discipline_inputs').values({
          id: newId(), case_id: i.case_id, conference_id: conference.id, discipline: u.discipline!, author_id: u.id, stance: 'recommendation',
          findings: 'Reviewed before the conference.', recommendation: 'Agree with the proposed treatment template; details at the conference.',
          version: 1, created_at: now, updated_at: now,
        }).execute();
      }
      await tx.deleteFrom('case_records').where('case_id', '=', i.case_id).execute();
      for (const r of recordsChecklist(lookupMorphology(i.morphology)?.family, i.site_category as SiteCategory)) {
        await tx.insertInto('case_records').values({
          id: newId(), case_id: i.case_id, item: r.item, required: r.required ? 1 : 0,
          // Items read here (slides by our pathology, imaging by our radiology) are reviewed; the rest received.
          status: recordItem(r.item)?.reviewedBy ? 'reviewed' : 'received', note: null, updated_by: coordinator.id, version: 1, updated_at: now,
        }).execute();
      }
      if (!i.question) {
        await tx.updateTable('cases').set({ question: 'Confirm the treatment template and the timing of local control.' }).where('id', '=', i.case_id).execute();
      }
      if (!await tx.selectFrom('trial_screenings').select('id').where('case_id', '=', i.case_id).executeTakeFirst()) {
        // The trial the matcher found most likely for this case (any trial if it has no match stored).
        const matches = await tx.selectFrom('trial_matches').select(['trial_id', 'verdict']).where('case_id', '=', i.case_id).orderBy('trial_id').execute();
        const best = matches.find((m) => m.verdict === 'eligible') ?? matches.find((m) => m.verdict === 'possible') ?? matches[0];
        const screening = newId();
        await tx.insertInto('trial_screenings').values({
          id: screening, case_id: i.case_id, trial_id: best?.trial_id ?? trial.id, institution_id: institutionId, status: 'screened', reason: null,
          verdict: best?.verdict ?? null,
          version: 1, updated_by: coordinator.id, created_at: now, updated_at: now,
        }).execute();
        await tx.insertInto('trial_screening_events').values({ id: newId(), screening_id: screening, status: 'screened', reason: null, user_id: coordinator.id, at: now }).execute();
      }
      ready++;
    }
    return { ready };
  }
  return { ready: 0 };
}
