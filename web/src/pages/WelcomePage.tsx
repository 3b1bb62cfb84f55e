import { Card, Text } from '@mantine/core';
import { PageHeader } from '../components/Layout.js';
import { usePageTitle } from '../lib/usePageTitle.js';

/** For an account whose role grants no module (every built-in role has a home page of its own). */
export function WelcomePage() {
  usePageTitle('Welcome');
  return (
    <>
      <PageHeader title="Welcome to TumorBoard" />
      <Card>
        <Text>
          Your account has no modules assigned yet. Ask a TumorBoard administrator to grant the access your role
          needs, or contact the tumour conference coordinator.
        </Text>
      </Card>
    </>
  );
}
