import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MIN_PASSPHRASE_LENGTH as VAULT_MINIMUM } from '../../src/main/security/vault';
import { startWebApp, type WebApp } from '../support/web-app';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';
import { prepareScreenshots, shot } from '../support/screenshots';


const redis = inject('redis');
const PASSPHRASE = 'granite lantern orbit 42';
const WORKSPACE = 'Murima2025 behind the vault';

/**
 * The desktop app on a Linux without a secret store: createConsole in desktop mode with no
 * safeStorage keeps passwords under a master passphrase. Served over web mode so Chromium can drive it.
 */
describe('the master passphrase vault in the browser', () => {
  let app: WebApp | undefined;
  let dataDir: string;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  const passphraseField = () => page.getByLabel('Master passphrase', { exact: true });


  async function restart(): Promise<void> {
    await app?.close();
    app = await startWebApp({ dataDir, mode: 'desktop' });
    await page.goto(app.url);
  }

  beforeAll(async () => {
    await prepareScreenshots();
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-vault-'));
    userDataDir = await mkdtemp(join(tmpdir(), 'tenantscope-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1280, height: 760 } });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await restart();
  });

  afterAll(async () => {
    await context?.close();
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  it('asks to choose a master passphrase on first use, saying why, before anything else', async () => {
    await expect.poll(() => page.getByRole('heading', { name: 'Choose a master passphrase' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByText('offers no secret store', { exact: false }).isVisible()).toBe(true);
    expect(await page.getByRole('navigation').count()).toBe(0);

    // The screen names the vault's own minimum: the two cannot drift apart unnoticed.
    const tooShort = 'x'.repeat(VAULT_MINIMUM - 1);
    await passphraseField().fill(tooShort);
    await page.getByLabel('Repeat the passphrase').fill(tooShort);
    await page.getByRole('button', { name: 'Set passphrase and open' }).click();
    await expect.poll(() => page.getByText(`Use at least ${VAULT_MINIMUM} characters.`).isVisible()).toBe(true);

    await passphraseField().fill(PASSPHRASE);
    await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
    await page.getByRole('heading', { name: 'Choose a master passphrase' }).click();
    await shot(page, 'vault-01-choose');

    await page.getByRole('button', { name: 'Set passphrase and open' }).click();
    await expect.poll(() => page.getByText('No workspaces yet').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(JSON.parse(await readFile(join(dataDir, 'vault.json'), 'utf8'))).toBeTypeOf('object');
  });

  it('keeps a saved password under the passphrase', async () => {
    await page.getByRole('button', { name: 'New workspace' }).click();
    await page.getByLabel('Name').fill(WORKSPACE);
    const rd = page.locator('section[aria-label="Redis"]');
    await rd.getByRole('switch', { name: 'Use Redis' }).check({ force: true });
    await rd.getByLabel('Host', { exact: true }).fill(redis.host);
    await rd.getByLabel('Port', { exact: true }).fill(String(redis.port));
    await rd.getByLabel('Password', { exact: true }).fill(redis.password);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await expect.poll(() => page.getByRole('heading', { name: WORKSPACE }).isVisible(), { timeout: 10_000 }).toBe(true);

    const files = (await readdir(dataDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
    const onDisk = (await Promise.all(files.map((file) => readFile(join(file.parentPath, file.name), 'utf8')))).join('\n');
    expect(onDisk).toContain(WORKSPACE);
    expect(onDisk).not.toContain(redis.password);
    expect(onDisk).not.toContain(PASSPHRASE);
  });

  it('after a restart asks once; a wrong passphrase says so and keeps the field focused', async () => {
    await restart();
    await expect.poll(() => page.getByRole('heading', { name: 'Enter the master passphrase' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByLabel('Repeat the passphrase').count()).toBe(0);

    await passphraseField().fill('granite lantern orbit 41');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByText('The master passphrase is wrong.').isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => passphraseField().evaluate((element) => element === element.ownerDocument.activeElement)).toBe(true);
    await shot(page, 'vault-02-wrong-passphrase');
  });

  it('unlocks with the right passphrase and the stored password connects again', async () => {
    await passphraseField().fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByText('Deriving the key…').isVisible(), { timeout: 5_000 }).toBe(true);
    await shot(page, 'vault-03-deriving');
    await expect.poll(() => page.getByRole('navigation').isVisible(), { timeout: 15_000 }).toBe(true);
    await shot(page, 'vault-04-after-unlock');
    await page.getByRole('navigation').getByText('Workspaces').click();
    await page.getByRole('table', { name: 'Workspaces' }).getByText(WORKSPACE).click();

    const bar = page.getByRole('status', { name: 'Store status' });
    await expect.poll(() => bar.locator('[data-store-status="redis"]').getAttribute('data-state'), { timeout: 15_000 }).toBe('connected');
    await page.mouse.move(0, 0);
    await shot(page, 'vault-05-unlocked');
    expect(pageErrors).toEqual([]);
  });
});
