import { z } from 'zod';
import { AppError } from '../errors.js';
import { NETWORKS, parseAgeLimit, sha256Hex, type AgeLimit, type ImportedTrial } from './ctgov.js';

/**
 * Local institutional trials entered by hand (issue 7 §1): a research coordinator types what ClinicalTrials.gov would
 * hold. The entry becomes the same `ImportedTrial` an import produces, so segmentation, draft extraction, curation,
 * matching and the screening log treat both alike; only its id (the institution's protocol number) and source differ.
 */

/**
 * An institution's protocol number: letters, digits and dashes, starting with a letter. An NCT number is refused
 * here: a registered trial is imported from ClinicalTrials.gov, so its record can be refreshed and its changes noticed.
 */
export const LOCAL_TRIAL_ID = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$/;

/** Overall statuses a local trial can have (ClinicalTrials.gov's vocabulary, so filters and labels are shared). */
export const LOCAL_TRIAL_STATUSES = ['NOT_YET_RECRUITING', 'RECRUITING', 'ACTIVE_NOT_RECRUITING', 'ENROLLING_BY_INVITATION', 'SUSPENDED', 'CLOSED', 'COMPLETED', 'WITHDRAWN'] as const;
export const LOCAL_TRIAL_PHASES = ['EARLY_PHASE1', 'PHASE1', 'PHASE2', 'PHASE3', 'PHASE4', 'NA'] as const;

const ageText = z.string().trim().max(40);
const criteriaList = z.array(z.string().trim().min(1, 'an empty criterion').max(4000)).max(200);

/** What the form sends. Field errors carry the path (`inclusion.3`, `minimumAge`). */
export const localTrialInput = z.strictObject({
  localId: z.string().trim().toUpperCase().max(40).regex(LOCAL_TRIAL_ID, 'a protocol number like "JHU-SARC-2026-01" (letters, digits and dashes, starting with a letter)')
    .refine((v) => !/^NCT\d{8}$/.test(v), 'an NCT number: import registered trials from ClinicalTrials.gov instead'),
  title: z.string().trim().min(3).max(300),
  network: z.enum(NETWORKS).default('institutional'),
  phases: z.array(z.enum(LOCAL_TRIAL_PHASES)).max(3).default([]),
  status: z.enum(LOCAL_TRIAL_STATUSES),
  sponsor: z.string().trim().min(2).max(200),
  minimumAge: ageText.optional(),
  maximumAge: ageText.optional(),
  sex: z.enum(['ALL', 'FEMALE', 'MALE']).default('ALL'),
  conditions: z.array(z.string().trim().min(1).max(200)).max(30).default([]),
  inclusion: criteriaList.min(1, 'at least one inclusion criterion'),
  exclusion: criteriaList.default([]),
  arms: z.array(z.strictObject({ label: z.string().trim().min(1).max(200), description: z.string().trim().max(2000).optional() })).max(20).default([]),
  contact: z.strictObject({
    name: z.string().trim().max(200).optional(),
    phone: z.string().trim().max(60).optional(),
    email: z.string().trim().max(200).optional(),
  }).optional(),
});
export type LocalTrialInput = z.input<typeof localTrialInput>;
export type LocalTrial = z.output<typeof localTrialInput>;

/**
 * The eligibility text as a registry record writes it ("Inclusion Criteria:" then bullet items), so the criteria
 * segmenter and draft extraction read a hand-entered trial exactly as an imported one.
 */
export function localCriteriaText(t: Pick<LocalTrial, 'inclusion' | 'exclusion'>): string {
  const block = (header: string, items: readonly string[]) => `${header}:\n\n${items.map((i) => `* ${i.replace(/\s*\n\s*/g, ' ')}`).join('\n')}`;
  return [block('Inclusion Criteria', t.inclusion), ...(t.exclusion.length ? [block('Exclusion Criteria', t.exclusion)] : [])].join('\n\n');
}

function age(value: string | undefined, field: 'minimumAge' | 'maximumAge'): AgeLimit | null {
  if (value === undefined || value === '') return null;
  const limit = parseAgeLimit(value);
  if (!limit) throw new AppError('validation', `${field}: "${value.slice(0, 40)}" is not an age like "12 Months" or "30 Years"`, { field });
  return limit;
}

/**
 * The registry record of a hand-entered trial (issue 7 §1). `lastUpdatePostDate` is the day of the entry or edit: with
 * the criteria text's SHA-256 it tells whether a curation was made against this text (the stale check of E.7 step 5).
 * Throws a validation error naming the field when an age cannot be read or the age range is inverted.
 */
export function localTrialRecord(t: LocalTrial, today: string): ImportedTrial {
  const minimumAge = age(t.minimumAge, 'minimumAge');
  const maximumAge = age(t.maximumAge, 'maximumAge');
  if (minimumAge && maximumAge && minimumAge.days > maximumAge.days) {
    throw new AppError('validation', `maximumAge: ${maximumAge.text} is below the minimum age ${minimumAge.text}`, { field: 'maximumAge' });
  }
  const criteriaText = localCriteriaText(t);
  const contact = t.contact && (t.contact.name || t.contact.phone || t.contact.email)
    ? [{ name: t.contact.name || null, role: 'CONTACT', phone: t.contact.phone || null, email: t.contact.email || null }] : [];
  return {
    nctId: t.localId, source: 'local', origin: ['entered by hand'], briefTitle: t.title, officialTitle: null, acronym: null,
    orgStudyId: t.localId, secondaryIds: [], overallStatus: t.status, lastUpdatePostDate: today, studyType: 'INTERVENTIONAL',
    phases: t.phases, conditions: t.conditions, keywords: [], leadSponsor: { name: t.sponsor, class: null }, collaborators: [],
    network: t.network, networkReason: 'entered by hand as a local trial',
    eligibility: {
      minimumAge, maximumAge, minimumAgeText: minimumAge?.text ?? null, maximumAgeText: maximumAge?.text ?? null,
      sex: t.sex, stdAges: [], healthyVolunteers: false, criteriaText,
    },
    criteriaSha256: sha256Hex(criteriaText),
    arms: t.arms.map((a) => ({ label: a.label, type: null, description: a.description || null, interventions: [] })),
    interventions: [], sites: [], centralContacts: contact, missing: [],
  };
}
