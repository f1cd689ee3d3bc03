import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConsole, type ConsoleOptions } from '../../src/main/core/console';
import { startWebServer } from '../../src/main/server/web-server';

export interface WebApp {
  /** The address to open, token included: opening it sets the session cookie. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  close(): Promise<void>;
}

export const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer');

/**
 * Tenantscope in web mode inside the test process: the real console core over a data dir (a fresh
 * temporary one unless given, removed on close) and the built renderer from out/renderer.
 */
export async function startWebApp(
  options: { dataDir?: string; mode?: 'web' | 'desktop'; demo?: ConsoleOptions['demo']; env?: ConsoleOptions['env'] } = {},
): Promise<WebApp> {
  try {
    await access(join(RENDERER_DIR, 'index.html'));
  } catch {
    throw new Error(`The renderer is not built (${RENDERER_DIR}/index.html is missing): run npm run build first`);
  }
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'tenantscope-web-')));
  // 'desktop' without safeStorage is what a Linux desktop with no secret store gets: a passphrase vault.
  const core = await createConsole({ dataDir, mode: options.mode ?? 'web', version: 'test', demo: options.demo, env: options.env ?? {} });
  let server;
  try {
    server = await startWebServer({ core, staticDir: RENDERER_DIR });
  } catch (error) {
    await core.close();
    throw error;
  }
  return {
    url: server.url,
    origin: server.origin,
    token: server.token,
    dataDir,
    async close() {
      await server.close();
      await core.close();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
