import { Button, Card, FileButton, Group, Stack, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { formatBytes } from './i18n.js';
import type { Lang, Strings } from './i18n.js';

export const MAX_FILES = 10;
export const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';

/** PDF, JPEG or PNG by the file's first bytes (the name and the browser's type can lie; the server checks again). */
export async function sniffType(file: File): Promise<'pdf' | 'jpeg' | 'png' | null> {
  const b = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  if (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d) return 'pdf';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x)) return 'png';
  return null;
}

interface Props {
  files: File[];
  onChange: (files: File[]) => void;
  /** Error from the server or from the last pick. */
  error: string | undefined;
  onError: (message: string | undefined) => void;
  t: Strings;
  lang: Lang;
}

/** Files to send with the referral: name and size, a remove button each, checked before they are added. */
export function AttachmentPicker({ files, onChange, error, onError, t, lang }: Props) {
  const [checking, setChecking] = useState(false);
  const resetRef = useRef<() => void>(null);
  const A = t.attachments;

  const add = async (picked: File[]) => {
    if (picked.length === 0) return;
    setChecking(true);
    try {
      const problems: string[] = [];
      const ok: File[] = [];
      for (const f of picked) {
        if (f.size > MAX_BYTES) problems.push(A.tooBig(f.name));
        else if (!(await sniffType(f))) problems.push(A.badType(f.name));
        else if (!files.some((x) => x.name === f.name && x.size === f.size && x.lastModified === f.lastModified)) ok.push(f);
      }
      let next = [...files, ...ok];
      if (next.length > MAX_FILES) {
        problems.push(A.tooMany);
        next = next.slice(0, MAX_FILES);
      }
      onChange(next);
      onError(problems.length ? problems.join(' ') : undefined);
    } finally {
      setChecking(false);
      resetRef.current?.(); // picking the same file again after removing it must fire a change
    }
  };

  return (
    <Card component="section" aria-labelledby="sec-attachments">
      <Title order={2} size="h4" mb={4} id="sec-attachments">{t.sections.attachments}</Title>
      <Text size="sm" c="dimmed" mb="md" id="attachments-help">{A.help}</Text>
      <Stack gap="sm">
        {files.length > 0 ? (
          <ul aria-label={A.listLabel} style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="attachment-list">
            {files.map((f, i) => (
              <li key={`${f.name}:${f.size}:${f.lastModified}`} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
                <Group justify="space-between" wrap="nowrap" py={6} gap="sm">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>{f.name}</Text>
                    <Text size="xs" c="dimmed">{formatBytes(f.size, lang)}</Text>
                  </div>
                  <Button variant="subtle" color="red" size="sm" mih={44} aria-label={A.remove(f.name)}
                    onClick={() => { onChange(files.filter((_, j) => j !== i)); onError(undefined); }}>
                    {lang === 'es' ? 'Quitar' : 'Remove'}
                  </Button>
                </Group>
              </li>
            ))}
          </ul>
        ) : (
          <Text size="sm" c="dimmed">{A.none}</Text>
        )}
        <div>
          <FileButton multiple accept={ACCEPT} onChange={(picked) => void add(picked)} resetRef={resetRef}>
            {(props) => (
              <Button
                {...props}
                variant="default"
                size="md"
                loading={checking}
                disabled={files.length >= MAX_FILES}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'attachments-help attachments-error' : 'attachments-help'}
              >
                {A.add}
              </Button>
            )}
          </FileButton>
        </div>
        {error ? <Text size="sm" c="red.8" id="attachments-error" role="alert">{error}</Text> : null}
      </Stack>
    </Card>
  );
}
