import { Button, Group, Stack, Text, TextInput, Timeline } from '@mantine/core';
import { useState } from 'react';
import { useChangeCaseStatus, useMe } from '../api/hooks.js';
import { CASE_STATUSES } from '../api/types.js';
import type { CaseRecord, CaseStatus } from '../api/types.js';
import { formatDateTime, humanize } from '../lib/format.js';
import { ErrorAlert } from './ErrorAlert.js';

function Dot({ done }: { done: boolean }) {
  return (
    <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
      <circle cx="5" cy="5" r="4" fill={done ? 'currentColor' : 'none'} stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

/** The case's status history, newest last (Mantine Timeline). */
export function CaseTimeline({ record }: { record: CaseRecord }) {
  // The API gives only the user ID; name the current user, leave others unnamed rather than show a raw ID.
  const myId = useMe().data?.id;
  const entries = record.timeline.length > 0
    ? record.timeline
    : [{ status: record.status, at: record.createdAt, byUserId: '', byDisplayName: null, note: null }];
  return (
    <Timeline active={entries.length - 1} bulletSize={18} lineWidth={2}>
      {entries.map((t, i) => (
        <Timeline.Item key={`${t.at}-${t.status}-${i}`} bullet={<Dot done={i < entries.length - 1} />} title={humanize(t.status)}>
          <Text size="xs" c="dimmed">
            {formatDateTime(t.at)}{t.byUserId && t.byUserId === myId ? ' · by you' : t.byDisplayName ? ` · by ${t.byDisplayName}` : ''}
          </Text>
          {t.note ? <Text size="sm" mt={2}>{t.note}</Text> : null}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/** The statuses a case may move to: one step forward or one step back (the server rejects others with 409). */
export function neighbourStatuses(status: CaseStatus): { back: CaseStatus | null; forward: CaseStatus | null } {
  const i = CASE_STATUSES.indexOf(status);
  return { back: i > 0 ? CASE_STATUSES[i - 1] ?? null : null, forward: i >= 0 ? CASE_STATUSES[i + 1] ?? null : null };
}

interface ControlProps {
  record: CaseRecord;
  onReload: () => void;
}

/** Move the case one step forward or back, with an optional note. Sends the case version as If-Match. */
export function CaseStatusControl({ record, onReload }: ControlProps) {
  const change = useChangeCaseStatus(record.patientId);
  const [note, setNote] = useState('');
  const { back, forward } = neighbourStatuses(record.status);
  const move = (status: CaseStatus) =>
    change.mutate({ id: record.id, version: record.version, status, note: note.trim() || undefined }, {
      onSuccess: () => setNote(''),
    });
  return (
    <Stack gap="xs">
      <TextInput label="Note for status change" placeholder="Optional, e.g. presented at conference 2025-03-04"
        size="sm" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
      <Group gap="xs">
        {back ? (
          <Button variant="default" size="xs" loading={change.isPending && change.variables?.status === back} onClick={() => move(back)}>
            Back to {humanize(back)}
          </Button>
        ) : null}
        {forward ? (
          <Button size="xs" loading={change.isPending && change.variables?.status === forward} onClick={() => move(forward)}>
            Move to {humanize(forward)}
          </Button>
        ) : (
          <Text size="xs" c="dimmed">Final status reached.</Text>
        )}
      </Group>
      <div aria-live="polite">
        {change.error ? (
          <ErrorAlert error={change.error} title="Status not changed" onReload={() => { change.reset(); onReload(); }} />
        ) : null}
      </div>
    </Stack>
  );
}
