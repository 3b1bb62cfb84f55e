/**
 * The plan editor's form model: what the person types (numbers as text, so a half-typed "1." is not lost), turned
 * back into the plan document on save. Everything the editor does not show (notes on agents, dose modifications,
 * [K] markers, route…) is carried over from the version being edited, so a save changes only what was edited.
 * Field keys are the server's field paths normalised by api/client.ts (`phases.0.cycles.1.agents.0.doseMgM2`),
 * so a server error lands on the same input as a local one.
 */
import type { Errors } from '../lib/forms.js';
import type {
  ChecklistAnswer, DoseField, PlanAgent, PlanContent, PlanIntent, RadiationField, RadiationTechnique, RadiationTiming, SelectedKind,
  SelectedLocalControl, Side, SurgeryType,
} from './api.js';

export interface AgentForm { dose: string; unit: DoseField; administrations: string; maxMg: string }
export interface CycleForm { count: string; agents: AgentForm[] }
export interface PhaseForm { startWeek: string; cycleIntervalDays: string; cycles: CycleForm[] }
export type TriState = '' | 'yes' | 'no';
export const ORGANS = ['heartInField', 'breastInField', 'gonadsInField', 'bladderInField', 'kidneyInField'] as const;
export type Organ = (typeof ORGANS)[number];
export interface SelectedForm {
  kind: SelectedKind;
  description: string;
  plannedWeek: string;
  rules: string[];
  surgeryType: SurgeryType | '';
  field: RadiationField | '';
  side: string;
  timing: string;
  technique: string;
  doseGy: string;
  boostGy: string;
  fractions: string;
  heartDoseGy: string;
  organs: Record<Organ, TriState>;
  /** The entry as saved, for the keys the editor does not show. */
  orig: SelectedLocalControl | null;
}
export interface Draft {
  title: string;
  intent: PlanIntent;
  bsaM2: string;
  weightKg: string;
  trialNctId: string;
  notes: string;
  phases: PhaseForm[];
  selected: SelectedForm[];
  checklist: Array<{ answer: ChecklistAnswer | null; note: string }>;
}

const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

export function unitOf(a: Pick<PlanAgent, DoseField>): DoseField {
  return a.doseMgKg !== undefined ? 'doseMgKg' : a.doseMg !== undefined ? 'doseMg' : 'doseMgM2';
}

const tri = (b: boolean | undefined): TriState => (b === true ? 'yes' : b === false ? 'no' : '');

export function emptySelected(kind: SelectedKind): SelectedForm {
  return {
    kind, description: '', plannedWeek: '', rules: [], surgeryType: '', field: '', side: '', timing: '', technique: '',
    doseGy: '', boostGy: '', fractions: '', heartDoseGy: '', organs: { heartInField: '', breastInField: '', gonadsInField: '', bladderInField: '', kidneyInField: '' }, orig: null,
  };
}

function toSelectedForm(s: SelectedLocalControl): SelectedForm {
  const f = emptySelected(s.kind);
  f.description = s.description ?? '';
  f.plannedWeek = text(s.plannedWeek);
  f.rules = [...(s.rules ?? [])];
  f.orig = s;
  if ((s.kind === 'surgery' || s.kind === 'curettage') && s.surgeryType) f.surgeryType = s.surgeryType;
  if (s.kind === 'radiation') {
    const r = s.radiation;
    Object.assign(f, {
      field: r.field, side: r.side ?? '', timing: r.timing ?? '', technique: r.technique ?? '', doseGy: text(r.doseGy),
      boostGy: text(r.boostGy), fractions: text(r.fractions), heartDoseGy: text(r.heartDoseGy),
    });
    for (const o of ORGANS) f.organs[o] = tri(r[o]);
  }
  return f;
}

export function toDraft(c: PlanContent): Draft {
  return {
    title: c.title,
    intent: c.intent,
    bsaM2: text(c.bsaM2),
    weightKg: text(c.weightKg),
    trialNctId: c.trialNctId ?? '',
    notes: c.notes ?? '',
    phases: c.phases.map((p) => ({
      startWeek: text(p.startWeek),
      cycleIntervalDays: text(p.cycleIntervalDays),
      cycles: p.cycles.map((cy) => ({
        count: text(cy.count),
        agents: cy.agents.map((a) => {
          const unit = unitOf(a);
          return { dose: text(a[unit]), unit, administrations: String(a.administrations), maxMg: text(a.maxMg) };
        }),
      })),
    })),
    selected: c.localControl.selected.map(toSelectedForm),
    checklist: c.checklist.map((q) => ({ answer: q.answer, note: q.note ?? '' })),
  };
}

export const sameDraft = (a: Draft, b: Draft) => JSON.stringify(a, (k, v) => (k === 'orig' ? undefined : v)) === JSON.stringify(b, (k, v) => (k === 'orig' ? undefined : v));

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** A typed number: undefined when empty, NaN when it is not a number. */
export function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  return NUMBER_RE.test(t) ? Number(t) : Number.NaN;
}

export const NOT_A_NUMBER = 'Enter a number, like 75 or 1.5';
const NOT_WHOLE = 'Enter a whole number';

export const agentKey = (p: number, c: number, a: number) => `phases.${p}.cycles.${c}.agents.${a}`;
export const selectedKey = (i: number) => `localControl.selected.${i}`;

/**
 * The plan document from the form, and the entries that are not numbers (keyed like the server's field errors).
 * Ranges are not checked here: the server's dose table does that and names the allowed range.
 */
export function toContent(base: PlanContent, d: Draft): { content: PlanContent; errors: Errors } {
  const errors: Errors = {};
  const num = (s: string, key: string, whole = false): number | undefined => {
    const n = parseNumber(s);
    if (n === undefined) return undefined;
    if (Number.isNaN(n)) { errors[key] = NOT_A_NUMBER; return undefined; }
    if (whole && !Number.isInteger(n)) { errors[key] = NOT_WHOLE; return undefined; }
    return n;
  };
  const content: PlanContent = structuredClone(base);
  content.title = d.title.trim();
  content.intent = d.intent;
  const bsa = num(d.bsaM2, 'bsaM2');
  const weight = num(d.weightKg, 'weightKg');
  if (bsa === undefined) delete content.bsaM2; else content.bsaM2 = bsa;
  if (weight === undefined) delete content.weightKg; else content.weightKg = weight;
  const nct = d.trialNctId.trim().toUpperCase();
  content.trialNctId = nct === '' ? null : nct;
  if (d.notes.trim() === '') delete content.notes; else content.notes = d.notes.trim();

  content.phases.forEach((phase, p) => {
    const pf = d.phases[p];
    if (!pf) return;
    const startWeek = num(pf.startWeek, `phases.${p}.startWeek`, true);
    if (startWeek !== undefined || phase.startWeek !== undefined) phase.startWeek = startWeek ?? null;
    if (phase.cycles.length > 0 || phase.cycleIntervalDays !== undefined) {
      phase.cycleIntervalDays = num(pf.cycleIntervalDays, `phases.${p}.cycleIntervalDays`, true) ?? null;
    }
    phase.cycles.forEach((cycle, c) => {
      const cf = pf.cycles[c];
      if (!cf) return;
      cycle.count = num(cf.count, `phases.${p}.cycles.${c}.count`, true) ?? null;
      cycle.agents.forEach((agent, a) => {
        const af = cf.agents[a];
        if (!af) return;
        const key = agentKey(p, c, a);
        delete agent.doseMgM2; delete agent.doseMgKg; delete agent.doseMg;
        const dose = num(af.dose, `${key}.${af.unit}`);
        if (dose !== undefined) agent[af.unit] = dose;
        const admins = num(af.administrations, `${key}.administrations`, true);
        if (admins !== undefined) agent.administrations = admins;
        else if (!errors[`${key}.administrations`]) errors[`${key}.administrations`] = 'Give the number of administrations per cycle';
        const cap = num(af.maxMg, `${key}.maxMg`);
        if (cap === undefined) delete agent.maxMg; else agent.maxMg = cap;
      });
    });
  });

  content.localControl.selected = d.selected.map((s, i) => toSelected(s, selectedKey(i), num, errors));
  content.checklist = content.checklist.map((q, i) => {
    const f = d.checklist[i];
    if (!f) return q;
    const out = { ...q, answer: f.answer };
    if (f.note.trim() === '') delete out.note; else out.note = f.note.trim();
    return out;
  });
  return { content, errors };
}

function toSelected(
  s: SelectedForm, key: string, num: (s: string, key: string, whole?: boolean) => number | undefined, errors: Errors,
): SelectedLocalControl {
  const common: { description?: string; plannedWeek?: number; rules?: string[]; note?: string } = {};
  if (s.description.trim()) common.description = s.description.trim();
  const week = num(s.plannedWeek, `${key}.plannedWeek`, true);
  if (week !== undefined) common.plannedWeek = week;
  if (s.rules.length > 0) common.rules = [...s.rules];
  if (s.orig?.note) common.note = s.orig.note;
  switch (s.kind) {
    case 'surgery':
      if (!s.surgeryType) errors[`${key}.surgeryType`] = 'Choose the type of operation';
      return { kind: 'surgery', surgeryType: (s.surgeryType || 'other') as SurgeryType, ...common };
    case 'curettage':
      return { kind: 'curettage', ...(s.surgeryType ? { surgeryType: s.surgeryType } : {}), ...common };
    case 'radiation': {
      const prev = s.orig?.kind === 'radiation' ? s.orig.radiation : undefined;
      if (!s.field) errors[`${key}.radiation.field`] = 'Choose the radiation field';
      const doseGy = num(s.doseGy, `${key}.radiation.doseGy`);
      if (doseGy === undefined && !errors[`${key}.radiation.doseGy`]) errors[`${key}.radiation.doseGy`] = 'Give the dose in Gy';
      const r: Extract<SelectedLocalControl, { kind: 'radiation' }>['radiation'] = {
        ...(prev?.target ? { target: prev.target } : {}),
        field: (s.field || 'extremity') as RadiationField,
        doseGy: doseGy ?? 0,
      };
      // The selects offer only SIDES, RADIATION_TIMINGS and RADIATION_TECHNIQUES; the server validates the value.
      if (s.side) r.side = s.side as Side;
      if (s.timing) r.timing = s.timing as RadiationTiming;
      if (s.technique) r.technique = s.technique as RadiationTechnique;
      const boost = num(s.boostGy, `${key}.radiation.boostGy`);
      if (boost !== undefined) r.boostGy = boost;
      const fractions = num(s.fractions, `${key}.radiation.fractions`, true);
      if (fractions !== undefined) r.fractions = fractions;
      const heart = num(s.heartDoseGy, `${key}.radiation.heartDoseGy`);
      if (heart !== undefined) r.heartDoseGy = heart;
      for (const o of ORGANS) if (s.organs[o] !== '') r[o] = s.organs[o] === 'yes';
      return { kind: 'radiation', radiation: r, ...common };
    }
    default:
      return { kind: s.kind, ...common };
  }
}

/** The form field of a server error on an agent's dose, whatever unit the server named. */
export function doseError(errors: Errors, key: string): string | undefined {
  return errors[`${key}.doseMgM2`] ?? errors[`${key}.doseMgKg`] ?? errors[`${key}.doseMg`] ?? errors[`${key}.doseModification`];
}
