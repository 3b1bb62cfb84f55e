import { Alert, Badge, Button, Card, Group, MultiSelect, NumberInput, PasswordInput, Radio, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../api/client.js';
import { useMe } from '../api/hooks.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import {
  AGE_BANDS, FAMILIES, MODES, STAGE_RISK, TEMPLATES, downloadExport, useCohort, useDuas, useExportLog, useRecordDua,
  type CohortCounts, type CohortFilters, type ExportMode,
} from './api.js';

const options = (list: ReadonlyArray<readonly [string, string]>) => list.map(([value, label]) => ({ value, label }));

function Filters({ value, onChange, onSubmit, pending }: { value: CohortFilters; onChange: (f: CohortFilters) => void; onSubmit: () => void; pending: boolean }) {
  const submit = (e: FormEvent) => { e.preventDefault(); onSubmit(); };
  return (
    <Card component="section" aria-labelledby="cohort-filters-heading">
      <form onSubmit={submit} aria-label="Cohort filters">
        <Title order={2} size="h4" id="cohort-filters-heading" mb="xs">Build a cohort</Title>
        <Text size="sm" c="dimmed" mb="sm">Each list matches any of its choices; the filters together must all match. Leave a filter empty to include everyone.</Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <MultiSelect label="Tumour type" placeholder="Any" data={options(FAMILIES)} value={value.families ?? []} onChange={(families) => onChange({ ...value, families })} clearable searchable />
          <MultiSelect label="Stage / risk group" placeholder="Any" data={[...options(STAGE_RISK), { value: 'unknown', label: 'Unknown' }]} value={value.stageRisk ?? []} onChange={(stageRisk) => onChange({ ...value, stageRisk })} clearable searchable />
          <MultiSelect label="Age at diagnosis" placeholder="Any" data={options(AGE_BANDS)} value={value.ageBands ?? []} onChange={(ageBands) => onChange({ ...value, ageBands })} clearable />
          <MultiSelect label="Treatment template (plan)" placeholder="Any" data={[{ value: 'none', label: 'No plan' }, ...TEMPLATES.map((t) => ({ value: t, label: t }))]} value={value.templates ?? []} onChange={(templates) => onChange({ ...value, templates })} clearable searchable />
          <Group grow align="flex-start">
            <NumberInput label="Diagnosed from (year)" placeholder="Any" min={1900} max={2100} allowDecimal={false} value={value.diagnosisYearFrom ?? ''} onChange={(v) => onChange({ ...value, diagnosisYearFrom: typeof v === 'number' ? v : undefined })} />
            <NumberInput label="to (year)" placeholder="Any" min={1900} max={2100} allowDecimal={false} value={value.diagnosisYearTo ?? ''} onChange={(v) => onChange({ ...value, diagnosisYearTo: typeof v === 'number' ? v : undefined })} />
          </Group>
          <Select label="Trial enrollment" data={[{ value: 'any', label: 'Any' }, { value: 'yes', label: 'Enrolled on a trial' }, { value: 'no', label: 'Not enrolled' }]} allowDeselect={false}
            value={value.trialEnrolled === undefined ? 'any' : value.trialEnrolled ? 'yes' : 'no'}
            onChange={(v) => onChange({ ...value, trialEnrolled: v === 'yes' ? true : v === 'no' ? false : undefined })} />
        </SimpleGrid>
        <Group mt="md">
          <Button type="submit" loading={pending}>Count</Button>
          <Button variant="default" onClick={() => onChange({})}>Clear filters</Button>
        </Group>
      </form>
    </Card>
  );
}

function Breakdown({ b, total }: { b: CohortCounts['breakdowns'][number]; total: number | null }) {
  const id = `breakdown-${b.dimension}`;
  return (
    <Card component="section" aria-labelledby={id} data-testid={id}>
      <Title order={3} size="h5" id={id} mb="xs">{b.title}</Title>
      {b.withheld ? (
        <Text size="sm" c="dimmed">Not shown: every group is too small to show safely.</Text>
      ) : (
        <Table aria-label={`Cohort by ${b.title.toLowerCase()}`} fz="sm" verticalSpacing={4}>
          <Table.Tbody>
            {b.cells.map((c) => (
              <Table.Tr key={c.key}>
                <Table.Th scope="row" fw={500}>{c.label.charAt(0).toUpperCase() + c.label.slice(1)}</Table.Th>
                <Table.Td style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', width: '5rem' }} data-suppressed={c.suppressed ? 'true' : undefined}>
                  {c.suppressed ? <Text span size="sm" c="dimmed" title="fewer than 11, or hidden to protect a small count">{c.display}</Text> : c.display}
                </Table.Td>
                <Table.Td style={{ width: '40%' }} aria-hidden="true">
                  {c.count !== null && total ? <div style={{ height: 8, borderRadius: 4, background: 'var(--mantine-color-blue-4)', width: `${Math.max(2, (100 * c.count) / total)}%` }} /> : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {b.overlapSuppressed ? (
        <Text size="xs" mt={4} data-testid={`overlap-note-${b.dimension}`}>
          Some cells are hidden because, together with your earlier counts, they would reveal a group of fewer than 11 children.
        </Text>
      ) : null}
    </Card>
  );
}

/** Why a count was refused, in plain words: a 409 means it could be subtracted from an earlier count. */
function CountRefused({ error }: { error: unknown }) {
  if (!(error instanceof ApiError && error.status === 409)) return <ErrorAlert error={error} title="Could not count the cohort" />;
  return (
    <Alert color="orange" variant="light" role="alert" title="Not counted: this could reveal a small group" data-testid="cohort-refused">
      <Text size="sm">{errorMessage(error).replace(/^filters: t/, 'T')}.</Text>
    </Alert>
  );
}

function Counts({ data }: { data: CohortCounts }) {
  return (
    <Stack gap="sm" aria-live="polite">
      <Card component="section" aria-labelledby="cohort-total-heading">
        <Title order={2} size="h4" id="cohort-total-heading">Children in the cohort</Title>
        <Text size="xl" fw={700} data-testid="cohort-total" style={{ fontVariantNumeric: 'tabular-nums' }}>{data.total.display}</Text>
        <Text size="xs" c="dimmed">
          Counts from 1 to {data.threshold - 1} are never shown: they read “&lt;{data.threshold}”. Some other cells also read “&lt;{data.threshold}” so a small
          count cannot be worked out by subtracting from the total.
        </Text>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        {data.breakdowns.map((b) => <Breakdown key={b.dimension} b={b} total={data.total.count} />)}
      </SimpleGrid>
    </Stack>
  );
}

function ExportForm({ filters }: { filters: CohortFilters }) {
  const [mode, setMode] = useState<ExportMode>('safe_harbor');
  const [format, setFormat] = useState<'csv' | 'ndjson'>('csv');
  const [duaId, setDuaId] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const duas = useDuas(true);
  const qc = useQueryClient();
  const active = (duas.data ?? []).filter((d) => d.active);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setPending(true); setError(null); setDone(null);
    try {
      const r = await downloadExport({ filters, mode, format, ...(mode === 'limited' && duaId ? { duaId } : {}), password });
      setDone(`Downloaded ${r.filename} (${r.rows} rows). The export is recorded in the audit log.`);
      setPassword('');
      void qc.invalidateQueries({ queryKey: ['research', 'exports'] });
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  };
  const chosen = MODES.find((m) => m.value === mode)!;
  return (
    <Card component="section" aria-labelledby="export-heading">
      <form onSubmit={(e) => void submit(e)} aria-label="Export the cohort">
        <Title order={2} size="h4" id="export-heading" mb="xs">Export this cohort</Title>
        <Text size="sm" c="dimmed" mb="sm">The export uses the filters of the counts shown above. One row per child, coded values only.</Text>
        <Radio.Group label="What kind of data set" value={mode} onChange={(v) => setMode(v as ExportMode)}>
          <Stack gap="xs" mt={4}>
            {MODES.map((m) => (
              <Radio key={m.value} value={m.value} label={<Group gap={6}><Text span size="sm" fw={600}>{m.title}</Text>{m.safeHarbor ? <Badge size="xs" color="green">de-identified</Badge> : <Badge size="xs" color="orange">not Safe Harbor</Badge>}</Group>} description={m.words} />
            ))}
          </Stack>
        </Radio.Group>
        {mode === 'limited' ? (
          <Select mt="sm" label="Data-use agreement" placeholder={active.length ? 'Choose the agreement' : 'No active agreement is recorded'} data={active.map((d) => ({ value: d.id, label: `${d.reference} — ${d.recipient} (until ${d.expiresOn})` }))} value={duaId} onChange={setDuaId} />
        ) : null}
        <Group mt="sm" grow align="flex-start">
          <Select label="Format" data={[{ value: 'csv', label: 'CSV (spreadsheets)' }, { value: 'ndjson', label: 'NDJSON (one JSON object per line)' }]} value={format} onChange={(v) => setFormat((v as 'csv' | 'ndjson') ?? 'csv')} allowDeselect={false} />
          <PasswordInput label="Your password" description="Exports need your password again." autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required />
        </Group>
        {!chosen.safeHarbor ? <Alert mt="sm" color="orange" variant="light" title="Not Safe Harbor">{chosen.title} files still count as protected health information: store and share them as the agreement allows.</Alert> : null}
        <Group mt="md">
          <Button type="submit" loading={pending} disabled={!password}>Download export</Button>
        </Group>
        <div aria-live="polite">
          {error ? <ErrorAlert error={error} title="Export refused" /> : null}
          {done ? <Alert mt="sm" color="green" variant="light" data-testid="export-done">{done}</Alert> : null}
        </div>
      </form>
    </Card>
  );
}

const MODE_TITLE: Record<string, string> = Object.fromEntries(MODES.map((m) => [m.value, m.title]));

function ExportLog() {
  const log = useExportLog(true);
  if (!log.data || log.data.length === 0) return null;
  return (
    <Card component="section" aria-labelledby="export-log-heading">
      <Title order={2} size="h4" id="export-log-heading" mb="xs">Recent exports</Title>
      <Text size="sm" c="dimmed" mb="sm">Every export of this institution, with the SHA-256 of the file it produced (the data itself is not kept).</Text>
      <Table.ScrollContainer minWidth={560}>
        <Table aria-label="Recent research exports" fz="sm">
          <Table.Thead><Table.Tr><Table.Th>When (UTC)</Table.Th><Table.Th>Who</Table.Th><Table.Th>Mode</Table.Th><Table.Th>Rows</Table.Th><Table.Th>File SHA-256</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {log.data.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{e.at.slice(0, 16).replace('T', ' ')}</Table.Td>
                <Table.Td>{e.username ?? '—'}</Table.Td>
                <Table.Td>{MODE_TITLE[e.mode] ?? e.mode} ({e.format.toUpperCase()})</Table.Td>
                <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>{e.rows}</Table.Td>
                <Table.Td><Text span size="xs" ff="monospace" title={e.sha256}>{e.sha256.slice(0, 16)}…</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}

function DuaAdmin() {
  const duas = useDuas(true);
  const record = useRecordDua();
  const [form, setForm] = useState({ reference: '', recipient: '', purpose: '', expiresOn: '' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate(form, { onSuccess: () => setForm({ reference: '', recipient: '', purpose: '', expiresOn: '' }) });
  };
  return (
    <Card component="section" aria-labelledby="dua-heading">
      <Title order={2} size="h4" id="dua-heading" mb="xs">Data-use agreements</Title>
      <Text size="sm" c="dimmed" mb="sm">A Limited Data Set may only be exported under a recorded, unexpired agreement of this institution.</Text>
      <Table aria-label="Recorded data-use agreements" fz="sm" mb="md">
        <Table.Thead><Table.Tr><Table.Th>Reference</Table.Th><Table.Th>Recipient</Table.Th><Table.Th>Purpose</Table.Th><Table.Th>Expires</Table.Th></Table.Tr></Table.Thead>
        <Table.Tbody>
          {(duas.data ?? []).map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>{d.reference}</Table.Td><Table.Td>{d.recipient}</Table.Td><Table.Td>{d.purpose}</Table.Td>
              <Table.Td>{d.expiresOn} {d.active ? null : <Badge size="xs" color="gray">expired</Badge>}</Table.Td>
            </Table.Tr>
          ))}
          {duas.data && duas.data.length === 0 ? <Table.Tr><Table.Td colSpan={4}>No agreement recorded yet.</Table.Td></Table.Tr> : null}
        </Table.Tbody>
      </Table>
      <form onSubmit={submit} aria-label="Record a data-use agreement">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput label="Reference" required value={form.reference} onChange={(e) => setForm({ ...form, reference: e.currentTarget.value })} />
          <TextInput label="Recipient" required value={form.recipient} onChange={(e) => setForm({ ...form, recipient: e.currentTarget.value })} />
          <Textarea label="Purpose" required value={form.purpose} onChange={(e) => setForm({ ...form, purpose: e.currentTarget.value })} />
          <TextInput label="Expires on" type="date" required value={form.expiresOn} onChange={(e) => setForm({ ...form, expiresOn: e.currentTarget.value })} />
        </SimpleGrid>
        <Group mt="sm"><Button type="submit" loading={record.isPending}>Record agreement</Button></Group>
        <div aria-live="polite">{record.error ? <Text c="red" size="sm" role="alert">{errorMessage(record.error)}</Text> : null}</div>
      </form>
    </Card>
  );
}

/**
 * The researcher's home (issue 8 item 5): cohort filters, suppressed counts and breakdowns, and the de-identified
 * export with its mode explained in plain words; administrators record data-use agreements here.
 */
export function ResearchPage() {
  usePageTitle('Research cohort');
  const perms = useMe().data?.permissions ?? [];
  const canCount = perms.includes('research.cohort');
  const canExport = perms.includes('research.export');
  const canDua = perms.includes('research.dua');
  const [filters, setFilters] = useState<CohortFilters>({});
  const [applied, setApplied] = useState<CohortFilters>({});
  const cohort = useCohort();
  const { mutate } = cohort;
  useEffect(() => { if (canCount) mutate({}); }, [canCount, mutate]);
  const run = () => { setApplied(filters); cohort.mutate(filters); };
  return (
    <Stack gap="md">
      <div>
        <Title order={1}>Research cohort</Title>
        <Text c="dimmed">De-identified counts and exports of this program&apos;s patients. No names or record numbers are shown here.</Text>
      </div>
      {canCount ? (
        <>
          <Filters value={filters} onChange={setFilters} onSubmit={run} pending={cohort.isPending} />
          {cohort.error ? <CountRefused error={cohort.error} /> : null}
          {cohort.data ? <Counts data={cohort.data} /> : null}
          {canExport ? <ExportForm filters={applied} /> : null}
          {canExport ? <ExportLog /> : null}
        </>
      ) : null}
      {canDua ? <DuaAdmin /> : null}
    </Stack>
  );
}
