import { Button, Group, Modal, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { DateField } from '../components/DateField.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { isValidDate, onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { useCancelConference, useMoveConference } from './api.js';
import type { ConferenceSummary } from './api.js';
import { HHMM_RE } from './SeriesForm.js';
import { formatZoned, zonedParts } from './time.js';

type Occurrence = Pick<ConferenceSummary, 'id' | 'version' | 'startsAt' | 'timeZone' | 'seriesName' | 'status'>;

function MoveForm({ c, onClose, onDone }: { c: Occurrence; onClose: () => void; onDone: (msg: string) => void }) {
  const move = useMoveConference();
  const qc = useQueryClient();
  const start = zonedParts(c.startsAt, c.timeZone);
  const [date, setDate] = useState(start?.date ?? '');
  const [time, setTime] = useState(start?.time ?? '');
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const submit = () => {
    const e: Errors = {};
    if (!isValidDate(date.trim())) e.date = 'Enter the new date as YYYY-MM-DD';
    if (!HHMM_RE.test(time.trim())) e.time = 'Enter the new time as HH:MM (24-hour)';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    move.mutate({ c, date: date.trim(), time: time.trim() }, {
      onSuccess: (saved) => onDone(`Moved to ${formatZoned(saved.startsAt, saved.timeZone)}`),
      onError: (err) => setErrors(fieldErrors(err)),
    });
  };
  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="Move conference">
      <Stack gap="md">
        <Text size="sm">Now: {formatZoned(c.startsAt, c.timeZone)}. The new date and time are in {c.timeZone}.</Text>
        <div aria-live="polite">
          {move.error ? <ErrorAlert error={move.error} title="Not moved" onReload={() => void qc.invalidateQueries({ queryKey: ['conferences'] }).then(onClose)} extra={unplacedErrors(errors, (k) => k === 'date' || k === 'time')} /> : null}
        </div>
        <Group grow align="flex-start">
          <DateField label="New date" withAsterisk value={date} error={errors.date} data-autofocus
            onChange={(e) => { setDate(e.currentTarget.value); clearError('date'); }} />
          <TextInput label="New time" withAsterisk description={`24-hour, ${c.timeZone}`} placeholder="HH:MM" maxLength={5} value={time}
            error={errors.time} onChange={(e) => { setTime(e.currentTarget.value); clearError('time'); }} />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Keep as is</Button>
          <Button type="submit" loading={move.isPending}>Move conference</Button>
        </Group>
      </Stack>
    </form>
  );
}

function CancelForm({ c, onClose, onDone }: { c: Occurrence; onClose: () => void; onDone: (msg: string) => void }) {
  const cancel = useCancelConference();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const submit = () => {
    if (!note.trim()) { setErrors({ note: 'Say why it is cancelled (attendees are told)' }); return; }
    setErrors({});
    cancel.mutate({ c, note: note.trim() }, {
      onSuccess: () => onDone(`Cancelled ${formatZoned(c.startsAt, c.timeZone)}`),
      onError: (err) => setErrors(fieldErrors(err)),
    });
  };
  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="Cancel conference">
      <Stack gap="md">
        <Text size="sm">{c.seriesName}, {formatZoned(c.startsAt, c.timeZone)}.</Text>
        <div aria-live="polite">{cancel.error ? <ErrorAlert error={cancel.error} title="Not cancelled" onReload={() => void qc.invalidateQueries({ queryKey: ['conferences'] }).then(onClose)} /> : null}</div>
        <Textarea label="Reason" withAsterisk autosize minRows={2} maxLength={500} value={note} error={errors.note} data-autofocus
          description="Shown with the occurrence" onChange={(e) => { setNote(e.currentTarget.value); clearError('note'); }} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Keep it</Button>
          <Button type="submit" color="red" variant="light" loading={cancel.isPending}>Cancel conference</Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Move / Cancel for one occurrence (coordinators), each in a dialog; the result is announced by the caller. */
export function OccurrenceActions({ c, onResult }: { c: Occurrence; onResult: (msg: string) => void }) {
  const [open, setOpen] = useState<'move' | 'cancel' | null>(null);
  if (c.status !== 'scheduled') return null;
  const when = formatZoned(c.startsAt, c.timeZone);
  const close = () => setOpen(null);
  const done = (msg: string) => { setOpen(null); onResult(msg); };
  return (
    <>
      <Group gap={6} wrap="nowrap">
        <Button size="xs" variant="default" aria-label={`Move ${c.seriesName} on ${when}`} onClick={() => setOpen('move')}>Move</Button>
        <Button size="xs" variant="subtle" color="red" aria-label={`Cancel ${c.seriesName} on ${when}`} onClick={() => setOpen('cancel')}>Cancel</Button>
      </Group>
      <Modal opened={open === 'move'} onClose={close} title="Move conference" centered>
        {open === 'move' ? <MoveForm c={c} onClose={close} onDone={done} /> : null}
      </Modal>
      <Modal opened={open === 'cancel'} onClose={close} title="Cancel conference" centered>
        {open === 'cancel' ? <CancelForm c={c} onClose={close} onDone={done} /> : null}
      </Modal>
    </>
  );
}
