import { Badge, Button, Card, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useVocabularies } from '../api/hooks.js';
import type { Tumor } from '../api/types.js';
import { useAccess } from '../lib/access.js';
import { formatDate, humanize } from '../lib/format.js';
import type { Details } from '../lib/tumorFacts.js';
import { Fact } from './PatientSections.js';
import { TumorFactsSummary } from './TumorFactsSummary.js';
import { TumorForm } from './TumorForm.js';

export function TumorFacts({ tumor }: { tumor: Tumor }) {
  const vocab = useVocabularies();
  const family = vocab.data?.morphologies.find((m) => m.code === tumor.morphology)?.family;
  const context = { topography: tumor.topography, siteCategory: tumor.siteCategory, family };
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="md" verticalSpacing="sm">
        <Fact label="Diagnosis date">{formatDate(tumor.diagnosisDate)}</Fact>
        <Fact label="Morphology"><Code>{tumor.morphology}</Code></Fact>
        <Fact label="Topography"><Code>{tumor.topography}</Code></Fact>
        <Fact label="Site category">{humanize(tumor.siteCategory)}</Fact>
        <Fact label="Primary site">{tumor.primarySite || '—'}</Fact>
        <Fact label="Laterality">{tumor.laterality ? humanize(tumor.laterality) : 'Unknown'}</Fact>
        <Fact label="Size">{tumor.sizeCm !== undefined && tumor.sizeCm !== null ? `${tumor.sizeCm} cm` : 'Unknown'}</Fact>
      </SimpleGrid>
      {tumor.pathologySummary ? <Fact label="Pathology">{tumor.pathologySummary}</Fact> : null}
      {tumor.imagingSummary ? <Fact label="Imaging">{tumor.imagingSummary}</Fact> : null}
      <TumorFactsSummary details={(tumor.details ?? {}) as Details} context={context} />
    </Stack>
  );
}

export function TumorList({ patientId, tumors, readOnly = false }: { patientId: string; tumors: Tumor[]; readOnly?: boolean }) {
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const vocab = useVocabularies();
  const write = useAccess().write && !readOnly;
  const term = (code: string) => vocab.data?.morphologies.find((m) => m.code === code)?.term;
  return (
    <Card aria-labelledby="tumours-heading" component="section">
      <Group justify="space-between" mb="md">
        <Title order={2} size="h4" id="tumours-heading">Tumours</Title>
        {write && !adding ? <Button size="xs" variant="light" onClick={() => setAdding(true)}>Add tumour</Button> : null}
      </Group>
      <Stack gap="md">
        {adding ? (
          <Paper withBorder p="md" bg="gray.0">
            <Title order={3} size="h5" mb="sm">New tumour</Title>
            <TumorForm patientId={patientId} onDone={() => setAdding(false)} />
          </Paper>
        ) : null}
        {tumors.length === 0 && !adding ? <Text size="sm" c="dimmed">No tumour recorded yet.</Text> : null}
        {tumors.map((t) => (
          <Paper key={t.id} withBorder p="md" data-testid="tumour">
            <Group justify="space-between" mb="sm">
              <Group gap="xs">
                <Title order={3} size="h5">{term(t.morphology) ?? t.morphology}, {t.primarySite || humanize(t.siteCategory)}</Title>
                <Badge variant="outline" color="gray" c="gray.8">{t.morphology}</Badge>
              </Group>
              {write && editing !== t.id ? (
                <Button size="xs" variant="subtle" onClick={() => setEditing(t.id)}>Edit tumour</Button>
              ) : null}
            </Group>
            {editing === t.id ? (
              <TumorForm patientId={patientId} tumor={t} onDone={() => setEditing(null)} />
            ) : (
              <TumorFacts tumor={t} />
            )}
          </Paper>
        ))}
      </Stack>
    </Card>
  );
}
