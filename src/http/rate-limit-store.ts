import { createHash } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { DB } from '../store/db.js';
import { rateLimitsRepo } from '../store/rate-limits.repo.js';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;
interface RouteParams { routeInfo?: { method?: string | string[]; url?: string } }

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A store for @fastify/rate-limit that counts in the database (migration 018), so the per-address limits on sign-in
 * and the public form hold across every app node instead of per node's memory. Each limited route is its own
 * bucket; addresses are hashed before they are stored. Old windows are purged now and then, as counts are taken.
 */
export function databaseRateLimitStore(db: DB): FastifyRateLimitStoreCtor {
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    private readonly bucket: string;

    constructor(params: object = {}) {
      const info = (params as RouteParams).routeInfo;
      this.bucket = info?.url ? `${[info.method ?? ''].flat().join(',')} ${info.url}` : 'global';
    }

    incr(key: string, cb: Callback, timeWindow: number, _max: number): void {
      const now = Date.now();
      const hashed = createHash('sha256').update(key).digest('hex');
      rateLimitsRepo.hit(db, this.bucket, hashed, timeWindow, now)
        .then(async (r) => {
          if (r.count === 1 && Math.random() < 0.01) await rateLimitsRepo.purge(db, now - DAY_MS);
          cb(null, { current: r.count, ttl: Math.max(0, r.windowStart + timeWindow - now) });
        })
        .catch((err: unknown) => cb(err instanceof Error ? err : new Error(String(err))));
    }

    child(params: object): FastifyRateLimitStore {
      return new DatabaseRateLimitStore(params);
    }
  };
}
