import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Attachment files live outside the database rows, content-addressed by SHA-256 (the row records the hash), so a
 * file is written once however often it is attached, and a stored file can be checked against its row.
 *
 * Durability (DESIGN.md §7): a file is in place only after its bytes are fsynced, it is renamed into place, and the
 * directory holding the new name is fsynced. Callers store the file before the row that names it commits, so a
 * committed row never points at a file that a crash could lose (a crash in between leaves only an unreferenced file).
 */
export interface FileStore {
  /** Stores the bytes (atomically: temp file, fsync, rename, fsync of the directory) and returns their SHA-256. */
  put(bytes: Buffer): Promise<string>;
  /**
   * Streams an upload into a temp file while hashing it, without holding it in memory. Nothing is in the store
   * until `commit`; `discard` removes the temp file (both are safe to call more than once).
   */
  stage(source: Readable): Promise<StagedFile>;
  read(sha256: string): Promise<Buffer>;
  has(sha256: string): boolean;
}

/** An upload written to a temp file, hashed and measured, not yet in the store. */
export interface StagedFile {
  readonly size: number;
  readonly sha256: string;
  /** The first bytes (up to 512), for checking what the file is by its content. */
  readonly head: Buffer;
  /** Makes the file durable under its hash (fsync, rename, fsync of the directory); returns the hash. */
  commit(): Promise<string>;
  /** Removes the temp file unless it was committed. */
  discard(): Promise<void>;
}

export const STAGED_HEAD_BYTES = 512;
/** Bytes gathered before one write to the temp file (fewer, larger writes through the thread pool). */
const WRITE_BATCH = 256 * 1024;

/** Writes all the buffers (a short write is finished chunk by chunk). */
async function writeAll(fh: fs.promises.FileHandle, bufs: Buffer[]): Promise<void> {
  const total = bufs.reduce((n, b) => n + b.length, 0);
  let done = (await fh.writev(bufs)).bytesWritten;
  if (done === total) return;
  for (const b of bufs) {
    if (done >= b.length) { done -= b.length; continue; }
    let off = done;
    done = 0;
    while (off < b.length) off += (await fh.write(b, off, b.length - off)).bytesWritten;
  }
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** fsync of a file or directory by its path. */
async function fsyncPath(p: string, flags: 'r' | 'r+'): Promise<void> {
  const fh = await fs.promises.open(p, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync of a directory, so a name created or renamed in it survives a crash. */
const fsyncDir = (dir: string) => fsyncPath(dir, 'r');

/**
 * Directory fsyncs, coalesced: a caller whose new name is already in the directory joins a sync that has not
 * started yet, or the one queued after a sync that is running (which may have begun before its rename). Every
 * caller returns only after an fsync of the directory that began after its own change.
 */
function dirSyncer(): (dir: string) => Promise<void> {
  const state = new Map<string, { running?: Promise<void>; queued?: Promise<void> }>();
  const start = (dir: string): Promise<void> => {
    const st = state.get(dir)!;
    const run = fsyncDir(dir).finally(() => {
      if (st.running === run) st.running = undefined;
      if (!st.running && !st.queued) state.delete(dir);
    });
    st.running = run;
    return run;
  };
  return (dir) => {
    let st = state.get(dir);
    if (!st) { st = {}; state.set(dir, st); }
    const { running } = st;
    if (!running) return start(dir);
    if (st.queued) return st.queued;
    const s = st;
    const queued = running.catch(() => {}).then(() => { s.queued = undefined; return start(dir); });
    s.queued = queued;
    return queued;
  };
}

export function fileStore(dir: string): FileStore {
  const pathOf = (hash: string) => {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error('not a SHA-256');
    return path.join(dir, hash.slice(0, 2), hash);
  };
  const tmpDir = path.join(dir, 'tmp');
  const syncDir = dirSyncer();
  const tmpName = () => path.join(tmpDir, `${process.pid}.${randomBytes(9).toString('hex')}.tmp`);

  /**
   * Creates a directory if needed; each directory created gets its name made durable in its parent. A caller that
   * finds the directory being created by another waits for that to be durable too.
   */
  const creating = new Map<string, Promise<void>>();
  const ensureDir = (d: string): Promise<void> => {
    const pending = creating.get(d);
    if (pending) return pending;
    if (fs.existsSync(d)) return Promise.resolve();
    const p = (async () => {
      const created = await fs.promises.mkdir(d, { recursive: true });
      if (created === undefined) return;
      const parents: string[] = [];
      for (let cur = path.resolve(d); ; cur = path.dirname(cur)) {
        parents.push(path.dirname(cur));
        if (cur === path.resolve(created) || cur === path.dirname(cur)) break;
      }
      await Promise.all(parents.map((x) => syncDir(x)));
    })().finally(() => creating.delete(d));
    creating.set(d, p);
    return p;
  };

  /** Moves a temp file whose bytes are already fsynced into place under its hash. */
  const place = async (tmp: string, hash: string): Promise<void> => {
    const target = pathOf(hash);
    if (fs.existsSync(target)) {
      // Already stored (same content). Its writer may still be making the name durable: sync the directory too,
      // so this caller's row never commits before the file it names is safe.
      await fs.promises.rm(tmp, { force: true });
      await syncDir(path.dirname(target));
      return;
    }
    await ensureDir(path.dirname(target));
    await fs.promises.rename(tmp, target);
    await syncDir(path.dirname(target));
  };

  return {
    async put(bytes) {
      const hash = sha256(bytes);
      if (fs.existsSync(pathOf(hash))) {
        await syncDir(path.dirname(pathOf(hash)));
        return hash;
      }
      await ensureDir(tmpDir);
      const tmp = tmpName();
      const fh = await fs.promises.open(tmp, 'w');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } catch (err) {
        await fh.close().catch(() => {});
        await fs.promises.rm(tmp, { force: true });
        throw err;
      }
      await fh.close();
      await place(tmp, hash);
      return hash;
    },

    async stage(source) {
      await ensureDir(tmpDir);
      const tmp = tmpName();
      const fh = await fs.promises.open(tmp, 'w');
      const hash = createHash('sha256');
      const headParts: Buffer[] = [];
      let headLength = 0;
      let size = 0;
      // Chunks are written as they arrive, gathered into writes of WRITE_BATCH bytes with one write in flight; while
      // a write is in flight and a full batch is waiting, the upload is paused (back-pressure). Stream events, not
      // async iteration: thousands of chunks per second at load, and each iteration step costs promises.
      let inFlight: Promise<void> | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          let pending: Buffer[] = [];
          let pendingBytes = 0;
          let ended = false;
          let done = false;
          const finish = (err?: unknown) => {
            if (done) return;
            done = true;
            source.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
            if (err) reject(err instanceof Error ? err : new Error(String(err)));
            else resolve();
          };
          const flush = () => {
            const bufs = pending;
            pending = [];
            pendingBytes = 0;
            inFlight = writeAll(fh, bufs).then(() => {
              inFlight = undefined;
              if (done) return;
              if (pendingBytes >= WRITE_BATCH || (ended && pendingBytes > 0)) flush();
              else if (ended) finish();
              else if (source.isPaused()) source.resume();
            }, (err: unknown) => {
              inFlight = undefined;
              finish(err);
            });
          };
          function onData(raw: Buffer | Uint8Array | string) {
            const chunk = Buffer.isBuffer(raw) ? raw : typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
            if (chunk.length === 0) return;
            hash.update(chunk);
            if (headLength < STAGED_HEAD_BYTES) {
              const take = chunk.subarray(0, STAGED_HEAD_BYTES - headLength);
              headParts.push(Buffer.from(take));
              headLength += take.length;
            }
            size += chunk.length;
            pending.push(chunk);
            pendingBytes += chunk.length;
            if (pendingBytes >= WRITE_BATCH) {
              if (inFlight) source.pause();
              else flush();
            }
          }
          function onEnd() {
            ended = true;
            if (inFlight) return; // the write's completion goes on
            if (pendingBytes > 0) flush();
            else finish();
          }
          function onClose() {
            if (!ended) finish(new Error('upload ended before it was complete'));
          }
          source.on('data', onData).on('end', onEnd).on('error', finish).on('close', onClose);
        });
      } catch (err) {
        while (inFlight) await (inFlight as Promise<void>);
        await fh.close().catch(() => {});
        await fs.promises.rm(tmp, { force: true });
        throw err;
      }
      const digest = hash.digest('hex');
      const head = Buffer.concat(headParts, headLength);
      let state: 'open' | 'committed' | 'discarded' = 'open';
      let committing: Promise<string> | undefined;
      // The same content is already stored: this copy is never fsynced, only removed (commit then just makes sure
      // the stored one's name is durable). Otherwise fsync starts at once (in the thread pool) while the caller
      // checks the form; commit waits for it.
      const duplicate = fs.existsSync(pathOf(digest));
      const synced = (duplicate ? Promise.resolve() : fh.sync()).finally(() => fh.close());
      synced.catch(() => {});
      return {
        size, sha256: digest, head,
        commit() {
          if (state === 'discarded') return Promise.reject(new Error('staged file was discarded'));
          committing ??= (async () => {
            await synced;
            // (Only if the stored copy vanished since: then this one must be made durable itself.)
            if (duplicate && !fs.existsSync(pathOf(digest))) await fsyncPath(tmp, 'r+');
            await place(tmp, digest);
            state = 'committed';
            return digest;
          })();
          return committing;
        },
        async discard() {
          if (committing) await committing.catch(() => {});
          if (state !== 'open') return;
          state = 'discarded';
          await synced.catch(() => {});
          await fs.promises.rm(tmp, { force: true });
        },
      };
    },

    async read(hash) {
      return fs.promises.readFile(pathOf(hash));
    },
    has(hash) {
      return fs.existsSync(pathOf(hash));
    },
  };
}
