import type { CodeableConcept, Coding, Condition, Extension, Observation, Patient as FhirPatient, Procedure } from '@medplum/fhirtypes';
import { SITE_CATEGORIES, type SiteCategory } from '../facts/case-facts.js';
import { S } from '../demo/sites.js';
import type { Guardian } from '../registry/types.js';
import {
  DISEASE_STATUS, EXTENSIONS, IDENTIFIER_SYSTEMS, LANSKY_VALUES, LATERALITY, METASTATIC_SITES, OBSERVATION_CODES,
  PROCEDURE_CODES, PROFILES, SYSTEMS, VARIANT_COMPONENTS, type CodeDef,
} from './profiles.js';

/**
 * Per-resource mapping helpers of FHIR import (issue #8 item 3): FHIR element → TumorBoard field, each returning
 * either a value or a reason it cannot be mapped. Pure; the orchestration is in import.ts.
 */

export type Mapped<T> = { ok: true; value: T; note?: string } | { ok: false; path: string; reason: string };
const ok = <T>(value: T, note?: string): Mapped<T> => (note === undefined ? { ok: true, value } : { ok: true, value, note });
const no = (path: string, reason: string): Mapped<never> => ({ ok: false, path, reason });

export const codings = (cc: CodeableConcept | undefined): Coding[] => cc?.coding ?? [];
export const hasCode = (cc: CodeableConcept | undefined, def: Pick<CodeDef, 'system' | 'code'>): boolean =>
  codings(cc).some((c) => c.system === def.system && c.code === def.code);
export const hasProfile = (r: { meta?: { profile?: string[] } }, url: string): boolean => (r.meta?.profile ?? []).includes(url);
export const ext = (exts: Extension[] | undefined, url: string): Extension | undefined => exts?.find((e) => e.url === url);

/** A FHIR date or dateTime → `YYYY-MM-DD` (the calendar date as written, no time-zone shift). */
export function datePart(v: string | undefined): string | undefined {
  const m = v === undefined ? null : /^(\d{4}-\d{2}-\d{2})/.exec(v);
  return m ? m[1] : undefined;
}

// ---- Patient ----

/** The MRN of a Patient: this institution's MRN system first, then any identifier typed MR, then another TumorBoard institution's MRN. */
export function patientMrn(p: FhirPatient, path: string, institutionCode: string): Mapped<{ mrn: string; system: string | undefined }> {
  const ids = p.identifier ?? [];
  const own = IDENTIFIER_SYSTEMS.mrn(institutionCode);
  const pick = ids.find((i) => i.system === own)
    ?? ids.find((i) => codings(i.type).some((c) => c.code === 'MR'))
    ?? ids.find((i) => i.system !== undefined && IDENTIFIER_SYSTEMS.mrnPattern.test(i.system));
  if (!pick?.value) return no(`${path}.identifier`, 'no medical record number (an identifier with the MRN system or type MR): patients are matched by MRN');
  const mrn = pick.value.trim();
  if (!/^[A-Za-z0-9-]{3,32}$/.test(mrn)) return no(`${path}.identifier[${ids.indexOf(pick)}].value`, 'MRN must be 3-32 letters, digits or dashes');
  return ok({ mrn, system: pick.system });
}

const LANGUAGES: Readonly<Record<string, string>> = {
  en: 'English', es: 'Spanish', fr: 'French', pt: 'Portuguese', ar: 'Arabic', zh: 'Chinese', vi: 'Vietnamese', ru: 'Russian',
  de: 'German', it: 'Italian', hi: 'Hindi', ko: 'Korean', ja: 'Japanese', tl: 'Tagalog', ht: 'Haitian Creole', so: 'Somali',
};

export function conceptText(cc: CodeableConcept | undefined): string | undefined {
  if (!cc) return undefined;
  if (cc.text?.trim()) return cc.text.trim();
  const c = cc.coding?.find((x) => x.display?.trim()) ?? cc.coding?.[0];
  if (!c) return undefined;
  if (c.display?.trim()) return c.display.trim();
  const code = c.code?.split('-')[0]?.toLowerCase();
  return code ? LANGUAGES[code] ?? c.code : undefined;
}

const RELATIONSHIPS: Readonly<Record<string, Guardian['relationship']>> = {
  MTH: 'mother', NMTH: 'mother', STPMTH: 'mother', FTH: 'father', NFTH: 'father', STPFTH: 'father',
  GRMTH: 'grandparent', GRFTH: 'grandparent', GRPRN: 'grandparent', GUARD: 'guardian', GUADLTM: 'guardian', N: 'guardian',
  PRN: 'guardian', mother: 'mother', father: 'father', guardian: 'guardian', grandparent: 'grandparent', other: 'other',
};

export function guardianFrom(c: NonNullable<FhirPatient['contact']>[number]): Guardian | undefined {
  const name = c.name?.text?.trim() || [c.name?.given?.join(' '), c.name?.family].filter(Boolean).join(' ').trim();
  if (!name) return undefined;
  const rel = (c.relationship ?? []).flatMap((r) => [...codings(r).map((x) => x.code ?? ''), r.text ?? ''])
    .map((code) => RELATIONSHIPS[code] ?? RELATIONSHIPS[code.toLowerCase()]).find(Boolean) ?? 'other';
  const phone = c.telecom?.find((t) => t.system === 'phone' && t.value)?.value?.trim();
  const email = c.telecom?.find((t) => t.system === 'email' && t.value)?.value?.trim();
  const language = (c.extension ?? []).find((e) => /language/i.test(e.url))?.valueCode
    ?? conceptText((c.extension ?? []).find((e) => /language/i.test(e.url))?.valueCodeableConcept);
  return {
    name, relationship: rel,
    ...(phone && /^\+?[0-9 ()\-.]{5,30}$/.test(phone) ? { phone } : {}),
    ...(email && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? { email } : {}),
    ...(language ? { language: LANGUAGES[language] ?? language } : {}),
  };
}

// ---- Condition (tumour) ----

const MORPHOLOGY_RE = /^\d{4}\/\d$/;
const TOPOGRAPHY_RE = /^C\d{2}(\.\d)?$/;

/** ICD-O-3 morphology from the mCODE histology extension (or an ICD-O-3 morphology as Condition.code). */
export function conditionMorphology(c: Condition, path: string): Mapped<string> {
  const e = ext(c.extension, EXTENSIONS.histologyMorphologyBehavior);
  const fromExt = codings(e?.valueCodeableConcept).find((x) => x.system === SYSTEMS.icdO3 && x.code && MORPHOLOGY_RE.test(x.code));
  if (fromExt?.code) return ok(fromExt.code);
  const fromCode = codings(c.code).find((x) => x.system === SYSTEMS.icdO3 && x.code && MORPHOLOGY_RE.test(x.code));
  if (fromCode?.code) return ok(fromCode.code);
  if (e) return no(`${path}.extension('${EXTENSIONS.histologyMorphologyBehavior}')`, 'the histology has no ICD-O-3 morphology code (like 9180/3): TumorBoard records tumours by ICD-O-3');
  return no(`${path}.extension`, 'no ICD-O-3 morphology (mCODE histology-morphology-behavior extension): a tumour needs one');
}

/** ICD-O-3 topography from bodySite, or derived from an ICD-10-CM C code (C40.21 → C40.2). */
export function conditionTopography(c: Condition, path: string): Mapped<string> {
  for (const b of c.bodySite ?? []) {
    const t = codings(b).find((x) => x.system === SYSTEMS.icdO3 && x.code && TOPOGRAPHY_RE.test(x.code));
    if (t?.code) return ok(t.code);
  }
  const icd10 = codings(c.code).find((x) => x.system === SYSTEMS.icd10cm && x.code && /^C\d{2}(\.\d)?/.test(x.code));
  if (icd10?.code) {
    const t = /^(C\d{2}(?:\.\d)?)/.exec(icd10.code)![1]!;
    return ok(t, `topography ${t} taken from ICD-10-CM ${icd10.code}`);
  }
  return no(`${path}.bodySite`, 'no ICD-O-3 topography (a bodySite coding like C40.2) and no ICD-10-CM C code to derive it from');
}

type Laterality = 'left' | 'right' | 'bilateral' | 'midline' | 'not_applicable';

/** Laterality from the mCODE laterality qualifier on the body site (SNOMED CT). */
export function conditionLaterality(c: Condition): Laterality | undefined {
  for (const b of c.bodySite ?? []) {
    const q = ext(b.extension, EXTENSIONS.lateralityQualifier)?.valueCodeableConcept;
    for (const [key, def] of Object.entries(LATERALITY)) if (hasCode(q, def)) return key as Laterality;
  }
  return undefined;
}

/** Site category: an explicit TumorBoard coding if present, else inferred from topography and the site's wording. */
export function siteCategory(c: Condition, topography: string, primarySite: string): Mapped<SiteCategory> {
  const own = ext(c.extension, EXTENSIONS.siteCategory)?.valueCode;
  if (own && (SITE_CATEGORIES as readonly string[]).includes(own)) return ok(own as SiteCategory);
  for (const b of c.bodySite ?? []) {
    const explicit = codings(b).find((x) => x.system === SITE_CATEGORY_SYSTEM && (SITE_CATEGORIES as readonly string[]).includes(x.code ?? ''));
    if (explicit?.code) return ok(explicit.code as SiteCategory);
  }
  const text = primarySite.toLowerCase();
  const sites = Object.values(S).filter((d) => d.topography === topography);
  const byName = sites.find((d) => d.names.some((n) => text.includes(n.toLowerCase())));
  if (byName) return ok(byName.category, `site category ${byName.category} inferred from topography ${topography} and "${primarySite}"`);
  const counts = new Map<SiteCategory, number>();
  for (const d of sites) counts.set(d.category, (counts.get(d.category) ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? TOPOGRAPHY_PREFIX_CATEGORY.find(([p]) => topography.startsWith(p))?.[1];
  if (best) return ok(best, `site category ${best} inferred from topography ${topography}: check it`);
  return ok('other', `no site category is known for topography ${topography}: recorded as "other", check it`);
}

/** TumorBoard site categories (R-DISC) as a code system, recognised on Condition.bodySite when present. */
export const SITE_CATEGORY_SYSTEM = 'urn:tumorboard:codesystem:site-category';

const TOPOGRAPHY_PREFIX_CATEGORY: ReadonlyArray<readonly [string, SiteCategory]> = [
  ['C40', 'bone_extremity'], ['C41.4', 'bone_pelvis'], ['C41.2', 'bone_spine'], ['C41.3', 'bone_chest_wall'],
  ['C41.0', 'bone_skull_face'], ['C41.1', 'bone_skull_face'], ['C49.1', 'soft_tissue_extremity'], ['C49.2', 'soft_tissue_extremity'],
  ['C47.1', 'soft_tissue_extremity'], ['C47.2', 'soft_tissue_extremity'], ['C49', 'soft_tissue_trunk'], ['C47', 'soft_tissue_trunk'],
  ['C48', 'retroperitoneum_abdomen'], ['C69', 'hn_orbit'], ['C63', 'gu_paratesticular'], ['C67', 'gu_bladder_prostate'],
  ['C61', 'gu_bladder_prostate'], ['C5', 'gu_gynecologic'], ['C24', 'biliary'],
];

export function isSecondaryCondition(c: Condition): boolean {
  return hasProfile(c, PROFILES.secondaryCancerCondition) || codings(c.code).some((x) => x.system === SYSTEMS.snomed && x.code === '128462008');
}

export function isPrimaryCondition(c: Condition): boolean {
  if (isSecondaryCondition(c)) return false;
  return hasProfile(c, PROFILES.primaryCancerCondition) || ext(c.extension, EXTENSIONS.histologyMorphologyBehavior) !== undefined
    || codings(c.code).some((x) => (x.system === SYSTEMS.icdO3 && MORPHOLOGY_RE.test(x.code ?? '')) || (x.system === SYSTEMS.icd10cm && /^[CD]\d/.test(x.code ?? '')));
}

export type MetastaticSite = keyof typeof METASTATIC_SITES;

export function metastaticSite(c: Condition, path: string): Mapped<MetastaticSite> {
  for (const b of c.bodySite ?? []) {
    for (const [key, def] of Object.entries(METASTATIC_SITES)) if (hasCode(b, def)) return ok(key as MetastaticSite);
    const tb = codings(b).find((x) => x.system === SYSTEMS.tbMetastaticSite && x.code && x.code in METASTATIC_SITES);
    if (tb?.code) return ok(tb.code as MetastaticSite);
  }
  if ((c.bodySite ?? []).length > 0) return ok('other', 'metastatic body site not among the case-facts sites: recorded as "other"');
  return no(`${path}.bodySite`, 'a metastasis without a body site cannot be placed');
}

/** The primary condition a secondary one relates to (mCODE related-condition extension). */
export function relatedConditionRef(c: Condition): string | undefined {
  return ext(c.extension, EXTENSIONS.relatedCondition)?.valueReference?.reference;
}

// ---- Observations ----

export type ObservationKind =
  | 'tumorSize' | 'grade' | 'performance' | 'variant' | 'diseaseStatus' | 'regionalNodes' | 'derivedStage';

export function observationKind(o: Observation): ObservationKind | undefined {
  const is = (def: CodeDef, profile?: string) => hasCode(o.code, def) || (profile !== undefined && hasProfile(o, profile));
  if (is(OBSERVATION_CODES.tumorSize, PROFILES.tumorSize)) return 'tumorSize';
  if (hasProfile(o, PROFILES.tnmRegionalNodesCategory) || hasCode(o.code, OBSERVATION_CODES.tnmRegionalNodes)) return 'regionalNodes';
  if (is(OBSERVATION_CODES.histologicGrade, PROFILES.histologicGrade)) return 'grade';
  if (is(OBSERVATION_CODES.lansky, PROFILES.lanskyPlayPerformanceStatus) || is(OBSERVATION_CODES.karnofsky, PROFILES.karnofskyPerformanceStatus)
    || is(OBSERVATION_CODES.ecog, PROFILES.ecogPerformanceStatus)) return 'performance';
  if (is(OBSERVATION_CODES.genomicVariant, PROFILES.genomicVariant)) return 'variant';
  if (is(OBSERVATION_CODES.cancerDiseaseStatus, PROFILES.cancerDiseaseStatus)) return 'diseaseStatus';
  if ([PROFILES.tnmStageGroup, PROFILES.tnmPrimaryTumorCategory, PROFILES.tnmDistantMetastasesCategory, PROFILES.cancerStage,
    PROFILES.rhabdomyosarcomaClinicalGroupStage, PROFILES.rhabdomyosarcomaRiskAssessment].some((p) => hasProfile(o, p))
    || [OBSERVATION_CODES.tnmStageGroup, OBSERVATION_CODES.tnmPrimaryTumor, OBSERVATION_CODES.tnmDistantMetastases,
      OBSERVATION_CODES.rmsClinicalGroup, OBSERVATION_CODES.rmsRiskAssessment].some((d) => hasCode(o.code, d))) return 'derivedStage';
  return undefined;
}

const quantityCm = (q: { value?: number; unit?: string; code?: string } | undefined): number | undefined => {
  if (q?.value === undefined || !Number.isFinite(q.value)) return undefined;
  const unit = q.code ?? q.unit ?? 'cm';
  if (unit === 'cm') return q.value;
  if (unit === 'mm') return Math.round(q.value) / 10;
  return undefined;
};

/** Longest dimension (component 33728-7) in cm; mm converted. */
export function tumorSizeCm(o: Observation, path: string): Mapped<number> {
  const i = (o.component ?? []).findIndex((c) => hasCode(c.code, OBSERVATION_CODES.tumorLongestDimension));
  const q = i >= 0 ? o.component![i]!.valueQuantity : o.valueQuantity;
  const cm = quantityCm(q);
  const at = i >= 0 ? `${path}.component[${i}].valueQuantity` : `${path}.valueQuantity`;
  if (cm === undefined) return no(at, 'no longest dimension in cm or mm');
  if (!(cm > 0 && cm <= 100)) return no(at, `${cm} cm is outside 0-100 cm`);
  return ok(+cm.toFixed(2));
}

export type GradeFacts = { fnclcc?: 1 | 2 | 3; pog?: 1 | 2 | 3; twoTier?: 'low' | 'high' };

/** Histologic grade: TumorBoard staging codes (`fnclcc-2`, `pog-3`, `low`/`high`), or the wording (FNCLCC grade 2, POG 3, high grade). */
export function gradeFacts(o: Observation, path: string): Mapped<GradeFacts> {
  const words = [conceptText(o.valueCodeableConcept), ...codings(o.valueCodeableConcept).flatMap((c) => [c.code, c.display]), o.valueString, conceptText(o.method)]
    .filter((s): s is string => typeof s === 'string').join(' | ');
  const g: GradeFacts = {};
  const f = /FNCLCC[^0-9|]*([123])/i.exec(words);
  if (f) g.fnclcc = Number(f[1]) as 1 | 2 | 3;
  const p = /POG[^0-9|]*([123])/i.exec(words);
  if (p) g.pog = Number(p[1]) as 1 | 2 | 3;
  const t = /\b(low|high)(?:[- ]grade)?\b/i.exec(words);
  if (t) g.twoTier = t[1]!.toLowerCase() as 'low' | 'high';
  if (!g.fnclcc && !g.pog) {
    const snomed: Readonly<Record<string, 1 | 2 | 3>> = { '54102005': 1, '1663004': 2, '61026006': 3 };
    const s = codings(o.valueCodeableConcept).find((c) => c.system === SYSTEMS.snomed && c.code && snomed[c.code]);
    if (s) g.fnclcc = snomed[s.code!];
  }
  if (Object.keys(g).length === 0) return no(`${path}.value[x]`, `grade ${JSON.stringify(words || null)} is not FNCLCC 1-3, POG 1-3 or low/high`);
  return ok(g);
}

export function performance(o: Observation, path: string): Mapped<{ scale: 'lansky' | 'karnofsky' | 'ecog'; value: number }> {
  const scale = hasCode(o.code, OBSERVATION_CODES.lansky) || hasProfile(o, PROFILES.lanskyPlayPerformanceStatus) ? 'lansky'
    : hasCode(o.code, OBSERVATION_CODES.ecog) || hasProfile(o, PROFILES.ecogPerformanceStatus) ? 'ecog' : 'karnofsky';
  let value = o.valueInteger ?? o.valueQuantity?.value;
  if (value === undefined) {
    for (const cc of [o.valueCodeableConcept, ...(o.interpretation ?? [])]) {
      const hit = Object.entries(LANSKY_VALUES).find(([, def]) => hasCode(cc, def));
      if (hit) { value = Number(hit[0]); break; }
      const n = codings(cc).map((c) => Number(c.code)).find((x) => Number.isFinite(x));
      if (n !== undefined) { value = n; break; }
    }
  }
  const max = scale === 'ecog' ? 5 : 100;
  if (value === undefined || !Number.isFinite(value) || value < 0 || value > max) return no(`${path}.value[x]`, `no ${scale} score between 0 and ${max}`);
  return ok({ scale, value });
}

export type MolecularFacts = {
  foxo1Fusion?: 'positive' | 'negative' | 'unknown'; fusionPartner?: string; ewsr1Fusion?: string;
  myod1?: 'wild_type' | 'mutated' | 'unknown'; tp53?: 'wild_type' | 'mutated' | 'unknown';
};

/**
 * A GenomicVariant → molecular facts: an `A::B` fusion naming FOXO1 gives foxo1Fusion and the partner; one naming
 * EWSR1 (or FUS) gives ewsr1Fusion and the partner; MYOD1 / TP53 give mutated or wild type by presence.
 */
export function molecularFacts(o: Observation, path: string): Mapped<MolecularFacts> {
  const comps = o.component ?? [];
  // TumorBoard's own export carries the case-facts values verbatim (component coded with the case-fact system).
  const raw: Record<string, string> = {};
  for (const c of comps) {
    const k = codings(c.code).find((x) => x.system === SYSTEMS.tbCaseFact)?.code;
    if (k?.startsWith('molecular.') && typeof c.valueString === 'string') raw[k.slice('molecular.'.length)] = c.valueString;
  }
  if (Object.keys(raw).length > 0) {
    const m: MolecularFacts = {};
    if (raw.foxo1Fusion === 'positive' || raw.foxo1Fusion === 'negative' || raw.foxo1Fusion === 'unknown') m.foxo1Fusion = raw.foxo1Fusion;
    if (raw.fusionPartner) m.fusionPartner = raw.fusionPartner.slice(0, 40);
    if (raw.ewsr1Fusion) m.ewsr1Fusion = raw.ewsr1Fusion.slice(0, 40);
    if (Object.keys(m).length > 0) return ok(m);
  }
  const texts = comps.flatMap((c) => [c.valueString, conceptText(c.valueCodeableConcept), ...codings(c.valueCodeableConcept).map((x) => x.display)])
    .concat([o.valueString, o.note?.map((n) => n.text).join(' ')]).filter((s): s is string => typeof s === 'string');
  const genes = comps.filter((c) => hasCode(c.code, VARIANT_COMPONENTS.geneStudied))
    .flatMap((c) => [...codings(c.valueCodeableConcept).map((x) => x.display ?? x.code), c.valueCodeableConcept?.text])
    .filter((s): s is string => typeof s === 'string').map((s) => s.toUpperCase());
  const absent = codings(o.valueCodeableConcept).some((c) => c.code === 'LA9634-2') || /\bnegative\b|\babsent\b|not detected/i.test(conceptText(o.valueCodeableConcept) ?? '');
  const fusion = texts.map((t) => /\b([A-Z0-9]{2,10})\s*(?:::|-|\/)\s*([A-Z0-9]{2,10})\b/.exec(t)).find((m) => m && (m[1] === 'FOXO1' || m[2] === 'FOXO1' || /^(EWSR1|FUS)$/.test(m[1]!) || /^(EWSR1|FUS)$/.test(m[2]!)));
  if (fusion) {
    const [, a, b] = fusion as unknown as [string, string, string];
    if (a === 'FOXO1' || b === 'FOXO1') return ok(absent ? { foxo1Fusion: 'negative' } : { foxo1Fusion: 'positive', fusionPartner: a === 'FOXO1' ? b : a });
    const partner = /^(EWSR1|FUS)$/.test(a) ? b : a;
    return absent ? no(`${path}.value[x]`, 'a negative EWSR1/FUS fusion result has no case-facts field') : ok({ ewsr1Fusion: `${a}::${b}`, fusionPartner: partner });
  }
  if (genes.includes('FOXO1')) return ok({ foxo1Fusion: absent ? 'negative' : 'positive' });
  if (genes.includes('MYOD1')) return ok({ myod1: absent ? 'wild_type' : 'mutated' });
  if (genes.includes('TP53')) return ok({ tp53: absent ? 'wild_type' : 'mutated' });
  return no(`${path}.component`, 'not a FOXO1, EWSR1/FUS fusion or MYOD1/TP53 result: no case-facts field for it');
}

export type DiseaseStatus = keyof typeof DISEASE_STATUS;

export function diseaseStatus(o: Observation, path: string): Mapped<DiseaseStatus> {
  const tb = codings(o.valueCodeableConcept).find((c) => c.system === SYSTEMS.tbDiseaseStatus && c.code && c.code in DISEASE_STATUS);
  if (tb?.code) return ok(tb.code as DiseaseStatus);
  if (hasCode(o.valueCodeableConcept, DISEASE_STATUS.progressive)) return ok('progressive', 'SNOMED "condition worsened" recorded as progressive disease');
  return no(`${path}.valueCodeableConcept`, 'this disease status has no TumorBoard equivalent (newly diagnosed, relapsed, refractory, progressive)');
}

export function regionalNodes(o: Observation, path: string): Mapped<'N0' | 'N1' | 'NX'> {
  const words = [o.valueCodeableConcept?.text, ...codings(o.valueCodeableConcept).flatMap((c) => [c.code, c.display])].filter(Boolean).join(' ');
  const m = /\b[cpy]?N([01X])\b/i.exec(words);
  if (!m) return no(`${path}.valueCodeableConcept`, `regional nodes ${JSON.stringify(words || null)} is not N0, N1 or NX`);
  return ok(`N${m[1]!.toUpperCase()}` as 'N0' | 'N1' | 'NX');
}

// ---- Procedures ----

export function surgeryStatus(p: Procedure, path: string): Mapped<'biopsy' | 'resected'> {
  if (p.status !== undefined && p.status !== 'completed' && p.status !== 'in-progress') return no(`${path}.status`, `a procedure with status ${p.status} did not happen`);
  if (hasCode(p.code, PROCEDURE_CODES.resection) || /resection|excision|amputation/i.test(conceptText(p.code) ?? '')) return ok('resected');
  if (hasCode(p.code, PROCEDURE_CODES.biopsy) || /biopsy/i.test(conceptText(p.code) ?? '')) return ok('biopsy');
  return no(`${path}.code`, 'only biopsies and resections map to case facts (surgery status); other procedures are kept by the plan');
}

/** Surgical margin from Procedure.outcome or a note (R0/R1/R2). */
export function surgeryMargin(p: Procedure): 'R0' | 'R1' | 'R2' | undefined {
  const words = [conceptText(p.outcome), ...codings(p.outcome).map((c) => c.code), ...(p.note ?? []).map((n) => n.text)].filter(Boolean).join(' ');
  const m = /\bR([012])\b/.exec(words);
  return m ? (`R${m[1]}` as 'R0' | 'R1' | 'R2') : undefined;
}
