import { describe, expect, test } from 'vitest';
import { assess } from '../assess.js';
import type { CaseFacts } from '../facts/case-facts.js';
import type { Assessment } from '../facts/assessment.js';
import { isRuleId } from '../rules/rule-ids.js';
import { CHECKLIST_QUESTIONS, PHASE_LAYOUTS, buildPlanFromTemplate, tailoringChecklist } from './builder.js';
import { FLAG_RULES } from './flags.js';
import { checklistComplete, planOpenItems, validatePlanContent } from './plan.js';
import { TEMPLATES, TEMPLATE_IDS, type TemplateId } from './templates.js';

const facts = (o: Partial<CaseFacts> = {}): CaseFacts => ({
  ageMonths: 150, sex: 'male', pubertalStatus: 'pubertal', morphology: '9180/3', topography: 'C40.2',
  siteCategory: 'bone_extremity', sizeCm: 7, metastases: [], ...o,
});

function assessed(f: CaseFacts): Assessment {
  const r = assess(f);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.assessment;
}

const build = (id: TemplateId, f: CaseFacts = facts()) => buildPlanFromTemplate(id, { facts: f, assessment: assessed(f) });

describe('buildPlanFromTemplate', () => {
  test.each([...TEMPLATE_IDS])('%s builds a plan that validates', (id) => {
    const p = build(id);
    const v = validatePlanContent(p, { ageMonths: 150 });
    expect(v.ok ? [] : v.errors).toEqual([]);
    expect(v.warnings).toEqual([]);
    expect(p.templateId).toBe(id);
    expect(p.templateVersion).toBe(TEMPLATES[id].version);
    expect(p.phases).toHaveLength(TEMPLATES[id].phases.length);
  });

  test.each([...TEMPLATE_IDS])('%s for an infant builds a plan that validates', (id) => {
    const f = facts({ ageMonths: 8, pubertalStatus: 'prepubertal', morphology: '9260/3', topography: 'C41.4', siteCategory: 'bone_pelvis' });
    const v = validatePlanContent(build(id, f), { ageMonths: 8 });
    expect(v.ok ? [] : v.errors).toEqual([]);
  });

  test('every template has one phase layout per phase', () => {
    for (const id of TEMPLATE_IDS) expect(PHASE_LAYOUTS[id].length, id).toBe(TEMPLATES[id].phases.length);
  });

  test('T-EWS-ICC has induction, local control and consolidation, alternating every 14 days, numbered in plan order', () => {
    const p = build('T-EWS-ICC', facts({ morphology: '9260/3' }));
    expect(p.phases.map((x) => [x.id, x.kind, x.startWeek, x.cycleIntervalDays ?? null, x.order ?? null])).toEqual([
      ['phase-1', 'induction', 1, 14, 'alternating'],
      ['phase-2', 'local_control', 12, null, null],
      ['phase-3', 'consolidation', null, 14, 'alternating'],
    ]);
    expect(p.phases[0]!.cycles.map((c) => [c.id, c.regimen, c.count])).toEqual([['phase-1-cycle-1', 'VDC', 3], ['phase-1-cycle-2', 'IE', 3]]);
    expect(p.phases[0]!.cycles[1]!.agents).toEqual([
      { agent: 'ifosfamide', doseMgM2: 1800, administrations: 5 },
      { agent: 'etoposide', doseMgM2: 100, administrations: 5 },
    ]);
  });

  test('no local control is selected: the template\'s options are only considered', () => {
    const p = build('T-EWS-ICC', facts({ morphology: '9260/3', topography: 'C41.4', siteCategory: 'bone_pelvis' }));
    expect(p.localControl.selected).toEqual([]);
    expect(p.localControl.considered.map((o) => o.kind)).toEqual(['surgery', 'radiation', 'surgery_and_radiation', 'surgery_and_radiation']);
    expect(p.localControl.considered[1]).toMatchObject({ doseGy: 55.8, rules: ['R-EWS-LC'], unverified: true });
  });

  test('an infant on T-EWS-ICC gets 50% of the m² doses, recorded with R-AGE-INFANT; per-kg and capped doses keep their cap', () => {
    const p = build('T-EWS-ICC', facts({ ageMonths: 8, morphology: '9260/3', pubertalStatus: 'prepubertal' }));
    const vdc = p.phases[0]!.cycles[0]!.agents;
    expect(vdc.map((a) => a.doseMgM2)).toEqual([1, 37.5, 600]);
    expect(vdc[1]!.doseModification).toEqual({ percent: 50, fullDose: 75, rules: ['R-AGE-INFANT'], reason: expect.stringMatching(/AEWS0031/) });
    expect(vdc[0]!.maxMg).toBe(2);
    expect(p.checklist.find((c) => c.flag === 'INFANT_LT_12MO')?.question).toMatch(/set to 50% .* Does the team confirm/);
  });

  test('an infant on a template without its own infant rule keeps full doses and is asked about dosing', () => {
    const f = facts({ ageMonths: 8, morphology: '8910/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity', pubertalStatus: 'prepubertal' });
    const p = build('T-RMS-LR-VAC4-VA', f);
    expect(p.phases[0]!.cycles[0]!.agents.find((a) => a.agent === 'cyclophosphamide')).toEqual({ agent: 'cyclophosphamide', doseMgM2: 1200, administrations: 1, note: 'with mesna' });
    expect(p.checklist.find((c) => c.flag === 'INFANT_LT_12MO')?.question).toMatch(/per the protocol document/);
  });

  test('counts and doses the template does not give stay unset, as open items', () => {
    const p = build('T-RMS-HR-INTENSIVE', facts({ morphology: '8920/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity' }));
    const open = planOpenItems(p).map((i) => i.message);
    expect(open).toContain('VI › VI: number of cycles not set');
    expect(open).toContain('Interval-compressed VDC/IE › VDC › doxorubicin: dose not set (give exactly one of doseMgM2, doseMgKg, doseMg)');
  });

  test('the growing child with a distal femur osteosarcoma is asked about reconstruction, with the growth options listed', () => {
    const p = build('T-OS-MAP');
    expect(p.checklist.map((c) => c.flag)).toEqual([
      'GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS', 'FERTILITY_PRESERVATION_INDICATED', 'CISPLATIN_OTOTOXICITY_MONITORING',
      'ANTHRACYCLINE_CARDIAC_MONITORING',
    ]);
    expect(p.localControl.considered.filter((o) => o.rules.includes('R-LOC-GROWTH')).map((o) => o.description.split(' ')[0])).toEqual([
      'Expandable', 'Rotationplasty', 'Amputation', 'Biological',
    ]);
  });

  test('every question is unanswered and carries rule IDs that rules.md defines', () => {
    const p = build('T-OS-MAP');
    expect(checklistComplete(p)).toBe(false);
    for (const c of p.checklist) {
      expect(c.answer).toBeNull();
      expect(c.rules.length).toBeGreaterThan(0);
      for (const r of c.rules) expect(isRuleId(r), r).toBe(true);
    }
  });

  test('the fertility question names the options for the child\'s sex and pubertal status', () => {
    const p = build('T-OS-MAP');
    expect(p.checklist.find((c) => c.flag === 'FERTILITY_PRESERVATION_INDICATED')?.question)
      .toMatch(/offered sperm cryopreservation, testicular tissue cryopreservation before the first alkylator/);
  });

  test('flags are recomputed for the chosen template: low-grade osteosarcoma has no exposure questions', () => {
    const flags = build('T-OS-LOWGRADE').checklist.map((c) => c.flag);
    expect(flags).toEqual(['GROWTH_REMAINING_LIMB_SALVAGE_OPTIONS']);
  });

  test.each([
    ['bladder/prostate RMS', 'BLADDER_PROSTATE_ORGAN_PRESERVATION', 'T-RMS-IR-VACVI-MAINT', { morphology: '8910/3', topography: 'C67.9', siteCategory: 'gu_bladder_prostate' }],
    ['RMS under 24 months', 'RT_INDIVIDUALIZE_LT_24MO', 'T-RMS-IR-VACVI-MAINT', { ageMonths: 20, pubertalStatus: 'prepubertal', morphology: '8910/3', topography: 'C49.2', siteCategory: 'soft_tissue_extremity' }],
    ['spine Ewing', 'SPINE_CORD_RISK', 'T-EWS-ICC', { morphology: '9260/3', topography: 'C41.2', siteCategory: 'bone_spine' }],
    ['parameningeal RMS with skull-base erosion', 'MENINGEAL_IMPINGEMENT_EARLY_RT', 'T-RMS-IR-VACVI-MAINT', { morphology: '8910/3', topography: 'C11.9', siteCategory: 'hn_parameningeal', headNeck: { skullBaseErosion: true, intracranialExtension: false, cranialNervePalsy: false } }],
    ['paratesticular RMS at 12 years', 'PARATESTICULAR_RPLND_REQUIRED', 'T-RMS-LR-VAC4-VA', { ageMonths: 144, morphology: '8910/3', topography: 'C63.1', siteCategory: 'gu_paratesticular' }],
  ] as const)('%s is asked the unanswered %s question', (_label, flag, id, o) => {
    const q = build(id as TemplateId, facts(o as Partial<CaseFacts>)).checklist.find((c) => c.flag === flag);
    expect(q?.answer).toBeNull();
    expect(q?.question.length).toBeGreaterThan(20);
  });

  test('a question exists only for flags of the flag vocabulary', () => {
    const names = new Set<string>(FLAG_RULES.map((r) => r.value));
    for (const flag of Object.keys(CHECKLIST_QUESTIONS)) expect(names.has(flag), flag).toBe(true);
  });

  test('the body size given is carried into the plan', () => {
    const f = facts();
    expect(buildPlanFromTemplate('T-OS-MAP', { facts: f, assessment: assessed(f), bsaM2: 1.4, weightKg: 42 })).toMatchObject({ bsaM2: 1.4, weightKg: 42 });
  });

  test('observation intent only for the benign observation template', () => {
    expect(TEMPLATE_IDS.filter((id) => build(id).intent === 'observation')).toEqual(['T-BN-OBSERVE']);
  });

  test('tailoringChecklist is the builder\'s checklist', () => {
    const f = facts();
    expect(tailoringChecklist('T-OS-MAP', { facts: f, assessment: assessed(f) })).toEqual(build('T-OS-MAP').checklist);
  });
});
