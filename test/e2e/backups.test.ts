import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { localPostgresDir } from '../../src/main/local-servers/postgres';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { announceSkip } from '../support/external-stores';
import { prepareScreenshots, shot } from '../support/screenshots';
import { startWebApp, type WebApp } from '../support/web-app';
import { connectApi } from '../support/web-client';

const SUITE = 'backups e2e';
const JUSTIFICATION = 'SUP-2041: before the customer’s data fix';

/**
 * Why the backups service cannot carry this suite yet (its methods still answer that they are not
 * wired), or undefined when it can.
 */
async function backupsUnavailable(app: WebApp): Promise<string | undefined> {
  const { api, socket } = connectApi(app.origin, app.token);
  try {
    let workspaceId: string | undefined;
    // The demo creates its workspace once its servers are up.
    for (let attempt = 0; attempt < 240 && !workspaceId; attempt++) {
      workspaceId = (await api.workspaces.list({}))[0]?.id;
      if (!workspaceId) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (!workspaceId) return 'the demo platform created no workspace';
    try {
      await api.backups.backupFolder({ workspaceId });
      return undefined;
    } catch (error) {
      if (AppError.is(error, 'internal') && /not wired/.test(error.message)) return `the backups service is not built yet (${error.message})`;
      throw error;
    }
  } finally {
    socket()?.close();
  }
}

/**
 * Backups on the demo platform (PostgreSQL and Redis, 25 tenants), in the browser: a tenant is
 * backed up from its page, the bundle verified, restored under a new name, its restored counts
 * compared with the manifest, and the audit viewer shows the three jobs.
 */
describe('backups in the browser', () => {
  let app: WebApp;
  let browser: OpenBrowser | undefined;
  let page: Page;
  let skipReason: string | undefined;
  let tenantId = '';
  let bundleId = '';
  /** The three jobs' ids, as the screens showed them when they started. */
  const jobIds: Record<'backup' | 'verify' | 'restore', string> = { backup: '', verify: '', restore: '' };

  beforeAll(async () => {
    await prepareScreenshots();
    app = await startWebApp({ demo: true, env: {} });
    skipReason = await backupsUnavailable(app);
    announceSkip(SUITE, skipReason);
    if (skipReason) return;
    browser = await openBrowser({ width: 1440, height: 900 });
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    const dataDir = app?.dataDir;
    await app?.close();
    if (dataDir) await rm(localPostgresDir(join(dataDir, 'demo', 'postgres')), { recursive: true, force: true });
  });

  const nav = (label: string) => page.getByRole('navigation').getByText(label, { exact: true }).click();
  const startedJob = () => page.getByTestId('backup-job');

  it('backs up a tenant from its page, with the job’s progress inline, into a complete bundle', async (context) => {
    if (skipReason) return context.skip();
    await page.goto(app.url);
    const tenants = page.getByRole('navigation').getByText('Tenants', { exact: true });
    await expect.poll(() => tenants.isVisible(), { timeout: 120_000 }).toBe(true);
    await tenants.click();
    const grid = page.getByRole('grid', { name: 'Tenants' });
    const first = grid.locator('[data-row-key]').first();
    await expect.poll(() => first.isVisible(), { timeout: 60_000 }).toBe(true);
    tenantId = (await first.getAttribute('data-row-key')) ?? '';
    await first.click();

    await page.getByRole('button', { name: 'Back up this tenant' }).click();
    const dialog = page.getByRole('dialog', { name: `Back up ${tenantId}` });
    await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(true);
    // Every store the workspace has is ticked: the bundle takes each one the service can back up.
    expect(await dialog.getByLabel('PostgreSQL', { exact: true }).isChecked()).toBe(true);
    await dialog.getByLabel('Justification').fill(JUSTIFICATION);
    await shot(page, 'backups-01-backup-dialog');
    await dialog.getByRole('button', { name: 'Start backup' }).click();

    await expect.poll(() => dialog.getByTestId('backup-job').getAttribute('data-state'), { timeout: 120_000 }).toBe('succeeded');
    jobIds.backup = (await dialog.getByTestId('backup-job').getAttribute('data-job-id')) ?? '';
    await shot(page, 'backups-02-backup-done');
    await dialog.getByRole('button', { name: 'Open the bundle' }).click();

    const postgres = page.getByRole('region', { name: 'PostgreSQL part' });
    await expect.poll(() => postgres.isVisible(), { timeout: 20_000 }).toBe(true);
    bundleId = await page.getByTestId('bundle-id').innerText();
    expect(bundleId).toMatch(/^\d{8}T\d{6}Z-/);
    expect(await page.getByTestId('bundle-status').textContent()).toBe('complete');
    expect(Number((await postgres.getByTestId('total-postgres').innerText()).replace(/\s/g, ''))).toBeGreaterThan(0);
    expect(await page.getByText(JUSTIFICATION).isVisible()).toBe(true);
    await page.mouse.move(0, 0);
    await shot(page, 'backups-03-bundle');
  });

  it('verifies the bundle: the job passes and the bundle reads verified', async (context) => {
    if (skipReason) return context.skip();
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => startedJob().getAttribute('data-kind'), { timeout: 10_000 }).toBe('backups.verify');
    await expect.poll(() => startedJob().getAttribute('data-state'), { timeout: 180_000 }).toBe('succeeded');
    jobIds.verify = (await startedJob().getAttribute('data-job-id')) ?? '';
    await expect.poll(() => page.getByTestId('verification-outcome').textContent(), { timeout: 20_000 }).toBe('passed');
    expect(await page.getByTestId('bundle-status').textContent()).toBe('verified');
    await page.mouse.move(0, 0);
    await shot(page, 'backups-04-verified');
  });

  it('restores the bundle under a new name, and the restored counts match the manifest', async (context) => {
    if (skipReason) return context.skip();
    await page.getByRole('button', { name: 'Restore' }).click();
    const dialog = page.getByRole('dialog', { name: `Restore ${tenantId}` });
    await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(true);
    const targetName = await dialog.getByRole('textbox', { name: 'New name' }).inputValue();
    expect(targetName).toMatch(/^restored_[a-z0-9_]+_\d{8}_\d{4}$/);
    await shot(page, 'backups-05-restore-dialog');
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();

    await expect.poll(() => startedJob().getAttribute('data-kind'), { timeout: 10_000 }).toBe('backups.restore');
    await expect.poll(() => startedJob().getAttribute('data-state'), { timeout: 180_000 }).toBe('succeeded');
    jobIds.restore = (await startedJob().getAttribute('data-job-id')) ?? '';
    // The tenant browser opens tenants by id, not a schema by name: the restored copy is shown by
    // what the restore read back from it, beside the manifest's counts.
    const restored = page.getByTestId('restored-counts');
    await expect.poll(() => restored.isVisible(), { timeout: 10_000 }).toBe(true);
    const pg = restored.locator('[data-restored="postgres"]');
    expect(await pg.getByTestId('restored-target').innerText()).toContain(targetName);
    expect(await pg.textContent()).toContain('match');
    expect(await pg.getByTestId('restored-total').innerText()).toBe(await page.getByTestId('total-postgres').innerText());
    await page.mouse.move(0, 0);
    await shot(page, 'backups-06-restored');
  });

  it('lists the bundle in the catalog as verified, dumps the whole database, and the audit viewer shows the three jobs', async (context) => {
    if (skipReason) return context.skip();
    await nav('Backups');
    const row = page.locator(`[data-bundle-id="${bundleId}"]`);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('verified');
    expect(await row.innerText()).toContain(tenantId);
    await page.mouse.move(0, 0);
    await shot(page, 'backups-07-catalog');

    // The whole-store counterpart: every tenant in one pg_dump, a job of its own.
    const whole = page.getByRole('region', { name: 'Whole database' });
    await whole.getByRole('button', { name: 'Dump the whole database' }).click();
    await expect.poll(() => whole.getByTestId('backup-job').getAttribute('data-state'), { timeout: 180_000 }).toBe('succeeded');
    expect(await whole.getByTestId('dump-outcome').innerText()).toMatch(/file\(s\), .* in .*database/);
    await page.mouse.move(0, 0);
    await shot(page, 'backups-08-database-dump');

    await nav('Audit');
    const audit = page.getByRole('grid', { name: 'Audit entries' });
    await expect.poll(() => audit.innerText(), { timeout: 20_000 }).toContain('backups.tenant-bundle');
    // Each job's own entry, by the id the screens showed when it started.
    const text = await audit.innerText();
    for (const jobId of Object.values(jobIds)) {
      expect(jobId).toMatch(/^job_/);
      expect(text).toContain(jobId);
    }
    expect(text).toContain('backups.verify');
    expect(text).toContain('backups.restore');
    await shot(page, 'backups-09-audit');
    expect(browser?.errors).toEqual([]);
  });
});
