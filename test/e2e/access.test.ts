import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdent } from '@shared/sql/identifiers';
import { createMurimaWorkspace, seedMurima, type SeededMurima } from './tenants-support';
import { startWebApp, type WebApp } from '../support/web-app';
import { openBrowser, type OpenBrowser } from '../support/chromium';
import { keepForReadme, prepareScreenshots, shot } from '../support/screenshots';

const README_FILE = 'audit.png';
const DATABASE = 'access_e2e';
/** A Redis database of its own: other suites flush theirs. */
const REDIS_DB = 10;
const SUPPORT_REASON = 'Customer says case is assigned to the wrong agent';
const ADMIN_REASON = 'Confirm the assignee e-mail for the escalation';


describe('support and admin access in the browser, on a seeded Murima2025 platform', () => {
  let platform: SeededMurima | undefined;
  let db: SeededMurima['db'];
  let app: WebApp;
  let browser: OpenBrowser | undefined;
  let page: Page;
  let tenant: { id: string; name: string; schema: string };
  let others: { id: string; name: string; schema: string }[];
  let assigned: { caseNumber: string; caseId: string; email: string };

  beforeAll(async () => {
    await prepareScreenshots();
    platform = await seedMurima({ database: DATABASE, redisDb: REDIS_DB, tenants: 3, seed: 'access-e2e' });
    ({ db } = platform);
    const registry = platform.tenants;
    tenant = registry[0]!;
    others = registry.slice(1);
    const schema = quoteIdent(tenant.schema);
    const [row] = (
      await db.pool.query<{ case_number: string; id: string; email: string }>(
        `SELECT c.case_number, c.id::text AS id, u.email FROM ${schema}.cases c JOIN ${schema}.users u ON u.id = c.assigned_to
          WHERE u.email IS NOT NULL ORDER BY c.case_number LIMIT 1`,
      )
    ).rows;
    assigned = { caseNumber: row!.case_number, caseId: row!.id, email: row!.email };

    app = await startWebApp();
    await createMurimaWorkspace(app, 'Murima support desk', { database: DATABASE, redisDb: REDIS_DB });
    browser = await openBrowser({ width: 1360, height: 820 });
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await platform?.drop();
  });

  async function becomeOperator(name: string, email: string, role: 'Support' | 'Admin'): Promise<void> {
    const trigger = page.getByRole('button', { name: 'Operator', exact: true });
    const form = page.getByRole('form', { name: 'Operator' });
    if (!(await form.isVisible())) await trigger.click();
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Email').fill(email);
    await form.getByText(role, { exact: true }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => trigger.innerText(), { timeout: 20_000 }).toContain(name);
    await trigger.click();
    await expect.poll(() => form.isVisible(), { timeout: 20_000 }).toBe(false);
  }

  it('lets a support operator open one tenant with a reason and read a case whose e-mails stay masked', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Murima support desk' }).isVisible(), { timeout: 20_000 }).toBe(true);
    await becomeOperator('Sam Support', 'sam@example.com', 'Support');
    expect(await page.getByRole('button', { name: 'Operator', exact: true }).innerText()).toContain('Support');
    // Support reads no audit journal, so the screen is not offered.
    expect(await page.getByRole('navigation').getByText('Audit').count()).toBe(0);

    await page.locator('input[aria-label="Open a tenant"]').click();
    await page.getByRole('option', { name: `${tenant.name} · ${tenant.id}` }).click();
    const dialog = page.getByRole('dialog', { name: `Open tenant ${tenant.name}` });
    await dialog.getByLabel('Reason').fill('too short');
    expect(await dialog.getByRole('button', { name: 'Open tenant' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Reason').fill(SUPPORT_REASON);
    await dialog.getByLabel('Ticket').fill('SUP-4711');
    await shot(page, 'access-01-support-reason');
    await dialog.getByRole('button', { name: 'Open tenant' }).click();

    await expect.poll(() => page.getByRole('heading', { name: tenant.name }).isVisible(), { timeout: 20_000 }).toBe(true);
    await page.getByLabel('Case number').fill(assigned.caseNumber);
    await page.getByRole('button', { name: 'Find cases' }).click();
    const row = page.getByRole('grid', { name: 'Cases' }).locator(`[data-row-key="${assigned.caseId}"]`);
    await expect.poll(() => row.isVisible(), { timeout: 20_000 }).toBe(true);
    await row.click();

    const details = page.getByLabel('Details');
    const email = details.locator('[data-masked]').first();
    await expect.poll(() => email.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await email.getAttribute('data-masked')).toBe('true');
    expect(await email.innerText()).toMatch(/^.\*\*\*@.\*\*\*/);
    expect(await page.content()).not.toContain(assigned.email);
    const unmask = details.getByRole('button', { name: 'Unmask users.email' }).first();
    expect(await unmask.getAttribute('aria-disabled')).toBe('true');
    // Clicked anyway (it only looks disabled, so it can explain itself), it asks for nothing.
    await unmask.click({ force: true });
    expect(await page.getByRole('dialog').count()).toBe(0);
    await unmask.hover();
    await expect.poll(() => page.getByText(/Only a platform admin may unmask it/).isVisible()).toBe(true);
    await shot(page, 'access-02-support-masked');
  });

  it('lets a platform admin unmask the e-mail with a reason, and shows it in clear', async () => {
    await page.mouse.move(0, 0);
    await becomeOperator('Ada Admin', 'ada@example.com', 'Admin');
    const details = page.getByLabel('Details');
    const unmask = details.getByRole('button', { name: 'Unmask users.email' }).first();
    await expect.poll(() => unmask.getAttribute('aria-disabled')).toBeNull();
    await unmask.click();
    const dialog = page.getByRole('dialog', { name: 'Unmask users.email' });
    await dialog.getByLabel('Reason').fill(ADMIN_REASON);
    await shot(page, 'access-03-admin-reason');
    await dialog.getByRole('button', { name: 'Unmask' }).click();

    await expect.poll(() => details.getByText(assigned.email).first().isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await details.locator('[data-masked="false"]').first().innerText()).toBe(assigned.email);
    expect(await details.getByText('unmasked').first().isVisible()).toBe(true);
    await page.mouse.move(0, 0);
    await shot(page, 'access-04-admin-unmasked');

    await page.getByRole('button', { name: 'Operator', exact: true }).click();
    const reasons = page.getByRole('list', { name: 'Active reasons' });
    await expect.poll(() => reasons.innerText()).toContain(ADMIN_REASON);
    expect(await reasons.innerText()).toMatch(/\d+:\d\d left/);
    await shot(page, 'access-05-operator-panel');
    await page.getByRole('button', { name: 'Operator', exact: true }).click();
  });

  it('shows both reasons in the audit viewer, verifies the chain and the tenant’s own audit logs', async () => {
    await page.getByRole('navigation').getByText('Audit').click();
    const grid = page.getByRole('grid', { name: 'Audit entries' });
    await expect.poll(() => grid.innerText(), { timeout: 20_000 }).toContain('access.justify.unmask');
    const text = await grid.innerText();
    expect(text).toContain('access.justify.tenant');
    expect(text).toContain('Sam Support');
    expect(text).toContain('Ada Admin');
    expect(text).toContain(`${SUPPORT_REASON} (SUP-4711)`);
    expect(text).toContain(ADMIN_REASON);
    expect(text).toContain('cases.get');

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect.poll(() => page.getByTestId('chain-check').getAttribute('data-intact'), { timeout: 20_000 }).toBe('true');

    await page.getByLabel('Tenant', { exact: true }).fill(tenant.id);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Platform audit logs' }).isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.locator('[data-source="postgres"]').getAttribute('data-state'), { timeout: 20_000 }).toBe('ok');
    expect(await page.locator('[data-source="mongo"]').getAttribute('data-state')).toBe('not_configured');
    await page.mouse.move(0, 0);
    await shot(page, 'access-06-audit');
    await keepForReadme('access-06-audit', README_FILE);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
  });

  it('asks support for a reason when a tenant is opened from the tenant list, then opens it', async () => {
    await becomeOperator('Sam Support', 'sam@example.com', 'Support');
    await page.getByRole('navigation').getByText('Tenants').click();
    const other = page.getByRole('grid', { name: 'Tenants' }).locator(`[data-row-key="${others[0]!.id}"]`);
    await expect.poll(() => other.isVisible(), { timeout: 20_000 }).toBe(true);
    await other.click();
    // The main process refuses the tenant's reads until a reason is given; the refusal asks for one.
    const dialog = page.getByRole('dialog', { name: `Open tenant ${others[0]!.name}` });
    await expect.poll(() => dialog.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await dialog.innerText()).toContain(`Opening it closes tenant ${tenant.id}`);
    await dialog.getByLabel('Reason').fill('Second ticket from the same customer group');
    await shot(page, 'access-07-refusal-asks');
    await dialog.getByRole('button', { name: 'Open tenant' }).click();
    await expect.poll(() => page.getByRole('heading', { name: others[0]!.name }).isVisible(), { timeout: 20_000 }).toBe(true);
    // Asked once: the page's other reads waited for the same reason (the dialog only fades out).
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.locator('input[aria-label="Open a tenant"]').inputValue()).toContain(others[0]!.id);
    expect(browser?.errors).toEqual([]);
  });
});
