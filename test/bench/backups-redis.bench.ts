import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisEndpoint } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { redisBackupPart } from '../../src/main/features/backups/parts/redis';
import type { PartContext } from '../../src/main/services/backup-part';
import { RedisStore } from '../../src/main/stores/redis/store';
import { startRedis } from '../support/redis-server';
import { measureInterleaved, writeReport } from './harness';

/**
 * One tenant's Redis export as the bundle job runs it (RedisStore's scoped walk with DUMP and PTTL
 * riding on the SCAN pages, JSON lines with base64 payloads, hashed as written) against a raw loop
 * with the driver doing the same work: SCAN MATCH <prefix>* COUNT 1000, then DUMP and PTTL of the
 * page in one pipeline, the same lines written to a file. Interleaved in the same run, among other
 * tenants' keys. BENCH_REDIS_BACKUP_KEYS (the tenant's) and BENCH_REDIS_OTHER_KEYS shrink it.
 */
const TENANT_KEYS = Number(process.env.BENCH_REDIS_BACKUP_KEYS ?? 100_000);
const OTHER_KEYS = Number(process.env.BENCH_REDIS_OTHER_KEYS ?? 200_000);
const ITERATIONS = 5;

const server = await startRedis();
const client = new Redis(server.url);
const store = new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port }), { password: server.password });
const root = await mkdtemp(join(tmpdir(), 'tenantscope-bench-redis-backup-'));
const tenant = randomUUID();
const prefix = `${tenant}:`;
let run = 0;
try {
  const families = ['session:s', 'case:c', 'config:k', 'notifications:u', 'locks:r'];
  const load = async (id: string, count: number): Promise<void> => {
    for (let at = 0; at < count; at += 5_000) {
      const pipeline = client.pipeline();
      for (let i = at; i < Math.min(count, at + 5_000); i++) {
        const key = `${id}:${families[i % families.length]}${i}`;
        if (i % 5 === 0) pipeline.hset(key, { user_id: `u${i}`, role: 'agent', last_activity: '2026-11-01T10:00:00Z' });
        else pipeline.set(key, `value-${i}-${'x'.repeat(40)}`);
        if (i % 3 !== 0) pipeline.expire(key, 86_400);
      }
      await pipeline.exec();
    }
  };
  await load(tenant, TENANT_KEYS);
  for (let t = 0; t < 4; t++) await load(randomUUID(), Math.round(OTHER_KEYS / 4));
  const dbsize = await client.dbsize();
  console.log(`loaded ${dbsize} keys, ${TENANT_KEYS} of them the tenant's`);
  await store.connect();
  const part = redisBackupPart({ preset: murima2025, redis: store });

  const folder = async (): Promise<string> => {
    const path = join(root, `run-${run++}`);
    await mkdir(path);
    return path;
  };
  let partKeys = 0;
  let rawKeys = 0;
  let partBytes = 0;
  const results = await measureInterleaved(
    [
      {
        name: 'raw SCAN + pipelined DUMP/PTTL loop (ioredis), lines to a file',
        run: async () => {
          const file = await open(join(await folder(), 'keys.jsonl'), 'wx');
          let cursor = '0';
          rawKeys = 0;
          do {
            const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
            cursor = next;
            if (keys.length === 0) continue;
            const pipeline = client.pipeline();
            for (const key of keys) {
              pipeline.pttl(key);
              pipeline.dumpBuffer(key);
            }
            const replies = (await pipeline.exec()) ?? [];
            let chunk = '';
            keys.forEach((key, i) => {
              const payload = replies[i * 2 + 1]?.[1] as Buffer | null;
              if (!payload) return;
              chunk += `${JSON.stringify({ k: key.slice(prefix.length), t: replies[i * 2]?.[1], p: payload.toString('base64') })}\n`;
              rawKeys += 1;
            });
            await file.write(chunk);
          } while (cursor !== '0');
          await file.sync();
          await file.close();
        },
      },
      {
        name: 'tenant export (redisBackupPart over RedisStore: scoped walk, DUMP+PTTL on the SCAN pages, hashed)',
        run: async () => {
          const path = await folder();
          const context: PartContext = { signal: new AbortController().signal, folder: path, relativeFolder: 'redis', progress: () => undefined, log: () => undefined };
          const written = await part.backup(tenant, context);
          partKeys = Number(written.details.keys);
          partBytes = written.files[0]?.bytes ?? 0;
        },
      },
    ],
    { iterations: ITERATIONS, warmup: 1, collectGarbage: true },
  );
  if (partKeys !== TENANT_KEYS || rawKeys !== TENANT_KEYS) throw new Error(`exported ${partKeys} (part) and ${rawKeys} (raw) keys of ${TENANT_KEYS}`);
  const [raw, export_] = results;
  await writeReport({
    bench: 'backups-redis',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    cases: results,
    summary: {
      tenantKeys: TENANT_KEYS,
      keysInServer: dbsize,
      fileBytes: partBytes,
      'tenant export / raw loop (median)': Math.round(((export_?.medianMs ?? Number.NaN) / (raw?.medianMs ?? Number.NaN)) * 100) / 100,
      'tenant export / raw loop, client CPU (median)': Math.round(((export_?.cpuMedianMs ?? Number.NaN) / (raw?.cpuMedianMs ?? Number.NaN)) * 100) / 100,
      'tenant export keys per second (median)': Math.round(TENANT_KEYS / ((export_?.medianMs ?? Number.NaN) / 1000)),
    },
  });
} finally {
  await store.close();
  client.disconnect();
  await server.stop();
  await rm(root, { recursive: true, force: true });
}
