import type { Redis } from 'ioredis';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { prepareScreenshots, shot } from '../support/screenshots';
import { startWebApp, type WebApp } from '../support/web-app';
import { connectApi } from '../support/web-client';
import { seedMurima, type SeededMurima } from './tenants-support';

const DATABASE = 'retention_e2e';
/** A Redis database of its own: other suites flush theirs. */
const REDIS_DB = 8;
const WORKSPACE = 'Murima retention';
const LEGACY_CASES = 40;

/**
 * The retention screen on a seeded Murima2025 platform whose MongoDB does not answer: Redis key
 * families against the blueprint's TTLs with their histograms, case keys written without a TTL
 * behind the console's back found and fixed by the job for every tenant (after the cross-tenant
 * reason), and the MongoDB tab saying plainly that MongoDB cannot be read.
 */
describe('the retention screen in the browser', () => {
  let platform: SeededMurima | undefined;
  let redis: Redis;
  let app: WebApp;
  let browser: OpenBrowser | undefined;
  let page: Page;

  beforeAll(async () => {
    await prepareScreenshots();
    platform = await seedMurima({ database: DATABASE, redisDb: REDIS_DB, tenants: 6, seed: 'retention-e2e' });
    ({ redis } = platform);
    const first = platform.tenants[0] as { id: string };
    const second = platform.tenants[1] as { id: string };
    const p = redis.pipeline();
    for (let i = 0; i < LEGACY_CASES; i++) p.hset(`${i % 3 === 0 ? second.id : first.id}:case:legacy-${i}`, { title: 'imported without a TTL' });
    p.hset(`${first.id}:session:sticky`, { user_id: 'u1' }).expire(`${first.id}:session:sticky`, 7 * 86_400);
    await p.exec();

    app = await startWebApp();
    const postgres = inject('postgres');
    const server = inject('redis');
    const { api, socket } = connectApi(app.origin, app.token);
    try {
      await api.workspaces.create({
        workspace: {
          name: WORKSPACE,
          environment: 'dev',
          preset: 'murima2025',
          endpoints: {
            postgres: { host: postgres.host, port: postgres.port, database: DATABASE, username: postgres.user, password: postgres.password },
            redis: { host: server.host, port: server.port, db: REDIS_DB, password: server.password },
            // Nothing listens there: the MongoDB tab must say so, not spin or break.
            mongo: { hosts: '127.0.0.1:9' },
          },
        },
      });
    } finally {
      socket()?.close();
    }
    browser = await openBrowser({ width: 1440, height: 900 });
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await platform?.drop();
  });

  /** A fresh page load, then the Retention entry of the navigation. */
  const openRetention = async () => {
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('heading', { name: WORKSPACE }).isVisible(), { timeout: 20_000 }).toBe(true);
    await page.getByRole('navigation').getByText('Retention', { exact: true }).click();
    await expect.poll(() => familyRow('case').isVisible(), { timeout: 30_000 }).toBe(true);
  };
  const familyRow = (family: string) => page.getByRole('table', { name: 'Key families, every tenant' }).locator(`tr[data-family="${family}"]`);

  it('shows the key families against the blueprint with their TTL histograms, and the tenants with findings', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('heading', { name: WORKSPACE }).isVisible(), { timeout: 20_000 }).toBe(true);
    await page.getByRole('navigation').getByText('Retention', { exact: true }).click();
    await expect.poll(() => familyRow('case').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await familyRow('case').getAttribute('data-state')).toBe('missing_ttl');
    expect(await familyRow('case').getByTestId('no-ttl').innerText()).toBe(String(LEGACY_CASES));
    expect(await familyRow('session').getAttribute('data-state')).toBe('ttl_too_long');
    expect(await familyRow('online_users').getAttribute('data-state')).toBe('ok');
    expect(await page.getByTestId('ttl-histogram').count()).toBeGreaterThanOrEqual(9);
    expect(await page.getByRole('table', { name: 'Tenants with findings' }).locator('tbody tr').count()).toBe(2);
    await page.mouse.move(0, 0);
    await shot(page, 'retention-01-redis-families');
    await page.getByRole('table', { name: 'Tenants with findings' }).locator('tbody tr').first().click();
    await expect.poll(() => page.getByText(/^Tenant [0-9a-f-]{36}$/).isVisible(), { timeout: 5_000 }).toBe(true);
    const tenantTable = page.getByRole('table', { name: /^Key families of / });
    await tenantTable.evaluate((table) => table.scrollIntoView({ block: 'end' }));
    expect(await tenantTable.locator('tr[data-family="case"]').getAttribute('data-state')).toBe('missing_ttl');
    await shot(page, 'retention-02-redis-tenant');
  });

  it('applies the blueprint TTL to the case keys without one in every tenant, as a job, and the family is clean', async () => {
    await page.getByRole('table', { name: 'Key families, every tenant' }).scrollIntoViewIfNeeded();
    await familyRow('case').getByRole('button', { name: 'Apply TTL' }).click();
    // Every tenant is cross-tenant work: the policy asks for the reason first.
    const dialog = page.getByRole('dialog', { name: 'Work across tenants' });
    await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(true);
    await dialog.getByLabel('Reason').fill('RET-7: cached cases imported without their 30-minute TTL');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    const job = page.getByTestId('retention-job');
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('succeeded');
    await page.getByRole('heading', { name: 'Retention' }).scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await shot(page, 'retention-03-ttl-job');
    const legacy = await redis.keys('*:case:legacy-*');
    expect(legacy).toHaveLength(LEGACY_CASES);
    for (const key of legacy) expect(await redis.ttl(key)).toBeGreaterThan(1_700);
    await page.getByRole('button', { name: 'Walk again' }).click();
    await expect.poll(() => familyRow('case').getAttribute('data-state'), { timeout: 30_000 }).toBe('ok');
    await page.mouse.move(0, 0);
    await shot(page, 'retention-04-redis-clean');
  });

  it('shows support the same figures without a change to make', async () => {
    const { api, socket } = connectApi(app.origin, app.token);
    try {
      const workspaceId = (await api.workspaces.list({})).find((w) => w.name === WORKSPACE)?.id ?? '';
      await api.access.setOperator({ workspaceId, name: 'Sam', email: 'sam@example.com', role: 'support' });
      await openRetention();
      expect(await page.getByText('read only for support').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Apply TTL' }).count()).toBe(0);
      await shot(page, 'retention-05-support');
      await api.access.setOperator({ workspaceId, name: 'Ada', email: 'ada@example.com', role: 'platform_admin' });
      await openRetention();
    } finally {
      socket()?.close();
    }
  });

  it('says plainly that MongoDB cannot be read', async () => {
    await page.getByRole('tab', { name: 'MongoDB buckets · TTL indexes' }).click();
    await expect.poll(() => page.getByText('MongoDB is not available').isVisible(), { timeout: 60_000 }).toBe(true);
    await shot(page, 'retention-06-mongo-unavailable');
  });
});
