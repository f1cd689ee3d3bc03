import type { Page } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PostgresEndpoint } from '../../src/shared/model/workspace';
import { seedDemoPlatform } from '../../src/main/demo/seed';
import { demoPartitionGap } from '../../src/main/demo/murima-tenant';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { startWebApp, type WebApp } from '../support/web-app';
import { connectApi } from '../support/web-client';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { prepareScreenshots, shot } from '../support/screenshots';
import { createDatabase, postgresWorkspace } from '../support/job-database';

const DATABASE = 'partitions_e2e';
const WORKSPACE = 'Murima partitions';
const TENANTS = 12;

const rawSchema = (id: string): string => `tenant_${id.replaceAll('-', '_')}`;

/**
 * The partitions screen on a seeded Murima2025 platform (one month of data; the demo leaves tenant
 * 5 without next month's partition and tenant 10 without this month's, its rows in the default
 * partition): the fleet, one tenant's partitions, the default rows moved out, premake for every
 * tenant short of the keep-ahead window after a cross-tenant reason, and support reading without
 * a single change control.
 */
describe('the partitions screen in the browser', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let app: WebApp;
  let browser: OpenBrowser | undefined;
  let page: Page;
  let tenants: string[];
  let workspaceId: string;

  async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: inject('postgres').url.replace(/\/postgres$/, `/${DATABASE}`) });
    await client.connect();
    try {
      return (await client.query<T>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }
  const defaultRowCount = async (id: string): Promise<number> =>
    Number((await query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(rawSchema(id))}.interactions_default`))[0]!.n);

  beforeAll(async () => {
    await prepareScreenshots();
    db = await createDatabase(DATABASE);
    const server = inject('postgres');
    const store = new PostgresStore(PostgresEndpoint.parse({ host: server.host, port: server.port, database: DATABASE, username: server.user }), { password: server.password });
    try {
      ({ tenantIds: tenants } = await seedDemoPlatform({ postgres: store }, { preset: 'murima2025', tenants: TENANTS, seed: DATABASE, months: 1 }));
    } finally {
      await store.close();
    }
    app = await startWebApp();
    const { api, socket } = connectApi(app.origin, app.token);
    try {
      ({ id: workspaceId } = await api.workspaces.create({ workspace: postgresWorkspace(WORKSPACE, DATABASE) }));
    } finally {
      socket()?.close();
    }
    browser = await openBrowser({ width: 1360, height: 860 });
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.drop();
  });

  const nav = (label: string) => page.getByRole('navigation').getByText(label, { exact: true }).click();
  const summary = () => page.getByTestId('partitions-summary').innerText();

  it('lists every tenant with its horizon and months short, and a tenant’s partitions as the catalog has them', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('heading', { name: WORKSPACE }).isVisible(), { timeout: 20_000 }).toBe(true);
    await nav('Partitions');
    await expect.poll(summary, { timeout: 30_000 }).toContain(`${TENANTS} tenant schema(s)`);
    // Keeping 4 months ahead, every demo tenant is short (the seeder makes next month's partition only).
    expect(await summary()).toContain(`${TENANTS} short of 4 month(s) ahead`);
    const grid = page.getByRole('grid', { name: 'Tenant partitions' });
    expect(Number(await grid.getAttribute('aria-rowcount'))).toBeGreaterThanOrEqual(TENANTS);
    await shot(page, 'partitions-01-fleet');

    const short = tenants[5] as string;
    expect(demoPartitionGap(5)).toBe('short');
    await grid.locator(`[data-row-key="${short}"]`).click();
    const card = page.getByRole('region', { name: 'Partitions of interactions' });
    await expect.poll(() => card.isVisible(), { timeout: 20_000 }).toBe(true);
    const names = (await query<{ relname: string }>(
      `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace n ON n.oid = p.relnamespace WHERE n.nspname = $1 AND p.relname = 'interactions' AND c.relname <> 'interactions_default'`,
      [rawSchema(short)],
    )).map((r) => r.relname);
    for (const name of names) expect(await card.innerText()).toContain(name);
    expect((await card.getByTestId('missing-ahead').innerText()).toLowerCase()).toContain('4 month(s) missing ahead');
    await shot(page, 'partitions-02-tenant');
  });

  it('counts the default partition’s rows by month and moves them out with the plan shown first', async () => {
    const withDefault = tenants[10] as string;
    expect(demoPartitionGap(10)).toBe('default_rows');
    const before = await defaultRowCount(withDefault);
    await page.getByRole('grid', { name: 'Tenant partitions' }).locator(`[data-row-key="${withDefault}"]`).click();
    const card = page.getByRole('region', { name: 'Partitions of interactions' });
    await expect.poll(() => card.innerText(), { timeout: 20_000 }).toContain('interactions_default');
    await card.getByRole('button', { name: 'Count by month' }).click();
    const counted = card.getByTestId('default-rows');
    await expect.poll(() => counted.isVisible(), { timeout: 20_000 }).toBe(true);
    if (before === 0) {
      // The demo's clock put no interaction in this month yet: nothing waits, nothing to move.
      expect(await counted.innerText()).toContain('No rows wait in the default partition');
      return;
    }
    await shot(page, 'partitions-03-default-rows');
    await card.getByRole('button', { name: 'Move…' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('plan-statements').innerText(), { timeout: 10_000 }).toContain('DETACH PARTITION');
    await shot(page, 'partitions-04-move-plan');
    const total = async () => Number((await query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(rawSchema(withDefault))}.interactions`))[0]!.n);
    const totalBefore = await total();
    await dialog.getByRole('button', { name: 'Move rows' }).click();
    await expect.poll(() => dialog.getByTestId('followed-job').getAttribute('data-state'), { timeout: 60_000 }).toBe('succeeded');
    expect(await defaultRowCount(withDefault)).toBe(0);
    expect(await total()).toBe(totalBefore);
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('premakes every tenant short of partitions after a cross-tenant reason, then none is short', async () => {
    await page.getByRole('button', { name: /^Premake \d+ short tenant/ }).click();
    const reason = page.getByRole('dialog', { name: 'Work across tenants' });
    await expect.poll(() => reason.isVisible(), { timeout: 20_000 }).toBe(true);
    await reason.getByLabel('Reason').fill('PART-7: keep four months of partitions ready');
    await reason.getByRole('button', { name: 'Continue' }).click();
    const plan = page.getByRole('dialog').filter({ has: page.getByTestId('plan-statements') });
    await expect.poll(() => plan.getByTestId('plan-statements').innerText(), { timeout: 20_000 }).toContain('PARTITION OF');
    await shot(page, 'partitions-05-premake-plan');
    await plan.getByRole('button', { name: 'Start premake' }).click();
    await expect.poll(() => plan.getByTestId('followed-job').getAttribute('data-state'), { timeout: 60_000 }).toBe('succeeded');
    await shot(page, 'partitions-06-premake-done');
    await plan.getByRole('button', { name: 'Close' }).click();
    await expect.poll(summary, { timeout: 30_000 }).toContain('0 short of 4 month(s) ahead');
    await shot(page, 'partitions-07-clean');
    expect(browser?.errors).toEqual([]);
  });

  it('shows support the same partitions without any change control', async () => {
    const { api, socket } = connectApi(app.origin, app.token);
    try {
      await api.access.setOperator({ workspaceId, name: 'Sam', email: 'sam@example.com', role: 'support' });
    } finally {
      socket()?.close();
    }
    await page.reload();
    await nav('Partitions');
    await expect.poll(summary, { timeout: 30_000 }).toContain(`${TENANTS} tenant schema(s)`);
    await page.getByRole('grid', { name: 'Tenant partitions' }).locator(`[data-row-key="${tenants[0]}"]`).click();
    await expect.poll(() => page.getByRole('region', { name: 'Partitions of interactions' }).isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByRole('button', { name: /^(Premake|Detach expired|Drop expired|Move)/ }).allInnerTexts()).toEqual([]);
    await shot(page, 'partitions-08-support');
  });
});
