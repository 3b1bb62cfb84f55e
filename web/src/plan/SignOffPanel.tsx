import { Alert, Button, Card, Code, Group, List, Modal, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, fieldErrors } from '../api/client.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatDateTime, humanize } from '../lib/format.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import { SIGNING_DISCIPLINES, planKey, useSignPlan } from './api.js';
import type { FieldMessage, PlanAccess, PlanView, Signature } from './api.js';
import { RuleIds, disciplineLabel } from './labels.js';

/** An open item in words: a checklist question by its flag, anything else as the server says it. */
function openItemText(o: FieldMessage): string {
  const m = /^checklist\[(\d+)\]\.answer$/.exec(o.field);
  if (m) return `Checklist not answered: ${humanize(o.message.replace(/: not answered$/, ''))}`;
  return o.message;
}

type GroupState = 'signed' | 'stale' | 'missing';

function groupState(d: string, sigs: readonly Signature[]): { state: GroupState; current?: Signature; latest?: Signature } {
  const mine = sigs.filter((s) => s.discipline === d).sort((a, b) => b.version - a.version);
  const current = mine.find((s) => s.current);
  if (current) return { state: 'signed', current };
  return mine[0] ? { state: 'stale', latest: mine[0] } : { state: 'missing' };
}

function SignatureLine({ s }: { s: Signature }) {
  return <>{s.userName ?? 'Unknown signer'} · {formatDateTime(s.signedAt)}</>;
}

/** The password dialog: signing is bound to one version and needs the signer to re-authenticate. */
function SignDialog({ plan, opened, onClose, onSigned }: { plan: PlanView; opened: boolean; onClose: () => void; onSigned: (p: PlanView) => void }) {
  const qc = useQueryClient();
  const sign = useSignPlan(plan.caseId);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  const [password, setPassword] = useState('');
  const close = () => { setPassword(''); setErrors({}); sign.reset(); onClose(); };
  const submit = () => {
    if (!password) { setErrors({ password: 'Enter your password to sign' }); return; }
    sign.mutate({ version: plan.version, password }, {
      onSuccess: (saved) => { setPassword(''); onSigned(saved); close(); },
      onError: (err) => {
        setErrors(fieldErrors(err));
        // A newer version exists: show it behind the dialog so the person reviews it before signing.
        if (err instanceof ApiError && err.field === 'version') void qc.invalidateQueries({ queryKey: planKey(plan.caseId) });
      },
    });
  };
  const versionError = errors.version;
  const otherError = sign.error && !errors.password && !versionError ? sign.error : null;
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={700}>Sign version {plan.version}</Text>} centered size="md">
      <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-label={`Sign version ${plan.version}`}>
        <Stack gap="sm">
          <Text size="sm">
            Your signature is bound to version {plan.version} exactly (content <Code fz="xs">{plan.contentHash.slice(0, 12)}</Code>):
            any later edit makes a new version that needs signing again. Enter your password to confirm it is you.
          </Text>
          <div aria-live="polite">
            {versionError ? (
              <Alert color="yellow" role="alert" title="This version was superseded">
                <Text size="sm">{versionError}</Text>
                <Text size="sm" mt={4}>The page now shows the latest version: close this dialog and review it before signing.</Text>
              </Alert>
            ) : otherError ? <ErrorAlert error={otherError} title="Not signed" /> : null}
          </div>
          <PasswordInput label="Your password" withAsterisk autoComplete="current-password" value={password} error={errors.password} data-autofocus
            aria-invalid={errors.password ? true : undefined}
            onChange={(e) => { setPassword(e.currentTarget.value); clearError('password'); }} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={sign.isPending} disabled={!!versionError}>Sign version {plan.version}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/**
 * Sign-off: the groups whose signatures make the plan agreed (the case's conference groups, R-CONF), who signed which
 * version, which signatures a later version made stale, and what must be settled before anyone can sign.
 */
export function SignOffPanel({ plan, access, dirty }: { plan: PlanView; access: PlanAccess; dirty: boolean }) {
  const [opened, setOpened] = useState(false);
  const [status, setStatus] = useState('');
  const { required, signatures, agreed, missing } = plan.signoff;
  const others = signatures.filter((s) => !(required ?? []).includes(s.discipline));
  const mine = access.discipline;
  const canSignAsGroup = access.sign && !!mine && SIGNING_DISCIPLINES.includes(mine);
  const signedByMe = signatures.some((s) => s.discipline === mine && s.current);
  const closed = plan.status === 'completed' || plan.status === 'stopped';
  const blockers = plan.openItems;
  return (
    <Card component="section" aria-labelledby="signoff-heading" data-testid="signoff">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4" id="signoff-heading">Sign-off</Title>
        <RuleIds rules={plan.signoff.requiredRules} label="Required groups from" />
      </Group>
      <div aria-live="polite">
        {agreed ? (
          <Alert color="teal" variant="light" p="xs" data-testid="signoff-state" data-agreed="true" icon={<span aria-hidden="true">✓</span>}>
            <Text size="sm" fw={700}>Agreed: every required group signed version {plan.version}.</Text>
          </Alert>
        ) : (
          <Alert color={required === null ? 'orange' : 'gray'} variant="light" p="xs" data-testid="signoff-state" data-agreed="false">
            <Text size="sm" fw={600}>
              {required === null
                ? 'Unknown which groups must sign: the case has no assessment.'
                : `Not agreed: ${missing.length} of ${required.length} required groups have not signed version ${plan.version}.`}
            </Text>
          </Alert>
        )}
      </div>
      {required !== null ? (
        <Stack gap={4} component="ul" aria-label="Required groups" className="tb-plain-list tb-signoff-list" mt="sm">
          {required.map((d) => {
            const g = groupState(d, signatures);
            return (
              <li key={d} data-testid="signoff-group" data-discipline={d} data-state={g.state}>
                <Group gap={6} wrap="nowrap" align="flex-start">
                  <Text span aria-hidden="true" fw={700} c={g.state === 'signed' ? 'teal.8' : g.state === 'stale' ? 'orange.8' : 'gray.6'} w={16}>
                    {g.state === 'signed' ? '✓' : g.state === 'stale' ? '!' : '○'}
                  </Text>
                  <div>
                    <Text size="sm" fw={600}>{disciplineLabel(d)}</Text>
                    <Text size="xs" c={g.state === 'signed' ? 'teal.9' : g.state === 'stale' ? 'orange.9' : 'gray.7'}>
                      {g.state === 'signed' && g.current ? <>Signed version {g.current.version}: <SignatureLine s={g.current} /></>
                        : g.state === 'stale' && g.latest ? <>Not signed: the signature on version {g.latest.version} (<SignatureLine s={g.latest} />) is stale</>
                          : 'Not signed'}
                    </Text>
                  </div>
                </Group>
              </li>
            );
          })}
        </Stack>
      ) : null}
      {others.length > 0 ? (
        <>
          <Text size="xs" fw={700} mt="sm" c="gray.7">Other signatures</Text>
          <List size="xs" spacing={2}>
            {others.map((s) => (
              <List.Item key={`${s.discipline}-${s.version}`}>
                {disciplineLabel(s.discipline)}: version {s.version}{s.current ? '' : ' (stale)'} · <SignatureLine s={s} />
              </List.Item>
            ))}
          </List>
        </>
      ) : null}
      {blockers.length > 0 && !closed ? (
        <div data-testid="open-items">
          <Text size="sm" fw={700} mt="md" c="orange.9">Before anyone can sign ({blockers.length})</Text>
          <List size="xs" spacing={2} mt={4}>
            {blockers.map((o) => <List.Item key={o.field}>{openItemText(o)}</List.Item>)}
          </List>
        </div>
      ) : null}
      <Stack gap={6} mt="md">
        <Text size="sm" c="teal.9" fw={600} role="status" data-testid="sign-status">{status}</Text>
        {closed ? null : !access.sign ? null : !canSignAsGroup ? (
          <Text size="xs" c="dimmed">Only a clinician of one of the nine conference groups can sign a plan.</Text>
        ) : signedByMe ? (
          <Text size="sm" c="teal.9">Your group ({disciplineLabel(mine)}) has signed version {plan.version}.</Text>
        ) : (
          <>
            <Button onClick={() => setOpened(true)} disabled={dirty || blockers.length > 0}>Sign version {plan.version}</Button>
            <Text size="xs" c="dimmed">
              {dirty ? `Save or discard your edits first: you sign the saved version ${plan.version}.`
                : blockers.length > 0 ? 'Settle the open items above first.'
                  : `You sign as ${disciplineLabel(mine)}.`}
            </Text>
          </>
        )}
      </Stack>
      <SignDialog plan={plan} opened={opened} onClose={() => setOpened(false)}
        onSigned={(p) => setStatus(`Signed version ${p.version} as ${disciplineLabel(mine)}.${p.signoff.agreed ? ' The plan is agreed.' : ''}`)} />
    </Card>
  );
}
