import http from 'node:http';

/** A response as the security tests read it (the body only when it is not an endless event stream). */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

export interface Call {
  method: string;
  url: string;
  cookie?: string | undefined;
  headers?: Record<string, string>;
  /** Sent as is (a string) or as JSON (anything else). */
  body?: unknown;
}

/**
 * One request to a listening app over loopback. Event streams (text/event-stream) never end: their status and type
 * are read and the stream is cancelled. Every request is bounded in time.
 */
export function call(base: string, c: Call, timeoutMs = 15_000): Promise<Answer> {
  const headers: Record<string, string | number> = { ...(c.headers ?? {}) };
  if (c.cookie) headers.cookie = c.cookie;
  let body: Buffer | undefined;
  if (c.body !== undefined) {
    body = Buffer.isBuffer(c.body) ? c.body : Buffer.from(typeof c.body === 'string' ? c.body : JSON.stringify(c.body));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    headers['content-length'] = body.length;
  }
  // node:http rather than fetch: fetch refuses a body on GET, and the fuzzer sends one.
  return new Promise<Answer>((resolve, reject) => {
    let answered = false;
    // A fresh connection per request (agent: false): the server may close one after refusing a request (413, 431).
    const req = http.request(base + c.url, { method: c.method, headers, timeout: timeoutMs, agent: false }, (res) => {
      answered = true;
      const contentType = String(res.headers['content-type'] ?? '');
      const status = res.statusCode ?? 0;
      if (contentType.startsWith('text/event-stream')) {
        res.destroy();
        req.destroy();
        resolve({ status, contentType, text: '' });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status, contentType, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${c.method} ${c.url}: no answer within ${timeoutMs} ms`)));
    // The server may answer (413) and close before the whole body is written: the answer is what counts.
    req.on('error', (e) => { if (!answered) reject(e); });
    req.end(body);
  });
}
