import { Anchor, AppShell, Badge, Breadcrumbs, Burger, Button, Group, Menu, ScrollArea, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useLogout } from '../api/hooks.js';
import type { User } from '../api/types.js';
import { humanize } from '../lib/format.js';
import { ErrorAlert } from './ErrorAlert.js';
import { NavMenu } from './NavMenu.js';

function Logo() {
  return (
    <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="var(--mantine-color-indigo-7)" />
      <path d="M9 9h14v3h-5.5v12h-3V12H9z" fill="white" />
    </svg>
  );
}

function PersonIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="5" r="3" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M2.5 14.5c.6-3 2.8-4.5 5.5-4.5s4.9 1.5 5.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

export function Layout({ user, children }: { user: User; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const burgerRef = useRef<HTMLButtonElement>(null);
  // Below the `sm` breakpoint the navigation is a drawer over the page.
  const phone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  const drawerOpen = opened && phone;
  // An open drawer closes on Escape and gives the focus back to the button that opened it.
  useEffect(() => {
    if (!drawerOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      // Escape in an open menu or dialog closes that, not the drawer.
      if (e.target instanceof Element && e.target.closest('[role="menu"], [role="dialog"]')) return;
      close();
      burgerRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [drawerOpen, close]);
  // Back on a wide screen the navbar is always shown: forget the drawer.
  useEffect(() => { if (!phone) close(); }, [phone, close]);
  const logout = useLogout();
  const logoutEverywhere = useLogout(true);
  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <Anchor href="#main" className="skip-link">Skip to main content</Anchor>
      <AppShell.Header withBorder>
        <Group h="100%" px={{ base: 'sm', sm: 'md' }} justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger ref={burgerRef} opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'}
              aria-expanded={opened} aria-controls="main-navigation" />
            <Anchor component={Link} to="/" underline="never" c="inherit" aria-label="TumorBoard home">
              <Group gap={8} wrap="nowrap">
                <Logo />
                <Text fw={700} size="lg" c="indigo.9">TumorBoard</Text>
              </Group>
            </Anchor>
            <Text size="sm" c="dimmed" visibleFrom="md" style={{ borderLeft: '1px solid var(--mantine-color-gray-3)', paddingLeft: 12 }}>
              {user.institution.name}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <Stack gap={0} align="flex-end" visibleFrom="xs">
              <Text size="sm" fw={600} data-testid="current-user">{user.displayName}</Text>
              <Group gap={4}>
                <Badge size="xs" variant="light" c="indigo.9" tt="none" data-testid="current-role">
                  <VisuallyHidden>Role: </VisuallyHidden>{humanize(user.role)}
                </Badge>
                {user.discipline ? <Text size="xs" c="dimmed">{humanize(user.discipline)}</Text> : null}
              </Group>
            </Stack>
            <Group gap={4} wrap="nowrap">
              <Button variant="default" size="sm" onClick={() => logout.mutate()} loading={logout.isPending}>
                Log out
              </Button>
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  {/* On a phone only the icon shows (the header has no room for words); the button's name stays "Account". */}
                  <Button variant="default" size="sm" px={phone ? 10 : 'sm'} loading={logoutEverywhere.isPending} aria-label="Account"
                    leftSection={phone ? undefined : <PersonIcon />} rightSection={phone ? undefined : <span aria-hidden="true">▾</span>}
                    styles={{ section: { marginInline: 4 } }}>
                    {phone ? <PersonIcon /> : 'Account'}
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>Account security</Menu.Label>
                  <Menu.Item component={Link} to="/account/security">Two-step sign-in</Menu.Item>
                  <Menu.Divider />
                  <Menu.Label>Lost a device or used a shared computer?</Menu.Label>
                  <Menu.Item onClick={() => logoutEverywhere.mutate()}>Sign out on all devices</Menu.Item>
                </Menu.Dropdown>
              </Menu>
            </Group>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main navigation" id="main-navigation">
        <AppShell.Section grow component={ScrollArea} type="auto" mih={0}>
          <NavMenu permissions={user.permissions} onNavigate={close} />
        </AppShell.Section>
        <AppShell.Section hiddenFrom="md" pt="sm" px="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
          <Text size="sm" fw={600} hiddenFrom="xs">{user.displayName}</Text>
          <Text size="xs" c="dimmed" hiddenFrom="xs">{humanize(user.role)}{user.discipline ? ` · ${humanize(user.discipline)}` : ''}</Text>
          <Text size="xs" c="dimmed">{user.institution.name}</Text>
        </AppShell.Section>
      </AppShell.Navbar>
      {/* While the drawer covers the page, the page behind it is out of reach (Tab stays in the header and drawer). */}
      <AppShell.Main id="main" tabIndex={-1} bg="gray.0" inert={drawerOpen}>
        <div aria-live="polite">
          {logout.error ? <ErrorAlert error={logout.error} title="Could not log out" /> : null}
          {logoutEverywhere.error ? <ErrorAlert error={logoutEverywhere.error} title="Could not sign out on all devices" /> : null}
        </div>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}

/** Page heading row: the h1 and the page's primary actions. */
export function PageHeader({ title, children, subtitle }: { title: ReactNode; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" mb="lg" wrap="wrap">
      <div>
        <Title order={1} size="h2" fw={650}>{title}</Title>
        {subtitle ? <Text c="dimmed" size="sm" mt={4} component="div">{subtitle}</Text> : null}
      </div>
      {children ? <Group gap="sm">{children}</Group> : null}
    </Group>
  );
}

/** Breadcrumb trail inside a labelled nav landmark. */
export function Crumbs({ children }: { children: ReactNode }) {
  return (
    <nav aria-label="Breadcrumb">
      <Breadcrumbs mb="xs">{children}</Breadcrumbs>
    </nav>
  );
}
