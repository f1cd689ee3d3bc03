import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWebApp, type WebApp } from '../support/web-app';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';
import { keepForReadme, prepareScreenshots, shot } from '../support/screenshots';

const README_FILE = 'workspaces.png';
// The README's picture is this test's overview screenshot; it is refreshed only on request, since

const postgres = inject('postgres');
const redis = inject('redis');
const WORKSPACE = 'Murima2025 local';
const OTHER_WORKSPACE = 'Client Management staging';

/** Every file under a directory, for checking that no secret lands on disk in the clear. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]))),
  );
  return nested.flat();
}

async function everythingOnDisk(dir: string): Promise<string> {
  const files = await filesUnder(dir);
  const contents = await Promise.all(files.map(async (file) => ((await stat(file)).size < 5_000_000 ? readFile(file, 'utf8') : '')));
  return contents.join('\n');
}

function section(page: Page, store: string): Locator {
  return page.locator(`section[aria-label="${store}"]`);
}

describe('workspaces in the browser, against the throwaway PostgreSQL and Redis', () => {
  let app: WebApp;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const pageErrors: string[] = [];


  beforeAll(async () => {
    await prepareScreenshots();
    app = await startWebApp();
    userDataDir = await mkdtemp(join(tmpdir(), 'tenantscope-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1280, height: 760 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    await app?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  it('starts with an empty list that offers to create a workspace', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.getByText('No workspaces yet').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('No workspace selected').isVisible()).toBe(true);
    await shot(page, '01-workspaces-empty');
  });

  it('creates a workspace whose PostgreSQL and Redis connections test green with their server versions', async () => {
    await page.getByRole('button', { name: 'New workspace' }).click();
    await page.getByLabel('Name').fill(WORKSPACE);
    await shot(page, '02-editor-new');

    const pg = section(page, 'PostgreSQL');
    await pg.getByRole('switch', { name: 'Use PostgreSQL' }).check({ force: true });
    await pg.getByLabel('Host', { exact: true }).fill(postgres.host);
    await pg.getByLabel('Port', { exact: true }).fill(String(postgres.port));
    await pg.getByLabel('Database', { exact: true }).fill(postgres.database);
    await pg.getByLabel('User', { exact: true }).fill(postgres.user);
    await pg.getByLabel('Password', { exact: true }).fill(postgres.password);

    const rd = section(page, 'Redis');
    await rd.getByRole('switch', { name: 'Use Redis' }).check({ force: true });
    await rd.getByLabel('Host', { exact: true }).fill(redis.host);
    await rd.getByLabel('Port', { exact: true }).fill(String(redis.port));
    await rd.getByLabel('Password', { exact: true }).fill(redis.password);

    await pg.getByRole('button', { name: 'Test PostgreSQL connection' }).click();
    await rd.getByRole('button', { name: 'Test Redis connection' }).click();
    const pgResult = page.getByTestId('test-result-postgres');
    const redisResult = page.getByTestId('test-result-redis');
    await expect.poll(() => pgResult.innerText(), { timeout: 10_000 }).toMatch(/PostgreSQL\s+15\.\d+.*\d+ ms/);
    await expect.poll(() => redisResult.innerText(), { timeout: 10_000 }).toMatch(/Redis\s+\d+\.\d+\.\d+.*\d+ ms/);
    await rd.scrollIntoViewIfNeeded();
    await shot(page, '03-editor-connections-tested');

    await page.getByRole('button', { name: 'Create workspace' }).click();
    await expect.poll(() => page.getByRole('heading', { name: WORKSPACE }).isVisible()).toBe(true);
  });

  it('shows the new workspace in the overview and each store’s state in the status bar', async () => {
    const bar = page.getByRole('status', { name: 'Store status' });
    await expect.poll(() => bar.locator('[data-store-status="postgres"]').getAttribute('data-state'), { timeout: 10_000 }).toBe('connected');
    await expect.poll(() => bar.locator('[data-store-status="redis"]').getAttribute('data-state')).toBe('connected');
    expect(await bar.locator('[data-store-status="mongo"]').getAttribute('data-state')).toBe('not_configured');
    expect(await bar.locator('[data-store-status="postgres"]').innerText()).toMatch(/15\.\d+/);
    const overviewPg = page.locator('[data-store="postgres"]');
    expect(await overviewPg.innerText()).toContain(`${postgres.user}@${postgres.host}:${postgres.port}/${postgres.database}`);
    expect(await overviewPg.innerText()).toContain('password stored');
    await page.mouse.move(0, 0);
    await expect.poll(() => page.getByText(`${WORKSPACE} is saved.`).isVisible(), { timeout: 10_000 }).toBe(false);
    await shot(page, '04-overview');
    await keepForReadme('04-overview', README_FILE);

    await page.getByRole('navigation').getByText('Workspaces').click();
    await expect.poll(() => page.getByRole('table', { name: 'Workspaces' }).innerText()).toContain(WORKSPACE);
    await shot(page, '05-workspaces-list');
  });

  it('reports auth_failed for a wrong password and keeps the stored one after cancelling', async () => {
    await page.getByRole('button', { name: `Edit ${WORKSPACE}` }).click();
    const pg = section(page, 'PostgreSQL');
    const password = pg.getByLabel('Password', { exact: true });
    await expect.poll(() => pg.innerText()).toMatch(/\bstored\b/i);
    expect(await password.inputValue()).toBe('');
    await password.fill('not-the-password');
    await pg.getByRole('button', { name: 'Test PostgreSQL connection' }).click();
    await expect.poll(() => page.getByTestId('test-result-postgres').innerText(), { timeout: 10_000 }).toContain('auth_failed');
    await pg.scrollIntoViewIfNeeded();
    await shot(page, '06-editor-auth-failed');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Nothing was half-saved: the stored password still connects, from the vault.
    await page.getByRole('navigation').getByText('Workspaces').click();
    await page.getByRole('button', { name: `Edit ${WORKSPACE}` }).click();
    const again = section(page, 'PostgreSQL');
    expect(await again.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await again.getByRole('button', { name: 'Test PostgreSQL connection' }).click();
    await expect.poll(() => page.getByTestId('test-result-postgres').innerText(), { timeout: 10_000 }).toMatch(/PostgreSQL\s+15\.\d+/);

    const onDisk = await everythingOnDisk(app.dataDir);
    expect(onDisk).toContain(WORKSPACE);
    expect(onDisk).not.toContain(postgres.password);
    expect(onDisk).not.toContain(redis.password);
    expect(onDisk).not.toContain('not-the-password');
  });

  it('shows the workspace as JSON in Monaco, without secrets', async () => {
    await page.getByRole('tab', { name: 'As JSON' }).click();
    const editor = page.getByTestId('code-editor');
    await expect.poll(() => editor.locator('.view-lines').innerText(), { timeout: 20_000 }).toContain('"hasPassword"');
    // Monaco renders spaces as non-breaking ones.
    const text = (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    expect(text).toContain(WORKSPACE);
    expect(text).not.toContain(postgres.password);
    await shot(page, '07-editor-json');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('switches to the light theme', async () => {
    await page.getByRole('button', { name: 'Switch to the light theme' }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe('light');
    await page.getByRole('navigation').getByText('Overview').click();
    await shot(page, '08-overview-light');
    await page.getByRole('button', { name: 'Switch to the dark theme' }).click();
  });

  it('shows stores that do not answer as down, with the reason, in the overview and the status bar', async () => {
    await page.getByRole('navigation').getByText('Workspaces').click();
    await page.getByRole('button', { name: 'New workspace' }).click();
    await page.getByLabel('Name').fill(OTHER_WORKSPACE);
    await page.getByText('staging', { exact: true }).click();
    await page.getByRole('combobox', { name: 'Tenancy preset' }).click();
    await page.getByRole('option', { name: 'Client Management System' }).click();

    const mongo = section(page, 'MongoDB');
    await mongo.getByRole('switch', { name: 'Use MongoDB' }).check({ force: true });
    // Port 1 on loopback refuses at once: a store that is down, without waiting for a timeout.
    await mongo.getByLabel('MongoDB connection URI').fill('mongodb://cms:secret@127.0.0.1:1/?authSource=admin&replicaSet=rs0');
    await mongo.getByRole('button', { name: 'Fill fields' }).click();
    expect(await mongo.getByLabel('Hosts').inputValue()).toBe('127.0.0.1:1');
    expect(await mongo.getByLabel('User', { exact: true }).inputValue()).toBe('cms');
    await mongo.getByLabel('Customer database').fill('cms_customer_staging');
    await mongo.getByLabel('Shared database').fill('cms_shared_staging');
    await mongo.getByLabel('Admin database').fill('cms_admin_staging');

    const elastic = section(page, 'Elasticsearch');
    await elastic.getByRole('switch', { name: 'Use Elasticsearch' }).check({ force: true });
    await elastic.getByLabel('Node URL').fill('https://127.0.0.1:1');
    await elastic.getByRole('switch', { name: 'TLS' }).check({ force: true });
    await elastic.getByRole('checkbox', { name: 'Verify the server certificate' }).uncheck({ force: true });
    await expect.poll(() => elastic.innerText()).toContain('Use it only for a lab server');
    await mongo.scrollIntoViewIfNeeded();
    await shot(page, '10-editor-mongo-elastic');

    await page.getByRole('button', { name: 'Create workspace' }).click();
    await expect.poll(() => page.getByRole('heading', { name: OTHER_WORKSPACE }).isVisible()).toBe(true);
    const bar = page.getByRole('status', { name: 'Store status' });
    await expect.poll(() => bar.locator('[data-store-status="mongo"]').getAttribute('data-state'), { timeout: 20_000 }).toBe('down');
    await expect.poll(() => bar.locator('[data-store-status="elastic"]').getAttribute('data-state'), { timeout: 20_000 }).toBe('down');
    expect(await bar.locator('[data-store-status="postgres"]').getAttribute('data-state')).toBe('not_configured');
    expect(await page.locator('[data-store="mongo"]').innerText()).toContain('customer cms_customer_staging');
    await expect.poll(() => page.getByText(`${OTHER_WORKSPACE} is saved.`).isVisible(), { timeout: 10_000 }).toBe(false);
    await shot(page, '11-overview-stores-down');

    await page.getByRole('combobox', { name: 'Active workspace' }).click();
    await expect.poll(() => page.getByRole('option', { name: WORKSPACE }).isVisible()).toBe(true);
    await shot(page, '12-workspace-switcher');
    await page.getByRole('option', { name: WORKSPACE }).click();
    await expect.poll(() => page.getByRole('heading', { name: WORKSPACE }).isVisible()).toBe(true);
  });

  it('deletes the workspace only after its name is typed', async () => {
    await page.getByRole('navigation').getByText('Workspaces').click();
    await page.getByRole('button', { name: `Delete ${WORKSPACE}` }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete workspace' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Confirmation').fill('Murima2025');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Confirmation').fill(WORKSPACE);
    await shot(page, '09-delete-confirmation');
    await confirm.click();
    const table = page.getByRole('table', { name: 'Workspaces' });
    await expect.poll(() => table.innerText()).not.toContain(WORKSPACE);
    expect(await table.innerText()).toContain(OTHER_WORKSPACE);
    // The deleted workspace was active: the remaining one takes its place.
    expect(await page.getByRole('combobox', { name: 'Active workspace' }).inputValue()).toBe(OTHER_WORKSPACE);
    expect(pageErrors).toEqual([]);
  });
});
