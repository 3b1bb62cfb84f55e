import { Anchor, Button, Card, Group, Loader, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { Pager } from '../components/Pager.js';
import { TableStatusRows } from '../components/TableStatusRows.js';
import { useListParams } from '../lib/useListParams.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { CURATION_FILTERS, NETWORKS, OVERALL_STATUSES, useTrialAccess, useTrials } from './api.js';
import type { TrialSummary } from './api.js';
import { ImportPanel } from './ImportPanel.js';
import { CurationBadge, networkLabel, overallStatusLabel, phasesLabel } from './labels.js';
import { TrialMetrics } from './TrialMetrics.js';
import './trials.css';

const PAGE_SIZE = 25;
const CURATION_LABELS: Record<string, string> = { draft: 'Draft', curated: 'Curated', stale: 'Criteria changed — review pending' };

function Pending({ t }: { t: TrialSummary }) {
  if (t.criteriaCount === 0) return <Text span size="sm" c="dimmed">No criteria</Text>;
  // A stale curation is reviewed again as a whole, whatever each criterion's status says.
  if (t.curation === 'stale') return <Text span size="sm" fw={600} c="orange.9" data-testid="pending-review"><span aria-hidden="true">⚠ </span>All {t.criteriaCount}: text changed</Text>;
  if (t.pendingReview === 0) return <Text span size="sm" c="teal.9"><span aria-hidden="true">✓ </span>None of {t.criteriaCount}</Text>;
  return <Text span size="sm" fw={600} c="orange.9" data-testid="pending-review"><span aria-hidden="true">⚑ </span>{t.pendingReview} of {t.criteriaCount}</Text>;
}

function Matches({ t }: { t: TrialSummary }) {
  return (
    <Text span size="sm" style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }} data-testid="match-counts">
      {t.matches.eligible} eligible · {t.matches.possible} possible
    </Text>
  );
}

/** /trials: the trial registry, searchable and filterable, with the import panel and the offer figures. */
export function TrialsPage() {
  usePageTitle('Clinical trials');
  const { curate } = useTrialAccess();
  const { params, q, offset, search, setSearch, update } = useListParams();
  const network = params.get('network') ?? '';
  const status = params.get('status') ?? '';
  const curation = params.get('curation') ?? '';
  const [importing, setImporting] = useState(false);
  const list = useTrials({ q: q || undefined, network: network || undefined, status: status || undefined, curation: curation || undefined, limit: PAGE_SIZE, offset });
  const items = list.data?.items ?? [];
  const filtered = !!(q || network || status || curation);

  return (
    <>
      <PageHeader title="Clinical trials" subtitle="Trials from ClinicalTrials.gov and the program's local trials, their curated eligibility criteria, and how many open cases they match">
        {curate && !importing ? (
          <Group gap="sm">
            <Button variant="default" component={Link} to="/trials/new">Enter a local trial</Button>
            <Button onClick={() => setImporting(true)}>Import studies</Button>
          </Group>
        ) : null}
      </PageHeader>
      {curate && importing ? <ImportPanel onClose={() => setImporting(false)} /> : null}
      <Card mb="lg">
        <Stack gap="sm" mb="md">
          <Group align="flex-end" gap="md" wrap="wrap">
            <TextInput
              type="search"
              label="Search trials"
              description="NCT number, protocol number or title"
              placeholder="e.g. NCT02567435, Ewing"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={{ base: '100%', sm: 300 }}
              rightSection={list.isFetching ? <Loader size={14} aria-label="Searching" /> : null}
            />
            <NativeSelect label="Network" value={network} w={160}
              data={[{ value: '', label: 'Any network' }, ...NETWORKS.map((n) => ({ value: n, label: networkLabel(n) }))]}
              onChange={(e) => update({ network: e.currentTarget.value, offset: null })} />
            <NativeSelect label="Status" value={status} w={220}
              data={[{ value: '', label: 'Any status' }, ...OVERALL_STATUSES.map((s) => ({ value: s, label: s === 'UNKNOWN' ? 'Unknown' : overallStatusLabel(s) }))]}
              onChange={(e) => update({ status: e.currentTarget.value, offset: null })} />
            <NativeSelect label="Curation" value={curation} w={260}
              data={[{ value: '', label: 'Any curation state' }, ...CURATION_FILTERS.map((c) => ({ value: c, label: CURATION_LABELS[c] ?? c }))]}
              onChange={(e) => update({ curation: e.currentTarget.value, offset: null })} />
          </Group>
        </Stack>
        <div aria-live="polite">{list.error ? <ErrorAlert error={list.error} title="Could not load trials" /> : null}</div>
        <Table.ScrollContainer minWidth={1040}>
          <Table striped aria-label="Trials" aria-busy={list.isFetching} fz="sm" verticalSpacing="sm" horizontalSpacing={10}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Trial number</Table.Th>
                <Table.Th>Title</Table.Th>
                <Table.Th>Network</Table.Th>
                <Table.Th>Phase</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Curation</Table.Th>
                <Table.Th>Criteria waiting for review</Table.Th>
                <Table.Th>Open cases matching</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((t) => (
                <Table.Tr key={t.id} data-testid="trial-row" data-nct={t.nctId ?? t.localId ?? ''} data-curation={t.curation}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Anchor component={Link} to={`/trials/${t.id}`} ff="monospace" fw={600} size="sm" data-testid="trial-link">
                      {t.nctId ?? t.localId ?? 'No number'}
                    </Anchor>
                    {t.source === 'local' ? <Text size="xs" c="dimmed">Local trial</Text> : null}
                  </Table.Td>
                  <Table.Td maw={380}>
                    {/* The server falls back to the NCT number when the record has no title: say so instead. */}
                    {t.title && t.title !== t.nctId ? <Text size="sm" lineClamp={2} title={t.title}>{t.title}</Text> : <Text size="sm" c="dimmed">No title in the record</Text>}
                  </Table.Td>
                  <Table.Td data-testid="trial-network">{networkLabel(t.network)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{phasesLabel(t.phases)}</Table.Td>
                  <Table.Td>{overallStatusLabel(t.status)}</Table.Td>
                  <Table.Td><CurationBadge curation={t.curation} /></Table.Td>
                  <Table.Td><Pending t={t} /></Table.Td>
                  <Table.Td><Matches t={t} /></Table.Td>
                </Table.Tr>
              ))}
              <TableStatusRows colSpan={8} pending={list.isPending} empty={!list.error && items.length === 0} loading="Loading trials…"
                emptyText={filtered ? 'No trials match these filters.' : curate ? 'No trials yet: import studies from ClinicalTrials.gov.' : 'No trials yet.'} />
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {list.data ? (
          <Pager total={list.data.total} limit={PAGE_SIZE} offset={offset} noun="trials" onChange={(o) => update({ offset: o ? String(o) : null })} />
        ) : null}
        <Text size="xs" c="dimmed" mt="xs">
          Match counts are the latest stored verdicts of open cases; a trial is “possible” while data are missing, a criterion needs review, or its curation is not finished.
        </Text>
      </Card>
      <TrialMetrics />
    </>
  );
}
