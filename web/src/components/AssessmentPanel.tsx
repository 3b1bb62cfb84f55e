import { Alert, Badge, Card, Grid, Group, List, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Assessment } from '../api/types.js';
import { humanize } from '../lib/format.js';
import { codeLabel, flagLabel } from '../lib/clinicalLabels.js';
import { AssessmentExplanations } from './AssessmentExplanations.js';
import { AssessmentStaging } from './AssessmentStaging.js';
import { AssessmentTreatment } from './AssessmentTreatment.js';

function Block({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <Title order={3} size="h5" mb="xs">{title}</Title>
      {children}
    </section>
  );
}

function Badges({ items, color, empty }: { items: string[]; color: string; empty: string }) {
  if (items.length === 0) return <Text size="sm" c="dimmed">{empty}</Text>;
  return (
    <Group gap={6}>
      {items.map((d) => <Badge key={d} variant="light" color={color} c={`${color}.9`} radius="sm">{humanize(d)}</Badge>)}
    </Group>
  );
}

export function MissingFacts({ missing }: { missing: Assessment['missing'] }) {
  if (missing.length === 0) return null;
  return (
    <Alert color="orange" variant="light" title={`${missing.length} fact${missing.length === 1 ? '' : 's'} unknown`}>
      <Text size="sm" mb={4}>These outputs stay unknown until the facts are recorded:</Text>
      <List size="sm" spacing={2} data-testid="missing-facts">
        {missing.map((m) => (
          <List.Item key={`${m.field}-${m.needed_for}`}>
            Unknown: {codeLabel(m.field)}, needed for {codeLabel(m.needed_for)}{' '}
            <Text span size="xs" c="gray.7">(<Text span ff="monospace" inherit>{m.field}</Text> → <Text span ff="monospace" inherit>{m.needed_for}</Text>)</Text>
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

interface Props {
  assessment: Assessment;
  /** Heading level of the panel title (2 on the case page). */
  headingOrder?: 2 | 3;
  actions?: ReactNode;
  /** One column (when the panel shares the page with another column). */
  stacked?: boolean;
}

/**
 * The clinical rules engine's output for one case: stage and risk per system, the team to involve, the
 * treatment template and planned exposure, flags, unknown facts and the explanation behind every value.
 */
export function AssessmentPanel({ assessment: a, headingOrder = 2, actions, stacked = false }: Props) {
  const half = stacked ? { base: 12 } : { base: 12, lg: 6 };
  return (
    <Card component="section" aria-labelledby="assessment-heading" data-testid="assessment-panel">
      <Group justify="space-between" mb="md">
        <Title order={headingOrder} size="h4" id="assessment-heading">Assessment</Title>
        {actions}
      </Group>
      <Stack gap="lg">
        <MissingFacts missing={a.missing} />
        <Block title="Flags">
          <Group gap={6}>
            {a.flags.length === 0 ? <Text size="sm" c="dimmed">No flags.</Text> : a.flags.map((f) => (
              <Badge key={f} color="orange" c="orange.9" variant="outline" radius="sm" title={f}>{flagLabel(f)}</Badge>
            ))}
          </Group>
        </Block>
        <Grid gutter="xl">
          <Grid.Col span={half}>
            <Block title="Stage and risk">
              <AssessmentStaging assessment={a} />
            </Block>
          </Grid.Col>
          <Grid.Col span={half}>
            <Stack gap="lg">
              <Block title="Team">
                <Text size="xs" c="dimmed" fw={600} mb={4}>Conference groups</Text>
                <Badges items={a.conferenceDisciplines} color="indigo" empty="None listed." />
                <Text size="xs" c="dimmed" fw={600} mt="sm" mb={4}>Site-specific consultants</Text>
                <Badges items={a.siteSpecificDisciplines} color="teal" empty="None for this site." />
              </Block>
              <Block title="Treatment">
                <AssessmentTreatment assessment={a} />
              </Block>
            </Stack>
          </Grid.Col>
        </Grid>
        <Block title="Explanations">
          <AssessmentExplanations explanations={a.explanations} />
        </Block>
      </Stack>
    </Card>
  );
}
