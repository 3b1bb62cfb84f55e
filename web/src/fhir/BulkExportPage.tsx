import { Alert, Anchor, Button, Card, Checkbox, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { useEffect, useRef, useState } from 'react';
import { useMe } from '../api/hooks.js';
import { usePageTitle } from '../lib/usePageTitle.js';

/** What the server can export (src/domain/fhir/bulk.ts BULK_TYPES), with words for people. */
const TYPES: Array<{ type: string; label: string }> = [
  { type: 'Patient', label: 'Patients' },
  { type: 'Organization', label: 'Institution' },
  { type: 'Condition', label: 'Diagnoses and metastases' },
  { type: 'Observation', label: 'Stage, risk, size, grade, performance, variants, disease status' },
  { type: 'CarePlan', label: 'Treatment plans' },
  { type: 'MedicationRequest', label: 'Planned medications' },
  { type: 'MedicationAdministration', label: 'Given medications' },
  { type: 'Procedure', label: 'Surgery and radiotherapy' },
  { type: 'ClinicalImpression', label: 'Conference recommendations' },
];

interface Manifest { transactionTime: string; output: Array<{ type: string; url: string; count: number }> }

type State =
  | { kind: 'idle' }
  | { kind: 'running'; statusUrl: string; startedAt: number }
  | { kind: 'done'; statusUrl: string; manifest: Manifest; seconds: number }
  | { kind: 'failed'; message: string };

const sameOrigin = (url: string) => { const u = new URL(url, window.location.origin); return `${u.pathname}${u.search}`; };

async function problemOf(res: Response): Promise<string> {
  try {
    const oo = (await res.json()) as OperationOutcome;
    return oo.issue?.map((i) => i.diagnostics ?? i.code).join('; ') || `the server answered ${res.status}`;
  } catch {
    return `the server answered ${res.status}`;
  }
}

/**
 * FHIR Bulk Data export of the institution's whole cohort (issue 8): the standard `Patient/$export` kick-off, then
 * polling, then one NDJSON file per resource type to download. Files are validated before they are offered, stay
 * for 24 hours, and only the requester can fetch them; every exported patient is in the audit log.
 */
export function BulkExportPage() {
  usePageTitle('FHIR bulk export');
  const me = useMe().data;
  const [types, setTypes] = useState<string[]>([]);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const poll = (statusUrl: string, startedAt: number) => {
    timer.current = window.setTimeout(async () => {
      const res = await fetch(sameOrigin(statusUrl), { credentials: 'same-origin' });
      if (res.status === 202) { poll(statusUrl, startedAt); return; }
      if (res.status === 200) {
        setState({ kind: 'done', statusUrl, manifest: (await res.json()) as Manifest, seconds: (performance.now() - startedAt) / 1000 });
        return;
      }
      setState({ kind: 'failed', message: await problemOf(res) });
    }, 500);
  };

  const start = async () => {
    const query = types.length > 0 && types.length < TYPES.length ? `?_type=${types.join(',')}` : '';
    const res = await fetch(`/fhir/R4/Patient/$export${query}`, { credentials: 'same-origin', headers: { prefer: 'respond-async', accept: 'application/fhir+json' } });
    if (res.status !== 202) { setState({ kind: 'failed', message: await problemOf(res) }); return; }
    const statusUrl = res.headers.get('content-location') ?? '';
    const startedAt = performance.now();
    setState({ kind: 'running', statusUrl, startedAt });
    poll(statusUrl, startedAt);
  };

  const remove = async (statusUrl: string) => {
    await fetch(sameOrigin(statusUrl), { method: 'DELETE', credentials: 'same-origin' });
    setState({ kind: 'idle' });
  };

  return (
    <Stack gap="md" maw={900}>
      <Title order={1}>FHIR bulk export</Title>
      <Text>
        Every patient of {me?.institution.name ?? 'your institution'} as FHIR R4 with the mCODE profiles, one NDJSON file per
        resource type (FHIR Bulk Data <code>Patient/$export</code>), for a consortium or a partner hospital's system. Every
        resource is validated (FHIR R4, the R4 schema, mCODE rules) before any file is offered. The files hold identified
        data: they stay for 24 hours, only you can download them, and each exported patient is recorded in the audit log.
      </Text>
      <Card withBorder>
        <Checkbox.Group label="Resource types" description="Leave all unticked to export everything." value={types} onChange={setTypes}>
          <Stack gap={4} mt="xs">
            {TYPES.map((t) => <Checkbox key={t.type} value={t.type} label={`${t.type}: ${t.label}`} />)}
          </Stack>
        </Checkbox.Group>
        <Group mt="md">
          <Button onClick={() => void start()} disabled={state.kind === 'running'}>Start export</Button>
        </Group>
      </Card>
      {state.kind === 'running' ? (
        <Alert color="blue" title="Exporting" role="status">
          <Group gap="xs"><Loader size="xs" aria-hidden /> <Text>Exporting and validating every patient…</Text></Group>
        </Alert>
      ) : null}
      {state.kind === 'failed' ? <Alert color="red" title="The export did not run" role="alert">{state.message}</Alert> : null}
      {state.kind === 'done' ? (
        <Card withBorder aria-labelledby="bulk-files">
          <Title order={2} id="bulk-files" size="h3">Files ready</Title>
          <Text size="sm" c="dimmed">
            Exported {state.manifest.output.find((o) => o.type === 'Patient')?.count ?? 0} patients at {new Date(state.manifest.transactionTime).toLocaleString()}, in {state.seconds.toFixed(1)} s; every resource valid.
          </Text>
          <Table mt="sm" striped>
            <Table.Thead><Table.Tr><Table.Th>Resource type</Table.Th><Table.Th ta="right">Resources</Table.Th><Table.Th>File</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {state.manifest.output.map((o) => (
                <Table.Tr key={o.type}>
                  <Table.Td>{o.type}</Table.Td>
                  <Table.Td ta="right">{o.count}</Table.Td>
                  <Table.Td><Anchor href={sameOrigin(o.url)} download={`${o.type}.ndjson`}>Download {o.type}.ndjson</Anchor></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group mt="md"><Button variant="default" color="red" onClick={() => void remove(state.statusUrl)}>Delete these files now</Button></Group>
        </Card>
      ) : null}
    </Stack>
  );
}
