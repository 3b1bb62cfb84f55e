import { Anchor, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { useCase } from '../api/hooks.js';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { useAccess } from '../lib/access.js';
import { formatAge, formatSex, patientName } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { TrialMatchesPanel } from './TrialMatchesPanel.js';

/** /trials/case/:caseId: one case's trial matches and screening log, full page (until the case page hosts the panel). */
export function CaseTrialsPage() {
  const { caseId } = useParams();
  const { registry } = useAccess();
  const c = useCase(registry ? caseId : undefined);
  const name = c.data ? patientName(c.data.patient) : null;
  usePageTitle(name ? `Trials · ${name}` : 'Trial matches');
  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/trials">Clinical trials</Anchor>
        {registry && caseId ? <Anchor component={Link} to={`/cases/${caseId}`}>{name ?? 'Case'}</Anchor> : null}
        <span>Trial matches</span>
      </Crumbs>
      <PageHeader title={name ? `Trial matches · ${name}` : 'Trial matches'}
        subtitle={c.data ? (
          <Text span size="sm" c="dimmed">
            MRN <Text span ff="monospace" inherit>{c.data.patient.mrn}</Text> · {formatAge(c.data.patient.birthDate)} · {formatSex(c.data.patient.sex)}
          </Text>
        ) : undefined} />
      {caseId ? <TrialMatchesPanel caseId={caseId} /> : null}
    </>
  );
}
