import { Alert, Badge, Card, Group, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { formatNumber, humanize } from '../lib/format.js';
import type { Derived, ExposureSummary } from './api.js';
import type { AgentEstimate } from './exposure.js';
import { DerivedValue, Provenance, RuleIds, agentLabel, rulesOf } from './labels.js';

function Row<T>({ label, d, show, testId }: { label: string; d: Derived<T>; show?: (v: T) => ReactNode; testId: string }) {
  return (
    <div className="tb-exposure-row" data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        <Group gap={6} wrap="wrap">
          <DerivedValue d={d} {...(show ? { show } : {})} />
          <RuleIds rules={rulesOf(d)} />
        </Group>
        <details className="tb-why">
          <summary>Why</summary>
          <Provenance d={d} />
        </details>
      </dd>
    </div>
  );
}

const mgM2 = (v: number) => formatNumber(v, 'mg/m²');

function radiationText(r: NonNullable<ExposureSummary['radiation']['value']>): string {
  if (r.courses.length === 0) return 'No radiation';
  return r.courses.map((c) => `${humanize(c.field)}${c.side ? ` (${c.side})` : ''} ${formatNumber(c.totalGy, 'Gy')}`).join(', ');
}

/** Compare an estimate with the saved total: a visible marker, in words as well as an arrow. */
function Delta({ saved, estimate }: { saved: number | null | undefined; estimate: AgentEstimate | undefined }) {
  if (!estimate) return <Text span size="sm" c="dimmed">not in the edited plan</Text>;
  if (estimate.mgM2 === null) {
    return <Text span size="sm" c="orange.9" title={estimate.unknown.join('; ')}>Unknown<Text span size="xs" c="gray.7" display="block">{estimate.unknown[0]}</Text></Text>;
  }
  const changed = saved === null || saved === undefined || Math.abs(saved - estimate.mgM2) > 1e-6;
  return (
    <Text span size="sm" ff="monospace" fw={changed ? 700 : 400} c={changed ? 'indigo.9' : undefined} data-changed={changed ? 'true' : 'false'}>
      {estimate.upperBound ? '≤ ' : ''}{estimate.mgM2.toLocaleString('en-US', { maximumFractionDigits: 2 })}
      {changed ? <Text span size="xs" ff="text" c="indigo.9"> (changed)</Text> : null}
    </Text>
  );
}

/**
 * Cumulative exposure as the server computed it (planned for the saved version, or received from what was given):
 * each value with its rule IDs and reasons, "Unknown" where it could not be computed. While the plan has unsaved
 * edits, an unsaved estimate of the per-agent totals is shown beside the saved ones.
 */
export function ExposurePanel({ exposure, version, estimate, headingId = 'exposure-heading', title, wide = false, headingOrder = 2 }: {
  exposure: ExposureSummary | null; version?: number; estimate?: AgentEstimate[] | null; headingId?: string; title?: string;
  /** Summary and per-agent table side by side (for a full-width section). */
  wide?: boolean;
  headingOrder?: 2 | 3;
}) {
  const planned = exposure?.source !== 'received';
  const heading = title ?? (planned ? 'Planned exposure' : 'Received exposure');
  if (!exposure) {
    return (
      <Card component="section" aria-labelledby={headingId}>
        <Title order={headingOrder} size={headingOrder === 2 ? 'h4' : 'h5'} id={headingId} mb="xs">{heading}</Title>
        <Text size="sm" c="orange.9">Unknown: the case's facts are not complete enough for the rules engine to compute exposure.</Text>
      </Card>
    );
  }
  const byAgent = new Map((estimate ?? []).map((e) => [e.agent, e]));
  const agents = [...new Set([...Object.keys(exposure.agents), ...(estimate ?? []).map((e) => e.agent)])];
  return (
    <Card component="section" aria-labelledby={headingId} data-testid={planned ? 'planned-exposure' : 'received-exposure'}>
      <Title order={headingOrder} size={headingOrder === 2 ? 'h4' : 'h5'} id={headingId}>{heading}</Title>
      <Text size="xs" c="dimmed" mb="sm">
        {planned ? `Computed by the server for saved version ${version ?? ''}` : 'Computed by the server from the treatment recorded'}
      </Text>
      {estimate ? (
        <Alert color="indigo" variant="light" mb="sm" p="xs" data-testid="estimate-note" icon={<span aria-hidden="true">✎</span>}>
          <Text size="xs">
            <Text span fw={700} inherit>Unsaved estimate</Text> beside the saved totals: per-agent sums from your edits, worked out in
            this browser. The values that apply clinical rules (equivalents, echo, fertility) are recomputed by the server when you save.
          </Text>
        </Alert>
      ) : null}
      <div className={wide ? 'tb-exposure-wide' : undefined}>
      <dl className="tb-exposure">
        <Row label="Doxorubicin equivalent" d={exposure.doxorubicinEquivalentMgM2} show={mgM2} testId="exposure-doxorubicin-equivalent" />
        <Row label="Cyclophosphamide equivalent (CED)" d={exposure.cedMgM2} show={mgM2} testId="exposure-ced" />
        <Row label="Echocardiogram" d={exposure.echoFrequency} show={(v) => humanize(v)} testId="exposure-echo" />
        <Row label="Hearing (platinum)" d={exposure.hearing} show={(v) => v.monitoring} testId="exposure-hearing" />
        <Row label="Fertility preservation" d={exposure.fertility} testId="exposure-fertility"
          show={(v) => (v.indicated
            ? `Indicated${v.options === null ? ' (options unknown: pubertal status not recorded)' : v.options.length ? `: ${v.options.map(humanize).join(', ')}` : ''}`
            : 'Not indicated')} />
        <Row label="Radiation" d={exposure.radiation} show={radiationText} testId="exposure-radiation" />
      </dl>
      <div>
      <Title order={headingOrder + 1 as 3 | 4} size="h6" mt={wide ? 0 : 'md'} mb={4}>Cumulative dose by agent</Title>
      {agents.length === 0 ? <Text size="sm" c="dimmed">No chemotherapy.</Text> : (
        <Table withTableBorder verticalSpacing={4} fz="sm" aria-label={`${heading} by agent`} data-testid="exposure-agents">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Agent</Table.Th>
              <Table.Th scope="col" ta="right">{planned ? `Saved v${version ?? ''}` : 'Given'} (mg/m²)</Table.Th>
              {estimate ? <Table.Th scope="col" ta="right">Unsaved estimate (mg/m²)</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {agents.map((a) => {
              const d = exposure.agents[a];
              return (
                <Table.Tr key={a} data-agent={a}>
                  <Table.Td>
                    <Text span size="sm">{agentLabel(a)}</Text>
                    <div><RuleIds rules={rulesOf(d)} /></div>
                  </Table.Td>
                  <Table.Td ta="right" data-testid="saved-total">
                    {d ? (d.value === null
                      ? <Text span size="sm" c="orange.9" fw={600}>Unknown<Text span size="xs" fw={400} c="gray.7" display="block">{exposure.unknown.find((u) => u.agent === a)?.reason}</Text></Text>
                      : <Text span size="sm" ff="monospace">{/upper bound/.test(d.explanations[0]?.text ?? '') ? '≤ ' : ''}{d.value.toLocaleString('en-US', { maximumFractionDigits: 2 })}</Text>)
                      : <Text span size="sm" c="dimmed">—</Text>}
                  </Table.Td>
                  {estimate ? <Table.Td ta="right" data-testid="estimate-total"><Delta saved={d?.value} estimate={byAgent.get(a)} /></Table.Td> : null}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {Object.values(exposure.agents).some((d) => /upper bound/.test(d.explanations[0]?.text ?? '')) ? (
        <Text size="xs" c="dimmed" mt={4}>≤ an upper bound: the mg cap could not be applied without the BSA.</Text>
      ) : null}
      </div>
      </div>
      {exposure.period.first ? (
        <Group gap={6} mt="xs"><Badge variant="light" color="gray" c="gray.9" radius="sm">Given {exposure.period.first} to {exposure.period.last}</Badge></Group>
      ) : null}
    </Card>
  );
}
