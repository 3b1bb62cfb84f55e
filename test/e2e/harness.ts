import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { LoginPage } from './pages.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface RunningServer {
  url: string;
  stdout: () => string;
  stop(): Promise<void>;
}

/** Starts the built product as a user would (`tumorboard serve --demo`) on a free port and a fresh SQLite file. */
export async function startServer(extra: string[] = []): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin', 'tumorboard.js'), 'serve', '--port', '0', '--db', path.join(dir, 'e2e.db'), '--demo', ...extra], {
    cwd: dir, env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += String(d); });
  child.stderr!.on('data', (d) => { out += String(d); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const check = () => {
      const m = /running at (http:\/\/\S+?)\/? /.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!.replace('localhost', '127.0.0.1')); }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${out}`)); });
  });
  return {
    url, stdout: () => out,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Collects console errors/warnings and page errors, so a test can assert there were none. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  return problems;
}

/** A fresh page signed in as a demo user, with its console watched for errors. */
export async function signedIn(browser: Browser, server: RunningServer, username: string, viewport = { width: 1366, height: 900 }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  const problems = watchConsole(page);
  const login = new LoginPage(page, server.url);
  await login.open();
  await login.signIn(username, 'tumorboard-demo');
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  return { page, problems };
}

/** A browser story's product and browser: started before its tests, stopped after. */
export interface Story {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** A fresh page signed in as a demo user, its console watched (see `signedIn`). */
  signedIn(username: string, viewport?: { width: number; height: number }): Promise<{ page: Page; problems: string[] }>;
}

/**
 * Call inside a story's `describe`: starts the built product and Chromium before the story's tests and stops them
 * after, so each story file does not repeat the set-up. `server` and `browser` are there once the tests run.
 */
export function useStory(serverArgs: string[] = []): Story {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer(serverArgs);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const started = <T>(x: T | undefined, what: string): T => {
    if (x === undefined) throw new Error(`the story's ${what} is not started yet: use it inside a test or a later hook`);
    return x;
  };
  return {
    get server() { return started(server, 'server'); },
    get browser() { return started(browser, 'browser'); },
    signedIn: (username, viewport) => signedIn(started(browser, 'browser'), started(server, 'server'), username, viewport),
  };
}
