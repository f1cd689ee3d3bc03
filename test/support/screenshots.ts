import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');

/** Where every browser test leaves its pictures, to be looked at after a run. */
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export async function prepareScreenshots(): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
}

/** A picture of the page as it stands, after transitions (notifications, tabs) have settled. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(350);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/**
 * Copies a picture of this run into docs/screenshots for the README, only when asked with
 * UPDATE_README_SCREENSHOT=1: ports and times differ per run, so the README's pictures change on purpose.
 */
export async function keepForReadme(name: string, readmeFile: string): Promise<void> {
  if (process.env.UPDATE_README_SCREENSHOT !== '1') return;
  const dir = join(ROOT, 'docs', 'screenshots');
  await mkdir(dir, { recursive: true });
  await copyFile(join(SCREENSHOTS, `${name}.png`), join(dir, readmeFile));
}
