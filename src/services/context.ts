import type { Store } from '../store/db.js';

/** Who is acting, from where: every service call carries it (no request-context singletons). */
export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  role: string;
  discipline: string | null;
  institutionId: string;
  institutionName: string;
  clientIp: string | null;
  requestId: string | null;
}

/** What services need: the store and a clock (time is a parameter, so tests can fix it). */
export interface Services {
  store: Store;
  now: () => Date;
}

export function isoNow(s: Services): string {
  return s.now().toISOString();
}

export function newId(): string {
  return crypto.randomUUID();
}
