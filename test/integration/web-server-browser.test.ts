import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from '../support/web-app';
import { httpGet } from '../support/web-client';
import { CHROMIUM, CHROMIUM_ARGS } from '../support/chromium';


/** Opens the API socket from inside a page and reports how it went: a ping's answer, or the close code. */
function pingFromPage(page: Page, wsUrl: string): Promise<{ echo?: string; closed?: number }> {
  return page.evaluate(
    (url) =>
      new Promise<{ echo?: string; closed?: number }>((resolve) => {
        const socket = new WebSocket(url);
        socket.onopen = () => socket.send(JSON.stringify({ kind: 'call', callId: 'p1', method: 'system.ping', args: { echo: 'from the page' } }));
        socket.onmessage = (event) => {
          const message = JSON.parse(String(event.data)) as { value?: { echo?: string } };
          resolve({ echo: message.value?.echo });
          socket.close();
        };
        socket.onclose = (event) => resolve({ closed: event.code });
      }),
    wsUrl,
  );
}

describe('web mode in Chromium, serving the built renderer', () => {
  let app: WebApp;
  let browser: Browser;
  let wsUrl: string;

  beforeAll(async () => {
    app = await startWebApp();
    wsUrl = `${app.origin.replace('http', 'ws')}/api`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('serves the built index.html and every asset it names, with their MIME types', async () => {
    const auth = { authorization: `Bearer ${app.token}` };
    const page = await httpGet(app.origin, '/', auth);
    expect(page.status).toBe(200);
    const assets = [...page.body.matchAll(/(?:src|href)="((?:\.\/|\/)assets\/[^"]+)"/g)].map((m) => new URL(m[1] as string, app.origin).pathname);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const reply = await httpGet(app.origin, asset, auth);
      expect(reply.status, asset).toBe(200);
      expect(reply.headers['content-type'], asset).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    }
  });

  it('opens from the printed address, drops the token from the address bar and talks to the API from the page', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      const response = await page.goto(app.url);
      expect(response?.status()).toBe(200);
      expect(page.url()).toBe(`${app.origin}/`);
      expect(await page.title()).toBe('Tenantscope');
      expect(await pingFromPage(page, wsUrl)).toEqual({ echo: 'from the page' });
      // A reload carries only the cookie now, and still works.
      expect((await page.reload())?.status()).toBe(200);
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('refuses a browser that never opened the address with the token', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const response = await page.goto(`${app.origin}/`);
      expect(response?.status()).toBe(401);
      const result = await pingFromPage(page, wsUrl);
      expect(result.echo).toBeUndefined();
      expect(result.closed).toBe(1006);
    } finally {
      await context.close();
    }
  });

  it('refuses the API socket to a page of another origin, even in a browser holding the cookie', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(app.url);
      await page.goto('about:blank');
      const result = await pingFromPage(page, wsUrl);
      expect(result.echo).toBeUndefined();
      expect(result.closed).toBe(1006);
    } finally {
      await context.close();
    }
  });
});
