import { Alert, Anchor, Badge, Button, Card, Group, Input, Stack, Table, Text, Title } from '@mantine/core';
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Patient } from '@medplum/fhirtypes';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { usePageTitle } from '../lib/usePageTitle.js';

/** The server's import limit (IMPORT_LIMITS.maxBytes): larger files are refused before upload. */
const MAX_BYTES = 32 * 1024 * 1024;

interface PatientRow { entry: number; id: string | null; outcome: 'created' | 'matched'; mrn: string; name: string; tumors: number }
interface IssueRow { entry: number | null; resourceType: string; where: string; message: string }

interface Report {
  file: string;
  patients: PatientRow[];
  tumorsCreated: number;
  unmapped: IssueRow[];
  notes: IssueRow[];
}

type Outcome = { kind: 'report'; report: Report } | { kind: 'refused'; file: string; status: number; issues: IssueRow[] };

const entryOf = (path: string): number | null => {
  const m = /^Bundle\.entry\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : null;
};

function issueRows(issues: OperationOutcomeIssue[], sent: Bundle | null): IssueRow[] {
  return issues.map((i) => {
    const where = i.expression?.[0] ?? '(bundle)';
    const entry = entryOf(where);
    return {
      entry, where,
      resourceType: entry !== null ? sent?.entry?.[entry]?.resource?.resourceType ?? '' : '',
      message: (i.diagnostics ?? i.details?.text ?? i.code).replace(/^not imported: /, ''),
    };
  });
}

/** The report from the transaction-response, read together with the bundle that was sent (names, MRNs). */
function toReport(file: string, sent: Bundle, response: Bundle): Report {
  const patients: PatientRow[] = [];
  let tumorsCreated = 0;
  const tumorsByPatient = new Map<string, number>();
  const unmapped: IssueRow[] = [];
  const notes: IssueRow[] = [];
  (response.entry ?? []).forEach((e, index) => {
    const r = e.response;
    const resource = sent.entry?.[index]?.resource;
    if (!r) return;
    if (resource?.resourceType === 'Condition' && r.location?.startsWith('Condition/')) {
      const subject = (resource as { subject?: { reference?: string } }).subject?.reference ?? '';
      if (r.status.startsWith('201')) { tumorsCreated++; tumorsByPatient.set(subject, (tumorsByPatient.get(subject) ?? 0) + 1); }
    }
    for (const i of r.outcome?.issue ?? []) (i.severity === 'information' ? notes : unmapped).push(...issueRows([i], sent));
  });
  (response.entry ?? []).forEach((e, index) => {
    const resource = sent.entry?.[index]?.resource;
    if (resource?.resourceType !== 'Patient' || !e.response?.location) return;
    const p = resource as Patient;
    const name = p.name?.find((n) => n.use === 'official') ?? p.name?.[0];
    const mrn = p.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value ?? p.identifier?.[0]?.value ?? '';
    const id = /^Patient\/pt-(.+)$/.exec(e.response.location)?.[1] ?? null;
    const fullUrl = sent.entry?.[index]?.fullUrl ?? '';
    const refs = [fullUrl, `Patient/${p.id ?? ''}`];
    patients.push({
      entry: index, id, outcome: e.response.status.startsWith('201') ? 'created' : 'matched', mrn,
      name: [name?.given?.join(' '), name?.family].filter(Boolean).join(' '),
      tumors: refs.reduce((n, ref) => n + (tumorsByPatient.get(ref) ?? 0), 0),
    });
  });
  return { file, patients, tumorsCreated, unmapped, notes };
}

function IssueTable({ rows, label, testId }: { rows: IssueRow[]; label: string; testId: string }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label={label} fz="sm" verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Entry</Table.Th>
            <Table.Th>Location</Table.Th>
            <Table.Th>Reason</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r, n) => (
            <Table.Tr key={n} data-testid={testId}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.entry !== null ? `${r.entry + 1}${r.resourceType ? ` · ${r.resourceType}` : ''}` : '—'}</Table.Td>
              <Table.Td><Text span ff="monospace" size="xs" style={{ overflowWrap: 'anywhere' }}>{r.where}</Text></Table.Td>
              <Table.Td><Text size="sm" style={{ overflowWrap: 'anywhere' }}>{r.message}</Text></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ReportView({ report }: { report: Report }) {
  const created = report.patients.filter((p) => p.outcome === 'created').length;
  const matched = report.patients.length - created;
  return (
    <section aria-labelledby="fhir-report-heading" data-testid="fhir-import-report">
      <Title order={2} size="h4" id="fhir-report-heading" mb={4}>Import report</Title>
      <Text size="sm" mb="sm" data-testid="fhir-import-summary">
        {report.file}: {created} patient{created === 1 ? '' : 's'} created, {matched} matched by MRN; {report.tumorsCreated} new tumour{report.tumorsCreated === 1 ? '' : 's'} recorded; {report.unmapped.length} element{report.unmapped.length === 1 ? '' : 's'} not imported.
      </Text>
      {report.patients.length > 0 ? (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="Imported patients" fz="sm" verticalSpacing={6} mb="md">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Patient</Table.Th>
                <Table.Th>MRN</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>New tumours</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.patients.map((p) => (
                <Table.Tr key={p.entry} data-testid="fhir-import-patient" data-outcome={p.outcome}>
                  <Table.Td>{p.id ? <Anchor component={Link} to={`/patients/${p.id}`} fw={600}>{p.name || 'Patient'}</Anchor> : p.name}</Table.Td>
                  <Table.Td><Text span ff="monospace" size="sm">{p.mrn}</Text></Table.Td>
                  <Table.Td>
                    <Badge color={p.outcome === 'created' ? 'teal' : 'blue'} variant="light" tt="none">{p.outcome === 'created' ? 'Created' : 'Matched by MRN'}</Badge>
                  </Table.Td>
                  <Table.Td>{p.tumors}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {report.unmapped.length > 0 ? (
        <>
          <Title order={3} size="h5" mt="sm">Not imported</Title>
          <Text size="xs" c="dimmed" mb={4}>Each element below was read but has no place in TumorBoard (or is computed here, like stages); nothing else was left out.</Text>
          <IssueTable rows={report.unmapped} label="Elements not imported" testId="fhir-import-unmapped" />
        </>
      ) : <Text size="sm" c="dimmed">Every element was imported.</Text>}
      {report.notes.length > 0 ? (
        <>
          <Title order={3} size="h5" mt="md">Please check</Title>
          <IssueTable rows={report.notes} label="Import notes" testId="fhir-import-note" />
        </>
      ) : null}
    </section>
  );
}

/**
 * Import a FHIR R4 Bundle (mCODE) from another hospital's EHR or another TumorBoard (coordinators): choose a .json
 * bundle, upload it to `POST /fhir/R4`, and read what was created or matched (with links), every element not
 * imported and why, and, for a refused bundle, each problem with its location (nothing is written then).
 */
export function ImportPage() {
  usePageTitle('Import FHIR bundle');
  const input = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const upload = async () => {
    const file = input.current?.files?.[0];
    setOutcome(null);
    if (!file) { setFileError('Choose a FHIR Bundle (.json) file'); return; }
    if (file.size > MAX_BYTES) { setFileError(`The file is larger than ${MAX_BYTES / 1048576} MB: split it into smaller bundles`); return; }
    const text = await file.text();
    let sent: Bundle | null = null;
    try {
      sent = JSON.parse(text) as Bundle;
    } catch (e) {
      setFileError(`The file is not valid JSON (${e instanceof Error ? e.message : 'unreadable'})`);
      return;
    }
    setFileError(null);
    setBusy(true);
    try {
      const res = await fetch('/fhir/R4', {
        method: 'POST', credentials: 'same-origin', body: text,
        headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
      });
      const body = await res.json().catch(() => null) as Bundle | OperationOutcome | null;
      if (res.ok && body?.resourceType === 'Bundle') {
        setOutcome({ kind: 'report', report: toReport(file.name, sent, body) });
      } else {
        const issues = body?.resourceType === 'OperationOutcome' ? body.issue : [{ severity: 'error' as const, code: 'exception' as const, diagnostics: `The server answered ${res.status}` }];
        setOutcome({ kind: 'refused', file: file.name, status: res.status, issues: issueRows(issues, sent) });
      }
    } catch {
      setOutcome({ kind: 'refused', file: file.name, status: 0, issues: [{ entry: null, resourceType: '', where: '(network)', message: 'TumorBoard could not be reached; nothing was imported. Try again.' }] });
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <main aria-labelledby="fhir-import-heading">
      <Title order={1} size="h2" id="fhir-import-heading" mb={4}>Import FHIR bundle</Title>
      <Text size="sm" c="dimmed" mb="md">
        A FHIR R4 Bundle (transaction, batch or collection; mCODE profiles) from another hospital&apos;s EHR or another TumorBoard.
        Patients are matched by MRN; cancer conditions become tumours with their facts (size, grade, metastases, fusions, performance).
        A bundle with a problem is refused as a whole: nothing is written.
      </Text>
      <Card mb="lg">
        <form aria-label="Import FHIR bundle" noValidate onSubmit={(e) => { e.preventDefault(); void upload(); }}>
          <Stack gap="sm">
            <Input.Wrapper id="fhir-bundle-file" label="Bundle file" withAsterisk description=".json, up to 32 MB" error={fileError}>
              <input
                ref={input}
                id="fhir-bundle-file"
                type="file"
                accept=".json,application/json,application/fhir+json"
                aria-invalid={fileError ? 'true' : undefined}
                aria-describedby={fileError ? 'fhir-bundle-file-description fhir-bundle-file-error' : 'fhir-bundle-file-description'}
                onChange={() => setFileError(null)}
              />
            </Input.Wrapper>
            <Group>
              <Button type="submit" loading={busy}>Upload and import</Button>
            </Group>
          </Stack>
        </form>
      </Card>
      {outcome?.kind === 'report' ? <ReportView report={outcome.report} /> : null}
      {outcome?.kind === 'refused' ? (
        <section aria-labelledby="fhir-refused-heading" data-testid="fhir-import-refused">
          <Alert color="red" variant="light" role="alert" title={<span id="fhir-refused-heading">Bundle not imported</span>} mb="sm">
            {outcome.file} was refused{outcome.status ? ` (${outcome.status})` : ''}: nothing was written. Fix the problems below and upload it again.
          </Alert>
          <IssueTable rows={outcome.issues} label="Problems" testId="fhir-import-error" />
        </section>
      ) : null}
    </main>
  );
}
