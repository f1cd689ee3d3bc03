import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dieWithConsoleLauncher, type Launcher } from './die-with-console';
import { processFacts } from './process-facts';
import { runServer } from './server-process';

const repo = resolve(import.meta.dirname, '../../..');

/** A console stand-in: starts `sleep` as a server through the launcher, prints its pid, and waits to be killed. */
const CONSOLE = `
import { dieWithConsoleLauncher } from '${repo}/src/main/local-servers/die-with-console';
import { runServer } from '${repo}/src/main/local-servers/server-process';
const launcher = process.argv[2] === 'watched' ? await dieWithConsoleLauncher('SIGTERM') : undefined;
const server = runServer('sleep', ['300'], { name: 'sleep', launcher });
process.stdout.write(server.child.pid + '\\n');
setInterval(() => undefined, 60_000);
`;

let launcher: Launcher | undefined;
let dir: string;
const leftovers: number[] = [];
beforeAll(async () => {
  launcher = await dieWithConsoleLauncher('SIGTERM');
  if (!launcher) console.warn(`[skipped] servers dying with their console: no setpriv with --pdeathsig on this ${process.platform} machine`);
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-die-with-console-'));
  await writeFile(join(dir, 'console.mts'), CONSOLE);
});
afterAll(async () => {
  for (const pid of leftovers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone, as it should be
    }
  }
  await rm(dir, { recursive: true, force: true });
});

/** Runs the stand-in console, SIGKILLs it once its server runs, and returns the server's pid. */
async function killConsoleUnder(mode: 'watched' | 'plain'): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'console.mts'), mode], {
    cwd: repo,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(repo, 'tsconfig.node.json') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const pid = await new Promise<number>((resolvePid, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolvePid(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`the stand-in console exited by itself (${code})`)));
  });
  leftovers.push(pid);
  // The server runs as `sleep` (the launcher ran it in its own place) before the console dies.
  await until(async () => (await processFacts(pid)).names.includes('sleep'));
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  child.kill('SIGKILL');
  await exited;
  return pid;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolveWait) => setTimeout(resolveWait, 50));
}

describe('a local server started to die with its console', () => {
  it('stops when the console is killed with SIGKILL; without the launcher it is left running', async (context) => {
    if (!launcher) return context.skip();
    const watched = await killConsoleUnder('watched');
    // No clock: the test's own timeout bounds the wait.
    await until(async () => !(await processFacts(watched)).alive);
    const plain = await killConsoleUnder('plain');
    expect((await processFacts(plain)).alive).toBe(true);
  }, 60_000);

  it('reports a program it cannot run as ENOENT or EACCES, like a direct spawn', async (context) => {
    if (!launcher) return context.skip();
    const missing = runServer(join(dir, 'no-such-server'), [], { name: 'missing', ready: /ready/, launcher });
    await expect(missing.ready).rejects.toMatchObject({ code: 'ENOENT' });
    const notRunnable = join(dir, 'not-runnable');
    await writeFile(notRunnable, '#!/bin/sh\n');
    await chmod(notRunnable, 0o644);
    const denied = runServer(notRunnable, [], { name: 'denied', ready: /ready/, launcher });
    await expect(denied.ready).rejects.toMatchObject({ code: 'EACCES' });
  });
});
