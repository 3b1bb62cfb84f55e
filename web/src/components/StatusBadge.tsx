import { Badge } from '@mantine/core';
import { humanize } from '../lib/format.js';

const COLORS: Record<string, string> = {
  referred: 'gray',
  under_review: 'blue',
  presented: 'violet',
  plan_agreed: 'teal',
  in_treatment: 'orange',
  follow_up: 'green',
};

/** A status is short: the badge keeps its whole label (no ellipsis) and its column makes room for it. */
const WHOLE_LABEL = { root: { overflow: 'visible', flexShrink: 0, maxWidth: 'none' }, label: { overflow: 'visible', textOverflow: 'clip' } } as const;

export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <>—</>;
  return (
    <Badge color={COLORS[status] ?? 'gray'} c={`${COLORS[status] ?? 'gray'}.9`} variant="light" tt="none" radius="sm" styles={WHOLE_LABEL}>
      {humanize(status)}
    </Badge>
  );
}

export function UrgentBadge() {
  return <Badge color="red" variant="filled" tt="none" radius="sm" styles={WHOLE_LABEL}>Urgent</Badge>;
}
