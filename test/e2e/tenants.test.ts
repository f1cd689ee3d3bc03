import { Redis } from 'ioredis';
import { MongoClient, ObjectId } from 'mongodb';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASK } from '@shared/masking';
import { seedDemoPlatform } from '../../src/main/demo/seed';
import { quoteIdent } from '@shared/sql/identifiers';
import { announceSkip, mongoSkipReason, mongoUrl } from '../support/external-stores';
import { connectApi } from '../support/web-client';
import { startWebApp, type WebApp } from '../support/web-app';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { createMurimaWorkspace, demoMongo, seedMurima, type SeededMurima } from './tenants-support';
import { keepForReadme, prepareScreenshots, shot } from '../support/screenshots';
import { mongoWorkspaceEndpoint } from '../support/mongo-endpoint';

const README_FILE = 'tenants.png';
const TENANTS = 6;
const DATABASE = 'tenants_e2e';
/** A Redis database of its own: other suites flush theirs. */
const REDIS_DB = 9;

const rowCount = async (page: Page, grid: string): Promise<number> => Number(await page.getByRole('grid', { name: grid }).getAttribute('aria-rowcount')) - 1;

describe('tenant browser, case inspector and Redis keys in the browser, on a seeded Murima2025 platform', () => {
  let platform: SeededMurima | undefined;
  let db: SeededMurima['db'];
  let redis: Redis;
  let app: WebApp;
  let browser: OpenBrowser;
  let page: Page;
  let registry: Array<{ id: string; name: string; schema: string }>;

  beforeAll(async () => {
    await prepareScreenshots();
    platform = await seedMurima({ database: DATABASE, redisDb: REDIS_DB, tenants: TENANTS, seed: 'tenants-e2e' });
    ({ db, redis } = platform);
    registry = platform.tenants;

    app = await startWebApp();
    await createMurimaWorkspace(app, 'Murima e2e', { database: DATABASE, redisDb: REDIS_DB });
    browser = await openBrowser();
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await platform?.drop();
  });

  it('lists every seeded tenant with each store’s footprint, and finds one by name', async () => {
    expect(registry).toHaveLength(TENANTS);
    await page.goto(app.url);
    await page.getByRole('navigation').getByText('Tenants').click();
    const grid = page.getByRole('grid', { name: 'Tenants' });
    await expect.poll(() => page.locator('[data-store-answer="postgres"]').getAttribute('data-state'), { timeout: 20_000 }).toBe('ok');
    await expect.poll(() => page.locator('[data-store-answer="redis"]').getAttribute('data-state'), { timeout: 20_000 }).toBe('ok');
    await expect.poll(() => rowCount(page, 'Tenants')).toBe(TENANTS);
    for (const tenant of registry) expect(await grid.locator(`[data-row-key="${tenant.id}"]`).innerText()).toContain(tenant.name);
    // Every seeded tenant has its schema and keys: rows and keys in both store columns, no inconsistency.
    const first = await grid.locator(`[data-row-key="${registry[0]!.id}"]`).innerText();
    expect(first).toMatch(/rows · /);
    expect(first).toMatch(/keys · /);
    expect(await grid.locator('[data-inconsistency]').count()).toBe(0);
    await page.mouse.move(0, 0);
    await shot(page, 'tenants-01-list');
    await keepForReadme('tenants-01-list', README_FILE);

    await page.getByLabel('Search tenants').fill(registry[1]!.name);
    await expect.poll(() => rowCount(page, 'Tenants')).toBe(1);
    await shot(page, 'tenants-02-search');
    await page.getByLabel('Search tenants').fill('');
    await page.getByLabel('Sort by PostgreSQL').click();
    await expect.poll(() => page.getByRole('columnheader', { name: 'PostgreSQL' }).getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => rowCount(page, 'Tenants')).toBe(TENANTS);
  });

  it('opens a tenant, its busiest case and the merged timeline', async () => {
    const tenant = registry[0]!;
    const schema = quoteIdent(tenant.schema);
    const [busiest] = (
      await db.pool.query<{ id: string; case_number: string; interactions: string; tasks: string; total: string }>(
        `SELECT c.id::text AS id, c.case_number,
                (SELECT count(*) FROM ${schema}.interactions i WHERE i.case_id = c.id) AS interactions,
                (SELECT count(*) FROM ${schema}.tasks t WHERE t.case_id = c.id) AS tasks,
                (SELECT count(*) FROM ${schema}.cases) AS total
           FROM ${schema}.cases c ORDER BY 3 DESC, c.id LIMIT 1`,
      )
    ).rows;

    await page.getByRole('grid', { name: 'Tenants' }).locator(`[data-row-key="${tenant.id}"]`).click();
    await expect.poll(() => page.getByRole('heading', { name: tenant.name }).isVisible()).toBe(true);
    await expect.poll(() => page.locator('[data-footprint="postgres"]').innerText()).toContain(`schema ${tenant.schema}`);
    await expect.poll(() => rowCount(page, 'Cases'), { timeout: 20_000 }).toBe(Math.min(Number(busiest!.total), 100));
    await shot(page, 'tenants-03-tenant-cases');

    await page.getByLabel('Case number').fill(busiest!.case_number);
    await page.getByRole('button', { name: 'Find cases' }).click();
    await expect.poll(() => rowCount(page, 'Cases')).toBe(1);
    await page.getByRole('grid', { name: 'Cases' }).locator(`[data-row-key="${busiest!.id}"]`).click();

    const timeline = page.getByRole('list', { name: 'Timeline' });
    await expect.poll(() => timeline.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await timeline.locator('[data-timeline-item="interaction"]').count()).toBe(Number(busiest!.interactions));
    expect(await timeline.locator('[data-timeline-item="task"]').count()).toBe(Number(busiest!.tasks));
    expect(await timeline.locator('[data-timeline-item="case_created"]').count()).toBe(1);
    // MongoDB is not configured: its parts are left out and say so.
    expect(await page.locator('[data-part="case_notes"]').getAttribute('data-state')).toBe('not_configured');
    expect(await page.locator('[data-part="interactions"]').getAttribute('data-state')).toBe('ok');
    await timeline.locator('[data-timeline-item="interaction"] button').first().click();
    await shot(page, 'tenants-04-case-timeline');
  });

  it('shows the tenant’s Redis keys by family and a hash value with its TTL', async () => {
    const tenant = registry[0]!;
    let cursor = '0';
    let keys = 0;
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${tenant.id}:*`, 'COUNT', 1000);
      cursor = next;
      keys += found.length;
    } while (cursor !== '0');

    await page.getByRole('button', { name: tenant.name }).click();
    await page.getByRole('tab', { name: 'Redis keys' }).click();
    const map = page.getByLabel('Namespace map');
    await expect.poll(() => map.innerText(), { timeout: 20_000 }).toContain('Namespace map built');
    expect(await map.locator('[data-figure="Keys"]').innerText()).toMatch(new RegExp(`^Keys\\s+${keys}$`));
    await page.getByRole('button', { name: 'Browse session' }).click();
    await expect.poll(() => rowCount(page, 'Redis keys'), { timeout: 20_000 }).toBeGreaterThan(0);
    // A session id is a credential: every row shows the name masked and is told apart by its ref.
    const sessionKeys = await redis.keys(`${tenant.id}:session:*`);
    expect(sessionKeys.length).toBeGreaterThan(0);
    const rows = page.getByRole('grid', { name: 'Redis keys' }).locator('[data-row-key]');
    expect(await rows.first().getAttribute('data-row-key')).toMatch(/^k1\./);
    expect(await rows.first().innerText()).toContain(`session:${MASK}`);
    await rows.first().click();

    const value = page.getByLabel('Key value');
    await expect.poll(() => value.locator('[data-value-type]').getAttribute('data-value-type'), { timeout: 10_000 }).toBe('hash');
    expect(await value.locator('[data-key-name]').innerText()).toContain(`${tenant.id}:session:${MASK}`);
    const html = await page.content();
    for (const key of sessionKeys) expect(html).not.toContain(key.slice(`${tenant.id}:session:`.length));
    const ttl = Number(await value.locator('[data-ttl]').getAttribute('data-ttl'));
    expect(ttl).toBeGreaterThan(0);
    // Which session the row is stays hidden; it is one of the tenant's, by its TTL and size.
    const serverTtls = await Promise.all(sessionKeys.map((key) => redis.pttl(key)));
    expect(serverTtls.some((serverTtl) => Math.abs(ttl - serverTtl) < 60_000)).toBe(true);
    const fieldCounts = await Promise.all(sessionKeys.map((key) => redis.hlen(key)));
    expect(fieldCounts).toContain(await value.getByRole('table', { name: 'Value' }).locator('tbody tr').count());
    await page.mouse.move(0, 0);
    await shot(page, 'tenants-05-redis-hash');

    await page.getByRole('tab', { name: 'Drift and inconsistencies' }).click();
    await expect.poll(() => page.getByText('Blueprint drift').isVisible()).toBe(true);
    await shot(page, 'tenants-06-drift');
    expect(browser.errors).toEqual([]);
  });
});

announceSkip('Client inspector in the browser', mongoSkipReason);

describe.skipIf(!mongoUrl)('client inspector in the browser, on a seeded Client Management platform', () => {
  let mongo: MongoClient;
  let app: WebApp;
  let browser: OpenBrowser;
  let tenantIds: string[];
  const databases = { customer: 'insightserenity_customer_dev', shared: 'insightserenity_shared_dev', admin: 'insightserenity_admin_dev' };

  beforeAll(async () => {
    await prepareScreenshots();
    mongo = new MongoClient(mongoUrl ?? '');
    await mongo.connect();
    for (const name of Object.values(databases)) await mongo.db(name).dropDatabase();
    ({ tenantIds } = await seedDemoPlatform({ mongo: demoMongo(mongo) }, { preset: 'client-management', tenants: 2, seed: 'clients-e2e' }));
    app = await startWebApp();
    const { api, socket } = connectApi(app.origin, app.token);
    await api.workspaces.create({
      workspace: {
        name: 'Client Management e2e',
        environment: 'dev',
        preset: 'client-management',
        endpoints: {
          mongo: mongoWorkspaceEndpoint(mongoUrl ?? '', databases),
        },
      },
    });
    socket()?.close();
    browser = await openBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (mongo) for (const name of Object.values(databases)) await mongo.db(name).dropDatabase();
    await mongo?.close();
  });

  it('goes from the tenant to a client page with its contacts, documents and notes', async () => {
    const { page } = browser;
    const tenantId = tenantIds[0]!;
    const customer = mongo.db(databases.customer);
    // The seed stores tenant ids as ObjectIds; a string id is accepted too, as the inspector does.
    const client = await customer.collection('clients').findOne({ tenantId: { $in: [tenantId, new ObjectId(tenantId)] } }, { sort: { _id: 1 } });
    expect(client).not.toBeNull();
    const clientId = String(client!._id);
    const contacts = await customer.collection('clientcontacts').countDocuments({ clientId: client!._id });

    await page.goto(app.url);
    await page.getByRole('navigation').getByText('Tenants').click();
    await expect.poll(() => rowCount(page, 'Tenants'), { timeout: 20_000 }).toBe(2);
    await page.getByRole('grid', { name: 'Tenants' }).locator(`[data-row-key="${tenantId}"]`).click();
    await expect.poll(() => rowCount(page, 'Clients'), { timeout: 20_000 }).toBeGreaterThan(0);
    await shot(page, 'tenants-07-clients');
    await page.getByRole('grid', { name: 'Clients' }).locator(`[data-row-key="${clientId}"]`).click();
    await expect.poll(() => page.getByLabel('Contacts').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByLabel('Contacts').locator('.mantine-Accordion-item').count()).toBe(Math.min(contacts, 200));
    await shot(page, 'tenants-08-client');
    expect(browser.errors).toEqual([]);
  });
});
