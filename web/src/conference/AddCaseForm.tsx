import { Button, Card, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { useMe } from '../api/hooks.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { humanize } from '../lib/format.js';
import { AGENDA_KINDS, useAddAgendaItem, useOpenCases, useStaff } from './api.js';
import type { AgendaKind, Conference } from './api.js';
import { KIND_LABELS, listedName } from './labels.js';

const KNOWN = new Set(['caseId', 'kind', 'estimatedMinutes', 'presenterId']);
/** Cases still being worked up come first; cases in treatment or follow-up can come back (post-treatment, relapse). */
const STATUS_ORDER = ['referred', 'under_review', 'presented', 'plan_agreed', 'in_treatment', 'follow_up'];

/**
 * Put a case on the agenda. A coordinator adds it; a clinician proposes it (the coordinator sees it marked
 * "Proposed"). Closed agendas (past the cut-off, full, not scheduled) say why instead.
 */
export function AddCaseForm({ conference: c, propose }: { conference: Conference; propose: boolean }) {
  const me = useMe().data;
  const add = useAddAgendaItem(c.id);
  const cases = useOpenCases(c.canAddCases);
  const staff = useStaff();
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [caseId, setCaseId] = useState('');
  const [kind, setKind] = useState<AgendaKind>('new_diagnosis');
  const [minutes, setMinutes] = useState<string | number>(10);
  const [presenter, setPresenter] = useState('');
  const [done, setDone] = useState('');
  const verb = propose ? 'Propose case' : 'Add case';
  const headingId = propose ? 'propose-case-heading' : 'add-case-heading';

  const onAgenda = new Set(c.items.map((i) => i.caseId));
  const options = (cases.data?.items ?? []).filter((x) => !onAgenda.has(x.id))
    .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || a.patientName.localeCompare(b.patientName));

  const submit = () => {
    const e: Errors = {};
    const m = typeof minutes === 'number' ? minutes : Number(minutes);
    if (!caseId) e.caseId = 'Choose the case to put on the agenda';
    if (!Number.isInteger(m) || m < 1 || m > 120) e.estimatedMinutes = 'Enter the minutes needed, 1 to 120';
    setErrors(e);
    setDone('');
    if (Object.keys(e).length > 0) return;
    const chosen = options.find((o) => o.id === caseId);
    add.mutate({ caseId, kind, estimatedMinutes: m, presenterId: presenter || undefined, proposed: propose }, {
      onSuccess: () => {
        setDone(`${chosen ? listedName(chosen.patientName) : 'The case'} ${propose ? 'proposed for' : 'added to'} the agenda.`);
        setCaseId('');
        setPresenter('');
      },
      onError: (err) => setErrors(fieldErrors(err)),
    });
  };

  return (
    <Card component="section" aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mb={4}>{verb}</Title>
      {propose ? <Text size="sm" c="dimmed" mb="sm">The coordinator confirms proposed cases.</Text> : null}
      {!c.canAddCases ? (
        <Text size="sm" c="dimmed" data-testid="add-cases-closed">{c.addCasesReason ?? 'Cases cannot be added to this conference.'}</Text>
      ) : (
        <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label={verb}>
          <Stack gap="sm">
            <div aria-live="polite">
              {add.error ? <ErrorAlert error={add.error} title={propose ? 'Not proposed' : 'Not added'} extra={unplacedErrors(errors, (k) => KNOWN.has(k))} /> : null}
            </div>
            <NativeSelect label="Case" withAsterisk value={caseId} error={errors.caseId} disabled={cases.isPending}
              description={cases.isPending ? 'Loading cases…' : cases.error ? 'The case list could not be loaded' : `${options.length} cases not on this agenda`}
              data={[
                { value: '', label: 'Choose a case' },
                ...options.map((o) => ({
                  value: o.id,
                  label: `${listedName(o.patientName)} · MRN ${o.mrn}${o.diagnosis ? ` · ${o.diagnosis}` : ''} (${humanize(o.status)})${o.urgent ? ' · urgent' : ''}`,
                })),
              ]}
              onChange={(e) => {
                const id = e.currentTarget.value;
                setCaseId(id);
                clearError('caseId');
                if (options.find((o) => o.id === id)?.urgent) setKind('urgent');
              }} />
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <NativeSelect label="Kind" value={kind} error={errors.kind}
                data={AGENDA_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
                onChange={(e) => { setKind(e.currentTarget.value as AgendaKind); clearError('kind'); }} />
              <NumberInput label="Estimated minutes" withAsterisk min={1} max={120} allowDecimal={false} value={minutes}
                error={errors.estimatedMinutes} onChange={(v) => { setMinutes(v); clearError('estimatedMinutes'); }} />
              <NativeSelect label="Presenter" description="Optional" value={presenter} error={errors.presenterId}
                data={[
                  { value: '', label: 'Not set yet' },
                  ...(me ? [{ value: me.id, label: `Me (${me.displayName})` }] : []),
                  ...(staff.data?.items ?? []).filter((u) => u.id !== me?.id)
                    .map((u) => ({ value: u.id, label: `${u.displayName} · ${u.discipline ? humanize(u.discipline) : humanize(u.role)}` })),
                ]}
                onChange={(e) => { setPresenter(e.currentTarget.value); clearError('presenterId'); }} />
            </SimpleGrid>
            <Group justify="space-between">
              <Text size="sm" c="teal.9" fw={600} role="status">{done}</Text>
              <Button type="submit" loading={add.isPending}>{verb}</Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}
