import type { Tx } from '../store/db.js';
import { researchRepo } from '../store/research.repo.js';
import { isoNow, newId, type Services } from './context.js';

/** The demo's one recorded data-use agreement (synthetic), so a Limited Data Set export can be shown end to end. */
export const DEMO_DUA_REFERENCE = 'DUA-2026-001';

export async function demoResearch(s: Services, tx: Tx, institutionId: string): Promise<void> {
  const admin = await tx.selectFrom('users').select('id').where('institution_id', '=', institutionId).where('role', '=', 'admin').orderBy('username').executeTakeFirst();
  if (!admin) return;
  const now = isoNow(s);
  await researchRepo.insertDua(tx, {
    id: newId(), institution_id: institutionId, reference: DEMO_DUA_REFERENCE, recipient: 'Pediatric Sarcoma Outcomes Consortium (synthetic)',
    purpose: 'Outcomes of limb-salvage surgery by age at diagnosis (demo agreement)', expires_on: `${Number(now.slice(0, 4)) + 2}-12-31`,
    recorded_by: admin.id, recorded_at: now,
  });
}
