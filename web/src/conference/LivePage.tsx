import { Alert, Anchor, Badge, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMe } from '../api/hooks.js';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { useAccess } from '../lib/access.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useConference } from './api.js';
import type { Conference } from './api.js';
import { Attendance } from './Attendance.js';
import { ConferenceStatusBadge, ITEM_STATUS_LABELS, LocalTime, listedName } from './labels.js';
import { LiveCase } from './LiveCase.js';
import { AgendaProgress, MeetingControls } from './MeetingControls.js';
import { PdfLinks } from './PdfLinks.js';
import { RecommendationView, toDraft } from './recommendation.js';
import { formatRange, formatZoned } from './time.js';
import { useConferenceEvents, usePolling } from './useConferenceEvents.js';
import type { Connection } from './useConferenceEvents.js';
import './conference.css';

function ConnectionBadge({ connection }: { connection: Connection }) {
  const ok = connection === 'open';
  return (
    <Badge variant="outline" color={ok ? 'teal' : 'gray'} c={ok ? 'teal.9' : 'gray.8'} radius="sm" data-testid="live-connection" data-state={connection}>
      <span aria-hidden="true">{ok ? '● ' : '○ '}</span>
      {ok ? 'Live updates on' : connection === 'connecting' ? 'Connecting…' : 'Reconnecting — refreshing every 15 s'}
    </Badge>
  );
}

/** After the meeting: every case with its outcome and recommendation. */
function Minutes({ c }: { c: Conference }) {
  return (
    <Card component="section" aria-labelledby="minutes-heading">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} size="h4" id="minutes-heading">Minutes</Title>
        <PdfLinks c={c} />
      </Group>
      <Stack gap="md">
        {c.items.map((i, n) => (
          <section key={i.id} aria-labelledby={`minutes-${i.id}`} data-testid="minutes-item"
            style={{ borderTop: n ? '1px solid var(--mantine-color-gray-2)' : undefined, paddingTop: n ? 12 : 0 }}>
            <Title order={3} size="h5" id={`minutes-${i.id}`}>{n + 1}. <bdi>{listedName(i.patientName)}</bdi> <Text span size="sm" c="dimmed">· {ITEM_STATUS_LABELS[i.status]}</Text></Title>
            {i.status === 'rolled_over' && !i.recommendation
              ? <Text size="sm" c="dimmed">Not discussed: moved to the next occurrence.</Text>
              : <RecommendationView rec={toDraft(i.recommendation)} />}
          </section>
        ))}
      </Stack>
    </Card>
  );
}

function LiveView({ c, connection }: { c: Conference; connection: Connection }) {
  const access = useAccess();
  const me = useMe().data;
  const [announce, setAnnounce] = useState('');
  const [unsaved, setUnsaved] = useState(false);
  const at = c.items.findIndex((i) => i.id === c.currentItemId);
  const current = at >= 0 ? c.items[at] : undefined;
  // Tell screen-reader users when the case changes (for followers, the change comes from the event stream).
  const seen = useRef(c.currentItemId);
  useEffect(() => {
    if (seen.current === c.currentItemId) return;
    seen.current = c.currentItemId;
    if (current) setAnnounce(`Now discussing case ${at + 1} of ${c.items.length}: ${listedName(current.patientName)}.`);
  }, [c.currentItemId]);
  const editable = access.conferenceWrite && c.status === 'live' && !c.minutesLockedAt;

  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/conferences">Conferences</Anchor>
        <Anchor component={Link} to={`/conferences/${c.id}`}>{formatZoned(c.startsAt, c.timeZone)}</Anchor>
        <span>Live meeting</span>
      </Crumbs>
      <PageHeader
        title={`${c.seriesName} · ${c.status === 'live' ? 'live' : c.status === 'finished' ? 'minutes' : 'meeting'}`}
        subtitle={
          <Stack gap={4} mt={4}>
            <Text size="sm" c="dimmed">{formatZoned(c.startsAt, c.timeZone)} ({formatRange(c.startsAt, c.endsAt, c.timeZone)}){c.room ? ` · ${c.room}` : ''}</Text>
            <LocalTime startsAt={c.startsAt} timeZone={c.timeZone} />
          </Stack>
        }
      >
        <ConferenceStatusBadge status={c.status} size="lg" />
        {c.status === 'live' || c.status === 'scheduled' ? <ConnectionBadge connection={connection} /> : null}
        {c.videoLink && (c.status === 'live' || c.status === 'scheduled') ? <Anchor href={c.videoLink} target="_blank" rel="noopener noreferrer" size="sm">Join video<span className="visually-hidden"> (opens in a new tab)</span></Anchor> : null}
      </PageHeader>
      <div aria-live="polite" className="visually-hidden" data-testid="live-announce">{announce}</div>
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="lg">
            {c.status === 'scheduled' ? (
              <Alert color="blue" variant="light" title="The meeting has not started" role="status">
                <Text size="sm">{access.conferenceWrite ? 'Start the meeting when the groups are here: the first case opens for everyone.' : 'This page follows the meeting as soon as the coordinator starts it.'}</Text>
              </Alert>
            ) : null}
            {c.status === 'cancelled' ? (
              <Alert color="gray" title="This conference is cancelled" role="status"><Text size="sm" className="tb-pre">{c.note ?? ''}</Text></Alert>
            ) : null}
            {c.status === 'finished' ? (
              <Alert color="violet" variant="light" title="The meeting is finished" role="status" data-testid="meeting-finished">
                <Text size="sm">Minutes locked{c.minutesLockedAt ? ` ${formatZoned(c.minutesLockedAt, c.timeZone)}` : ''}. Cases not discussed rolled over to the next occurrence.</Text>
              </Alert>
            ) : null}
            {c.status === 'live' && current ? <LiveCase c={c} item={current} position={at + 1} editable={editable} onDirtyChange={setUnsaved} /> : null}
            {c.status === 'live' && !current ? <Text size="sm" c="dimmed">No case is open yet.</Text> : null}
            {c.status === 'finished' ? <Minutes c={c} /> : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="lg">
            {access.conferenceWrite && (c.status === 'scheduled' || c.status === 'live') ? <MeetingControls c={c} unsaved={unsaved} onAnnounce={setAnnounce} /> : null}
            <AgendaProgress c={c} canJump={access.conferenceWrite} unsaved={unsaved} />
            {/* Clinicians check in for their group; a coordinator without a discipline runs the meeting instead. */}
            <Attendance c={c} canCheckIn={access.conferenceInput && (!!me?.discipline || !access.conferenceWrite)} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

/** /conferences/:id/live: the meeting as it happens, for everyone; the coordinator drives it. */
export function LivePage() {
  const { id } = useParams();
  const conference = useConference(id);
  const c = conference.data;
  const currentCase = c?.items.find((i) => i.id === c.currentItemId)?.caseId;
  const { connection } = useConferenceEvents(id, currentCase ? [['case', currentCase, 'assessment']] : []);
  usePolling(connection !== 'open' && !!c && (c.status === 'live' || c.status === 'scheduled'), () => void conference.refetch());
  usePageTitle(c ? `Live · ${c.seriesName}` : 'Live meeting');
  return (
    <QueryState isPending={conference.isPending} error={conference.error} label="conference">
      {c ? <LiveView c={c} connection={connection} /> : null}
    </QueryState>
  );
}
