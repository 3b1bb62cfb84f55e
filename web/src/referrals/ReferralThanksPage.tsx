import { Anchor, Button, Card, Group, List, Loader, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useMe } from '../api/hooks.js';
import { usePageTitle } from '../lib/usePageTitle.js';
import { useProgramContacts } from './api.js';
import { STRINGS, initialLang } from './i18n.js';
import type { Lang } from './i18n.js';
import { PublicShell } from './PublicShell.js';

const REFERENCE_RE = /^[A-Z]{2,5}-\d{4}-[A-Z0-9]{4,12}$/;

/** /refer/thanks?ref=REF-2026-4F7K2Q: the reference to keep and how to reach the program. */
export function ReferralThanksPage() {
  const location = useLocation();
  const [lang, setLang] = useState<Lang>(() => initialLang(location.search));
  const t = STRINGS[lang];
  usePageTitle(t.thanks.title);
  const raw = new URLSearchParams(location.search).get('ref') ?? '';
  const reference = REFERENCE_RE.test(raw) ? raw : null;
  const contacts = useProgramContacts();
  const signedInReferrer = !!useMe().data?.permissions.includes('referral.own');

  return (
    <PublicShell lang={lang} onLang={setLang} t={t}>
      <Stack gap="lg">
        <Title order={1} size="h2">{t.thanks.title}</Title>
        <Card>
          {reference ? (
            <Stack gap={4}>
              <Text size="sm" c="dimmed" id="reference-label">{t.thanks.reference}</Text>
              <Text className="tb-reference" data-testid="reference" aria-labelledby="reference-label">{reference}</Text>
              <Text size="sm" mt="xs">{t.thanks.keep}</Text>
            </Stack>
          ) : (
            <Text>{t.thanks.noReference}</Text>
          )}
          <Text mt="md">{t.thanks.next}</Text>
        </Card>
        <Card component="section" aria-labelledby="contact-heading">
          <Title order={2} size="h4" id="contact-heading" mb="sm">{t.thanks.contact}</Title>
          {contacts.isPending ? (
            <Text size="sm" c="dimmed" role="status"><Loader size={12} mr={6} aria-hidden />{t.thanks.loadingContacts}</Text>
          ) : contacts.error || !contacts.data ? (
            <Text size="sm" c="dimmed">{t.thanks.contactsError}</Text>
          ) : (
            <List listStyleType="none" spacing="xs" data-testid="program-contacts">
              {contacts.data.phones.map((p) => (
                <List.Item key={`${p.label}:${p.number}`}>
                  <Text span fw={600}>{p.label}: </Text>
                  <Anchor href={`tel:${p.number.replace(/[^\d+]/g, '')}`} size="lg">{p.number}</Anchor>
                </List.Item>
              ))}
              {contacts.data.email ? (
                <List.Item>
                  <Text span fw={600}>{t.thanks.email}: </Text>
                  <Anchor href={`mailto:${contacts.data.email}`}>{contacts.data.email}</Anchor>
                </List.Item>
              ) : null}
            </List>
          )}
        </Card>
        <Group gap="sm">
          <Button component={Link} to={`/refer?lang=${lang}`} variant="default" size="md">{t.thanks.another}</Button>
          {signedInReferrer ? <Button component={Link} to="/my-referrals" variant="default" size="md">{t.thanks.mine}</Button> : null}
        </Group>
      </Stack>
    </PublicShell>
  );
}
