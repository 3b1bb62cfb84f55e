import http from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { endStreamsOnClose, streamEvents, type StreamEventsOptions } from '../../src/http/sse.js';
import {
  createEventBus, memoryBus, MAX_PAYLOAD_BYTES, postgresBus, publishQuietly, RESYNC_EVENT,
  type EventBus, type LiveEvent, type PostgresBus,
} from '../../src/services/events.js';
import { DIALECTS, freshStore, type TestStore } from '../support/stores.js';

const adminUrl = () => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

function ev(version: number, over: Partial<LiveEvent> = {}): LiveEvent {
  return { type: 'case.changed', conferenceId: 'conf-1', version, at: new Date(Date.UTC(2025, 0, 6, 16, 0, version)).toISOString(), ...over };
}

function collect(bus: EventBus, channel: string): { got: LiveEvent[]; off: () => void } {
  const got: LiveEvent[] = [];
  return { got, off: bus.subscribe(channel, (e) => got.push(e)) };
}

/** Counts live subscriptions of any bus, to see that a stream unsubscribes. */
function counting(bus: EventBus): EventBus & { active: number } {
  const c = {
    active: 0,
    publish: (ch: string, e: LiveEvent) => bus.publish(ch, e),
    subscribe(ch: string, fn: (e: LiveEvent) => void) {
      const off = bus.subscribe(ch, fn);
      c.active++;
      let done = false;
      return () => { if (!done) { done = true; c.active--; off(); } };
    },
    close: () => bus.close(),
  };
  return c;
}

async function ready(bus: EventBus): Promise<void> {
  if ('ready' in bus) await (bus as PostgresBus).ready();
}

/** Behaviour every bus shares; `nodes` are the buses of the "app nodes" (one for memory, two for PostgreSQL). */
function busContract(name: string, make: () => Promise<EventBus[]>) {
  describe(name, () => {
    let nodes: EventBus[] = [];
    afterEach(async () => { await Promise.all(nodes.map((n) => n.close())); nodes = []; });

    test('an event published on a node reaches the subscribers of its channel on every node within 1 s', async () => {
      nodes = await make();
      const subs = nodes.map((n) => collect(n, 'conference:a'));
      const other = collect(nodes[0]!, 'conference:b');
      const t0 = performance.now();
      await nodes[0]!.publish('conference:a', ev(1, { data: { caseId: 'case-7' } }));
      await waitUntil(() => subs.every((s) => s.got.length === 1), 1000, 'delivery to every node');
      expect(performance.now() - t0).toBeLessThan(1000);
      for (const s of subs) expect(s.got).toEqual([ev(1, { data: { caseId: 'case-7' } })]);
      await sleep(50);
      expect(other.got).toEqual([]);
    });

    test('30 subscribers receive every event once and in publish order', async () => {
      nodes = await make();
      const subs = Array.from({ length: 30 }, (_, i) => collect(nodes[i % nodes.length]!, 'conference:a'));
      // Publishers alternate between the nodes; each publish is awaited, so the order is defined.
      for (let v = 1; v <= 25; v++) await nodes[v % nodes.length]!.publish('conference:a', ev(v));
      await waitUntil(() => subs.every((s) => s.got.length >= 25), 2000, 'all 25 events at all 30 subscribers');
      await sleep(100);
      const expected = Array.from({ length: 25 }, (_, i) => i + 1);
      for (const s of subs) expect(s.got.map((e) => e.version)).toEqual(expected);
    });

    test('a subscriber that unsubscribes gets nothing more, while the others still do', async () => {
      nodes = await make();
      const leaving = collect(nodes.at(-1)!, 'conference:a');
      const staying = collect(nodes.at(-1)!, 'conference:a');
      // Unsubscribing inside delivery stops delivery at once, too.
      const selfRemoving: LiveEvent[] = [];
      const offSelf = nodes[0]!.subscribe('conference:a', (e) => { selfRemoving.push(e); offSelf(); });
      await nodes[0]!.publish('conference:a', ev(1));
      await waitUntil(() => leaving.got.length === 1 && staying.got.length === 1, 1000, 'first event');
      leaving.off();
      leaving.off();
      await nodes[0]!.publish('conference:a', ev(2));
      await nodes[0]!.publish('conference:a', ev(3));
      await waitUntil(() => staying.got.length === 3, 1000, 'later events');
      await sleep(50);
      expect(leaving.got.map((e) => e.version)).toEqual([1]);
      expect(selfRemoving.map((e) => e.version)).toEqual([1]);
    });

    test('a listener that throws neither stops the others nor reaches the publisher', async () => {
      nodes = await make();
      nodes[0]!.subscribe('conference:a', () => { throw new Error('listener bug'); });
      const ok = collect(nodes[0]!, 'conference:a');
      await nodes[0]!.publish('conference:a', ev(1));
      await waitUntil(() => ok.got.length === 1, 1000, 'delivery');
    });

    test('invalid or oversized events are refused before anything is sent', async () => {
      nodes = await make();
      const bus = nodes[0]!;
      await expect(bus.publish('conference:a', ev(1, { data: { blob: 'x'.repeat(MAX_PAYLOAD_BYTES) } }))).rejects.toThrow(/limit 7999/);
      await expect(bus.publish('conference:a', ev(1, { type: 'two\nlines' }))).rejects.toThrow(/event type/);
      await expect(bus.publish('conference:a', ev(-1))).rejects.toThrow(/version/);
      await expect(bus.publish('conference:a', ev(1.5))).rejects.toThrow(/version/);
      await expect(bus.publish('conference:a', ev(1, { at: 'yesterday' }))).rejects.toThrow(/at/);
      await expect(bus.publish('bad channel', ev(1))).rejects.toThrow(/channel/);
      await expect(bus.publish('conference:a', ev(1, { data: { n: 1n } }))).rejects.toThrow(/JSON/);
      expect(() => bus.subscribe('', () => {})).toThrow(/channel/);
      // Just under the limit still goes through.
      const sub = collect(bus, 'conference:a');
      const big = ev(2, { data: { blob: '' } });
      const room = MAX_PAYLOAD_BYTES - Buffer.byteLength(JSON.stringify({ c: 'conference:a', e: big }));
      await bus.publish('conference:a', ev(2, { data: { blob: 'é'.repeat(Math.floor(room / 2)) } }));
      await waitUntil(() => sub.got.length === 1, 1000, 'the largest event');
      // publishQuietly reports instead of throwing (the change it announces is committed).
      const errors: Error[] = [];
      await publishQuietly(bus, 'conference:a', ev(-5), (e) => errors.push(e));
      expect(errors).toHaveLength(1);
      await bus.close();
      await expect(bus.publish('conference:a', ev(3))).rejects.toThrow(/closed/);
    });
  });
}

// ---- a tiny app with the event stream, served on 127.0.0.1 ----

interface Frame { id?: string; event?: string; data?: string; comment?: string; retry?: string }

interface Stream {
  status: number;
  headers: http.IncomingHttpHeaders;
  frames: Frame[];
  /** Resolves when the server ends the response or the connection closes. */
  ended: Promise<void>;
  /** Disconnects, like a follower closing the tab. */
  disconnect(): void;
}

/** Opens the event stream with node:http (no connection pool) and parses SSE blocks into frames. */
function openStream(url: string, method = 'GET'): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      const frames: Frame[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const f: Frame = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) { f.comment = line.slice(1).trim(); continue; }
            const at = line.indexOf(': ');
            (f as Record<string, string>)[line.slice(0, at)] = line.slice(at + 2);
          }
          frames.push(f);
        }
      });
      const ended = new Promise<void>((r) => { res.once('end', r); res.once('close', r); res.once('error', () => r()); });
      resolve({ status: res.statusCode ?? 0, headers: res.headers, frames, ended, disconnect: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

async function eventApp(bus: EventBus, opts: StreamEventsOptions = {}) {
  const app = Fastify({ logger: false });
  // The production app's secure defaults must not get in the way of a stream.
  await app.register(helmet);
  let onSendCalls = 0;
  app.addHook('onSend', async (_req, _reply, payload) => { onSendCalls++; return payload; });
  endStreamsOnClose(app);
  const finished: Array<Promise<void>> = [];
  app.get('/events', (req, reply) => {
    const p = streamEvents(req, reply, bus, 'conference:conf-1', opts);
    finished.push(p);
    return p;
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { app, base, finished, onSendCalls: () => onSendCalls };
}

describe.each(DIALECTS)('live events on %s', (dialect) => {
  let db: TestStore;
  beforeAll(async () => { db = await freshStore(dialect); });
  afterAll(async () => { await db.cleanup(); });

  busContract('the in-memory bus (one node)', async () => [memoryBus()]);

  test('createEventBus picks the bus for the store', async () => {
    const bus = createEventBus(db.store, db.location.databaseUrl);
    try {
      expect('ready' in bus).toBe(dialect === 'postgres');
      if (dialect === 'postgres') expect(() => createEventBus(db.store)).toThrow(/database URL/);
    } finally {
      await bus.close();
    }
  });

  if (dialect === 'postgres') {
    const url = () => db.location.databaseUrl!;
    busContract('the PostgreSQL bus (two app nodes on one database)', async () => {
      const nodes = [postgresBus(url()), postgresBus(url())];
      await Promise.all(nodes.map((n) => n.ready()));
      return nodes;
    });

    const terminate = async (where: string): Promise<number> => {
      const admin = new pg.Client({ connectionString: adminUrl() });
      await admin.connect();
      try {
        const r = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and ${where}`,
          [new URL(url()).pathname.slice(1)]);
        return r.rowCount ?? 0;
      } finally {
        await admin.end();
      }
    };

    test('after PostgreSQL kills the listening connections the buses reconnect, say resync, and later events arrive', async () => {
      const errors: Error[][] = [[], []];
      const reconnects = [0, 0];
      const nodes = [0, 1].map((i) => postgresBus(url(), {
        minBackoffMs: 20, onError: (e) => errors[i]!.push(e), onReconnect: () => { reconnects[i]!++; },
      }));
      try {
        await Promise.all(nodes.map((n) => n.ready()));
        const subs = nodes.map((n) => collect(n, 'conference:a'));
        await nodes[0]!.publish('conference:a', ev(1));
        await waitUntil(() => subs.every((s) => s.got.length === 1), 1000, 'the first event');

        expect(await terminate(`query like 'LISTEN%'`)).toBe(2);
        await waitUntil(() => reconnects.every((n) => n === 1) && nodes.every((n) => n.connected), 5000, 'both reconnects');
        for (const e of errors) expect(e.map((x) => x.message).join('\n')).toMatch(/connection lost/);
        // Events sent while a node was not listening may be gone: subscribers are told to refetch.
        await waitUntil(() => subs.every((s) => s.got.some((e) => e.type === RESYNC_EVENT)), 1000, 'resync');
        for (const s of subs) expect(s.got.find((e) => e.type === RESYNC_EVENT)).toMatchObject({ conferenceId: 'conf-1', version: 1 });

        await nodes[1]!.publish('conference:a', ev(2));
        await waitUntil(() => subs.every((s) => s.got.some((e) => e.version === 2)), 1000, 'an event after reconnecting');

        // The publishing connections die too: the next publish still goes out.
        expect(await terminate(`application_name = 'tumorboard-events-publish'`)).toBeGreaterThan(0);
        await nodes[0]!.publish('conference:a', ev(3));
        await waitUntil(() => subs.every((s) => s.got.some((e) => e.version === 3)), 1000, 'an event through a new publishing connection');
      } finally {
        await Promise.all(nodes.map((n) => n.close()));
      }
    });

    test('an unreachable PostgreSQL is reported through onError and retried, never thrown; close() stops it', async () => {
      const errors: Error[] = [];
      const bus = postgresBus('postgres://postgres@127.0.0.1:1/nowhere', { minBackoffMs: 10, maxBackoffMs: 20, onError: (e) => errors.push(e) });
      const readyOutcome = bus.ready().then(() => 'ready', () => 'closed');
      await waitUntil(() => errors.length >= 3, 3000, 'repeated connection errors');
      expect(bus.connected).toBe(false);
      await bus.close();
      expect(await readyOutcome).toBe('closed');
      const n = errors.length;
      await sleep(100);
      expect(errors.length).toBe(n);
    });
  }

  describe('the SSE stream', () => {
    let bus: EventBus & { active: number };
    let served: Awaited<ReturnType<typeof eventApp>> | undefined;
    beforeAll(async () => {
      const raw = createEventBus(db.store, db.location.databaseUrl);
      await ready(raw);
      bus = counting(raw);
    });
    afterEach(async () => { await served?.app.close(); served = undefined; });
    afterAll(async () => { await bus.close(); });

    test('a follower gets hello with the current version, then every published event, and disconnecting unsubscribes', async () => {
      served = await eventApp(bus, { initial: ev(4, { type: 'conference.state' }) });
      const sse = await openStream(`${served.base}/events`);
      expect(sse.status).toBe(200);
      expect(sse.headers).toMatchObject({
        'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no', connection: 'keep-alive',
        'x-content-type-options': 'nosniff', // helmet's headers are kept
      });
      expect(sse.headers['content-encoding']).toBeUndefined();
      expect(sse.headers['content-length']).toBeUndefined();
      await waitUntil(() => sse.frames.length >= 1, 2000, 'hello');
      expect(sse.frames[0]).toMatchObject({ retry: '3000', id: '4', event: 'hello' });
      expect(JSON.parse(sse.frames[0]!.data!)).toEqual(ev(4, { type: 'conference.state' }));
      expect(bus.active).toBe(1);

      await bus.publish('conference:conf-1', ev(5, { type: 'agenda.moved', data: { itemId: 'item-2' } }));
      await bus.publish('conference:conf-1', ev(6, { type: 'case.opened' }));
      await bus.publish('conference:other', ev(7)); // another conference: not on this stream
      await waitUntil(() => sse.frames.length >= 3, 2000, 'two events');
      await sleep(50);
      expect(sse.frames.slice(1)).toEqual([
        { id: '5', event: 'agenda.moved', data: JSON.stringify(ev(5, { type: 'agenda.moved', data: { itemId: 'item-2' } })) },
        { id: '6', event: 'case.opened', data: JSON.stringify(ev(6, { type: 'case.opened' })) },
      ]);
      expect(served.onSendCalls()).toBe(0); // hijacked: no serializer, no onSend (compression) on the stream

      sse.disconnect();
      await sse.ended;
      await waitUntil(() => bus.active === 0, 1000, 'the server to unsubscribe');
      await Promise.all(served.finished);
    });

    test('with a version read after subscribing, nothing falls between the read and the stream', async () => {
      let published = false;
      served = await eventApp(bus, {
        initial: async () => {
          // Two changes commit while the handler reads the state: v8 is in the snapshot, v9 is not.
          await bus.publish('conference:conf-1', ev(8));
          await bus.publish('conference:conf-1', ev(9));
          await sleep(100);
          published = true;
          return ev(8, { type: 'conference.state' });
        },
      });
      const sse = await openStream(`${served.base}/events`);
      await waitUntil(() => published && sse.frames.length >= 2, 2000, 'hello and the missed event');
      await sleep(50);
      expect(sse.frames.map((f) => [f.event, f.id])).toEqual([['hello', '8'], ['case.changed', '9']]);
      sse.disconnect();
      await waitUntil(() => bus.active === 0, 1000, 'unsubscribe');
    });

    test('heartbeats keep an idle stream alive', async () => {
      served = await eventApp(bus, { heartbeatMs: 40 });
      const sse = await openStream(`${served.base}/events`);
      await waitUntil(() => sse.frames.filter((f) => f.comment === 'heartbeat').length >= 2, 2000, 'two heartbeats');
      expect(sse.frames[0]).toMatchObject({ comment: 'connected', retry: '3000' });
      sse.disconnect();
      await waitUntil(() => bus.active === 0, 1000, 'unsubscribe');
    });

    test('closing the app ends open streams instead of waiting for followers to leave', async () => {
      served = await eventApp(bus, { initial: ev(1) });
      const sse = await openStream(`${served.base}/events`);
      await waitUntil(() => sse.frames.length >= 1, 2000, 'hello');
      const t0 = performance.now();
      await served.app.close();
      served = undefined;
      await sse.ended;
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(bus.active).toBe(0);
    });

    test('an error while reading the initial state is an ordinary HTTP error, and leaves no subscription', async () => {
      served = await eventApp(bus, { initial: async () => { throw Object.assign(new Error('no such conference'), { statusCode: 404 }); } });
      const res = await fetch(`${served.base}/events`);
      expect(res.status).toBe(404);
      await res.text();
      expect(bus.active).toBe(0);
    });

    test('HEAD answers with the stream headers and ends', async () => {
      served = await eventApp(bus);
      const res = await openStream(`${served.base}/events`, 'HEAD');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/event-stream');
      await res.ended;
      await waitUntil(() => bus.active === 0, 1000, 'no subscription');
    });
  });
});
