import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import {
  Alert, Anchor, Badge, Button, Card, Group, Loader, NumberInput, Select, SimpleGrid, Stack, Table, Text, Title,
} from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { DateField } from '../components/DateField.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import {
  TUMOR_TYPES, reportUrl, useAnalyticsSummary,
  type AnalyticsSummary, type Count, type CountRow, type Distribution, type FunnelRow, type Metric, type MetricId, type Share,
} from './api.js';
import { downloadCsv, type Cell } from './csv.js';

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

function lastTwelveMonths(): { from: string; to: string } {
  const to = new Date();
  const from = new Date(to);
  from.setFullYear(to.getFullYear() - 1);
  from.setDate(from.getDate() + 1);
  return { from: iso(from), to: iso(to) };
}

const SUPPRESSED = '<11';

function countText(c: Count): string {
  return c.suppressed ? SUPPRESSED : c.value === null ? '—' : String(c.value);
}
function shareText(s: Share): string {
  if (s.suppressed) return SUPPRESSED;
  if (s.percent === null) return '—';
  return `${s.percent}% (${s.numerator}/${s.denominator})`;
}
function distText(d: Distribution): string {
  if (d.suppressed) return SUPPRESSED;
  if (!d.n) return '—';
  return `median ${d.medianDays} d · 90th pct ${d.p90Days} d (n = ${d.n})`;
}
const sup = (x: { suppressed?: true }) => (x.suppressed ? 'suppressed: fewer than 11 children' : undefined);

/** One metric: heading, its definition as help text, and what shows it. */
function MetricSection({ metric, children, testId }: { metric: Metric<MetricId>; children: React.ReactNode; testId?: string }) {
  const hid = `metric-${metric.id.replace('.', '-')}`;
  return (
    <Card component="section" withBorder aria-labelledby={`${hid}-title`} aria-describedby={`${hid}-definition`} data-testid={testId ?? hid}>
      <Title order={3} size="h5" id={`${hid}-title`}>{metric.label}</Title>
      <Text size="xs" c="dimmed" id={`${hid}-definition`} mb="sm" data-testid="metric-definition">
        <Text span fw={600} size="xs">Definition: </Text>{metric.definition}
      </Text>
      {children}
    </Card>
  );
}

/** A table with a caption and a CSV download of exactly what it shows. */
function DataTable({ caption, head, rows, filename, maxHeight }: { caption: string; head: string[]; rows: Cell[][]; filename: string; maxHeight?: number }) {
  return (
    <Stack gap={4}>
      {/* A table that scrolls in its box is reachable by keyboard (WCAG 2.1.1), named by its caption. */}
      <Table.ScrollContainer minWidth={360} maxHeight={maxHeight}
        scrollAreaProps={maxHeight !== undefined ? { viewportProps: { tabIndex: 0, role: 'region', 'aria-label': caption } } : undefined}>
        <Table striped withTableBorder stickyHeader={maxHeight !== undefined} captionSide="top" data-testid="analytics-table">
          <Table.Caption style={{ textAlign: 'left' }}>{caption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>{head.map((h) => <Table.Th key={h} scope="col">{h}</Table.Th>)}</Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.length === 0 ? (
              <Table.Tr><Table.Td colSpan={head.length}><Text size="sm" c="dimmed">Nothing in this period.</Text></Table.Td></Table.Tr>
            ) : rows.map((r, i) => (
              <Table.Tr key={i}>
                {r.map((c, j) => (j === 0
                  ? <Table.Th key={j} scope="row" fw={500}>{c}</Table.Th>
                  : <Table.Td key={j} style={{ fontVariantNumeric: 'tabular-nums' }}>{c}</Table.Td>))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="flex-end">
        <Button size="compact-xs" variant="subtle" onClick={() => downloadCsv(filename, [head, ...rows])} aria-label={`Download CSV: ${caption}`}>
          Download CSV
        </Button>
      </Group>
    </Stack>
  );
}

/** A chart described for screen readers; the table beside it is its text alternative. */
function Chart({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <figure style={{ margin: 0 }} role="img" aria-label={`${label} (chart; the table gives the same figures)`}>
      {children}
    </figure>
  );
}

const countRows = (rows: CountRow[]): Cell[][] => rows.map((r) => [r.label, countText(r.count)]);
// A suppressed count is drawn as no bar (null), never as a zero.
const chartCounts = (rows: CountRow[]) => rows.map((r) => ({ label: r.label, Cases: r.count.value }));

function Headline({ label, value, hint, testId }: { label: string; value: string; hint: string; testId: string }) {
  return (
    <Card withBorder padding="sm" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>{label}</Text>
      <Text size="xl" fw={700} data-testid="headline-value" style={{ fontVariantNumeric: 'tabular-nums' }}>{value}</Text>
      <Text size="xs" c="dimmed">{hint}</Text>
    </Card>
  );
}

function Dashboard({ s }: { s: AnalyticsSummary }) {
  const m = s.metrics;
  const nc = m['caseload.new_cases'];
  const ref = m['caseload.referrals'];
  const meet = m['conference.meetings'];
  const pres = m['conference.presented'];
  const prosp = m['conference.prospective'];
  const att = m['conference.attendance'];
  const doc = m['conference.documentation'];
  const fun = m['trials.funnel'];
  const dec = m['trials.declined'];
  const conc = m['plan.concordance'];
  const surv = m['survivorship.due'];
  const turn = (['turnaround.referral_to_conference', 'turnaround.conference_to_treatment', 'turnaround.records_complete'] as const).map((id) => m[id]);
  const tag = `${s.period.from}_${s.period.to}`;
  const funnelCells = (r: FunnelRow): Cell[] => [r.label, shareText(r.screened), shareText(r.eligible), shareText(r.offered), shareText(r.enrolled)];
  const held = att.value.conferences.filter((c) => c.status === 'finished');

  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" data-testid="headlines">
        <Headline testId="headline-new-cases" label="New cases" value={countText(nc.value.total)} hint={nc.label} />
        <Headline testId="headline-presented" label="Cases presented" value={countText(pres.value.cases)} hint={`${countText(pres.value.presentations)} discussions`} />
        <Headline testId="headline-prospective" label="Presented before treatment" value={shareText(prosp.value)} hint="prospective presentation" />
        <Headline testId="headline-meetings" label="Conferences held" value={shareText(meet.value.heldShare)} hint={`of scheduled · ${countText(meet.value.cancelled)} cancelled`} />
        <Headline testId="headline-offered" label="Offered a trial" value={shareText(fun.value.overall.offered)} hint="of presented children" />
        <Headline testId="headline-turnaround" label="Referral to conference" value={turn[0]!.value.medianDays === null ? (turn[0]!.value.suppressed ? SUPPRESSED : '—') : `${turn[0]!.value.medianDays} days`} hint="median" />
      </SimpleGrid>

      <Title order={2} size="h4">Caseload</Title>
      <MetricSection metric={nc as Metric<MetricId>}>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Stack>
            <Chart label="New cases by tumour type">
              <BarChart h={220} data={chartCounts(nc.value.byTumorType)} dataKey="label" series={[{ name: 'Cases', color: 'blue.6' }]} orientation="vertical" yAxisProps={{ width: 170 }} gridAxis="x" />
            </Chart>
            <DataTable caption="New cases by tumour type" head={['Tumour type', 'Cases']} rows={countRows(nc.value.byTumorType)} filename={`new-cases-by-tumour-type_${tag}.csv`} />
          </Stack>
          <Stack>
            <Chart label="New cases by age at diagnosis">
              <BarChart h={220} data={chartCounts(nc.value.byAgeBand)} dataKey="label" series={[{ name: 'Cases', color: 'teal.6' }]} xAxisProps={{ interval: 0, tick: { fontSize: 11 } }} />
            </Chart>
            <DataTable caption="New cases by age at diagnosis" head={['Age band', 'Cases']} rows={countRows(nc.value.byAgeBand)} filename={`new-cases-by-age_${tag}.csv`} />
          </Stack>
        </SimpleGrid>
        <DataTable caption="New cases by site" head={['Site', 'Cases']} rows={countRows(nc.value.bySite)} filename={`new-cases-by-site_${tag}.csv`} />
      </MetricSection>
      <MetricSection metric={ref as Metric<MetricId>}>
        <DataTable caption={`Referrals by source (total ${countText(ref.value.total)})`} head={['Source', 'Referrals']} rows={countRows(ref.value.byOrigin)} filename={`referrals-by-source_${tag}.csv`} />
      </MetricSection>

      <Title order={2} size="h4">Conference</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <MetricSection metric={meet as Metric<MetricId>}>
          <DataTable caption="Conferences" head={['', 'Count']} filename={`conferences_${tag}.csv`}
            rows={[['Scheduled', countText(meet.value.scheduled)], ['Held', countText(meet.value.held)], ['Cancelled', countText(meet.value.cancelled)], ['Held of scheduled', shareText(meet.value.heldShare)]]} />
        </MetricSection>
        <MetricSection metric={pres as Metric<MetricId>}>
          <DataTable caption="Cases presented" head={['', 'Count']} filename={`cases-presented_${tag}.csv`}
            rows={[['Cases (distinct)', countText(pres.value.cases)], ['Presentations', countText(pres.value.presentations)]]} />
        </MetricSection>
        <MetricSection metric={prosp as Metric<MetricId>}>
          <Text size="xl" fw={700} data-testid="prospective-value" aria-description={sup(prosp.value)}>{shareText(prosp.value)}</Text>
        </MetricSection>
        <MetricSection metric={doc as Metric<MetricId>}>
          <DataTable caption="Documentation at presentation" head={['Discussed and recorded', 'Share of presentations']} filename={`documentation_${tag}.csv`}
            rows={[['Stage documented', shareText(doc.value.stage)], ['Treatment guideline referenced', shareText(doc.value.guideline)], ['Trial eligibility discussed', shareText(doc.value.trialDiscussed)]]} />
        </MetricSection>
      </SimpleGrid>
      <MetricSection metric={att as Metric<MetricId>}>
        <Text size="sm" mb="xs">All four core groups present at <b>{shareText(att.value.allCorePresent)}</b> of held conferences. Target per group: {att.value.targetPercent}%.</Text>
        <SimpleGrid cols={{ base: 1, lg: 2 }}>
          <Stack>
            <Chart label={`Share of held conferences each group attended, against the ${att.value.targetPercent}% target`}>
              <BarChart h={260} data={att.value.byGroup.map((g) => ({ label: g.label, Attended: g.share.percent ?? 0 }))} dataKey="label" orientation="vertical"
                yAxisProps={{ width: 150 }} xAxisProps={{ domain: [0, 100] }} valueFormatter={(v) => `${v}%`} series={[{ name: 'Attended', color: 'indigo.6' }]}
                referenceLines={[{ x: att.value.targetPercent, label: `Target ${att.value.targetPercent}%`, color: 'red.6' }]} gridAxis="x" />
            </Chart>
            <DataTable caption="Attendance by group" head={['Group', 'Attended', `Target ${att.value.targetPercent}%`]} filename={`attendance-by-group_${tag}.csv`}
              rows={att.value.byGroup.map((g) => [`${g.label}${g.core ? ' (core)' : ''}`, shareText(g.share), g.meetsTarget === null ? '—' : g.meetsTarget ? 'met' : 'not met'])} />
          </Stack>
          <Stack>
            <Chart label="Groups present at each held conference over time">
              <LineChart h={260} data={held.map((c) => ({ date: c.date, 'Groups present': c.groupsPresent.length, 'Core groups present': c.coreGroupsPresent }))} dataKey="date"
                series={[{ name: 'Groups present', color: 'indigo.6' }, { name: 'Core groups present', color: 'orange.6' }]} yAxisProps={{ domain: [0, 9] }} withDots={false} curveType="linear" withLegend />
            </Chart>
            <DataTable caption="Conferences with attendance" head={['Date', 'Status', 'Groups present', 'Core (of 4)', 'Cases discussed']} filename={`conferences-attendance_${tag}.csv`} maxHeight={420}
              rows={att.value.conferences.map((c) => [c.date, c.status, c.groupsPresent.length, c.coreGroupsPresent, c.casesDiscussed ?? SUPPRESSED])} />
          </Stack>
        </SimpleGrid>
      </MetricSection>

      <Title order={2} size="h4">Trials</Title>
      <MetricSection metric={fun as Metric<MetricId>}>
        <Chart label="Share of presented children screened, offered and enrolled, by trial network">
          <BarChart h={240} data={fun.value.byNetwork.map((r) => ({ label: r.label, Screened: r.screened.percent, Offered: r.offered.percent, Enrolled: r.enrolled.percent }))}
            dataKey="label" valueFormatter={(v) => `${v}%`} series={[{ name: 'Screened', color: 'gray.5' }, { name: 'Offered', color: 'blue.6' }, { name: 'Enrolled', color: 'green.7' }]} withLegend />
        </Chart>
        <DataTable caption="Trial funnel of presented children by network" head={['Network', 'Screened', 'Eligible', 'Offered', 'Enrolled']} filename={`trial-funnel_${tag}.csv`}
          rows={[funnelCells(fun.value.overall), ...fun.value.byNetwork.map(funnelCells)]} />
      </MetricSection>
      <MetricSection metric={dec as Metric<MetricId>}>
        <DataTable caption={`Declined offers by reason (total ${countText(dec.value.total)})`} head={['Reason', 'Declined']} rows={countRows(dec.value.byReason)} filename={`declined-reasons_${tag}.csv`} />
      </MetricSection>

      <Title order={2} size="h4">Turnaround</Title>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        {turn.map((t) => (
          <MetricSection key={t.id} metric={t as Metric<MetricId>}>
            <Text fw={700} data-testid="turnaround-value" aria-description={sup(t.value)}>{distText(t.value)}</Text>
          </MetricSection>
        ))}
      </SimpleGrid>

      <Title order={2} size="h4">Plan and survivorship</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <MetricSection metric={conc as Metric<MetricId>}>
          <Text size="sm" mb="xs">Concordant: <b>{shareText(conc.value.concordant)}</b> of {countText(conc.value.plans)} plans that started treatment.</Text>
          <DataTable caption="Recorded deviations by reason" head={['Reason', 'Administrations']} rows={countRows(conc.value.deviationsByReason)} filename={`deviations_${tag}.csv`} />
        </MetricSection>
        <MetricSection metric={surv as Metric<MetricId>}>
          <DataTable caption="Survivors by long-term follow-up screening" head={['', 'Patients']} filename={`survivorship_${tag}.csv`}
            rows={[['Overdue (entry passed)', countText(surv.value.overdue)], ['Due within 90 days', countText(surv.value.dueSoon)], ['Upcoming', countText(surv.value.upcoming)], ['All survivors', countText(surv.value.survivors)]]} />
        </MetricSection>
      </SimpleGrid>
    </Stack>
  );
}

/**
 * /analytics: the program director's dashboard (issue 10). Figures for the chosen period and tumour type, each with
 * its definition; charts where a distribution or trend reads better, each with its table; CSV per table; the
 * annual conference report (PDF, CSV) in one click.
 */
export function AnalyticsPage() {
  usePageTitle('Program analytics');
  const [params, setParams] = useSearchParams();
  const def = lastTwelveMonths();
  const from = params.get('from') ?? def.from;
  const to = params.get('to') ?? def.to;
  const tumorType = params.get('tumorType');
  const [draft, setDraft] = useState({ from, to });
  const [year, setYear] = useState<number>(new Date().getFullYear() - 1);
  const valid = isDate(from) && isDate(to) && from <= to;
  const summary = useAnalyticsSummary({ from, to, tumorType }, valid);

  const apply = (next: { from?: string; to?: string; tumorType?: string | null }) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === null || v === undefined || v === '') p.delete(k); else p.set(k, v);
    }
    setParams(p, { replace: true });
  };
  const dateError = (v: string) => (v.length === 10 && !isDate(v) ? 'not a real date' : undefined);
  const onDate = (key: 'from' | 'to', v: string) => {
    setDraft((d) => ({ ...d, [key]: v }));
    if (isDate(v)) apply({ [key]: v });
  };
  const preset = (f: string, t: string) => { setDraft({ from: f, to: t }); apply({ from: f, to: t }); };
  const thisYear = new Date().getFullYear();

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">Program analytics</Title>
          <Text size="sm" c="dimmed">{summary.data?.institution ?? ''} · is the program doing what it promises? Every figure says how it is counted.</Text>
        </div>
        <Card withBorder padding="sm" component="section" aria-labelledby="annual-report-heading" data-testid="annual-report">
          <Text id="annual-report-heading" fw={700} size="sm">Annual conference report</Text>
          <Group gap="xs" align="flex-end">
            <NumberInput label="Year" size="xs" w={90} min={2000} max={2100} value={year} onChange={(v) => setYear(Number(v) || thisYear - 1)} />
            <Button component="a" size="xs" href={reportUrl(year, 'pdf')} download data-testid="report-pdf">Download PDF</Button>
            <Anchor size="xs" href={reportUrl(year, 'csv')} download data-testid="report-csv">CSV</Anchor>
          </Group>
        </Card>
      </Group>

      <Card withBorder component="section" aria-label="Filters" data-testid="analytics-filters">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <DateField label="From" value={draft.from} onChange={(e) => onDate('from', e.currentTarget.value)} error={dateError(draft.from)} w={140} />
          <DateField label="To" value={draft.to} onChange={(e) => onDate('to', e.currentTarget.value)} error={dateError(draft.to) ?? (isDate(draft.from) && isDate(draft.to) && draft.from > draft.to ? 'before From' : undefined)} w={140} />
          <Select label="Tumour type" placeholder="All tumour types" clearable w={280} value={tumorType}
            data={TUMOR_TYPES.map(([value, label]) => ({ value, label }))} onChange={(v) => apply({ tumorType: v })} />
          <Group gap={4}>
            <Button size="xs" variant="default" onClick={() => preset(def.from, def.to)}>Last 12 months</Button>
            <Button size="xs" variant="default" onClick={() => preset(`${thisYear}-01-01`, iso(new Date()))}>This year</Button>
            <Button size="xs" variant="default" onClick={() => preset(`${thisYear - 1}-01-01`, `${thisYear - 1}-12-31`)}>Last year</Button>
          </Group>
          {summary.isFetching ? <Loader size="sm" aria-label="Updating figures" /> : null}
        </Group>
        <Text size="xs" c="dimmed" mt={6} aria-live="polite" data-testid="analytics-period">
          {summary.data ? `Showing ${summary.data.period.from} to ${summary.data.period.to}${summary.data.filters.tumorType ? `, ${TUMOR_TYPES.find(([k]) => k === summary.data!.filters.tumorType)?.[1] ?? summary.data.filters.tumorType}` : ', all tumour types'}.` : ''}
        </Text>
      </Card>

      {summary.data?.suppression.applied ? (
        <Alert color="gray" title="Small numbers hidden" data-testid="suppression-note">
          Counts of 1 to {summary.data.suppression.threshold - 1} children are shown as "{SUPPRESSED}" (and shares built on them hidden) so no child can be identified.
          <Badge ml="xs" variant="outline" color="gray">researcher view</Badge>
        </Alert>
      ) : null}
      <div aria-live="polite">{summary.error ? <ErrorAlert error={summary.error} title="Could not load the figures" /> : null}</div>
      {summary.isPending && valid ? <Loader aria-label="Loading figures" /> : null}
      {summary.data ? <Dashboard s={summary.data} /> : null}
    </Stack>
  );
}
