import { Alert, Box, Button, Card, Center, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { ApiError, errorMessage } from '../api/client.js';
import { useLogin } from '../api/hooks.js';
import { onSubmit, useFormErrors } from '../lib/forms.js';
import { usePageTitle } from '../lib/usePageTitle.js';

export function LoginPage() {
  usePageTitle('Sign in');
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { formRef, errors, setErrors, clearError } = useFormErrors();

  const submit = () => {
    const next: Record<string, string> = {};
    if (!username.trim()) next.username = 'Enter your username';
    if (!password) next.password = 'Enter your password';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    login.mutate({ username: username.trim(), password }, {
      onError: () => setPassword(''),
    });
  };

  const err = login.error;
  const message = err instanceof ApiError && err.status === 401 ? 'Incorrect username or password.' : errorMessage(err);

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
                  {err ? <Alert color="red" variant="light" role="alert">{message}</Alert> : null}
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
                <Group justify="flex-end">
                  <Button type="submit" loading={login.isPending} fullWidth>Sign in</Button>
                </Group>
              </Stack>
            </form>
          </Card>
          <Text size="xs" c="dimmed" ta="center">Access is logged. Use only your own account.</Text>
        </Stack>
      </Box>
    </Center>
  );
}
