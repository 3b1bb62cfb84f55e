import { Anchor, Button, Card, Group, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { Pager } from '../components/Pager.js';
import { useAccess } from '../lib/access.js';
import { humanize } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useConferences, useSeries } from './api.js';
import { CalendarLink } from './CalendarLink.js';
import type { ConferenceSummary, When } from './api.js';
import { ConferenceStatusBadge, LocalTime } from './labels.js';
import { OccurrenceActions } from './OccurrenceActions.js';
import { SeriesForm } from './SeriesForm.js';
import { formatRange, formatZoned } from './time.js';
import './conference.css';
import { TableStatusRows } from '../components/TableStatusRows.js';

const PAGE_SIZE = 20;

/** Room and video link; the link opens in a new tab. */
export function Place({ room, videoLink }: { room: string | null; videoLink: string | null }) {
  if (!room && !videoLink) return <Text span size="sm" c="dimmed">Not set</Text>;
  return (
    <Stack gap={0}>
      {room ? <Text size="sm">{room}</Text> : null}
      {videoLink ? (
        <Anchor href={videoLink} target="_blank" rel="noopener noreferrer" size="sm">
          Join video<span className="visually-hidden"> (opens in a new tab)</span>
        </Anchor>
      ) : null}
    </Stack>
  );
}

function ReadyCount({ c }: { c: ConferenceSummary }) {
  if (c.caseCount === 0 || c.status === 'cancelled') return <Text span size="sm" c="dimmed">—</Text>;
  // After the meeting readiness is history, not a to-do.
  if (c.status === 'finished') return <Text span size="sm" c="dimmed" data-testid="ready-count">{c.readyCount} of {c.caseCount} were ready</Text>;
  const all = c.readyCount === c.caseCount;
  return (
    <Text span size="sm" fw={600} c={all ? 'teal.9' : 'orange.9'} style={{ whiteSpace: 'nowrap' }} data-testid="ready-count">
      <span aria-hidden="true">{all ? '✓ ' : '⚠ '}</span>{c.readyCount} of {c.caseCount} ready
    </Text>
  );
}

function OccurrenceTable({ when, canWrite, onResult }: { when: When; canWrite: boolean; onResult: (m: string) => void }) {
  const [offset, setOffset] = useState(0);
  const list = useConferences(when, PAGE_SIZE, offset);
  const items = list.data?.items ?? [];
  const cols = canWrite ? 7 : 6;
  return (
    <>
      <div aria-live="polite">{list.error ? <ErrorAlert error={list.error} title="Could not load conferences" /> : null}</div>
      <Table.ScrollContainer minWidth={900}>
        <Table aria-label={when === 'upcoming' ? 'Upcoming conferences' : 'Past conferences'} aria-busy={list.isFetching} fz="sm" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date and time</Table.Th>
              <Table.Th>Series</Table.Th>
              <Table.Th>Room / video</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Cases</Table.Th>
              <Table.Th>Readiness</Table.Th>
              {canWrite ? <Table.Th>Actions</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((c) => (
              <Table.Tr key={c.id} data-testid="conference-row" data-status={c.status} className={c.status === 'cancelled' ? 'tb-cancelled-row' : undefined}>
                <Table.Td>
                  <Anchor component={Link} to={`/conferences/${c.id}`} fw={600} size="sm" style={{ whiteSpace: 'nowrap' }} data-testid="series-time">
                    {formatZoned(c.startsAt, c.timeZone)}
                  </Anchor>
                  <Text size="xs" c="dimmed">{formatRange(c.startsAt, c.endsAt, c.timeZone)} · {c.timeZone}</Text>
                  <LocalTime startsAt={c.startsAt} timeZone={c.timeZone} />
                </Table.Td>
                <Table.Td>{c.seriesName}</Table.Td>
                <Table.Td><Place room={c.room} videoLink={c.status === 'scheduled' || c.status === 'live' ? c.videoLink : null} /></Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    <ConferenceStatusBadge status={c.status} size="sm" />
                    {c.status === 'live' ? <Anchor component={Link} to={`/conferences/${c.id}/live`} size="sm">Join live</Anchor> : null}
                  </Group>
                  {c.note ? <Text size="xs" c="dimmed" mt={2} lineClamp={2} title={c.note}>{c.note}</Text> : null}
                </Table.Td>
                <Table.Td>{c.caseCount}</Table.Td>
                <Table.Td><ReadyCount c={c} /></Table.Td>
                {canWrite ? <Table.Td><OccurrenceActions c={c} onResult={onResult} /></Table.Td> : null}
              </Table.Tr>
            ))}
            <TableStatusRows colSpan={cols} pending={list.isPending} empty={!list.error && items.length === 0} loading="Loading conferences…" emptyText={when === 'upcoming' ? 'No upcoming conferences.' : 'No past conferences.'} />
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {list.data && list.data.total > PAGE_SIZE ? (
        <Pager total={list.data.total} limit={PAGE_SIZE} offset={offset} noun="conferences" onChange={setOffset} />
      ) : null}
    </>
  );
}

function SeriesList() {
  const series = useSeries();
  const items = series.data?.items ?? [];
  return (
    <Card component="section" aria-labelledby="series-heading" mt="lg">
      <Title order={2} size="h4" id="series-heading" mb="sm">Series</Title>
      <div aria-live="polite">{series.error ? <ErrorAlert error={series.error} title="Could not load the series" /> : null}</div>
      {series.isPending ? <Text size="sm" c="dimmed" role="status">Loading series…</Text> : null}
      {!series.isPending && items.length === 0 && !series.error ? <Text size="sm" c="dimmed">No series yet.</Text> : null}
      <Stack gap="sm" component="ul" aria-label="Conference series" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {items.map((s) => (
          <li key={s.id} data-testid="series-row">
            <Group justify="space-between" wrap="nowrap" gap="md" align="flex-start">
              <div style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={600}>{s.name}</Text>
                <Text size="xs" c="dimmed">
                  Every {humanize(s.weekday)} at {s.startTime} ({s.timeZone}) for {s.durationMinutes} min · up to {s.capacity} cases ·
                  cut-off {s.cutoffHours} h before · from {s.startsOn}{s.room ? ` · ${s.room}` : ''}
                </Text>
              </div>
              <CalendarLink seriesId={s.id} seriesName={s.name} />
            </Group>
          </li>
        ))}
      </Stack>
    </Card>
  );
}

/** /conferences: upcoming and past occurrences, and the series they come from. */
export function ConferencesPage() {
  usePageTitle('Tumor Conference');
  const { conferenceWrite } = useAccess();
  const [params, setParams] = useSearchParams();
  const when: When = params.get('when') === 'past' ? 'past' : 'upcoming';
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState('');
  return (
    <>
      <PageHeader title="Tumor Conference" subtitle="The weekly multidisciplinary conference: agendas, readiness and live meetings">
        {conferenceWrite && !creating ? <Button onClick={() => { setCreating(true); setMessage(''); }}>New series</Button> : null}
      </PageHeader>
      <Text role="status" size="sm" c="teal.9" fw={600} mb={message ? 'sm' : 0} data-testid="conference-message">{message}</Text>
      {creating ? (
        <SeriesForm onCancel={() => setCreating(false)}
          onDone={(s) => { setCreating(false); setMessage(`Series “${s.name}” created: its occurrences are listed under Upcoming.`); }} />
      ) : null}
      <Card>
        <Tabs value={when} onChange={(v) => setParams(v === 'past' ? { when: 'past' } : {}, { replace: true })} keepMounted={false}>
          <Tabs.List mb="md" aria-label="Which conferences">
            <Tabs.Tab value="upcoming">Upcoming</Tabs.Tab>
            <Tabs.Tab value="past">Past</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="upcoming"><OccurrenceTable when="upcoming" canWrite={conferenceWrite} onResult={setMessage} /></Tabs.Panel>
          <Tabs.Panel value="past"><OccurrenceTable when="past" canWrite={conferenceWrite} onResult={setMessage} /></Tabs.Panel>
        </Tabs>
      </Card>
      <SeriesList />
    </>
  );
}
