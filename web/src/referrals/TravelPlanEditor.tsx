import { Alert, Button, Card, Checkbox, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { fieldErrors } from '../api/client.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { isValidDate, onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { formatDate } from '../lib/format.js';
import { LETTER_STATUSES, useSaveTravel } from './api.js';
import type { LetterStatus, NextDue, Referral, TravelPlan } from './api.js';
import { LETTER_LABELS, OverdueBadge } from './labels.js';
import { formatDateTyping } from './ReferralFields.js';

interface Draft {
  homeCountry: string;
  homeState: string;
  timeZone: string;
  interpreterNeeded: boolean;
  interpreterLanguage: string;
  interpreterArranged: boolean;
  arrivalDate: string;
  departureDate: string;
  lodging: string;
  lodgingConfirmed: boolean;
  visaLetter: LetterStatus;
  insuranceLetter: LetterStatus;
  escortName: string;
  escortPhone: string;
  notes: string;
}

type TextKey = 'homeCountry' | 'homeState' | 'timeZone' | 'interpreterLanguage' | 'lodging' | 'escortName' | 'escortPhone' | 'notes';
const KNOWN = new Set(['homeCountry', 'homeState', 'timeZone', 'interpreterNeeded', 'interpreterLanguage', 'interpreterArranged', 'arrivalDate', 'departureDate',
  'lodging', 'lodgingConfirmed', 'visaLetter', 'insuranceLetter', 'escortName', 'escortPhone', 'notes']);

function toDraft(r: Referral): Draft {
  const t = r.travel;
  const english = (s: string) => (s === 'English' ? '' : s);
  return {
    homeCountry: t?.homeCountry ?? r.patient.homeCountry ?? '',
    homeState: t?.homeState ?? r.patient.homeState ?? '',
    timeZone: t?.timeZone ?? '',
    interpreterNeeded: t ? t.interpreterNeeded : r.interpreterNeeded,
    interpreterLanguage: t?.interpreterLanguage ?? (r.interpreterNeeded ? english(r.preferredLanguage) : ''),
    interpreterArranged: t?.interpreterArranged ?? false,
    arrivalDate: t?.arrivalDate ?? '',
    departureDate: t?.departureDate ?? '',
    lodging: t?.lodging ?? '',
    lodgingConfirmed: t?.lodgingConfirmed ?? false,
    visaLetter: t?.visaLetter ?? (r.origin === 'international' ? 'needed' : 'not_needed'),
    insuranceLetter: t?.insuranceLetter ?? 'not_needed',
    escortName: t?.escortName ?? '',
    escortPhone: t?.escortPhone ?? '',
    notes: t?.notes ?? '',
  };
}

function validate(d: Draft): Errors {
  const e: Errors = {};
  if (d.arrivalDate && !isValidDate(d.arrivalDate)) e.arrivalDate = 'Enter the arrival date as YYYY-MM-DD';
  if (d.departureDate && !isValidDate(d.departureDate)) e.departureDate = 'Enter the departure date as YYYY-MM-DD';
  if (!e.arrivalDate && !e.departureDate && d.arrivalDate && d.departureDate && d.departureDate < d.arrivalDate) {
    e.departureDate = 'The departure must be on or after the arrival date';
  }
  if (d.timeZone.trim() && !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/.test(d.timeZone.trim())) e.timeZone = 'Use an IANA time zone like America/Mexico_City';
  if (d.escortPhone.trim() && !/^\+?[0-9 ()\-.]{5,30}$/.test(d.escortPhone.trim())) e.escortPhone = 'Enter a phone number, e.g. +52 55 1234 5678';
  if (d.interpreterNeeded && !d.interpreterLanguage.trim()) e.interpreterLanguage = 'Say which language the interpreter needs';
  return e;
}

function toPlan(d: Draft): TravelPlan {
  const o = (s: string) => (s.trim() ? s.trim() : undefined);
  return {
    homeCountry: o(d.homeCountry), homeState: o(d.homeState), timeZone: o(d.timeZone),
    interpreterNeeded: d.interpreterNeeded, interpreterLanguage: o(d.interpreterLanguage), interpreterArranged: d.interpreterNeeded && d.interpreterArranged,
    arrivalDate: o(d.arrivalDate), departureDate: o(d.departureDate),
    lodging: o(d.lodging), lodgingConfirmed: d.lodgingConfirmed,
    visaLetter: d.visaLetter, insuranceLetter: d.insuranceLetter,
    escortName: o(d.escortName), escortPhone: o(d.escortPhone), notes: o(d.notes),
  };
}

const today = () => new Date().toISOString().slice(0, 10);

export function NextDueLine({ next }: { next: NextDue | null }) {
  if (!next || !next.what) return <Text size="sm" c="dimmed" data-testid="travel-next-due">Nothing due.</Text>;
  const overdue = !!next.due && next.due < today();
  return (
    <Group gap={6} data-testid="travel-next-due">
      <Text size="sm" fw={600} c={overdue ? 'red.9' : undefined}>Next due: {next.what}{next.due ? ` — ${formatDate(next.due)}` : ''}</Text>
      {overdue ? <OverdueBadge size="xs" /> : null}
    </Group>
  );
}

/** Travel, lodging, letters and interpreter for a family that comes from far away. */
export function TravelPlanEditor({ referral, canEdit, onReload }: {
  referral: Referral; canEdit: boolean;
  /** Reloads the referral and starts the editor again from the saved plan (after someone else's change). */
  onReload: () => void;
}) {
  const save = useSaveTravel(referral);
  const [draft, setDraft] = useState<Draft>(() => toDraft(referral));
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [saved, setSaved] = useState(false);

  const set = (patch: Partial<Draft>, key?: string) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
    if (key) clearError(key);
  };
  const text = (key: TextKey, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput label={label} value={draft[key]} error={errors[key]} onChange={(e) => set({ [key]: e.currentTarget.value }, key)} {...extra} />
  );
  const date = (key: 'arrivalDate' | 'departureDate', label: string) => (
    <TextInput label={label} description="YYYY-MM-DD" placeholder="YYYY-MM-DD" inputMode="numeric" maxLength={10} autoComplete="off"
      value={draft[key]} error={errors[key]} onChange={(e) => set({ [key]: formatDateTyping(e.currentTarget.value) }, key)} />
  );
  const letter = (key: 'visaLetter' | 'insuranceLetter', label: string) => (
    <NativeSelect label={label} value={draft[key]} error={errors[key]}
      data={LETTER_STATUSES.map((s) => ({ value: s, label: LETTER_LABELS[s] ?? s }))}
      onChange={(e) => set({ [key]: e.currentTarget.value as LetterStatus }, key)} />
  );

  const submit = () => {
    const local = validate(draft);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    save.mutate(toPlan(draft), {
      onSuccess: () => setSaved(true),
      onError: (err) => setErrors(fieldErrors(err)),
    });
  };

  return (
    <Card component="section" aria-labelledby="travel-heading">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id="travel-heading">Travel plan</Title>
        {referral.travel ? <NextDueLine next={referral.travel.nextDue} /> : <Text size="sm" c="dimmed">No plan saved yet.</Text>}
      </Group>
      {!referral.travelNeeded && !referral.travel ? (
        <Text size="sm" c="dimmed" mb="sm">The referral did not ask for travel help; a plan can still be made.</Text>
      ) : null}
      <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="Travel plan">
        <fieldset disabled={!canEdit} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
          <Stack gap="md">
            <div aria-live="polite">
              {save.error ? (
                <ErrorAlert error={save.error} title="The travel plan was not saved" onReload={onReload}
                  extra={unplacedErrors(errors, (k) => KNOWN.has(k))} />
              ) : saved ? (
                <Alert color="teal" variant="light" role="status" title="Travel plan saved" />
              ) : null}
            </div>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
              {date('arrivalDate', 'Arrival date')}
              {date('departureDate', 'Departure date')}
              {text('timeZone', 'Home time zone', { placeholder: 'America/Mexico_City', description: 'For calls with the family' })}
              {text('homeCountry', 'Home country')}
              {text('homeState', 'State or province')}
              <div />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <Stack gap="xs">
                <Checkbox label="Interpreter needed" checked={draft.interpreterNeeded}
                  onChange={(e) => set({ interpreterNeeded: e.currentTarget.checked }, 'interpreterNeeded')} />
                {text('interpreterLanguage', 'Interpreter language', { disabled: !draft.interpreterNeeded, placeholder: 'e.g. Spanish' })}
                <Checkbox label="Interpreter arranged" checked={draft.interpreterNeeded && draft.interpreterArranged} disabled={!draft.interpreterNeeded}
                  onChange={(e) => set({ interpreterArranged: e.currentTarget.checked }, 'interpreterArranged')} />
              </Stack>
              <Stack gap="xs">
                <Checkbox label="Lodging confirmed" checked={draft.lodgingConfirmed}
                  onChange={(e) => set({ lodgingConfirmed: e.currentTarget.checked }, 'lodgingConfirmed')} />
                {text('lodging', 'Lodging', { placeholder: 'e.g. Family house, room 12' })}
              </Stack>
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              {letter('visaLetter', 'Visa letter')}
              {letter('insuranceLetter', 'Insurance letter')}
              {text('escortName', 'Escort name', { description: 'Who travels with the child' })}
              {text('escortPhone', 'Escort phone', { type: 'tel' })}
            </SimpleGrid>
            <Textarea label="Travel notes" autosize minRows={2} maxLength={2000} value={draft.notes} error={errors.notes}
              onChange={(e) => set({ notes: e.currentTarget.value }, 'notes')} />
            {canEdit ? (
              <Group justify="flex-end">
                <Button type="submit" loading={save.isPending}>Save travel plan</Button>
              </Group>
            ) : null}
          </Stack>
        </fieldset>
      </form>
    </Card>
  );
}
