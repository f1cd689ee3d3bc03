import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPostgresDir } from '../../src/main/local-servers/postgres';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { prepareScreenshots, shot } from '../support/screenshots';
import { startWebApp, type WebApp } from '../support/web-app';

const CASES_QUERY = 'select case_number, title, status, priority, version from cases order by case_number';
const FAN_OUT_QUERY = 'select count(*) as cases from cases';
const REASON = 'Counting cases per tenant for the quarterly capacity review';

/**
 * The workbench in the browser on the demo platform (PostgreSQL and Redis, 25 tenants): one
 * tenant's query with sort, filter and export; a fan-out over every tenant with its reason, found
 * again in the audit viewer; and the tabs and the history after a reload.
 */
describe('the workbench in the browser', () => {
  let app: WebApp;
  let browser: OpenBrowser | undefined;
  let page: Page;
  let tenantLabel = '';
  let rowsRead = 0;

  beforeAll(async () => {
    await prepareScreenshots();
    app = await startWebApp({ demo: true, env: {} });
    browser = await openBrowser({ width: 1440, height: 900 });
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    const dataDir = app?.dataDir;
    await app?.close();
    if (dataDir) await rm(localPostgresDir(join(dataDir, 'demo', 'postgres')), { recursive: true, force: true });
  });

  const grid = () => page.getByRole('grid', { name: 'Result' });
  const status = () => page.getByTestId('run-status');
  const cell = (row: number, column: number) => grid().locator(`[role="gridcell"][data-row="${row}"][data-col="${column}"]`);

  async function openWorkbench(): Promise<void> {
    const entry = page.getByRole('navigation').getByText('Workbench', { exact: true });
    await expect.poll(() => entry.isVisible(), { timeout: 120_000 }).toBe(true);
    await entry.click();
    await expect.poll(() => page.getByRole('heading', { name: 'Workbench' }).isVisible(), { timeout: 20_000 }).toBe(true);
  }

  /** The editor's visible text, with Monaco's non-breaking spaces as plain ones. */
  async function editorText(): Promise<string> {
    return (await page.locator('.monaco-editor .view-lines').innerText()).replace(/\s/g, ' ');
  }

  /** Replaces the editor's text as typed (insertText: no auto-closed brackets or quotes added). */
  async function typeQuery(text: string): Promise<void> {
    const editor = page.locator('[data-testid="query-editor"] .monaco-editor');
    await expect.poll(() => editor.isVisible(), { timeout: 20_000 }).toBe(true);
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  }

  it('runs a query for one tenant, then sorts and filters what arrived', async () => {
    await page.goto(app.url);
    await openWorkbench();
    await page.getByRole('combobox', { name: 'Tenant' }).click();
    const option = page.getByRole('option').first();
    tenantLabel = await option.innerText();
    await option.click();
    await typeQuery(CASES_QUERY);
    await page.keyboard.press('Control+Enter');

    await expect.poll(() => status().getAttribute('data-state'), { timeout: 60_000 }).toBe('succeeded');
    rowsRead = Number((await page.getByTestId('run-rows').innerText()).replace(/[^\d]/g, ''));
    expect(rowsRead).toBeGreaterThan(0);
    expect(await cell(0, 0).innerText()).toMatch(/\S/);
    await page.mouse.move(0, 0);
    await shot(page, 'workbench-01-one-tenant');

    // Descending by case number: the first row is now the last one that arrived.
    const lastArrived = await (async () => {
      await grid().evaluate((el, rows) => (el.scrollTop = rows * 24), rowsRead);
      const row = grid().locator(`[role="gridcell"][data-row="${rowsRead - 1}"][data-col="0"]`);
      await expect.poll(() => row.isVisible(), { timeout: 10_000 }).toBe(true);
      const text = await row.innerText();
      await grid().evaluate((el) => (el.scrollTop = 0));
      return text;
    })();
    await page.getByRole('button', { name: 'Sort by case_number' }).click();
    await page.getByRole('button', { name: 'Sort by case_number' }).click();
    await expect.poll(() => cell(0, 0).innerText()).toBe(lastArrived);
    expect(await page.getByRole('columnheader', { name: 'case_number' }).getAttribute('aria-sort')).toBe('descending');

    await page.getByLabel('Filter status').fill('open');
    await expect.poll(() => page.getByTestId('filter-count').innerText(), { timeout: 10_000 }).toMatch(/of [\d,]+ rows match/);
    expect(await cell(0, 2).innerText()).toContain('open');
    await page.mouse.move(0, 0);
    await shot(page, 'workbench-02-sorted-filtered');
  });

  it('exports the query as CSV: the download arrives with every row', async () => {
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'CSV' }).click();
    const file = await download;
    const path = await file.path();
    const lines = (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '');
    // A header line, then one line per row (the demo's titles hold no line breaks).
    expect(lines[0]).toBe('case_number,title,status,priority,version');
    expect(lines.length - 1).toBe(rowsRead);
    await shot(page, 'workbench-03-exported');
  });

  it('shows a statement that does not parse with its code and marks where in the editor; Esc stops a running query', async () => {
    await page.getByRole('button', { name: 'New tab' }).click();
    await page.getByRole('menuitem', { name: 'PostgreSQL' }).click();
    await page.getByRole('combobox', { name: 'Tenant' }).click();
    await page.getByRole('option', { name: tenantLabel }).click();
    await typeQuery('select case_number\nform cases');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => status().getAttribute('data-state'), { timeout: 60_000 }).toBe('failed');
    const error = await page.getByTestId('run-error').innerText();
    expect(error).toContain('invalid_argument');
    expect(error).toMatch(/at character \d+/);
    await expect.poll(() => page.locator('.monaco-editor .squiggly-error').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.mouse.move(0, 0);
    await shot(page, 'workbench-04-error-position');

    // Esc in the editor stops a running query.
    await typeQuery('select pg_sleep(30)');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => status().getAttribute('data-state'), { timeout: 20_000 }).toBe('running');
    await page.keyboard.press('Escape');
    await expect.poll(() => status().getAttribute('data-state'), { timeout: 5_000 }).toBe('cancelled');
    await page.getByRole('button', { name: 'Close PostgreSQL 2' }).click();
  });

  it('fans out over every tenant with a reason: a tenant column, one status per tenant, and the audit entry', async () => {
    await page.getByRole('button', { name: 'New tab' }).click();
    await page.getByRole('menuitem', { name: 'PostgreSQL' }).click();
    await page.getByText('All tenants', { exact: true }).click();
    await typeQuery(FAN_OUT_QUERY);
    await page.getByRole('button', { name: 'Run across tenants' }).click();

    const dialog = page.getByRole('dialog', { name: 'Work across tenants' });
    await expect.poll(() => dialog.isVisible(), { timeout: 20_000 }).toBe(true);
    await dialog.getByLabel('Reason').fill(REASON);
    await shot(page, 'workbench-05-fan-out-reason');
    await dialog.getByRole('button', { name: 'Continue' }).click();

    await expect.poll(() => status().getAttribute('data-state'), { timeout: 120_000 }).toBe('succeeded');
    const tenants = page.getByRole('region', { name: 'Tenants of the run' });
    expect(await tenants.locator('[data-tenant][data-state="done"]').count()).toBe(25);
    expect(await page.getByRole('columnheader', { name: 'tenant' }).count()).toBe(1);
    expect(await page.getByTestId('run-rows').innerText()).toBe('25 rows from 25 tenants');
    const firstTenant = tenantLabel.split(' · ').pop()!;
    await page.getByLabel('Filter every column').fill(firstTenant);
    await expect.poll(() => page.getByTestId('filter-count').innerText(), { timeout: 10_000 }).toBe('1 of 25 rows match');
    expect(await cell(0, 0).innerText()).toBe(firstTenant);
    await page.mouse.move(0, 0);
    await shot(page, 'workbench-06-fan-out');

    await page.getByRole('navigation').getByText('Audit', { exact: true }).click();
    const audit = page.getByRole('grid', { name: 'Audit entries' });
    await expect.poll(() => audit.innerText(), { timeout: 20_000 }).toContain('workbench.fanOut');
    expect(await audit.innerText()).toContain(REASON);
    await shot(page, 'workbench-07-audit');
  });

  it('finds the tabs, their queries and the history after a reload, and explains a tab’s statement', async () => {
    await page.reload();
    await openWorkbench();
    const tabs = page.getByRole('tablist', { name: 'Workbench tabs' }).getByRole('tab');
    await expect.poll(() => tabs.count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => editorText(), { timeout: 20_000 }).toContain('count(*)');
    expect(await page.getByRole('radio', { name: 'All tenants' }).isChecked()).toBe(true);
    await tabs.first().click();
    await expect.poll(() => editorText()).toContain('order by case_number');
    expect(await page.getByRole('combobox', { name: 'Tenant' }).inputValue()).toBe(tenantLabel);

    const history = page.getByRole('region', { name: 'History and saved queries' });
    await expect.poll(() => history.innerText(), { timeout: 20_000 }).toContain(FAN_OUT_QUERY);
    expect(await history.innerText()).toContain(CASES_QUERY);
    expect(await history.innerText()).toContain('all tenants');
    await page.mouse.move(0, 0);
    await shot(page, 'workbench-08-after-reload');

    // A past query opens in a tab of its own and runs again.
    const pastRun = history.locator('[data-history-kind="history"]', { hasText: 'order by case_number' }).first();
    await pastRun.getByRole('button', { name: /^Run PostgreSQL · tenant .* again$/ }).click();
    await expect.poll(() => tabs.count()).toBe(3);
    await expect.poll(() => status().getAttribute('data-state'), { timeout: 60_000 }).toBe('succeeded');

    // Explain takes the tab's statement and tenant to the explain screen, which runs it.
    await page.getByRole('toolbar', { name: 'Query settings' }).getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Explain' }).isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.getByText(/^Showing: /).isVisible(), { timeout: 60_000 }).toBe(true);
    await page.mouse.move(0, 0);
    await shot(page, 'workbench-09-explain');
    expect(browser?.errors).toEqual([]);
  });
});
