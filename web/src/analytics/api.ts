/**
 * Program analytics API as the web UI uses it (issue 10). The response shapes are the server's own
 * (src/domain/analytics/metrics.ts, `AnalyticsSummary`), imported as types only: erased at build time, so no server
 * code enters the web bundle.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, buildUrl } from '../api/client.js';
import type { AnalyticsSummary, MetricId } from '../../../src/domain/analytics/metrics.js';

export type { Count, Share, Distribution } from '../../../src/domain/analytics/stats.js';
export type {
  AnalyticsSummary, CountRow, MetricId, MetricValues,
  TrialFunnelRow as FunnelRow, ConferenceAttendanceRow as ConferenceRow,
} from '../../../src/domain/analytics/metrics.js';

/** One metric of the summary: its definition and its value. */
export type Metric<K extends MetricId> = AnalyticsSummary['metrics'][K];

export const TUMOR_TYPES = [
  ['osteosarcoma', 'Osteosarcoma'], ['ewing', 'Ewing sarcoma'], ['rhabdomyosarcoma', 'Rhabdomyosarcoma'],
  ['nrsts', 'Non-rhabdomyosarcoma soft-tissue sarcoma'], ['other_bone_malignant', 'Other malignant bone tumour'],
  ['benign_bone', 'Benign bone tumour'], ['intermediate_soft_tissue', 'Intermediate soft-tissue tumour'],
] as const;

export interface AnalyticsFilter { from: string; to: string; tumorType: string | null }

export function useAnalyticsSummary(f: AnalyticsFilter, enabled: boolean) {
  return useQuery({
    queryKey: ['analytics', 'summary', f.from, f.to, f.tumorType],
    queryFn: ({ signal }) => api.get<AnalyticsSummary>('/analytics/summary', { from: f.from, to: f.to, tumorType: f.tumorType }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The annual report download link (PDF or CSV). */
export function reportUrl(year: number, format: 'pdf' | 'csv'): string {
  return buildUrl(`/analytics/report.${format}`, { year });
}
