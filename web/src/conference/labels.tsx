import { Badge, Text } from '@mantine/core';
import type { BadgeProps } from '@mantine/core';
import { humanize } from '../lib/format.js';
import type { AgendaItem, AgendaKind, OccurrenceStatus } from './api.js';
import { localIfDifferent } from './time.js';

/** Words for the codes on the conference pages. */
export const STATUS_LABELS: Record<OccurrenceStatus, string> = {
  scheduled: 'Scheduled', cancelled: 'Cancelled', live: 'Live', finished: 'Finished',
};
const STATUS_COLORS: Record<OccurrenceStatus, string> = { scheduled: 'indigo', cancelled: 'gray', live: 'teal', finished: 'violet' };

export const KIND_LABELS: Record<AgendaKind, string> = {
  new_diagnosis: 'New diagnosis', urgent: 'Urgent', post_treatment: 'Post-treatment', relapse: 'Relapse', follow_up: 'Follow-up',
};
const KIND_COLORS: Record<AgendaKind, string> = {
  new_diagnosis: 'blue', urgent: 'red', post_treatment: 'grape', relapse: 'orange', follow_up: 'gray',
};

export const STANCE_LABELS: Record<string, string> = {
  recommendation: 'Recommendation',
  no_direct_role_comment: 'No direct role, comment',
  needs_more_information: 'Needs more information',
};

export const ITEM_STATUS_LABELS: Record<AgendaItem['status'], string> = {
  pending: 'Not discussed yet', discussed: 'Discussed', rolled_over: 'Rolled over',
};

export const MODE_LABELS: Record<string, string> = { in_person: 'In person', remote: 'Remote' };

/** Badges in narrow table cells keep their whole word instead of an ellipsis. */
const NO_CLIP = { root: { overflow: 'visible', flexShrink: 0 }, label: { overflow: 'visible' } } as const;

export { listedName } from '../lib/format.js';

export const disciplineLabel = (d: string | null | undefined) => humanize(d);
export const kindLabel = (k: string) => KIND_LABELS[k as AgendaKind] ?? humanize(k);
export const stanceLabel = (s: string) => STANCE_LABELS[s] ?? humanize(s);

export function ConferenceStatusBadge({ status, size = 'md' }: { status: OccurrenceStatus; size?: BadgeProps['size'] }) {
  const color = STATUS_COLORS[status] ?? 'gray';
  return (
    <Badge size={size} color={color} c={status === 'live' ? undefined : `${color}.9`} variant={status === 'live' ? 'filled' : 'light'}
      radius="sm" data-testid="conference-status" styles={NO_CLIP}>
      {status === 'live' ? <span aria-hidden="true">● </span> : null}
      {STATUS_LABELS[status] ?? humanize(status)}
    </Badge>
  );
}

export function KindBadge({ kind, size = 'sm' }: { kind: AgendaKind; size?: BadgeProps['size'] }) {
  const color = KIND_COLORS[kind] ?? 'gray';
  return (
    <Badge size={size} color={color} c={kind === 'urgent' ? undefined : `${color}.9`} variant={kind === 'urgent' ? 'filled' : 'light'}
      radius="sm" styles={NO_CLIP}>
      {kindLabel(kind)}
    </Badge>
  );
}

/** Ready / not ready with an icon and words, never colour alone. */
export function ReadyMark({ ready, size = 'sm' }: { ready: boolean; size?: 'xs' | 'sm' }) {
  return ready ? (
    <Text span size={size} fw={600} c="teal.9" data-testid="ready-mark" data-ready="true" style={{ whiteSpace: 'nowrap' }}>
      <span aria-hidden="true">✓ </span>Ready
    </Text>
  ) : (
    <Text span size={size} fw={700} c="orange.9" data-testid="ready-mark" data-ready="false" style={{ whiteSpace: 'nowrap' }}>
      <span aria-hidden="true">⚠ </span>Not ready
    </Text>
  );
}

/** The viewer's own clock for an instant shown in the series' zone. */
export function LocalTime({ startsAt, timeZone }: { startsAt: string; timeZone: string }) {
  const local = localIfDifferent(startsAt, timeZone);
  return (
    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} data-testid="local-time">
      {local ? `Your time: ${local}` : 'Same as your local time'}
    </Text>
  );
}
