import { Anchor, Box, Button, Group, Text } from '@mantine/core';
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useMe } from '../api/hooks.js';
import { LANGS } from './i18n.js';
import type { Lang, Strings } from './i18n.js';
import './referrals.css';

function Logo() {
  return (
    <svg width="32" height="32" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="var(--mantine-color-indigo-7)" />
      <path d="M9 9h14v3h-5.5v12h-3V12H9z" fill="white" />
    </svg>
  );
}

/** The page's language on <html lang> while a public page is shown, so screen readers pronounce it right. */
export function useDocumentLang(lang: Lang) {
  useEffect(() => {
    const el = document.documentElement;
    const before = el.lang;
    el.lang = lang;
    return () => { el.lang = before; };
  }, [lang]);
}

/** The frame of the public referral pages: no login, no navigation, a language switch, one column on phones. */
export function PublicShell({ lang, onLang, t, children }: { lang: Lang; onLang: (l: Lang) => void; t: Strings; children: ReactNode }) {
  useDocumentLang(lang);
  // A signed-in referring physician can go back to their list; families never see this.
  const referrer = !!useMe().data?.permissions.includes('referral.own');
  return (
    <Box className="tb-public" bg="gray.0" mih="100vh">
      <a href="#main" className="skip-link">{lang === 'es' ? 'Ir al contenido' : 'Skip to main content'}</a>
      <Box component="header" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Group className="tb-public-bar" justify="space-between" wrap="wrap" gap="xs" px="md" py="xs">
          <Group gap={10} wrap="nowrap">
            <Logo />
            <div>
              <Text fw={700} c="indigo.9" lh={1.2}>TumorBoard</Text>
              <Text size="xs" c="dimmed" lh={1.2}>{t.program}</Text>
            </div>
          </Group>
          {referrer ? <Anchor component={Link} to="/my-referrals" size="sm">{t.thanks.mine}</Anchor> : null}
          <Group gap={4} role="group" aria-label="Language / Idioma" wrap="nowrap">
            {LANGS.map((l) => (
              <Button
                key={l.value}
                lang={l.value}
                size="sm"
                mih={44}
                variant={lang === l.value ? 'filled' : 'default'}
                aria-pressed={lang === l.value}
                onClick={() => onLang(l.value)}
              >
                {l.label}
              </Button>
            ))}
          </Group>
        </Group>
      </Box>
      <Box component="main" id="main" tabIndex={-1} className="tb-public-main" px="md" py="lg">
        {children}
      </Box>
    </Box>
  );
}
