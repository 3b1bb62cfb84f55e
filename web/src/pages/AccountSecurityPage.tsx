import { Alert, Badge, Button, Card, Code, Group, Image, List, PasswordInput, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../api/client.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { PageHeader } from '../components/Layout.js';
import { QueryState } from '../components/QueryState.js';
import { formatDateTime } from '../lib/format.js';
import { onSubmit } from '../lib/forms.js';
import { usePageTitle } from '../lib/usePageTitle.js';

interface MfaStatus { enabled: boolean; enabledAt: string | null; pending: boolean; required: boolean; recoveryCodesLeft: number }
interface Enrolment { secret: string; uri: string; qr: string }

const STATUS_KEY = ['auth', 'mfa'] as const;

/** The codes, shown once: to print or copy, with the count and how each is used. */
function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Alert color="yellow" variant="light" title="Save your recovery codes now" data-testid="recovery-codes" role="status">
      <Text size="sm" mb="xs">
        If you lose your phone, each of these codes signs you in once instead of an authenticator code. They are shown only now:
        print them or keep them in a password manager, not on the phone.
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing={4} mb="sm">
        {codes.map((c) => <Code key={c} fz="sm" data-testid="recovery-code">{c}</Code>)}
      </SimpleGrid>
      <Group gap="sm">
        <Button size="xs" variant="default" onClick={() => void navigator.clipboard?.writeText(codes.join('\n'))}>Copy the codes</Button>
        <Button size="xs" onClick={onDone}>I have saved them</Button>
      </Group>
    </Alert>
  );
}

function fieldError(err: unknown, field: string): string | undefined {
  return err instanceof ApiError && err.field === field ? err.message.replace(/^\w+: /, '') : undefined;
}

/**
 * /account/security: two-step sign-in (issue 9 §1). Set up an authenticator app by scanning a QR code (or typing the
 * key), confirm with a first code, save the recovery codes; later replace the codes or turn it off with the password.
 * A user whose role requires it lands here after signing in and can do nothing else until it is set up.
 */
export function AccountSecurityPage({ forced = false }: { forced?: boolean }) {
  usePageTitle('Two-step sign-in');
  const qc = useQueryClient();
  const status = useQuery({ queryKey: STATUS_KEY, queryFn: ({ signal }) => api.get<MfaStatus>('/auth/mfa', undefined, signal) });
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: STATUS_KEY }), qc.invalidateQueries({ queryKey: ['me'] })]);

  const begin = useMutation({ mutationFn: () => api.post<Enrolment>('/auth/mfa/enrolment'), onSuccess: (e) => { setEnrolment(e); setCode(''); } });
  const confirm = useMutation({
    mutationFn: () => api.post<{ recoveryCodes: string[] }>('/auth/mfa/confirm', { code }),
    onSuccess: (r) => { setCodes(r.recoveryCodes); setEnrolment(null); void qc.invalidateQueries({ queryKey: STATUS_KEY }); },
  });
  const regenerate = useMutation({
    mutationFn: () => api.post<{ recoveryCodes: string[] }>('/auth/mfa/recovery-codes', { password }),
    onSuccess: (r) => { setCodes(r.recoveryCodes); setPassword(''); void refresh(); },
  });
  const disable = useMutation({ mutationFn: () => api.post('/auth/mfa/disable', { password }), onSuccess: () => { setPassword(''); void refresh(); } });

  return (
    <>
      <PageHeader title="Two-step sign-in" subtitle="A code from an authenticator app on your phone, in addition to your password" />
      {forced ? (
        <Alert color="blue" variant="light" mb="lg" title="Set up two-step sign-in to continue" data-testid="mfa-required">
          <Text size="sm">Your role works with children's records, so the program requires a second step at sign-in. It takes a minute: scan the code below with an authenticator app (for example Google Authenticator, Microsoft Authenticator or 1Password) and type the 6-digit code it shows.</Text>
        </Alert>
      ) : null}
      <QueryState isPending={status.isPending} error={status.error} label="sign-in settings">
        {status.data ? (
          <Card maw={720} data-testid="mfa-card">
            <Group justify="space-between" mb="sm">
              <Title order={2} size="h4">Authenticator app</Title>
              {status.data.enabled
                ? <Badge color="teal" variant="light" data-testid="mfa-status">On since {formatDateTime(status.data.enabledAt ?? '')}</Badge>
                : <Badge color="gray" variant="light" data-testid="mfa-status">Off</Badge>}
            </Group>
            {codes ? <RecoveryCodes codes={codes} onDone={() => { setCodes(null); void refresh(); }} /> : null}
            {!status.data.enabled && !enrolment && !codes ? (
              <Stack gap="sm" align="flex-start">
                <Text size="sm">With two-step sign-in, a stolen or guessed password is not enough to open the record.</Text>
                <Button onClick={() => begin.mutate()} loading={begin.isPending}>Set up two-step sign-in</Button>
                {begin.error ? <ErrorAlert error={begin.error} title="Could not start" /> : null}
              </Stack>
            ) : null}
            {enrolment ? (
              <form onSubmit={onSubmit(() => confirm.mutate())} aria-label="Confirm two-step sign-in" noValidate>
                <Group align="flex-start" gap="lg" wrap="wrap">
                  <Image src={enrolment.qr} alt="QR code to scan with your authenticator app" w={200} h={200} data-testid="mfa-qr" />
                  <Stack gap="xs" maw={380}>
                    <List type="ordered" size="sm" spacing={4}>
                      <List.Item>Open your authenticator app and add an account.</List.Item>
                      <List.Item>Scan the QR code, or type this key: <Code data-testid="mfa-secret" style={{ wordBreak: 'break-all' }}>{enrolment.secret}</Code></List.Item>
                      <List.Item>Type the 6-digit code the app shows.</List.Item>
                    </List>
                    <TextInput label="Code from the app" autoComplete="one-time-code" inputMode="numeric" maxLength={7} w={160}
                      value={code} onChange={(e) => setCode(e.currentTarget.value)} error={fieldError(confirm.error, 'code')} />
                    {confirm.error && !fieldError(confirm.error, 'code') ? <ErrorAlert error={confirm.error} title="Not set up" /> : null}
                    <Group gap="sm">
                      <Button type="submit" loading={confirm.isPending} disabled={!code.trim()}>Turn on</Button>
                    </Group>
                  </Stack>
                </Group>
              </form>
            ) : null}
            {status.data.enabled && !codes ? (
              <Stack gap="sm">
                <Text size="sm" data-testid="recovery-left">Recovery codes left: {status.data.recoveryCodesLeft} of 10.{status.data.recoveryCodesLeft <= 3 ? ' Make new ones soon.' : ''}</Text>
                <form onSubmit={onSubmit(() => regenerate.mutate())} noValidate aria-label="Recovery codes and turning off">
                  <Stack gap="xs" maw={360}>
                    <PasswordInput label="Your password" description="Needed to make new recovery codes or turn two-step sign-in off" autoComplete="current-password"
                      value={password} onChange={(e) => setPassword(e.currentTarget.value)}
                      error={fieldError(regenerate.error, 'password') ?? fieldError(disable.error, 'password')} />
                    <Group gap="sm">
                      <Button type="submit" variant="default" loading={regenerate.isPending} disabled={!password}>Make new recovery codes</Button>
                      {status.data.required ? null : (
                        <Button color="red" variant="subtle" loading={disable.isPending} disabled={!password} onClick={() => disable.mutate()}>Turn off</Button>
                      )}
                    </Group>
                    {status.data.required ? <Text size="xs" c="dimmed">Your role requires two-step sign-in. If you lose your phone and your recovery codes, an administrator can reset it.</Text> : null}
                  </Stack>
                </form>
              </Stack>
            ) : null}
          </Card>
        ) : null}
      </QueryState>
    </>
  );
}
