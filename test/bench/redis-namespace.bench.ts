import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { murima2025 } from '@shared/tenancy';
import type { RedisLayout } from '../../src/main/features/redis-namespace/key-families';
import { buildNamespaceMap } from '../../src/main/features/redis-namespace/namespace-map';
import { redisReaderOf } from '../../src/main/features/redis-namespace/store-reader';
import { RedisStore } from '../../src/main/stores/redis/store';
import { RedisEndpoint } from '@shared/model/workspace';
import { redisLayoutOf } from '../../src/main/features/tenants/service';
import { startRedis } from '../support/redis-server';
import { redisReader } from '../integration/tenants-fixtures';
import { summarize, writeReport } from './harness';

/**
 * The Redis namespace map over 1,000,000 keys of 10,000 tenants (the seed's key families with
 * their TTLs), against a raw SCAN walk with the driver (COUNT 1000, keys counted, nothing else).
 * Also the longest single server call: each round trip timed on the client, and the server's own
 * view from SLOWLOG (threshold 1 ms) and INFO commandstats.
 */
const TENANTS = 10_000;
const KEYS = 1_000_000;
const ITERATIONS = 3;

/** TTLs outlast the whole run (load and walks take minutes here), so no key expires mid-measurement. */
const FAMILIES: Array<{ key: (i: number) => string; ttl: number | null }> = [
  { key: (i) => `session:s${i}`, ttl: 86_400 },
  { key: (i) => `user:u${i}:permissions`, ttl: 7_200 },
  { key: (i) => `case:c${i}`, ttl: 7_200 },
  { key: (i) => `case:c${i}:viewers`, ttl: 7_200 },
  { key: (i) => `config:k${i}`, ttl: 7_200 },
  { key: (i) => `rate_limit:10.0.${i >> 8}.${i & 255}`, ttl: 7_200 },
  { key: (i) => `notifications:u${i}`, ttl: 2_592_000 },
  { key: (i) => `locks:r${i}`, ttl: 7_200 },
  { key: (i) => `misc:${i}`, ttl: null },
];


/** Longest SLOWLOG entry in ms (entries are at or above the threshold), per command name. */
async function slowlogMax(client: Redis): Promise<{ maxMs: number; command: string; entries: number }> {
  const entries = (await client.call('SLOWLOG', 'GET', '-1')) as Array<[number, number, number, string[]]>;
  let maxMs = 0;
  let command = 'none over 1 ms';
  for (const [, , micros, args] of entries) {
    if (micros / 1000 > maxMs) {
      maxMs = micros / 1000;
      command = String(args[0]);
    }
  }
  return { maxMs, command, entries: entries.length };
}

/** usec_per_call per command from INFO commandstats. */
async function commandStats(client: Redis): Promise<Record<string, number>> {
  const info = await client.info('commandstats');
  const stats: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([a-z_|]+):calls=(\d+),usec=(\d+),usec_per_call=([\d.]+)/gm)) {
    stats[`${match[1]} µs/call`] = Number(match[4]);
    stats[`${match[1]} calls`] = Number(match[2]);
  }
  return stats;
}

const server = await startRedis();
const client = new Redis(server.url);
const admin = new Redis(server.url);
try {
  const loadStarted = performance.now();
  const perTenant = KEYS / TENANTS;
  const ids = Array.from({ length: TENANTS }, () => randomUUID());
  for (let t = 0; t < TENANTS; t += 100) {
    const pipeline = client.pipeline();
    for (const id of ids.slice(t, t + 100)) {
      for (let k = 0; k < perTenant; k++) {
        const family = FAMILIES[k % FAMILIES.length] as (typeof FAMILIES)[number];
        const key = `${id}:${family.key(k)}`;
        if (family.ttl === null) pipeline.set(key, 'v');
        else pipeline.set(key, 'v', 'EX', family.ttl);
      }
    }
    await pipeline.exec();
  }
  const loadMs = performance.now() - loadStarted;
  const dbsize = await client.dbsize();
  console.log(`loaded ${dbsize} keys in ${(loadMs / 1000).toFixed(1)} s`);

  await admin.config('SET', 'slowlog-log-slower-than', '1000');
  await admin.config('SET', 'slowlog-max-len', '10000');

  // Raw walk: SCAN with the driver, each call timed.
  const rawSamples: number[] = [];
  let rawLongest = 0;
  await admin.call('SLOWLOG', 'RESET');
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    let cursor = '0';
    let seen = 0;
    do {
      const c0 = performance.now();
      const [next, keys] = await client.scan(cursor, 'MATCH', '*', 'COUNT', 1000);
      rawLongest = Math.max(rawLongest, performance.now() - c0);
      cursor = next;
      seen += keys.length;
    } while (cursor !== '0');
    rawSamples.push(performance.now() - t0);
    if (seen < dbsize) throw new Error(`raw walk saw ${seen} of ${dbsize} keys`);
  }
  const rawSlow = await slowlogMax(admin);

  // Namespace map through the feature, each round trip timed.
  const layout = redisLayoutOf(murima2025) as RedisLayout;
  const reader = redisReader(client);
  const mapSamples: number[] = [];
  let mapLongest = 0;
  let scanCalls = 0;
  let roundTrips = 0;
  let tenantsFound = 0;
  await admin.call('SLOWLOG', 'RESET');
  await admin.config('RESETSTAT');
  for (let i = 0; i < ITERATIONS; i++) {
    const before = reader.roundTrips;
    const t0 = performance.now();
    const map = await buildNamespaceMap(reader, layout, { onRoundTrip: (ms) => (mapLongest = Math.max(mapLongest, ms)) });
    mapSamples.push(performance.now() - t0);
    scanCalls = map.scanCalls;
    roundTrips = reader.roundTrips - before;
    tenantsFound = map.tenants.length;
    if (map.totalKeys < dbsize || tenantsFound !== TENANTS) throw new Error(`map saw ${map.totalKeys} keys and ${tenantsFound} tenants`);
  }
  const mapSlow = await slowlogMax(admin);
  const stats = await commandStats(admin);

  // The same map over the console's RedisStore, as the app runs it: once writable (TTL script via
  // `command`) and once read-only as a prod workspace is (scripts refused, TTLs via inspectKeys).
  async function overStore(readOnly: boolean): Promise<{ samples: number[]; longest: number }> {
    const store = new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port }), { password: server.password }, { readOnly });
    let longest = 0;
    try {
      const t0 = performance.now();
      const map = await buildNamespaceMap(redisReaderOf(store), layout, { onRoundTrip: (ms) => (longest = Math.max(longest, ms)) });
      if (map.totalKeys < dbsize) throw new Error(`map over RedisStore saw ${map.totalKeys} keys`);
      return { samples: [performance.now() - t0], longest };
    } finally {
      await store.close();
    }
  }
  const writableStore = await overStore(false);
  const readOnlyStore = await overStore(true);

  const rawMedian = summarize('raw', rawSamples).medianMs;
  const cases = [
    summarize('raw SCAN walk (ioredis, COUNT 1000)', rawSamples, { keys: dbsize, longestCallMs: Math.round(rawLongest * 1000) / 1000 }),
    summarize('namespace map (SCAN + PTTL per page + MEMORY USAGE sample)', mapSamples, {
      keys: dbsize,
      tenants: tenantsFound,
      scanCalls,
      roundTrips,
      longestRoundTripMs: Math.round(mapLongest * 1000) / 1000,
    }),
    summarize('namespace map over RedisStore, writable (SCAN and EVAL_RO via command)', writableStore.samples, {
      keys: dbsize,
      longestRoundTripMs: Math.round(writableStore.longest * 1000) / 1000,
    }),
    summarize('namespace map over RedisStore, read-only (SCAN via command, TTLs via inspectKeys)', readOnlyStore.samples, {
      keys: dbsize,
      longestRoundTripMs: Math.round(readOnlyStore.longest * 1000) / 1000,
    }),
  ];
  const mapMedian = cases[1]?.medianMs ?? Number.NaN;
  await writeReport({
    bench: 'redis-namespace',
    at: new Date().toISOString(),
    machine: { node: process.version, platform: process.platform, cpus: availableParallelism() },
    cases,
    summary: {
      keys: dbsize,
      tenants: TENANTS,
      loadSeconds: Math.round(loadMs / 100) / 10,
      'namespace map / raw walk (median)': Math.round((mapMedian / rawMedian) * 100) / 100,
      'namespace map over writable RedisStore / raw walk': Math.round(((cases[2]?.medianMs ?? Number.NaN) / rawMedian) * 100) / 100,
      'namespace map over read-only RedisStore / raw walk': Math.round(((cases[3]?.medianMs ?? Number.NaN) / rawMedian) * 100) / 100,
      'raw walk: longest SCAN round trip ms': Math.round(rawLongest * 1000) / 1000,
      'map: longest round trip ms (a page of PTTLs with the next SCAN)': Math.round(mapLongest * 1000) / 1000,
      'raw walk: longest server call ms (SLOWLOG, threshold 1 ms)': rawSlow.entries ? `${rawSlow.maxMs} (${rawSlow.command})` : '< 1 ms (no SLOWLOG entry)',
      'map: longest server call ms (SLOWLOG, threshold 1 ms)': mapSlow.entries ? `${mapSlow.maxMs} (${mapSlow.command})` : '< 1 ms (no SLOWLOG entry)',
      ...stats,
    },
  });
} finally {
  client.disconnect();
  admin.disconnect();
  await server.stop();
}
