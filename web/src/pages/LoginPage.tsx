import { Alert, Anchor, Box, Button, Card, Center, Divider, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client.js';
import { ApiError, errorMessage } from '../api/client.js';
import { useLogin } from '../api/hooks.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import { usePageTitle } from '../lib/usePageTitle.js';

export function LoginPage() {
  usePageTitle('Sign in');
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // Asked for once the server says the account has a second factor (a 401 naming otp).
  const [otp, setOtp] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const { formRef, errors, setErrors, clearError } = useFormErrors();
  // Single sign-on, when the server has a provider; a refused SSO sign-in comes back with its reason in the address.
  const providers = useQuery({ queryKey: ['auth', 'providers'], queryFn: ({ signal }) => api.get<{ sso: { name: string; start: string } | null }>('/auth/providers', undefined, signal), staleTime: Infinity });
  const [ssoError] = useState(() => new URLSearchParams(window.location.search).get('sso_error'));

  const submit = () => {
    const next: Record<string, string> = {};
    if (!username.trim()) next.username = 'Enter your username';
    if (!password) next.password = 'Enter your password';
    if (needsCode && !otp.trim()) next.otp = 'Enter the code from your authenticator app';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    login.mutate({ username: username.trim(), password, otp: needsCode ? otp.trim() : undefined }, {
      onError: (e) => {
        // A right password without (or with a wrong) code keeps the password and asks for the code.
        if (e instanceof ApiError && e.field === 'otp') { setNeedsCode(true); setOtp(''); return; }
        setPassword('');
      },
    });
  };

  const err = login.error;
  // The server gives one answer for a wrong password, an unknown user and a locked account (no user enumeration);
  // it says when an account locks, so a locked user knows to wait.
  const codeAsked = err instanceof ApiError && err.field === 'otp';
  const message = codeAsked
    ? (!login.variables?.otp ? 'This account uses two-step sign-in: enter the 6-digit code from your authenticator app, or a recovery code.' : 'That code is not right or was already used. Enter the current code.')
    : err instanceof ApiError && err.status === 401
      ? (err.message ? `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.` : 'Incorrect username or password.')
      : errorMessage(err);

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Box component="main" w="100%" maw={400}>
        <Stack gap="lg">
          <Stack gap={4} align="center">
            <Title order={1} size="h2" c="indigo.9">TumorBoard</Title>
            <Text c="dimmed" size="sm">Pediatric musculoskeletal tumour program</Text>
          </Stack>
          <Card shadow="sm">
            <form ref={formRef} onSubmit={onSubmit(submit)} noValidate aria-labelledby="signin-heading">
              <Stack>
                <Title order={2} size="h4" id="signin-heading">Sign in</Title>
                <div aria-live="assertive">
                  {ssoError && !err ? <Alert color="red" variant="light" role="alert" title="Single sign-on did not work">{ssoError.charAt(0).toUpperCase()}{ssoError.slice(1)}.</Alert> : null}
                  {err ? <Alert color={codeAsked && !login.variables?.otp ? 'blue' : 'red'} variant="light" role="alert">{message}</Alert> : null}
                </div>
                <TextInput
                  label="Username"
                  name="username"
                  autoComplete="username"
                  autoFocus
                  value={username}
                  onChange={(e) => { setUsername(e.currentTarget.value); clearError('username'); }}
                  error={errors.username}
                />
                <PasswordInput
                  label="Password"
                  name="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => { setPassword(e.currentTarget.value); clearError('password'); }}
                  error={errors.password}
                />
                {needsCode ? (
                  <TextInput
                    label="Authentication code"
                    description="6 digits from your authenticator app, or a recovery code"
                    name="otp"
                    autoComplete="one-time-code"
                    inputMode="text"
                    autoFocus
                    value={otp}
                    onChange={(e) => { setOtp(e.currentTarget.value); clearError('otp'); }}
                    error={errors.otp}
                  />
                ) : null}
                <Group justify="flex-end">
                  <Button type="submit" loading={login.isPending} fullWidth>Sign in</Button>
                </Group>
                {providers.data?.sso ? (
                  <>
                    <Divider label="or" labelPosition="center" />
                    <Button component="a" href={providers.data.sso.start} variant="default" fullWidth>Sign in with {providers.data.sso.name}</Button>
                  </>
                ) : null}
              </Stack>
            </form>
          </Card>
          {/* Families and outside physicians have no account: the public referral form is one link away. */}
          <Text size="sm" ta="center">
            Referring a child? <Anchor component={Link} to="/refer" fw={600}>Send a referral</Anchor>
          </Text>
          <Text size="xs" c="dimmed" ta="center">Access is logged. Use only your own account.</Text>
        </Stack>
      </Box>
    </Center>
  );
}
