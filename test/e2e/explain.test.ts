import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseVault } from '../../src/main/core/console';
import { localPostgresDir } from '../../src/main/local-servers/postgres';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { prepareScreenshots, shot } from '../support/screenshots';
import { startWebApp, type WebApp } from '../support/web-app';
import { connectApi } from '../support/web-client';

/**
 * The explain story on the demo platform's PostgreSQL: a slow query for one tenant, its
 * sequential-scan tip, the suggested index, the second run and the comparison; then the same query
 * across the fleet, to find the tenants still without the index.
 *
 * The suggested index is created as a person would: the tip opens its DDL in a workbench tab for
 * the tenant, writes are allowed there by hand, and the statement runs. The roll-out to the other
 * tenants before the fleet explain goes over a direct pg connection: that part is the fixture.
 */

// The demo's MongoDB would be downloaded; nothing here needs it.
const NO_MONGO = { MONGOMS_DOWNLOAD_MIRROR: 'http://127.0.0.1:1', MONGOMS_USE_HTTP: 'true', MONGOMS_VERSION: '7.0.99', MONGOMS_MAX_RETRIES: '1' };
/** Tasks the explained tenant is given, so its table is large enough for the tip (10,000 rows read). */
const BIG_TENANT_TASKS = 30_000;
/** Tasks every other tenant is given, so that an index on them is worth using. */
const OTHER_TENANT_TASKS = 3_000;
const NEEDLE = 'Follow up 4242';
const STATEMENT = `select id, title, status from tasks where tenant_id = current_setting('app.current_tenant_id')::uuid and title = '${NEEDLE}'`;

describe('explain in the browser, on the demo platform', () => {
  const saved = { ...process.env };
  let dataDir: string;
  let app: WebApp;
  let browser: OpenBrowser | undefined;
  let page: Page;
  let db: pg.Client;
  let schemas: { id: string; schema: string }[];
  let suggested: string;
  /** The explained tenant's tasks and how many of them the statement keeps, as the server counts them. */
  let bigTable: { rows: number; kept: number };

  beforeAll(async () => {
    await prepareScreenshots();
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-explain-e2e-'));
    delete process.env.MONGOMS_SYSTEM_BINARY;
    Object.assign(process.env, NO_MONGO, { MONGOMS_DOWNLOAD_DIR: join(dataDir, 'mongodb-binaries') });
    app = await startWebApp({ dataDir, demo: true, env: {} });

    // A direct connection to the demo's PostgreSQL, with the password the console keeps in its vault.
    const { api, socket } = connectApi(app.origin, app.token);
    const demo = await api.workspaces.list({}).finally(() => socket()?.close());
    const workspaceId = demo[0]!.id;
    const endpoint = demo[0]!.endpoints.postgres!;
    const vault = await chooseVault({ dataDir, mode: 'web', version: 'test' });
    const password = await vault.open(workspaceId, 'postgres', (await vault.read())[workspaceId]!.postgres!);
    db = new pg.Client({ host: endpoint.host, port: endpoint.port, user: endpoint.username, password, database: endpoint.database });
    await db.connect();
    const listed = await db.query<{ id: string; schema: string }>(
      "select t.id::text as id, n.nspname as schema from public.tenants t join pg_namespace n on n.nspname = 'tenant_' || replace(t.id::text, '-', '_') order by t.id",
    );
    schemas = listed.rows;
    expect(schemas.length).toBe(25);
    // Every tenant's tasks grow; the first tenant's most, as a tenant whose table became slow to scan.
    for (const [i, { schema }] of schemas.entries()) {
      await db.query(
        `insert into ${schema}.tasks (id, tenant_id, case_id, title, status, priority, created_by)
         select gen_random_uuid(), c.tenant_id, c.id, 'Follow up ' || g, 'pending', 'medium', c.created_by
         from (select id, tenant_id, created_by from ${schema}.cases order by id limit 1) c, generate_series(1, $1::int) g`,
        [i === 0 ? BIG_TENANT_TASKS : OTHER_TENANT_TASKS],
      );
      await db.query(`analyze ${schema}.tasks`);
    }
    const counted = await db.query<{ rows: number; kept: number }>(`select count(*)::int as rows, (count(*) filter (where title = $1))::int as kept from ${schemas[0]!.schema}.tasks`, [NEEDLE]);
    bigTable = counted.rows[0]!;
    browser = await openBrowser({ width: 1360, height: 860 });
    page = browser.page;
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await app?.close();
    for (const key of Object.keys(process.env)) if (key.startsWith('MONGOMS_') && !(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    if (dataDir) {
      await rm(localPostgresDir(join(dataDir, 'demo', 'postgres')), { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  /** The run form, filled with the explained tenant and the statement (a fresh visit of the screen starts empty). */
  async function fillForm(tenantId: string): Promise<void> {
    const form = page.getByRole('form', { name: 'Explain a statement' });
    await form.getByRole('combobox', { name: 'Tenant' }).click();
    await form.getByRole('combobox', { name: 'Tenant' }).fill(tenantId);
    await page.getByRole('option', { name: new RegExp(tenantId) }).click();
    await form.getByRole('textbox', { name: 'Statement' }).fill(STATEMENT);
  }

  async function explainFromForm(): Promise<void> {
    const form = page.getByRole('form', { name: 'Explain a statement' });
    if (!(await form.isVisible())) await page.getByRole('button', { name: 'Change the query' }).click();
    await form.getByRole('button', { name: 'Explain' }).click();
  }

  it('runs a slow query for one tenant and shows the sequential scan with its tip and the index to create', async () => {
    const big = schemas[0]!;
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('navigation').getByText('Explain', { exact: true }).isVisible(), { timeout: 60_000 }).toBe(true);
    await page.getByRole('navigation').getByText('Explain', { exact: true }).click();
    await fillForm(big.id);
    await shot(page, 'explain-01-form');
    await explainFromForm();

    const root = page.locator('[role="treeitem"][data-node-id="0"]');
    await expect.poll(() => root.textContent(), { timeout: 60_000 }).toContain('Seq Scan');
    expect(await root.textContent()).toContain('tasks');
    expect(await root.locator('[data-badge="filter"]').getAttribute('data-grade')).toBe('3');
    const tip = page.locator('[data-rule="pg.seq-scan"]');
    await expect.poll(() => tip.count(), { timeout: 10_000 }).toBe(1);
    expect(await tip.textContent()).toContain(`${bigTable.rows.toLocaleString('en')} rows read, ${(bigTable.rows - bigTable.kept).toLocaleString('en')} removed by the filter`);
    suggested = (await tip.locator('[data-fix="sql"]').textContent())!;
    expect(suggested).toMatch(new RegExp(`^CREATE INDEX CONCURRENTLY .* ON "?${big.schema}"?\\."?tasks"? \\("?tenant_id"?, "?title"?\\);?$`));
    await page.mouse.move(0, 0);
    await shot(page, 'explain-02-seq-scan-tip');

    // The node table and the statistics say the same about the plan.
    await page.getByRole('tab', { name: 'Table' }).click();
    const grid = page.getByRole('grid', { name: 'Plan nodes' });
    expect(await grid.locator('[data-row-key="0"]').textContent()).toContain('Seq Scan');
    await page.mouse.move(0, 0);
    await shot(page, 'explain-03-node-table');
    await page.getByRole('tab', { name: 'JSON' }).click();
    const json = page.getByRole('textbox', { name: 'Plan JSON' });
    await expect.poll(() => page.locator('[data-testid="code-editor"]').textContent(), { timeout: 20_000 }).toMatch(/"Node\sType"/);
    expect(await json.count()).toBe(1);
    await shot(page, 'explain-03-json');
    await page.getByRole('tab', { name: 'Statistics' }).click();
    expect(await page.getByRole('table', { name: 'Statistics per table' }).locator('[data-statistic="tasks"]').count()).toBe(1);
    await shot(page, 'explain-03-statistics');
    await page.locator('[role="treeitem"][data-node-id="0"]').click();
    await expect.poll(() => page.getByRole('region', { name: 'Node details' }).textContent()).toContain('by filter');
    await shot(page, 'explain-03-node');
  });

  it('creates the suggested index from the workbench, runs again and compares the two plans', async () => {
    const big = schemas[0]!;
    await page.getByRole('tab', { name: /^Tips/ }).click();
    await page.locator('[data-rule="pg.seq-scan"]').getByRole('button', { name: 'Open in workbench' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Workbench' }).isVisible(), { timeout: 20_000 }).toBe(true);
    // A new PostgreSQL tab holds the DDL, scoped to the explained tenant.
    const editor = page.locator('[data-testid="query-editor"] .monaco-editor');
    await expect.poll(async () => (await editor.locator('.view-lines').innerText()).replace(/\s/g, ' '), { timeout: 20_000 }).toBe(suggested.replace(/\s/g, ' '));
    expect(await page.getByRole('combobox', { name: 'Tenant' }).inputValue()).toContain(big.id);
    const indexesBefore = await db.query(`select indexname from pg_indexes where schemaname = $1 and tablename = 'tasks'`, [big.schema]);
    await page.getByRole('switch', { name: 'Allow writes' }).dispatchEvent('click');
    expect(await page.getByRole('switch', { name: 'Allow writes' }).isChecked()).toBe(true);
    await page.mouse.move(0, 0);
    await shot(page, 'explain-04-workbench-ddl');
    // Run as the tip wrote it: CONCURRENTLY goes to a session of its own, outside the tenant's transaction.
    await editor.click();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('run-status').getAttribute('data-state'), { timeout: 60_000 }).toMatch(/succeeded|failed/);
    expect(await page.getByTestId('run-error').count(), (await page.getByTestId('run-error').allInnerTexts()).join()).toBe(0);
    expect(await page.getByTestId('run-notice').innerText()).toBe('CREATE INDEX');
    await shot(page, 'explain-04-workbench-created');
    const indexesAfter = await db.query(`select indexname from pg_indexes where schemaname = $1 and tablename = 'tasks'`, [big.schema]);
    expect(indexesAfter.rowCount).toBe(indexesBefore.rowCount! + 1);

    // Back to explain: the same statement for the same tenant, now read through the index.
    await page.getByRole('navigation').getByText('Explain', { exact: true }).click();
    await fillForm(big.id);
    await explainFromForm();
    const root = page.locator('[role="treeitem"][data-node-id="0"]');
    await expect.poll(() => root.textContent(), { timeout: 60_000 }).toMatch(/Index Scan|Bitmap Heap Scan/);
    expect(await page.locator('[data-rule="pg.seq-scan"]').count()).toBe(0);
    await shot(page, 'explain-04-after-index');

    // This visit drew only the second plan: the first is a kept one, chosen as Before.
    await page.getByText('Compare', { exact: true }).click();
    await page.getByRole('combobox', { name: 'Before' }).click();
    await page.getByRole('option', { name: /Seq Scan on tasks/ }).first().click();
    const matched = page.getByRole('table', { name: 'Matched nodes' });
    await expect.poll(() => matched.isVisible(), { timeout: 10_000 }).toBe(true);
    const row = matched.locator('[data-match="0>0"]');
    expect(await row.textContent()).toContain('Seq Scan on tasks');
    expect(await row.textContent()).toMatch(/(Index Scan|Bitmap Heap Scan) on tasks/);
    // Time and buffers went down: the deltas are negative, shown in teal.
    expect(await row.locator('td').nth(3).textContent()).toMatch(/^−/);
    const totals = page.getByRole('table', { name: 'Totals compared' });
    expect(await totals.locator('tr').nth(1).textContent()).toMatch(/Execution.*−/);
    await shot(page, 'explain-05-compare');
  });

  it('reads a pasted 2,000-partition plan into one partition group that opens where it was', async () => {
    const captured = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/explain/postgres/many-partitions.json'), 'utf8')) as { plan: unknown };
    await page.getByText('Plan', { exact: true }).click();
    const source = page.getByRole('form', { name: 'Paste a plan' });
    if (!(await source.isVisible())) {
      await page.getByRole('button', { name: 'Change the query' }).click();
      await page.getByRole('tab', { name: 'Paste a plan' }).click();
    }
    // A plan cut short says where it broke, in main's words, with the line shown.
    await source.getByRole('textbox', { name: /^Plan/ }).fill('[\n  { "Plan": { "Node Type": "Seq Scan", "Relation Name": "cases",\n');
    await source.getByRole('button', { name: 'Read plan' }).click();
    await expect.poll(() => page.getByTestId('paste-break').textContent(), { timeout: 20_000 }).toMatch(/^line \d+/);
    expect(await source.getByRole('alert').textContent()).toMatch(/ends|truncated|cut|incomplete/i);
    await shot(page, 'explain-06-paste-broken');
    // fill() types a megabyte slower than a paste puts it there: the value is set as a paste sets it.
    await source.getByRole('textbox', { name: /^Plan/ }).evaluate((element, text) => {
      Object.getOwnPropertyDescriptor(Object.getPrototypeOf(element) as object, 'value')!.set!.call(element, text);
      element.dispatchEvent(new Event('input', { bubbles: true }));
    }, JSON.stringify(captured.plan, null, 2));
    await source.getByRole('button', { name: 'Read plan' }).click();
    const group = page.locator('[role="treeitem"][aria-expanded]');
    await expect.poll(() => group.count(), { timeout: 30_000 }).toBe(1);
    expect(await group.textContent()).toContain('2,000 partitions');
    expect(await page.locator('[role="treeitem"]').count()).toBe(2);
    await shot(page, 'explain-07-partitions-folded');
    const before = (await group.boundingBox())!;
    await group.locator('button').click();
    await expect.poll(() => page.locator('[role="treeitem"]').count(), { timeout: 10_000 }).toBe(2 + 200 + 1);
    // The group stays under the pointer although its 200 children re-centred it.
    const after = (await group.boundingBox())!;
    expect(Math.abs(after.x - before.x)).toBeLessThan(2);
    expect(Math.abs(after.y - before.y)).toBeLessThan(2);
    await page.locator('[role="treeitem"][data-node-id="0.100"]').click();
    await expect.poll(() => page.getByRole('region', { name: 'Node details' }).textContent()).toContain('events_p0100');
    await page.mouse.move(0, 0);
    await shot(page, 'explain-08-partitions-open');
  });

  it('fleet-explains the same query and finds the tenants still without the index', async () => {
    // The index goes to every tenant but the last two, as a roll-out that missed some would leave it.
    const missing = schemas.slice(-2);
    for (const { schema } of schemas.slice(1, -2)) await db.query(suggested.replaceAll(schemas[0]!.schema, schema));

    await page.getByText('Fleet', { exact: true }).click();
    const form = page.getByRole('form', { name: 'Fleet explain' });
    expect(await form.getByRole('textbox', { name: 'Statement (PostgreSQL)' }).inputValue()).toBe(STATEMENT);
    // With ANALYZE (the statement only reads) the groups carry times and the slowest tenants are ranked.
    await form.getByRole('switch', { name: 'ANALYZE (read statements only)' }).dispatchEvent('click');
    expect(await form.getByRole('switch', { name: 'ANALYZE (read statements only)' }).isChecked()).toBe(true);
    await form.getByRole('button', { name: 'Explain across tenants' }).click();
    // Working across tenants asks for a reason when the policy wants one.
    const reason = page.getByRole('dialog', { name: 'Work across tenants' });
    await expect.poll(async () => (await reason.isVisible()) || (await page.getByTestId('fleet-job').isVisible()), { timeout: 20_000 }).toBe(true);
    if (await reason.isVisible()) {
      await reason.getByRole('textbox', { name: 'Reason' }).fill('Find the tenants missing the tasks title index');
      await reason.getByRole('button', { name: 'Continue' }).click();
    }
    await expect.poll(() => page.getByTestId('fleet-job').getAttribute('data-state'), { timeout: 120_000 }).toBe('succeeded');
    const shapes = page.getByRole('table', { name: 'Plan shapes' });
    await expect.poll(() => page.getByTestId('fleet-summary').textContent(), { timeout: 20_000 }).toMatch(/^25 of 25 tenants explained · 2 plan shapes/);
    const odd = shapes.locator('[data-differs="true"]');
    expect(await odd.count()).toBe(1);
    expect(await odd.textContent()).toContain('Seq Scan on tasks');
    const listedTenants = (await odd.getByTestId('group-tenants').textContent())!.split(', ').sort();
    expect(listedTenants).toEqual(missing.map((t) => t.id).sort());
    // Analysed, the tenants are ranked by time (which ones come first is the machine's business, not asserted).
    const slowest = page.getByRole('table', { name: 'Slowest tenants' }).locator('tr');
    expect(await slowest.count()).toBeGreaterThan(0);
    expect(await shapes.locator('th').allTextContents()).toEqual(['Plan', 'Tenants', 'Median', 'Max', '']);
    await page.mouse.move(0, 0);
    await shot(page, 'explain-09-fleet');

    await odd.getByRole('button', { name: /^Open the plan of/ }).click();
    const root = page.locator('[role="treeitem"][data-node-id="0"]');
    await expect.poll(() => root.textContent(), { timeout: 20_000 }).toContain('Seq Scan');
    await shot(page, 'explain-10-fleet-plan');
    expect(browser?.errors).toEqual([]);
  });
});
