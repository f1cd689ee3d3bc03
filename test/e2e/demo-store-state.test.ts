import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPostgresDir } from '../../src/main/local-servers/postgres';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { prepareScreenshots, shot } from '../support/screenshots';
import { startWebApp, type WebApp } from '../support/web-app';

/**
 * mongodb-memory-server reads these: a download that cannot succeed (nothing listens on port 1)
 * for a version no cache holds, so the demo's MongoDB is not available whatever the machine has.
 */
function impossibleDownload(downloadDir: string): Record<string, string> {
  return {
    MONGOMS_DOWNLOAD_MIRROR: 'http://127.0.0.1:1',
    MONGOMS_USE_HTTP: 'true',
    MONGOMS_DOWNLOAD_DIR: downloadDir,
    MONGOMS_VERSION: '7.0.99',
    MONGOMS_MAX_RETRIES: '1',
  };
}

describe('the demo with MongoDB not available, in the browser: every place says the same', () => {
  const saved = { ...process.env };
  let dataDir: string;
  let app: WebApp;
  let browser: OpenBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    await prepareScreenshots();
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-demo-e2e-'));
    delete process.env.MONGOMS_SYSTEM_BINARY;
    Object.assign(process.env, impossibleDownload(join(dataDir, 'mongodb-binaries')));
    app = await startWebApp({ dataDir, demo: true, env: {} });
    browser = await openBrowser({ width: 1360, height: 820 });
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    for (const key of Object.keys(process.env)) if (key.startsWith('MONGOMS_') && !(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await rm(localPostgresDir(join(dataDir, 'demo', 'postgres')), { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('Overview, status bar and tenant list header all say "not available" with the download error', async () => {
    await page.goto(app.url);
    const card = page.locator('[data-store="mongo"]');
    // The failed download reaches the page by main's status event or the next check, whichever comes first.
    await expect
      .poll(async () => {
        if (!(await card.textContent())?.includes('could not be downloaded')) await page.getByRole('button', { name: 'Check stores' }).click();
        return card.textContent();
      }, { timeout: 90_000, interval: 1_000 })
      .toContain('could not be downloaded');
    const reason = (await card.textContent())!.replace(/^MongoDBnot available/, '');
    expect(await card.getAttribute('data-state')).toBe('unavailable');
    expect(await card.textContent()).not.toMatch(/does not use|not configured/);

    const bar = page.locator('[data-store-status="mongo"]');
    expect(await bar.getAttribute('data-state')).toBe('unavailable');
    expect(await bar.textContent()).toBe('MongoDBnot available');
    expect(await page.locator('[data-store-status="postgres"]').getAttribute('data-state')).toBe('connected');
    expect(await page.locator('[data-store="postgres"]').getAttribute('data-state')).toBe('connected');
    await shot(page, 'demo-overview-mongo-unavailable');

    await page.getByRole('navigation').getByText('Tenants').click();
    const header = page.locator('[data-store-answer="mongo"]');
    await expect.poll(() => header.textContent(), { timeout: 30_000 }).toContain('not available');
    expect(await header.textContent()).toContain(reason.slice(0, 60));
    expect(await page.locator('[data-store-answer="elastic"]').textContent()).toContain('not available');
    await shot(page, 'demo-tenants-mongo-unavailable');
    expect(browser!.errors).toEqual([]);
  }, 180_000);
});
