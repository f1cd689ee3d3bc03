import { TTL_BUCKETS, type FamilyTtlSample, type NamespaceMap, type NamespaceProgress, type TtlBuckets } from '@shared/model/tenant';
import type { KeyLookup, RedisFace } from '../../../stores/redis/face';
import { KeyClassifier, ttlBucketOf, type RedisLayout } from '@shared/tenancy/key-families';

/** What the namespace map uses of the Redis store: the key count and an unscoped walk with lookups. */
export type NamespaceRedis = Pick<RedisFace, 'dbsize' | 'walkKeys'>;

export interface NamespaceWalkOptions {
  signal?: AbortSignal;
  /** SCAN's COUNT hint: keys the server looks at per call. */
  scanCount?: number;
  /** Keys per key family whose MEMORY USAGE is read. */
  memorySamplePerFamily?: number;
  /**
   * Up to this many keys every TTL is read and the buckets are exact; over it, about this many
   * are read (every n-th key SCAN meets, plus each tenant's and each family's first) and the
   * buckets are scaled from them.
   */
  ttlSampleTarget?: number;
  /** Called at most every `progressEveryMs` while walking, and once at the end. */
  onProgress?: (progress: NamespaceProgress) => void;
  progressEveryMs?: number;
  /** Time limit of each round trip to the server. */
  callTimeoutMs?: number;
  /** Measures each round trip (for benchmarks); not needed by the console. */
  onRoundTrip?: (ms: number) => void;
}

interface TenantTally {
  keys: number;
  families: number[];
  /** TTL buckets of the keys whose TTL was read. */
  ttl: number[];
  /** Per family index, the TTLs read against the blueprint's; made when a family's first TTL comes back. */
  familyTtl: Map<number, FamilyTtlSample>;
}

const emptySample = (): FamilyTtlSample => ({ sampled: 0, none: 0, over: 0, maxTtlMs: 0, ttl: { none: 0, under_1m: 0, under_1h: 0, under_1d: 0, longer: 0 } });

/** Counts one PTTL (≥ -1, in `bucket`) into a family's sample against the blueprint's TTL in ms (null: none prescribed). */
function countTtl(sample: FamilyTtlSample, pttl: number, bucket: number, prescribedMs: number | null): void {
  sample.sampled += 1;
  sample.ttl[TTL_BUCKETS[bucket] as keyof TtlBuckets] += 1;
  if (pttl < 0) sample.none += 1;
  else {
    if (prescribedMs !== null && pttl > prescribedMs) sample.over += 1;
    if (pttl > sample.maxTtlMs) sample.maxTtlMs = pttl;
  }
}

/** MEMORY USAGE lookups asked per round trip at most, so the first pages do not carry the whole sample. */
const MEMORY_PER_TRIP = 128;
const DEFAULT_TTL_SAMPLE_TARGET = 50_000;

interface Pending {
  family: number;
  tally: TenantTally | undefined;
  /** What is still to come back; a TTL may come a trip after the memory, where the TTL script was refused. */
  ttl: boolean;
  memory: boolean;
}

/**
 * Walks the whole keyspace once with SCAN (never KEYS) through the store and groups keys by tenant
 * prefix and key family. The store reads the TTLs and memory asked for here in the round trips of
 * the next SCAN pages, so the map costs the walk's round trips (and one more at the end), and no
 * server call is longer than a SCAN page and a few dozen single-key reads.
 *
 * TTLs are read for every key up to `ttlSampleTarget` keys (exact buckets); over it for every n-th
 * key and each tenant's and family's first, and the buckets are scaled up: the map says so and
 * from how many keys. Memory is always a sample: MEMORY USAGE of the first keys of each family SCAN
 * meets, which is hash order and so a fair draw, extrapolated. Stops between round trips when
 * cancelled.
 */
export async function buildNamespaceMap(redis: NamespaceRedis, layout: RedisLayout, options: NamespaceWalkOptions = {}): Promise<NamespaceMap> {
  const { signal, onProgress, onRoundTrip } = options;
  const sampleSize = options.memorySamplePerFamily ?? 64;
  const progressEveryMs = options.progressEveryMs ?? 100;
  const exec = { signal, timeoutMs: options.callTimeoutMs ?? 10_000 };
  const classifier = new KeyClassifier(layout);
  const familyCount = classifier.familyNames.length;
  const separatorLength = layout.separator.length;
  const started = performance.now();

  const keysTotal = await redis.dbsize(exec);
  const step = Math.max(1, Math.ceil(keysTotal / (options.ttlSampleTarget ?? DEFAULT_TTL_SAMPLE_TARGET)));

  const tenants = new Map<string, TenantTally>();
  const familyKeys = new Array<number>(familyCount).fill(0);
  const familyTtl = Array.from({ length: familyCount }, () => new Array<number>(TTL_BUCKETS.length).fill(0));
  const familySamples = Array.from({ length: familyCount }, emptySample);
  // The blueprint's TTL per family index in ms (`other` and families without one: null).
  const prescribedMs = classifier.familyNames.map((_, i) => {
    const seconds = layout.families[i]?.ttlSeconds;
    return typeof seconds === 'number' && seconds > 0 ? seconds * 1000 : null;
  });
  const memoryAsked = new Array<number>(familyCount).fill(0);
  const memory = Array.from({ length: familyCount }, () => ({ bytes: 0, sampled: 0 }));
  const pending = new Map<string, Pending>();
  const orphanSample: string[] = [];
  let orphans = 0;
  let totalKeys = 0;
  let scanCalls = 0;
  let ttlRead = 0;
  let lastProgress = started;

  const walk = await redis.walkKeys(
    { count: options.scanCount ?? 1000 },
    undefined,
    (page) => {
      const { keys, answers } = page;
      scanCalls = page.scanCalls;
      for (const answer of answers) {
        const asked = pending.get(answer.key);
        if (!asked) continue;
        if (answer.pttl !== undefined && asked.ttl) {
          asked.ttl = false;
          // A key gone since SCAN (-2) is left out of the buckets.
          const bucket = ttlBucketOf(answer.pttl);
          if (bucket !== undefined) {
            ttlRead += 1;
            (familyTtl[asked.family] as number[])[bucket]! += 1;
            const prescribed = prescribedMs[asked.family] ?? null;
            countTtl(familySamples[asked.family] as FamilyTtlSample, answer.pttl, bucket, prescribed);
            if (asked.tally) {
              (asked.tally.ttl[bucket] as number) += 1;
              let sample = asked.tally.familyTtl.get(asked.family);
              if (!sample) asked.tally.familyTtl.set(asked.family, (sample = emptySample()));
              countTtl(sample, answer.pttl, bucket, prescribed);
            }
          }
        }
        if (answer.memoryBytes !== undefined && asked.memory) {
          asked.memory = false;
          const sum = memory[asked.family] as { bytes: number; sampled: number };
          if (answer.memoryBytes === null) (memoryAsked[asked.family] as number) -= 1;
          else {
            sum.bytes += answer.memoryBytes;
            sum.sampled += 1;
          }
        }
        if (!asked.ttl && !asked.memory) pending.delete(answer.key);
      }

      const lookups: KeyLookup[] = [];
      let memoryThisTrip = 0;
      for (const key of keys) {
        totalKeys += 1;
        // A tenant seen before is known by its tally alone: the id pattern is tested once per prefix.
        const at = key.indexOf(layout.separator);
        const tenantId = at > 0 ? key.slice(0, at) : undefined;
        let tally = tenantId === undefined ? undefined : tenants.get(tenantId);
        let family = familyCount - 1;
        let first = false;
        if (!tally && tenantId !== undefined && classifier.isTenantId(tenantId)) {
          tally = { keys: 0, families: new Array<number>(familyCount).fill(0), ttl: new Array<number>(TTL_BUCKETS.length).fill(0), familyTtl: new Map() };
          tenants.set(tenantId, tally);
          first = true;
        }
        if (!tally) {
          orphans += 1;
          if (orphanSample.length < 100) orphanSample.push(key);
        } else {
          family = classifier.familyIndexAt(key, at + separatorLength);
          tally.keys += 1;
          (tally.families[family] as number) += 1;
        }
        if ((familyKeys[family] as number) === 0) first = true;
        (familyKeys[family] as number) += 1;
        const ttl = first || totalKeys % step === 0;
        const mem = (memoryAsked[family] as number) < sampleSize && memoryThisTrip < MEMORY_PER_TRIP;
        if (!ttl && !mem) continue;
        if (mem) {
          (memoryAsked[family] as number) += 1;
          memoryThisTrip += 1;
        }
        pending.set(key, { family, tally, ttl, memory: mem });
        lookups.push({ key, ttl, memory: mem });
      }

      const now = performance.now();
      if (onProgress && now - lastProgress >= progressEveryMs) {
        lastProgress = now;
        onProgress({ keysSeen: totalKeys, scanCalls, keysTotal, done: false });
      }
      return { lookups };
    },
    { ...exec, ...(onRoundTrip && { onRoundTrip }) },
  );

  const estimated = step > 1;
  const ttlOf = (sampled: number[], keys: number): TtlBuckets => {
    const counts = estimated ? apportion(sampled, keys) : sampled;
    return { none: counts[0] ?? 0, under_1m: counts[1] ?? 0, under_1h: counts[2] ?? 0, under_1d: counts[3] ?? 0, longer: counts[4] ?? 0 };
  };
  const meanBytes = memory.map(({ bytes, sampled }) => ({ mean: sampled > 0 ? bytes / sampled : 0, sampled }));

  const map: NamespaceMap = {
    builtAt: new Date().toISOString(),
    durationMs: performance.now() - started,
    scanCalls: walk.scanCalls,
    totalKeys,
    memoryIsEstimate: true,
    ttlIsEstimate: estimated,
    ttlSampled: ttlRead,
    families: classifier.familyNames.map((name, i) => ({
      name,
      keys: familyKeys[i] ?? 0,
      ttl: ttlOf(familyTtl[i] ?? [], familyKeys[i] ?? 0),
      ttlSample: familySamples[i] ?? emptySample(),
      sampled: meanBytes[i]?.sampled ?? 0,
      meanBytes: meanBytes[i]?.mean ?? 0,
      bytesEstimate: Math.round((meanBytes[i]?.mean ?? 0) * (familyKeys[i] ?? 0)),
    })),
    tenants: [...tenants].map(([id, tally]) => {
      const families: Record<string, number> = {};
      let bytes = 0;
      tally.families.forEach((count, i) => {
        if (count === 0) return;
        families[classifier.familyNames[i] as string] = count;
        bytes += count * (meanBytes[i]?.mean ?? 0);
      });
      const familyTtlOut: Record<string, FamilyTtlSample> = {};
      for (const [i, sample] of tally.familyTtl) familyTtlOut[classifier.familyNames[i] as string] = sample;
      return { id, keys: tally.keys, families, ttl: ttlOf(tally.ttl, tally.keys), familyTtl: familyTtlOut, bytesEstimate: Math.round(bytes) };
    }),
    orphans: { keys: orphans, sample: orphanSample },
  };
  onProgress?.({ keysSeen: totalKeys, scanCalls: walk.scanCalls, keysTotal, done: true });
  return map;
}

/**
 * Scales sampled bucket counts up to `total` keys in whole numbers that add up to it (largest
 * remainder first). No sample at all (every sampled key vanished) gives no buckets.
 */
export function apportion(sampled: readonly number[], total: number): number[] {
  const read = sampled.reduce((sum, n) => sum + n, 0);
  if (read === 0) return sampled.map(() => 0);
  const exact = sampled.map((n) => (n * total) / read);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((sum, n) => sum + n, 0);
  const order = exact.map((value, i) => ({ i, rest: value - Math.floor(value) })).sort((a, b) => b.rest - a.rest);
  for (const { i } of order) {
    if (left <= 0) break;
    (counts[i] as number) += 1;
    left -= 1;
  }
  return counts;
}
