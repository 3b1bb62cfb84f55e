import { Anchor, Badge, Button, Card, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router';
import { useCase } from '../api/hooks.js';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { formatDateTime, formatNumber, patientName } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useComparison, usePlanVersions } from './api.js';
import type { DiffEntry } from './api.js';
import { NO_CLIP, RuleIds } from './labels.js';
import { PlanDocument } from './PlanDocument.js';
import './plan.css';

/** A value as it appears in a diff entry: absent, not set, a word, a list, or a short summary of an object. */
function show(v: unknown): string {
  if (v === undefined) return '— (absent)';
  if (v === null) return 'not set';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.every((x) => typeof x !== 'object') ? v.join(', ') : `${v.length} entries`;
  const o = v as Record<string, unknown>;
  const name = o.regimen ?? o.name ?? o.agent ?? o.description ?? o.question ?? o.kind;
  return typeof name === 'string' ? name : JSON.stringify(v);
}

const KIND_LABELS: Record<DiffEntry['kind'], string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };
const KIND_COLORS: Record<DiffEntry['kind'], string> = { added: 'teal', removed: 'red', changed: 'indigo' };

/** /cases/:id/plan/compare?a=&b=: two versions side by side, with the list of changes. */
export function ComparePage() {
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const versions = usePlanVersions(id);
  const current = versions.data?.current ?? null;
  const num = (k: string) => { const n = Number(params.get(k)); return Number.isInteger(n) && n >= 1 ? n : null; };
  const a = num('a') ?? (current !== null ? Math.max(1, current - 1) : null);
  const b = num('b') ?? current;
  const cmp = useComparison(id, a, b);
  const caseQ = useCase(id);
  const name = caseQ.data ? patientName(caseQ.data.patient) : null;
  usePageTitle(`Compare plan versions${name ? ` · ${name}` : ''}`);
  const choices = (versions.data?.items ?? []).map((v) => ({ value: String(v.version), label: `Version ${v.version}` }));
  const changes = cmp.data?.changes ?? [];
  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/cases" size="sm">Cases</Anchor>
        <Anchor component={Link} to={`/cases/${id}`} size="sm">{name ?? 'Case'}</Anchor>
        <Anchor component={Link} to={`/cases/${id}/plan`} size="sm">Treatment plan</Anchor>
        <Text size="sm" c="dimmed">Compare versions</Text>
      </Crumbs>
      <PageHeader title={<>Compare plan versions{name ? <Text span c="dimmed" fw={400} inherit> · {name}</Text> : null}</>}>
        <Button variant="default" component={Link} to={`/cases/${id}/plan`}>Back to the plan</Button>
      </PageHeader>
      <QueryState isPending={versions.isPending} error={versions.error} label="plan versions">
        <Card mb="lg" py="sm">
          <Group gap="sm" align="flex-end">
            <NativeSelect label="Version A (before)" data={choices} value={a !== null ? String(a) : ''}
              onChange={(e) => setParams({ a: e.currentTarget.value, b: String(b ?? '') })} />
            <NativeSelect label="Version B (after)" data={choices} value={b !== null ? String(b) : ''}
              onChange={(e) => setParams({ a: String(a ?? ''), b: e.currentTarget.value })} />
          </Group>
        </Card>
        <QueryState isPending={cmp.isPending} error={cmp.error} label="comparison">
          {cmp.data ? (
            <Stack gap="lg">
              <Card component="section" aria-labelledby="changes-heading">
                <Title order={2} size="h4" id="changes-heading" mb="xs">
                  {changes.length === 0 ? 'No differences' : `${changes.length} ${changes.length === 1 ? 'change' : 'changes'}`} from version {cmp.data.a.version} to {cmp.data.b.version}
                </Title>
                {changes.length > 0 ? (
                  <Table.ScrollContainer minWidth={640}>
                    <Table withTableBorder verticalSpacing="xs" fz="sm" aria-label="Changes">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">Where</Table.Th>
                          <Table.Th scope="col" w="30%">Version {cmp.data.a.version}</Table.Th>
                          <Table.Th scope="col" w="30%">Version {cmp.data.b.version}</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {changes.map((c) => (
                          <Table.Tr key={`${c.field}-${c.path}`} data-testid="change-row" data-field={c.field}>
                            <Table.Td>
                              <Badge size="xs" variant="light" color={KIND_COLORS[c.kind]} c={`${KIND_COLORS[c.kind]}.9`} radius="sm" mr={6} styles={NO_CLIP}>{KIND_LABELS[c.kind]}</Badge>
                              <Text span size="sm">{c.path}</Text>
                            </Table.Td>
                            <Table.Td className="tb-before">{show(c.before)}</Table.Td>
                            <Table.Td className="tb-after">{show(c.after)}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                ) : null}
              </Card>
              <div className="tb-compare-grid">
                {([['A', cmp.data.a], ['B', cmp.data.b]] as const).map(([side, v]) => (
                  <Card key={side} component="section" aria-labelledby={`doc-${side}-heading`}>
                    <Title order={2} size="h5" id={`doc-${side}-heading`}>Version {v.version}</Title>
                    <Text size="xs" c="dimmed" mb="sm">Saved {formatDateTime(v.createdAt)}{v.content.templateId ? <> · template <RuleIds rules={[v.content.templateId]} label="Template" /></> : null}</Text>
                    <PlanDocument c={v.content} changes={changes} label={`Version ${v.version}`} />
                  </Card>
                ))}
              </div>
            </Stack>
          ) : null}
        </QueryState>
      </QueryState>
    </>
  );
}
