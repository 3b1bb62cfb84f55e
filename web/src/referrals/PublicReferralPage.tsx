import { Alert, Button, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ApiError, normalizeField } from '../api/client.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import type { Errors } from '../lib/forms.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { AttachmentPicker } from './AttachmentPicker.js';
import { newIdempotencyKey, submitPublicReferral } from './api.js';
import { STRINGS, initialLang } from './i18n.js';
import type { Lang, Strings } from './i18n.js';
import { PublicShell } from './PublicShell.js';
import { FIELD_KEYS, ReferralFields, draftToInput, emptyDraft, validateDraft } from './ReferralFields.js';
import type { ReferralDraft } from './ReferralFields.js';

const defaultLanguage = (lang: Lang) => (lang === 'es' ? 'Spanish' : 'English');

/** The server's answer in the page's language: field errors under the inputs, the rest in the alert. */
export function localizeServerError(err: unknown, t: Strings, lang: Lang): { fields: Errors; message: string; extra: string[] } {
  const fields: Errors = {};
  const extra: string[] = [];
  if (!(err instanceof ApiError)) return { fields, message: t.errors.server!, extra };
  if (err.status === 0) return { fields, message: t.errors.network!, extra };
  if (err.status === 429) return { fields, message: t.errors.rateLimited!, extra };
  if (err.status === 413) {
    fields.attachments = t.attachments.server;
    return { fields, message: t.errorSummary(1), extra };
  }
  if (err.status >= 500) return { fields, message: t.errors.server!, extra };
  const issues = err.issues.length ? err.issues : err.field ? [{ field: err.field, message: err.message }] : [];
  for (const issue of issues) {
    let key = normalizeField(issue.field);
    if (key.startsWith('attachments')) key = 'attachments';
    if (key === 'referrer.email' || key === 'referrer.phone' || FIELD_KEYS.has(key)) {
      if (key in fields) continue;
      if (key === 'attachments') fields[key] = lang === 'en' ? `${t.attachments.server} (${issue.message})` : t.attachments.server;
      else if (key === 'patient.birthDate' && /future/i.test(issue.message)) fields[key] = t.errors.birthDateFuture!;
      else fields[key] = t.errors[key] ?? (lang === 'en' ? issue.message : t.errors.required!);
    } else {
      extra.push(lang === 'en' ? `${key || 'referral'}: ${issue.message}` : `${key || 'referral'}`);
    }
  }
  const n = Object.keys(fields).length;
  if (n > 0) return { fields, message: t.errorSummary(n), extra };
  if (extra.length > 0) return { fields, message: t.errors.unknownField!, extra };
  return { fields, message: lang === 'en' ? err.message : t.errors.server!, extra };
}

/** /refer: the public referral form for outside physicians and families (no login). */
export function PublicReferralPage() {
  const location = useLocation();
  const navigate = useNavigate();
  const [lang, setLang] = useState<Lang>(() => initialLang(location.search));
  const t = STRINGS[lang];
  usePageTitle(t.pageTitle);

  const [draft, setDraft] = useState<ReferralDraft>(() => emptyDraft(defaultLanguage(lang)));
  const [languageTouched, setLanguageTouched] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [website, setWebsite] = useState('');
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [attachError, setAttachError] = useState<string | undefined>();
  // Field problems are summed up at the top (focus goes to the first field); a failed send (connection, server) is
  // said next to the button the person just pressed.
  const [failure, setFailure] = useState<{ message: string; extra: string[]; near: 'top' | 'button' } | null>(null);

  // One key for this form, kept across double clicks and retries: the server answers a replay with the same referral.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const sending = useRef(false);
  const qc = useQueryClient();
  const send = useMutation({
    mutationFn: (vars: { input: ReturnType<typeof draftToInput>; files: File[] }) => submitPublicReferral(vars.input, vars.files, idempotencyKey),
  });

  const change = (patch: Partial<ReferralDraft>, errorKey?: string) => {
    setDraft((d) => ({ ...d, ...patch }));
    if ('preferredLanguage' in patch || 'otherLanguage' in patch) setLanguageTouched(true);
    if (errorKey) {
      clearError(errorKey);
      if (errorKey === 'referrer.phone') clearError('referrer.email'); // "email or phone" is shown under the email
    }
  };

  const switchLang = (next: Lang) => {
    setLang(next);
    if (!languageTouched) setDraft((d) => ({ ...d, preferredLanguage: defaultLanguage(next) }));
    // Errors already shown switch language on the next check; clear them so no mixed languages remain on screen.
    if (Object.keys(errors).length > 0) setErrors(validateDraft(draft, STRINGS[next], 'public'));
    setFailure(null);
    setAttachError(undefined);
  };

  const submit = () => {
    if (sending.current) return;
    const local = validateDraft(draft, t, 'public');
    if (attachError) local.attachments = attachError;
    setErrors(local);
    if (Object.keys(local).length > 0) {
      setFailure({ message: t.errorSummary(Object.keys(local).length), extra: [], near: 'top' });
      return;
    }
    setFailure(null);
    const input = draftToInput(draft);
    if (website) input.website = website;
    sending.current = true;
    send.mutate({ input, files }, {
      onSuccess: (res) => {
        // A signed-in referrer's list (and a coordinator's inbox) must show it on the next visit.
        void qc.invalidateQueries({ queryKey: ['referrals'] });
        navigate(`/refer/thanks?ref=${encodeURIComponent(res.reference)}&lang=${lang}`);
      },
      onError: (err) => {
        const { fields, message, extra } = localizeServerError(err, t, lang);
        if (fields.attachments) setAttachError(fields.attachments);
        setErrors(fields);
        setFailure({ message, extra, near: Object.keys(fields).length > 0 ? 'top' : 'button' });
      },
      onSettled: () => { sending.current = false; },
    });
  };

  const failureAlert = failure ? (
    <Alert color="red" variant="light" role="alert" title={t.errors.title}>
      <Text size="sm">{failure.message}</Text>
      {failure.extra.map((m) => <Text size="sm" key={m}>{m}</Text>)}
    </Alert>
  ) : null;

  return (
    <PublicShell lang={lang} onLang={switchLang} t={t}>
      <Stack gap="lg">
        <div>
          <Title order={1} size="h2">{t.pageTitle}</Title>
          <Text mt="xs">{t.intro}</Text>
          <Text mt="xs" size="sm" c="dimmed">{t.required}</Text>
        </div>
        <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label={t.pageTitle}>
          <Stack gap="lg">
            <div aria-live="polite">{failure?.near === 'top' ? failureAlert : null}</div>
            <ReferralFields
              draft={draft}
              onChange={change}
              errors={errors}
              t={t}
              mode="public"
              size="md"
              attachments={
                <AttachmentPicker
                  files={files}
                  onChange={(f) => { setFiles(f); clearError('attachments'); }}
                  error={attachError ?? errors.attachments}
                  onError={(m) => { setAttachError(m); if (!m) clearError('attachments'); }}
                  t={t}
                  lang={lang}
                />
              }
            />
            {/* Honeypot: invisible to people and skipped by keyboard and screen readers; bots fill it in. */}
            <div className="visually-hidden" aria-hidden="true">
              <label htmlFor="referral-website">{t.honeypot}</label>
              <input id="referral-website" name="website" type="text" tabIndex={-1} autoComplete="off"
                value={website} onChange={(e) => setWebsite(e.currentTarget.value)} />
            </div>
            <div aria-live="polite">{failure?.near === 'button' ? failureAlert : null}</div>
            <Button type="submit" size="lg" fullWidth loading={send.isPending} disabled={send.isPending}
              loaderProps={{ 'aria-label': t.sending } as Record<string, string>}>
              {t.submit}
            </Button>
          </Stack>
        </form>
      </Stack>
    </PublicShell>
  );
}
