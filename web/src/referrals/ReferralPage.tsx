import { Anchor, Button, Card, Grid, Group, Stack, Text, Timeline, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { useAccess } from '../lib/access.js';
import { formatAge, formatDate, formatDateTime, formatSex, patientName } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { attachmentUrl, useReferral } from './api.js';
import type { Clock, Referral } from './api.js';
import { formatBytes } from './i18n.js';
import {
  OverdueBadge, ReferralStatusBadge, UrgencyBadge, channelLabel, familyLabel, formatHours, originLabel, roleLabel, statusLabel,
} from './labels.js';
import { RecordsChecklist } from './RecordsChecklist.js';
import { StatusActions } from './StatusActions.js';
import { TravelPlanEditor } from './TravelPlanEditor.js';
import { TriageForm } from './TriageForm.js';
import './referrals.css';

/** A two-column description list (term / value). */
function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl style={{ display: 'grid', gridTemplateColumns: 'minmax(120px, max-content) 1fr', gap: '6px 16px', margin: 0 }}>
      {rows.map(([term, value]) => (
        <div key={term} style={{ display: 'contents' }}>
          <Text component="dt" size="sm" c="dimmed">{term}</Text>
          <Text component="dd" size="sm" m={0} style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>{value ?? '—'}</Text>
        </div>
      ))}
    </dl>
  );
}

function Section({ id, title, children, right }: { id: string; title: string; children: ReactNode; right?: ReactNode }) {
  return (
    <Card component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id={id}>{title}</Title>
        {right}
      </Group>
      {children}
    </Card>
  );
}

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');
const none = <Text span c="dimmed" size="sm">Not given</Text>;

function ClocksList({ clocks }: { clocks: Clock[] }) {
  if (clocks.length === 0) return <Text size="sm" c="dimmed">No clocks running.</Text>;
  return (
    <Stack gap="sm" component="ul" aria-label="Turnaround clocks" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {clocks.map((c) => (
        <li key={c.key} data-testid="clock" data-overdue={c.overdue ? 'true' : 'false'}
          style={{ borderLeft: `3px solid var(--mantine-color-${c.overdue ? 'red-7' : c.stoppedAt ? 'gray-4' : 'indigo-4'})`, paddingLeft: 10 }}>
          <Group justify="space-between" gap={6} wrap="nowrap">
            <Text size="sm" fw={600}>{c.label}</Text>
            {c.overdue ? <OverdueBadge /> : c.stoppedAt ? <Text size="xs" c="dimmed">Stopped</Text> : <Text size="xs" c="dimmed">Running</Text>}
          </Group>
          <Text size="sm" c={c.overdue ? 'red.9' : undefined} fw={c.overdue ? 600 : undefined}>
            {formatHours(c.elapsedHours)} elapsed of {formatHours(c.targetHours)} target
          </Text>
          <Text size="xs" c="dimmed">
            {c.stoppedAt ? `Stopped ${formatDateTime(c.stoppedAt)}` : `${c.overdue ? 'Was due' : 'Due'} ${formatDateTime(c.dueAt)}`}
          </Text>
        </li>
      ))}
    </Stack>
  );
}

function ReferralView({ referral: r, reload }: { referral: Referral; reload: () => Promise<unknown> }) {
  const onReload = () => void reload();
  const access = useAccess();
  // The travel editor keeps its draft across saves; it starts again from the server's plan after a reload.
  const [travelEpoch, setTravelEpoch] = useState(0);
  const name = patientName(r.patient);
  const triaging = r.status === 'received' && r.allowedTransitions.includes('triaged') && access.referralWrite;
  const closed = r.allowedTransitions.length === 0;
  const showTravel = access.travel && (r.travel !== null || (r.status !== 'received' && !closed));

  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/referrals">Referrals</Anchor>
        <span>{r.reference}</span>
      </Crumbs>
      <PageHeader
        title={<><span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{r.reference}</span> · {name}</>}
        subtitle={
          <Group gap="xs" mt={4}>
            <ReferralStatusBadge status={r.status} />
            <UrgencyBadge urgency={r.urgency} />
            {r.overdue ? <OverdueBadge size="md" /> : null}
            <Text size="sm" c="dimmed">Received {formatDateTime(r.createdAt)} · {channelLabel(r.channel)} · {originLabel(r.origin)}</Text>
          </Group>
        }
      >
        {r.patientId && access.registry ? <Button component={Link} to={`/patients/${r.patientId}`} variant="default">Patient record</Button> : null}
        {r.caseId && access.registry ? <Button component={Link} to={`/cases/${r.caseId}`} variant="default">Case</Button> : null}
      </PageHeader>

      <Grid gutter="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="lg">
            {triaging ? <TriageForm key={r.version} referral={r} onReload={onReload} /> : null}
            {closed && r.outcomeReason ? (
              <Card>
                <Text size="sm" fw={600}>{statusLabel(r.status)}: reason</Text>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{r.outcomeReason}</Text>
              </Card>
            ) : null}
            <Grid gutter="lg">
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Section id="patient-heading" title="Patient">
                  <Facts rows={[
                    ['Name', name],
                    ['Date of birth', `${formatDate(r.patient.birthDate)} (${formatAge(r.patient.birthDate)})`],
                    ['Sex', r.patient.sex ? formatSex(r.patient.sex) : none],
                    ['MRN', r.patient.mrn ?? none],
                    ['Home', [r.patient.homeState, r.patient.homeCountry].filter(Boolean).join(', ')],
                    ['Preferred language', r.preferredLanguage],
                    ['Interpreter needed', yesNo(r.interpreterNeeded)],
                    ['Travel needed', yesNo(r.travelNeeded)],
                  ]} />
                </Section>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Section id="referrer-heading" title="Referrer">
                  <Facts rows={[
                    ['Name', r.referrer.name],
                    ['Role', roleLabel(r.referrer.role)],
                    ['Organization', r.referrer.organization ?? none],
                    ['Email', r.referrer.email ? <Anchor href={`mailto:${r.referrer.email}`} size="sm">{r.referrer.email}</Anchor> : none],
                    ['Phone', r.referrer.phone ? <Anchor href={`tel:${r.referrer.phone.replace(/[^\d+]/g, '')}`} size="sm">{r.referrer.phone}</Anchor> : none],
                    ['Consent to share', r.consentToShare ? 'Given' : <Text span c="red.9" size="sm" fw={600}>Not given</Text>],
                  ]} />
                </Section>
              </Grid.Col>
            </Grid>
            <Section id="question-heading" title="Diagnosis and question">
              <Facts rows={[
                ['Diagnosis as known', r.diagnosisText ?? none],
                ['Question', r.question ?? none],
                ['Suspected family', r.suspectedFamily ? familyLabel(r.suspectedFamily) : <Text span c="dimmed" size="sm">Not set</Text>],
              ]} />
            </Section>
            <Section id="attachments-heading" title="Attachments" right={<Text size="sm" c="dimmed">{r.attachments.length}</Text>}>
              {r.attachments.length === 0 ? (
                <Text size="sm" c="dimmed">No files were sent with this referral.</Text>
              ) : (
                <ul style={{ margin: 0, paddingLeft: 18 }} aria-label="Attached files">
                  {r.attachments.map((a) => (
                    <li key={a.id}>
                      <Anchor href={attachmentUrl(a.id)} download={a.filename} size="sm" fw={600}>
                        <span className="visually-hidden">Download </span>{a.filename}
                      </Anchor>
                      <Text span size="xs" c="dimmed"> · {a.contentType} · {formatBytes(a.sizeBytes)} · {formatDateTime(a.createdAt)}</Text>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            {r.records ? (
              <RecordsChecklist referralId={r.id} caseId={r.caseId} records={r.records} canEdit={access.recordsWrite && !closed} onReload={onReload} />
            ) : null}
            {showTravel ? (
              <TravelPlanEditor
                key={`${r.id}:${travelEpoch}`}
                referral={r}
                canEdit={access.travelWrite}
                onReload={() => void reload().then(() => setTravelEpoch((n) => n + 1))}
              />
            ) : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="lg">
            {access.referralWrite && !triaging ? <StatusActions referral={r} onReload={onReload} /> : null}
            <Section id="clocks-heading" title="Turnaround">
              <ClocksList clocks={r.clocks} />
            </Section>
            <Section id="timeline-heading" title="Timeline">
              <Timeline active={r.timeline.length - 1} bulletSize={14} lineWidth={2} aria-label="Status history">
                {r.timeline.map((e, i) => (
                  <Timeline.Item key={`${e.at}:${i}`} title={<Text size="sm" fw={600}>{statusLabel(e.status)}</Text>}>
                    <Text size="xs" c="dimmed">{formatDateTime(e.at)}{e.byDisplayName ? ` · ${e.byDisplayName}` : ''}</Text>
                    {e.note ? <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{e.note}</Text> : null}
                  </Timeline.Item>
                ))}
              </Timeline>
            </Section>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

/** /referrals/:id */
export function ReferralPage() {
  const { id } = useParams();
  const referral = useReferral(id);
  usePageTitle(referral.data ? `${referral.data.reference} · ${patientName(referral.data.patient)}` : 'Referral');
  return (
    <QueryState isPending={referral.isPending} error={referral.error} label="referral">
      {referral.data ? <ReferralView referral={referral.data} reload={() => referral.refetch()} /> : null}
    </QueryState>
  );
}
