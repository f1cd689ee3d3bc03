import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { murima2025 } from '@shared/tenancy';
import { exportDropKind, type ExportDropStores } from './export-drop-job';
import type { RetentionMongoFace } from './mongo-retention';

const TENANT = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const NOW = new Date('2026-12-15T12:00:00Z');
const bucket = (month: string) => `tenant_${TENANT}_audit_logs_${month.replace('-', '_')}`;

/**
 * An in-memory database of collections standing in for MongoDB: what this file tests is the job's
 * order of work (export, read back, count, drop) and what it refuses, not MongoDB. The export is a
 * real gzip file with its SHA-256, as the store writes it.
 */
function fakeMongo(collections: Map<string, object[]>, hooks: { duringExport?: (collection: string) => void } = {}) {
  const calls: string[] = [];
  const face: RetentionMongoFace = {
    listCollectionNames: async () => [...collections.keys()],
    collectionStats: async (t) => ({ count: collections.get(t.collection)?.length ?? 0, size: 0 }),
    listIndexes: async () => [],
    find: async () => [],
    countDocuments: async (t) => collections.get(t.collection)?.length ?? 0,
    exportCollection: async (t, file) => {
      calls.push(`export ${t.collection}`);
      const docs = [...(collections.get(t.collection) ?? [])];
      const body = gzipSync(docs.map((d) => `${JSON.stringify(d)}\n`).join(''));
      await writeFile(file, body);
      hooks.duringExport?.(t.collection);
      return { file, documents: docs.length, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') };
    },
    dropCollection: async (t) => {
      calls.push(`drop ${t.collection}`);
      return collections.delete(t.collection);
    },
  };
  return { face, calls };
}

describe('retention.mongo-export-drop', () => {
  let root: string;
  let collections: Map<string, object[]>;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tenantscope-export-drop-'));
    collections = new Map([
      [bucket('2025-10'), [{ _id: 1, action: 'login' }, { _id: 2, action: 'update' }]],
      [bucket('2025-11'), [{ _id: 3, action: 'login' }]],
      [bucket('2026-01'), [{ _id: 4, action: 'login' }]],
    ]);
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  const run = async (face: RetentionMongoFace, months: string[], signal = new AbortController().signal) => {
    const stores: ExportDropStores = { workspaceId: 'ws_retention', preset: murima2025, mongo: { face, database: 'murima2025' }, exportRoot: root };
    const kind = exportDropKind(async () => stores, () => NOW);
    const lines: string[] = [];
    const result = kind.run(kind.params.parse({ tenantId: TENANT, family: 'audit_logs', months }), {
      jobId: 'job_exportdroptest000001',
      signal,
      stores,
      progress: () => undefined,
      log: (line) => lines.push(line),
    });
    return { result, lines, folder: join(root, 'ws_retention', 'job_exportdroptest000001') };
  };

  it('exports each expired bucket, checks it, and only then drops it; the kept month stays', async () => {
    const { face, calls } = fakeMongo(collections);
    const { result, folder } = await run(face, ['2025-11', '2025-10']);
    expect(await result).toMatchObject({ dropped: [bucket('2025-10'), bucket('2025-11')], exported: 2 });
    expect(calls).toEqual([`export ${bucket('2025-10')}`, `drop ${bucket('2025-10')}`, `export ${bucket('2025-11')}`, `drop ${bucket('2025-11')}`]);
    expect([...collections.keys()]).toEqual([bucket('2026-01')]);
    const sums = (await readFile(join(folder, 'SHA256SUMS'), 'utf8')).trim().split('\n');
    expect(sums).toHaveLength(2);
    for (const line of sums) {
      const [sha, name] = line.split('  ') as [string, string];
      expect(createHash('sha256').update(await readFile(join(folder, name))).digest('hex')).toBe(sha);
    }
    const first = gunzipSync(await readFile(join(folder, `${bucket('2025-10')}.ejson.gz`))).toString('utf8').trim().split('\n');
    expect(first.map((l) => JSON.parse(l) as unknown)).toEqual([{ _id: 1, action: 'login' }, { _id: 2, action: 'update' }]);
    const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as { exports: Array<{ documents: number }> };
    expect(manifest.exports.map((e) => e.documents)).toEqual([2, 1]);
  });

  it('refuses a month inside the retention before exporting anything', async () => {
    const { face, calls } = fakeMongo(collections);
    const { result } = await run(face, ['2025-10', '2026-01']);
    await expect(result).rejects.toMatchObject({ code: 'conflict' });
    expect(calls).toEqual([]);
    expect(collections.size).toBe(3);
  });

  it('a cancel during an export leaves that collection where it was, with the earlier drop done', async () => {
    const controller = new AbortController();
    const { face, calls } = fakeMongo(collections, { duringExport: (c) => c === bucket('2025-11') && controller.abort() });
    const { result, folder } = await run(face, ['2025-10', '2025-11'], controller.signal);
    await expect(result).rejects.toMatchObject({ code: 'cancelled' });
    expect(calls).toEqual([`export ${bucket('2025-10')}`, `drop ${bucket('2025-10')}`, `export ${bucket('2025-11')}`]);
    expect(collections.has(bucket('2025-11'))).toBe(true);
    expect((await readdir(folder)).sort()).toContain(`${bucket('2025-11')}.ejson.gz`);
  });

  it('keeps a bucket whose count changed during the export, and says why', async () => {
    const { face, calls } = fakeMongo(collections, { duringExport: (c) => collections.get(c)?.push({ _id: 99, action: 'late write' }) });
    const { result, lines } = await run(face, ['2025-11']);
    await expect(result).rejects.toMatchObject({ code: 'conflict' });
    expect(calls).toEqual([`export ${bucket('2025-11')}`]);
    expect(collections.get(bucket('2025-11'))).toHaveLength(2);
    expect(lines).toContainEqual(expect.stringMatching(/kept, not dropped: .*held 1 .* 1 were exported .* holds 2 now/));
  });
});
