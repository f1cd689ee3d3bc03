import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { openBrowser } from '../support/chromium';
import { startPostgres } from '../support/postgres-server';
import { startWebApp } from '../support/web-app';
import { connectApi } from '../support/web-client';
import { summarize, writeReport, type CaseResult } from './harness';

/**
 * The workbench grid at 1,000,000 rows, in the built renderer in Chromium: a PostgreSQL query of a
 * million rows (four columns) streamed as column batches into the screen. Measures the time from
 * the first batch reaching the page to the first rows painted, the whole load, a numeric sort of
 * what arrived, the frame times of scrolling through it, and the renderer's JS heap with the
 * result held; against the raw `pg` driver reading the same rows in the same run.
 */
const ROWS = 1_000_000;
const ITERATIONS = 3;
const SCROLL_FRAMES = 240;
const SQL = `select g as id, md5(g::text) as hash, g % 97 as bucket, timestamptz '2026-01-01' + g * interval '1 second' as at from generate_series(1, ${ROWS}) g`;

// The page's side, as script text: this file is compiled for Node, without the DOM's types. Both
// marks are taken on the page's own clock, so a busy machine delaying the test's events cannot skew them.
/** Before the app loads: notes when the first workbench.batch message of a run reaches the page. */
const WATCH_FIRST_BATCH = `(() => {
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (window.benchFirstBatch === undefined && typeof event.data === 'string' && event.data.includes('"workbench.batch"')) {
          window.benchFirstBatch = performance.now();
        }
      });
    }
  };
})()`;
/** Two frames after the first cell appears, that frame has been painted. */
const WATCH_FIRST_PAINT = `(() => {
  window.benchFirstBatch = undefined;
  window.benchPainted = undefined;
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[role="grid"][aria-label="Result"] [role="gridcell"]')) return;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => (window.benchPainted = performance.now())));
  });
  observer.observe(document.body, { childList: true, subtree: true });
})()`;
const READ_MARKS = '({ batch: window.benchFirstBatch, painted: window.benchPainted })';
const scrollScript = (rowsPerFrame: number) => `new Promise((done) => {
  const grid = document.querySelector('[role="grid"][aria-label="Result"]');
  const times = [];
  let last = performance.now();
  const step = (now) => {
    times.push(now - last);
    last = now;
    grid.scrollTop += ${rowsPerFrame * 24};
    if (times.length < ${SCROLL_FRAMES}) requestAnimationFrame(step);
    else done(times.slice(1));
  };
  requestAnimationFrame(step);
})`;

const round = (n: number) => Math.round(n * 10) / 10;
const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

const postgres = await startPostgres();
const tenantId = randomUUID();
const admin = new pg.Client({ connectionString: postgres.url });
await admin.connect();
await admin.query(`create schema "tenant_${tenantId.replaceAll('-', '_')}"`);
const app = await startWebApp();
const browser = await openBrowser({ width: 1440, height: 900 });
const page = browser.page;

try {
  const { api, socket } = connectApi(app.origin, app.token);
  let workspaceId: string;
  try {
    const workspace = await api.workspaces.create({
      workspace: {
        name: 'Grid bench',
        environment: 'dev',
        preset: 'murima2025',
        endpoints: { postgres: { host: postgres.host, port: postgres.port, database: postgres.database, username: postgres.user, password: postgres.password } },
      },
    });
    workspaceId = workspace.id;
  } finally {
    socket()?.close();
  }

  await page.addInitScript(WATCH_FIRST_BATCH);

  await page.goto(app.url);
  await page.evaluate(
    ([key, value]) => localStorage.setItem(key!, value!),
    [
      `tenantscope.workbench.${workspaceId}`,
      JSON.stringify({
        version: 1,
        state: {
          activeTabId: 'bench',
          tabs: [
            {
              id: 'bench',
              title: 'Million rows',
              engine: 'postgres',
              text: SQL,
              scope: { kind: 'tenant', tenantId },
              rowLimit: ROWS,
              timeoutSeconds: 600,
              collection: null,
              operation: 'find',
              index: null,
            },
          ],
        },
      }),
    ],
  );
  await page.reload();
  await waitFor(page, () => page.getByRole('navigation').getByText('Workbench', { exact: true }).isVisible(), 120_000);
  await page.getByRole('navigation').getByText('Workbench', { exact: true }).click();
  await waitFor(page, () => page.getByRole('button', { name: 'Run', exact: true }).isEnabled(), 60_000);
  const cdp = await page.context().newCDPSession(page);
  const heapUsed = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const heapBefore = await heapUsed();

  const firstPaint: number[] = [];
  const load: number[] = [];
  const sort: number[] = [];
  const heapAfter: number[] = [];
  const frames: number[] = [];
  const wheelFrames: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    await page.evaluate(WATCH_FIRST_PAINT);
    const started = performance.now();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitFor(page, async () => (await page.getByTestId('run-status').getAttribute('data-state')) === 'succeeded', 600_000);
    load.push(performance.now() - started);
    const rows = Number((await page.getByTestId('run-rows').innerText()).replace(/[^\d]/g, ''));
    if (rows !== ROWS) throw new Error(`the grid holds ${rows} rows, not ${ROWS}`);
    const { batch, painted } = (await page.evaluate(READ_MARKS)) as { batch?: number; painted?: number };
    if (batch === undefined || painted === undefined) throw new Error('the first batch or the first paint was not seen');
    firstPaint.push(painted - batch);
    heapAfter.push(await heapUsed());

    const sortStarted = performance.now();
    await page.getByRole('button', { name: 'Sort by bucket' }).click();
    await waitFor(page, async () => (await page.locator('[role="gridcell"][data-row="0"][data-col="2"]').innerText()) === '0', 120_000);
    sort.push(performance.now() - sortStarted);
    wheelFrames.push(...(await scrollFrames(page, 8)));
    frames.push(...(await scrollFrames(page, 100)));
    await page.getByRole('button', { name: 'Sort by bucket' }).click();
    await page.getByRole('button', { name: 'Sort by bucket' }).click();
  }

  const raw: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const started = performance.now();
    const result = await admin.query({ text: SQL, rowMode: 'array' });
    raw.push(performance.now() - started);
    if (result.rows.length !== ROWS) throw new Error('the driver read the wrong number of rows');
  }

  const heapExtra = { heapBeforeMB: megabytes(heapBefore), heapWithResultMB: megabytes(Math.max(...heapAfter)) };
  const cases: CaseResult[] = [
    summarize('first rows painted after the first batch arrived', firstPaint, { rows: ROWS }),
    summarize('1M rows: Run → last batch in the grid', load, { rows: ROWS, ...heapExtra }),
    summarize('1M rows: raw pg driver, same query (rowMode array)', raw, { rows: ROWS }),
    summarize('sort 1M rows by an int column', sort, { rows: ROWS }),
    summarize('scroll frame, 8 rows per frame (a wheel)', wheelFrames, { frames: wheelFrames.length }),
    summarize('scroll frame, 100 rows per frame (dragging the bar)', frames, { frames: frames.length }),
  ];
  const median = (name: string) => cases.find((c) => c.name === name)!.medianMs;
  const path = await writeReport({
    bench: 'workbench-grid',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    cases,
    summary: {
      loadOverRawDriver: round(median('1M rows: Run → last batch in the grid') / median('1M rows: raw pg driver, same query (rowMode array)')),
      heapPerRowBytes: Math.round((Math.max(...heapAfter) - heapBefore) / ROWS),
      wheelFramesOver50ms: wheelFrames.filter((f) => f > 50).length,
      dragFramesOver50ms: frames.filter((f) => f > 50).length,
    },
  });
  console.log(`wrote ${path}`);
  if (browser.errors.length > 0) throw new Error(`the page reported errors: ${browser.errors.join('; ')}`);
} finally {
  await browser.close();
  await app.close();
  await admin.end();
  await postgres.stop();
}

async function waitFor(page: Page, check: () => Promise<boolean>, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`still not true after ${limitMs} ms: ${check.toString()}`);
    await page.waitForTimeout(25);
  }
}

/** Scrolls the grid some rows a frame and returns the time between frames, as the page's clock sees it. */
async function scrollFrames(page: Page, rowsPerFrame: number): Promise<number[]> {
  return (await page.evaluate(scrollScript(rowsPerFrame))) as number[];
}
