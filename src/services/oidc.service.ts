import * as oidc from 'openid-client';
import { AppError } from '../domain/errors.js';
import { usersRepo } from '../store/users.repo.js';
import { auditOnly } from './audit.js';
import { startSession } from './auth.service.js';
import { isoNow, type Services } from './context.js';
import { mfaRequired } from './mfa.service.js';

/**
 * Single sign-on with OpenID Connect (issue 9 §1), beside local accounts, with `openid-client` (certified relying
 * party): authorization code flow with PKCE (S256), state and nonce, ID token checked by the library. Accounts are
 * never created by sign-in: an administrator creates the account, and the first SSO sign-in links it to the
 * provider's identity by username (the `preferred_username` claim, or OIDC_USERNAME_CLAIM). The link (`issuer|sub`)
 * is unique and used from then on, so a renamed account at the provider still reaches the same person.
 */

export interface OidcSettings {
  /** The provider's issuer URL (discovery at `/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** This server's callback, e.g. https://tumorboard.example.org/api/v1/auth/oidc/callback. */
  redirectUri: string;
  /** The button's words: "Sign in with …". */
  name: string;
  usernameClaim: string;
}

/** Settings from the environment (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI, OIDC_NAME, OIDC_USERNAME_CLAIM); undefined when SSO is off. */
export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings | undefined {
  if (!env.OIDC_ISSUER) return undefined;
  for (const k of ['OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'] as const) {
    if (!env[k]) throw new AppError('bad_request', `${k}: required when OIDC_ISSUER is set`, { field: k });
  }
  return {
    issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID!, clientSecret: env.OIDC_CLIENT_SECRET!, redirectUri: env.OIDC_REDIRECT_URI!,
    name: env.OIDC_NAME ?? 'your hospital account', usernameClaim: env.OIDC_USERNAME_CLAIM ?? 'preferred_username',
  };
}

/** A sign-in must come back within this time. */
const LOGIN_TTL_MS = 10 * 60_000;
/** Authentication methods (RFC 8176 `amr`) that count as a second factor when the role requires one. */
const MULTI_FACTOR_AMR = new Set(['mfa', 'otp', 'hwk', 'swk', 'sms', 'fpt', 'face', 'iris', 'retina']);

const configs = new Map<string, Promise<oidc.Configuration>>();

/** Discovery once per issuer; plain http is allowed only for a provider on this machine (tests, development). */
function configuration(o: OidcSettings): Promise<oidc.Configuration> {
  let c = configs.get(o.issuer);
  if (!c) {
    const local = /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(`${o.issuer}/`);
    c = oidc.discovery(new URL(o.issuer), o.clientId, o.clientSecret, undefined, local ? { execute: [oidc.allowInsecureRequests] } : undefined);
    c.catch(() => configs.delete(o.issuer));
    configs.set(o.issuer, c);
  }
  return c;
}

export const sso = {
  /** Starts a sign-in: stores state, nonce and the PKCE verifier, and returns the provider's authorization URL. */
  async start(s: Services, o: OidcSettings): Promise<string> {
    const config = await configuration(o);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const now = isoNow(s);
    await s.store.db.deleteFrom('oidc_logins').where('created_at', '<', new Date(Date.parse(now) - LOGIN_TTL_MS).toISOString()).execute();
    await s.store.db.insertInto('oidc_logins').values({ state, nonce, code_verifier: codeVerifier, created_at: now }).execute();
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: o.redirectUri, scope: 'openid profile email', state, nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
    }).href;
  },

  /**
   * The provider's redirect back (`currentUrl` with code and state): checks state (used once, within ten minutes),
   * exchanges the code with PKCE, checks the ID token's nonce, finds the linked or same-named active account and
   * opens a session. Where the role requires two-step sign-in, the provider must report a second factor (`amr`).
   */
  async callback(s: Services, o: OidcSettings, currentUrl: URL, meta: { clientIp: string | null; requestId: string | null }) {
    const refuse = async (why: string, detail: string) => {
      await auditOnly(s, null, { action: 'login_failed', recordType: 'session', detail: `sso:${detail}` }, 'denied');
      throw new AppError('unauthenticated', why);
    };
    const state = currentUrl.searchParams.get('state') ?? '';
    const pending = state ? await s.store.db.deleteFrom('oidc_logins').where('state', '=', state).returningAll().executeTakeFirst() : undefined;
    if (!pending || Date.parse(isoNow(s)) - Date.parse(pending.created_at) > LOGIN_TTL_MS) {
      return refuse('this sign-in link has expired or was already used: start again', 'unknown_state');
    }
    let claims: oidc.IDToken | undefined;
    let username: unknown;
    try {
      const config = await configuration(o);
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: pending.code_verifier, expectedState: state, expectedNonce: pending.nonce });
      claims = tokens.claims();
      username = claims?.[o.usernameClaim];
      // Providers often keep profile claims out of the ID token: ask the UserInfo endpoint (same subject, checked).
      if (claims && username === undefined) username = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub))[o.usernameClaim];
    } catch (err) {
      return refuse('the identity provider did not confirm the sign-in: start again', `exchange_failed:${(err as { code?: string }).code ?? 'error'}`);
    }
    if (!claims) return refuse('the identity provider sent no identity', 'no_id_token');
    const subject = `${claims.iss}|${claims.sub}`;
    let row = await s.store.db.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
    if (!row) {
      const name = username;
      if (typeof name !== 'string' || !name) return refuse(`the identity provider sent no ${o.usernameClaim}`, 'no_username');
      // First sign-in: link the local account of that username, if it is not linked to another identity yet.
      const linked = await s.store.db.updateTable('users').set({ oidc_subject: subject }).where('username', '=', name.toLowerCase()).where('oidc_subject', 'is', null).executeTakeFirst();
      if (Number(linked.numUpdatedRows) !== 1) return refuse('no TumorBoard account matches this identity: ask an administrator to create yours', 'no_account');
      row = await s.store.db.selectFrom('users').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
    }
    const user = row ? await usersRepo.get(s.store.db, row.id) : undefined;
    if (!user?.active) return refuse('this account is deactivated', 'inactive');
    const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [];
    if (mfaRequired(s, user.role) && !amr.some((m) => MULTI_FACTOR_AMR.has(m))) {
      return refuse(`your role requires two-step sign-in and ${o.name} did not report one: sign in with your TumorBoard password and code instead`, 'no_second_factor');
    }
    return startSession(s, user, { ...meta, detail: 'sso' });
  },
};
