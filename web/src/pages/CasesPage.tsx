import { Anchor, Box, Card, Group, Loader, NativeSelect, ScrollArea, SegmentedControl, Table, Text, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCases } from '../api/hooks.js';
import { CASE_STATUSES } from '../api/types.js';
import type { CaseSummary } from '../api/types.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { Pager } from '../components/Pager.js';
import { compareBy, SortableTh } from '../components/SortableTh.js';
import type { SortOrder } from '../components/SortableTh.js';
import { StatusBadge, UrgentBadge } from '../components/StatusBadge.js';
import { listedName } from '../conference/labels.js';
import { formatDate, humanize } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useListParams } from '../lib/useListParams.js';
import { TableStatusRows } from '../components/TableStatusRows.js';

const PAGE_SIZE = 25;
type SortKey = 'patientName' | 'mrn' | 'diagnosis' | 'status' | 'urgent' | 'updatedAt';

const sortValue: Record<SortKey, (c: CaseSummary) => string | number | boolean | null> = {
  patientName: (c) => c.patientName,
  mrn: (c) => c.mrn,
  diagnosis: (c) => c.diagnosis,
  status: (c) => CASE_STATUSES.indexOf(c.status),
  urgent: (c) => (c.urgent ? 0 : 1),
  updatedAt: (c) => c.updatedAt,
};

export function CasesPage() {
  usePageTitle('Cases');
  const navigate = useNavigate();
  const { params, q, offset, search, setSearch, update } = useListParams();
  const status = params.get('status') ?? '';
  const [sort, setSort] = useState<{ key: SortKey; order: SortOrder }>({ key: 'updatedAt', order: 'desc' });
  // The seven statuses side by side need about 630px: narrower screens get a select, so every status is in reach.
  const narrow = useMediaQuery('(max-width: 61.99em)', false, { getInitialValueInEffect: false });
  const statusOptions = [{ value: 'all', label: 'All' }, ...CASE_STATUSES.map((s) => ({ value: s, label: humanize(s) }))];
  const setStatus = (v: string) => update({ status: v === 'all' ? null : v, offset: null });

  const list = useCases({ status, q, limit: PAGE_SIZE, offset });
  const rows = useMemo(
    () => [...(list.data?.items ?? [])].sort(compareBy(sortValue[sort.key], sort.order)),
    [list.data, sort],
  );
  const th = (key: SortKey, label: string) => (
    <SortableTh column={key} sort={sort.key} order={sort.order} onSort={(k, o) => setSort({ key: k, order: o })}>{label}</SortableTh>
  );

  return (
    <>
      <PageHeader title="Cases" subtitle="Cases by status, from referral to follow-up" />
      <Card>
        <Group mb="md" align="flex-end" justify="space-between" wrap="wrap">
          {narrow ? (
            <NativeSelect label="Status" value={status || 'all'} data={statusOptions} onChange={(e) => setStatus(e.currentTarget.value)}
              w={{ base: '100%', sm: 240 }} />
          ) : (
            // Kept no wider than the card, so the control scrolls rather than runs off it if the labels grow.
            <Box miw={0} maw="100%">
              <Text size="sm" fw={500} mb={4} id="status-filter-label">Status</Text>
              <ScrollArea type="auto" offsetScrollbars="x">
                <SegmentedControl aria-labelledby="status-filter-label" value={status || 'all'} onChange={setStatus} data={statusOptions} />
              </ScrollArea>
            </Box>
          )}
          <TextInput
            type="search"
            label="Search cases"
            placeholder="Patient, MRN or diagnosis"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={{ base: '100%', sm: 300 }}
            rightSection={list.isFetching ? <Loader size={14} aria-label="Searching" /> : null}
          />
        </Group>
        <div aria-live="polite">{list.error ? <ErrorAlert error={list.error} title="Could not load cases" /> : null}</div>
        <Table.ScrollContainer minWidth={720}>
          <Table striped aria-label="Cases" aria-busy={list.isFetching}>
            <Table.Thead>
              <Table.Tr>
                {th('patientName', 'Patient')}{th('mrn', 'MRN')}{th('diagnosis', 'Diagnosis')}
                {th('status', 'Status')}{th('urgent', 'Urgent')}{th('updatedAt', 'Updated')}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((c) => (
                <Table.Tr key={c.id} className="clickable-row" data-testid="case-row" onClick={() => navigate(`/cases/${c.id}`)}>
                  <Table.Td>
                    <Anchor component={Link} to={`/cases/${c.id}`} fw={600} onClick={(e) => e.stopPropagation()}>{listedName(c.patientName)}</Anchor>
                  </Table.Td>
                  <Table.Td ff="monospace">{c.mrn}</Table.Td>
                  <Table.Td>{c.diagnosis ?? '—'}</Table.Td>
                  <Table.Td><StatusBadge status={c.status} /></Table.Td>
                  <Table.Td>{c.urgent ? <UrgentBadge /> : <Text span size="sm" c="dimmed">No</Text>}</Table.Td>
                  <Table.Td>{formatDate(c.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
              <TableStatusRows colSpan={6} pending={list.isPending} empty={!list.error && rows.length === 0} loading="Loading cases…" emptyText={<>No cases{status ? ` with status “${humanize(status)}”` : ''}{q ? ` matching “${q}”` : ''}.</>} />
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {list.data ? (
          <Pager total={list.data.total} limit={PAGE_SIZE} offset={offset} noun="cases" onChange={(o) => update({ offset: o ? String(o) : null })} />
        ) : null}
      </Card>
    </>
  );
}
