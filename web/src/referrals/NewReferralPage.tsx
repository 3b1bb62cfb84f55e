import { Anchor, Button, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { fieldErrors } from '../api/client.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Crumbs, PageHeader } from '../components/Layout.js';
import { onSubmit, unplacedErrors, useFormErrors } from '../lib/forms.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { AttachmentPicker } from './AttachmentPicker.js';
import { useCreateReferral } from './api.js';
import { STRINGS } from './i18n.js';
import { FIELD_KEYS, ReferralFields, draftToStaffInput, emptyDraft, validateDraft } from './ReferralFields.js';
import type { ReferralDraft } from './ReferralFields.js';

/** /referrals/new: a coordinator enters a referral taken by phone, fax or letter. */
export function NewReferralPage() {
  usePageTitle('New referral');
  const navigate = useNavigate();
  const create = useCreateReferral();
  const [draft, setDraft] = useState<ReferralDraft>(() => emptyDraft());
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const t = STRINGS.en;
  const [files, setFiles] = useState<File[]>([]);
  const [attachError, setAttachError] = useState<string | undefined>();

  const change = (patch: Partial<ReferralDraft>, errorKey?: string) => {
    setDraft((d) => ({ ...d, ...patch }));
    if (errorKey) clearError(errorKey);
  };

  const submit = () => {
    const local = validateDraft(draft, t, 'staff');
    if (attachError) local.attachments = attachError;
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    create.mutate({ input: draftToStaffInput(draft), files }, {
      onSuccess: (saved) => navigate(`/referrals/${saved.id}`),
      onError: (err) => {
        const fields = fieldErrors(err);
        // `attachments[2]` and the like go under the file list.
        for (const k of Object.keys(fields)) if (k.startsWith('attachments.')) { fields.attachments ??= fields[k]!; delete fields[k]; }
        setErrors(fields);
      },
    });
  };

  return (
    <>
      <Crumbs>
        <Anchor component={Link} to="/referrals">Referrals</Anchor>
        <span>New referral</span>
      </Crumbs>
      <PageHeader title="New referral" subtitle="For referrals received by phone, fax or letter. Fields marked * are required." />
      <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label="New referral">
        <Stack gap="lg">
          <div aria-live="polite">
            {create.error ? (
              <ErrorAlert error={create.error} title="The referral was not saved" extra={unplacedErrors(errors, (k) => FIELD_KEYS.has(k))} />
            ) : null}
          </div>
          <ReferralFields draft={draft} onChange={change} errors={errors} t={t} mode="staff"
            attachments={
              <AttachmentPicker files={files} lang="en" t={t} error={errors.attachments ?? attachError}
                onChange={(f) => { setFiles(f); clearError('attachments'); }}
                onError={(m) => { setAttachError(m); if (!m) clearError('attachments'); }} />
            } />
          <Group justify="flex-end">
            <Button variant="default" component={Link} to="/referrals">Cancel</Button>
            <Button type="submit" loading={create.isPending}>Create referral</Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
