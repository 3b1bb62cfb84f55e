import { useMe } from '../api/hooks.js';

/**
 * What the signed-in user may do, from the permissions the server sends with the user (no copy of the table here).
 * Only a hint to hide controls that would be refused: the server enforces every permission.
 */
export interface Access { registry: boolean; write: boolean; assess: boolean; admin: boolean }

export function accessFor(permissions: readonly string[] | undefined): Access {
  const has = (p: string) => !!permissions?.includes(p);
  return { registry: has('patient.read'), write: has('patient.write'), assess: has('assess.run'), admin: has('user.admin') || has('audit.read') };
}

export function useAccess(): Access {
  return accessFor(useMe().data?.permissions);
}

/** The first page a role lands on. */
export function homePath(a: Access): string {
  return a.registry ? '/patients' : a.assess ? '/assessment' : '/welcome';
}
