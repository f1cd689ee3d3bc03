import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy } from '../security/csp';
import { lookupStatic, mimeType } from '../security/renderer-files';
import { APP_HOST, APP_SCHEME } from './origin';

/**
 * Registers `app:` as a standard, secure scheme. Must run before the app is ready: a standard
 * scheme gets a real origin (so `'self'` in the CSP, relative URLs, module scripts and workers
 * behave as on https), and a secure one is a secure context.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

/** Serves the built renderer on `app://tenantscope/` (after the app is ready). */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
}

function refuse(status: number, text: string, csp: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' },
  });
}

/**
 * The `app:` handler: files of `rootDir` only, with the renderer's CSP on every response. The
 * path is decoded and resolved before the guard, so `..`, `%2e%2e`, `%2f` and `\` tricks and
 * symlinks pointing out of the folder all end in 404. Extension-less paths that name no file get
 * index.html, so a reload on an in-app route still shows the app.
 */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  const csp = contentSecurityPolicy();
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return refuse(404, 'Not found', csp);
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed', csp);
    try {
      decodeURIComponent(url.pathname);
    } catch {
      return refuse(400, 'Bad path', csp);
    }
    // The same lookup web mode serves with: `..`, NUL, backslashes and escaping symlinks are refused.
    const found = await lookupStatic(rootDir, url.pathname);
    if (found.kind !== 'file') return refuse(404, 'Not found', csp);
    const body = await readFile(found.path);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'Content-Type': mimeType(found.path),
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  };
}
