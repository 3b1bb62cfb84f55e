import { Anchor, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useAccess } from '../lib/access.js';
import type { AgendaItem, Conference } from './api.js';
import { InputsList } from './DisciplineInputs.js';
import { KindBadge, listedName } from './labels.js';
import { ReadinessChecklist } from './Readiness.js';
import { RecommendationEditor } from './RecommendationEditor.js';
import { RecommendationView, toDraft } from './recommendation.js';
import { formatElapsed, spokenElapsed } from './time.js';
import { CaseAssessment } from '../components/CaseAssessment.js';
import { TrialMatchesPanel } from '../trials/TrialMatchesPanel.js';

/** Time on the current case, from the moment it was started; ticks every second. */
export function CaseTimer({ startedAt, endedAt, planned }: { startedAt: string | null; endedAt: string | null; planned: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!startedAt || endedAt) return undefined;
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [startedAt, endedAt]);
  if (!startedAt) return <Text size="sm" c="dimmed">Not started</Text>;
  const ms = (endedAt ? new Date(endedAt).getTime() : now) - new Date(startedAt).getTime();
  const over = ms > planned * 60_000;
  return (
    <div style={{ textAlign: 'right' }}>
      <Text size="xs" c="dimmed" fw={600} id="case-timer-label" style={{ whiteSpace: 'nowrap' }}>Time on this case</Text>
      {/* role=timer is not announced on every tick; the label gives the spoken form on demand. */}
      <div role="timer" aria-labelledby="case-timer-label" aria-describedby="case-timer-spoken" className="tb-timer" data-testid="case-timer"
        style={{ color: over ? 'var(--mantine-color-orange-9)' : undefined }}>
        {formatElapsed(ms)}
      </div>
      <span id="case-timer-spoken" className="visually-hidden">{spokenElapsed(ms)}</span>
      <Text size="xs" c={over ? 'orange.9' : 'dimmed'} fw={over ? 600 : undefined}>{over ? `Over the planned ${planned} min` : `Planned ${planned} min`}</Text>
    </div>
  );
}


/** The case being discussed: who, what, the question, the groups' input, the recommendation and the assessment. */
export function LiveCase({ c, item, position, editable, onDirtyChange }: {
  c: Conference; item: AgendaItem; position: number; editable: boolean; onDirtyChange?: (dirty: boolean) => void;
}) {
  const access = useAccess();
  return (
    <Stack gap="lg">
      <Card component="section" aria-labelledby="current-case-heading" className="tb-current-case" data-testid="current-case" data-item-id={item.id}>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Text size="xs" c="teal.9" fw={700} tt="uppercase" style={{ letterSpacing: 0.6 }} data-testid="case-position">
              {c.status === 'live' ? 'Now discussing' : 'Case'} · {position} of {c.items.length}
            </Text>
            <Title order={2} size="h2" id="current-case-heading" data-testid="current-patient">{listedName(item.patientName)}</Title>
            <Group gap="sm" mt={4}>
              <Text size="sm">MRN <Text span ff="monospace" inherit>{item.mrn}</Text></Text>
              <KindBadge kind={item.kind} />
              {item.presenterName ? <Text size="sm" c="dimmed">Presented by {item.presenterName}</Text> : null}
              {access.registry ? <Anchor component={Link} to={`/cases/${item.caseId}`} size="sm" target="_blank">Open case<span className="visually-hidden"> (opens in a new tab)</span></Anchor> : null}
            </Group>
          </div>
          <CaseTimer startedAt={item.startedAt} endedAt={item.endedAt} planned={item.estimatedMinutes} />
        </Group>
        <Stack gap="xs" mt="md">
          <Text size="md"><Text span fw={600} inherit>Diagnosis: </Text>{item.diagnosis ?? <Text span c="dimmed" inherit>not recorded</Text>}</Text>
          <Text size="md" data-testid="current-question">
            <Text span fw={600} inherit>Question: </Text>{item.question ?? <Text span c="dimmed" inherit>not stated</Text>}
          </Text>
        </Stack>
        <div style={{ marginTop: 12 }}><ReadinessChecklist item={item} /></div>
      </Card>
      {editable ? <RecommendationEditor key={item.id} conferenceId={c.id} item={item} onDirtyChange={onDirtyChange} /> : (
        <Card component="section" aria-labelledby="rec-view-heading">
          <Title order={3} size="h4" id="rec-view-heading" mb="sm">Recommendation as recorded so far</Title>
          <RecommendationView rec={toDraft(item.recommendation)} testId="rec-view" />
        </Card>
      )}
      <Card><InputsList inputs={item.inputs} headingOrder={3} headingId="live-inputs-heading" /></Card>
      <CaseAssessment caseId={item.caseId} headingOrder={3} stacked />
      <TrialMatchesPanel caseId={item.caseId} compact headingOrder={3} />
    </Stack>
  );
}
