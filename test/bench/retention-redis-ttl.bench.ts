import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisEndpoint } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { redisTtlKind } from '../../src/main/features/retention/redis-ttl-job';
import { RedisStore } from '../../src/main/stores/redis/store';
import { startRedis } from '../support/redis-server';
import { summarize, writeReport } from './harness';

/**
 * The `retention.redis-ttl` job over every tenant (SCAN MATCH `*:session:*`, each key's tenant and
 * family checked, one `EXPIRE … NX` pipeline per page) through RedisStore, against a raw loop of
 * the same commands with the driver (SCAN MATCH, COUNT 1000, EXPIRE NX for every key the page
 * holds, no checks), interleaved in the same run. Before each run every session key loses its TTL
 * again (not timed). BENCH_TTL_KEYS and BENCH_TTL_TENANTS shrink or grow it.
 */
const SESSIONS = Number(process.env.BENCH_TTL_KEYS ?? 200_000);
const TENANTS = Number(process.env.BENCH_TTL_TENANTS ?? 2_000);
const ITERATIONS = 5;
const TTL = 86_400;

const server = await startRedis();
const client = new Redis({ host: server.host, port: server.port, password: server.password });
const store = new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port }), { password: server.password });
try {
  await store.connect();
  const tenants = Array.from({ length: TENANTS }, () => randomUUID());
  const loadStarted = performance.now();
  for (let start = 0; start < SESSIONS; start += 5_000) {
    const p = client.pipeline();
    for (let i = start; i < Math.min(SESSIONS, start + 5_000); i++) {
      const tenant = tenants[i % TENANTS] as string;
      p.hset(`${tenant}:session:s${i}`, 'u', 'x');
      // As many keys of other families beside them, which the MATCH or the checks must leave alone.
      p.set(`${tenant}:case:c${i}`, 'x', 'EX', 7_200);
    }
    await p.exec();
  }
  const loadMs = performance.now() - loadStarted;

  /** Every session key without a TTL again, as before the first run. */
  async function reset(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', '*:session:*', 'COUNT', 5_000);
      cursor = next;
      const p = client.pipeline();
      for (const key of keys) p.persist(key);
      await p.exec();
    } while (cursor !== '0');
  }

  async function raw(): Promise<number> {
    let set = 0;
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', '*:session:*', 'COUNT', 1_000);
      cursor = next;
      if (keys.length === 0) continue;
      const p = client.pipeline();
      for (const key of keys) p.call('EXPIRE', key, TTL, 'NX');
      for (const [, value] of (await p.exec()) ?? []) if (Number(value) === 1) set += 1;
    } while (cursor !== '0');
    return set;
  }

  const kind = redisTtlKind(async () => ({ workspaceId: 'bench', preset: murima2025, redis: store }));
  async function job(): Promise<number> {
    const result = await kind.run(kind.params.parse({ family: 'session', allTenants: true }), {
      jobId: 'job_benchretentionttl001',
      signal: new AbortController().signal,
      stores: { workspaceId: 'bench', preset: murima2025, redis: store },
      progress: () => undefined,
      log: () => undefined,
    });
    return Number((result as { set?: number } | undefined)?.set ?? 0);
  }

  const cases = [
    { name: 'raw SCAN MATCH + EXPIRE NX pipelines (ioredis)', run: raw },
    { name: 'retention.redis-ttl job over RedisStore (tenant and family checked per key)', run: job },
  ];
  const samples = cases.map((): number[] => []);
  const cpu = cases.map((): number[] => []);
  const setCounts = cases.map((): number[] => []);
  for (let i = 0; i < ITERATIONS; i++) {
    for (const [index, c] of cases.entries()) {
      await reset();
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      setCounts[index]?.push(await c.run());
      samples[index]?.push(performance.now() - started);
      const used = process.cpuUsage(cpuStart);
      cpu[index]?.push((used.user + used.system) / 1000);
    }
  }
  for (const counts of setCounts) if (counts.some((n) => n !== SESSIONS)) throw new Error(`a run set ${counts.join(', ')} TTLs, not ${SESSIONS}`);
  const results = cases.map((c, index) => summarize(c.name, samples[index] ?? [], { keysGivenTtl: SESSIONS, keysInDatabase: SESSIONS * 2 }, cpu[index] ?? []));
  const rawMedian = results[0]?.medianMs ?? Number.NaN;
  const jobMedian = results[1]?.medianMs ?? Number.NaN;
  await writeReport({
    bench: 'retention-redis-ttl',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    cases: results,
    summary: {
      sessionKeys: SESSIONS,
      tenants: TENANTS,
      loadSeconds: Math.round(loadMs / 100) / 10,
      'job / raw loop (median)': Math.round((jobMedian / rawMedian) * 100) / 100,
      'job / raw loop, client CPU (median)': Math.round(((results[1]?.cpuMedianMs ?? Number.NaN) / (results[0]?.cpuMedianMs ?? Number.NaN)) * 100) / 100,
      'job: keys given a TTL per second (median)': Math.round(SESSIONS / (jobMedian / 1000)),
    },
  });
} finally {
  await store.close();
  client.disconnect();
  await server.stop();
}
