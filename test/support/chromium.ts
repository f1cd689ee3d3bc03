import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * The system Chromium the browser tests drive (playwright-core never downloads one), with the flags
 * a closed, headless machine needs: no sandbox as root, no GPU, and no background networking that
 * would only knock on closed doors.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A Chromium of its own profile, with every page error and console error collected for the test to check. */
export interface OpenBrowser {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, in order: a clean run leaves this empty. */
  errors: string[];
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

export async function openBrowser(viewport: { width: number; height: number } = { width: 1440, height: 860 }): Promise<OpenBrowser> {
  const dir = await mkdtemp(join(tmpdir(), 'tenantscope-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
