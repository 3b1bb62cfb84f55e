import { generateDemoPatients } from '../domain/demo/generate.js';
import { diagnosisTerm } from './registry.service.js';
import { inTransaction, type Tx } from '../store/db.js';
import { agendaRepo, seriesRepo } from '../store/conference.repo.js';
import { ensureOccurrences } from './conference.service.js';
import { auditRepo } from '../store/audit.repo.js';
import { patientsRepo } from '../store/patients.repo.js';
import { institutionsRepo, usersRepo } from '../store/users.repo.js';
import { hashPassword } from './auth.service.js';
import { demoPlans } from './demo-plans.js';
import { demoTrials } from './demo-trials.js';
import { demoReadiness } from './demo-readiness.js';
import { demoHistory } from './demo-history.js';
import { demoResearch } from './demo-research.js';
import { demoAccess } from './demo-access.js';
import { demoReferrals } from './demo-referrals.js';
import { isoNow, newId, type Services } from './context.js';

/** Demo accounts (demo data only): username, display name, role, discipline. Password for all: DEMO_PASSWORD. */
export const DEMO_PASSWORD = 'tumorboard-demo';
export const DEMO_USERS = [
  ['coordinator', 'Dana Whitfield (Tumor Conference Coordinator)', 'coordinator', null],
  ['oncologist', 'Dr. Priya Raman (Pediatric Oncology)', 'clinician', 'pediatric_oncology'],
  ['orthopedic', 'Dr. Marcus Lindqvist (Orthopedic Oncology)', 'clinician', 'orthopedic_oncology'],
  ['surgeon', 'Dr. Elena Vasquez (Pediatric Surgery)', 'clinician', 'pediatric_surgery'],
  ['radiation', 'Dr. Samuel Okafor (Radiation Oncology)', 'clinician', 'radiation_oncology'],
  ['medonc', 'Dr. Hannah Berg (Medical Oncology)', 'clinician', 'medical_oncology'],
  ['pathologist', 'Dr. Kenji Watanabe (Pathology)', 'clinician', 'pathology'],
  ['radiologist', 'Dr. Amira Haddad (Radiology)', 'clinician', 'radiology'],
  ['ent', 'Dr. Thomas Nguyen (Otolaryngology)', 'clinician', 'otolaryngology'],
  ['neurosurgeon', 'Dr. Fiona McAllister (Neurosurgery)', 'clinician', 'neurosurgery'],
  ['trials', 'Grace Osei (Research Coordinator)', 'trials', null],
  ['travel', 'Luis Moreno (International Patient Coordinator)', 'travel', null],
  ['referrer', 'Dr. Robert Chen (Referring Physician)', 'referrer', null],
  ['researcher', 'Dr. Ingrid Solberg (Researcher)', 'researcher', null],
  ['admin', 'Program Administrator', 'admin', null],
] as const;

export const DEMO_INSTITUTIONS = [
  { code: 'LCH', name: "Lakeshore Children's Hospital", users: DEMO_USERS, patients: 120, mrnPrefix: 'LCH' },
  // A second consortium member, to show institution isolation: its coordinator sees only its own patients.
  // Its clinician reviews a case shared for a second opinion and shows break-the-glass (src/services/demo-access.ts).
  { code: 'RCM', name: "Riverside Children's Medical Center", users: [['riverside', 'Noor Abbasi (Coordinator, Riverside)', 'coordinator', null], ['riverside-onc', 'Dr. Tomás Ibarra (Pediatric Oncology, Riverside)', 'clinician', 'pediatric_oncology']] as const, patients: 12, mrnPrefix: 'RCM' },
] as const;

export interface DemoOptions {
  seed?: number;
  /** Patients at the main institution (the second gets a tenth). */
  patients?: number;
}

/**
 * Loads the synthetic demo program into an empty database: institutions, demo accounts and generated patients
 * with tumours and cases (deterministic from the seed). Runs in one transaction: all or nothing.
 */
export async function loadDemo(s: Services, opts: DemoOptions = {}): Promise<{ patients: number; users: number; openReferrals: number }> {
  const seed = opts.seed ?? 20261127;
  const today = isoNow(s).slice(0, 10);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let patientCount = 0;
  let userCount = 0;
  let referralCount = 0;
  await inTransaction(s.store.db, async (tx) => {
    for (const [i, inst] of DEMO_INSTITUTIONS.entries()) {
      const institutionId = newId();
      const now = isoNow(s);
      await institutionsRepo.insert(tx, { id: institutionId, code: inst.code, name: inst.name, created_at: now });
      for (const [username, displayName, role, discipline] of inst.users) {
        await usersRepo.insert(tx, {
          id: newId(), institution_id: institutionId, username, display_name: displayName, role, discipline,
          password_hash: passwordHash, email: `${username}@${inst.code.toLowerCase()}.example.org`, active: 1, created_at: now,
        });
        userCount++;
      }
      const count = i === 0 ? (opts.patients ?? inst.patients) : Math.max(1, Math.round((opts.patients ?? DEMO_INSTITUTIONS[0].patients) / 10));
      const generated = generateDemoPatients({ seed: seed + i, count, today, mrnPrefix: inst.mrnPrefix });
      for (const g of generated) {
        await insertGeneratedPatient(tx, institutionId, g, now);
        patientCount++;
      }
    }
    await demoConference(s, tx, seed);
    const main = await tx.selectFrom('institutions').select('id').where('code', '=', DEMO_INSTITUTIONS[0].code).executeTakeFirstOrThrow();
    await demoPlans(s, tx, main.id);
    await demoTrials(s, tx, main.id);
    // After the trials: a ready case has a screening step logged.
    await demoReadiness(s, tx, main.id);
    await demoHistory(s, tx, main.id, seed);
    await demoResearch(s, tx, main.id);
    const partner = await tx.selectFrom('institutions').select('id').where('code', '=', DEMO_INSTITUTIONS[1].code).executeTakeFirstOrThrow();
    await demoAccess(s, tx, main.id, partner.id);
    // Last, so the open referrals' new patients and cases do not change what the parts above pick.
    referralCount = (await demoReferrals(s, tx, main.id, seed, DEMO_INSTITUTIONS[0].mrnPrefix)).referrals;
    await auditRepo.append(tx, {
      id: newId(), at: isoNow(s), userId: null, username: 'system', role: null, institutionId: null, action: 'create',
      recordType: 'demo_program', recordId: null, patientId: null, outcome: 'success', clientIp: null, requestId: null,
      detail: `seed=${seed} patients=${patientCount} users=${userCount}`,
    });
  });
  return { patients: patientCount, users: userCount, openReferrals: referralCount };
}

type Generated = ReturnType<typeof generateDemoPatients>[number];

/** Inserts one generated patient with tumours and cases, keeping the list columns filled. */
export async function insertGeneratedPatient(tx: Parameters<typeof patientsRepo.insert>[0], institutionId: string, g: Generated, now: string): Promise<string> {
  const patientId = newId();
  const diagnoses = g.tumors.map((t) => `${diagnosisTerm(t.morphology)} ${t.morphology} ${t.primarySite}`);
  await patientsRepo.insert(tx, { id: patientId, institutionId, input: g.patient, now, createdBy: null, diagnoses });
  const tumorIds: string[] = [];
  for (const t of g.tumors) {
    const id = newId();
    tumorIds.push(id);
    await tx.insertInto('tumors').values({
      id, patient_id: patientId, institution_id: institutionId, diagnosis_date: t.diagnosisDate, morphology: t.morphology,
      topography: t.topography, site_category: t.siteCategory, primary_site: t.primarySite, laterality: t.laterality ?? null,
      size_cm: t.sizeCm ?? null, details: JSON.stringify(t.details ?? {}), pathology_summary: t.pathologySummary ?? null,
      imaging_summary: t.imagingSummary ?? null, version: 1, created_at: now, updated_at: now,
    }).execute();
  }
  let lastStatus: string | null = null;
  for (const c of g.cases) {
    const id = newId();
    const first = c.timeline[0]?.at ?? now;
    const last = c.timeline[c.timeline.length - 1]?.at ?? now;
    await tx.insertInto('cases').values({
      id, institution_id: institutionId, patient_id: patientId, tumor_id: tumorIds[c.tumorIndex] ?? tumorIds[0]!,
      status: c.status, question: c.question, urgent: c.urgent ? 1 : 0, version: c.timeline.length || 1,
      created_at: first, updated_at: last,
    }).execute();
    for (const e of c.timeline) {
      await tx.insertInto('case_events').values({ id: newId(), case_id: id, status: e.status, at: e.at, by_user_id: null, note: null }).execute();
    }
    lastStatus = c.status;
  }
  const lastTumor = g.tumors[g.tumors.length - 1];
  await tx.updateTable('patients').set({
    diagnosis_summary: lastTumor ? diagnosisTerm(lastTumor.morphology) : null, case_status: lastStatus,
  }).where('id', '=', patientId).execute();
  return patientId;
}

/**
 * The main institution's weekly Tumor Conference (Thursdays 07:00 New York time), its occurrences for the coming
 * weeks, and the next meeting's agenda: cases under review, urgent ones first, with some groups' input recorded.
 */
async function demoConference(s: Services, tx: Tx, seed: number): Promise<void> {
  const inst = await tx.selectFrom('institutions').select('id').where('code', '=', DEMO_INSTITUTIONS[0].code).executeTakeFirstOrThrow();
  const today = isoNow(s).slice(0, 10);
  const startsOn = new Date(Date.parse(`${today}T00:00:00Z`) - 28 * 86_400_000).toISOString().slice(0, 10);
  const seriesId = newId();
  await seriesRepo.insert(tx, {
    id: seriesId, institutionId: inst.id, now: isoNow(s),
    settings: { name: 'Pediatric Sarcoma Tumor Conference', weekday: 'thursday', startTime: '07:00', durationMinutes: 90, timeZone: 'America/New_York', room: 'Weinberg 2, Conference Room B', videoLink: 'https://video.example.org/tumor-conference', capacity: 12, cutoffHours: 24, startsOn },
  });
  await ensureOccurrences(s, tx, (await seriesRepo.get(tx, inst.id, seriesId))!);
  const next = await tx.selectFrom('conferences').selectAll().where('series_id', '=', seriesId).where('starts_at', '>', isoNow(s))
    .orderBy('starts_at').limit(2).execute();
  // The meeting after next takes the agenda when the next one is already past its cut-off.
  const target = next.find((c) => Date.parse(c.starts_at) - 24 * 3_600_000 > s.now().getTime()) ?? next[0];
  if (!target) return;
  const cases = await tx.selectFrom('cases').select(['id', 'urgent', 'status', 'tumor_id']).where('institution_id', '=', inst.id)
    .where('status', 'in', ['under_review', 'referred']).where('tumor_id', 'is not', null).orderBy('id').limit(8).execute();
  const users = new Map((await tx.selectFrom('users').select(['id', 'username', 'discipline']).where('institution_id', '=', inst.id).execute()).map((u) => [u.username, u]));
  const now = isoNow(s);
  for (const [n, c] of cases.entries()) {
    await agendaRepo.insert(tx, {
      id: newId(), conference_id: target.id, case_id: c.id, kind: c.urgent ? 'urgent' : n % 4 === 3 ? 'post_treatment' : 'new_diagnosis', position: n + 1,
      estimated_minutes: c.urgent ? 15 : 10, presenter_id: users.get('oncologist')?.id ?? null, proposed: 0, status: 'pending', created_at: now,
    });
    // Pathology and radiology have reviewed most cases; others' input is left for the demo to show as missing.
    for (const [username, stance, text] of [['pathologist', 'recommendation', 'Outside slides reviewed; diagnosis confirmed.'], ['radiologist', 'recommendation', 'Outside MRI reviewed; measurements agree.']] as const) {
      if ((n + seed) % 3 === 0 && username === 'radiologist') continue;
      const u = users.get(username)!;
      await tx.insertInto('discipline_inputs').values({ id: newId(), case_id: c.id, conference_id: target.id, discipline: u.discipline!, author_id: u.id, stance, findings: text, recommendation: 'Proceed as planned by the treating team.', version: 1, created_at: now, updated_at: now }).execute();
    }
  }
}
