import { Redis } from 'ioredis';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASK } from '@shared/masking';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { startWebApp, type WebApp } from '../support/web-app';
import { connectApi } from '../support/web-client';
import { createMurimaWorkspace, seedMurima, type SeededMurima } from './tenants-support';
import { keepForReadme, prepareScreenshots, shot } from '../support/screenshots';

const README_FILE = 'redis-unmask.png';
const DATABASE = 'redis_unmask_e2e';
/** A Redis database of its own: other suites flush theirs. */
const REDIS_DB = 11;
const REASON = 'Customer reports being logged in as someone else (SUP-5120)';


describe('unmasking one field of a Redis session in the browser, on a seeded Murima2025 platform', () => {
  let platform: SeededMurima | undefined;
  let redis: Redis;
  let app: WebApp;
  let browser: OpenBrowser | undefined;
  let page: Page;
  let tenant: { id: string; name: string };

  beforeAll(async () => {
    await prepareScreenshots();
    platform = await seedMurima({ database: DATABASE, redisDb: REDIS_DB, tenants: 2, seed: 'redis-unmask-e2e' });
    ({ redis } = platform);
    tenant = platform.tenants[0]!;

    app = await startWebApp();
    await createMurimaWorkspace(app, 'Murima sessions', { database: DATABASE, redisDb: REDIS_DB });
    browser = await openBrowser();
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await platform?.drop();
  });

  const fieldRow = (value: Locator, field: string): Locator =>
    value.getByRole('table', { name: 'Value' }).locator('tbody tr').filter({ has: page.getByRole('cell', { name: field, exact: true }) });

  /** The tenant's sessions as Redis holds them: the ids the page must never show unasked. */
  const storedSessions = async (): Promise<Array<{ key: string; id: string; hash: Record<string, string> }>> => {
    const keys = await redis.keys(`${tenant.id}:session:*`);
    return Promise.all(keys.map(async (key) => ({ key, id: key.slice(`${tenant.id}:session:`.length), hash: await redis.hgetall(key) })));
  };
  const expectNothingOf = async (sessions: Array<{ id: string; hash: Record<string, string> }>): Promise<void> => {
    const html = await page.content();
    for (const session of sessions) {
      expect(html).not.toContain(session.id);
      if (session.hash.username) expect(html).not.toContain(session.hash.username);
    }
  };

  it('lists the sessions with their ids masked, and lets the platform admin unmask the names, then one field, each with a reason', async () => {
    await page.goto(app.url);
    await page.getByRole('navigation').getByText('Tenants').click();
    const row = page.getByRole('grid', { name: 'Tenants' }).locator(`[data-row-key="${tenant.id}"]`);
    await expect.poll(() => row.isVisible(), { timeout: 20_000 }).toBe(true);
    await row.click();
    await expect.poll(() => page.getByRole('heading', { name: tenant.name }).isVisible(), { timeout: 20_000 }).toBe(true);
    await page.getByRole('tab', { name: 'Redis keys' }).click();
    await page.getByRole('button', { name: 'Browse session' }).click({ timeout: 20_000 });
    const keys = page.getByRole('grid', { name: 'Redis keys' }).locator('[data-row-key]');
    await expect.poll(() => keys.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const sessions = await storedSessions();
    expect(sessions.length).toBeGreaterThan(0);
    for (const text of await keys.allInnerTexts()) expect(text).toContain(`session:${MASK}`);
    await keys.first().click();

    const value = page.getByLabel('Key value');
    await expect.poll(() => fieldRow(value, 'username').locator('[data-masked]').getAttribute('data-masked'), { timeout: 20_000 }).toBe('true');
    for (const field of Object.keys(sessions[0]!.hash)) expect(await fieldRow(value, field).locator('[data-masked]').getAttribute('data-masked'), field).toBe('true');
    const name = value.locator('[data-key-name] [data-masked]');
    expect(await name.getAttribute('data-masked')).toBe('true');
    expect(await name.innerText()).toBe(`${tenant.id}:session:${MASK}`);
    await expectNothingOf(sessions);
    await page.mouse.move(0, 0);
    await shot(page, 'redis-unmask-00-masked-names');

    // The session's name first: which session this is, for the ticket.
    await value.getByRole('button', { name: 'Unmask session.<key>' }).click();
    const nameDialog = page.getByRole('dialog', { name: 'Unmask session.<key>' });
    await nameDialog.getByLabel('Reason').fill(`${REASON}: which session`);
    await nameDialog.getByRole('button', { name: 'Unmask' }).click();
    await expect.poll(() => name.getAttribute('data-masked'), { timeout: 20_000 }).toBe('false');
    const sessionKey = await name.innerText();
    const stored = sessions.find((session) => session.key === sessionKey);
    expect(stored, `${sessionKey} is one of the tenant's sessions`).toBeDefined();
    // The list is read again and names the sessions in clear for this admin, the one open still chosen.
    await expect.poll(() => keys.allInnerTexts(), { timeout: 20_000 }).toContainEqual(expect.stringContaining(stored!.id));
    // The fields were not unmasked with the name.
    for (const field of Object.keys(stored!.hash)) expect(await fieldRow(value, field).locator('[data-masked]').getAttribute('data-masked'), field).toBe('true');
    expect(await page.content()).not.toContain(stored!.hash.username);

    await fieldRow(value, 'username').getByRole('button', { name: 'Unmask session.username' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unmask session.username' });
    await dialog.getByLabel('Reason').fill(REASON);
    await shot(page, 'redis-unmask-01-reason');
    await dialog.getByRole('button', { name: 'Unmask' }).click();

    const username = fieldRow(value, 'username').locator('[data-masked]');
    await expect.poll(() => username.innerText(), { timeout: 20_000 }).toBe(stored!.hash.username);
    expect(await username.getAttribute('data-masked')).toBe('false');
    expect(await fieldRow(value, 'username').getByText('unmasked').isVisible()).toBe(true);
    for (const field of Object.keys(stored!.hash).filter((field) => field !== 'username')) {
      expect(await fieldRow(value, field).locator('[data-masked]').getAttribute('data-masked'), field).toBe('true');
      expect(await fieldRow(value, field).innerText()).not.toContain(stored!.hash[field]);
    }
    await page.mouse.move(0, 0);
    await shot(page, 'redis-unmask-02-unmasked');
    await keepForReadme('redis-unmask-02-unmasked', README_FILE);

    // The audit viewer's query, as the admin: both unmasks are journaled with their reasons.
    const { api, socket } = connectApi(app.origin, app.token);
    const { entries } = await api.audit.query({ action: 'access.justify.unmask', limit: 10 }).finally(() => socket()?.close());
    expect(entries).toHaveLength(2);
    const byTarget = (field: string) => entries.find((entry) => entry.target.includes(field));
    expect(byTarget('redis:session#<key>')).toMatchObject({ outcome: 'allowed', role: 'platform_admin', tenantIds: [tenant.id], justification: { reason: `${REASON}: which session` } });
    expect(byTarget('redis:session#username')).toMatchObject({ outcome: 'allowed', role: 'platform_admin', tenantIds: [tenant.id], justification: { reason: REASON } });
    expect(browser?.errors).toEqual([]);
  });

  it('shows support the same session masked, with an unmask that explains why it is not theirs', async () => {
    const operator = page.getByRole('button', { name: 'Operator', exact: true });
    const form = page.getByRole('form', { name: 'Operator' });
    await operator.click();
    await form.getByLabel('Name').fill('Sam Support');
    await form.getByLabel('Email').fill('sam@example.com');
    await form.getByText('Support', { exact: true }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => operator.innerText()).toContain('Sam Support');
    await operator.click();

    // Support reads one tenant at a time, for a reason: the refused reads ask for it.
    await page.getByRole('navigation').getByText('Tenants').click();
    await page.getByRole('grid', { name: 'Tenants' }).locator(`[data-row-key="${tenant.id}"]`).click({ timeout: 20_000 });
    const reason = page.getByRole('dialog', { name: `Open tenant ${tenant.name}` });
    await expect.poll(() => reason.isVisible(), { timeout: 20_000 }).toBe(true);
    await reason.getByLabel('Reason').fill('Customer cannot log in since this morning');
    await reason.getByRole('button', { name: 'Open tenant' }).click();
    await expect.poll(() => page.getByRole('dialog').count(), { timeout: 20_000 }).toBe(0);

    await page.getByRole('tab', { name: 'Redis keys' }).click();
    await page.getByRole('button', { name: 'Browse session' }).click({ timeout: 20_000 });
    const keys = page.getByRole('grid', { name: 'Redis keys' }).locator('[data-row-key]');
    await expect.poll(() => keys.count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // The admin's unmask of the names was theirs alone: support sees every session id masked.
    for (const text of await keys.allInnerTexts()) expect(text).toContain(`session:${MASK}`);
    await keys.first().click();

    const value = page.getByLabel('Key value');
    const username = fieldRow(value, 'username');
    await expect.poll(() => username.locator('[data-masked]').getAttribute('data-masked'), { timeout: 20_000 }).toBe('true');
    await expectNothingOf(await storedSessions());
    expect(await value.getByRole('button', { name: 'Unmask session.<key>' }).getAttribute('aria-disabled')).toBe('true');
    const unmask = username.getByRole('button', { name: 'Unmask session.username' });
    expect(await unmask.getAttribute('aria-disabled')).toBe('true');
    await unmask.click({ force: true });
    expect(await page.getByRole('dialog').count()).toBe(0);
    await unmask.hover();
    await expect.poll(() => page.getByText(/Only a platform admin may unmask it/).isVisible()).toBe(true);
    await shot(page, 'redis-unmask-03-support');
    expect(browser?.errors).toEqual([]);
  });
});
