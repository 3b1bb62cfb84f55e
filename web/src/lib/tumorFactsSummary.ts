import { ALL_FIELDS, METASTATIC_SITES, get, isBoneTopography } from './tumorFacts.js';
import type { Details, FactField, FactsContext } from './tumorFacts.js';

/** The structured tumour facts in plain words: what is known, and what a coordinator still has to record. */

export interface FactLine { label: string; value: string }

/** Fields summarised together on one line (grade, metastases, performance) rather than one by one. */
const COMBINED = new Set(['grade.twoTier', 'grade.fnclcc', 'grade.pog', 'metastases', 'metastaticSiteCount', 'performance.scale', 'performance.value']);

function fieldValue(f: FactField, v: unknown): string {
  if (f.kind === 'bool') return v === true ? 'Yes' : 'No';
  if (f.kind === 'number') return f.unit === '%' ? `${String(v)}%` : `${String(v)}${f.unit ? ` ${f.unit}` : ''}`;
  const o = f.options?.find((x) => x.value === String(v));
  return o ? (o.short ?? o.label) : String(v);
}

const siteName = (s: string) => {
  const label = METASTATIC_SITES.find((o) => o.value === s)?.label ?? s;
  return label === 'Other site' ? 'other site' : label.toLowerCase();
};

function metastasesLine(d: Details): string | undefined {
  const m = d.metastases;
  if (!Array.isArray(m)) return undefined;
  if (m.length === 0) return 'none';
  const count = typeof d.metastaticSiteCount === 'number' ? `; ${d.metastaticSiteCount} site${d.metastaticSiteCount === 1 ? '' : 's'}` : '';
  return `${m.map((s) => siteName(String(s))).join(', ')}${count}`;
}

function gradeLine(d: Details): string | undefined {
  const parts: string[] = [];
  const two = get(d, 'grade.twoTier');
  if (two !== undefined) parts.push(`${String(two)} (two-tier)`);
  const fnclcc = get(d, 'grade.fnclcc');
  if (fnclcc !== undefined) parts.push(`FNCLCC ${String(fnclcc)}`);
  const pog = get(d, 'grade.pog');
  if (pog !== undefined) parts.push(`POG ${String(pog)}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function performanceLine(d: Details): string | undefined {
  const scale = get(d, 'performance.scale');
  const value = get(d, 'performance.value');
  if (scale === undefined && value === undefined) return undefined;
  const name = scale === 'ecog' ? 'ECOG' : scale === undefined ? 'Score' : String(scale).charAt(0).toUpperCase() + String(scale).slice(1);
  return value === undefined ? name : `${name} ${String(value)}`;
}

/** Known facts as label/value lines, in the order of the form. */
export function knownFacts(d: Details): FactLine[] {
  const lines: FactLine[] = [];
  // Values start with a capital, as every other value on the page does ("None", "High (two-tier), POG 3").
  const add = (label: string, value: string | undefined) => { if (value !== undefined) lines.push({ label, value: value.charAt(0).toUpperCase() + value.slice(1) }); };
  for (const f of ALL_FIELDS) {
    if (f.path === 'metastases') add('Metastases', metastasesLine(d));
    else if (f.path === 'grade.twoTier') add('Grade', gradeLine(d));
    else if (f.path === 'performance.scale') add('Performance', performanceLine(d));
    else if (!COMBINED.has(f.path)) {
      const v = get(d, f.path);
      if (v !== undefined) add(f.summaryLabel ?? f.label, fieldValue(f, v));
    }
  }
  return lines;
}

/** Facts relevant to this tumour that are not recorded yet (a checklist, not the rules engine's own list). */
export function notRecorded(d: Details, ctx: FactsContext): string[] {
  const out: string[] = [];
  const need = (label: string, known: boolean, relevant = true) => { if (relevant && !known) out.push(label); };
  const has = (path: string) => get(d, path) !== undefined;
  const bone = isBoneTopography(ctx.topography);
  const fam = ctx.family;
  const resected = get(d, 'surgery.status') === 'resected';
  need('regional nodes', has('regionalNodes'));
  need('distant metastases', Array.isArray(d.metastases));
  // Rhabdomyosarcoma and Ewing sarcoma are high grade by definition; benign bone lesions are staged without one.
  const graded = fam !== 'rhabdomyosarcoma' && fam !== 'ewing' && fam !== 'benign_bone';
  need('grade', has('grade.twoTier') || has('grade.fnclcc') || has('grade.pog'), graded);
  need('compartment', has('bone.compartment'), bone);
  need('skip lesion', has('bone.skipLesion'), bone && fam !== 'benign_bone');
  need('radiographic behaviour', has('bone.radiographicBehavior'), bone && fam === 'benign_bone');
  need('pelvic segments', has('bone.pelvicSegments'), bone && ctx.siteCategory === 'bone_pelvis');
  need('vertebral segments', has('bone.vertebralSegments'), bone && ctx.siteCategory === 'bone_spine');
  need('invasiveness (T1/T2)', has('invasiveness'), fam === 'rhabdomyosarcoma');
  if (ctx.siteCategory === 'hn_parameningeal') {
    need('intracranial extension', has('headNeck.intracranialExtension'));
    need('skull-base erosion', has('headNeck.skullBaseErosion'));
    need('cranial nerve palsy', has('headNeck.cranialNervePalsy'));
  }
  need('surgery', has('surgery.status'));
  need('resection margin', has('surgery.margin'), resected);
  need('FOXO1 fusion', has('molecular.foxo1Fusion'), fam === 'rhabdomyosarcoma');
  need('EWSR1 fusion', has('molecular.ewsr1Fusion'), fam === 'ewing');
  need('necrosis after chemotherapy', has('histologicResponse.necrosisPercent'), resected && (fam === 'osteosarcoma' || fam === 'ewing'));
  need('disease status', has('diseaseStatus'));
  need('pubertal status', has('pubertalStatus'));
  return out;
}
