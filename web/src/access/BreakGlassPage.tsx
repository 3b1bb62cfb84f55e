import { Alert, Button, Card, Group, NativeSelect, PasswordInput, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { REASONS, useBreakGlassLookup, useInstitutions } from './api.js';

const EMPTY = { institutionCode: '', mrn: '', reasonCategory: '', justification: '', password: '' };

/** /break-glass: emergency read-only access to a patient of another institution, by institution and MRN (clinicians). */
export function BreakGlassPage() {
  usePageTitle('Emergency access');
  const navigate = useNavigate();
  const institutions = useInstitutions();
  const lookup = useBreakGlassLookup();
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [draft, setDraft] = useState(EMPTY);
  const set = (k: keyof typeof EMPTY) => (value: string) => { setDraft((d) => ({ ...d, [k]: value })); clearError(k); };

  const submit = () => {
    const e: Record<string, string> = {};
    if (!draft.institutionCode) e.institutionCode = 'Choose the institution';
    if (!draft.mrn.trim()) e.mrn = 'Enter the medical record number';
    if (!draft.reasonCategory) e.reasonCategory = 'Choose a reason';
    if (draft.justification.trim().length < 20) e.justification = 'Explain the emergency in at least 20 characters';
    if (!draft.password) e.password = 'Enter your password';
    setErrors(e);
    if (Object.keys(e).length) return;
    lookup.mutate({ ...draft, mrn: draft.mrn.trim(), justification: draft.justification.trim() }, {
      onSuccess: (g) => { void navigate(`/patients/${g.patientId}`); },
      onError: (err) => {
        if (err instanceof ApiError && err.field) setErrors({ [err.field]: err.message.replace(/^[a-zA-Z]+: /, '') });
        setDraft((d) => ({ ...d, password: '' }));
      },
    });
  };

  const placed = new Set(Object.keys(EMPTY));
  const unplaced = lookup.error instanceof ApiError && lookup.error.field && placed.has(lookup.error.field) ? null : lookup.error;
  return (
    <>
      <PageHeader title="Emergency access" subtitle="Break-the-glass: read-only access to a patient of another institution for 4 hours." />
      <Stack gap="lg" maw={760}>
        <Alert color="red" variant="light" title="Every view is recorded and reviewed">
          <Text size="sm">Use this only when a patient needs care now and their record is at another institution. That institution's administrator sees who opened the record, why, and everything read.</Text>
        </Alert>
        <Card>
          <form ref={formRef} onSubmit={onSubmit(submit)} aria-label="Emergency access" noValidate>
            <Stack gap="sm">
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <NativeSelect label="Institution" withAsterisk value={draft.institutionCode} error={errors.institutionCode}
                  onChange={(ev) => set('institutionCode')(ev.currentTarget.value)}
                  data={[{ value: '', label: 'Choose…' }, ...(institutions.data?.items ?? []).map((i) => ({ value: i.code, label: i.name }))]} />
                <TextInput label="MRN" withAsterisk value={draft.mrn} error={errors.mrn} autoComplete="off"
                  onChange={(ev) => set('mrn')(ev.currentTarget.value)} />
              </SimpleGrid>
              <NativeSelect label="Reason" withAsterisk value={draft.reasonCategory} error={errors.reasonCategory}
                onChange={(ev) => set('reasonCategory')(ev.currentTarget.value)}
                data={[{ value: '', label: 'Choose…' }, ...REASONS.map(([value, label]) => ({ value, label }))]} />
              <Textarea label="Justification" withAsterisk autosize minRows={3} maxLength={2000} value={draft.justification} error={errors.justification}
                description="What is happening and why you need the record now (at least 20 characters)"
                onChange={(ev) => set('justification')(ev.currentTarget.value)} />
              <PasswordInput label="Your password" withAsterisk value={draft.password} error={errors.password} autoComplete="current-password"
                onChange={(ev) => set('password')(ev.currentTarget.value)} />
              {unplaced ? <ErrorAlert error={unplaced} title="No access" /> : null}
              <Group><Button type="submit" color="red" loading={lookup.isPending}>Open record</Button></Group>
            </Stack>
          </form>
        </Card>
      </Stack>
    </>
  );
}
