import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { readJsonFile, writeFileAtomic } from './files';
import { useTempDirs } from './test-support';

describe('writeFileAtomic', () => {
  const tempDir = useTempDirs();

  it('replaces the content with the given mode and leaves no temporary file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'data.json');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new', 0o600);
    expect(await readFile(path, 'utf8')).toBe('new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['data.json']);
  });

  it('cleans up and throws when the file cannot be replaced', async () => {
    const dir = await tempDir();
    const path = join(dir, 'taken');
    await mkdir(path);
    await expect(writeFileAtomic(path, 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
  });

  it('never lets a reader see a half-written file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'big.json');
    const content = (n: number) => JSON.stringify({ n, fill: 'x'.repeat(256 * 1024) });
    await writeFileAtomic(path, content(0));
    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        const parsed = JSON.parse(await readFile(path, 'utf8')) as { n: number };
        expect(typeof parsed.n).toBe('number');
        reads += 1;
      }
    })();
    for (let n = 1; n <= 20; n += 1) await writeFileAtomic(path, content(n));
    reading = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect((JSON.parse(await readFile(path, 'utf8')) as { n: number }).n).toBe(20);
  });
});

describe('readJsonFile', () => {
  const tempDir = useTempDirs();

  it('reads a missing file as undefined and bad JSON as internal naming the file', async () => {
    const dir = await tempDir();
    await expect(readJsonFile(join(dir, 'absent.json'))).resolves.toBeUndefined();
    await writeFile(join(dir, 'bad.json'), '{"half":');
    const error = await readJsonFile(join(dir, 'bad.json')).catch((e: unknown) => e);
    expect(AppError.is(error, 'internal')).toBe(true);
    expect((error as AppError).message).toContain(join(dir, 'bad.json'));
  });
});
