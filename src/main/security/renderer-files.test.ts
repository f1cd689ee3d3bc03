import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupStatic, mimeType } from './renderer-files';

let root: string;
let outside: string;

beforeAll(async () => {
  outside = await mkdtemp(join(tmpdir(), 'ts-outside-'));
  root = await mkdtemp(join(tmpdir(), 'ts-static-'));
  await writeFile(join(outside, 'secret.txt'), 'secret');
  await writeFile(join(root, 'index.html'), '<!doctype html>');
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'assets', 'app-1234.js'), 'console.log(1)');
  await symlink(join(outside, 'secret.txt'), join(root, 'assets', 'leak.txt'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('static files of the built renderer', () => {
  it('serves index.html for / and existing files by path', async () => {
    expect(await lookupStatic(root, '/')).toMatchObject({ kind: 'file', isIndex: true });
    expect(await lookupStatic(root, '/assets/app-1234.js')).toMatchObject({ kind: 'file', isIndex: false, size: 14 });
  });

  it('falls back to index.html for client-side routes but not for missing files', async () => {
    expect(await lookupStatic(root, '/workspaces/abc')).toMatchObject({ kind: 'file', isIndex: true });
    expect(await lookupStatic(root, '/assets/missing.js')).toEqual({ kind: 'not_found' });
  });

  it.each(['/..%2f..%2fetc/passwd', '/assets/..%2F..%2F..%2Fetc%2Fpasswd', '/..\\..\\etc\\passwd', '/%2e%2e/x', '/a%00.js', '/%E0%A4%A'])(
    'refuses %s',
    async (path) => {
      expect(await lookupStatic(root, path)).toEqual({ kind: 'forbidden' });
    },
  );

  it('does not follow a symlink out of the folder', async () => {
    expect(await lookupStatic(root, '/assets/leak.txt')).toEqual({ kind: 'not_found' });
  });

  it('names the MIME types the renderer needs', () => {
    expect(mimeType('a.html')).toBe('text/html; charset=utf-8');
    expect(mimeType('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('a.css')).toBe('text/css; charset=utf-8');
    expect(mimeType('a.woff2')).toBe('font/woff2');
    expect(mimeType('a.svg')).toBe('image/svg+xml');
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });
});
