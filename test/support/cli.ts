import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface CliRun { code: number | null; stdout: string; stderr: string }

/**
 * Runs `tumorboard ARGS…` through the real entry point (src/cli/main.ts under tsx) in a child process, from the
 * project root. `env` is added to this process's environment, where DATABASE_URL is cleared unless `env` sets it
 * (a test's database is named by --db or by `env`, never inherited); `stdin` is written and closed.
 */
export function runCli(args: readonly string[], opts: { env?: Record<string, string>; stdin?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT, stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  });
}
