import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../support/web-client';

const ROOT = resolve(import.meta.dirname, '../..');
const WEB_JS = join(ROOT, 'out/main/web.js');

interface Launched {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(command: string[], env: NodeJS.ProcessEnv): Launched {
  const child = spawn(process.execPath, command, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForUrl(launched: Launched): Promise<string> {
  for (let i = 0; i < 600; i++) {
    // The banner ends with the Ctrl+C hint; until then its lines may still be on their way.
    const url = /is running at (http:\/\/\S+)/.exec(launched.output())?.[1];
    if (url && launched.output().includes('Press Ctrl+C to stop.')) return url;
    if (launched.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`No URL was printed:\n${launched.output()}`);
}

/** The environment of a machine where Electron cannot open a window. */
function headlessEnv(dataDir?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TENANTSCOPE_SKIP_BUILD: '1' };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.TENANTSCOPE_DATA_DIR;
  if (dataDir) env.TENANTSCOPE_DATA_DIR = dataDir;
  return env;
}

describe('npm start and npm run web', () => {
  let dataDir: string;
  const running: Launched[] = [];

  beforeAll(async () => {
    if (!existsSync(WEB_JS)) throw new Error(`${WEB_JS} is missing: run npm run build first`);
    dataDir = await mkdtemp(join(tmpdir(), 'ts-start-'));
  });

  afterAll(async () => {
    for (const launched of running) if (launched.child.exitCode === null) launched.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('falls back to web mode where Electron cannot launch, says so, prints a working URL and stops on SIGTERM with 143', async () => {
    const launched = launch(['scripts/start.mjs', '--data-dir', dataDir, '--no-demo'], headlessEnv());
    running.push(launched);
    const url = await waitForUrl(launched);
    expect(launched.output()).toMatch(/The Electron binary is not available on this machine: .+/);
    expect(launched.output()).toMatch(/Starting Tenantscope in web mode instead/);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const { origin } = new URL(url);
    const token = new URL(url).searchParams.get('token') ?? '';
    expect((await httpGet(origin, '/', { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await httpGet(origin, '/')).status).toBe(401);
    launched.child.kill('SIGTERM');
    // Stopped by a signal, it exits the shell's way: 128 + 15.
    expect(await launched.exited).toBe(143);
    expect(launched.output()).toContain('SIGTERM: stopping Tenantscope');
    expect(launched.output()).not.toContain('did not stop cleanly');
    expect((await httpGet(origin, '/').catch((error: NodeJS.ErrnoException) => error.code)) as string).toBe('ECONNREFUSED');
  });

  it('npm run web goes straight to web mode on the given port, with the data dir from the environment', async () => {
    const launched = launch(['scripts/start.mjs', '--web', '--port', '0', '--no-demo'], headlessEnv(dataDir));
    running.push(launched);
    await waitForUrl(launched);
    expect(launched.output()).not.toMatch(/Electron/);
    expect(launched.output()).toContain(`Data directory: ${dataDir}`);
    launched.child.kill('SIGINT');
    expect(await launched.exited).toBe(130);
  });

  it('refuses a non-loopback host without --allow-remote, and a bad port, with a message and exit code 1', async () => {
    const remote = launch([WEB_JS, '--host', '0.0.0.0', '--data-dir', dataDir], headlessEnv());
    expect(await remote.exited).toBe(1);
    expect(remote.output()).toMatch(/invalid_argument.*--allow-remote/s);
    const port = launch([WEB_JS, '--port', 'eighty', '--data-dir', dataDir], headlessEnv());
    expect(await port.exited).toBe(1);
    expect(port.output()).toMatch(/--port must be a whole number/);
  });
});
