import { Button, Card, Divider, Group, NativeSelect, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { useMe } from '../api/hooks.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import { CLOSING_STATUSES, REFERRAL_STATUSES, useAssign, useAssignees, useChangeReferralStatus } from './api.js';
import type { Referral, ReferralStatus } from './api.js';
import { TRANSITION_LABELS, statusLabel } from './labels.js';

/** Forward moves for the allowed transitions (triage has its own form; closing needs a reason). */
function NextStatus({ referral, onReload }: { referral: Referral; onReload: () => void }) {
  const change = useChangeReferralStatus(referral);
  const [note, setNote] = useState('');
  const [target, setTarget] = useState<ReferralStatus | null>(null);
  // Forward first (the usual next step is the filled button), then the moves back.
  const fwd = (s: ReferralStatus) => REFERRAL_STATUSES.indexOf(s) > REFERRAL_STATUSES.indexOf(referral.status);
  const moves = referral.allowedTransitions.filter((s) => s !== 'triaged' && !CLOSING_STATUSES.includes(s))
    .sort((a, b) => Number(fwd(b)) - Number(fwd(a)));
  const waiting = !!referral.records && !referral.records.complete;
  if (moves.length === 0) return null;
  const go = (status: ReferralStatus) => {
    setTarget(status);
    change.mutate(note.trim() ? { status, note: note.trim() } : { status }, { onSuccess: () => setNote('') });
  };
  return (
    <Stack gap="xs">
      <Title order={3} size="h5" id="next-status-heading">Move to next status</Title>
      <div aria-live="polite">
        {change.error ? <ErrorAlert error={change.error} title={`Not moved to ${statusLabel(target)}`} onReload={onReload} /> : null}
      </div>
      <TextInput label="Note for the timeline" description="Optional" value={note} maxLength={2000} onChange={(e) => setNote(e.currentTarget.value)} />
      <Group gap="xs" role="group" aria-labelledby="next-status-heading">
        {moves.map((s) => (
          <Button key={s} variant={s === moves[0] ? 'filled' : 'default'} loading={change.isPending && target === s}
            disabled={change.isPending || (s === 'records_complete' && waiting)} onClick={() => go(s)}
            aria-describedby={s === 'records_complete' && waiting ? 'records-waiting-note' : undefined}>
            {REFERRAL_STATUSES.indexOf(s) < REFERRAL_STATUSES.indexOf(referral.status) ? `Back to ${statusLabel(s).toLowerCase()}` : TRANSITION_LABELS[s] ?? statusLabel(s)}
          </Button>
        ))}
      </Group>
      {waiting && moves.includes('records_complete') ? (
        <Text size="xs" c="dimmed" id="records-waiting-note">
          Records complete is set when every required record is in (it then happens by itself).
        </Text>
      ) : null}
    </Stack>
  );
}

/** Decline or redirect, always with a reason (the referrer is told it). */
function CloseReferral({ referral, onReload }: { referral: Referral; onReload: () => void }) {
  const change = useChangeReferralStatus(referral);
  const closing = referral.allowedTransitions.filter((s) => CLOSING_STATUSES.includes(s));
  const [status, setStatus] = useState<string>(closing[0] ?? 'declined');
  const [reason, setReason] = useState('');
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  if (closing.length === 0) return null;
  const submit = () => {
    if (!reason.trim()) { setErrors({ reason: status === 'redirected' ? 'Say where the referral is sent and why' : 'Give the reason for declining' }); return; }
    setErrors({});
    change.mutate({ status: status as ReferralStatus, reason: reason.trim() }, { onError: (err) => setErrors(fieldErrors(err)) });
  };
  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-labelledby="close-heading">
      <Stack gap="xs">
        <Title order={3} size="h5" id="close-heading">Decline or redirect</Title>
        <div aria-live="polite">
          {change.error ? <ErrorAlert error={change.error} title="The referral was not closed" onReload={onReload} /> : null}
        </div>
        <NativeSelect label="Outcome" value={status} error={errors.status}
          data={closing.map((s) => ({ value: s, label: s === 'declined' ? 'Decline' : 'Redirect to another service' }))}
          onChange={(e) => { setStatus(e.currentTarget.value); clearError('status'); }} />
        <Textarea label="Reason" withAsterisk autosize minRows={2} maxLength={2000} value={reason} error={errors.reason}
          description="Shared with the referrer"
          onChange={(e) => { setReason(e.currentTarget.value); clearError('reason'); }} />
        <Group justify="flex-end">
          <Button type="submit" color="red" variant="light" loading={change.isPending}>
            {status === 'redirected' ? 'Redirect referral' : 'Decline referral'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Reassign({ referral, onReload }: { referral: Referral; onReload: () => void }) {
  const me = useMe().data;
  const assignees = useAssignees();
  const assign = useAssign(referral);
  const [to, setTo] = useState(referral.assignedTo ?? '');
  const data = [
    { value: '', label: 'Choose a coordinator', disabled: true },
    ...(assignees.data?.items ?? []).map((a) => ({ value: a.id, label: a.id === me?.id ? `${a.displayName} (me)` : a.displayName })),
  ];
  return (
    <form onSubmit={onSubmit(() => { if (to) assign.mutate(to); })} aria-labelledby="reassign-heading">
      <Stack gap="xs">
        <Title order={3} size="h5" id="reassign-heading">Reassign</Title>
        <Text size="sm">Assigned to: {referral.assignedToName ?? 'nobody yet'}</Text>
        <div aria-live="polite">
          {assign.error ? <ErrorAlert error={assign.error} title="Not reassigned" onReload={onReload} /> : null}
        </div>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <NativeSelect label="Assign to" value={to} data={data} onChange={(e) => setTo(e.currentTarget.value)} style={{ flex: 1 }}
            disabled={assignees.isPending} />
          <Button type="submit" variant="default" loading={assign.isPending} disabled={!to || to === referral.assignedTo}>Reassign</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The actions on an open referral after triage, in the order a coordinator uses them. */
export function StatusActions({ referral, onReload }: { referral: Referral; onReload: () => void }) {
  const open = referral.allowedTransitions.length > 0;
  if (!open) return null;
  const hasNext = referral.allowedTransitions.some((s) => s !== 'triaged' && !CLOSING_STATUSES.includes(s));
  return (
    <Card component="section" aria-labelledby="actions-heading">
      <Title order={2} size="h4" id="actions-heading" mb="sm">Actions</Title>
      <Stack gap="md">
        {hasNext ? <NextStatus key={`next-${referral.version}`} referral={referral} onReload={onReload} /> : null}
        {hasNext ? <Divider /> : null}
        <Reassign key={`assign-${referral.version}`} referral={referral} onReload={onReload} />
        <Divider />
        <CloseReferral referral={referral} onReload={onReload} />
      </Stack>
    </Card>
  );
}
