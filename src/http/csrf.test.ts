import { describe, expect, test } from 'vitest';
import { assertSameOrigin } from './csrf.js';

const refused = (headers: Parameters<typeof assertSameOrigin>[0]) => {
  try {
    assertSameOrigin(headers);
    return undefined;
  } catch (err) {
    return (err as { field?: string }).field;
  }
};

describe('the same-origin check for state changes', () => {
  test.each([
    [{ host: 'tb.example.org' }, undefined],
    [{ host: 'tb.example.org', 'sec-fetch-site': 'same-origin', origin: 'https://tb.example.org' }, undefined],
    [{ host: 'tb.example.org:443', origin: 'https://tb.example.org' }, undefined],
    [{ host: 'localhost:80', origin: 'http://localhost' }, undefined],
    [{ host: 'tb.example.org', 'sec-fetch-site': 'none' }, undefined],
    [{ host: 'tb.example.org', 'sec-fetch-site': 'cross-site' }, 'sec-fetch-site'],
    [{ host: 'tb.example.org', 'sec-fetch-site': 'same-site', origin: 'https://tb.example.org' }, 'sec-fetch-site'],
    [{ host: 'tb.example.org', origin: 'https://app.example.org' }, 'origin'],
    [{ host: 'tb.example.org', origin: 'https://tb.example.org:8443' }, 'origin'],
    [{ host: 'tb.example.org', origin: 'null' }, 'origin'],
    [{ host: 'tb.example.org', origin: 'not a url' }, 'origin'],
    [{ origin: 'https://tb.example.org' }, 'origin'],
  ])('%j is refused naming %s', (headers, field) => {
    expect(refused(headers)).toBe(field);
  });

  test('behind a proxy that rewrites Host, a listed public origin is accepted and others are not', () => {
    const headers = { host: '127.0.0.1:3000', origin: 'https://tb.example.org', 'sec-fetch-site': 'same-origin' };
    expect(() => assertSameOrigin(headers, ['https://tb.example.org'])).not.toThrow();
    expect(() => assertSameOrigin({ ...headers, origin: 'https://evil.example' }, ['https://tb.example.org'])).toThrow(/origin/);
  });
});
