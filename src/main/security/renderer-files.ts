import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function mimeType(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { kind: 'file'; path: string; size: number; isIndex: boolean }
  | { kind: 'forbidden' }
  | { kind: 'not_found' };

/**
 * Maps a URL path to a file of the built renderer. A path that decodes to anything outside the
 * folder (`..`, an encoded slash or backslash, a NUL, a symlink leading out) is forbidden; an
 * unknown path without an extension is a client-side route and gets index.html.
 */
export async function lookupStatic(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'forbidden' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'forbidden' };
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '..')) return { kind: 'forbidden' };

  let base: string;
  try {
    base = await realpath(resolve(root));
  } catch {
    return { kind: 'not_found' };
  }
  const candidate = resolve(base, '.' + decoded);
  if (!within(base, candidate)) return { kind: 'forbidden' };

  const index = join(base, 'index.html');
  const found = await regularFile(base, candidate === base ? index : candidate);
  if (found) return { kind: 'file', ...found, isIndex: found.path === index };
  if (extname(decoded) === '') {
    const fallback = await regularFile(base, index);
    if (fallback) return { kind: 'file', ...fallback, isIndex: true };
  }
  return { kind: 'not_found' };
}

function within(base: string, path: string): boolean {
  const inside = relative(base, path);
  return inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
}

async function regularFile(base: string, path: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const real = await realpath(path);
    if (!within(base, real)) return undefined;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}
