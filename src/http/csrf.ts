import { AppError } from '../domain/errors.js';

/**
 * Cross-site request forgery defence for cookie-authenticated state changes (OWASP CSRF Prevention Cheat Sheet,
 * "Verifying Origin With Standard Headers" and "Fetch Metadata", on top of the SameSite=Strict session cookie).
 *
 * A browser marks every request with `Sec-Fetch-Site` (and `Origin` on POST/PUT/PATCH/DELETE); a forged request from
 * another site says `cross-site` or `same-site`, or carries a foreign `Origin`, and cannot remove or fake either
 * header. Clients that are not browsers (curl, the CLI, scripts, tests) send neither header and are let through:
 * they are not the victims of CSRF, since a forged request always rides on a victim's browser. No synchronizer
 * token: with SameSite=Strict and these headers every supported browser is covered, and a token would have to be
 * fetched and echoed by every client.
 */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestHeaders {
  'sec-fetch-site'?: string | string[] | undefined;
  origin?: string | string[] | undefined;
  host?: string | undefined;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/**
 * Throws 403 (naming the header) when an unsafe request is not from this server's own pages; returns otherwise.
 * `Sec-Fetch-Site: same-origin` or `none` (typed by the user) passes; `same-site` does not (a sibling subdomain
 * is another application). `Origin` must name the host the request was sent to (scheme aside: behind a TLS proxy the
 * server sees http while the browser says https). Behind a proxy that rewrites `Host`, list the public origins the
 * browser uses in `allowedOrigins` (PUBLIC_ORIGIN, comma-separated, for `tumorboard serve`).
 */
export function assertSameOrigin(headers: RequestHeaders, allowedOrigins: readonly string[] = []): void {
  const site = one(headers['sec-fetch-site'])?.trim().toLowerCase();
  if (site === 'cross-site' || site === 'same-site') {
    throw new AppError('forbidden', `sec-fetch-site: a ${site} request may not change data (cross-site request forgery protection)`, { field: 'sec-fetch-site' });
  }
  const origin = one(headers.origin);
  if (origin === undefined || allowedOrigins.includes(origin)) return;
  let same = false;
  try {
    // Both sides through URL, so a default port written or not ("localhost:80" and "localhost") compares equal.
    const o = new URL(origin);
    same = origin !== 'null' && !!headers.host && o.host === new URL(`${o.protocol}//${headers.host}`).host;
  } catch {
    same = false;
  }
  if (!same) {
    throw new AppError('forbidden', 'origin: a request from another origin may not change data (cross-site request forgery protection)', { field: 'origin' });
  }
}
