import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { startIlmStub, type IlmStub } from '../support/ilm-stub-server';
import { prepareScreenshots, shot } from '../support/screenshots';
import { startWebApp, type WebApp } from '../support/web-app';
import { connectApi } from '../support/web-client';

const TENANTS = ['3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f', '0b6e2f10-1c2d-4e3f-8a9b-0c1d2e3f4a5b', '7a1d0c3e-2b4f-4c6d-8e9f-a0b1c2d3e4f5', 'c4d5e6f7-0a1b-4c2d-9e3f-405162738495'];

/**
 * The ILM screen in web mode. With the workspace's Elasticsearch unreachable, it says so and
 * offers nothing; against a stub that replays the reference's reply shapes (no Elasticsearch runs
 * here), it draws the policies, marks a policy that breaks the phase rules, shows the diff before
 * saving, the error board, a retry refused in the server's words, and templates with a rollover
 * dry run.
 */
describe('the ILM screen in the browser', () => {
  let app: WebApp;
  let stub: IlmStub;
  let browser: OpenBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    await prepareScreenshots();
    stub = await startIlmStub(TENANTS);
    app = await startWebApp();
    const { api, socket } = connectApi(app.origin, app.token);
    try {
      // Port 9 (discard) answers nothing here: the store is down with the reason.
      await api.workspaces.create({ workspace: { name: 'Murima no ES', environment: 'dev', preset: 'murima2025', endpoints: { elastic: { node: 'http://127.0.0.1:9' } } } });
      await api.workspaces.create({ workspace: { name: 'Murima ILM', environment: 'dev', preset: 'murima2025', endpoints: { elastic: { node: stub.url } } } });
    } finally {
      socket()?.close();
    }
    browser = await openBrowser({ width: 1360, height: 860 });
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await stub?.close();
  });

  const nav = (label: string) => page.getByRole('navigation').getByText(label, { exact: true }).click();
  const openWorkspace = async (name: string) => {
    await page.goto(app.url);
    await nav('Workspaces');
    await page.getByRole('button', { name, exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name }).isVisible(), { timeout: 20_000 }).toBe(true);
  };

  it('says plainly that a workspace without a reachable Elasticsearch has nothing to manage', async () => {
    await openWorkspace('Murima no ES');
    await nav('Lifecycle (ILM)');
    await expect.poll(() => page.getByTestId('ilm-unavailable').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('ilm-unavailable').innerText()).toMatch(/down|not reachable|not available/);
    await shot(page, 'ilm-01-unavailable');
  });

  it('lists policies, marks a broken edit on its key, and shows the diff before saving', async () => {
    await openWorkspace('Murima ILM');
    await nav('Lifecycle (ILM)');
    await expect.poll(() => page.getByTestId('policy-row').count(), { timeout: 30_000 }).toBe(2);
    // The seed's policy uses freeze, removed in 8.0: the list says so.
    expect(await page.getByTestId('policy-row').first().innerText()).toContain('phases.cold.actions.freeze');
    await shot(page, 'ilm-02-policies');
    await page.getByTestId('policy-row').first().getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByTestId('policy-editor');
    await expect.poll(() => editor.locator('.monaco-editor').isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('policy-problems').innerText(), { timeout: 10_000 }).toContain('removed in Elasticsearch 8.0');
    await shot(page, 'ilm-03-editor-markers');
    // Replace the text with a valid policy (no freeze, a later rollover): the problems go, the review opens.
    await editor.locator('.monaco-editor').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(
      // One line: Monaco's auto-indent would otherwise add to what is typed.
      JSON.stringify({ phases: { hot: { min_age: '0ms', actions: { rollover: { max_age: '14d', max_size: '50gb' } } }, warm: { min_age: '30d', actions: { shrink: { number_of_shards: 1 }, forcemerge: { max_num_segments: 1 } } }, delete: { min_age: '365d', actions: { delete: {} } } } }),
    );
    await expect.poll(async () => ((await page.getByTestId('policy-problems').count()) === 0 ? 'none' : page.getByTestId('policy-problems').innerText()), { timeout: 10_000 }).toBe('none');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await expect.poll(() => page.getByTestId('policy-diff').locator('.monaco-diff-editor').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('policy-changes').innerText()).toContain('phases.hot.actions.rollover.max_age: "30d" → "14d"');
    await shot(page, 'ilm-04-diff');
    await page.getByRole('button', { name: /^Save \d+ changes?$/ }).click();
    await expect.poll(() => page.getByTestId('job-outcome').getAttribute('data-state'), { timeout: 30_000 }).toBe('succeeded');
    expect(stub.requests).toContain('PUT /_ilm/policy/case_logs_policy');
    // What was saved is the stored policy now: the editor is at the new version with nothing to review.
    await expect.poll(() => page.getByText(/^version 5 ·/).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByRole('button', { name: 'Review changes' }).isDisabled()).toBe(true);
    await shot(page, 'ilm-05-saved');
  });

  it('shows the error board and a refused retry in the server’s own words', async () => {
    await page.getByRole('tab', { name: 'Error board' }).click();
    await expect.poll(() => page.getByTestId('board-row').count(), { timeout: 30_000 }).toBe(3);
    expect(await page.getByTestId('error-group').count()).toBe(2);
    await shot(page, 'ilm-06-error-board');
    await page.getByTestId('error-group').first().getByRole('button', { name: /^Retry/ }).click();
    await expect.poll(() => page.getByTestId('job-outcome').getAttribute('data-state'), { timeout: 30_000 }).toBe('failed');
    expect(await page.getByTestId('job-outcome').innerText()).toContain('has not encountered an error when running a Lifecycle Policy');
    await shot(page, 'ilm-07-retry-refused');
  });

  it('explains the indices of every tenant and shows templates with a rollover dry run', async () => {
    await page.getByRole('tab', { name: 'Indices' }).click();
    await page.getByRole('main').getByRole('button', { name: 'Explain' }).click();
    await expect.poll(() => page.getByTestId('explain-cost').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('explain-cost').innerText()).toContain(`${TENANTS.length * 15} indices`);
    await shot(page, 'ilm-08-indices');
    await page.getByRole('tab', { name: 'Templates · rollover' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Index templates' }).isVisible(), { timeout: 30_000 }).toBe(true);
    await page.getByRole('button', { name: `tenant-${TENANTS[0]}-cases` }).click();
    await page.getByLabel('max_docs').fill('1000');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await expect.poll(() => page.getByTestId('rollover-dry-run').isVisible(), { timeout: 20_000 }).toBe(true);
    await shot(page, 'ilm-09-templates-rollover');
  });
});
