import { Button, Card, Group, NativeSelect, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../api/client.js';
import { useMe } from '../api/hooks.js';
import { DateField } from '../components/DateField.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatDate, formatDateTime } from '../lib/format.js';
import { isValidDate, onSubmit, useFormErrors } from '../lib/forms.js';
import { GrantStatusBadge } from './GrantStatusBadge.js';
import { useAddComment, useCaseShares, useInstitutions, useRevokeShare, useSecondOpinion, useShareCase, type Comment, type Share } from './api.js';

function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const i of err.issues) out[i.field === 'institutionId' || i.field === 'institutionCode' || i.field === 'institution' ? 'institution' : i.field] ??= i.message;
  if (err.field && !err.issues.length) out[err.field === 'institutionId' ? 'institution' : err.field] = err.message;
  return out;
}

/** One message of a thread: who wrote it, from which side, and when. */
function Message({ c }: { c: Comment }) {
  return (
    <Text size="sm" role="listitem" mb={4}>
      <Text span fw={600}>{c.author}</Text>{' '}
      <Text span size="xs" c="gray.7">({c.institution}{c.from === 'owner' ? ', reply' : ''}, {formatDateTime(c.createdAt)})</Text>: {c.body}
    </Text>
  );
}

/** A share's thread, oldest first. */
function Thread({ comments, empty, label }: { comments: Comment[]; empty: string; label: string }) {
  if (comments.length === 0) return <Text size="sm" c="gray.7">{empty}</Text>;
  return <div role="list" aria-label={label}>{comments.map((c) => <Message key={c.id} c={c} />)}</div>;
}

/** The owner's reply on one active share's thread: the share's reviewers read it on their case page. */
function ReplyForm({ caseId, share }: { caseId: string; share: Share }) {
  const add = useAddComment(caseId);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [body, setBody] = useState('');
  const submit = () => {
    if (!body.trim()) { setErrors({ body: 'Write your reply first' }); return; }
    add.mutate({ body: body.trim(), shareId: share.id }, { onSuccess: () => setBody(''), onError: (err) => setErrors(fieldErrors(err)) });
  };
  return (
    <form ref={formRef} onSubmit={onSubmit(submit)} aria-label={`Reply to ${share.institution.name}`} noValidate>
      <Stack gap="xs" mt="xs">
        <Textarea label={`Reply to ${share.institution.name}`} autosize minRows={2} maxLength={5000} value={body} error={errors.body ?? errors.shareId}
          description="Their reviewers read it while the share is active"
          onChange={(ev) => { setBody(ev.currentTarget.value); clearError('body'); clearError('shareId'); }} />
        {add.error && !errors.body && !errors.shareId ? <ErrorAlert error={add.error} title="Not sent" /> : null}
        <Group><Button type="submit" size="xs" loading={add.isPending}>Send reply</Button></Group>
      </Stack>
    </form>
  );
}

/**
 * The owner's "Second opinion" panel on the case page: share the case with another institution, see and end shares,
 * read each share's thread and, as a clinician, reply on an active one.
 */
export function SecondOpinionPanel({ caseId, canReply }: { caseId: string; canReply: boolean }) {
  const me = useMe().data;
  const institutions = useInstitutions();
  const shares = useCaseShares(caseId, true);
  const share = useShareCase(caseId);
  const revoke = useRevokeShare(caseId);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [institutionId, setInstitutionId] = useState('');
  const [until, setUntil] = useState('');
  const [purpose, setPurpose] = useState('');
  const others = (institutions.data?.items ?? []).filter((i) => i.id !== me?.institution.id);

  const submit = () => {
    const e: Record<string, string> = {};
    if (!institutionId) e.institution = 'Choose the institution to share with';
    if (!purpose.trim()) e.purpose = 'Say what the second opinion is for';
    if (until && !isValidDate(until)) e.until = 'Enter a date like 2026-12-10';
    setErrors(e);
    if (Object.keys(e).length) return;
    share.mutate({ institutionId, purpose: purpose.trim(), ...(until ? { until } : {}) }, {
      onSuccess: () => { setPurpose(''); setUntil(''); setInstitutionId(''); },
      onError: (err) => setErrors(fieldErrors(err)),
    });
  };

  const items = shares.data?.items ?? [];
  return (
    <Card component="section" aria-labelledby="second-opinion-heading">
      <Title order={2} size="h4" id="second-opinion-heading" mb="md">Second opinion</Title>
      <form ref={formRef} onSubmit={onSubmit(submit)} aria-label="Share for second opinion" noValidate>
        <Stack gap="sm">
          <Group grow align="flex-start">
            <NativeSelect label="Share with institution" withAsterisk value={institutionId} error={errors.institution}
              onChange={(ev) => { setInstitutionId(ev.currentTarget.value); clearError('institution'); }}
              data={[{ value: '', label: 'Choose…' }, ...others.map((i) => ({ value: i.id, label: i.name }))]} />
            <DateField label="Shared until" description="Default 14 days, at most 30" value={until} error={errors.until}
              onChange={(ev) => { setUntil(ev.currentTarget.value); clearError('until'); }} />
          </Group>
          <Textarea label="Purpose" withAsterisk autosize minRows={2} maxLength={500} value={purpose} error={errors.purpose}
            description="What the reviewers are asked (at most 500 characters)"
            onChange={(ev) => { setPurpose(ev.currentTarget.value); clearError('purpose'); }} />
          {share.error && Object.keys(fieldErrors(share.error)).length === 0 ? <ErrorAlert error={share.error} title="Not shared" /> : null}
          <Group><Button type="submit" loading={share.isPending}>Share case</Button></Group>
        </Stack>
      </form>
      <Title order={3} size="h5" mt="lg" mb="xs">Shares</Title>
      <ErrorAlert error={shares.error ?? revoke.error} />
      {items.length === 0 ? <Text size="sm" c="gray.7">This case has not been shared.</Text> : (
        <Table.ScrollContainer minWidth={860}>
          <Table aria-label="Shares of this case">
            <Table.Thead>
              <Table.Tr><Table.Th>Institution</Table.Th><Table.Th>Purpose</Table.Th><Table.Th>Until</Table.Th><Table.Th>Status</Table.Th><Table.Th>Discussion</Table.Th><Table.Th><span className="visually-hidden">Actions</span></Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.institution.name}<Text size="xs" c="gray.7">by {s.createdBy}</Text></Table.Td>
                  <Table.Td maw={280}>{s.purpose}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(s.until)}</Table.Td>
                  <Table.Td miw={96}><GrantStatusBadge status={s.status} /></Table.Td>
                  <Table.Td miw={260}>
                    <Thread comments={s.comments} empty="No comments yet" label={`Discussion with ${s.institution.name}`} />
                    {canReply && s.status === 'active' ? <ReplyForm caseId={caseId} share={s} /> : null}
                  </Table.Td>
                  <Table.Td>
                    {s.status === 'active' ? (
                      <Button size="xs" variant="default" color="red" loading={revoke.isPending && revoke.variables === s.id}
                        aria-label={`Revoke share with ${s.institution.name}`} onClick={() => revoke.mutate(s.id)}>Revoke</Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

/** The reviewer's side on a case shared with their institution: their institution's thread (with the owner's replies) and a form to add to it. */
export function ReviewerCommentPanel({ caseId, canComment }: { caseId: string; canComment: boolean }) {
  const comments = useSecondOpinion(caseId, true);
  const add = useAddComment(caseId);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [body, setBody] = useState('');
  const submit = () => {
    if (!body.trim()) { setErrors({ body: 'Write your second opinion first' }); return; }
    add.mutate({ body: body.trim() }, { onSuccess: () => setBody(''), onError: (err) => setErrors(fieldErrors(err)) });
  };
  const items = comments.data?.items ?? [];
  return (
    <Card component="section" aria-labelledby="reviewer-heading">
      <Title order={2} size="h4" id="reviewer-heading" mb="md">Second opinion</Title>
      <ErrorAlert error={comments.error} />
      <Stack gap="xs" mb="md">
        <Thread comments={items} empty="No comments yet from your institution or the owner." label="Comments" />
      </Stack>
      {canComment ? (
        <form ref={formRef} onSubmit={onSubmit(submit)} aria-label="Add a second-opinion comment" noValidate>
          <Stack gap="sm">
            <Textarea label="Your second opinion" withAsterisk autosize minRows={3} maxLength={5000} value={body} error={errors.body}
              onChange={(ev) => { setBody(ev.currentTarget.value); clearError('body'); }} />
            {add.error && !errors.body ? <ErrorAlert error={add.error} title="Not sent" /> : null}
            <Group><Button type="submit" loading={add.isPending}>Add comment</Button></Group>
          </Stack>
        </form>
      ) : null}
    </Card>
  );
}
