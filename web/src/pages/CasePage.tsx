import { Anchor, Button, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useCase } from '../api/hooks.js';
import type { CaseDetail } from '../api/types.js';
import { CaseStatusControl, CaseTimeline } from '../components/CaseTimeline.js';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { StatusBadge, UrgentBadge } from '../components/StatusBadge.js';
import { TumorFacts } from '../components/TumorList.js';
import { caseReference } from '../../../src/domain/registry/case-reference.js';
import { formatAge, formatDate, formatSex, patientName } from '../lib/format.js';
import { useAccess } from '../lib/access.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { CaseAssessment } from '../components/CaseAssessment.js';
import { TrialMatchesPanel } from '../trials/TrialMatchesPanel.js';
import { AccessBanner } from '../access/AccessBanner.js';
import { ReviewerCommentPanel, SecondOpinionPanel } from '../access/SecondOpinionPanel.js';


function CaseBody({ c, onReload }: { c: CaseDetail; onReload: () => void }) {
  const p = c.patient;
  const { write: canWrite, assess, share, opinion } = useAccess();
  // A case of another institution (second-opinion share or break-the-glass) is read-only here (issue #9 item 2).
  const granted = !!c.access;
  const write = canWrite && !granted;
  const planRead = useAccess().plans && !granted;
  return (
    <>
      <AccessBanner access={c.access} />
      <PageHeader
        title={<>{patientName(p)} <Text span c="dimmed" fw={400} inherit>· case</Text></>}
        subtitle={
          <Group gap="md">
            <span>MRN <Text span ff="monospace" size="sm">{p.mrn}</Text></span>
            <span>{formatSex(p.sex)}</span>
            <span>Born {formatDate(p.birthDate)} ({formatAge(p.birthDate)})</span>
            <span title="How emails name this case">Ref <Text span ff="monospace" size="sm">{caseReference(c.id)}</Text></span>
            <StatusBadge status={c.status} />
            {c.urgent ? <UrgentBadge /> : null}
          </Group>
        }
      >
        <Button variant="default" component={Link} to={`/patients/${p.id}`}>Open patient</Button>
        {planRead ? <Button component={Link} to={`/cases/${c.id}/plan`}>Treatment plan</Button> : null}
      </PageHeader>
      <Stack gap="lg">
        {c.question ? (
          <Card py="sm">
            <Text size="sm"><Text span fw={600}>Question for the conference: </Text>{c.question}</Text>
          </Card>
        ) : null}
        <Grid gutter="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Card component="section" aria-labelledby="tumour-heading" h="100%">
              <Title order={2} size="h4" id="tumour-heading" mb="md">Tumour</Title>
              {c.tumor ? <TumorFacts tumor={c.tumor} /> : <Text size="sm" c="gray.7">No tumour recorded yet: add it on the patient page.</Text>}
            </Card>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Card component="section" aria-labelledby="status-heading" h="100%">
              <Title order={2} size="h4" id="status-heading" mb="md">Status</Title>
              <CaseTimeline record={c} />
              {write ? (
                <>
                  <Title order={3} size="h6" mt="lg" mb="xs">Change status</Title>
                  <CaseStatusControl record={c} onReload={onReload} />
                </>
              ) : null}
            </Card>
          </Grid.Col>
        </Grid>
        <CaseAssessment caseId={c.id} canTry={assess} />
        <TrialMatchesPanel caseId={c.id} />
        {!granted && share ? <SecondOpinionPanel caseId={c.id} canReply={opinion} /> : null}
        {c.access?.basis === 'share' ? <ReviewerCommentPanel caseId={c.id} canComment={opinion} /> : null}
      </Stack>
    </>
  );
}

export function CasePage() {
  const { id } = useParams();
  const query = useCase(id);
  const c = query.data;
  usePageTitle(c ? `Case · ${patientName(c.patient)}` : 'Case');
  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/cases" size="sm">Cases</Anchor>
        {c ? <Anchor component={Link} to={`/patients/${c.patient.id}`} size="sm">{patientName(c.patient)}</Anchor> : null}
        <Text size="sm" c="dimmed">Case</Text>
      </Crumbs>
      <QueryState isPending={query.isPending} error={query.error} label="case">
        {c ? <CaseBody c={c} onReload={() => void query.refetch()} /> : null}
      </QueryState>
    </>
  );
}
