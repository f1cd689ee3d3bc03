import { AppError } from '@shared/errors';
import { parseTenantScope, type TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../execution';
import { escapeGlob, type RedisKeyInfo, type RedisKeyType } from './commands';
import { asNumber, asScanReply, asText, replyError, replyValue, throwIfCancelled, type RedisCommand, type RedisReader, type RedisReply } from './pipe';

/** What to read about one key the walk met: any of its type, its TTL and its memory. */
export interface KeyLookup {
  key: string;
  type?: boolean;
  ttl?: boolean;
  memory?: boolean;
  /** DUMP: the key's serialized value, as RESTORE takes it back (a backup's read). */
  dump?: boolean;
}

/** What was read; a field is absent when it was not asked. */
export interface LookupAnswer {
  key: string;
  /** TYPE: `none` when the key is gone. */
  type?: string;
  /** PTTL in ms: -1 without expiry, -2 when the key is gone. */
  pttl?: number;
  /** MEMORY USAGE in bytes, null when the key is gone or the server refused. */
  memoryBytes?: number | null;
  /** DUMP's bytes, null when the key is gone. */
  payload?: Buffer | null;
}

/** One step of a walk: the keys of a SCAN page (none once the walk has ended) and the answers that came back with it. */
export interface WalkStep {
  keys: string[];
  answers: LookupAnswer[];
  /** SCAN calls answered so far. */
  scanCalls: number;
}

/**
 * Called once per round trip. It returns what to read about keys it has seen (sent with a later
 * SCAN page, never in a round trip of their own while the walk goes on) and whether to stop
 * asking for more pages.
 */
export type WalkVisitor = (step: WalkStep) => { lookups?: readonly KeyLookup[]; stop?: boolean } | void;

export interface WalkQuery {
  /** Glob after the tenant prefix (with a scope), or over the whole name (without). Default `*`. */
  match?: string;
  /** Resumes a walk where an earlier one stopped. Default `0`, the start. */
  cursor?: string;
  /** SCAN's COUNT hint: slots the server looks at per call. Default 1000. */
  count?: number;
}

export interface WalkOptions extends ExecutionOptions {
  /** Measures each round trip (benchmarks). */
  onRoundTrip?: (ms: number) => void;
}

export interface WalkResult {
  /** `0` when the whole keyspace was walked; otherwise where to resume. */
  cursor: string;
  scanCalls: number;
  roundTrips: number;
}

/** The tenant's key prefix, after the scope has been checked; empty without a scope. */
export function redisPrefixOf(scope: TenantScope | undefined): string {
  if (!scope) return '';
  const valid = parseTenantScope(scope);
  if (!valid.redis) throw new AppError('invalid_argument', `The tenant scope of ${valid.tenantId} says nothing about Redis.`);
  return valid.redis.keyPrefix;
}

/**
 * The PTTLs of many keys in one read-only script call. One command instead of dozens costs this
 * process far less to encode and parse than a PTTL each; the script is short (a page's sample,
 * never a whole page), so the server is not held up by it.
 */
const PTTL_SCRIPT = "local r = {} for i, k in ipairs(KEYS) do r[i] = redis.call('PTTL', k) end return r";

/** How TTLs are read: one EVAL_RO per round trip, or a PTTL each where scripts are refused (servers before 7.0, ACLs). */
type TtlMode = 'script' | 'commands';

const REFUSALS = new Set(['read_only', 'forbidden', 'invalid_argument']);

/** Keys per script call at most: a few hundred microseconds of the server's time each. */
const KEYS_PER_SCRIPT = 200;

/**
 * Whether a lookup's TTL goes in the trip's script: TTL-only lookups (a sample of a page) do; a
 * key read for its type anyway gets its PTTL beside its TYPE.
 */
const scripted = (lookup: KeyLookup): boolean => lookup.ttl === true && lookup.type !== true;

/** The commands of a round trip's lookups: scripted TTLs first (a few script calls), then TYPE, PTTL and MEMORY USAGE per key. */
function lookupCommands(lookups: readonly KeyLookup[], mode: TtlMode): { commands: RedisCommand[]; script: boolean } {
  const commands: RedisCommand[] = [];
  const scriptKeys = lookups.filter(scripted).map((l) => l.key);
  const script = mode === 'script' && scriptKeys.length > 1;
  for (let at = 0; script && at < scriptKeys.length; at += KEYS_PER_SCRIPT) {
    const chunk = scriptKeys.slice(at, at + KEYS_PER_SCRIPT);
    commands.push(['EVAL_RO', PTTL_SCRIPT, chunk.length, ...chunk]);
  }
  for (const lookup of lookups) {
    const { key, type, ttl, memory, dump } = lookup;
    if (type) commands.push(['TYPE', key]);
    if (ttl && !(script && scripted(lookup))) commands.push(['PTTL', key]);
    if (memory) commands.push(['MEMORY', 'USAGE', key]);
    if (dump) commands.push(['DUMP', key]);
  }
  return { commands, script };
}

/** Answers in lookup order; no TTL where the script was refused (those are asked again). */
function lookupAnswers(lookups: readonly KeyLookup[], replies: readonly RedisReply[], script: boolean): { answers: LookupAnswer[]; scriptRefused: boolean } {
  let at = 0;
  const next = (): RedisReply | undefined => replies[at++];
  const scriptCount = script ? lookups.filter(scripted).length : 0;
  const fromScript: unknown[] = [];
  let scriptRefused = false;
  for (let done = 0; done < scriptCount; done += KEYS_PER_SCRIPT) {
    const reply = next();
    if (!reply || reply[0] || !Array.isArray(reply[1])) scriptRefused = true;
    else fromScript.push(...(reply[1] as unknown[]));
  }
  let scriptAt = 0;
  const answers = lookups.map((lookup) => {
    const { key, type, ttl, memory, dump } = lookup;
    const answer: LookupAnswer = { key };
    if (type) {
      const reply = next();
      answer.type = reply && !reply[0] ? asText(reply[1]) : 'none';
    }
    if (ttl && script && scripted(lookup)) {
      const value = fromScript[scriptAt++];
      if (!scriptRefused) answer.pttl = value === undefined ? -2 : asNumber(value);
    } else if (ttl) {
      const reply = next();
      answer.pttl = reply && !reply[0] ? asNumber(reply[1]) : -2;
    }
    if (memory) {
      const reply = next();
      answer.memoryBytes = !reply || reply[0] || reply[1] === null || reply[1] === undefined ? null : asNumber(reply[1]);
    }
    if (dump) {
      const reply = next();
      if (reply?.[0]) throw replyError(reply[0], `DUMP of ${JSON.stringify(key.slice(0, 80))}`);
      answer.payload = reply && Buffer.isBuffer(reply[1]) ? reply[1] : null;
    }
    return answer;
  });
  return { answers, scriptRefused };
}

/** `inspectKeys`' answer from the replies of TYPE, TTL and MEMORY USAGE per key, in key order. */
export function keyInfosFrom(keys: readonly string[], replies: readonly RedisReply[]): RedisKeyInfo[] {
  return keys.map((key, i) => {
    const [typeReply, ttlReply, memoryReply] = [replies[i * 3], replies[i * 3 + 1], replies[i * 3 + 2]];
    return {
      key,
      type: (typeReply && !typeReply[0] ? asText(typeReply[1]) : 'none') as RedisKeyType | 'none',
      ttlSeconds: ttlReply && !ttlReply[0] ? asNumber(ttlReply[1]) : -2,
      memoryBytes: !memoryReply || memoryReply[0] || memoryReply[1] === null || memoryReply[1] === undefined ? null : asNumber(memoryReply[1]),
    };
  });
}

/**
 * Walks keys with SCAN (never KEYS), with a scope only the tenant's: the MATCH glob starts with
 * the escaped tenant prefix and every key is checked against it again.
 *
 * The lookups the visitor asks for ride in the same round trip as a later SCAN page, so reading
 * types, TTLs or memory adds no round trip while the walk goes on (one more at the end carries the
 * last page's). And the next round trip is sent before the visitor sees the page just received:
 * the server scans while this process classifies. Each server call stays as short as one SCAN
 * page plus a few single-key reads. Stops between round trips when cancelled.
 */
export async function walkKeys(reader: RedisReader, query: WalkQuery, scope: TenantScope | undefined, visit: WalkVisitor, options: WalkOptions = {}): Promise<WalkResult> {
  const prefix = redisPrefixOf(scope);
  const match = escapeGlob(prefix) + (query.match ?? '*');
  const count = Math.max(1, Math.min(query.count ?? 1000, 100_000));
  const { onRoundTrip, ...exec } = options;
  let cursor = query.cursor ?? '0';
  let scanning = true;
  let scanCalls = 0;
  let roundTrips = 0;
  let queued: KeyLookup[] = [];

  let ttlMode: TtlMode = 'script';
  const send = (lookups: KeyLookup[], scan: boolean) => {
    throwIfCancelled(exec.signal, 'The key walk');
    const build = () => {
      const built = lookupCommands(lookups, ttlMode);
      if (scan) built.commands.push(['SCAN', cursor, 'MATCH', match, 'COUNT', count]);
      return built;
    };
    const started = performance.now();
    const first = build();
    const trip = reader
      .pipeline(first.commands, exec)
      .then(
        (replies) => ({ replies, script: first.script }),
        async (error: unknown) => {
          // A reader that refuses scripts before sending them still allows PTTL: the same trip again without.
          if (!first.script || !AppError.is(error) || !REFUSALS.has(error.code)) throw error;
          ttlMode = 'commands';
          const again = build();
          return { replies: await reader.pipeline(again.commands, exec), script: again.script };
        },
      )
      .then(({ replies, script }) => {
        onRoundTrip?.(performance.now() - started);
        return { lookups, replies, scan, script };
      });
    // Awaited on the next turn; until then a failure must not count as unhandled.
    trip.catch(() => undefined);
    return trip;
  };

  let inflight: ReturnType<typeof send> | undefined = send([], true);
  while (inflight) {
    const trip: Awaited<ReturnType<typeof send>> = await inflight;
    roundTrips += 1;
    let keys: string[] = [];
    if (trip.scan) {
      const page = asScanReply(replyValue(trip.replies[trip.replies.length - 1], 'SCAN'), 'SCAN');
      scanCalls += 1;
      cursor = page.cursor;
      if (cursor === '0') scanning = false;
      keys = prefix ? page.items.filter((key) => key.startsWith(prefix)) : page.items;
    }
    const { answers, scriptRefused } = lookupAnswers(trip.lookups, trip.replies, trip.script);
    if (scriptRefused) {
      // The server answered the script with an error: its TTLs ride on the next trip as PTTL commands.
      ttlMode = 'commands';
      queued.push(...trip.lookups.filter(scripted).map((l) => ({ key: l.key, ttl: true })));
    }
    const lookups = queued;
    queued = [];
    inflight = scanning || lookups.length > 0 ? send(lookups, scanning) : undefined;
    // The request goes out a few microtasks later (the store checks its connection first): let it
    // leave before the visitor's work, so the server answers while this process classifies.
    if (inflight) await new Promise<void>((resolve) => setImmediate(resolve));
    const wanted = visit({ keys, answers, scanCalls });
    if (wanted?.lookups?.length) queued.push(...wanted.lookups);
    if (wanted?.stop) scanning = false;
    if (!inflight && queued.length > 0) {
      inflight = send(queued, false);
      queued = [];
    }
  }
  return { cursor, scanCalls, roundTrips };
}
