import { Anchor, Button, Card, Chip, Group, Loader, NativeSelect, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { Pager } from '../components/Pager.js';
import { SortableTh, compareBy } from '../components/SortableTh.js';
import type { SortOrder } from '../components/SortableTh.js';
import { formatAge, formatDate, listedName } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { REFERRAL_STATUSES, useReferrals } from './api.js';
import type { ReferralSummary } from './api.js';
import { ClockText, ReferralStatusBadge, UrgencyBadge, channelLabel, clockName, currentClock, originLabel, statusLabel } from './labels.js';
import { useAccess } from '../lib/access.js';
import './referrals.css';
import { useListParams } from '../lib/useListParams.js';
import { TableStatusRows } from '../components/TableStatusRows.js';

const PAGE_SIZE = 25;
/** "Dana Whitfield (Tumor Conference Coordinator)" → "Dana Whitfield" in the narrow column (full name on hover). */
const shortName = (name: string) => name.replace(/\s*\([^)]*\)\s*$/, '') || name;
type SortKey = 'reference' | 'patient' | 'urgency' | 'status' | 'received' | 'turnaround';
const SORTS: Record<SortKey, (r: ReferralSummary) => string | number | null> = {
  reference: (r) => r.reference,
  patient: (r) => r.patientName,
  urgency: (r) => (r.urgency === 'urgent' ? 0 : 1),
  status: (r) => REFERRAL_STATUSES.indexOf(r.status),
  received: (r) => r.createdAt,
  turnaround: (r) => { const c = currentClock(r.clocks); return c ? c.elapsedHours / Math.max(1, c.targetHours) : null; },
};

/** /referrals: the coordinators' inbox. */
export function ReferralInboxPage() {
  usePageTitle('Referrals');
  const navigate = useNavigate();
  const { referralWrite } = useAccess();
  const { params, q, offset, search, setSearch, update } = useListParams();
  const status = params.get('status') ?? 'open';
  const urgency = params.get('urgency') ?? '';
  const mine = params.get('mine') === '1';
  const overdue = params.get('overdue') === '1';
  const sortParam = params.get('sort') as SortKey | null;
  const sort: SortKey | '' = sortParam && sortParam in SORTS ? sortParam : '';
  const order: SortOrder = params.get('order') === 'desc' ? 'desc' : 'asc';




  const list = useReferrals({
    status: status === 'open' || status === 'all' ? undefined : status,
    open: status === 'open' ? true : undefined,
    urgency: urgency || undefined,
    assignedTo: mine ? 'me' : undefined,
    overdue: overdue ? true : undefined,
    q: q || undefined,
    limit: PAGE_SIZE,
    offset,
  });
  const items = useMemo(() => {
    const rows = list.data?.items ?? [];
    return sort ? [...rows].sort(compareBy(SORTS[sort], order)) : rows;
  }, [list.data, sort, order]);
  const onSort = (s: SortKey, o: SortOrder) => update({ sort: s, order: o });
  const th = (column: SortKey, label: string) => (
    <SortableTh column={column} sort={sort as SortKey} order={order} onSort={onSort}>{label}</SortableTh>
  );
  const filtered = status !== 'open' || !!urgency || mine || overdue || !!q;

  return (
    <>
      <PageHeader title="Referrals" subtitle="New and open referrals, with their turnaround clocks">
        {referralWrite ? <Button component={Link} to="/referrals/new">New referral</Button> : null}
      </PageHeader>
      <Card>
        <Stack gap="sm" mb="md">
          <div role="group" aria-labelledby="status-filter-label">
            <Text id="status-filter-label" size="sm" fw={500} mb={6}>Status</Text>
            <Chip.Group multiple={false} value={status} onChange={(v) => update({ status: v === 'open' ? null : v, offset: null })}>
              <Group gap={6}>
                <Chip value="open" size="sm">Open</Chip>
                <Chip value="all" size="sm">All</Chip>
                {REFERRAL_STATUSES.map((s) => <Chip key={s} value={s} size="sm">{statusLabel(s)}</Chip>)}
              </Group>
            </Chip.Group>
          </div>
          <Group align="flex-end" gap="md">
            <TextInput
              type="search"
              label="Search referrals"
              description="Reference, patient, referrer or diagnosis"
              placeholder="e.g. REF-2026, Garcia, Ewing"
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              w={{ base: '100%', sm: 320 }}
              rightSection={list.isFetching ? <Loader size={14} aria-label="Searching" /> : null}
            />
            <NativeSelect
              label="Urgency"
              value={urgency}
              data={[{ value: '', label: 'Any' }, { value: 'urgent', label: 'Urgent' }, { value: 'routine', label: 'Routine' }]}
              onChange={(e) => update({ urgency: e.currentTarget.value, offset: null })}
              w={140}
            />
            <Switch label="Assigned to me" checked={mine} onChange={(e) => update({ mine: e.currentTarget.checked ? '1' : null, offset: null })} mb={8} />
            <Switch label="Overdue only" checked={overdue} onChange={(e) => update({ overdue: e.currentTarget.checked ? '1' : null, offset: null })} mb={8} />
          </Group>
        </Stack>
        <div aria-live="polite">{list.error ? <ErrorAlert error={list.error} title="Could not load referrals" /> : null}</div>
        <Table.ScrollContainer minWidth={960}>
          <Table striped aria-label="Referrals" aria-busy={list.isFetching} horizontalSpacing={8} fz="sm">
            <Table.Thead>
              <Table.Tr>
                {th('reference', 'Reference')}
                {th('patient', 'Patient, age')}
                <Table.Th>Diagnosis as known</Table.Th>
                <Table.Th>Referrer, channel, origin</Table.Th>
                {th('urgency', 'Urgency')}
                {th('status', 'Status')}
                <Table.Th>Assigned</Table.Th>
                {th('received', 'Received')}
                {th('turnaround', 'Turnaround')}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => {
                const clock = currentClock(r.clocks);
                const late = r.clocks.filter((c) => c !== clock && c.overdue && c.stoppedAt);
                return (
                  <Table.Tr key={r.id} className={`clickable-row${r.overdue ? ' tb-overdue-row' : ''}`} data-testid="referral-row"
                    data-overdue={r.overdue ? 'true' : 'false'} onClick={() => navigate(`/referrals/${r.id}`)}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Anchor component={Link} to={`/referrals/${r.id}`} fw={600} ff="monospace" size="sm" onClick={(e) => e.stopPropagation()}>
                        {r.reference}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{listedName(r.patientName)}</Text>
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>{formatAge(r.birthDate)}</Text>
                    </Table.Td>
                    <Table.Td maw={200}>
                      {r.diagnosisText ? <Text size="sm" lineClamp={2} title={r.diagnosisText}>{r.diagnosisText}</Text> : <Text span c="dimmed" size="sm">Not given</Text>}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{r.referrerName}</Text>
                      <Text size="xs" c="dimmed">{channelLabel(r.channel)} · {originLabel(r.origin)}</Text>
                    </Table.Td>
                    <Table.Td><UrgencyBadge urgency={r.urgency} size="sm" /></Table.Td>
                    <Table.Td><ReferralStatusBadge status={r.status} size="sm" /></Table.Td>
                    <Table.Td title={r.assignedToName ?? undefined}>
                      {r.assignedToName ? shortName(r.assignedToName) : <Text span c="dimmed" size="sm">Unassigned</Text>}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(r.createdAt)}</Table.Td>
                    <Table.Td>
                      {clock ? <ClockText clock={clock} stacked /> : '—'}
                      {/* A step that ran late and is done still counts: the detail page flags it, so the list does too. */}
                      {late.length > 0 ? <Text size="xs" c="red.9" fw={600} mt={2}>Late earlier: {late.map(clockName).join(', ')}</Text> : null}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
              <TableStatusRows colSpan={9} pending={list.isPending} empty={!list.error && items.length === 0} loading="Loading referrals…" emptyText={filtered ? 'No referrals match these filters.' : 'No open referrals.'} />
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {list.data ? (
          <Pager total={list.data.total} limit={PAGE_SIZE} offset={offset} noun="referrals" onChange={(o) => update({ offset: o ? String(o) : null })} />
        ) : null}
      </Card>
    </>
  );
}
