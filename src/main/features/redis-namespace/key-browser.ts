import { AppError } from '@shared/errors';
import type { KeyPage, KeyValue, RedisValueType, TenantKey } from '@shared/model/tenant';
import type { KeyClassifier } from './key-families';
import {
  asNumber,
  asScanReply,
  asText,
  replyValue,
  throwIfCancelled,
  type RedisCommand,
  type RedisReader,
  type RedisReply,
} from './redis-reader';

export interface KeyPageRequest {
  tenantId: string;
  family?: string;
  cursor: string;
  pageSize: number;
  signal?: AbortSignal;
  /** How long one page may keep calling SCAN before it returns what it has with the cursor. */
  budgetMs?: number;
  scanCount?: number;
}

const VALUE_TYPES = new Set<RedisValueType>(['string', 'hash', 'list', 'set', 'zset', 'stream', 'none']);
const STRING_BYTES_SHOWN = 64 * 1024;

/**
 * One page of a tenant's keys: SCAN with MATCH `<id>:*` (or the family's glob) until the page is
 * full, the walk ends or the time budget is spent; the cursor resumes it. SCAN pages are kept
 * whole (a page cut in the middle would lose keys), so a page may hold a few more than asked.
 */
export async function listTenantKeys(redis: RedisReader, classifier: KeyClassifier, request: KeyPageRequest): Promise<KeyPage> {
  const { tenantId, family, signal } = request;
  if (family !== undefined && classifier.familyIndexOfName(family) < 0) {
    throw new AppError('invalid_argument', `The preset has no Redis key family "${family}"; known: ${classifier.familyNames.join(', ')}`);
  }
  const familyFilter = family === undefined ? undefined : classifier.familyIndexOfName(family);
  const match = classifier.matchFor(tenantId, family);
  const prefixLength = tenantId.length + classifier.layout.separator.length;
  const deadline = performance.now() + (request.budgetMs ?? 300);
  const exec = { signal, timeoutMs: 10_000 };
  const found: Array<{ key: string; family: number }> = [];
  let cursor = request.cursor;
  let scanCalls = 0;
  do {
    throwIfCancelled(signal, 'Listing the tenant’s keys');
    const [reply] = await redis.pipeline([['SCAN', cursor, 'MATCH', match, 'COUNT', request.scanCount ?? 1000]], exec);
    const page = asScanReply(replyValue(reply, 'SCAN'), 'SCAN');
    scanCalls += 1;
    cursor = page.cursor;
    for (const key of page.items) {
      const familyIndex = classifier.familyIndex(key.slice(prefixLength));
      if (familyFilter === undefined || familyIndex === familyFilter) found.push({ key, family: familyIndex });
    }
  } while (cursor !== '0' && found.length < request.pageSize && performance.now() < deadline);

  const keys: TenantKey[] = [];
  for (let i = 0; i < found.length; i += 500) {
    const batch = found.slice(i, i + 500);
    const replies = await redis.pipeline(
      batch.flatMap(({ key }) => [['TYPE', key] as const, ['PTTL', key] as const]),
      exec,
    );
    batch.forEach(({ key, family: familyIndex }, j) => {
      keys.push({
        key,
        family: classifier.familyNames[familyIndex] as string,
        type: valueType(replies[2 * j]),
        ttlMs: ttlOf(replies[2 * j + 1]),
      });
    });
  }
  return { keys, cursor, scanCalls };
}

function valueType(reply: RedisReply | undefined): RedisValueType {
  const text = reply && !reply[0] ? asText(reply[1]) : 'none';
  return VALUE_TYPES.has(text as RedisValueType) ? (text as RedisValueType) : 'other';
}

function ttlOf(reply: RedisReply | undefined): number | null {
  if (!reply || reply[0]) return null;
  const pttl = asNumber(reply[1]);
  return pttl >= 0 ? pttl : null;
}

export interface KeyValueRequest {
  tenantId: string;
  key: string;
  /** Most fields, items or members shown. */
  limit: number;
  signal?: AbortSignal;
  /** How messages name the key: masked where its name is a credential. The key itself by default. */
  shownAs?: string;
}

/**
 * A tenant's key with its TTL and a bounded view of its value. The key must carry the tenant's
 * prefix: the browser never reads another tenant's key through this door.
 */
export async function readKeyValue(redis: RedisReader, classifier: KeyClassifier, request: KeyValueRequest): Promise<KeyValue> {
  const { tenantId, key, limit, signal } = request;
  const shown = JSON.stringify((request.shownAs ?? key).slice(0, 200));
  if (!key.startsWith(tenantId + classifier.layout.separator)) {
    throw new AppError('forbidden', `The key ${shown} is not under tenant ${tenantId}’s prefix.`);
  }
  const exec = { signal, timeoutMs: 10_000 };
  const run = async (commands: RedisCommand[]): Promise<unknown[]> => {
    throwIfCancelled(signal, 'Reading the key');
    const replies = await redis.pipeline(commands, exec);
    return commands.map((command, i) => replyValue(replies[i], command[0]));
  };
  const [typeReply, pttlReply] = await run([['TYPE', key], ['PTTL', key]]);
  const type = asText(typeReply);
  const pttl = asNumber(pttlReply);
  const ttlMs = pttl >= 0 ? pttl : null;
  switch (type) {
    case 'none':
      throw new AppError('not_found', `The key ${shown} does not exist (it may have expired).`);
    case 'string': {
      const [bytes, value] = await run([['STRLEN', key], ['GETRANGE', key, 0, STRING_BYTES_SHOWN - 1]]);
      const size = asNumber(bytes);
      return { type: 'string', key, ttlMs, value: asText(value), bytes: size, truncated: size > STRING_BYTES_SHOWN };
    }
    case 'hash': {
      const [length] = await run([['HLEN', key]]);
      const total = asNumber(length);
      const flat = total <= limit ? toList((await run([['HGETALL', key]]))[0]) : await scanMembers(run, 'HSCAN', key, limit * 2);
      const fields: Array<[string, string]> = [];
      for (let i = 0; i + 1 < flat.length && fields.length < limit; i += 2) fields.push([flat[i] as string, flat[i + 1] as string]);
      return { type: 'hash', key, ttlMs, fields, length: total, truncated: total > fields.length };
    }
    case 'list': {
      const [length, items] = await run([['LLEN', key], ['LRANGE', key, 0, limit - 1]]);
      const total = asNumber(length);
      const shown = toList(items);
      return { type: 'list', key, ttlMs, items: shown, length: total, truncated: total > shown.length };
    }
    case 'set': {
      const [length] = await run([['SCARD', key]]);
      const total = asNumber(length);
      const members = total <= limit ? toList((await run([['SMEMBERS', key]]))[0]) : (await scanMembers(run, 'SSCAN', key, limit)).slice(0, limit);
      return { type: 'set', key, ttlMs, members, length: total, truncated: total > members.length };
    }
    case 'zset': {
      const [length, range] = await run([['ZCARD', key], ['ZRANGE', key, 0, limit - 1, 'WITHSCORES']]);
      const total = asNumber(length);
      const flat = toList(range);
      const members: Array<{ member: string; score: number }> = [];
      for (let i = 0; i + 1 < flat.length; i += 2) members.push({ member: flat[i] as string, score: Number(flat[i + 1]) });
      return { type: 'zset', key, ttlMs, members, length: total, truncated: total > members.length };
    }
    default:
      throw new AppError('invalid_argument', `The value view shows strings, hashes, lists, sets and sorted sets; this key is a ${type}.`);
  }
}

/**
 * Flattens a reply into `[a, b, a, b…]` whatever protocol and driver shaped it: a flat array
 * (RESP2), pairs (RESP3 `ZRANGE … WITHSCORES`), a Map or an object (RESP3 / ioredis `HGETALL`).
 */
function toList(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => (Array.isArray(item) ? item.map(asText) : [asText(item)]));
  if (value instanceof Map) return [...value].flatMap(([k, v]) => [asText(k), asText(v)]);
  if (value && typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [k, asText(v)]);
  return [];
}

/** HSCAN / SSCAN until `wanted` items are in hand or the collection is walked. */
async function scanMembers(
  run: (commands: RedisCommand[]) => Promise<unknown[]>,
  command: 'HSCAN' | 'SSCAN',
  key: string,
  wanted: number,
): Promise<string[]> {
  const items: string[] = [];
  let cursor = '0';
  do {
    const [reply] = await run([[command, key, cursor, 'COUNT', Math.min(1000, Math.max(10, wanted))]]);
    const page = asScanReply(reply, command);
    cursor = page.cursor;
    items.push(...page.items);
  } while (cursor !== '0' && items.length < wanted);
  return items;
}
