import { Button, Card, Group, NativeSelect, NumberInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { DateField } from '../components/DateField.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { isValidDate, onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { humanize } from '../lib/format.js';
import { WEEKDAYS, useCreateSeries } from './api.js';
import type { Series, SeriesInput, Weekday } from './api.js';
import { browserTimeZone, timeZoneOptions } from './time.js';

export const HHMM_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const KNOWN = new Set(['name', 'weekday', 'startTime', 'durationMinutes', 'timeZone', 'room', 'videoLink', 'capacity', 'cutoffHours', 'startsOn']);

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const num = (v: string | number) => (typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v));
const inRange = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

/** A new weekly series (the server generates its occurrences). */
export function SeriesForm({ onDone, onCancel }: { onDone: (s: Series) => void; onCancel: () => void }) {
  const create = useCreateSeries();
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const zones = timeZoneOptions();
  const [name, setName] = useState('');
  const [weekday, setWeekday] = useState<Weekday>('thursday');
  const [startTime, setStartTime] = useState('07:30');
  const [duration, setDuration] = useState<string | number>(90);
  const [timeZone, setTimeZone] = useState(browserTimeZone());
  const [room, setRoom] = useState('');
  const [videoLink, setVideoLink] = useState('');
  const [capacity, setCapacity] = useState<string | number>(10);
  const [cutoff, setCutoff] = useState<string | number>(48);
  const [startsOn, setStartsOn] = useState(today());

  const submit = () => {
    const e: Errors = {};
    if (!name.trim()) e.name = 'Enter a name for the series';
    if (!HHMM_RE.test(startTime.trim())) e.startTime = 'Enter the start time as HH:MM (24-hour), e.g. 07:30';
    if (!inRange(num(duration), 15, 480)) e.durationMinutes = 'Enter a duration between 15 and 480 minutes';
    if (videoLink.trim() && !/^https:\/\/\S+$/i.test(videoLink.trim())) e.videoLink = 'Enter an https:// link, or leave it empty';
    if (!inRange(num(capacity), 1, 60)) e.capacity = 'Enter a capacity between 1 and 60 cases';
    if (!inRange(num(cutoff), 0, 168)) e.cutoffHours = 'Enter a cut-off between 0 and 168 hours';
    if (!isValidDate(startsOn.trim())) e.startsOn = 'Enter the first date as YYYY-MM-DD';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    const input: SeriesInput = {
      name: name.trim(), weekday, startTime: startTime.trim(), durationMinutes: num(duration), timeZone,
      room: room.trim() || undefined, videoLink: videoLink.trim() || undefined,
      capacity: num(capacity), cutoffHours: num(cutoff), startsOn: startsOn.trim(),
    };
    create.mutate(input, { onSuccess: onDone, onError: (err) => setErrors(fieldErrors(err)) });
  };

  const change = (key: string, set: (v: string) => void) => (v: string) => { set(v); clearError(key); };
  return (
    <Card component="section" aria-labelledby="new-series-heading" mb="lg">
      <Title order={2} size="h4" id="new-series-heading" mb={4}>New series</Title>
      <Text size="sm" c="dimmed" mb="md">A weekly conference. Occurrences are generated from the first date on.</Text>
      <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="New series">
        <Stack gap="md">
          <div aria-live="polite">
            {create.error ? (
              <ErrorAlert error={create.error} title="The series was not created" extra={unplacedErrors(errors, (k) => KNOWN.has(k))} />
            ) : null}
          </div>
          <TextInput label="Name" withAsterisk maxLength={200} value={name} error={errors.name}
            placeholder="e.g. Sarcoma Tumor Conference" onChange={(e) => change('name', setName)(e.currentTarget.value)} />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
            <NativeSelect label="Weekday" value={weekday} error={errors.weekday}
              data={WEEKDAYS.map((d) => ({ value: d, label: humanize(d) }))}
              onChange={(e) => { setWeekday(e.currentTarget.value as Weekday); clearError('weekday'); }} />
            <TextInput label="Start time" withAsterisk description="24-hour, HH:MM" placeholder="07:30" maxLength={5} value={startTime}
              error={errors.startTime} onChange={(e) => change('startTime', setStartTime)(e.currentTarget.value)} />
            <NumberInput label="Duration (minutes)" withAsterisk min={15} max={480} step={15} allowDecimal={false} value={duration}
              error={errors.durationMinutes} onChange={(v) => { setDuration(v); clearError('durationMinutes'); }} />
            <NativeSelect label="Time zone" value={timeZone} error={errors.timeZone} data={zones}
              onChange={(e) => { setTimeZone(e.currentTarget.value); clearError('timeZone'); }} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput label="Room" maxLength={200} value={room} error={errors.room} placeholder="e.g. Conference room 4B"
              onChange={(e) => change('room', setRoom)(e.currentTarget.value)} />
            <TextInput label="Video link" type="url" description="https:// only" maxLength={500} value={videoLink} error={errors.videoLink}
              placeholder="https://" onChange={(e) => change('videoLink', setVideoLink)(e.currentTarget.value)} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
            <NumberInput label="Capacity (cases)" withAsterisk min={1} max={60} allowDecimal={false} value={capacity}
              error={errors.capacity} onChange={(v) => { setCapacity(v); clearError('capacity'); }} />
            <NumberInput label="Cut-off (hours before start)" withAsterisk min={0} max={168} allowDecimal={false} value={cutoff}
              description="Cases can be added until then" error={errors.cutoffHours}
              onChange={(v) => { setCutoff(v); clearError('cutoffHours'); }} />
            <DateField label="Starts on" withAsterisk description="YYYY-MM-DD" value={startsOn} error={errors.startsOn}
              onChange={(e) => change('startsOn', setStartsOn)(e.currentTarget.value)} />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>Close</Button>
            <Button type="submit" loading={create.isPending}>Create series</Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
