import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatNumber, humanize } from '../lib/format.js';
import type { DiffEntry, PlanAgent, PlanContent, SelectedLocalControl } from './api.js';
import { ANSWER_LABELS, RuleIds, Unverified, agentLabel } from './labels.js';

/** Is `path` (a place in the document) at or under a changed field? */
function changedAt(changes: readonly DiffEntry[], path: string): boolean {
  return changes.some((c) => path === c.field || path.startsWith(`${c.field}.`) || path.startsWith(`${c.field}[`));
}

/** Is anything at or under `path` changed? */
function changedWithin(changes: readonly DiffEntry[], path: string): boolean {
  return changes.some((c) => c.field === path || c.field.startsWith(`${path}.`) || c.field.startsWith(`${path}[`) || changedAt([c], path));
}

const doseText = (a: PlanAgent) => {
  const d = a.doseMgM2 !== undefined ? `${formatNumber(a.doseMgM2)} mg/m²` : a.doseMgKg !== undefined ? `${formatNumber(a.doseMgKg)} mg/kg` : a.doseMg !== undefined ? `${formatNumber(a.doseMg)} mg` : 'dose not set';
  return `${d}${a.administrations > 1 ? ` × ${a.administrations}` : ''}${a.maxMg !== undefined ? ` (max ${formatNumber(a.maxMg)} mg)` : ''}`;
};

function selectedText(s: SelectedLocalControl): string {
  const head = humanize(s.kind);
  if (s.kind === 'radiation') {
    const r = s.radiation;
    return `${head}: ${humanize(r.field)}${r.side ? ` (${r.side})` : ''} ${formatNumber(r.doseGy)} Gy${r.boostGy ? ` + ${formatNumber(r.boostGy)} Gy boost` : ''}${r.fractions ? ` in ${r.fractions} fractions` : ''}`;
  }
  const type = 'surgeryType' in s && s.surgeryType ? `: ${humanize(s.surgeryType)}` : '';
  return `${head}${type}${s.description ? ` — ${s.description}` : ''}`;
}

/** One element of the document; changed ones are marked by colour, a bar and words (for screen readers too). */
function Mark({ on, children, field }: { on: boolean; children: ReactNode; field: string }) {
  return (
    <span className={on ? 'tb-changed' : undefined} data-field={field} data-changed={on ? 'true' : undefined}>
      {children}{on ? <span className="visually-hidden"> (changed)</span> : null}
    </span>
  );
}

/** A version of the plan as a readable document, the changed paths (if any) highlighted. */
export function PlanDocument({ c, changes = [], label, detailed = false }: {
  c: PlanContent; changes?: readonly DiffEntry[]; label: string; detailed?: boolean;
}) {
  const at = (f: string) => changedAt(changes, f);
  return (
    <Stack gap="sm" className="tb-doc" data-testid="plan-document" aria-label={label} role="group">
      <Text size="sm"><Text span fw={600}>Title: </Text><Mark on={at('title')} field="title">{c.title}</Mark></Text>
      <Text size="sm">
        <Text span fw={600}>Intent: </Text><Mark on={at('intent')} field="intent">{humanize(c.intent)}</Mark>
        {' · '}<Text span fw={600}>BSA: </Text><Mark on={at('bsaM2')} field="bsaM2">{c.bsaM2 !== undefined ? `${c.bsaM2} m²` : 'not given'}</Mark>
        {' · '}<Text span fw={600}>Weight: </Text><Mark on={at('weightKg')} field="weightKg">{c.weightKg !== undefined ? `${c.weightKg} kg` : 'not given'}</Mark>
        {' · '}<Text span fw={600}>Trial: </Text><Mark on={at('trialNctId')} field="trialNctId">{c.trialNctId ?? 'none'}</Mark>
      </Text>
      {c.phases.map((p, pi) => {
        const pf = `phases[${pi}]`;
        return (
          <div key={p.id} className={at(pf) ? 'tb-changed-block' : undefined}>
            <Text size="sm" fw={700}><Mark on={at(`${pf}.name`)} field={`${pf}.name`}>{p.name}</Mark></Text>
            <Text size="xs" c="gray.7">
              {humanize(p.kind)} · start week <Mark on={at(`${pf}.startWeek`)} field={`${pf}.startWeek`}>{p.startWeek ?? 'not set'}</Mark>
              {p.cycles.length > 0 ? <> · <Mark on={at(`${pf}.cycleIntervalDays`)} field={`${pf}.cycleIntervalDays`}>{p.cycleIntervalDays ? `every ${p.cycleIntervalDays} days` : 'interval not set'}</Mark></> : null}
            </Text>
            {p.cycles.map((cy, ci) => {
              const cf = `${pf}.cycles[${ci}]`;
              return (
                <div key={cy.id} className="tb-doc-cycle">
                  <Text size="sm"><Mark on={at(`${cf}.regimen`)} field={`${cf}.regimen`}>{cy.regimen}</Mark> × <Mark on={at(`${cf}.count`)} field={`${cf}.count`}>{cy.count ?? 'not set'}</Mark></Text>
                  <ul className="tb-doc-agents">
                    {cy.agents.map((a, ai) => {
                      const af = `${cf}.agents[${ai}]`;
                      return (
                        <li key={`${a.agent}-${ai}`}>
                          <Mark on={at(af)} field={af}>{agentLabel(a.agent)} </Mark>
                          <Mark on={at(`${af}.dose`) || at(`${af}.administrations`) || at(`${af}.maxMg`)} field={`${af}.dose`}>{doseText(a)}</Mark>
                          {detailed && a.note ? <Text span size="xs" c="gray.7"> · {a.note}</Text> : null}
                          {detailed && a.doseModification ? <Text span size="xs" c="grape.9"> · {a.doseModification.percent}% of {a.doseModification.fullDose} <RuleIds rules={a.doseModification.rules} /></Text> : null}
                          {detailed && a.unverified ? <> <Unverified /></> : null}
                        </li>
                      );
                    })}
                  </ul>
                </div>
              );
            })}
          </div>
        );
      })}
      <div>
        <Text size="sm" fw={700}>Local control</Text>
        {c.localControl.selected.length === 0 ? <Text size="sm" c="dimmed">Nothing selected</Text> : (
          <ul className="tb-doc-agents">
            {c.localControl.selected.map((s, i) => (
              <li key={i}>
                <Mark on={changedWithin(changes, `localControl.selected[${i}]`)} field={`localControl.selected[${i}]`}>{selectedText(s)}</Mark>
                {detailed && s.rules?.length ? <> <RuleIds rules={s.rules} /></> : null}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div>
        <Text size="sm" fw={700}>Tailoring checklist</Text>
        <ul className="tb-doc-agents">
          {c.checklist.map((q, i) => (
            <li key={q.flag}>
              {detailed ? <><Text span size="sm">{q.question} </Text><RuleIds rules={q.rules} />{' '}</> : <Text span size="xs" c="gray.7">{humanize(q.flag)}: </Text>}
              <Mark on={at(`checklist[${i}].answer`) || at(`checklist[${i}]`)} field={`checklist[${i}].answer`}>{q.answer ? ANSWER_LABELS[q.answer] : 'Not answered'}</Mark>
              {q.note ? <> — <Mark on={at(`checklist[${i}].note`)} field={`checklist[${i}].note`}>{q.note}</Mark></> : null}
            </li>
          ))}
        </ul>
      </div>
      <div>
        <Text size="sm" fw={700}>Notes</Text>
        <Text size="sm" className="tb-pre"><Mark on={at('notes')} field="notes">{c.notes ?? '—'}</Mark></Text>
      </div>
    </Stack>
  );
}

