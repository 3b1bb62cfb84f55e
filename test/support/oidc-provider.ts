import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export const TEST_CLIENT = { id: 'tumorboard', secret: 'a-test-client-secret-of-some-length' } as const;

/**
 * A small OpenID provider on 127.0.0.1 for tests (oidc-provider with its development sign-in pages: any login name,
 * any password). Accounts are whatever name is typed; `preferred_username` is that name.
 */
export async function startOidcProvider(redirectUri: string): Promise<{ issuer: string; close(): Promise<void> }> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: TEST_CLIENT.id, client_secret: TEST_CLIENT.secret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id, preferred_username: id }) }),
    claims: { openid: ['sub'], profile: ['preferred_username'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['a-test-cookie-key'] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
  });
  server.on('request', provider.callback());
  return { issuer, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
