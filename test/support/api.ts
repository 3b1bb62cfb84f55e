import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { fileStore } from '../../src/store/files.js';
import { buildApp, type App } from '../../src/http/app.js';
import type { Services } from '../../src/services/context.js';
import { DEMO_PASSWORD, loadDemo } from '../../src/services/demo.service.js';
import type { Dialect } from '../../src/store/db.js';
import { freshStore, type TestStore } from './stores.js';

export interface TestApi {
  app: App;
  services: Services;
  db: TestStore;
  /** Logs in and returns the session cookie header value. */
  login(username: string, password?: string): Promise<string>;
  /** A demo user's session cookie, signed in on first use and kept for the rest of the file. */
  as(username: string): Promise<string>;
  /** A request under /api/v1 as a demo user (kept session), with an optional JSON payload and extra headers. */
  call(username: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A fresh database with the demo program (a few patients) and an API app on it, for inject() tests. */
export async function testApi(dialect: Dialect, opts: { patients?: number; now?: () => Date } = {}): Promise<TestApi> {
  const db = await freshStore(dialect);
  const filesRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-files-'));
  const services: Services = { store: db.store, now: opts.now ?? (() => new Date()), files: fileStore(filesRoot), secretKey: randomBytes(32) };
  await loadDemo(services, { patients: opts.patients ?? 6 });
  const app = await buildApp({ services, loginRateLimit: 1000, publicRateLimit: 1000 });
  const sessions = new Map<string, string>();
  const api: TestApi = {
    app, services, db,
    async login(username, password = DEMO_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const c = res.cookies.find((k) => k.name === 'tb_session');
      if (!c) throw new Error('no session cookie');
      return `tb_session=${c.value}`;
    },
    async as(username) {
      if (!sessions.has(username)) sessions.set(username, await api.login(username));
      return sessions.get(username)!;
    },
    async call(username, method, url, payload, headers = {}) {
      return app.inject({ method, url: `/api/v1${url}`, ...(payload !== undefined ? { payload: payload as object } : {}), headers: { cookie: await api.as(username), ...headers } });
    },
    async close() { await app.close(); await db.cleanup(); fs.rmSync(filesRoot, { recursive: true, force: true }); },
  };
  return api;
}

export function json<T = any>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}
