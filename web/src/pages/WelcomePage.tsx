import { Card, Text } from '@mantine/core';
import { PageHeader } from '../components/Layout.js';
import { usePageTitle } from '../lib/usePageTitle.js';

/** For roles whose modules (e.g. Referrals for referring physicians) are not built yet. */
export function WelcomePage() {
  usePageTitle('Welcome');
  return (
    <>
      <PageHeader title="Welcome to TumorBoard" />
      <Card>
        <Text>
          The modules for your role are planned and not available yet. They are listed in the navigation as
          “planned”. Contact the tumour conference coordinator for anything you need in the meantime.
        </Text>
      </Card>
    </>
  );
}
