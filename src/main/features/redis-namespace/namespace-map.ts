import { AppError, type ErrorCode } from '@shared/errors';
import { TTL_BUCKETS, type NamespaceMap, type NamespaceProgress, type TtlBuckets } from '@shared/model/tenant';
import { KeyClassifier, ttlBucketOf, type RedisLayout } from './key-families';
import { asNumber, asScanReply, replyValue, throwIfCancelled, type RedisCommand, type RedisReader, type RedisReply } from './redis-reader';

const REFUSALS = new Set<ErrorCode>(['read_only', 'forbidden', 'invalid_argument']);

export interface NamespaceWalkOptions {
  signal?: AbortSignal;
  /** SCAN's COUNT hint: keys the server looks at per call. */
  scanCount?: number;
  /** Keys per key family whose MEMORY USAGE is read. */
  memorySamplePerFamily?: number;
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
  ttl: number[];
}

const MEMORY_BATCH = 200;

/**
 * PTTL of every key of a page in one read-only script call: one command instead of a thousand,
 * which costs the client far less to encode and parse, and the server about a millisecond.
 */
const PTTL_SCRIPT = "local r = {} for i, k in ipairs(KEYS) do r[i] = redis.call('PTTL', k) end return r";

/** How the PTTLs of a page are read: one EVAL_RO, or one PTTL each where scripts are refused. */
type TtlMode = 'script' | 'commands';

/**
 * Walks the whole keyspace once with SCAN (never KEYS) and groups keys by tenant prefix and key
 * family. Each round trip carries the PTTLs of the previous page (one EVAL_RO, or PTTL commands on
 * servers that refuse scripts) together with the next SCAN, so TTL buckets are exact at one round
 * trip per page. Memory is read with MEMORY USAGE on a bounded
 * reservoir sample per family and extrapolated. Stops between round trips when cancelled.
 */
export async function buildNamespaceMap(redis: RedisReader, layout: RedisLayout, options: NamespaceWalkOptions = {}): Promise<NamespaceMap> {
  const { signal, onProgress, onRoundTrip } = options;
  const scanCount = options.scanCount ?? 1000;
  const sampleSize = options.memorySamplePerFamily ?? 64;
  const progressEveryMs = options.progressEveryMs ?? 100;
  const exec = { signal, timeoutMs: options.callTimeoutMs ?? 10_000 };
  const classifier = new KeyClassifier(layout);
  const familyCount = classifier.familyNames.length;
  const started = performance.now();

  const roundTrip = async (commands: readonly RedisCommand[]) => {
    throwIfCancelled(signal, 'Building the Redis namespace map');
    const t0 = performance.now();
    const replies = await redis.pipeline(commands, exec);
    onRoundTrip?.(performance.now() - t0);
    return replies;
  };

  const [dbsizeReply] = await roundTrip([['DBSIZE']]);
  const keysTotal = asNumber(replyValue(dbsizeReply, 'DBSIZE'));

  const tenants = new Map<string, TenantTally>();
  const familyKeys = new Array<number>(familyCount).fill(0);
  const familyTtl = Array.from({ length: familyCount }, () => new Array<number>(TTL_BUCKETS.length).fill(0));
  const samples = Array.from({ length: familyCount }, () => [] as string[]);
  const seenPerFamily = new Array<number>(familyCount).fill(0);
  const orphanSample: string[] = [];
  let orphans = 0;
  let totalKeys = 0;
  let scanCalls = 0;
  let lastProgress = started;

  // Keys of the previous page, waiting for their PTTL in the next round trip.
  let pendingKeys: string[] = [];
  let pendingTally: Array<TenantTally | undefined> = [];
  let pendingFamily: number[] = [];
  let cursor = '0';
  let scanning = true;

  let ttlMode: TtlMode = 'script';
  const ttlCommands = (keys: string[]): RedisCommand[] => {
    if (keys.length === 0) return [];
    return ttlMode === 'script' ? [['EVAL_RO', PTTL_SCRIPT, keys.length, ...keys]] : keys.map((key) => ['PTTL', key] as const);
  };

  while (scanning || pendingKeys.length > 0) {
    const build = (): RedisCommand[] => {
      const commands = ttlCommands(pendingKeys);
      if (scanning) commands.push(['SCAN', cursor, 'MATCH', '*', 'COUNT', scanCount]);
      return commands;
    };
    let commands = build();
    let replies: RedisReply[];
    try {
      replies = await roundTrip(commands);
    } catch (error) {
      // A store that refuses scripts before sending them (a read-only guard) still allows PTTL.
      if (ttlMode !== 'script' || pendingKeys.length === 0 || !AppError.is(error) || !REFUSALS.has(error.code)) throw error;
      ttlMode = 'commands';
      commands = build();
      replies = await roundTrip(commands);
    }
    let ttls: unknown[];
    if (ttlMode === 'script' && pendingKeys.length > 0) {
      const [error, value] = replies[0] ?? [new Error('no reply'), null];
      if (error || !Array.isArray(value)) {
        // Servers before 7.0 (no EVAL_RO) or ACLs without scripting: read this page with PTTL.
        ttlMode = 'commands';
        const again = await roundTrip(ttlCommands(pendingKeys));
        ttls = again.map((reply) => (reply[0] ? -2 : reply[1]));
      } else {
        ttls = value;
      }
    } else {
      ttls = replies.slice(0, pendingKeys.length).map((reply) => (reply[0] ? -2 : reply[1]));
    }

    for (let i = 0; i < pendingKeys.length; i++) {
      const bucket = ttlBucketOf(asNumber(ttls[i]));
      if (bucket === undefined) continue;
      (familyTtl[pendingFamily[i] as number] as number[])[bucket]! += 1;
      const tally = pendingTally[i];
      if (tally) (tally.ttl[bucket] as number) += 1;
    }
    pendingKeys = [];
    pendingTally = [];
    pendingFamily = [];

    if (scanning) {
      const page = asScanReply(replyValue(replies[replies.length - 1], 'SCAN'), 'SCAN');
      scanCalls += 1;
      cursor = page.cursor;
      scanning = cursor !== '0';
      for (const key of page.items) {
        totalKeys += 1;
        const tenantId = classifier.tenantOf(key);
        let tally: TenantTally | undefined;
        let family = familyCount - 1;
        if (tenantId === undefined) {
          orphans += 1;
          if (orphanSample.length < 100) orphanSample.push(key);
        } else {
          tally = tenants.get(tenantId);
          if (!tally) {
            tally = { keys: 0, families: new Array<number>(familyCount).fill(0), ttl: new Array<number>(TTL_BUCKETS.length).fill(0) };
            tenants.set(tenantId, tally);
          }
          family = classifier.familyIndex(key.slice(tenantId.length + layout.separator.length));
          tally.keys += 1;
          (tally.families[family] as number) += 1;
        }
        (familyKeys[family] as number) += 1;
        reservoirAdd(samples[family] as string[], key, ((seenPerFamily[family] as number) += 1), sampleSize);
        pendingKeys.push(key);
        pendingTally.push(tally);
        pendingFamily.push(family);
      }
    }

    const now = performance.now();
    if (onProgress && now - lastProgress >= progressEveryMs) {
      lastProgress = now;
      onProgress({ keysSeen: totalKeys, scanCalls, keysTotal, done: false });
    }
  }

  const meanBytes = await sampleMemory(samples, roundTrip);

  const ttlOf = (counts: number[]): TtlBuckets => ({
    none: counts[0] ?? 0,
    under_1m: counts[1] ?? 0,
    under_1h: counts[2] ?? 0,
    under_1d: counts[3] ?? 0,
    longer: counts[4] ?? 0,
  });

  const map: NamespaceMap = {
    builtAt: new Date().toISOString(),
    durationMs: performance.now() - started,
    scanCalls,
    totalKeys,
    memoryIsEstimate: true,
    families: classifier.familyNames.map((name, i) => ({
      name,
      keys: familyKeys[i] ?? 0,
      ttl: ttlOf(familyTtl[i] ?? []),
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
      return { id, keys: tally.keys, families, ttl: ttlOf(tally.ttl), bytesEstimate: Math.round(bytes) };
    }),
    orphans: { keys: orphans, sample: orphanSample },
  };
  onProgress?.({ keysSeen: totalKeys, scanCalls, keysTotal, done: true });
  return map;
}

/** Algorithm R: every key seen so far has the same chance of being in the sample. */
function reservoirAdd(sample: string[], key: string, seen: number, size: number): void {
  if (sample.length < size) {
    sample.push(key);
    return;
  }
  const slot = Math.floor(Math.random() * seen);
  if (slot < size) sample[slot] = key;
}

async function sampleMemory(
  samples: string[][],
  roundTrip: (commands: readonly RedisCommand[]) => Promise<Array<[Error | null, unknown]>>,
): Promise<Array<{ mean: number; sampled: number }>> {
  const flat = samples.flatMap((keys, family) => keys.map((key) => ({ key, family })));
  const sums = samples.map(() => ({ bytes: 0, sampled: 0 }));
  for (let i = 0; i < flat.length; i += MEMORY_BATCH) {
    const batch = flat.slice(i, i + MEMORY_BATCH);
    const replies = await roundTrip(batch.map(({ key }) => ['MEMORY', 'USAGE', key] as const));
    batch.forEach(({ family }, j) => {
      const reply = replies[j];
      // A key that expired since the SCAN answers nil: it is left out of the sample.
      if (!reply || reply[0] || reply[1] === null || reply[1] === undefined) return;
      const sum = sums[family] as { bytes: number; sampled: number };
      sum.bytes += asNumber(reply[1]);
      sum.sampled += 1;
    });
  }
  return sums.map(({ bytes, sampled }) => ({ mean: sampled > 0 ? bytes / sampled : 0, sampled }));
}
