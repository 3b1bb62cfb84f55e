import { Alert, Anchor, Button, Card, Grid, Group, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { useAccess } from '../lib/access.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { AddCaseForm } from './AddCaseForm.js';
import { AgendaTable } from './AgendaTable.js';
import { useConference } from './api.js';
import type { Conference } from './api.js';
import { Place } from './ConferencesPage.js';
import { PdfLinks } from './PdfLinks.js';
import { ConferenceStatusBadge, LocalTime } from './labels.js';
import { formatRange, formatZoned } from './time.js';
import { useConferenceEvents, usePolling } from './useConferenceEvents.js';
import './conference.css';

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>{term}</Text>
      <div style={{ fontSize: 'var(--mantine-font-size-sm)' }}>{children}</div>
    </div>
  );
}

/** Date, time, place, status and cut-off of one occurrence. */
export function ConferenceFacts({ c }: { c: Conference }) {
  const cutoffPassed = new Date(c.cutoffAt).getTime() <= Date.now();
  return (
    <Card mb="lg" py="md">
      <Group gap="xl" align="flex-start" wrap="wrap">
        <Fact term="Date and time">
          <Text size="sm" fw={600} data-testid="series-time">{formatZoned(c.startsAt, c.timeZone)}</Text>
          <Text size="xs" c="dimmed">{formatRange(c.startsAt, c.endsAt, c.timeZone)} · {c.timeZone}</Text>
          <LocalTime startsAt={c.startsAt} timeZone={c.timeZone} />
        </Fact>
        <Fact term="Place"><Place room={c.room} videoLink={c.status === 'scheduled' || c.status === 'live' ? c.videoLink : null} /></Fact>
        <Fact term="Status"><ConferenceStatusBadge status={c.status} /></Fact>
        <Fact term="Cut-off for new cases">
          <Text size="sm" data-testid="cutoff">{formatZoned(c.cutoffAt, c.timeZone)}</Text>
          <Text size="xs" c="dimmed">{cutoffPassed ? 'Passed' : `${c.cutoffHours} h before the start`}</Text>
        </Fact>
        <Fact term="Cases">
          <Text size="sm" data-testid="agenda-count">{c.items.length} of {c.capacity} places</Text>
          <Text size="xs" c={c.readyCount === c.items.length ? 'teal.9' : 'orange.9'} fw={600} data-testid="ready-count">
            <span aria-hidden="true">{c.readyCount === c.items.length ? '✓ ' : '⚠ '}</span>{c.readyCount} of {c.items.length} ready
          </Text>
        </Fact>
      </Group>
    </Card>
  );
}

function ConferenceView({ c }: { c: Conference }) {
  const access = useAccess();
  const minutes = c.items.reduce((n, i) => n + i.estimatedMinutes, 0);
  const length = Math.round((new Date(c.endsAt).getTime() - new Date(c.startsAt).getTime()) / 60_000);
  const canAdd = c.status === 'scheduled' && (access.conferenceWrite || access.conferenceInput);
  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/conferences">Conferences</Anchor>
        <span>{formatZoned(c.startsAt, c.timeZone)}</span>
      </Crumbs>
      <PageHeader title={`${c.seriesName} · agenda`} subtitle={formatZoned(c.startsAt, c.timeZone)}>
        <PdfLinks c={c} />
        {c.status !== 'cancelled' ? (
          <Button component={Link} to={`/conferences/${c.id}/live`} variant={c.status === 'live' ? 'filled' : 'default'}>
            {c.status === 'live' ? 'Join live meeting' : c.status === 'finished' ? 'Meeting record' : 'Live meeting'}
          </Button>
        ) : null}
      </PageHeader>
      {c.status === 'cancelled' ? (
        <Alert color="gray" title="This conference is cancelled" mb="lg" role="status">
          <Text size="sm" className="tb-pre">{c.note ?? 'No reason given.'}</Text>
        </Alert>
      ) : c.note ? (
        <Alert color="blue" variant="light" title="Note" mb="lg"><Text size="sm" className="tb-pre">{c.note}</Text></Alert>
      ) : null}
      {c.minutesLockedAt ? (
        <Alert color="violet" variant="light" mb="lg" title="Minutes locked">
          <Text size="sm">The meeting finished and its minutes were locked {formatZoned(c.minutesLockedAt, c.timeZone)}.</Text>
        </Alert>
      ) : null}
      <ConferenceFacts c={c} />
      <Grid gutter="lg">
        <Grid.Col span={12}>
          <Card component="section" aria-labelledby="agenda-heading">
            <Group justify="space-between" mb="sm" wrap="wrap">
              <Title order={2} size="h4" id="agenda-heading">Agenda</Title>
              <Text size="sm" c={minutes > length ? 'orange.9' : 'dimmed'} fw={minutes > length ? 600 : undefined}>
                {minutes} of {length} minutes planned{minutes > length ? ' — over time' : ''}
              </Text>
            </Group>
            {access.conferenceWrite && c.items.length > 1 && (c.status === 'scheduled' || c.status === 'live') ? (
              <Text size="xs" c="dimmed" mb="xs">Drag a row by its handle, or use the arrow buttons, to change the order.</Text>
            ) : null}
            <AgendaTable conference={c} canArrange={access.conferenceWrite} />
          </Card>
        </Grid.Col>
        {canAdd ? (
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <AddCaseForm conference={c} propose={!access.conferenceWrite} />
          </Grid.Col>
        ) : null}
      </Grid>
    </>
  );
}

/** /conferences/:id: the agenda of one occurrence, with each case's readiness. */
export function ConferencePage() {
  const { id } = useParams();
  const conference = useConference(id);
  const { connection } = useConferenceEvents(id);
  const c = conference.data;
  usePageTitle(c ? `${c.seriesName} ${formatZoned(c.startsAt, c.timeZone)}` : 'Conference');
  // Without the event stream, poll so the agenda does not go stale.
  usePolling(connection !== 'open' && !!c, () => void conference.refetch());
  return (
    <QueryState isPending={conference.isPending} error={conference.error} label="conference">
      {c ? <ConferenceView c={c} /> : null}
    </QueryState>
  );
}
