/**
 * Second-opinion sharing and break-the-glass as the web UI uses them (issue #9 item 2). The shapes are the server's
 * own (src/services/access-grants.service.ts), imported as types only: nothing of the server is in the bundle.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BreakGlassView, CommentView, IncomingShareView, OutgoingShareView, ShareView, accessGrants,
} from '../../../src/services/access-grants.service.js';
import type { BREAK_GLASS_REASONS } from '../../../src/domain/auth/access-grants.js';
import type { GrantStatus } from '../../../src/domain/auth/access-grants.js';
import { api } from '../api/client.js';

/** The reason categories with words for people (codes checked against the server's BREAK_GLASS_REASONS). */
export const REASONS = [
  ['emergency-care', 'Emergency care of the patient'],
  ['urgent-consult', 'Urgent consultation requested by the treating team'],
  ['continuity-of-care', 'Continuity of care (patient transferred or presenting here)'],
] as const satisfies ReadonlyArray<readonly [(typeof BREAK_GLASS_REASONS)[number], string]>;

export type { GrantStatus };
export interface Institution { id: string; code: string; name: string }
/** One message of a share's thread: the reviewers' opinion or the owner institution's reply. */
export type Comment = CommentView;
export type Share = ShareView;
export type BreakGlassGrant = BreakGlassView;
export type BreakGlassEvent = Awaited<ReturnType<typeof accessGrants.report>>['items'][number];
/** One of the institution's second-opinion requests, with its patient and where its thread stands. */
export type OutgoingShare = OutgoingShareView;
/** A case shared with this institution, with where its thread stands. */
export type IncomingShare = IncomingShareView;

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

export function useOutgoingShares() {
  return useQuery({ queryKey: ['shares', 'outgoing'], queryFn: ({ signal }) => api.get<{ items: OutgoingShare[] }>('/shares/outgoing', undefined, signal) });
}

export function useIncomingShares() {
  return useQuery({ queryKey: ['shares', 'incoming'], queryFn: ({ signal }) => api.get<{ items: IncomingShare[] }>('/shares/incoming', undefined, signal) });
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
