/**
 * Second-opinion sharing and break-the-glass as the web UI uses them (issue #9 item 2). Shapes mirror
 * src/services/access-grants.service.ts; the web bundle does not import server code, so these are copies.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.js';

export const REASONS = [
  ['emergency-care', 'Emergency care of the patient'],
  ['urgent-consult', 'Urgent consultation requested by the treating team'],
  ['continuity-of-care', 'Continuity of care (patient transferred or presenting here)'],
] as const;

export type GrantStatus = 'active' | 'expired' | 'revoked';
export interface Institution { id: string; code: string; name: string }
/** One message of a share's thread: the reviewers' opinion or the owner institution's reply. */
export interface Comment { id: string; shareId: string; caseId: string; author: string; institution: string; from: 'reviewer' | 'owner'; body: string; createdAt: string }
export interface Share {
  id: string; caseId: string; patientId: string; ownerInstitution: string; institution: Institution; purpose: string;
  createdAt: string; createdBy: string; until: string; revokedAt: string | null; status: GrantStatus;
}
export interface BreakGlassGrant {
  id: string; patientId: string; user: { name: string; username: string; institution: string }; reasonCategory: string; justification: string;
  createdAt: string; until: string; status: GrantStatus; reviewedAt: string | null; reviewedBy: string | null; reviewNote: string | null;
}
export interface BreakGlassEvent extends BreakGlassGrant {
  patient: { id: string; mrn: string; name: string } | null;
  reads: Array<{ at: string; action: string; recordType: string; recordId: string | null; outcome: string; detail: string | null }>;
}

export function reasonLabel(code: string): string {
  return REASONS.find(([c]) => c === code)?.[1] ?? code;
}

export function useInstitutions(enabled = true) {
  return useQuery({ queryKey: ['institutions'], queryFn: ({ signal }) => api.get<{ items: Institution[] }>('/institutions', undefined, signal), enabled });
}

export function useCaseShares(caseId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['case', caseId, 'shares'], enabled,
    queryFn: ({ signal }) => api.get<{ items: Array<Share & { comments: Comment[] }> }>(`/cases/${encodeURIComponent(caseId)}/shares`, undefined, signal),
  });
}

export function useShareCase(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { institutionId: string; until?: string; purpose: string }) => api.post<Share>(`/cases/${encodeURIComponent(caseId)}/shares`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['case', caseId, 'shares'] }),
  });
}

export function useRevokeShare(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (shareId: string) => api.post<Share>(`/shares/${encodeURIComponent(shareId)}/revoke`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['case', caseId, 'shares'] }),
  });
}

/** One of the institution's second-opinion requests, with its patient and where its thread stands. */
export interface OutgoingShare extends Share {
  patient: { id: string; mrn: string; familyName: string; givenName: string };
  diagnosis: string | null;
  messages: number;
  opinions: number;
  last: { at: string; from: Comment['from']; author: string } | null;
}

export function useOutgoingShares() {
  return useQuery({ queryKey: ['shares', 'outgoing'], queryFn: ({ signal }) => api.get<{ items: OutgoingShare[] }>('/shares/outgoing', undefined, signal) });
}

export function useIncomingShares() {
  return useQuery({ queryKey: ['shares', 'incoming'], queryFn: ({ signal }) => api.get<{ items: Array<Share & { diagnosis: string | null }> }>('/shares/incoming', undefined, signal) });
}

export function useSecondOpinion(caseId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['case', caseId, 'second-opinion'], enabled,
    queryFn: ({ signal }) => api.get<{ items: Comment[] }>(`/cases/${encodeURIComponent(caseId)}/second-opinion`, undefined, signal),
  });
}

/** A reviewer's comment (no share named), or the owner's reply on one share's thread (`shareId`). */
export function useAddComment(caseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { body: string; shareId?: string }) => api.post<Comment>(`/cases/${encodeURIComponent(caseId)}/second-opinion`, input),
    onSuccess: () => Promise.all([
      qc.invalidateQueries({ queryKey: ['case', caseId, 'second-opinion'] }),
      qc.invalidateQueries({ queryKey: ['case', caseId, 'shares'] }),
    ]),
  });
}

export function useBreakGlassLookup() {
  return useMutation({
    mutationFn: (input: { institutionCode: string; mrn: string; reasonCategory: string; justification: string; password: string }) =>
      api.post<BreakGlassGrant>('/break-glass/lookup', input),
  });
}

export function useBreakGlassEvents() {
  return useQuery({ queryKey: ['admin', 'break-glass'], queryFn: ({ signal }) => api.get<{ items: BreakGlassEvent[]; total: number }>('/admin/break-glass', { limit: 100 }, signal) });
}

export function useReviewBreakGlass() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; note: string }) => api.post<BreakGlassGrant>(`/admin/break-glass/${encodeURIComponent(input.id)}/review`, { note: input.note }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'break-glass'] }),
  });
}
