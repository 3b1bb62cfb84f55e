import { Badge, Button, Card, Code, Group, NativeSelect, SimpleGrid, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.js';
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
import type { patientAccessReport } from '../../../src/services/audit-report.js';

const PAGE_SIZE = 50;
type Draft = Required<Record<keyof AuditFilter, string>>;
const EMPTY: Draft = { userId: '', action: '', recordType: '', patientId: '', outcome: '', from: '', to: '' };

/** Date inputs are local calendar days; the API gets the matching instants (start of `from`, end of `to`). */
function toFilter(d: Draft): AuditFilter {
  const f: AuditFilter = {};
  for (const key of ['userId', 'action', 'recordType', 'patientId', 'outcome'] as const) if (d[key].trim()) (f as Record<typeof key, string>)[key] = d[key].trim();
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

/** GET /admin/audit/patient/:id: who accessed one patient's record (issue #9 item 3), as the server returns it. */
type PatientAccessReport = Awaited<ReturnType<typeof patientAccessReport>>;

const ACCESS_PAGE_SIZE = 50;

/** "Who accessed this patient's record": a patient ID in, every access (who, role, when, action, outcome, from where) out. */
function PatientAccessReportCard() {
  const [draft, setDraft] = useState('');
  const [patientId, setPatientId] = useState('');
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | undefined>();
  const report = useQuery({
    queryKey: ['admin', 'audit', 'patient', patientId, offset],
    queryFn: ({ signal }) => api.get<PatientAccessReport>(`/admin/audit/patient/${encodeURIComponent(patientId)}`, { limit: ACCESS_PAGE_SIZE, offset }, signal),
    enabled: patientId !== '',
  });
  const show = () => {
    const id = draft.trim();
    if (!id) { setError('Enter a patient ID'); return; }
    setError(undefined);
    if (id === patientId && offset === 0) void report.refetch(); // asked again: show what happened since
    setPatientId(id);
    setOffset(0);
  };
  const items = report.data?.items ?? [];
  return (
    <Card mb="lg" component="section" aria-label="Patient access report">
      <Text fw={600} mb="xs">Who accessed a patient&apos;s record</Text>
      <form onSubmit={(ev) => { ev.preventDefault(); show(); }} noValidate aria-label="Patient access report">
        <Group align="flex-end" gap="xs" mb="sm">
          <TextInput label="Patient ID" value={draft} error={error} onChange={(ev) => { setDraft(ev.currentTarget.value); setError(undefined); }} w={340} />
          <Button type="submit">Show access</Button>
        </Group>
      </form>
      <div aria-live="polite">{report.error ? <ErrorAlert error={report.error} title="Could not load the access report" /> : null}</div>
      {patientId && report.data ? (
        <>
          <Text size="sm" c="dimmed" mb="xs">
            {report.data.total} entries by {report.data.byUser.length} user(s); this report is itself recorded in the audit log.
          </Text>
          {report.data.byUser.length > 0 ? (
            <Table fz="sm" mb="sm" aria-label="Access by user">
              <Table.Thead><Table.Tr><Table.Th>User</Table.Th><Table.Th>Entries</Table.Th><Table.Th>First</Table.Th><Table.Th>Last</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {report.data.byUser.map((u) => (
                  <Table.Tr key={`${u.userId ?? ''}-${u.institutionId ?? ''}`}>
                    <Table.Td>{u.username ?? '—'}{u.role ? <Text span size="xs" c="dimmed"> ({humanize(u.role)})</Text> : null}</Table.Td>
                    <Table.Td>{u.count}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(u.first)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(u.last)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : null}
        </>
      ) : null}
      {patientId ? (
        <Table.ScrollContainer minWidth={900}>
          <Table striped aria-label="Patient access entries" aria-busy={report.isFetching} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th><Table.Th>User</Table.Th><Table.Th>Action</Table.Th><Table.Th>Record</Table.Th>
                <Table.Th>Outcome</Table.Th><Table.Th>From (client IP)</Table.Th><Table.Th>Request</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                  <Table.Td>{e.username ?? '—'}{e.role ? <Text span size="xs" c="dimmed"> ({humanize(e.role)})</Text> : null}</Table.Td>
                  <Table.Td>{humanize(e.action)}</Table.Td>
                  <Table.Td>{e.recordType ?? '—'}</Table.Td>
                  <Table.Td><Badge color={OUTCOME_COLOR[e.outcome] ?? 'gray'} c={`${OUTCOME_COLOR[e.outcome] ?? 'gray'}.9`} variant="light">{e.outcome}</Badge></Table.Td>
                  <Table.Td ff="monospace" fz="xs">{e.clientIp ?? '—'}</Table.Td>
                  <Table.Td ff="monospace" fz="xs">{e.requestId ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
              <TableStatusRows colSpan={7} pending={report.isPending} empty={!report.error && report.isSuccess && items.length === 0} loading="Loading the access report…" emptyText={<>No one has accessed this patient&apos;s record.</>} />
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {report.data && report.data.total > ACCESS_PAGE_SIZE ? <Pager total={report.data.total} limit={ACCESS_PAGE_SIZE} offset={offset} noun="entries" onChange={setOffset} /> : null}
    </Card>
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
      <PatientAccessReportCard />
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
