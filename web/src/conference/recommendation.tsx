import { Stack, Text } from '@mantine/core';
import type { Discipline, Recommendation } from './api.js';
import { disciplineLabel } from './labels.js';

/** The editable form of a recommendation: every text present ('' when empty). */
export interface Draft {
  diagnosisConfirmed: string;
  stageConfirmed: string;
  planOfCare: string;
  trialToOffer: string;
  furtherWorkup: string;
  dissent: { discipline: Discipline | ''; note: string }[];
}

export const TEXT_FIELDS = [
  { key: 'diagnosisConfirmed', label: 'Diagnosis confirmed', max: 2000, long: true },
  { key: 'stageConfirmed', label: 'Stage confirmed', max: 500, long: false },
  { key: 'planOfCare', label: 'Plan of care', max: 10000, long: true },
  { key: 'trialToOffer', label: 'Trial to offer', max: 500, long: false },
  { key: 'furtherWorkup', label: 'Further work-up', max: 5000, long: true },
] as const;
export type TextKey = (typeof TEXT_FIELDS)[number]['key'];

/** Server values may be null or missing. */
export function toDraft(rec: Recommendation | null | undefined): Draft {
  const r = rec as Partial<Record<string, unknown>> | null | undefined;
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const dissent = Array.isArray(r?.dissent) ? (r.dissent as { discipline?: string; note?: string }[]) : [];
  return {
    diagnosisConfirmed: s(r?.diagnosisConfirmed), stageConfirmed: s(r?.stageConfirmed), planOfCare: s(r?.planOfCare),
    trialToOffer: s(r?.trialToOffer), furtherWorkup: s(r?.furtherWorkup),
    dissent: dissent.map((d) => ({ discipline: (d.discipline ?? '') as Discipline | '', note: d.note ?? '' })),
  };
}

export function toBody(d: Draft): Recommendation {
  const t = (v: string) => v.trim() || undefined;
  return {
    diagnosisConfirmed: t(d.diagnosisConfirmed), stageConfirmed: t(d.stageConfirmed), planOfCare: t(d.planOfCare),
    trialToOffer: t(d.trialToOffer), furtherWorkup: t(d.furtherWorkup),
    dissent: d.dissent.filter((x) => x.discipline || x.note.trim()).map((x) => ({ discipline: x.discipline as Discipline, note: x.note.trim() })),
  };
}

/** Same content, ignoring surrounding spaces and empty dissent rows. */
export function sameDraft(a: Draft, b: Draft): boolean {
  return JSON.stringify(toBody(a)) === JSON.stringify(toBody(b));
}

export function isEmpty(d: Draft): boolean {
  const b = toBody(d);
  return TEXT_FIELDS.every((f) => !b[f.key]) && b.dissent.length === 0;
}

/** A recommendation read-only; `compare` marks the fields that differ from another version. */
export function RecommendationView({ rec, compare, testId }: { rec: Draft; compare?: Draft; testId?: string }) {
  if (isEmpty(rec) && !compare) return <Text size="sm" c="dimmed" data-testid={testId}>Nothing recorded yet.</Text>;
  const differs = (k: TextKey) => !!compare && compare[k].trim() !== rec[k].trim();
  const dissentText = (d: Draft) => toBody(d).dissent.map((x) => `${disciplineLabel(x.discipline)}: ${x.note}`).join('\n');
  return (
    <Stack gap={6} data-testid={testId}>
      {TEXT_FIELDS.map((f) => (
        <div key={f.key}>
          <Text size="xs" c="dimmed" fw={600}>
            {f.label}{differs(f.key) ? <Text span inherit c="orange.9"> · differs</Text> : null}
          </Text>
          <Text size="sm" className="tb-pre" fw={differs(f.key) ? 600 : undefined}>
            {rec[f.key].trim() || <Text span inherit c="dimmed">—</Text>}
          </Text>
        </div>
      ))}
      <div>
        <Text size="xs" c="dimmed" fw={600}>
          Dissent{compare && dissentText(compare) !== dissentText(rec) ? <Text span inherit c="orange.9"> · differs</Text> : null}
        </Text>
        {toBody(rec).dissent.length === 0 ? <Text size="sm" c="dimmed">None recorded</Text> : (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {toBody(rec).dissent.map((x, n) => (
              <li key={n}><Text size="sm"><Text span inherit fw={600}>{disciplineLabel(x.discipline)}:</Text> {x.note}</Text></li>
            ))}
          </ul>
        )}
      </div>
    </Stack>
  );
}
