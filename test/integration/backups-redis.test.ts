import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { BundlePart } from '@shared/model/backup';
import { RedisEndpoint } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { redisBackupPart } from '../../src/main/features/backups/parts/redis';
import type { BackupPart, PartContext } from '../../src/main/services/backup-part';
import { RedisStore } from '../../src/main/stores/redis/store';
import { startRedis, type ThrowawayRedis } from '../support/redis-server';
import { FAMILY_KEYS, redisClient, tenantIds, writeTenantKeys } from './tenants-fixtures';

const DB = 11;
const PER_FAMILY = 4;

interface Folder {
  root: string;
  context(signal?: AbortSignal, onProgress?: (done: number) => void): PartContext;
}

async function bundleFolder(): Promise<Folder> {
  const root = await mkdtemp(join(tmpdir(), 'tenantscope-bundle-'));
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(root, 'redis'));
  return {
    root,
    context: (signal = new AbortController().signal, onProgress) => ({
      signal,
      folder: join(root, 'redis'),
      relativeFolder: 'redis',
      progress: (done) => onProgress?.(done),
      log: () => undefined,
    }),
  };
}

async function completePart(part: BackupPart, tenantId: string, folder: Folder): Promise<BundlePart> {
  const written = await part.backup(tenantId, folder.context());
  const now = new Date().toISOString();
  return { ...written, startedAt: now, endedAt: now };
}

/** Keys under a prefix with their PTTL, by a bare client. */
async function keysWithTtl(client: Redis, prefix: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) found.set(key.slice(prefix.length), await client.pttl(key));
  } while (cursor !== '0');
  return found;
}

describe('Redis bundle part on a real Redis', () => {
  const [tenant, neighbour] = tenantIds(2) as [string, string];
  let client: Redis;
  let store: RedisStore;
  let part: BackupPart;
  const folders: string[] = [];

  beforeAll(async () => {
    const server = inject('redis');
    client = redisClient(server.url, DB);
    store = new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port, db: DB }), { password: server.password });
    await store.connect();
    part = redisBackupPart({ preset: murima2025, redis: store, scanCount: 7, batchSize: 5 });
  });

  beforeEach(async () => {
    await client.flushdb();
    await writeTenantKeys(client, tenant, PER_FAMILY);
    await writeTenantKeys(client, neighbour, PER_FAMILY);
  });

  afterAll(async () => {
    await client.flushdb();
    client.disconnect();
    await store.close();
    await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })));
  });

  it('backs up the tenant’s keys with their TTLs, then restores them under a new prefix: counts match and TTLs are within a second of what was left', async () => {
    const folder = await bundleFolder();
    folders.push(folder.root);
    const before = await keysWithTtl(client, `${tenant}:`);
    const manifest = await completePart(part, tenant, folder);

    // The listed digest is of the bytes on disk, and only this tenant's keys are in the file.
    const bytes = await readFile(join(folder.root, manifest.files[0]!.path));
    expect(manifest.files[0]).toMatchObject({ path: 'redis/keys.jsonl', bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(bytes.toString('utf8')).not.toContain(neighbour);
    for (const spec of FAMILY_KEYS) expect(manifest.counts[spec.family]).toBe(PER_FAMILY);
    expect(manifest.counts.online_users).toBe(1);
    expect(Object.values(manifest.counts).reduce((a, b) => a + b, 0)).toBe(before.size);
    const dumped = new Map<string, number>(
      bytes.toString('utf8').trim().split('\n').slice(1).map((line) => {
        const entry = JSON.parse(line) as { k: string; t: number };
        return [entry.k, entry.t];
      }),
    );

    // The tenant's live data changes after the backup.
    await client.del(`${tenant}:session:s0`);
    await client.hset(`${tenant}:case:c1`, 'role', 'changed');
    await client.persist(`${tenant}:config:k0`);

    const restored = await part.restore(manifest, tenant, { mode: 'rename', name: 'restore-0417:' }, folder.context());
    expect(restored.target).toBe('restore-0417:');
    expect(restored.counts).toEqual(manifest.counts);
    const after = await keysWithTtl(client, 'restore-0417:');
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [rest, pttl] of after) {
      const atDump = dumped.get(rest) as number;
      if (atDump < 0) expect(pttl).toBe(-1);
      else {
        expect(pttl).toBeLessThanOrEqual(atDump);
        expect(pttl).toBeGreaterThan(atDump - 1000);
      }
    }
    // Values are the backed-up ones, not today's.
    expect(await client.hget('restore-0417:case:c1', 'role')).toBe('agent');
    expect(await client.exists('restore-0417:session:s0')).toBe(1);
    // Nothing is left under the staging prefix, and the live tenant was not touched.
    expect(await keysWithTtl(client, 'tenantscope-restoring:')).toEqual(new Map());
    expect(await client.hget(`${tenant}:case:c1`, 'role')).toBe('changed');

    await part.dropRestored('restore-0417:', new AbortController().signal);
    expect((await keysWithTtl(client, 'restore-0417:')).size).toBe(0);
    expect((await keysWithTtl(client, `${neighbour}:`)).size).toBe(before.size);
  });

  it('overwrites existing keys only when REPLACE is asked; otherwise the conflict names them and nothing is written', async () => {
    const folder = await bundleFolder();
    folders.push(folder.root);
    const manifest = await completePart(part, tenant, folder);
    await client.hset(`${tenant}:case:c1`, 'role', 'changed');
    await client.del(`${tenant}:locks:r0`);
    const sizeBefore = await client.dbsize();

    const refused = await part.restore(manifest, tenant, { mode: 'replace' }, folder.context()).catch((e: unknown) => e);
    expect(AppError.is(refused, 'conflict')).toBe(true);
    expect((refused as AppError).message).toContain(`${tenant}:`);
    expect(await client.dbsize()).toBe(sizeBefore);
    expect(await client.hget(`${tenant}:case:c1`, 'role')).toBe('changed');
    expect(await client.exists(`${tenant}:locks:r0`)).toBe(0);

    // A new prefix that already holds one of the names is refused the same way.
    await client.set('restore-x:config:k0', 'already here');
    const taken = await part.restore(manifest, tenant, { mode: 'rename', name: 'restore-x:' }, folder.context()).catch((e: unknown) => e);
    expect(AppError.is(taken, 'conflict')).toBe(true);
    expect((taken as AppError).message).toContain('restore-x:config:k0');
    expect((await keysWithTtl(client, 'restore-x:')).size).toBe(1);

    const replaced = await part.restore(manifest, tenant, { mode: 'replace', replaceExisting: true }, folder.context());
    expect(replaced.target).toBe(`${tenant}:`);
    expect(replaced.counts).toEqual(manifest.counts);
    expect(await client.hget(`${tenant}:case:c1`, 'role')).toBe('agent');
    expect(await client.exists(`${tenant}:locks:r0`)).toBe(1);
    const ttl = await client.pttl(`${tenant}:locks:r0`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('refuses hostile prefixes and targets before anything is written', async () => {
    const folder = await bundleFolder();
    folders.push(folder.root);
    const manifest = await completePart(part, tenant, folder);
    const sizeBefore = await client.dbsize();
    const refusals: [string, unknown][] = [];
    for (const name of ['*', 'restore *:', `${neighbour}`, `${neighbour}:`, `${tenant}:`, 'a"b:', ':', 'x[ab]:', 'a:b*']) {
      refusals.push([name, await part.restore(manifest, tenant, { mode: 'rename', name }, folder.context()).catch((e: unknown) => e)]);
    }
    for (const [name, error] of refusals) {
      expect(AppError.is(error) && ['invalid_argument', 'forbidden'].includes(error.code), `prefix ${name}`).toBe(true);
    }
    expect((refusals.find(([name]) => name === `${neighbour}:`)?.[1] as AppError).code).toBe('forbidden');
    expect((refusals.find(([name]) => name === neighbour)?.[1] as AppError).code).toBe('forbidden');
    // Sweeping never reaches a tenant's keys.
    await expect(part.dropRestored(`${tenant}:`, new AbortController().signal)).rejects.toMatchObject({ code: 'forbidden' });
    // A bundle of one tenant is never restored as another's.
    await expect(part.restore(manifest, neighbour, { mode: 'replace', replaceExisting: true }, folder.context())).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(part.dropRestored('', new AbortController().signal)).rejects.toMatchObject({ code: 'invalid_argument' });
    // A hostile tenant id never becomes a key pattern.
    await expect(part.backup('x"; FLUSHALL; --', folder.context())).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(part.backup('*', folder.context())).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await client.dbsize()).toBe(sizeBefore);
  });

  it('fails rather than leave out a key whose name is not UTF-8, and leaves no part file', async () => {
    const folder = await bundleFolder();
    folders.push(folder.root);
    await client.set(Buffer.concat([Buffer.from(`${tenant}:config:`), Buffer.from([0xff, 0xfe])]), 'binary name');
    await expect(part.backup(tenant, folder.context())).rejects.toThrow(/not UTF-8 \(1 seen\)/);
    expect(await readdir(join(folder.root, 'redis'))).toEqual([]);
  });

  it('backs up from a read-only (prod) store, which refuses the restore before anything is written', async () => {
    const server = inject('redis');
    const prod = new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port, db: DB }), { password: server.password }, { readOnly: true });
    try {
      const folder = await bundleFolder();
      folders.push(folder.root);
      const prodPart = redisBackupPart({ preset: murima2025, redis: prod });
      const written = await completePart(prodPart, tenant, folder);
      expect(written.counts.session).toBe(PER_FAMILY);
      const sizeBefore = await client.dbsize();
      await expect(prodPart.restore(written, tenant, { mode: 'rename', name: 'restore-prod:' }, folder.context())).rejects.toMatchObject({ code: 'read_only' });
      expect(await client.dbsize()).toBe(sizeBefore);
    } finally {
      await prod.close();
    }
  });

  it('takes the bundle job’s base name (verify’s scratch schema name) as the prefix with the separator after it', async () => {
    const folder = await bundleFolder();
    folders.push(folder.root);
    const manifest = await completePart(part, tenant, folder);
    const restored = await part.restore(manifest, tenant, { mode: 'scratch', name: 'tsverify_ab12cd34ef56' }, folder.context());
    expect(restored).toEqual({ target: 'tsverify_ab12cd34ef56:', counts: manifest.counts });
    await part.dropRestored('tsverify_ab12cd34ef56', new AbortController().signal);
    expect((await keysWithTtl(client, 'tsverify_ab12cd34ef56')).size).toBe(0);
  });

  it('a restore cancelled half way leaves the target and the staging prefix empty', async () => {
    const folder = await bundleFolder();
    folders.push(folder.root);
    const manifest = await completePart(part, tenant, folder);
    const controller = new AbortController();
    const outcome = await part
      .restore(manifest, tenant, { mode: 'rename', name: 'restore-cancelled:' }, folder.context(controller.signal, (done) => {
        if (done >= 10) controller.abort();
      }))
      .catch((e: unknown) => e);
    expect(AppError.is(outcome, 'cancelled')).toBe(true);
    expect((await keysWithTtl(client, 'restore-cancelled:')).size).toBe(0);
    expect((await keysWithTtl(client, 'tenantscope-restoring:')).size).toBe(0);
  });

  it('a damaged file is named, and the restore writes nothing', async () => {
    const folder = await bundleFolder();
    folders.push(folder.root);
    const manifest = await completePart(part, tenant, folder);
    const path = join(folder.root, 'redis', 'keys.jsonl');
    const text = await readFile(path, 'utf8');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, `${text}{"k":\n`);
    const sizeBefore = await client.dbsize();
    await expect(part.restore(manifest, tenant, { mode: 'rename', name: 'restore-bad:' }, folder.context())).rejects.toThrow(/redis\/keys\.jsonl line \d+/);
    expect(await client.dbsize()).toBe(sizeBefore);
  });
});

describe('Redis bundle part when the server goes away', () => {
  let server: ThrowawayRedis;
  let store: RedisStore;
  const [tenant] = tenantIds(1) as [string];
  let folder: Folder;

  beforeAll(async () => {
    server = await startRedis();
    const client = redisClient(server.url, 0);
    const pipeline = client.pipeline();
    for (let i = 0; i < 20_000; i++) pipeline.set(`${tenant}:config:k${i}`, `value-${i}`);
    await pipeline.exec();
    client.disconnect();
    store = new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port }), { password: server.password }, { backoff: { attempts: 1, baseDelayMs: 10, maxDelayMs: 20 } });
    await store.connect();
    folder = await bundleFolder();
  });

  afterAll(async () => {
    await store.close();
    await server.stop();
    await rm(folder.root, { recursive: true, force: true });
  });

  it('fails the export with the reason and leaves no part file behind', async () => {
    const part = redisBackupPart({ preset: murima2025, redis: store, scanCount: 50 });
    let killed: Promise<void> | undefined;
    const outcome = await part
      .backup(
        tenant,
        folder.context(new AbortController().signal, (done) => {
          killed ??= done > 0 ? server.kill() : undefined;
        }),
      )
      .catch((e: unknown) => e);
    await killed;
    expect(killed).toBeDefined();
    expect(AppError.is(outcome)).toBe(true);
    expect(['unreachable', 'timeout'], (outcome as AppError).message).toContain((outcome as AppError).code);
    expect(await readdir(join(folder.root, 'redis'))).toEqual([]);
  });
});
