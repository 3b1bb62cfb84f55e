import { Anchor, Group, Stack, Text } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { usePatient } from '../api/hooks.js';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { PatientCases } from '../components/PatientCases.js';
import { DemographicsCard, GuardiansCard } from '../components/PatientSections.js';
import { QueryState } from '../components/QueryState.js';
import { TumorList } from '../components/TumorList.js';
import { ExportFhirButton } from '../fhir/ExportFhirButton.js';
import { formatAge, formatDate, formatSex, patientName } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { AccessBanner } from '../access/AccessBanner.js';

export function PatientPage() {
  const { id } = useParams();
  const query = usePatient(id);
  const p = query.data;
  usePageTitle(p ? patientName(p) : 'Patient');
  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/patients" size="sm">Patients</Anchor>
        <Text size="sm" c="dimmed">{p ? patientName(p) : 'Patient'}</Text>
      </Crumbs>
      <QueryState isPending={query.isPending} error={query.error} label="patient">
        {p ? (
          <>
            <AccessBanner access={p.access} />
            <PageHeader
              title={patientName(p)}
              subtitle={
                <Group gap="md">
                  <span>MRN <Text span ff="monospace" size="sm">{p.mrn}</Text></span>
                  <span>{formatSex(p.sex)}</span>
                  <span>Born {formatDate(p.birthDate)} ({formatAge(p.birthDate)})</span>
                </Group>
              }
            >
              {p.access ? null : <ExportFhirButton patientId={p.id} />}
            </PageHeader>
            <Stack gap="lg">
              <DemographicsCard patient={p} />
              <GuardiansCard patient={p} />
              <TumorList patientId={p.id} tumors={p.tumors ?? []} readOnly={!!p.access} />
              <PatientCases patientId={p.id} tumors={p.tumors ?? []} cases={p.cases ?? []} onReload={() => void query.refetch()} readOnly={!!p.access} />
            </Stack>
          </>
        ) : null}
      </QueryState>
    </>
  );
}
