import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../components/Layout.js';
import { usePageTitle } from '../lib/usePageTitle.js';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <>
      <PageHeader title="Page not found" />
      <Text>
        There is no page at this address, or it is not available to your role.{' '}
        <Anchor component={Link} to="/">Go to the start page</Anchor>.
      </Text>
    </>
  );
}
