import { Button, Card, Checkbox, Group, NativeSelect, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { fieldErrors } from '../api/client.js';
import { useCreatePatient, usePatient, useUpdatePatient } from '../api/hooks.js';
import type { Patient, PatientInput } from '../api/types.js';
import { DateField } from '../components/DateField.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { GuardiansFields, guardianFromDraft, newGuardianDraft } from '../components/GuardiansFields.js';
import type { GuardianDraft } from '../components/GuardiansFields.js';
import { PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { EMAIL_RE, isValidDate, onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { patientName } from '../lib/format.js';
import { usePageTitle } from '../lib/usePageTitle.js';

type Draft = Omit<PatientInput, 'guardians'> & { guardians: GuardianDraft[] };
type TextField = 'mrn' | 'familyName' | 'givenName' | 'preferredLanguage' | 'homeCountry';

const EMPTY: Draft = {
  mrn: '', familyName: '', givenName: '', birthDate: '', sex: 'female', preferredLanguage: 'English',
  interpreterNeeded: false, homeCountry: '', guardians: [],
};

function toDraft(p: Patient): Draft {
  return { ...p, guardians: p.guardians.map((g) => newGuardianDraft(g)) };
}

function validate(d: Draft): Errors {
  const e: Errors = {};
  if (!d.mrn.trim()) e.mrn = 'Enter the medical record number';
  else if (!/^[A-Za-z0-9-]{3,32}$/.test(d.mrn.trim())) e.mrn = 'Use 3–32 letters, digits or dashes';
  if (!d.familyName.trim()) e.familyName = 'Enter the family name';
  if (!d.givenName.trim()) e.givenName = 'Enter the given name';
  if (!isValidDate(d.birthDate)) e.birthDate = 'Enter the birth date as YYYY-MM-DD';
  else if (d.birthDate > new Date().toISOString().slice(0, 10)) e.birthDate = 'Birth date cannot be in the future';
  if (!d.preferredLanguage.trim()) e.preferredLanguage = 'Enter the family’s preferred language';
  if (!d.homeCountry.trim()) e.homeCountry = 'Enter the home country';
  d.guardians.forEach((g, i) => {
    if (!g.name.trim()) e[`guardians.${i}.name`] = 'Enter the name';
    if (g.email.trim() && !EMAIL_RE.test(g.email.trim())) e[`guardians.${i}.email`] = 'Enter a valid email address';
    if (g.phone.trim() && !/^\+?[0-9 ()\-.]{5,30}$/.test(g.phone.trim())) e[`guardians.${i}.phone`] = 'Enter a phone number, e.g. +1 555 0100';
  });
  return e;
}

const KNOWN = new Set(['mrn', 'familyName', 'givenName', 'birthDate', 'sex', 'preferredLanguage', 'interpreterNeeded', 'homeCountry', 'guardians']);
const isKnown = (k: string) => KNOWN.has(k) || /^guardians\.\d+\.(name|relationship|phone|email|language)$/.test(k);

function PatientForm({ patient, onReload }: { patient?: Patient; onReload?: () => void }) {
  const navigate = useNavigate();
  const create = useCreatePatient();
  const update = useUpdatePatient(patient?.id ?? '');
  const mutation = patient ? update : create;
  const [draft, setDraft] = useState<Draft>(() => (patient ? toDraft(patient) : EMPTY));
  const { formRef, errors, setErrors, clearError } = useFormErrors();

  const text = (field: TextField, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      withAsterisk
      value={draft[field]}
      error={errors[field]}
      onChange={(e) => { const v = e.currentTarget.value; setDraft((d) => ({ ...d, [field]: v })); clearError(field); }}
      {...extra}
    />
  );

  const submit = () => {
    const local = validate(draft);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    const input: PatientInput = {
      mrn: draft.mrn.trim(), familyName: draft.familyName.trim(), givenName: draft.givenName.trim(),
      birthDate: draft.birthDate, sex: draft.sex, preferredLanguage: draft.preferredLanguage.trim(),
      interpreterNeeded: draft.interpreterNeeded, homeCountry: draft.homeCountry.trim(),
      guardians: draft.guardians.map(guardianFromDraft),
    };
    const opts = {
      onSuccess: (saved: Patient) => navigate(`/patients/${saved.id}`),
      onError: (err: unknown) => setErrors(fieldErrors(err)),
    };
    if (patient) update.mutate({ input, version: patient.version }, opts);
    else create.mutate(input, opts);
  };

  const cancelTo = patient ? `/patients/${patient.id}` : '/patients';
  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label={patient ? 'Edit patient' : 'New patient'}>
      <Stack gap="lg">
        <div aria-live="polite">
          {mutation.error ? (
            <ErrorAlert error={mutation.error} title="The patient was not saved"
              extra={unplacedErrors(errors, isKnown)} onReload={onReload} />
          ) : null}
        </div>
        <Card>
          <Title order={2} size="h4" mb="md">Demographics</Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            {text('mrn', 'MRN', { description: 'Medical record number', autoComplete: 'off' })}
            <DateField label="Birth date" withAsterisk description="YYYY-MM-DD" value={draft.birthDate} error={errors.birthDate}
              onChange={(e) => { const v = e.currentTarget.value; setDraft((d) => ({ ...d, birthDate: v })); clearError('birthDate'); }} />
            {text('familyName', 'Family name', { autoComplete: 'off' })}
            {text('givenName', 'Given name', { autoComplete: 'off' })}
            <NativeSelect label="Sex" withAsterisk value={draft.sex} error={errors.sex}
              data={[{ value: 'female', label: 'Female' }, { value: 'male', label: 'Male' }]}
              onChange={(e) => { const v = e.currentTarget.value as Draft['sex']; setDraft((d) => ({ ...d, sex: v })); clearError('sex'); }} />
            {text('homeCountry', 'Home country')}
            {text('preferredLanguage', 'Preferred language')}
            <Checkbox mt={{ sm: 30 }} label="Interpreter needed" checked={draft.interpreterNeeded} error={errors.interpreterNeeded}
              onChange={(e) => { const v = e.currentTarget.checked; setDraft((d) => ({ ...d, interpreterNeeded: v })); }} />
          </SimpleGrid>
        </Card>
        <Card>
          <Title order={2} size="h4" mb="md">Parents and guardians</Title>
          <GuardiansFields value={draft.guardians} errors={errors} clearError={clearError}
            onChange={(guardians) => { setDraft((d) => ({ ...d, guardians })); clearError('guardians'); }} />
        </Card>
        <Group justify="flex-end">
          <Button variant="default" component={Link} to={cancelTo}>Cancel</Button>
          <Button type="submit" loading={mutation.isPending}>{patient ? 'Save changes' : 'Create patient'}</Button>
        </Group>
      </Stack>
    </form>
  );
}

export function PatientFormPage() {
  const { id } = useParams();
  const existing = usePatient(id);
  const title = id ? (existing.data ? `Edit ${patientName(existing.data)}` : 'Edit patient') : 'New patient';
  usePageTitle(title);
  return (
    <>
      <PageHeader title={title} subtitle="Fields marked * are required" />
      {id ? (
        <QueryState isPending={existing.isPending} error={existing.error} label="patient">
          {existing.data ? (
            <PatientForm key={`${existing.data.id}:${existing.data.version}`} patient={existing.data} onReload={() => void existing.refetch()} />
          ) : null}
        </QueryState>
      ) : (
        <PatientForm />
      )}
    </>
  );
}
