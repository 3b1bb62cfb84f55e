import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Small secrets kept in the database (TOTP keys) are sealed with AES-256-GCM under a server key that lives outside
 * the database (TUMORBOARD_SECRET_KEY, or a key file beside it): a copy of the database alone cannot produce codes.
 * Format: `v1.<iv>.<tag>.<ciphertext>`, base64url. The row's id is bound as associated data, so a sealed value
 * moved to another row does not open.
 */
export const SECRET_KEY_BYTES = 32;

export function sealSecret(key: Buffer, plain: string, boundTo: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(boundTo, 'utf8'));
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

/** Opens a sealed value; throws when the key, the binding or the value is wrong (tampered, moved, other server). */
export function openSecret(key: Buffer, sealed: string, boundTo: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('not a sealed secret');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAAD(Buffer.from(boundTo, 'utf8'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
}

/** A key from its base64 text (TUMORBOARD_SECRET_KEY); throws naming the variable when it is not 32 bytes. */
export function parseSecretKey(text: string, name = 'TUMORBOARD_SECRET_KEY'): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== SECRET_KEY_BYTES) throw new Error(`${name}: must be ${SECRET_KEY_BYTES} random bytes in base64 (e.g. openssl rand -base64 32)`);
  return key;
}
