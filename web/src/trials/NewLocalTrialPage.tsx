import { Anchor } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useCreateLocalTrial } from './api.js';
import { LocalTrialForm } from './LocalTrialForm.js';

/** /trials/new: a curator enters a local institutional trial; it opens on its curation screen once saved. */
export function NewLocalTrialPage() {
  usePageTitle('New local trial');
  const navigate = useNavigate();
  const create = useCreateLocalTrial();
  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/trials">Clinical trials</Anchor>
        <span>New local trial</span>
      </Crumbs>
      <PageHeader title="New local trial" subtitle="An institutional trial that is not on ClinicalTrials.gov" />
      <LocalTrialForm submitLabel="Save and draft the criteria" pending={create.isPending}
        onSave={async (input) => { const t = await create.mutateAsync(input); void navigate(`/trials/${t.id}`); }}
        onCancel={() => void navigate('/trials')} />
    </>
  );
}
