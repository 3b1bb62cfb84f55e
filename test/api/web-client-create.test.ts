import { afterEach, describe, expect, test, vi } from 'vitest';
import { ApiError, createWithRetry } from '../../web/src/api/client.js';

/** The web app's creates (web/src/api/client.ts): one Idempotency-Key per create, resent only on a lost answer. */
describe('the web client creates records idempotently', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const keysOf = (fetchMock: ReturnType<typeof vi.fn>) => fetchMock.mock.calls.map((c) => (c[1] as RequestInit & { headers: Record<string, string> }).headers['Idempotency-Key']);

  test('a create whose answer was lost is sent again with the same key, and the replayed record is returned', async () => {
    const fetchMock = vi.fn()
      .mockRejectedValueOnce(new TypeError('network'))
      .mockResolvedValueOnce(answer(201, { id: 'p1', version: 1 }));
    vi.stubGlobal('fetch', fetchMock);
    await expect(createWithRetry('/patients', { mrn: 'X1' }, [0, 0])).resolves.toEqual({ id: 'p1', version: 1 });
    const keys = keysOf(fetchMock);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  test('503 is retried with the same key; a refusal (400) is not retried', async () => {
    const fetchMock = vi.fn()
      .mockResolvedValueOnce(answer(503, { error: { code: 'unavailable', message: 'try again' } }))
      .mockResolvedValueOnce(answer(400, { error: { code: 'validation', message: 'mrn: required', field: 'mrn' } }));
    vi.stubGlobal('fetch', fetchMock);
    const err = await createWithRetry('/patients', {}, [0, 0]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).field).toBe('mrn');
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(new Set(keysOf(fetchMock)).size).toBe(1);
  });

  test('two creates use two keys, and after the last retry the error reaches the form', async () => {
    const fetchMock = vi.fn().mockRejectedValue(new TypeError('network'));
    vi.stubGlobal('fetch', fetchMock);
    await expect(createWithRetry('/patients', {}, [0])).rejects.toMatchObject({ code: 'network' });
    await expect(createWithRetry('/patients', {}, [])).rejects.toMatchObject({ code: 'network' });
    const keys = keysOf(fetchMock);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).not.toBe(keys[0]);
  });
});
