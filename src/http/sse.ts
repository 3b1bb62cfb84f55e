/**
 * Server-Sent Events for the conference meeting mode: a follower's browser keeps one `text/event-stream` open and
 * refetches when an event says the conference moved to a newer version (events carry ids and versions only).
 *
 * The reply is hijacked, so Fastify's serializer and onSend hooks (compression included) never touch the stream;
 * the onRequest hooks (authentication, permission, helmet's headers) have run before the handler, and the headers
 * they set are kept.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RESYNC_EVENT, type EventBus, type LiveEvent } from '../services/events.js';

export interface StreamEventsOptions {
  /** A comment line this often keeps proxies and load balancers from closing an idle stream (15 s). */
  heartbeatMs?: number;
  /**
   * Sent first as `event: hello` (its version becomes the stream's first id). Pass a function to read the current
   * version AFTER the subscription is in place: then no event can fall between the read and the subscription
   * (events not newer than the hello are dropped). If the function throws, nothing has been sent yet and the
   * error goes to Fastify's error handler (e.g. a 404 for an unknown conference).
   */
  initial?: LiveEvent | (() => LiveEvent | undefined | Promise<LiveEvent | undefined>);
  /** The reconnect delay suggested to EventSource (`retry:`), 3 s. */
  retryMs?: number;
  /** A client this far behind (bytes queued and not sent) is disconnected; it reconnects and resyncs. 1 MiB. */
  maxBufferedBytes?: number;
}

/** One SSE message: `id: <version>` (omitted for a resync), `event: <type>`, `data: <json>`. */
export function formatEvent(e: LiveEvent, name: string = e.type): string {
  const id = e.type === RESYNC_EVENT ? '' : `id: ${e.version}\n`;
  // JSON.stringify escapes CR and LF, so the data is one line; bus event types are checked to have no line breaks.
  return `${id}event: ${name}\ndata: ${JSON.stringify(e)}\n\n`;
}

/** Open streams per HTTP server, so {@link endStreamsOnClose} can end them when the app shuts down. */
const openStreams = new WeakMap<object, Set<() => void>>();

/**
 * Ends every open event stream when `app` closes. Without it `app.close()` waits until every follower has gone:
 * Fastify closes only idle connections, and an event stream is never idle. Call it while registering routes.
 */
export function endStreamsOnClose(app: FastifyInstance): void {
  app.addHook('preClose', async () => {
    for (const end of [...(openStreams.get(app.server) ?? [])]) end();
  });
}

/**
 * Streams `channel` of `bus` to the client as `text/event-stream` until the client disconnects (then it
 * unsubscribes). Return (or await) it from the route handler; it resolves once the stream has ended and the
 * subscription is gone.
 *
 * ```ts
 * api.get('/conferences/:id/events', { config: { permission: 'conference.view' } }, (req, reply) =>
 *   streamEvents(req, reply, bus, `conference:${req.params.id}`, { initial: async () => helloFor(req.params.id) }));
 * ```
 */
export async function streamEvents(
  req: FastifyRequest, reply: FastifyReply, bus: EventBus, channel: string, opts: StreamEventsOptions = {},
): Promise<void> {
  const res = reply.raw;
  const heartbeatMs = Math.max(10, opts.heartbeatMs ?? 15_000);
  const maxBuffered = opts.maxBufferedBytes ?? 1024 * 1024;

  let ended = false;
  let streaming = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => { resolveDone = r; });
  const buffered: LiveEvent[] = [];
  const server = req.server.server as object;

  const write = (chunk: string) => {
    if (ended) return;
    res.write(chunk);
    // A stalled client must not pile up memory on the server.
    if (res.writableLength > maxBuffered) finish(true);
  };

  const cleanup = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    if (heartbeat) clearInterval(heartbeat);
    openStreams.get(server)?.delete(stop);
    resolveDone();
  };
  /** Ends the response; `drop` also closes the connection (shutdown, stalled client) instead of keeping it alive. */
  const finish = (drop: boolean) => {
    if (ended) return;
    cleanup();
    if (!streaming) return;
    if (!drop) { res.end(); return; }
    // The socket is captured now: Node detaches it from the response on 'finish'.
    const socket = res.socket;
    res.end(() => socket?.destroy());
    setTimeout(() => socket?.destroy(), 1000).unref();
  };
  const stop = () => finish(true);

  const unsubscribe = bus.subscribe(channel, (e) => {
    if (!streaming) buffered.push(e);
    else write(formatEvent(e));
  });
  res.once('close', cleanup);
  req.raw.once('close', cleanup);
  let set = openStreams.get(server);
  if (!set) openStreams.set(server, (set = new Set()));
  set.add(stop);

  let initial: LiveEvent | undefined;
  try {
    initial = typeof opts.initial === 'function' ? await opts.initial() : opts.initial;
  } catch (err) {
    cleanup();
    throw err;
  }
  // `reply.sent`: the handler did not return or await this promise and Fastify already answered.
  if (ended || reply.sent || res.headersSent || res.destroyed || res.socket?.destroyed) {
    cleanup();
    return done;
  }

  reply.hijack();
  // Headers set through reply.header() (Fastify keeps them until send) go out too; helmet's are already on res.
  const headers: OutgoingHttpHeaders = {};
  const unfit = ['content-length', 'content-encoding', 'etag', 'last-modified'];
  for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined && !unfit.includes(k)) headers[k] = v;
  for (const k of unfit) res.removeHeader(k);
  Object.assign(headers, {
    'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no', connection: 'keep-alive',
  });
  res.writeHead(200, headers);
  streaming = true;
  if (req.method === 'HEAD') {
    finish(false);
    return done;
  }
  req.raw.socket.setTimeout(0);
  req.raw.socket.setNoDelay(true);
  req.raw.socket.setKeepAlive(true);

  const retry = `retry: ${opts.retryMs ?? 3000}\n`;
  write(initial ? retry + formatEvent(initial, 'hello') : `${retry}: connected\n\n`);
  for (const e of buffered.splice(0)) {
    // Already covered by the hello: it was read after these were published.
    if (initial && e.type !== RESYNC_EVENT && e.conferenceId === initial.conferenceId && e.version <= initial.version) continue;
    write(formatEvent(e));
  }
  heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
  return done;
}
