/**
 * Research API as the web UI uses it (issue 8 item 5). The cohort answer is the server's type (`import type`, erased
 * from the bundle); the filter and export shapes mirror src/services/research.service.ts and src/domain/deid/cohort.ts.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { API_BASE, ApiError, api } from '../api/client.js';
import { saveBlob } from '../lib/download.js';
import type { GuardedCohortCounts } from '../../../src/domain/deid/differencing.js';
import type { CountCell } from '../../../src/domain/deid/suppression.js';

export const FAMILIES = [
  ['osteosarcoma', 'Osteosarcoma'], ['ewing', 'Ewing sarcoma'], ['rhabdomyosarcoma', 'Rhabdomyosarcoma'],
  ['nrsts', 'Non-rhabdomyosarcoma soft tissue sarcoma'], ['other_bone_malignant', 'Other malignant bone tumour'],
  ['benign_bone', 'Benign bone tumour'], ['intermediate_soft_tissue', 'Intermediate soft-tissue tumour'],
] as const;

export const AGE_BANDS = [
  ['<1', 'Under 1 year'], ['1-4', '1–4 years'], ['5-9', '5–9 years'], ['10-14', '10–14 years'], ['15-19', '15–19 years'],
  ['20-29', '20–29 years'], ['30-89', '30–89 years'], ['90+', '90 years or older'],
] as const;

const SYSTEMS = [
  ['rms', 'RMS COG risk', ['low', 'intermediate', 'high']],
  ['ewing', 'Ewing', ['localized', 'metastatic_lung_pleura_only', 'metastatic_bone_or_marrow', 'metastatic_other']],
  ['os', 'Osteosarcoma', ['localized', 'metastatic_lung_only', 'metastatic_extrapulmonary']],
  ['nrsts', 'NRSTS ARST0332 risk', ['low', 'intermediate', 'high']],
  ['enneking', 'Enneking/MSTS stage', ['1', '2', '3', 'IA', 'IB', 'IIA', 'IIB', 'III']],
] as const;
export const STAGE_RISK = SYSTEMS.flatMap(([p, title, values]) => values.map((v) => [`${p}:${v}`, `${title}: ${v.replace(/_/g, ' ')}`] as const));

export const TEMPLATES = [
  'T-EWS-ICC', 'T-EWS-MET', 'T-OS-MAP', 'T-OS-LOWGRADE', 'T-RMS-VLR-VA24', 'T-RMS-LR-VAC4-VA', 'T-RMS-LR-SUBSET-B', 'T-RMS-IR-VACVI-MAINT',
  'T-RMS-HR-INTENSIVE', 'T-RMS-EPSSG-MAINT', 'T-NRSTS-A', 'T-NRSTS-B', 'T-NRSTS-C', 'T-NRSTS-D', 'T-NRSTS-HR', 'T-BN-OBSERVE', 'T-BN-CURETTAGE', 'T-BN-AGGRESSIVE',
] as const;

export const MODES = [
  { value: 'safe_harbor', title: 'HIPAA Safe Harbor', safeHarbor: true, words: 'All 18 identifiers removed: no names, record numbers, contacts or free text; dates reduced to the year; ages over 89 shown as 90+; ZIP codes cut to 3 digits (000 for small areas). Each child gets a random code that means nothing outside this file.' },
  { value: 'limited', title: 'Limited Data Set', safeHarbor: false, words: 'Names, record numbers, contacts and free text removed, but full dates and city/state/ZIP kept. Only under a recorded, unexpired data-use agreement. Not Safe Harbor.' },
  { value: 'date_shifted', title: 'Date-shifted, pseudonymized', safeHarbor: false, words: "Every date of a child moved by the same random number of days (up to ±182), so intervals stay exact; each child carries a pseudonym that is stable within this file only. Not Safe Harbor." },
] as const;
export type ExportMode = (typeof MODES)[number]['value'];

export interface CohortFilters {
  families?: string[];
  stageRisk?: string[];
  ageBands?: string[];
  diagnosisYearFrom?: number;
  diagnosisYearTo?: number;
  templates?: string[];
  trialEnrolled?: boolean;
}

/** A cohort answer as `POST /research/cohort` gives it (the server's type; it also echoes the filters). */
export type CohortCounts = GuardedCohortCounts;
export type { CountCell };
export interface Dua { id: string; reference: string; recipient: string; purpose: string; expiresOn: string; active: boolean; recordedBy: string | null; recordedAt: string }

/** Drops empty lists and unset values, so the request and the audit entry carry only the filters in use. */
export function cleanFilters(f: CohortFilters): CohortFilters {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))) as CohortFilters;
}

export function useCohort() {
  return useMutation({ mutationFn: (f: CohortFilters) => api.post<CohortCounts>('/research/cohort', cleanFilters(f)) });
}

export function useDuas(enabled: boolean) {
  return useQuery({ queryKey: ['research', 'dua'], queryFn: ({ signal }) => api.get<Dua[]>('/research/dua', undefined, signal), enabled });
}

export function useRecordDua() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (d: { reference: string; recipient: string; purpose: string; expiresOn: string }) => api.post<Dua>('/research/dua', d),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['research', 'dua'] }),
  });
}

export interface ExportRequest { filters: CohortFilters; mode: ExportMode; format: 'csv' | 'ndjson'; duaId?: string; password: string }

/**
 * Posts the export and saves the answer as a file (the server names it). The password travels in the body over the
 * same-origin session, never in a URL.
 */
export async function downloadExport(req: ExportRequest): Promise<{ filename: string; rows: number }> {
  const res = await fetch(`${API_BASE}/research/export`, {
    method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', Accept: '*/*' },
    body: JSON.stringify({ ...req, filters: cleanFilters(req.filters) }),
  });
  if (!res.ok) {
    let err: { code?: string; message?: string; field?: string } | undefined;
    try { err = ((await res.json()) as { error?: typeof err }).error; } catch { /* not JSON */ }
    throw new ApiError(res.status, err?.code ?? 'http_error', err?.message ?? `The server answered ${res.status}`, err?.field);
  }
  const blob = await res.blob();
  const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `research-export.${req.format}`;
  saveBlob(blob, filename);
  return { filename, rows: Number(res.headers.get('x-export-rows') ?? 0) };
}

export interface ExportLogEntry { id: string; at: string; username: string | null; mode: string; format: string; filters: string; rows: number; sha256: string; duaId: string | null }

/** The institution's export log (who, when, mode, rows, file hash: no data). */
export function useExportLog(enabled: boolean) {
  return useQuery({ queryKey: ['research', 'exports'], queryFn: ({ signal }) => api.get<ExportLogEntry[]>('/research/exports', undefined, signal), enabled });
}
