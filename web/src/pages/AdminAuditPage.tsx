import { Badge, Button, Card, Code, Group, NativeSelect, SimpleGrid, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useAudit } from '../api/hooks.js';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from '../api/types.js';
import type { AuditEntry, AuditFilter } from '../api/types.js';
import { DateField } from '../components/DateField.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { Pager } from '../components/Pager.js';
import { isValidDate, onSubmit, useFormErrors } from '../lib/forms.js';
import { formatDateTime, humanize } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { TableStatusRows } from '../components/TableStatusRows.js';

const PAGE_SIZE = 50;
type Draft = Required<Record<keyof AuditFilter, string>>;
const EMPTY: Draft = { userId: '', action: '', recordType: '', patientId: '', outcome: '', from: '', to: '' };

/** Date inputs are local calendar days; the API gets the matching instants (start of `from`, end of `to`). */
function toFilter(d: Draft): AuditFilter {
  const f: AuditFilter = {};
  for (const key of ['userId', 'action', 'recordType', 'patientId', 'outcome'] as const) if (d[key].trim()) f[key] = d[key].trim();
  if (d.from) f.from = new Date(`${d.from}T00:00:00`).toISOString();
  if (d.to) f.to = new Date(`${d.to}T23:59:59.999`).toISOString();
  return f;
}

const OUTCOME_COLOR: Record<string, string> = { success: 'green', denied: 'orange', error: 'red' };

function detailText(detail: unknown): string {
  if (detail === null || detail === undefined || detail === '') return '';
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

function Row({ e }: { e: AuditEntry }) {
  const detail = detailText(e.detail);
  return (
    <Table.Tr>
      <Table.Td ff="monospace" fz="xs">{e.seq}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
      <Table.Td>{e.username ?? '—'}{e.role ? <Text span size="xs" c="dimmed"> ({humanize(e.role)})</Text> : null}</Table.Td>
      <Table.Td>{humanize(e.action)}</Table.Td>
      <Table.Td>{e.recordType ?? '—'}{e.recordId ? <Text span ff="monospace" size="xs" c="dimmed"> {e.recordId}</Text> : null}</Table.Td>
      <Table.Td ff="monospace" fz="xs">{e.patientId ?? '—'}</Table.Td>
      <Table.Td><Badge color={OUTCOME_COLOR[e.outcome] ?? 'gray'} c={`${OUTCOME_COLOR[e.outcome] ?? 'gray'}.9`} variant="light">{e.outcome}</Badge></Table.Td>
      <Table.Td ff="monospace" fz="xs">{e.clientIp ?? '—'}</Table.Td>
      <Table.Td maw={260}>
        {detail ? (
          <Tooltip label={detail} multiline maw={420} withinPortal>
            <Code fz="xs" style={{ display: 'block', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} tabIndex={0}>{detail}</Code>
          </Tooltip>
        ) : '—'}
      </Table.Td>
    </Table.Tr>
  );
}

export function AdminAuditPage() {
  usePageTitle('Audit log');
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>({});
  const [offset, setOffset] = useState(0);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const audit = useAudit(filter, PAGE_SIZE, offset);

  const set = (key: keyof Draft, value: string) => { setDraft((d) => ({ ...d, [key]: value })); clearError(key); };
  const apply = () => {
    const e: Record<string, string> = {};
    if (draft.from && !isValidDate(draft.from)) e.from = 'Use YYYY-MM-DD';
    if (draft.to && !isValidDate(draft.to)) e.to = 'Use YYYY-MM-DD';
    if (!e.from && !e.to && draft.from && draft.to && draft.from > draft.to) e.to = 'The end date is before the start date';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    setFilter(toFilter(draft));
    setOffset(0);
  };
  const text = (key: keyof Draft, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput label={label} value={draft[key]} error={errors[key]} onChange={(ev) => set(key, ev.currentTarget.value)} {...extra} />
  );
  const items = audit.data?.items ?? [];

  return (
    <>
      <PageHeader title="Audit log" subtitle="Every access to patient data, sign-in and change, newest first" />
      <Card mb="lg" component="section" aria-label="Audit filters">
        <form ref={formRef} onSubmit={onSubmit(apply)} noValidate aria-label="Filter audit log">
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
            {text('userId', 'User ID')}
            <NativeSelect label="Action" value={draft.action} onChange={(ev) => set('action', ev.currentTarget.value)}
              data={[{ value: '', label: 'Any action' }, ...AUDIT_ACTIONS.map((a) => ({ value: a, label: humanize(a) }))]} />
            {text('recordType', 'Record type', { placeholder: 'e.g. patient' })}
            {text('patientId', 'Patient ID')}
            <NativeSelect label="Outcome" value={draft.outcome} onChange={(ev) => set('outcome', ev.currentTarget.value)}
              data={[{ value: '', label: 'Any outcome' }, ...AUDIT_OUTCOMES.map((o) => ({ value: o, label: humanize(o) }))]} />
            <DateField label="From date" value={draft.from} error={errors.from} onChange={(ev) => set('from', ev.currentTarget.value)} />
            <DateField label="To date" value={draft.to} error={errors.to} onChange={(ev) => set('to', ev.currentTarget.value)} />
            <Group align="flex-end" gap="xs">
              <Button type="submit">Apply filters</Button>
              <Button variant="default" onClick={() => { setDraft(EMPTY); setFilter({}); setOffset(0); setErrors({}); }}>Clear filters</Button>
            </Group>
          </SimpleGrid>
        </form>
      </Card>
      <Card>
        <div aria-live="polite">{audit.error ? <ErrorAlert error={audit.error} title="Could not load the audit log" /> : null}</div>
        <Table.ScrollContainer minWidth={980}>
          <Table striped aria-label="Audit entries" aria-busy={audit.isFetching} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th><Table.Th>Time</Table.Th><Table.Th>User</Table.Th><Table.Th>Action</Table.Th>
                <Table.Th>Record</Table.Th><Table.Th>Patient ID</Table.Th><Table.Th>Outcome</Table.Th>
                <Table.Th>Client IP</Table.Th><Table.Th>Detail</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => <Row key={e.id} e={e} />)}
              <TableStatusRows colSpan={9} pending={audit.isPending} empty={!audit.error && items.length === 0} loading="Loading audit entries…" emptyText={<>No audit entries match these filters.</>} />
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {audit.data ? <Pager total={audit.data.total} limit={PAGE_SIZE} offset={offset} noun="entries" onChange={setOffset} /> : null}
      </Card>
    </>
  );
}
