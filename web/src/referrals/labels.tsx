import { Badge, Group, Text } from '@mantine/core';
import type { Clock, ReferralStatus } from './api.js';

/** Words for codes on the staff pages. */
export const STATUS_LABELS: Record<string, string> = {
  received: 'Received',
  triaged: 'Triaged',
  records_requested: 'Records requested',
  records_complete: 'Records complete',
  scheduled: 'Scheduled',
  presented: 'Presented',
  declined: 'Declined',
  redirected: 'Redirected',
};

/** What a referrer reads about their own referral. */
export const STATUS_FOR_REFERRER: Record<string, string> = {
  received: 'Received — waiting for a coordinator to review it',
  triaged: 'Accepted for review — a coordinator is handling it',
  records_requested: 'Waiting for medical records',
  records_complete: 'Records complete — being prepared for the tumour board',
  scheduled: 'Scheduled for the tumour board',
  presented: 'Discussed at the tumour board',
  declined: 'Not accepted — the coordinator will explain why',
  redirected: 'Sent to another service',
};

/** Label of the button that moves a referral to a status. */
export const TRANSITION_LABELS: Record<string, string> = {
  triaged: 'Triage',
  records_requested: 'Request records',
  records_complete: 'Mark records complete',
  scheduled: 'Schedule for conference',
  presented: 'Mark presented',
  declined: 'Decline',
  redirected: 'Redirect',
};

export const FAMILY_LABELS: Record<string, string> = {
  osteosarcoma: 'Osteosarcoma',
  ewing: 'Ewing sarcoma',
  rhabdomyosarcoma: 'Rhabdomyosarcoma',
  nrsts: 'Non-rhabdomyosarcoma soft-tissue sarcoma',
  other_bone_malignant: 'Other malignant bone tumour',
  benign_bone: 'Benign bone tumour',
  intermediate_soft_tissue: 'Intermediate soft-tissue tumour',
};

export const RECORD_STATUS_LABELS: Record<string, string> = {
  needed: 'Needed',
  requested: 'Requested',
  received: 'Received',
  reviewed: 'Reviewed',
  not_applicable: 'Not applicable',
};

export const LETTER_LABELS: Record<string, string> = { not_needed: 'Not needed', needed: 'Needed', sent: 'Sent' };

export const CHANNEL_LABELS: Record<string, string> = { staff: 'Staff entry', physician: 'Physician', family: 'Family' };
export const ORIGIN_LABELS: Record<string, string> = { internal: 'Internal', domestic: 'Domestic', international: 'International' };
export const ROLE_LABELS: Record<string, string> = { physician: 'Physician', nurse: 'Nurse', parent: 'Parent', guardian: 'Guardian', other: 'Other' };

const word = (map: Record<string, string>, code: string | null | undefined) => (code ? map[code] ?? code.replace(/_/g, ' ') : '—');
export const statusLabel = (s: string | null | undefined) => word(STATUS_LABELS, s);
export const familyLabel = (s: string | null | undefined) => word(FAMILY_LABELS, s);
export const channelLabel = (s: string | null | undefined) => word(CHANNEL_LABELS, s);
export const originLabel = (s: string | null | undefined) => word(ORIGIN_LABELS, s);
export const roleLabel = (s: string | null | undefined) => word(ROLE_LABELS, s);

/** Badges in narrow table cells keep their whole word instead of an ellipsis. */
const NO_CLIP = { root: { overflow: 'visible', flexShrink: 0 }, label: { overflow: 'visible' } } as const;

const STATUS_COLORS: Record<string, string> = {
  received: 'blue',
  triaged: 'cyan',
  records_requested: 'yellow',
  records_complete: 'teal',
  scheduled: 'violet',
  presented: 'green',
  declined: 'gray',
  redirected: 'gray',
};

export function ReferralStatusBadge({ status, size = 'md' }: { status: ReferralStatus | string; size?: 'sm' | 'md' | 'lg' }) {
  const color = STATUS_COLORS[status] ?? 'gray';
  return (
    <Badge color={color} c={`${color}.9`} variant="light" radius="sm" size={size} data-testid="referral-status" styles={NO_CLIP}>
      {statusLabel(status)}
    </Badge>
  );
}

/** Urgent is filled red, routine an outline: the word tells either way. */
export function UrgencyBadge({ urgency, size = 'md' }: { urgency: string; size?: 'sm' | 'md' | 'lg' }) {
  return urgency === 'urgent'
    ? <Badge color="red" variant="filled" radius="sm" size={size} styles={NO_CLIP}>Urgent</Badge>
    : <Badge color="gray" c="gray.8" variant="outline" radius="sm" size={size} styles={NO_CLIP}>Routine</Badge>;
}

/** "Overdue" said in words (and an icon-like mark), never by colour alone. */
export function OverdueBadge({ size = 'sm' }: { size?: 'xs' | 'sm' | 'md' }) {
  return (
    <Badge color="red" c="red.9" variant="light" radius="sm" size={size} styles={NO_CLIP} leftSection={<span aria-hidden="true">!</span>}>
      Overdue
    </Badge>
  );
}

/** 30 → "30 h", 60 → "2 d 12 h". */
export function formatHours(h: number): string {
  const hours = Math.max(0, Math.round(h));
  if (hours < 48) return `${hours} h`;
  const d = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${d} d ${rest} h` : `${d} d`;
}

/** The clock that matters now: the first running one, else the last stopped one. */
export function currentClock(clocks: readonly Clock[]): Clock | undefined {
  return clocks.find((c) => c.overdue && !c.stoppedAt) ?? clocks.find((c) => !c.stoppedAt) ?? clocks[clocks.length - 1];
}

const CLOCK_SHORT: Record<string, string> = { triage: 'Triage', records: 'Records', conference: 'Conference' };

/** A clock's short name: "Triage", "Records", "Conference". */
export const clockName = (clock: Clock): string => CLOCK_SHORT[clock.key] ?? clock.label;

/** One turnaround clock as text: "Triage: 30 h of 24 h" and, when late, the word "Overdue" (not colour alone). */
export function ClockText({ clock, stacked = false }: { clock: Clock; stacked?: boolean }) {
  const name = clockName(clock);
  const numbers = `${formatHours(clock.elapsedHours)} of ${formatHours(clock.targetHours)}${clock.stoppedAt ? ' (stopped)' : ''}`;
  const color = clock.overdue ? 'red.9' : undefined;
  if (stacked) {
    return (
      <div data-testid="clock" data-overdue={clock.overdue ? 'true' : 'false'}>
        <Text size="sm" c={color} fw={clock.overdue ? 600 : 500}>{name}</Text>
        <Text size="xs" c={clock.overdue ? 'red.9' : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>{numbers}</Text>
        {clock.overdue ? <OverdueBadge size="xs" /> : null}
      </div>
    );
  }
  return (
    <Group gap={6} wrap="nowrap" data-testid="clock" data-overdue={clock.overdue ? 'true' : 'false'}>
      <Text size="sm" c={color} fw={clock.overdue ? 600 : undefined} style={{ whiteSpace: 'nowrap' }}>{name}: {numbers}</Text>
      {clock.overdue ? <OverdueBadge size="xs" /> : null}
    </Group>
  );
}
