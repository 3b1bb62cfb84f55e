import { Badge, Code, Group, List, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import type { BadgeProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatNumber, humanize } from '../lib/format.js';
import type { ConcordanceStatus, Derived, DoseField, PlanStatus, TimelineEntry } from './api.js';
import { DOSE_FIELDS } from './api.js';

/** Words for the codes on the plan pages. */
export const PLAN_STATUS_LABELS: Record<PlanStatus, string> = {
  draft: 'Draft', agreed: 'Agreed', active: 'In progress', completed: 'Completed', stopped: 'Stopped',
};
const PLAN_STATUS_COLORS: Record<PlanStatus, string> = { draft: 'gray', agreed: 'teal', active: 'indigo', completed: 'violet', stopped: 'orange' };

export const CONCORDANCE_LABELS: Record<ConcordanceStatus, string> = {
  concordant: 'Concordant', deviation: 'Deviation', not_followed: 'Not followed', too_early: 'Too early to tell',
};
const CONCORDANCE_COLORS: Record<ConcordanceStatus, string> = { concordant: 'teal', deviation: 'orange', not_followed: 'red', too_early: 'gray' };

export const TIMELINE_STATUS_LABELS: Record<TimelineEntry['status'], string> = { given: 'Given', planned: 'Planned', off_plan: 'Off plan' };

export const ANSWER_LABELS = { yes: 'Yes', no: 'No', not_applicable: 'Not applicable' } as const;

export const unitLabel = (f: DoseField) => DOSE_FIELDS[f];
export const disciplineLabel = (d: string | null | undefined) => humanize(d);
export const agentLabel = (a: string) => a.charAt(0).toUpperCase() + a.slice(1);

/** Badges in narrow cells keep their whole word. */
export const NO_CLIP = { root: { overflow: 'visible', flexShrink: 0 }, label: { overflow: 'visible' } } as const;

export function PlanStatusBadge({ status, size = 'lg' }: { status: PlanStatus; size?: BadgeProps['size'] }) {
  const color = PLAN_STATUS_COLORS[status] ?? 'gray';
  return (
    <Badge size={size} color={color} c={status === 'agreed' ? undefined : `${color}.9`} variant={status === 'agreed' ? 'filled' : 'light'}
      radius="sm" data-testid="plan-status" styles={NO_CLIP}>
      {status === 'agreed' ? <span aria-hidden="true">✓ </span> : null}
      {PLAN_STATUS_LABELS[status] ?? humanize(status)}
    </Badge>
  );
}

export function ConcordanceBadge({ status }: { status: ConcordanceStatus }) {
  const color = CONCORDANCE_COLORS[status] ?? 'gray';
  return (
    <Badge size="lg" color={color} c={`${color}.9`} variant="light" radius="sm" data-testid="concordance-status" styles={NO_CLIP}>
      {status === 'concordant' ? <span aria-hidden="true">✓ </span> : status === 'too_early' ? null : <span aria-hidden="true">⚠ </span>}
      {CONCORDANCE_LABELS[status] ?? humanize(status)}
    </Badge>
  );
}

/** Rule IDs as code, so a reader can find the rule in clinical/rules.md. */
export function RuleIds({ rules, label = 'Rules' }: { rules: readonly string[]; label?: string }) {
  if (rules.length === 0) return null;
  return (
    // The label is read before the codes (aria-label is not allowed on a plain span: WCAG 4.1.2, checked by axe).
    <Group gap={4} component="span" wrap="wrap" data-testid="rule-ids" style={{ display: 'inline-flex' }}>
      <VisuallyHidden>{label}:</VisuallyHidden>
      {rules.map((r) => <Code key={r} fz="xs" c="indigo.9" bg="indigo.0">{r}</Code>)}
    </Group>
  );
}

/** The rules a derived value came from (deduplicated over its explanations). */
export function rulesOf(d: Pick<Derived<unknown>, 'explanations'> | null | undefined): string[] {
  return [...new Set((d?.explanations ?? []).flatMap((e) => e.rules))];
}

/** [K] marker: the rule rests on knowledge not re-checked against a primary source. */
export function Unverified() {
  return (
    <Tooltip label="Rests on standard knowledge in the clinical rules ([K]): not re-checked against a primary source" withArrow>
      <Badge size="xs" variant="outline" color="orange" c="orange.9" radius="sm" tabIndex={0} styles={NO_CLIP}>[K] unverified</Badge>
    </Tooltip>
  );
}

/** Why a derived value is what it is: each explanation with its rules, and the facts that were missing. */
export function Provenance({ d }: { d: Pick<Derived<unknown>, 'explanations' | 'missing'> }) {
  if (d.explanations.length === 0 && d.missing.length === 0) return null;
  return (
    <List size="xs" spacing={2} listStyleType="none" ml={0} pl={0} className="tb-provenance">
      {d.explanations.map((e, i) => (
        <List.Item key={`e${i}`}>
          <Text span size="xs" c="gray.8">{e.text}</Text>{' '}<RuleIds rules={e.rules} />{e.unverified ? <> <Unverified /></> : null}
          {e.disagreement ? <Text size="xs" c="orange.9">Sources disagree: {e.disagreement}</Text> : null}
        </List.Item>
      ))}
      {d.missing.map((m) => (
        <List.Item key={`m${m.field}-${m.needed_for}`}>
          <Text span size="xs" c="orange.9">Unknown until <Code fz="xs">{m.field}</Code> is given</Text>
        </List.Item>
      ))}
    </List>
  );
}

/** A derived number (or word) with its unit, "Unknown" when the server could not compute it. */
export function DerivedValue<T>({ d, show }: { d: Derived<T>; show?: (v: T) => ReactNode }) {
  if (d.value === null) return <Text span size="sm" fw={700} c="orange.9" data-known="false">Unknown</Text>;
  return <Text span size="sm" fw={700} data-known="true">{show ? show(d.value) : typeof d.value === 'number' ? formatNumber(d.value) : String(d.value)}</Text>;
}
