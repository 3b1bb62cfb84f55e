import { Anchor, Button, Card, CloseButton, Group, Input, Stack, Table, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../api/client.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import { useImportTrials } from './api.js';
import type { ImportOutcome, ImportReport } from './api.js';
import { IMPORT_OUTCOMES, fieldLabel, plural } from './labels.js';

/** The server takes up to 20 MB per request. */
const MAX_BYTES = 20 * 1024 * 1024;

interface FileResult {
  file: string;
  report: ImportReport | null;
  /** The whole file could not be sent or was refused. */
  error: string | null;
}

interface Problem { file: string; record: string; nctId: string | null; reason: string }

function summarize(results: FileResult[]) {
  const imported = results.flatMap((r) => (r.report?.imported ?? []).map((i) => ({ ...i, file: r.file })));
  const problems: Problem[] = results.flatMap((r) => [
    ...(r.error ? [{ file: r.file, record: 'Whole file', nctId: null, reason: r.error }] : []),
    ...(r.report?.errors ?? []).map((e) => ({ file: r.file, record: e.index === null ? 'Whole file' : `Record ${e.index + 1}`, nctId: e.nctId, reason: e.reason })),
  ]);
  const counts = new Map<ImportOutcome, number>();
  for (const i of imported) counts.set(i.outcome, (counts.get(i.outcome) ?? 0) + 1);
  // Each request re-matches every open case: the largest count is the number of cases, not the sum.
  const rematched = Math.max(0, ...results.map((r) => r.report?.rematchedCases ?? 0));
  return { imported, problems, counts, rematched };
}

function ImportResult({ results, onClose }: { results: FileResult[]; onClose: () => void }) {
  const { imported, problems, counts, rematched } = summarize(results);
  const parts = (Object.keys(IMPORT_OUTCOMES) as ImportOutcome[]).filter((o) => counts.get(o)).map((o) => `${counts.get(o)} ${IMPORT_OUTCOMES[o].label.toLowerCase()}`);
  return (
    <section aria-labelledby="import-report-heading" data-testid="import-report">
      <Group justify="space-between" align="center" mb={4}>
        <Title order={3} size="h5" id="import-report-heading">Import report</Title>
        <CloseButton aria-label="Close the import report" onClick={onClose} />
      </Group>
      <Text size="sm" mb="sm" data-testid="import-summary">
        {plural(imported.length, 'record')} imported from {plural(results.length, 'file')}{parts.length ? `: ${parts.join(', ')}` : ''}.
        {' '}{problems.length ? `${plural(problems.length, 'problem')} reported.` : 'No problems reported.'}
        {rematched ? ` ${plural(rematched, 'open case')} re-matched.` : ''}
      </Text>
      {imported.length > 0 ? (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="Imported records" fz="sm" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>NCT number</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Not in the record</Table.Th>
                <Table.Th>File</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {imported.map((i) => {
                const o = IMPORT_OUTCOMES[i.outcome];
                return (
                  <Table.Tr key={`${i.file}-${i.nctId}`} data-testid="import-row" data-nct={i.nctId} data-outcome={i.outcome}>
                    <Table.Td><Anchor component={Link} to={`/trials/${i.nctId}`} ff="monospace" size="sm" fw={600}>{i.nctId}</Anchor></Table.Td>
                    <Table.Td>
                      <Text span size="sm" fw={700} c={o.color}><span aria-hidden="true">{o.icon} </span>{o.label}</Text>
                      <Text size="xs" c="dimmed">{o.detail}</Text>
                    </Table.Td>
                    <Table.Td>{i.missing.length ? <Text size="xs">{i.missing.map(fieldLabel).join(', ')}</Text> : <Text span size="xs" c="dimmed">Nothing missing</Text>}</Table.Td>
                    <Table.Td><Text size="xs" style={{ overflowWrap: 'anywhere' }}>{i.file}</Text></Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      {problems.length > 0 ? (
        <>
          <Text size="sm" fw={600} mt="sm" c="red.9"><span aria-hidden="true">✗ </span>Problems</Text>
          <Text size="xs" c="dimmed" mb={4}>A record with an unreadable field is still imported without that field; a record without a usable NCT number is not imported.</Text>
          <Table.ScrollContainer minWidth={640}>
            <Table aria-label="Import problems" fz="sm" verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>File</Table.Th>
                  <Table.Th>Where</Table.Th>
                  <Table.Th>NCT number</Table.Th>
                  <Table.Th>Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {problems.map((p, n) => (
                  <Table.Tr key={n} data-testid="import-problem">
                    <Table.Td><Text size="xs" style={{ overflowWrap: 'anywhere' }}>{p.file}</Text></Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{p.record}</Table.Td>
                    <Table.Td>{p.nctId ? <Text span ff="monospace" size="sm">{p.nctId}</Text> : <Text span c="dimmed" size="sm">—</Text>}</Table.Td>
                    <Table.Td><Text size="sm" style={{ overflowWrap: 'anywhere' }}>{p.reason}</Text></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      ) : null}
    </section>
  );
}

/**
 * Import ClinicalTrials.gov API v2 study JSON (research coordinators): choose one or more .json files (a study,
 * a `{studies: […]}` page or an array), upload, and read the per-record report: new, unchanged, redrafted, or
 * "curation stale" when curated criteria changed on the registry; every problem with its file and record.
 */
export function ImportPanel({ onClose }: { onClose: () => void }) {
  const importer = useImportTrials();
  const input = useRef<HTMLInputElement>(null);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState('');
  const [results, setResults] = useState<FileResult[] | null>(null);

  const upload = async () => {
    const files = [...(input.current?.files ?? [])];
    if (files.length === 0) {
      setErrors({ files: 'Choose one or more .json files exported from ClinicalTrials.gov' });
      return;
    }
    setErrors({});
    setBusy(true);
    setResults(null);
    const out: FileResult[] = [];
    for (const [n, file] of files.entries()) {
      setProgress(`Importing ${file.name} (${n + 1} of ${files.length})…`);
      if (file.size > MAX_BYTES) { out.push({ file: file.name, report: null, error: 'larger than 20 MB: split it into smaller files' }); continue; }
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch (e) {
        out.push({ file: file.name, report: null, error: `not valid JSON (${e instanceof Error ? e.message : 'unreadable'})` });
        continue;
      }
      if (json === null || typeof json !== 'object') {
        out.push({ file: file.name, report: null, error: 'not a ClinicalTrials.gov v2 study, {studies:[…]} page or array of studies' });
        continue;
      }
      try {
        out.push({ file: file.name, report: await importer.mutateAsync(json), error: null });
      } catch (e) {
        out.push({ file: file.name, report: null, error: errorMessage(e) });
      }
    }
    setBusy(false);
    setProgress('');
    setResults(out);
    if (input.current) input.current.value = '';
  };

  return (
    <Card component="section" aria-labelledby="import-heading" mb="lg" data-testid="import-panel">
      <Group justify="space-between" align="flex-start" mb={4}>
        <Title order={2} size="h4" id="import-heading">Import studies</Title>
        <CloseButton aria-label="Close import" onClick={onClose} />
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        ClinicalTrials.gov API v2 study records as JSON: one study, a page of results ({'{'}studies: […]{'}'}) or an array.
        New trials get drafted criteria for a curator to review; if a curated trial's criteria changed, its curation is marked for review.
      </Text>
      <form ref={formRef} onSubmit={onSubmit(() => void upload())} noValidate aria-label="Import studies">
        <Stack gap="sm">
          <Input.Wrapper id="trial-files" label="Study files" withAsterisk description=".json, up to 20 MB each; several files at once are fine" error={errors.files}>
            <input
              ref={input}
              id="trial-files"
              className="tb-trials-file"
              type="file"
              multiple
              accept=".json,application/json"
              aria-invalid={errors.files ? 'true' : undefined}
              aria-describedby={errors.files ? 'trial-files-description trial-files-error' : 'trial-files-description'}
              onChange={() => clearError('files')}
            />
          </Input.Wrapper>
          <Group>
            <Button type="submit" loading={busy}>Upload and import</Button>
            <Text size="sm" c="dimmed" role="status">{progress}</Text>
          </Group>
        </Stack>
      </form>
      {results ? <div style={{ marginTop: 16 }}><ImportResult results={results} onClose={() => setResults(null)} /></div> : null}
    </Card>
  );
}
