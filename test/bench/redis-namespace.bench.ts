import { availableParallelism } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { murima2025 } from '@shared/tenancy';
import { RedisEndpoint } from '@shared/model/workspace';
import type { RedisLayout } from '@shared/tenancy/key-families';
import { buildNamespaceMap } from '../../src/main/features/tenants/redis/namespace-map';
import { redisLayoutOf } from '../../src/main/features/tenants/service';
import { RedisStore } from '../../src/main/stores/redis/store';
import { startRedis } from '../support/redis-server';
import { summarize, writeReport } from './harness';

/**
 * The Redis namespace map over 1,000,000 keys of 10,000 tenants (the seed's key families with
 * their TTLs), built through RedisStore as the console builds it, against a raw SCAN walk with the
 * driver (COUNT 1000, keys counted, nothing else), interleaved in the same run. Beside the wall
 * times, the longest single server call of each from SLOWLOG (threshold 0: every call is logged,
 * the log is reset before and read after each run) and the longest round trip seen by the client.
 * BENCH_REDIS_KEYS and BENCH_REDIS_TENANTS shrink it for a quick look.
 */
const KEYS = Number(process.env.BENCH_REDIS_KEYS ?? 1_000_000);
const TENANTS = Number(process.env.BENCH_REDIS_TENANTS ?? 10_000);
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

interface SlowestCall {
  ms: number;
  command: string;
  calls: number;
}

/** The longest call SLOWLOG holds (threshold 0, so every call since the last reset), and how many it holds. */
async function slowest(admin: Redis): Promise<SlowestCall> {
  const entries = (await admin.call('SLOWLOG', 'GET', '-1')) as Array<[number, number, number, string[]]>;
  // The reset that opened the run logs itself; it is the benchmark's call, not the walk's.
  const calls = entries.filter(([, , , args]) => String(args[0]).toUpperCase() !== 'SLOWLOG');
  let longest: SlowestCall = { ms: 0, command: 'none', calls: calls.length };
  for (const [, , micros, args] of calls) {
    if (micros / 1000 > longest.ms) longest = { ms: micros / 1000, command: args.slice(0, 2).map(String).join(' '), calls: calls.length };
  }
  return longest;
}

const round3 = (ms: number): number => Math.round(ms * 1000) / 1000;

/** CPU time of this process (the client: redis-server is another process) since `start`, in ms. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const server = await startRedis();
const client = new Redis(server.url);
const admin = new Redis(server.url);
const store = new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port }), { password: server.password });
try {
  const loadStarted = performance.now();
  const perTenant = Math.round(KEYS / TENANTS);
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

  await admin.config('SET', 'slowlog-log-slower-than', '0');
  await admin.config('SET', 'slowlog-max-len', '2000000');
  const layout = redisLayoutOf(murima2025) as RedisLayout;
  await store.connect();

  const raw = { samples: [] as number[], cpu: [] as number[], longestTrip: 0, slowest: { ms: 0, command: 'none', calls: 0 } as SlowestCall };
  const map = { samples: [] as number[], cpu: [] as number[], longestTrip: 0, slowest: { ms: 0, command: 'none', calls: 0 } as SlowestCall, scanCalls: 0, tenants: 0, ttlSampled: 0, memorySampled: 0 };
  const keepSlowest = (into: { slowest: SlowestCall }, seen: SlowestCall): void => {
    if (seen.ms >= into.slowest.ms) into.slowest = seen;
  };

  // Interleaved, one run of each per iteration, so load from elsewhere on the machine hits both alike.
  for (let i = 0; i < ITERATIONS; i++) {
    await admin.call('SLOWLOG', 'RESET');
    let cpu0 = process.cpuUsage();
    let t0 = performance.now();
    let cursor = '0';
    let seen = 0;
    do {
      const c0 = performance.now();
      const [next, keys] = await client.scan(cursor, 'MATCH', '*', 'COUNT', 1000);
      raw.longestTrip = Math.max(raw.longestTrip, performance.now() - c0);
      cursor = next;
      seen += keys.length;
    } while (cursor !== '0');
    raw.samples.push(performance.now() - t0);
    raw.cpu.push(cpuMs(cpu0));
    keepSlowest(raw, await slowest(admin));
    if (seen < dbsize) throw new Error(`raw walk saw ${seen} of ${dbsize} keys`);

    await admin.call('SLOWLOG', 'RESET');
    cpu0 = process.cpuUsage();
    t0 = performance.now();
    const built = await buildNamespaceMap(store, layout, { onRoundTrip: (ms) => (map.longestTrip = Math.max(map.longestTrip, ms)) });
    map.samples.push(performance.now() - t0);
    map.cpu.push(cpuMs(cpu0));
    keepSlowest(map, await slowest(admin));
    map.scanCalls = built.scanCalls;
    map.tenants = built.tenants.length;
    map.ttlSampled = built.ttlSampled;
    map.memorySampled = built.families.reduce((sum, f) => sum + f.sampled, 0);
    if (built.totalKeys < dbsize || built.tenants.length !== TENANTS) throw new Error(`map saw ${built.totalKeys} keys and ${built.tenants.length} tenants`);
  }

  const cases = [
    summarize('raw SCAN walk (ioredis, COUNT 1000)', raw.samples, {
      keys: dbsize,
      longestRoundTripMs: round3(raw.longestTrip),
      longestServerCallMs: round3(raw.slowest.ms),
      longestServerCall: raw.slowest.command,
    }, raw.cpu),
    summarize('namespace map over RedisStore (SCAN + sampled PTTL and MEMORY USAGE riding on the next page)', map.samples, {
      keys: dbsize,
      tenants: map.tenants,
      scanCalls: map.scanCalls,
      ttlSampled: map.ttlSampled,
      memorySampled: map.memorySampled,
      longestRoundTripMs: round3(map.longestTrip),
      longestServerCallMs: round3(map.slowest.ms),
      longestServerCall: map.slowest.command,
    }, map.cpu),
  ];
  const rawMedian = cases[0]?.medianMs ?? Number.NaN;
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
      'namespace map / raw walk (median; target ≤ 1.5)': Math.round((mapMedian / rawMedian) * 100) / 100,
      'namespace map / raw walk, client CPU (median)': Math.round(((cases[1]?.cpuMedianMs ?? Number.NaN) / (cases[0]?.cpuMedianMs ?? Number.NaN)) * 100) / 100,
      'raw walk: longest server call ms (SLOWLOG, threshold 0)': `${round3(raw.slowest.ms)} (${raw.slowest.command})`,
      'map: longest server call ms (SLOWLOG, threshold 0)': `${round3(map.slowest.ms)} (${map.slowest.command})`,
      'raw walk: longest round trip ms': round3(raw.longestTrip),
      'map: longest round trip ms': round3(map.longestTrip),
      'map: keys whose TTL was read': map.ttlSampled,
      'map: keys whose MEMORY USAGE was read': map.memorySampled,
    },
  });
} finally {
  await store.close();
  client.disconnect();
  admin.disconnect();
  await server.stop();
}
