import { Alert, Anchor, Button, Card, Grid, Group, Stack, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { useAccess } from '../lib/access.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useConference } from './api.js';
import type { AgendaItem, Conference } from './api.js';
import { DisciplineInputForm, InputsList } from './DisciplineInputs.js';
import { KindBadge, listedName } from './labels.js';
import { ReadinessChecklist } from './Readiness.js';
import { formatZoned } from './time.js';
import { useConferenceEvents } from './useConferenceEvents.js';
import './conference.css';

function InputView({ c, item }: { c: Conference; item: AgendaItem }) {
  const access = useAccess();
  const locked = !!c.minutesLockedAt || c.status === 'cancelled';
  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/conferences">Conferences</Anchor>
        <Anchor component={Link} to={`/conferences/${c.id}`}>{formatZoned(c.startsAt, c.timeZone)}</Anchor>
        <span>{listedName(item.patientName)}</span>
      </Crumbs>
      <PageHeader
        title={<>Discipline input · {listedName(item.patientName)}</>}
        subtitle={
          <Group gap="sm" mt={4}>
            <span>MRN <Text span ff="monospace" size="sm">{item.mrn}</Text></span>
            <span>{item.diagnosis ?? 'Diagnosis not recorded'}</span>
            <KindBadge kind={item.kind} />
          </Group>
        }
      >
        {access.registry ? <Button component={Link} to={`/cases/${item.caseId}`} variant="default">Open case</Button> : null}
        <Button component={Link} to={`/conferences/${c.id}`} variant="default">Back to agenda</Button>
      </PageHeader>
      {locked ? (
        <Alert color="gray" mb="lg" role="status" title="Input is closed">
          <Text size="sm">{c.status === 'cancelled' ? 'This conference was cancelled.' : 'The meeting finished and its minutes are locked.'}</Text>
        </Alert>
      ) : null}
      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="lg">
            <Card py="sm">
              <Text size="sm"><Text span fw={600}>Question for the conference: </Text>{item.question ?? <Text span c="dimmed" inherit>not stated yet</Text>}</Text>
            </Card>
            {access.conferenceInput || access.conferenceWrite ? (
              <DisciplineInputForm conferenceId={c.id} item={item} locked={locked} />
            ) : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="lg">
            <Card><InputsList inputs={item.inputs} /></Card>
            <Card component="section" aria-labelledby="case-readiness-heading">
              <Text component="h2" size="md" fw={650} id="case-readiness-heading" mb="xs">Readiness</Text>
              <ReadinessChecklist item={item} />
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

/** /conferences/:id/cases/:caseId/input: one case's input from every group, and the form for the user's group. */
export function DisciplineInputPage() {
  const { id, caseId } = useParams();
  const conference = useConference(id);
  useConferenceEvents(id);
  const item = conference.data?.items.find((i) => i.caseId === caseId);
  usePageTitle(item ? `Input · ${listedName(item.patientName)}` : 'Discipline input');
  return (
    <QueryState isPending={conference.isPending} error={conference.error} label="conference">
      {conference.data && item ? <InputView c={conference.data} item={item} /> : null}
      {conference.data && !item ? (
        <Alert color="yellow" title="Not on this agenda" role="status">
          <Text size="sm">This case is not on the agenda of this conference. <Anchor component={Link} to={`/conferences/${conference.data.id}`}>Back to the agenda</Anchor></Text>
        </Alert>
      ) : null}
    </QueryState>
  );
}
