import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from '../support/web-app';
import { connectApi } from '../support/web-client';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { prepareScreenshots, shot } from '../support/screenshots';
import { activeStatements, createDatabase, postgresWorkspace } from '../support/job-database';

const DATABASE = 'jobs_e2e';
const WORKSPACE = 'Jobs demo';

describe('the jobs room in the browser', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let app: WebApp;
  let browser: OpenBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    await prepareScreenshots();
    db = await createDatabase(DATABASE);
    await db.run(
      'create schema tenant_acme; create table tenant_acme.cases (id int); create table tenant_acme.users (id int); ' +
        'create schema tenant_globex; create table tenant_globex.cases (id int); create schema tenant_initech',
    );
    app = await startWebApp();
    const { api, socket } = connectApi(app.origin, app.token);
    try {
      await api.workspaces.create({ workspace: postgresWorkspace(WORKSPACE, DATABASE) });
    } finally {
      socket()?.close();
    }
    browser = await openBrowser({ width: 1360, height: 820 });
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  const rows = () => page.locator('[data-job-id]');
  const rowOf = (title: RegExp) => page.locator('[data-job-id]', { hasText: title });

  async function openJobs(): Promise<void> {
    await expect.poll(() => page.getByRole('heading', { name: WORKSPACE }).isVisible(), { timeout: 20_000 }).toBe(true);
    await page.getByRole('navigation').getByText('Jobs', { exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Jobs' }).isVisible(), { timeout: 20_000 }).toBe(true);
  }

  it('starts a job and shows its progress, phase and log as it runs', async () => {
    await page.goto(app.url);
    await openJobs();
    await page.getByLabel('Steps', { exact: true }).fill('6');
    await page.getByLabel('Seconds per step', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Start job' }).click();

    const sleeper = rowOf(/Sleep 6 × 2 s/);
    await expect.poll(() => sleeper.getAttribute('data-state'), { timeout: 20_000 }).toBe('running');
    await expect.poll(() => sleeper.getByTestId('job-phase').innerText(), { timeout: 20_000 }).toMatch(/^[1-5] of 6 · sleeping: step [2-6] of 6/);
    // The job opens on start; its log grows a line per step.
    const log = page.getByLabel('Job log');
    await expect.poll(() => log.innerText(), { timeout: 20_000 }).toContain('Step 1 of 6 slept 2 s.');
    await shot(page, 'jobs-01-running');
  });

  it('runs a tenant sweep beside it and cancels the sleeper, whose statement leaves the server', async () => {
    await page.getByText('Sweep tenant schemas').click();
    await page.getByLabel('Seconds per tenant', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Start job' }).click();
    const sweep = rowOf(/Sweep every tenant schema/);
    await expect.poll(() => sweep.getAttribute('data-state'), { timeout: 20_000 }).toBe('running');

    const sleeper = rowOf(/Sleep 6 × 2 s/);
    expect(await sleeper.getAttribute('data-state')).toBe('running');
    await sleeper.getByRole('button', { name: /^Cancel job/ }).click();
    await expect.poll(() => sleeper.getAttribute('data-state'), { timeout: 20_000 }).toBe('cancelled');
    await expect.poll(() => activeStatements(db.admin, DATABASE, 'select pg_sleep($1)'), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => sweep.getAttribute('data-state'), { timeout: 30_000 }).toBe('succeeded');
    expect(await sweep.getByTestId('job-phase').innerText()).toBe('3 of 3 · done');

    await sleeper.click();
    const detail = page.getByRole('region', { name: 'Job detail' });
    await expect.poll(() => detail.innerText(), { timeout: 20_000 }).toContain('Cancel asked for by');
    expect(await detail.innerText()).toContain('Cancelled on request.');
    await page.mouse.move(0, 0);
    await shot(page, 'jobs-02-cancelled');
  });

  it('shows both jobs as they ended after a reload, with their logs', async () => {
    await page.reload();
    await openJobs();
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(2);
    expect(await rowOf(/Sleep 6 × 2 s/).getAttribute('data-state')).toBe('cancelled');
    expect(await rowOf(/Sweep every tenant schema/).getAttribute('data-state')).toBe('succeeded');
    await rowOf(/Sweep every tenant schema/).click();
    const log = page.getByLabel('Job log');
    await expect.poll(() => log.innerText(), { timeout: 20_000 }).toContain('tenant_acme: 2 tables.');
    expect(await log.innerText()).toContain('Found 3 tenant schemas.');
    await page.mouse.move(0, 0);
    await shot(page, 'jobs-03-after-reload');

    // Each job left one entry in the audit journal, with its outcome.
    await page.getByRole('navigation').getByText('Audit', { exact: true }).click();
    const grid = page.getByRole('grid', { name: 'Audit entries' });
    await expect.poll(() => grid.innerText(), { timeout: 20_000 }).toContain('jobs.demo.tenant-sweep');
    expect(await grid.innerText()).toContain('jobs.demo.sleep');
    await shot(page, 'jobs-04-audit');
    expect(browser?.errors).toEqual([]);
  });
});
