import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { protocol } from 'electron';
import { contentSecurityPolicy } from '../security/csp';
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

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

function isInside(root: string, candidate: string): boolean {
  const path = relative(root, candidate);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
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
  let realRoot: Promise<string> | undefined;

  async function resolveFile(pathname: string): Promise<string | undefined> {
    const root = await (realRoot ??= realpath(rootDir));
    const wanted = join(root, pathname === '/' ? 'index.html' : pathname);
    if (!isInside(root, wanted)) return undefined;
    try {
      const real = await realpath(wanted);
      if (!isInside(root, real) || !(await stat(real)).isFile()) return undefined;
      return real;
    } catch {
      if (extname(pathname) !== '') return undefined;
      return join(root, 'index.html');
    }
  }

  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return refuse(404, 'Not found', csp);
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed', csp);
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return refuse(400, 'Bad path', csp);
    }
    if (pathname.includes('\0') || pathname.split(/[\\/]/).includes('..') || (sep === '\\' && pathname.includes(':'))) {
      return refuse(404, 'Not found', csp);
    }
    const file = await resolveFile(pathname);
    if (!file) return refuse(404, 'Not found', csp);
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  };
}
