import { AppError } from '@shared/errors';
import { parseTenantScope, type TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../execution';
import { escapeGlob, type RedisKeyInfo, type RedisKeyType } from './commands';
import { asNumber, asScanReply, asText, replyValue, throwIfCancelled, type RedisCommand, type RedisReader, type RedisReply } from './pipe';

/** What to read about one key the walk met: any of its type, its TTL and its memory. */
export interface KeyLookup {
  key: string;
  type?: boolean;
  ttl?: boolean;
  memory?: boolean;
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

function lookupCommands(lookups: readonly KeyLookup[]): RedisCommand[] {
  const commands: RedisCommand[] = [];
  for (const { key, type, ttl, memory } of lookups) {
    if (type) commands.push(['TYPE', key]);
    if (ttl) commands.push(['PTTL', key]);
    if (memory) commands.push(['MEMORY', 'USAGE', key]);
  }
  return commands;
}

function lookupAnswers(lookups: readonly KeyLookup[], replies: readonly RedisReply[]): LookupAnswer[] {
  let at = 0;
  const next = (): RedisReply | undefined => replies[at++];
  return lookups.map(({ key, type, ttl, memory }) => {
    const answer: LookupAnswer = { key };
    if (type) {
      const reply = next();
      answer.type = reply && !reply[0] ? asText(reply[1]) : 'none';
    }
    if (ttl) {
      const reply = next();
      answer.pttl = reply && !reply[0] ? asNumber(reply[1]) : -2;
    }
    if (memory) {
      const reply = next();
      answer.memoryBytes = !reply || reply[0] || reply[1] === null || reply[1] === undefined ? null : asNumber(reply[1]);
    }
    return answer;
  });
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

  const send = (lookups: KeyLookup[], scan: boolean) => {
    throwIfCancelled(exec.signal, 'The key walk');
    const commands = lookupCommands(lookups);
    if (scan) commands.push(['SCAN', cursor, 'MATCH', match, 'COUNT', count]);
    const started = performance.now();
    const trip = reader.pipeline(commands, exec).then((replies) => {
      onRoundTrip?.(performance.now() - started);
      return { lookups, replies, scan };
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
    const answers = lookupAnswers(trip.lookups, trip.replies);
    const lookups = queued;
    queued = [];
    inflight = scanning || lookups.length > 0 ? send(lookups, scanning) : undefined;
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
