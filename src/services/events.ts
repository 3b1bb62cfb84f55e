/**
 * Live updates for the conference meeting mode (DESIGN.md §3: a service "publishes a change event").
 *
 * An event says only *what* changed and *which version* it is now: ids and versions, never patient names or other
 * clinical content (followers refetch what they show through the normal, permission-checked API). It travels over
 * an {@link EventBus}:
 * - {@link memoryBus}: one process (SQLite, or a single PostgreSQL node);
 * - {@link postgresBus}: every app node LISTENs on one PostgreSQL channel, so an event published on any node reaches
 *   the subscribers on every node (including the publishing one), in the same order everywhere.
 *
 * Publish AFTER the transaction that made the change has committed: the caller does it, once `inTransaction`
 * has resolved. Publishing inside the transaction would let followers refetch before the change is visible, and
 * would announce changes that may still roll back. Because the change is already committed, a failed publish must
 * not fail the request: use {@link publishQuietly} (or catch and log). Followers lose nothing lasting: they refetch
 * the whole state on the next event, on a `resync` event, and on reconnect (the SSE `hello` carries the version).
 */
import pg from 'pg';
import type { Store } from '../store/db.js';

/** A change notice: ids and versions only (no patient names); followers refetch. */
export type LiveEvent = { type: string; conferenceId: string; version: number; at: string; data?: unknown };

export interface EventBus {
  /** Sends the event to every subscriber of `channel` (on every node). Rejects if it is invalid or cannot be sent. */
  publish(channel: string, event: LiveEvent): Promise<void>;
  /** Calls `listener` for each event on `channel`, in publish order; returns the unsubscribe function. */
  subscribe(channel: string, listener: (e: LiveEvent) => void): () => void;
  /** Stops delivery and releases connections; publishing afterwards rejects. */
  close(): Promise<void>;
}

/** The one PostgreSQL LISTEN/NOTIFY channel every node uses; bus channels travel inside the payload. */
export const PG_CHANNEL = 'tumorboard_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more (default build). */
export const MAX_PAYLOAD_BYTES = 7999;
/**
 * Delivered by {@link postgresBus} to every subscriber after its listening connection was lost and restored:
 * events published meanwhile may be missing, so followers should refetch. `conferenceId`/`version` are those of
 * the last event this node saw on the channel (`''`/`0` when none).
 */
export const RESYNC_EVENT = 'resync';

const CHANNEL_RE = /^[A-Za-z0-9_.:-]{1,200}$/;
const TYPE_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** Checks the event and returns the wire payload (JSON, under {@link MAX_PAYLOAD_BYTES}); throws a TypeError/RangeError. */
export function encodeEvent(channel: string, event: LiveEvent): string {
  if (typeof channel !== 'string' || !CHANNEL_RE.test(channel)) throw new TypeError(`invalid event channel ${JSON.stringify(channel)}`);
  const e = event as Partial<LiveEvent> | null;
  if (!e || typeof e !== 'object') throw new TypeError('an event must be an object');
  // Types become SSE `event:` lines, so no line breaks or spaces.
  if (typeof e.type !== 'string' || !TYPE_RE.test(e.type)) throw new TypeError(`invalid event type ${JSON.stringify(e.type)}`);
  if (typeof e.conferenceId !== 'string') throw new TypeError('event.conferenceId must be a string');
  if (typeof e.version !== 'number' || !Number.isSafeInteger(e.version) || e.version < 0) {
    throw new TypeError(`event.version must be a non-negative integer, got ${String(e.version)}`);
  }
  if (typeof e.at !== 'string' || Number.isNaN(Date.parse(e.at))) throw new TypeError('event.at must be an ISO-8601 time');
  const wire: LiveEvent = { type: e.type, conferenceId: e.conferenceId, version: e.version, at: e.at };
  if (e.data !== undefined) wire.data = e.data;
  let payload: string;
  try {
    payload = JSON.stringify({ c: channel, e: wire });
  } catch (err) {
    throw new TypeError(`event.data is not JSON-serializable: ${(err as Error).message}`);
  }
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`event payload is ${bytes} bytes (limit ${MAX_PAYLOAD_BYTES}); send ids and versions, let followers refetch`);
  }
  return payload;
}

/** Parses a wire payload; undefined for anything malformed (another program may NOTIFY on the channel). */
export function decodeEvent(payload: string): { channel: string; event: LiveEvent } | undefined {
  try {
    const p = JSON.parse(payload) as { c?: unknown; e?: Partial<LiveEvent> };
    const e = p.e;
    if (typeof p.c !== 'string' || !e || typeof e.type !== 'string' || typeof e.conferenceId !== 'string'
      || typeof e.version !== 'number' || typeof e.at !== 'string') return undefined;
    return { channel: p.c, event: deepFreeze(e as LiveEvent) };
  } catch {
    return undefined;
  }
}

/** One decoded event object is shared by all listeners, so it is frozen: a listener cannot change what others see. */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** The subscriber registry both buses share: per-channel listeners, isolated from each other's exceptions. */
class Fanout {
  private readonly subs = new Map<string, Set<{ fn: (e: LiveEvent) => void }>>();
  private readonly last = new Map<string, LiveEvent>();

  constructor(private readonly onError: (err: Error) => void) {}

  subscribe(channel: string, fn: (e: LiveEvent) => void): () => void {
    if (typeof channel !== 'string' || !CHANNEL_RE.test(channel)) throw new TypeError(`invalid event channel ${JSON.stringify(channel)}`);
    let set = this.subs.get(channel);
    if (!set) this.subs.set(channel, (set = new Set()));
    const entry = { fn };
    set.add(entry);
    return () => {
      const s = this.subs.get(channel);
      if (!s?.delete(entry) || s.size > 0) return;
      this.subs.delete(channel);
      this.last.delete(channel);
    };
  }

  deliver(channel: string, event: LiveEvent): void {
    const set = this.subs.get(channel);
    if (!set) return;
    if (event.type !== RESYNC_EVENT) this.last.set(channel, event);
    // A snapshot, but each entry is re-checked: a listener removed during this delivery gets nothing more.
    for (const entry of [...set]) {
      if (!set.has(entry)) continue;
      try {
        entry.fn(event);
      } catch (err) {
        this.onError(asError(err));
      }
    }
  }

  /** Tells every subscriber that events may have been missed. */
  resync(at: string): void {
    for (const channel of [...this.subs.keys()]) {
      const last = this.last.get(channel);
      this.deliver(channel, deepFreeze({ type: RESYNC_EVENT, conferenceId: last?.conferenceId ?? '', version: last?.version ?? 0, at }));
    }
  }

  get subscriberCount(): number {
    let n = 0;
    for (const s of this.subs.values()) n += s.size;
    return n;
  }

  clear(): void {
    this.subs.clear();
    this.last.clear();
  }
}

export interface BusOptions {
  /** Failures that are not thrown to a caller: a listener that threw, a lost connection, a reconnect attempt. */
  onError?: (err: Error) => void;
}

/** An in-process bus (one node). Same validation and payload limit as {@link postgresBus}; delivery is asynchronous. */
export function memoryBus(opts: BusOptions = {}): EventBus & { readonly subscriberCount: number } {
  const fanout = new Fanout(opts.onError ?? (() => {}));
  let closed = false;
  return {
    async publish(channel, event) {
      if (closed) throw new Error('event bus is closed');
      // Encoded and decoded like the PostgreSQL bus, so what works on SQLite works on PostgreSQL.
      const payload = encodeEvent(channel, event);
      queueMicrotask(() => {
        const d = decodeEvent(payload);
        if (!closed && d) fanout.deliver(d.channel, d.event);
      });
    },
    subscribe: (channel, listener) => fanout.subscribe(channel, listener),
    async close() {
      closed = true;
      fanout.clear();
    },
    get subscriberCount() { return fanout.subscriberCount; },
  };
}

export interface PostgresBusOptions extends BusOptions {
  /** Called each time the listening connection is restored after a loss (a `resync` event is also delivered). */
  onReconnect?: () => void;
  /** First reconnect delay; doubles per failed attempt up to `maxBackoffMs` (with jitter). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the idle listening connection is checked with `select 1` (a half-open TCP connection never errors). */
  pingMs?: number;
}

export interface PostgresBus extends EventBus {
  /** Resolves once LISTEN is active (the first time); rejects if the bus is closed first. */
  ready(): Promise<void>;
  /** Whether the listening connection is up right now. */
  readonly connected: boolean;
  readonly subscriberCount: number;
}

/**
 * A bus over PostgreSQL LISTEN/NOTIFY for several app nodes on one database. A dedicated connection LISTENs on
 * {@link PG_CHANNEL}; publish is `select pg_notify(…)` on a small separate pool. Every event, including one
 * published by this node, is delivered when its notification comes back, so all nodes see one order.
 *
 * When PostgreSQL restarts or the connection is killed, the bus reconnects with exponential backoff and LISTENs
 * again; it never throws from a connection event (failures go to `onError`). Notifications sent while a node was
 * not listening are lost (PostgreSQL does not queue them for a closed session): after reconnecting the bus
 * delivers a {@link RESYNC_EVENT} to every subscriber so followers refetch.
 */
export function postgresBus(databaseUrl: string, opts: PostgresBusOptions = {}): PostgresBus {
  const onError = opts.onError ?? (() => {});
  const minBackoff = opts.minBackoffMs ?? 100;
  const maxBackoff = opts.maxBackoffMs ?? 5000;
  const pingMs = opts.pingMs ?? 30_000;
  const fanout = new Fanout(onError);
  const clientConfig: pg.ClientConfig = {
    connectionString: databaseUrl, keepAlive: true, keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: 10_000, application_name: 'tumorboard-events',
  };
  // Publishing never waits for the listener; a lost publishing connection is dropped by the pool.
  const pool = new pg.Pool({ ...clientConfig, application_name: 'tumorboard-events-publish', max: 2, idleTimeoutMillis: 30_000 });
  pool.on('error', () => {});
  // A checked-out publishing client that loses its server must not crash the process either (see store/db.ts).
  pool.on('connect', (client) => { client.on('error', () => {}); });

  let listener: { client: pg.Client; fail: (err: unknown) => void } | null = null;
  let closed = false;
  let attempt = 0;
  let everConnected = false;
  let retryTimer: NodeJS.Timeout | null = null;
  /** A client still connecting, so close() can end it too. */
  let pending: pg.Client | null = null;
  let readyResolve!: () => void;
  let readyReject!: (err: Error) => void;
  const readyPromise = new Promise<void>((res, rej) => { readyResolve = res; readyReject = rej; });
  readyPromise.catch(() => {});

  const onNotification = (msg: pg.Notification) => {
    if (msg.channel !== PG_CHANNEL || closed || msg.payload === undefined) return;
    const d = decodeEvent(msg.payload);
    if (d) fanout.deliver(d.channel, d.event);
    else onError(new Error('ignored a malformed notification on the event channel'));
  };

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    const base = Math.min(maxBackoff, minBackoff * 2 ** attempt);
    attempt++;
    retryTimer = setTimeout(() => { retryTimer = null; void connect(); }, Math.round(base * (0.5 + Math.random() * 0.5)));
    retryTimer.unref();
  }

  async function connect(): Promise<void> {
    if (closed) return;
    const c = new pg.Client(clientConfig);
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      if (listener?.client === c) listener = null;
      c.removeListener('notification', onNotification);
      c.end().catch(() => {});
      if (closed) return;
      onError(new Error(`event bus connection lost: ${asError(err).message}`));
      scheduleReconnect();
    };
    // The 'error' listener stays for the client's lifetime: an unhandled 'error' would crash the process.
    c.on('error', fail);
    c.on('end', () => fail(new Error('connection ended')));
    c.on('notification', onNotification);
    pending = c;
    try {
      await c.connect();
      await c.query(`LISTEN ${PG_CHANNEL}`);
    } catch (err) {
      fail(err);
      return;
    } finally {
      if (pending === c) pending = null;
    }
    if (failed) return;
    if (closed) { c.end().catch(() => {}); return; }
    listener = { client: c, fail };
    attempt = 0;
    if (everConnected) {
      fanout.resync(new Date().toISOString());
      try { opts.onReconnect?.(); } catch (err) { onError(asError(err)); }
    }
    everConnected = true;
    readyResolve();
  }

  const ping = setInterval(() => {
    const l = listener;
    if (!l) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error('ping timed out')), 10_000); });
    Promise.race([l.client.query('select 1'), timeout])
      .catch((err: unknown) => { if (listener === l) l.fail(err); })
      .finally(() => clearTimeout(timer));
  }, pingMs);
  ping.unref();

  void connect();

  async function notify(payload: string): Promise<void> {
    await pool.query('select pg_notify($1, $2)', [PG_CHANNEL, payload]);
  }

  return {
    async publish(channel, event) {
      if (closed) throw new Error('event bus is closed');
      const payload = encodeEvent(channel, event);
      try {
        await notify(payload);
      } catch (err) {
        // One retry covers a pooled connection that died with a PostgreSQL restart. Followers ignore a repeated
        // version, so a duplicate (first attempt sent, answer lost) is harmless.
        if (closed) throw err;
        await notify(payload);
      }
    },
    subscribe: (channel, fn) => fanout.subscribe(channel, fn),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(ping);
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      fanout.clear();
      readyReject(new Error('event bus is closed'));
      const l = listener;
      listener = null;
      const p = pending;
      pending = null;
      await Promise.allSettled([l?.client.end(), p?.end(), pool.end()]);
    },
    ready: () => readyPromise,
    get connected() { return listener !== null; },
    get subscriberCount() { return fanout.subscriberCount; },
  };
}

/**
 * The bus for this store: PostgreSQL LISTEN/NOTIFY when the store is PostgreSQL (every node sees every event),
 * in-memory for SQLite (a single node). `databaseUrl` (with credentials; `store.location` has none) is required
 * for PostgreSQL.
 */
export function createEventBus(store: Store, databaseUrl?: string, opts: PostgresBusOptions = {}): EventBus {
  if (store.dialect === 'postgres') {
    if (!databaseUrl) throw new Error('a PostgreSQL store needs its database URL for the event bus');
    return postgresBus(databaseUrl, opts);
  }
  return memoryBus(opts);
}

/** Publishes after commit without failing the caller: the change is committed; a lost event is reported, not thrown. */
export async function publishQuietly(
  bus: Pick<EventBus, 'publish'> | undefined, channel: string, event: LiveEvent, onError?: (err: Error) => void,
): Promise<void> {
  if (!bus) return;
  try {
    await bus.publish(channel, event);
  } catch (err) {
    onError?.(asError(err));
  }
}
