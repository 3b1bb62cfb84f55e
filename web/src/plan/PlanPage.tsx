import { Alert, Anchor, Button, Card, Code, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useCase } from '../api/hooks.js';
import type { CaseDetail } from '../api/types.js';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { formatDateTime, patientName } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { isNoPlan, usePlan, usePlanAccess, useProgress } from './api.js';
import type { PlanAccess, PlanView } from './api.js';
import { sameDraft, toContent, toDraft } from './draft.js';
import type { Draft } from './draft.js';
import { estimateCumulative } from './exposure.js';
import { ExposurePanel } from './ExposurePanel.js';
import { PlanStatusBadge, disciplineLabel } from './labels.js';
import { PlanDocument } from './PlanDocument.js';
import { PlanEditor } from './PlanEditor.js';
import type { Base } from './PlanEditor.js';
import { SignOffPanel } from './SignOffPanel.js';
import { StartPlan } from './StartPlan.js';
import { SurvivorshipPanel } from './SurvivorshipPanel.js';
import { TreatmentPanel } from './TreatmentPanel.js';
import { VersionsPanel, compareUrl } from './VersionsPanel.js';
import './plan.css';

/** Where the plan stands, in one sentence (announced when it changes). */
function StatusLine({ plan }: { plan: PlanView }) {
  const { required, missing, agreed } = plan.signoff;
  let text: string;
  switch (plan.status) {
    case 'agreed': text = `Every required group signed version ${plan.version}: treatment can be recorded against it.`; break;
    case 'active': text = `Treatment started ${plan.startedOn ?? '—'}${agreed ? '' : `: version ${plan.version} is an amendment awaiting ${missing.length} signature${missing.length === 1 ? '' : 's'}`}.`; break;
    case 'completed': text = `Therapy ended on ${plan.endedOn ?? '—'}: the plan is closed.`; break;
    case 'stopped': text = `Therapy was stopped on ${plan.endedOn ?? '—'}: the plan is closed.`; break;
    default: text = required === null
      ? 'The groups that must sign are unknown (the case has no assessment).'
      : `${required.length - missing.length} of ${required.length} required groups have signed version ${plan.version}${plan.openItems.length ? `; ${plan.openItems.length} open item${plan.openItems.length === 1 ? '' : 's'} to settle first` : ''}.`;
  }
  return <Text size="sm" data-testid="plan-status-line">{text}</Text>;
}

function Workspace({ plan, access }: { plan: PlanView; access: PlanAccess }) {
  const [base, setBase] = useState<Base>(() => ({ view: plan, draft: toDraft(plan.content) }));
  const [draft, setDraft] = useState<Draft>(base.draft);
  const dirty = !sameDraft(draft, base.draft);
  const readOnly = !access.write || plan.status === 'completed' || plan.status === 'stopped';
  const rebase = (v: PlanView) => { const d = toDraft(v.content); setBase({ view: v, draft: d }); setDraft(d); };

  // A newer version (saved here, signed, or by someone else): follow it quietly while there are no unsaved edits.
  useEffect(() => {
    if (plan === base.view) return;
    if (plan.version === base.view.version && plan.contentHash === base.view.contentHash) { setBase((b) => ({ ...b, view: plan })); return; }
    if (!dirty) rebase(plan);
  }, [plan]);

  const estimate = useMemo(() => (dirty ? estimateCumulative(toContent(base.view.content, draft).content) : null), [dirty, draft, base]);
  const progress = useProgress(plan.caseId, !!plan.endedOn);
  const newer = plan.version !== base.view.version;

  return (
    <Stack gap="lg">
      <Card py="sm" aria-live="polite">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="sm" wrap="wrap">
            <PlanStatusBadge status={plan.status} />
            <StatusLine plan={plan} />
          </Group>
          <Text size="xs" c="dimmed">
            Version {plan.version} · saved {formatDateTime(plan.updatedAt)}{plan.author ? ` by ${plan.author}` : ''}
          </Text>
        </Group>
        {newer && dirty ? (
          <Text size="sm" c="orange.9" fw={600} mt={6} role="alert">
            Version {plan.version} was saved while you were editing version {base.view.version}. Your edits are kept: saving will ask what to do.
          </Text>
        ) : null}
      </Card>
      {plan.recommendation?.planOfCare || plan.recommendation?.trialToOffer ? (
        <Alert color="blue" variant="light" title="Conference recommendation" icon={<span aria-hidden="true">✦</span>}>
          {plan.recommendation.planOfCare ? <Text size="sm" className="tb-pre">{plan.recommendation.planOfCare}</Text> : null}
          {plan.recommendation.trialToOffer ? <Text size="sm" mt={4}><Text span fw={600} inherit>Trial to offer: </Text>{plan.recommendation.trialToOffer}</Text> : null}
          {plan.recommendation.dissent.length > 0 ? (
            <Text size="sm" mt={4}>Dissent: {plan.recommendation.dissent.map((d) => `${disciplineLabel(d.discipline)} — ${d.note}`).join('; ')}</Text>
          ) : null}
        </Alert>
      ) : null}
      <Grid gutter="lg" align="flex-start">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          {readOnly ? (
            <Card component="section" aria-labelledby="plan-read-heading">
              <Title order={2} size="h4" id="plan-read-heading">Plan · version {plan.version}</Title>
              <Text size="xs" c="dimmed" mb="md">
                {plan.status === 'completed' || plan.status === 'stopped' ? 'Therapy has ended: the plan can no longer be edited.' : 'Read only: editing a plan needs a clinician or coordinator.'}
              </Text>
              <PlanDocument c={plan.content} label={`Version ${plan.version}`} detailed />
            </Card>
          ) : (
            <PlanEditor base={base} draft={draft} setDraft={setDraft} dirty={dirty} readOnly={false} onSaved={rebase} />
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="lg" className="tb-side">
            <SignOffPanel plan={plan} access={access} dirty={dirty} />
            <ExposurePanel exposure={plan.exposure} version={plan.version} estimate={estimate} />
          </Stack>
        </Grid.Col>
      </Grid>
      {plan.endedOn ? (
        <QueryState isPending={progress.isPending} error={progress.error} label="survivorship care plan">
          {progress.data ? <SurvivorshipPanel survivorship={progress.data.survivorship} endedOn={plan.endedOn} /> : null}
        </QueryState>
      ) : null}
      <TreatmentPanel plan={plan} access={access} />
      <VersionsPanel caseId={plan.caseId} current={plan.version} />
    </Stack>
  );
}

/** /cases/:id/plan: the case's treatment plan (issue 6), or starting one from the proposed template. */
export function PlanPage() {
  const { id } = useParams();
  const access = usePlanAccess();
  const caseQ = useCase(id);
  const c: CaseDetail | undefined = caseQ.data;
  // The case says whether it has a plan, so a case without one is not asked for it (a 404 the browser would log).
  const plan = usePlan(c?.plan ? id : undefined);
  const name = c ? patientName(c.patient) : null;
  usePageTitle(name ? `Treatment plan · ${name}` : 'Treatment plan');
  const p = plan.data;
  const none = (c !== undefined && c.plan === null && !p) || isNoPlan(plan.error);
  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/cases" size="sm">Cases</Anchor>
        {c ? <Anchor component={Link} to={`/patients/${c.patient.id}`} size="sm">{name}</Anchor> : null}
        <Anchor component={Link} to={`/cases/${id}`} size="sm">Case</Anchor>
        <Text size="sm" c="dimmed">Treatment plan</Text>
      </Crumbs>
      <PageHeader
        title={<>Treatment plan{name ? <Text span c="dimmed" fw={400} inherit> · {name}</Text> : null}</>}
        subtitle={p ? (
          <Group gap="xs">
            <span>{p.content.title}</span>
            {p.content.templateId ? <Code fz="xs">{p.content.templateId}</Code> : null}
            {p.content.templateVersion ? <span>library {p.content.templateVersion}</span> : null}
          </Group>
        ) : c ? <>MRN <Text span ff="monospace" size="sm">{c.patient.mrn}</Text></> : null}
      >
        <Button variant="default" component={Link} to={`/cases/${id}`}>Back to case</Button>
        {p && p.version > 1 ? <Button variant="default" component={Link} to={compareUrl(p.caseId, p.version - 1, p.version)}>Compare versions</Button> : null}
      </PageHeader>
      {none && id ? <StartPlan caseId={id} access={access} /> : (
        <QueryState isPending={plan.isPending} error={caseQ.error ?? plan.error} label="treatment plan">
          {/* One workspace per case: a new plan (or another case) starts a fresh draft. */}
          {p ? <Workspace key={p.id} plan={p} access={access} /> : null}
        </QueryState>
      )}
    </>
  );
}
