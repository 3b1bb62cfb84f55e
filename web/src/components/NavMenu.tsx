import { Badge, NavLink, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { accessFor } from '../lib/access.js';

interface Item {
  to: string;
  label: string;
}


function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <div role="group" aria-labelledby={id}>
      <Text id={id} size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4} style={{ letterSpacing: 0.6 }}>
        {title}
      </Text>
      {children}
    </div>
  );
}

export function NavMenu({ permissions, onNavigate }: { permissions: readonly string[]; onNavigate: () => void }) {
  const { pathname } = useLocation();
  const access = accessFor(permissions);
  const link = ({ to, label }: Item) => {
    const active = pathname === to || pathname.startsWith(`${to}/`);
    return (
      <NavLink
        key={to}
        component={Link}
        to={to}
        label={label}
        active={active}
        aria-current={active ? 'page' : undefined}
        onClick={onNavigate}
        variant="light"
        className="tb-nav-link"
        style={{ borderRadius: 6 }}
      />
    );
  };
  // Tight enough that the longest menu (admin) fits a 900px-high screen; on a phone the links stay taller for touch
  // (styles.css) and the drawer scrolls.
  return (
    <Stack gap="sm">
      {access.registry ? (
        <Section id="nav-registry" title="Registry">
          {link({ to: '/patients', label: 'Patients' })}
          {link({ to: '/cases', label: 'Cases' })}
          {access.share ? link({ to: '/second-opinions', label: 'Second opinions' }) : null}
          {link({ to: '/shared', label: 'Shared with us' })}
          {access.breakGlass ? link({ to: '/break-glass', label: 'Emergency access' }) : null}
          {access.write && access.referralWrite ? link({ to: '/fhir/import', label: 'Import FHIR' }) : null}
          {access.fhirBulk ? link({ to: '/fhir/export', label: 'Export FHIR (bulk)' }) : null}
        </Section>
      ) : null}
      {access.conference ? (
        <Section id="nav-conference" title="Meetings">
          {link({ to: '/conferences', label: 'Conference' })}
        </Section>
      ) : null}
      {access.referrals || access.travel || access.ownReferrals ? (
        <Section id="nav-referrals" title="Referrals">
          {access.referrals ? link({ to: '/referrals', label: 'Referrals' }) : null}
          {access.travel ? link({ to: '/travel', label: 'Travel' }) : null}
          {access.ownReferrals ? link({ to: '/my-referrals', label: 'My referrals' }) : null}
        </Section>
      ) : null}
      {access.trials || access.research ? (
        <Section id="nav-research" title="Research">
          {access.trials ? link({ to: '/trials', label: 'Trials' }) : null}
          {access.research ? link({ to: '/research', label: 'Research cohort' }) : null}
        </Section>
      ) : null}
      {access.analytics ? (
        <Section id="nav-analytics" title="Program">
          {link({ to: '/analytics', label: 'Analytics' })}
        </Section>
      ) : null}
      {access.assess ? (
        <Section id="nav-clinical" title="Clinical tools">
          {link({ to: '/assessment', label: 'Assessment' })}
        </Section>
      ) : null}
      {access.admin ? (
        <Section id="nav-admin" title="Admin">
          {link({ to: '/admin/users', label: 'Users' })}
          {link({ to: '/admin/audit', label: 'Audit log' })}
          {access.breakGlassReview ? link({ to: '/admin/break-glass', label: 'Emergency access review' }) : null}
        </Section>
      ) : null}
    </Stack>
  );
}
