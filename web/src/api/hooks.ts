import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.js';
import { ME_KEY } from './queryClient.js';
import type {
  AdminUser, Assessment, AuditEntry, AuditFilter, CaseDetail, CaseFacts, CaseRecord, CaseStatus, CaseSummary,
  NewUserInput, Page, Patient, PatientDetail, PatientInput, PatientSummary, Tumor, TumorInput, User, Vocabularies,
} from './types.js';
import type { AdminUserView, UserUpdate } from '../../../src/services/auth.service.js';

// ---- session -------------------------------------------------------------------------------------------

/** The signed-in user, or null when there is no session. */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async ({ signal }): Promise<User | null> => (await api.get<{ user: User | null }>('/auth/me', undefined, signal)).user,
    staleTime: Infinity,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string; otp?: string | undefined }) => api.post<{ user: User }>('/auth/login', input),
    onSuccess: ({ user }) => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      qc.setQueryData(ME_KEY, user);
    },
  });
}

export function useLogout(everywhere = false) {
  const qc = useQueryClient();
  return useMutation({
    // Everywhere: every session of the account ends (other browsers and devices too).
    mutationFn: () => api.post<void>(everywhere ? '/auth/logout-everywhere' : '/auth/logout'),
    onSettled: async () => {
      // Keep the 'me' query object (App observes it) and drop everything else the session could read.
      qc.setQueryData(ME_KEY, null);
      const others = { predicate: (q: { queryKey: readonly unknown[] }) => q.queryKey[0] !== 'me' };
      await qc.cancelQueries(others);
      qc.removeQueries(others);
    },
  });
}

export function useVocabularies() {
  return useQuery({
    queryKey: ['vocabularies'],
    queryFn: ({ signal }) => api.get<Vocabularies>('/meta/vocabularies', undefined, signal),
    staleTime: Infinity,
  });
}

// ---- patients ------------------------------------------------------------------------------------------

export interface PatientListParams {
  q: string;
  sort: 'name' | 'mrn' | 'birthDate' | 'updatedAt';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export function usePatients(params: PatientListParams) {
  return useQuery({
    queryKey: ['patients', params],
    queryFn: ({ signal }) => api.get<Page<PatientSummary>>('/patients', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePatient(id: string | undefined) {
  return useQuery({
    queryKey: ['patient', id],
    queryFn: ({ signal }) => api.get<PatientDetail>(`/patients/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

export function useCreatePatient() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PatientInput) => api.create<Patient>('/patients', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['patients'] }),
  });
}

export function useUpdatePatient(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ input, version }: { input: PatientInput; version: number }) =>
      api.put<Patient>(`/patients/${encodeURIComponent(id)}`, version, input),
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['patient', id] }),
        qc.invalidateQueries({ queryKey: ['patients'] }),
        qc.invalidateQueries({ queryKey: ['case'] }),
      ]);
    },
  });
}

// ---- tumours and cases ---------------------------------------------------------------------------------

function usePatientChange<TVars, TResult>(patientId: string, fn: (vars: TVars) => Promise<TResult>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['patient', patientId] }),
        qc.invalidateQueries({ queryKey: ['patients'] }),
        qc.invalidateQueries({ queryKey: ['cases'] }),
        qc.invalidateQueries({ queryKey: ['case'] }),
      ]);
    },
  });
}

export function useCreateTumor(patientId: string) {
  return usePatientChange(patientId, (input: TumorInput) =>
    api.create<Tumor>(`/patients/${encodeURIComponent(patientId)}/tumors`, input));
}

export function useUpdateTumor(patientId: string) {
  return usePatientChange(patientId, ({ id, version, input }: { id: string; version: number; input: TumorInput }) =>
    api.put<Tumor>(`/tumors/${encodeURIComponent(id)}`, version, input));
}

export function useCreateCase(patientId: string) {
  return usePatientChange(patientId, (input: { tumorId: string; question?: string; urgent?: boolean }) =>
    api.create<CaseRecord>(`/patients/${encodeURIComponent(patientId)}/cases`, input));
}

export function useLinkCaseTumor(patientId: string) {
  return usePatientChange(patientId, ({ id, version, tumorId }: { id: string; version: number; tumorId: string }) =>
    api.postVersioned<CaseRecord>(`/cases/${encodeURIComponent(id)}/tumor`, version, { tumorId }));
}

export function useChangeCaseStatus(patientId: string) {
  return usePatientChange(patientId, ({ id, version, status, note }: { id: string; version: number; status: CaseStatus; note?: string }) =>
    api.postVersioned<CaseRecord>(`/cases/${encodeURIComponent(id)}/status`, version, note ? { status, note } : { status }));
}

export interface CaseListParams {
  status: string;
  q: string;
  limit: number;
  offset: number;
}

export function useCases(params: CaseListParams) {
  return useQuery({
    queryKey: ['cases', params],
    queryFn: ({ signal }) => api.get<Page<CaseSummary>>('/cases', { ...params }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCase(id: string | undefined) {
  return useQuery({
    queryKey: ['case', id],
    queryFn: ({ signal }) => api.get<CaseDetail>(`/cases/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

export function useCaseAssessment(id: string | undefined) {
  return useQuery({
    queryKey: ['case', id, 'assessment'],
    queryFn: ({ signal }) =>
      api.get<{ facts: CaseFacts | null; assessment: Assessment | null; errors: Array<{ field: string; message: string }> }>(`/cases/${encodeURIComponent(id ?? '')}/assessment`, undefined, signal),
    enabled: !!id,
  });
}

export function useAssess() {
  return useMutation({
    mutationFn: (facts: CaseFacts) => api.post<{ assessment: Assessment }>('/assess', facts),
  });
}

// ---- admin ---------------------------------------------------------------------------------------------

/** A row of GET /admin/users: the account, whether it is locked now and whether two-step sign-in is on. */
export type ManagedUser = AdminUserView;
/** PUT /admin/users/:id (src/services/auth.service.ts userUpdateSchema). */
export type UserUpdateInput = UserUpdate;

export function useAdminUsers() {
  return useQuery({
    queryKey: ['admin', 'users'],
    queryFn: ({ signal }) => api.get<Page<ManagedUser>>('/admin/users', { limit: 200 }, signal),
  });
}

/** An administrator's edit of an account, with the version read from the list (If-Match). */
export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, input }: { id: string; version: number; input: UserUpdateInput }) =>
      api.put<AdminUser>(`/admin/users/${encodeURIComponent(id)}`, version, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
}

/** Lifts the lock after repeated wrong passwords. */
export function useUnlockUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<{ unlocked: true; wasLocked: boolean }>(`/admin/users/${encodeURIComponent(id)}/unlock`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
}

/** Removes a user's authenticator and recovery codes (lost phone): they set it up again at the next sign-in. */
export function useResetUserMfa() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<{ reset: true }>(`/admin/users/${encodeURIComponent(id)}/mfa-reset`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: NewUserInput) => api.post<AdminUser>('/admin/users', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
}

export function useAudit(filter: AuditFilter, limit: number, offset: number) {
  return useQuery({
    queryKey: ['admin', 'audit', filter, limit, offset],
    queryFn: ({ signal }) => api.get<Page<AuditEntry>>('/admin/audit', { ...filter, limit, offset }, signal),
    placeholderData: keepPreviousData,
  });
}
