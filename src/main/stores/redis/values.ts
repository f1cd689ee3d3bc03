import { AppError } from '@shared/errors';
import type { KeyValue } from '@shared/model/tenant';
import type { TenantScope } from '@shared/model/tenant-scope';
import { asNumber, asScanReply, asText, replyValue, throwIfCancelled, type RedisCommand, type RedisReader } from './pipe';
import { redisPrefixOf } from './walk';

const STRING_BYTES_SHOWN = 64 * 1024;
const MAX_SHOWN = 10_000;

export interface ValueReadOptions {
  /** Most fields, items or members shown. */
  limit: number;
  signal?: AbortSignal;
  /** How messages name the key: masked where its name is a credential. The key itself by default. */
  shownAs?: string;
}

/**
 * A tenant's key with its TTL and a bounded view of its value: strings up to 64 KiB, at most
 * `limit` fields, items or members, with the full size beside them. The key must carry the
 * scope's prefix: no tenant's key is read through another tenant's door (`forbidden`, naming the
 * key as `shownAs` does, since the name itself may be a credential).
 */
export async function readValue(redis: RedisReader, key: string, scope: TenantScope, request: ValueReadOptions): Promise<KeyValue> {
  const { limit, signal } = request;
  const shown = JSON.stringify((request.shownAs ?? key).slice(0, 200));
  const prefix = redisPrefixOf(scope);
  if (typeof key !== 'string' || key.length === 0) throw new AppError('invalid_argument', 'A Redis key cannot be empty.');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SHOWN) throw new AppError('invalid_argument', `Show between 1 and ${MAX_SHOWN} fields, items or members.`);
  if (!key.startsWith(prefix)) {
    throw new AppError('forbidden', `The key ${shown} is not under tenant ${scope.tenantId}’s prefix.`);
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
