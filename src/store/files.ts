import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Attachment files live outside the database rows, content-addressed by SHA-256 (the row records the hash), so a
 * file is written once however often it is attached, and a stored file can be checked against its row.
 */
export interface FileStore {
  /** Stores the bytes (atomically: temp file then rename) and returns their SHA-256. */
  put(bytes: Buffer): Promise<string>;
  read(sha256: string): Promise<Buffer>;
  has(sha256: string): boolean;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function fileStore(dir: string): FileStore {
  const pathOf = (hash: string) => {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error('not a SHA-256');
    return path.join(dir, hash.slice(0, 2), hash);
  };
  return {
    async put(bytes) {
      const hash = sha256(bytes);
      const target = pathOf(hash);
      if (fs.existsSync(target)) return hash;
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      const fh = await fs.promises.open(tmp, 'w');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.promises.rename(tmp, target);
      return hash;
    },
    async read(hash) {
      return fs.promises.readFile(pathOf(hash));
    },
    has(hash) {
      return fs.existsSync(pathOf(hash));
    },
  };
}
