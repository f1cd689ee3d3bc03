import type { Page } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PostgresEndpoint } from '../../src/shared/model/workspace';
import { seedDemoPlatform } from '../../src/main/demo/seed';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { startWebApp, type WebApp } from '../support/web-app';
import { connectApi } from '../support/web-client';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { prepareScreenshots, shot } from '../support/screenshots';
import { createDatabase, postgresWorkspace } from '../support/job-database';

const DATABASE = 'indexes_e2e';
const WORKSPACE = 'Murima indexes';
const MONGO_WORKSPACE = 'Murima indexes with MongoDB';
const TENANTS = 8;
const GAP_INDEX = 'idx_tasks_due_date';

async function indexExists(schema: string, index: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: inject('postgres').url.replace(/\/postgres$/, `/${DATABASE}`) });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_indexes where schemaname = $1 and indexname = $2', [schema, index]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

const schemaOf = (tenantId: string): string => pg.escapeIdentifier(`tenant_${tenantId.replaceAll('-', '_')}`);

/**
 * The indexes room on a seeded Murima2025 platform (PostgreSQL, dev): a gap injected behind the
 * console's back is found by drift, planned, repaired for real by a job, drift is clean again, and
 * the audit viewer shows the job.
 */
describe('the indexes room in the browser', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let app: WebApp;
  let browser: OpenBrowser | undefined;
  let page: Page;
  let tenants: string[];
  let gapTenant: string;

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
    tenants = [...tenants].sort();
    gapTenant = tenants[2] as string;
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

  const nav = (label: string) => page.getByRole('navigation').getByText(label, { exact: true }).click();
  const driftSummary = () => page.getByTestId('drift-summary').innerText();

  it('shows the fleet: one row per logical index with its usage and the stats reset date', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('heading', { name: WORKSPACE }).isVisible(), { timeout: 20_000 }).toBe(true);
    await nav('Indexes');
    const grid = page.getByRole('grid', { name: 'Fleet indexes' });
    await expect.poll(() => page.getByTestId('stats-reset').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('fleet-progress').innerText()).toContain(`${TENANTS} tenant schemas`);
    expect(Number(await grid.getAttribute('aria-rowcount'))).toBeGreaterThan(10);
    await shot(page, 'indexes-01-fleet');
    await page.getByLabel('Filter indexes').fill('tasks_due');
    const row = grid.locator(`[data-row-key="tasks.${GAP_INDEX}"]`);
    await expect.poll(() => row.isVisible(), { timeout: 20_000 }).toBe(true);
    // Every tenant has it before the gap is made.
    expect(await row.innerText()).toContain(String(TENANTS));
    await shot(page, 'indexes-01b-fleet-filtered');

    await page.getByRole('tab', { name: 'Findings' }).click();
    await expect.poll(() => page.getByTestId('findings-reset').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.locator('[data-kind]').count()).toBe(6);
    await shot(page, 'indexes-02-findings');
  });

  it('finds an index dropped behind the console’s back in one tenant, after a cross-tenant reason', async () => {
    await db.run(`DROP INDEX ${schemaOf(gapTenant)}.${GAP_INDEX}`);
    expect(await indexExists(`tenant_${gapTenant.replaceAll('-', '_')}`, GAP_INDEX)).toBe(false);
    await page.getByRole('tab', { name: 'Drift' }).click();
    await page.getByRole('button', { name: 'Run drift' }).click();
    // All tenants is cross-tenant work: the policy asks for the reason first.
    const dialog = page.getByRole('dialog', { name: 'Work across tenants' });
    await expect.poll(() => dialog.isVisible(), { timeout: 20_000 }).toBe(true);
    await dialog.getByLabel('Reason').fill('IDX-13: compare every tenant with the blueprint');
    await dialog.getByRole('button', { name: 'Continue' }).click();

    await expect.poll(driftSummary, { timeout: 30_000 }).toContain(`1 of ${TENANTS} tenants differ from the blueprint`);
    const title = `missing index ${GAP_INDEX} on tasks: 1 tenant`;
    await page.getByText(title).click();
    await expect.poll(() => page.getByRole('button', { name: gapTenant, exact: true }).isVisible(), { timeout: 10_000 }).toBe(true);
    await page.mouse.move(0, 0);
    await shot(page, 'indexes-03-drift');
  });

  it('plans the fix with statements and locks, applies it for real as a job, and drift is clean again', async () => {
    await page.getByRole('button', { name: 'Plan the fix' }).click();
    const plan = page.getByRole('region', { name: 'Fix plan' });
    await expect.poll(() => plan.getByTestId('plan-summary').innerText(), { timeout: 20_000 }).toBe('1 statement in 1 tenant');
    const tenantPlan = plan.locator(`[data-plan-tenant="${gapTenant}"]`);
    expect(await tenantPlan.innerText()).toContain(`${GAP_INDEX}`);
    expect(await tenantPlan.getByTestId('statement-lock').innerText()).toMatch(/SHARE|EXCLUSIVE/);
    // Dry run is the default; the box makes it real.
    expect(await page.getByRole('button', { name: 'Apply (dry run)' }).isVisible()).toBe(true);
    await page.getByLabel(/Apply for real/).check();
    await page.getByRole('button', { name: 'Apply', exact: true }).scrollIntoViewIfNeeded();
    await shot(page, 'indexes-04-plan');
    await page.getByRole('button', { name: 'Apply', exact: true }).click();

    const followed = page.getByTestId('followed-job');
    await expect.poll(() => followed.getAttribute('data-state'), { timeout: 60_000 }).toBe('succeeded');
    const outcome = page.getByTestId('fix-outcome');
    expect(await outcome.innerText()).toContain('Repaired 1 of 1 tenant(s)');
    expect(await outcome.innerText()).toContain(gapTenant);
    // The catalog agrees: the index is back in that tenant's schema.
    expect(await indexExists(`tenant_${gapTenant.replaceAll('-', '_')}`, GAP_INDEX)).toBe(true);
    await outcome.scrollIntoViewIfNeeded();
    await shot(page, 'indexes-05-applied');

    await outcome.getByRole('button', { name: 'Run drift again' }).click();
    await expect.poll(driftSummary, { timeout: 30_000 }).toBe(`No drift: ${TENANTS} tenant(s) match the blueprint.`);
    await shot(page, 'indexes-06-clean');
  });

  it('shows the fix job in the audit viewer', async () => {
    await nav('Audit');
    const grid = page.getByRole('grid', { name: 'Audit entries' });
    await expect.poll(() => grid.innerText(), { timeout: 20_000 }).toContain('indexes.fix-drift');
    await shot(page, 'indexes-07-audit');
  });

  it('opens a tenant’s table from the fleet, builds an index there with progress, and drops it by typing its name', async () => {
    await nav('Indexes');
    await page.getByLabel('Filter indexes').fill('tasks_due');
    const row = page.getByRole('grid', { name: 'Fleet indexes' }).locator(`[data-row-key="tasks.${GAP_INDEX}"]`);
    await expect.poll(() => row.isVisible(), { timeout: 30_000 }).toBe(true);
    await row.click();
    await expect.poll(() => page.getByRole('heading', { name: 'Indexes of tasks' }).isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.locator(`[data-index="${GAP_INDEX}"]`).isVisible(), { timeout: 20_000 }).toBe(true);

    await page.getByLabel(/Index name/).fill('idx_tasks_e2e_title');
    await page.getByLabel(/Keys/).fill('tenant_id, lower(title)');
    await page.getByRole('button', { name: 'Build concurrently' }).click();
    const followed = page.getByTestId('followed-job');
    await expect.poll(() => followed.getAttribute('data-state'), { timeout: 60_000 }).toBe('succeeded');
    await page.getByRole('button', { name: 'Read the indexes again' }).click();
    const built = page.locator('[data-index="idx_tasks_e2e_title"]');
    await expect.poll(() => built.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await built.getAttribute('data-valid')).toBe('true');
    await shot(page, 'indexes-08-table-built');

    await built.getByRole('button', { name: 'Drop idx_tasks_e2e_title' }).click();
    const dialog = page.getByRole('dialog', { name: 'Drop idx_tasks_e2e_title' });
    expect(await dialog.getByRole('button', { name: 'Drop index' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Confirmation').fill('idx_tasks_e2e_title');
    await shot(page, 'indexes-09-drop-confirm');
    await dialog.getByRole('button', { name: 'Drop index' }).click();
    await expect.poll(() => built.count(), { timeout: 20_000 }).toBe(0);
    expect(browser?.errors).toEqual([]);
  });

  it('shows the MongoDB create-index form with the createIndexes command it would send (no MongoDB server here)', async () => {
    // The workspace names a MongoDB that does not answer: the form and its command need no server,
    // so they are shown; the fleet and the collection reads would say the store is unreachable.
    const { api, socket } = connectApi(app.origin, app.token);
    try {
      const base = postgresWorkspace(MONGO_WORKSPACE, DATABASE);
      await api.workspaces.create({ workspace: { ...base, endpoints: { ...base.endpoints, mongo: { hosts: '127.0.0.1:1', srv: false } } } });
    } finally {
      socket()?.close();
    }
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('navigation').isVisible(), { timeout: 20_000 }).toBe(true);
    await nav('Workspaces');
    await page.getByRole('table', { name: 'Workspaces' }).getByText(MONGO_WORKSPACE).click();
    await expect.poll(() => page.getByRole('heading', { name: MONGO_WORKSPACE }).isVisible(), { timeout: 20_000 }).toBe(true);
    await nav('Indexes');
    await page.getByRole('tab', { name: 'MongoDB · Elasticsearch' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'MongoDB fleet' }).isVisible(), { timeout: 20_000 }).toBe(true);
    await page.locator('input[aria-label="Tenant"]').click();
    await page.getByRole('option').first().click();
    await page.getByLabel('Collection', { exact: true }).fill('ai_results_cache');
    const form = page.getByRole('form', { name: 'Create a MongoDB index' });
    await expect.poll(() => form.isVisible(), { timeout: 10_000 }).toBe(true);
    await form.getByLabel('Field 1', { exact: true }).fill('tenant_id');
    await form.getByRole('button', { name: 'Add a field' }).click();
    await form.getByLabel('Field 2', { exact: true }).fill('status');
    await form.getByLabel('Kind 2', { exact: true }).click();
    await page.getByRole('option', { name: '-1 (descending)' }).click();
    await form.getByLabel('Index name', { exact: true }).fill('by_status');
    await form.getByLabel('Unique', { exact: true }).check();
    await form.getByLabel('Hidden', { exact: true }).check();
    await form.getByLabel('Partial filter (JSON)', { exact: true }).fill('{ "status": { "$exists": true } }');
    await form.getByLabel('Collation locale', { exact: true }).fill('en');
    const preview = form.getByTestId('mongo-command-preview');
    const command = JSON.parse(await preview.innerText()) as { createIndexes: string; indexes: Array<Record<string, unknown>> };
    expect(command.createIndexes).toBe('ai_results_cache');
    expect(command.indexes).toEqual([
      { key: { tenant_id: 1, status: -1 }, name: 'by_status', unique: true, partialFilterExpression: { status: { $exists: true } }, collation: { locale: 'en' }, hidden: true },
    ]);
    expect(await form.getByRole('button', { name: 'Build as a job' }).isEnabled()).toBe(true);
    await form.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await shot(page, 'indexes-10-mongo-create-form');
    // A TTL on two fields is refused in the form, before anything is sent.
    await form.getByLabel('TTL (seconds)', { exact: true }).fill('3600');
    await expect.poll(() => form.getByText('a TTL index has exactly one ascending or descending field (a date)').isVisible()).toBe(true);
    expect(await form.getByRole('button', { name: 'Build as a job' }).isDisabled()).toBe(true);
    await shot(page, 'indexes-11-mongo-form-refusal');
  });
});
