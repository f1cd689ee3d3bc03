import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectHardenedCsp } from '../../../test/support/csp';
import { contentSecurityPolicy } from '../security/csp';
import { protocol, resetFakeElectron } from './fake-electron';
import { createAppProtocolHandler, registerAppScheme, serveRenderer } from './protocol';

vi.mock('electron', () => import('./fake-electron'));

const INDEX = '<!doctype html><title>Tenantscope</title>';

describe('app: protocol', () => {
  let base: string;
  let handler: (request: Request) => Promise<Response>;
  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'tenantscope-protocol-'));
    const root = join(base, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), INDEX);
    await writeFile(join(root, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(base, 'secret.txt'), 'outside the renderer');
    await writeFile(join(base, 'renderer-secret.txt'), 'beside the renderer');
    await symlink(join(base, 'secret.txt'), join(root, 'link.txt'));
    handler = createAppProtocolHandler(root);
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('serves index.html for the root with the renderer CSP', async () => {
    for (const url of ['app://tenantscope/', 'app://tenantscope/index.html']) {
      const response = await get(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(INDEX);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
      expectHardenedCsp(response.headers.get('content-security-policy'));
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves assets with their content type', async () => {
    const response = await get('app://tenantscope/assets/app.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await response.text()).toBe('console.log(1)');
  });

  it('refuses .. traversal in every spelling', async () => {
    for (const url of [
      'app://tenantscope/../secret.txt',
      'app://tenantscope/%2e%2e/secret.txt',
      'app://tenantscope/..%2fsecret.txt',
      'app://tenantscope/assets/..%2f..%2fsecret.txt',
      'app://tenantscope/..%5csecret.txt',
      'app://tenantscope/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://tenantscope/..%2frenderer-secret.txt',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text(), url).not.toMatch(/renderer/);
    }
  });

  it('refuses a symlink that points out of the renderer folder', async () => {
    expect((await get('app://tenantscope/link.txt')).status).toBe(404);
  });

  it('refuses other hosts, writes, bad encodings and NUL bytes', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    // Refusals are documents too, and carry the same policy.
    for (const refused of [await get('app://elsewhere/index.html'), await get('app://tenantscope/index.html', 'POST')]) {
      expectHardenedCsp(refused.headers.get('content-security-policy'));
    }
    expect((await get('app://tenantscope/index.html', 'POST')).status).toBe(405);
    expect((await get('app://tenantscope/%E0%A4%A')).status).toBe(400);
    expect((await get('app://tenantscope/index.html%00.js')).status).toBe(404);
  });

  it('answers a missing asset with 404 but an in-app route with index.html', async () => {
    expect((await get('app://tenantscope/assets/missing.js')).status).toBe(404);
    const route = await get('app://tenantscope/workspaces/new');
    expect(route.status).toBe(200);
    expect(await route.text()).toBe(INDEX);
  });

  it('registers app: as a standard, secure scheme and serves it with the handler', () => {
    resetFakeElectron();
    registerAppScheme();
    serveRenderer(base);
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect(protocol.handlers.has('app')).toBe(true);
  });
});
