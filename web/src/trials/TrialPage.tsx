import { Alert, Anchor, Badge, Button, Card, Grid, Group, List, Table, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { formatDateTime, humanize } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useTrial, useTrialAccess, useTrials, useUpdateLocalTrial } from './api.js';
import type { AgeLimit, ImportedTrial, TrialDetail } from './api.js';
import { CurationEditor } from './CurationEditor.js';
import { LocalTrialForm } from './LocalTrialForm.js';
import { CurationBadge, fieldLabel, networkLabel, overallStatusLabel, phasesLabel } from './labels.js';
import './trials.css';

const NCT_RE = /^NCT\d{8}$/i;

/** A value, or "Not in the record" (never a guess). */
function Value({ children }: { children: ReactNode }) {
  if (children === null || children === undefined || children === '' || (Array.isArray(children) && children.length === 0)) {
    return <Text span c="dimmed" inherit>Not in the record</Text>;
  }
  return <>{children}</>;
}

function Fact({ term, children, testId }: { term: string; children: ReactNode; testId?: string }) {
  return (
    <div className="facts-list__item" data-testid={testId}>
      <dt>{term}</dt>
      <dd><Value>{children}</Value></dd>
    </div>
  );
}

/** The registry's own words for an age limit; an unreadable one is shown as given and flagged. */
function age(limit: AgeLimit | null, text: string | null): string | null {
  if (limit) return limit.text;
  if (text) return `${text} (could not be read)`;
  return null;
}

function agesText(e: ImportedTrial['eligibility']): string | null {
  const min = age(e.minimumAge, e.minimumAgeText);
  const max = age(e.maximumAge, e.maximumAgeText);
  if (!min && !max) return null;
  return `${min ? `from ${min}` : 'no minimum stated'} · ${max ? `up to ${max}` : 'no maximum stated'}`;
}

const SEX: Record<string, string> = { ALL: 'All', FEMALE: 'Female only', MALE: 'Male only' };

function RegistryFacts({ t }: { t: TrialDetail }) {
  const r = t.registry;
  const e = r.eligibility;
  const ids = [r.orgStudyId, ...r.secondaryIds, r.acronym].filter((x): x is string => !!x);
  return (
    <Card component="section" aria-labelledby="registry-heading" mb="lg" data-testid="registry-facts">
      <Title order={2} size="h4" id="registry-heading" mb="sm">Registry record</Title>
      <dl className="facts-list">
        <Fact term={t.source === 'local' ? 'Protocol number (local trial)' : 'NCT number'}><Text span ff="monospace" inherit>{r.nctId}</Text></Fact>
        <Fact term="Other identifiers">{ids.length ? ids.join(', ') : null}</Fact>
        <Fact term="Lead sponsor" testId="fact-sponsor">{r.leadSponsor ? `${r.leadSponsor.name}${r.leadSponsor.class ? ` (${humanize(r.leadSponsor.class)})` : ''}` : null}</Fact>
        <Fact term="Collaborators">{r.collaborators.length ? r.collaborators.map((c) => c.name).join(', ') : null}</Fact>
        <Fact term="Network" testId="fact-network">
          {networkLabel(r.network)}
          {r.networkReason ? <Text size="xs" c="dimmed">Because: {r.networkReason}</Text> : null}
        </Fact>
        <Fact term="Phases">{r.phases.length ? phasesLabel(r.phases) : null}</Fact>
        <Fact term="Study type">{r.studyType ? humanize(r.studyType) : null}</Fact>
        <Fact term="Overall status">{r.overallStatus ? overallStatusLabel(r.overallStatus) : null}</Fact>
        <Fact term="Ages (registry)">{agesText(e)}</Fact>
        <Fact term="Sex">{e.sex ? SEX[e.sex] ?? humanize(e.sex) : null}</Fact>
        <Fact term="Age groups">{e.stdAges.length ? e.stdAges.map((a) => humanize(a)).join(', ') : null}</Fact>
        <Fact term="Healthy volunteers">{e.healthyVolunteers === null ? null : e.healthyVolunteers ? 'Accepted' : 'Not accepted'}</Fact>
        <Fact term="Conditions">{r.conditions.length ? r.conditions.join(', ') : null}</Fact>
        <Fact term="Interventions">{r.interventions.length ? r.interventions.map((i) => `${i.name}${i.type ? ` (${humanize(i.type).toLowerCase()})` : ''}`).join(', ') : null}</Fact>
        <Fact term={t.source === 'local' ? 'Criteria last changed' : 'Last update posted'}>{r.lastUpdatePostDate}</Fact>
        <Fact term={t.source === 'local' ? 'Entered' : 'Imported'}>{formatDateTime(t.importedAt)}</Fact>
      </dl>
      {r.missing.length ? (
        <Alert color="gray" variant="light" mt="md" title="Not in the record" data-testid="registry-missing">
          <Text size="sm">The imported record does not give: {r.missing.map(fieldLabel).join(', ')}. These are shown as not in the record, never filled in.</Text>
        </Alert>
      ) : null}
      <Title order={3} size="h5" mt="lg" mb={6}>Arms and cohorts</Title>
      {r.arms.length ? (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="Arms and cohorts" fz="sm" verticalSpacing={4} data-testid="registry-arms">
            <Table.Thead><Table.Tr><Table.Th>Arm</Table.Th><Table.Th>Type</Table.Th><Table.Th>Description</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {r.arms.map((a) => (
                <Table.Tr key={a.label}>
                  <Table.Td fw={600}>{a.label}</Table.Td>
                  <Table.Td><Value>{a.type ? humanize(a.type) : null}</Value></Table.Td>
                  <Table.Td><Value>{a.description}</Value>{a.interventions.length ? <Text size="xs" c="dimmed">{a.interventions.join(', ')}</Text> : null}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : <Text size="sm" c="dimmed">No arms in the record.</Text>}
      <Title order={3} size="h5" mt="md" mb={6}>Sites</Title>
      {r.sites.length ? (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="Sites" fz="sm" verticalSpacing={4}>
            <Table.Thead><Table.Tr><Table.Th>Facility</Table.Th><Table.Th>Place</Table.Th><Table.Th>Recruitment at the site</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {r.sites.map((s, n) => (
                <Table.Tr key={n}>
                  <Table.Td><Value>{s.facility}</Value></Table.Td>
                  <Table.Td><Value>{[s.city, s.state, s.country].filter(Boolean).join(', ')}</Value></Table.Td>
                  <Table.Td><Value>{s.status ? overallStatusLabel(s.status) : null}</Value></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : <Text size="sm" c="dimmed">No sites in the record.</Text>}
      <Title order={3} size="h5" mt="md" mb={6}>Contacts</Title>
      {r.centralContacts.length ? (
        <List size="sm" spacing={4}>
          {r.centralContacts.map((c, n) => (
            <List.Item key={n}>
              {c.name ?? <Text span c="dimmed" inherit>Name not given</Text>}{c.role ? `, ${humanize(c.role).toLowerCase()}` : ''}
              {c.phone ? <> · <Anchor href={`tel:${c.phone}`} size="sm">{c.phone}</Anchor></> : null}
              {c.email ? <> · <Anchor href={`mailto:${c.email}`} size="sm">{c.email}</Anchor></> : null}
            </List.Item>
          ))}
        </List>
      ) : <Text size="sm" c="dimmed">No contacts in the record.</Text>}
      {r.origin.length ? (
        <>
          <Title order={3} size="h5" mt="md" mb={6}>Where the record was read from</Title>
          <List size="xs" spacing={2}>
            {r.origin.map((o) => (
              <List.Item key={o}>
                {/^https?:\/\//.test(o) ? <Anchor href={o} target="_blank" rel="noopener noreferrer" size="xs" style={{ overflowWrap: 'anywhere' }}>{o}<span className="visually-hidden"> (opens in a new tab)</span></Anchor> : o}
              </List.Item>
            ))}
          </List>
        </>
      ) : null}
    </Card>
  );
}

function EligibilityText({ t }: { t: TrialDetail }) {
  const text = t.registry.eligibility.criteriaText;
  return (
    <Card component="section" aria-labelledby="eligibility-heading" className="tb-trials-eligibility" data-testid="eligibility-text">
      <Title order={2} size="h4" id="eligibility-heading" mb={4}>Eligibility criteria as registered</Title>
      <Text size="xs" c="dimmed" mb="sm">
        The registry text the criteria were drafted from{t.criteriaSha256 ? <> (fingerprint <Text span ff="monospace" inherit>{t.criteriaSha256.slice(0, 12)}</Text>)</> : null}.
      </Text>
      {text ? <div className="tb-trials-text" tabIndex={0} role="region" aria-label="Registered eligibility text">{text}</div>
        : <Text size="sm" c="dimmed">The record has no eligibility criteria text.</Text>}
    </Card>
  );
}

function TrialView({ t, onReload }: { t: TrialDetail; onReload: () => Promise<TrialDetail | undefined> }) {
  const { curate } = useTrialAccess();
  const [editing, setEditing] = useState(false);
  const update = useUpdateLocalTrial(t.id);
  const number = t.nctId ?? t.localId;
  const title = t.registry.briefTitle ?? t.registry.officialTitle ?? t.title;
  const stale = t.curation === 'stale';
  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/trials">Clinical trials</Anchor>
        <span>{number ?? t.id}</span>
      </Crumbs>
      <PageHeader title={title} subtitle={(
        <Group gap="xs" wrap="wrap">
          <Text span ff="monospace" fw={600} size="sm" c="dark" data-testid="trial-nct">{number}</Text>
          {t.source === 'local' ? <Badge size="sm" variant="light" color="grape" radius="sm">Local trial</Badge> : null}
          <Text span size="sm">· {networkLabel(t.network)} · {phasesLabel(t.phases)} · {overallStatusLabel(t.status)}</Text>
          <CurationBadge curation={t.curation} />
          <Badge size="sm" variant="outline" color="gray" radius="sm" data-testid="trial-version">Version {t.version}</Badge>
        </Group>
      )}>
        {curate && t.registry.local && !editing ? <Button variant="default" onClick={() => setEditing(true)}>Edit registry entry</Button> : null}
      </PageHeader>
      {editing ? (
        <LocalTrialForm initial={t} submitLabel="Save the entry" pending={update.isPending}
          onSave={async (input) => { await update.mutateAsync({ version: t.version, input }); setEditing(false); }}
          onCancel={() => setEditing(false)} />
      ) : null}
      {t.registry.officialTitle && t.registry.officialTitle !== title ? <Text size="sm" c="dimmed" mt={-12} mb="md">{t.registry.officialTitle}</Text> : null}
      {stale ? (
        <Alert color="orange" title="Criteria changed — review pending" mb="lg" data-testid="stale-banner" role="status">
          <Text size="sm">
            The eligibility text on the registry changed after this trial was curated. Its curation is kept but needs review: until a curator saves it again,
            matching shows no child as eligible for this trial (at most “possible”).
          </Text>
        </Alert>
      ) : null}
      <Text size="sm" mb="lg" data-testid="trial-match-summary">
        Open cases matching now: {t.matches.eligible} eligible, {t.matches.possible} possible.
        {t.registry.eligibility.criteriaText === null ? ' No eligibility text: nothing to curate.' : ''}
      </Text>
      <RegistryFacts t={t} />
      <Grid gutter="lg" align="flex-start">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <CurationEditor trial={t} canCurate={curate} onReload={onReload} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <EligibilityText t={t} />
        </Grid.Col>
      </Grid>
    </>
  );
}

/** /trials/:id (the trial's id, or its NCT number): registry facts, the registered text and the curation screen. */
export function TrialPage() {
  const { id: param } = useParams();
  const isNct = !!param && NCT_RE.test(param);
  // An NCT number in the address (links from import reports) is looked up first.
  const lookup = useTrials({ q: param?.toUpperCase(), limit: 5, offset: 0 }, isNct);
  const resolved = isNct ? lookup.data?.items.find((i) => i.nctId?.toUpperCase() === param?.toUpperCase())?.id : param;
  const trial = useTrial(resolved);
  const t = trial.data;
  usePageTitle(t ? `${t.nctId ?? t.localId ?? 'Trial'} · ${t.title}` : 'Trial');
  if (isNct && lookup.data && !resolved) {
    return <ErrorAlert error={null} title="Not found" extra={[`No trial ${param?.toUpperCase()} has been imported.`]} />;
  }
  return (
    <QueryState isPending={(isNct && lookup.isPending) || trial.isPending} error={lookup.error ?? trial.error} label="trial">
      {t ? <TrialView key={t.id} t={t} onReload={async () => (await trial.refetch()).data} /> : null}
    </QueryState>
  );
}
