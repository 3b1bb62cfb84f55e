import { Card, Checkbox, NativeSelect, Radio, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { EMAIL_RE, isValidDate } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { LANGUAGE_OPTIONS } from './i18n.js';
import type { Strings } from './i18n.js';
import { REFERRAL_ORIGINS, REFERRER_ROLES } from './api.js';
import type { PublicReferralInput, ReferralOrigin, ReferrerRole, StaffReferralInput, Urgency } from './api.js';
import { ORIGIN_LABELS } from './labels.js';

/** What the referral form holds while it is being filled in (strings as typed; '' for "not given"). */
export interface ReferralDraft {
  familyName: string;
  givenName: string;
  birthDate: string;
  sex: '' | 'male' | 'female';
  mrn: string;
  homeCountry: string;
  homeState: string;
  referrerName: string;
  referrerRole: '' | ReferrerRole;
  organization: string;
  email: string;
  phone: string;
  diagnosisText: string;
  urgency: Urgency;
  question: string;
  preferredLanguage: string;
  otherLanguage: string;
  interpreterNeeded: boolean;
  travelNeeded: boolean;
  consentToShare: boolean;
  origin: '' | ReferralOrigin;
}

export function emptyDraft(preferredLanguage = 'English'): ReferralDraft {
  return {
    familyName: '', givenName: '', birthDate: '', sex: '', mrn: '', homeCountry: '', homeState: '',
    referrerName: '', referrerRole: '', organization: '', email: '', phone: '',
    diagnosisText: '', urgency: 'routine', question: '', preferredLanguage, otherLanguage: '',
    interpreterNeeded: false, travelNeeded: false, consentToShare: false, origin: '',
  };
}

const MRN_RE = /^[A-Za-z0-9-]{3,32}$/;
const PHONE_RE = /^\+?[0-9 ()\-.]{5,30}$/;

/** Client-side checks in the page's language (the server checks again and has the last word). */
export function validateDraft(d: ReferralDraft, t: Strings, mode: 'public' | 'staff'): Errors {
  const e: Errors = {};
  const E = t.errors;
  const req = (key: string, value: string) => { if (!value.trim()) e[key] = E[key] ?? E.required!; };
  req('patient.familyName', d.familyName);
  req('patient.givenName', d.givenName);
  if (!isValidDate(d.birthDate)) e['patient.birthDate'] = E['patient.birthDate']!;
  else if (d.birthDate > new Date().toISOString().slice(0, 10)) e['patient.birthDate'] = E.birthDateFuture!;
  if (d.mrn.trim() && !MRN_RE.test(d.mrn.trim())) e['patient.mrn'] = E['patient.mrn']!;
  req('patient.homeCountry', d.homeCountry);
  req('referrer.name', d.referrerName);
  if (!d.referrerRole) e['referrer.role'] = E['referrer.role']!;
  if (d.email.trim() && !EMAIL_RE.test(d.email.trim())) e['referrer.email'] = E['referrer.email']!;
  if (d.phone.trim() && !PHONE_RE.test(d.phone.trim())) e['referrer.phone'] = E['referrer.phone']!;
  if (mode === 'public' && !d.email.trim() && !d.phone.trim()) e['referrer.email'] = E.contact!;
  const language = d.preferredLanguage === 'Other' ? d.otherLanguage : d.preferredLanguage;
  if (!language.trim()) e.preferredLanguage = E.preferredLanguage!;
  if (mode === 'public' && !d.consentToShare) e.consentToShare = E.consentToShare!;
  if (mode === 'staff' && !d.origin) e.origin = 'Choose where the referral comes from';
  return e;
}

const opt = (s: string) => (s.trim() ? s.trim() : undefined);

export function draftToInput(d: ReferralDraft): PublicReferralInput {
  return {
    patient: {
      familyName: d.familyName.trim(),
      givenName: d.givenName.trim(),
      birthDate: d.birthDate,
      sex: d.sex || undefined,
      mrn: opt(d.mrn),
      homeCountry: d.homeCountry.trim(),
      homeState: opt(d.homeState),
    },
    referrer: {
      name: d.referrerName.trim(),
      role: d.referrerRole as ReferrerRole,
      organization: opt(d.organization),
      email: opt(d.email),
      phone: opt(d.phone),
    },
    diagnosisText: opt(d.diagnosisText),
    urgency: d.urgency,
    question: opt(d.question),
    consentToShare: d.consentToShare,
    preferredLanguage: (d.preferredLanguage === 'Other' ? d.otherLanguage : d.preferredLanguage).trim(),
    interpreterNeeded: d.interpreterNeeded,
    travelNeeded: d.travelNeeded,
  };
}

export function draftToStaffInput(d: ReferralDraft): StaffReferralInput {
  return { ...draftToInput(d), origin: d.origin as ReferralOrigin };
}

/** Every error key the form shows next to an input (others go to the form-level alert). */
export const FIELD_KEYS = new Set([
  'patient.familyName', 'patient.givenName', 'patient.birthDate', 'patient.sex', 'patient.mrn', 'patient.homeCountry', 'patient.homeState',
  'referrer.name', 'referrer.role', 'referrer.organization', 'referrer.email', 'referrer.phone',
  'diagnosisText', 'urgency', 'question', 'preferredLanguage', 'interpreterNeeded', 'travelNeeded', 'consentToShare', 'origin', 'attachments',
]);

/** Typing digits gives YYYY-MM-DD (phone keypads have no dash). */
export function formatDateTyping(raw: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return raw;
  const d = raw.replace(/\D/g, '').slice(0, 8);
  return d.slice(0, 4) + (d.length > 4 ? `-${d.slice(4, 6)}` : '') + (d.length > 6 ? `-${d.slice(6, 8)}` : '');
}

interface Props {
  draft: ReferralDraft;
  onChange: (patch: Partial<ReferralDraft>, errorKey?: string) => void;
  errors: Errors;
  t: Strings;
  mode: 'public' | 'staff';
  size?: 'sm' | 'md';
  /** Rendered between the diagnosis and the consent sections (the public form's attachments). */
  attachments?: ReactNode;
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card component="section" aria-labelledby={id}>
      <Title order={2} size="h4" mb="md" id={id}>{title}</Title>
      {children}
    </Card>
  );
}

/** The fields of a referral, shared by the public form and the staff entry form. */
export function ReferralFields({ draft, onChange, errors, t, mode, size = 'sm', attachments }: Props) {
  const text = (key: keyof ReferralDraft, errorKey: string, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      size={size}
      label={label}
      value={draft[key] as string}
      error={errors[errorKey]}
      onChange={(e) => onChange({ [key]: e.currentTarget.value } as Partial<ReferralDraft>, errorKey)}
      {...extra}
    />
  );
  const consentDescId = `consent-desc-${mode}`;
  const consentErrId = `consent-error-${mode}`;

  return (
    <Stack gap="lg">
      {mode === 'staff' ? (
        <Section id="sec-origin" title="Origin">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              size={size}
              label="Where the referral comes from"
              withAsterisk
              value={draft.origin}
              error={errors.origin}
              data={[{ value: '', label: 'Choose one' }, ...REFERRAL_ORIGINS.map((o) => ({ value: o, label: ORIGIN_LABELS[o] ?? o }))]}
              onChange={(e) => onChange({ origin: e.currentTarget.value as ReferralDraft['origin'] }, 'origin')}
            />
          </SimpleGrid>
        </Section>
      ) : null}

      <Section id={`sec-patient-${mode}`} title={t.sections.patient}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {text('familyName', 'patient.familyName', t.patient.familyName, { withAsterisk: true, autoComplete: 'off' })}
          {text('givenName', 'patient.givenName', t.patient.givenName, { withAsterisk: true, autoComplete: 'off' })}
          <TextInput
            size={size}
            label={t.patient.birthDate}
            description={t.patient.birthDateHelp}
            withAsterisk
            placeholder="YYYY-MM-DD"
            inputMode="numeric"
            autoComplete="off"
            maxLength={10}
            value={draft.birthDate}
            error={errors['patient.birthDate']}
            onChange={(e) => onChange({ birthDate: formatDateTyping(e.currentTarget.value) }, 'patient.birthDate')}
          />
          <NativeSelect
            size={size}
            label={t.patient.sex}
            value={draft.sex}
            error={errors['patient.sex']}
            data={[
              { value: '', label: mode === 'staff' ? 'Not given' : t.patient.sexUnknown },
              { value: 'female', label: t.patient.female },
              { value: 'male', label: t.patient.male },
            ]}
            onChange={(e) => onChange({ sex: e.currentTarget.value as ReferralDraft['sex'] }, 'patient.sex')}
          />
          {text('homeCountry', 'patient.homeCountry', t.patient.homeCountry, { withAsterisk: true, autoComplete: 'country-name' })}
          {text('homeState', 'patient.homeState', t.patient.homeState, { autoComplete: 'address-level1' })}
          {text('mrn', 'patient.mrn', t.patient.mrn, { description: t.patient.mrnHelp, autoComplete: 'off' })}
        </SimpleGrid>
      </Section>

      <Section id={`sec-you-${mode}`} title={mode === 'staff' ? 'Referrer' : t.sections.you}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {text('referrerName', 'referrer.name', mode === 'staff' ? 'Referrer name' : t.referrer.name,
            { withAsterisk: true, autoComplete: mode === 'public' ? 'name' : 'off' })}
          <NativeSelect
            size={size}
            label={mode === 'staff' ? 'Referrer role' : t.referrer.role}
            withAsterisk
            value={draft.referrerRole}
            error={errors['referrer.role']}
            data={[{ value: '', label: t.referrer.rolePlaceholder }, ...REFERRER_ROLES.map((r) => ({ value: r, label: t.referrer.roles[r] }))]}
            onChange={(e) => onChange({ referrerRole: e.currentTarget.value as ReferralDraft['referrerRole'] }, 'referrer.role')}
          />
          {text('organization', 'referrer.organization', t.referrer.organization, { autoComplete: mode === 'public' ? 'organization' : 'off' })}
          {text('email', 'referrer.email', t.referrer.email, {
            type: 'email', inputMode: 'email', autoComplete: mode === 'public' ? 'email' : 'off',
            description: mode === 'public' ? t.referrer.contactHelp : undefined,
          })}
          {text('phone', 'referrer.phone', t.referrer.phone, {
            type: 'tel', inputMode: 'tel', autoComplete: mode === 'public' ? 'tel' : 'off', description: t.referrer.phoneHelp,
          })}
        </SimpleGrid>
      </Section>

      <Section id={`sec-diagnosis-${mode}`} title={t.sections.diagnosis}>
        <Stack gap="md">
          <Textarea
            size={size}
            label={t.diagnosisText}
            description={t.diagnosisHelp}
            autosize
            minRows={2}
            maxLength={2000}
            value={draft.diagnosisText}
            error={errors.diagnosisText}
            onChange={(e) => onChange({ diagnosisText: e.currentTarget.value }, 'diagnosisText')}
          />
          <Radio.Group
            size={size}
            label={t.urgency}
            description={t.urgencyHelp}
            withAsterisk
            value={draft.urgency}
            error={errors.urgency}
            onChange={(v) => onChange({ urgency: v as Urgency }, 'urgency')}
          >
            <Stack gap="sm" mt="xs">
              <Radio size={size} value="routine" label={t.urgencyRoutine} />
              <Radio size={size} value="urgent" label={t.urgencyUrgent} />
            </Stack>
          </Radio.Group>
          <Textarea
            size={size}
            label={t.question}
            description={t.questionHelp}
            autosize
            minRows={3}
            maxLength={2000}
            value={draft.question}
            error={errors.question}
            onChange={(e) => onChange({ question: e.currentTarget.value }, 'question')}
          />
        </Stack>
      </Section>

      <Section id={`sec-needs-${mode}`} title={t.sections.needs}>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <NativeSelect
              size={size}
              label={t.preferredLanguage}
              withAsterisk
              value={draft.preferredLanguage}
              error={draft.preferredLanguage === 'Other' ? undefined : errors.preferredLanguage}
              data={LANGUAGE_OPTIONS.map((l) => ({ value: l, label: t.languageNames[l] ?? l }))}
              onChange={(e) => onChange({ preferredLanguage: e.currentTarget.value }, 'preferredLanguage')}
            />
            {draft.preferredLanguage === 'Other' ? (
              <TextInput
                size={size}
                label={t.otherLanguage}
                withAsterisk
                maxLength={40}
                value={draft.otherLanguage}
                error={errors.preferredLanguage}
                onChange={(e) => onChange({ otherLanguage: e.currentTarget.value }, 'preferredLanguage')}
              />
            ) : null}
          </SimpleGrid>
          <Checkbox
            size={size}
            label={t.interpreterNeeded}
            checked={draft.interpreterNeeded}
            onChange={(e) => onChange({ interpreterNeeded: e.currentTarget.checked }, 'interpreterNeeded')}
          />
          <Checkbox
            size={size}
            label={t.travelNeeded}
            description={t.travelHelp}
            checked={draft.travelNeeded}
            onChange={(e) => onChange({ travelNeeded: e.currentTarget.checked }, 'travelNeeded')}
          />
        </Stack>
      </Section>

      {attachments}

      <Section id={`sec-consent-${mode}`} title={t.sections.consent}>
        <Checkbox
          size={size}
          label={mode === 'staff' ? 'The family consented to share records with the tumour board' : <>{t.consent}{' '}<Text span c="red" aria-hidden="true">*</Text></>}
          description={mode === 'public' ? <span id={consentDescId}>{t.consentHelp}</span> : undefined}
          checked={draft.consentToShare}
          error={errors.consentToShare ? <span id={consentErrId}>{errors.consentToShare}</span> : undefined}
          aria-invalid={errors.consentToShare ? true : undefined}
          aria-required={mode === 'public' ? true : undefined}
          aria-describedby={[mode === 'public' ? consentDescId : '', errors.consentToShare ? consentErrId : ''].filter(Boolean).join(' ') || undefined}
          onChange={(e) => onChange({ consentToShare: e.currentTarget.checked }, 'consentToShare')}
        />
      </Section>
    </Stack>
  );
}
