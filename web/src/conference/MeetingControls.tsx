import { Alert, Button, Card, Group, List, Modal, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useFinishMeeting, useSetCurrent, useStartMeeting } from './api.js';
import type { AgendaItem, Conference } from './api.js';
import { listedName } from './labels.js';

/** Cases that will roll to the next occurrence if the meeting finishes now: not discussed and not the open one. */
export function undiscussed(c: Conference): AgendaItem[] {
  return c.items.filter((i) => i.status === 'pending' && i.id !== c.currentItemId);
}

/**
 * Switching the open case; with unsaved recommendation changes it asks first (they would be lost), in a dialog
 * the caller renders.
 */
function useSwitchCase(c: Conference, unsaved: boolean) {
  const setCurrent = useSetCurrent();
  const [asking, setAsking] = useState<AgendaItem | null>(null);
  const move = (item: AgendaItem) => setCurrent.mutate({ c, itemId: item.id });
  const go = (item: AgendaItem) => (unsaved ? setAsking(item) : move(item));
  const dialog = (
    <Modal opened={!!asking} onClose={() => setAsking(null)} title="Unsaved recommendation" centered>
      <Stack gap="md">
        <Text size="sm">The recommendation for the case being discussed has changes that are not saved. Moving to <bdi>{asking ? listedName(asking.patientName) : null}</bdi> discards them.</Text>
        <Group justify="flex-end">
          <Button variant="default" data-autofocus onClick={() => setAsking(null)}>Stay and save</Button>
          <Button color="red" variant="light" onClick={() => { if (asking) move(asking); setAsking(null); }}>Discard and move on</Button>
        </Group>
      </Stack>
    </Modal>
  );
  return { go, dialog, setCurrent };
}

function FinishMeeting({ c, unsaved, onFinished }: { c: Conference; unsaved: boolean; onFinished: () => void }) {
  const [open, setOpen] = useState(false);
  const finish = useFinishMeeting();
  const rolling = undiscussed(c);
  return (
    <>
      <Button color="red" variant="light" onClick={() => setOpen(true)}>Finish meeting</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Finish the meeting?" centered size="lg">
        <Stack gap="md">
          <Text size="sm">Finishing locks the minutes: recommendations can no longer be changed.</Text>
          {unsaved ? (
            <Alert color="orange" variant="light" title="Unsaved recommendation" data-testid="finish-unsaved">
              <Text size="sm">The recommendation for the case being discussed has changes that are not saved: they are lost if you finish now.</Text>
            </Alert>
          ) : null}
          {rolling.length === 0 ? (
            <Text size="sm" fw={600} data-testid="rolling-none">Every case on the agenda was discussed.</Text>
          ) : (
            <div>
              <Text size="sm" fw={600} mb={4} id="rolling-heading">
                {rolling.length} case{rolling.length === 1 ? ' was' : 's were'} not discussed and will roll to the next occurrence:
              </Text>
              <List size="sm" aria-labelledby="rolling-heading" data-testid="rolling-list">
                {rolling.map((i) => <List.Item key={i.id}><bdi>{listedName(i.patientName)}</bdi> (MRN {i.mrn})</List.Item>)}
              </List>
            </div>
          )}
          <div aria-live="polite">{finish.error ? <ErrorAlert error={finish.error} title="The meeting was not finished" /> : null}</div>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)} data-autofocus>Keep the meeting open</Button>
            <Button color="red" loading={finish.isPending}
              onClick={() => finish.mutate(c, { onSuccess: () => { setOpen(false); onFinished(); } })}>
              Finish and lock the minutes
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

/** The coordinator drives the meeting: start it, move between cases, finish it. */
export function MeetingControls({ c, unsaved, onAnnounce }: { c: Conference; unsaved: boolean; onAnnounce: (m: string) => void }) {
  const start = useStartMeeting();
  const { go, dialog, setCurrent } = useSwitchCase(c, unsaved);
  const at = c.items.findIndex((i) => i.id === c.currentItemId);
  const prev = at > 0 ? c.items[at - 1] : undefined;
  const next = at >= 0 ? c.items[at + 1] : c.items[0];
  const error = start.error ?? setCurrent.error;
  return (
    <Card component="section" aria-labelledby="controls-heading">
      <Title order={2} size="h4" id="controls-heading" mb="sm">Run the meeting</Title>
      <div aria-live="polite">{error ? <ErrorAlert error={error} title={start.error ? 'The meeting did not start' : 'The case did not change'} /> : null}</div>
      {c.status === 'scheduled' ? (
        <Stack gap="xs">
          <Text size="sm">{c.items.length === 0 ? 'The agenda is empty.' : `${c.items.length} case${c.items.length === 1 ? '' : 's'} on the agenda.`}</Text>
          <Button onClick={() => start.mutate(c, { onSuccess: () => onAnnounce('The meeting has started.') })} loading={start.isPending}
            disabled={c.items.length === 0}>
            Start meeting
          </Button>
        </Stack>
      ) : null}
      {c.status === 'live' ? (
        <Stack gap="sm">
          <Group grow gap="xs">
            <Button variant="default" disabled={!prev || setCurrent.isPending} onClick={() => prev && go(prev)}>Previous case</Button>
            <Button disabled={!next || setCurrent.isPending} loading={setCurrent.isPending} onClick={() => next && go(next)}>Next case</Button>
          </Group>
          <Text size="xs" c="dimmed" data-testid="up-next">{next ? <>Up next: <bdi>{listedName(next.patientName)}</bdi></> : 'This is the last case.'}</Text>
          <FinishMeeting c={c} unsaved={unsaved} onFinished={() => onAnnounce('The meeting is finished and the minutes are locked.')} />
        </Stack>
      ) : null}
      {dialog}
    </Card>
  );
}

/** The agenda in order, with where the meeting is; a coordinator can jump to any case. */
export function AgendaProgress({ c, canJump, unsaved }: { c: Conference; canJump: boolean; unsaved: boolean }) {
  const { go, dialog, setCurrent } = useSwitchCase(c, unsaved);
  return (
    <Card component="section" aria-labelledby="progress-heading">
      <Title order={2} size="h4" id="progress-heading" mb="sm">Agenda</Title>
      <ol style={{ margin: 0, paddingLeft: 22 }} aria-label="Agenda progress" data-testid="agenda-progress">
        {c.items.map((i) => {
          const current = i.id === c.currentItemId;
          const mark = current ? '▶ Now' : i.status === 'discussed' ? '✓ Discussed' : i.status === 'rolled_over' ? '↪ Rolled over' : i.startedAt ? '✓ Discussed' : '';
          return (
            <li key={i.id} aria-current={current ? 'step' : undefined} style={{ marginBottom: 6 }}>
              <Group gap={6} justify="space-between" wrap="nowrap">
                <div>
                  <Text size="sm" fw={current ? 700 : 500} data-testid="progress-patient"><bdi>{listedName(i.patientName)}</bdi></Text>
                  <Text size="xs" c={current ? 'teal.9' : 'dimmed'} fw={current ? 700 : undefined}>
                    {mark || 'Waiting'} · {i.estimatedMinutes} min{i.readiness.ready || c.status === 'finished' ? '' : ' · ⚠ not ready'}
                  </Text>
                </div>
                {canJump && c.status === 'live' && !current ? (
                  <Button size="compact-xs" variant="subtle" aria-label={`Discuss ${listedName(i.patientName)} now`} disabled={setCurrent.isPending}
                    onClick={() => go(i)}>
                    Go
                  </Button>
                ) : null}
              </Group>
            </li>
          );
        })}
      </ol>
      <div aria-live="polite">{setCurrent.error ? <ErrorAlert error={setCurrent.error} title="The case did not change" /> : null}</div>
      {dialog}
    </Card>
  );
}
