/**
 * Program analytics API as the web UI uses it (issue 10). Shapes mirror src/domain/analytics/metrics.ts
 * (`AnalyticsSummary`); the web bundle does not import server code, so these are copies: keep them in step.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, buildUrl } from '../api/client.js';

export interface Count { value: number | null; suppressed?: true }
export interface Share { numerator: number | null; denominator: number | null; percent: number | null; suppressed?: true }
export interface Distribution { n: number | null; medianDays: number | null; p90Days: number | null; suppressed?: true }
export interface CountRow { key: string; label: string; count: Count }
export interface FunnelRow { key: string; label: string; screened: Share; eligible: Share; offered: Share; enrolled: Share }
export interface ConferenceRow {
  conferenceId: string; date: string; status: string; groupsPresent: string[]; coreGroupsPresent: number; allCorePresent: boolean; casesDiscussed: number | null;
}

export interface MetricValues {
  'caseload.new_cases': { total: Count; byTumorType: CountRow[]; bySite: CountRow[]; byAgeBand: CountRow[] };
  'caseload.referrals': { total: Count; byOrigin: CountRow[] };
  'conference.meetings': { scheduled: Count; held: Count; cancelled: Count; heldShare: Share };
  'conference.presented': { cases: Count; presentations: Count };
  'conference.prospective': Share;
  'conference.attendance': {
    targetPercent: number; allCorePresent: Share;
    byGroup: Array<{ key: string; label: string; core: boolean; share: Share; meetsTarget: boolean | null }>;
    conferences: ConferenceRow[];
  };
  'conference.documentation': { stage: Share; guideline: Share; trialDiscussed: Share };
  'trials.funnel': { overall: FunnelRow; byNetwork: FunnelRow[] };
  'trials.declined': { total: Count; byReason: CountRow[] };
  'turnaround.referral_to_conference': Distribution;
  'turnaround.conference_to_treatment': Distribution;
  'turnaround.records_complete': Distribution;
  'plan.concordance': { plans: Count; concordant: Share; deviationsByReason: CountRow[] };
  'survivorship.due': { survivors: Count; overdue: Count; dueSoon: Count; upcoming: Count };
}
export type MetricId = keyof MetricValues;

export interface Metric<K extends MetricId> {
  id: K; group: string; label: string; definition: string; unit: string; computation: string; smallCells: 'patients' | 'none'; value: MetricValues[K];
}

export interface AnalyticsSummary {
  institution: string;
  period: { from: string; to: string };
  filters: { tumorType: string | null };
  generatedAt: string;
  suppression: { applied: boolean; threshold: number };
  metrics: { [K in MetricId]: Metric<K> };
}

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
