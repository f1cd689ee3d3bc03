import { AppError } from '@shared/errors';
import type { KeyPage, RedisValueType, TenantKey } from '@shared/model/tenant';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { RedisFace } from '../../../stores/redis/face';
import type { KeyClassifier } from '@shared/tenancy/key-families';

/** What the key list uses of the Redis store: a scoped walk with pipelined lookups. */
export type KeyListRedis = Pick<RedisFace, 'walkKeys'>;

export interface KeyPageRequest {
  /** The tenant's scope, from the preset (`scopeFor`): the store walks only its keys. */
  scope: TenantScope;
  family?: string;
  cursor: string;
  pageSize: number;
  signal?: AbortSignal;
  /** How long one page may keep calling SCAN before it returns what it has with the cursor. */
  budgetMs?: number;
  scanCount?: number;
}

const VALUE_TYPES = new Set<RedisValueType>(['string', 'hash', 'list', 'set', 'zset', 'stream', 'none']);

/**
 * One page of a tenant's keys, of one family or all: the store walks the tenant's keys (the
 * family's glob after its prefix) until the page is full, the walk ends or the time budget is
 * spent; the cursor resumes it. Types and TTLs are read in the round trips of the next SCAN pages.
 * SCAN pages are kept whole (a page cut in the middle would lose keys), so a page may hold a few
 * more than asked. A key SCAN returns twice (it may, while the server rehashes) is listed once.
 */
export async function listTenantKeys(redis: KeyListRedis, classifier: KeyClassifier, request: KeyPageRequest): Promise<KeyPage> {
  const { family, signal } = request;
  if (family !== undefined && classifier.familyIndexOfName(family) < 0) {
    throw new AppError('invalid_argument', `The preset has no Redis key family "${family}"; known: ${classifier.familyNames.join(', ')}`);
  }
  const familyFilter = family === undefined ? undefined : classifier.familyIndexOfName(family);
  const deadline = performance.now() + (request.budgetMs ?? 300);
  const found = new Map<string, TenantKey>();
  const walk = await redis.walkKeys(
    { match: classifier.globOf(family), cursor: request.cursor, count: request.scanCount ?? 1000 },
    request.scope,
    ({ keys, answers }) => {
      for (const answer of answers) {
        const listed = found.get(answer.key);
        if (!listed) continue;
        // An answer may come in two parts (the TTL later, where the server refused the TTL script).
        if (answer.type !== undefined) listed.type = valueType(answer.type);
        if (answer.pttl !== undefined) listed.ttlMs = answer.pttl >= 0 ? answer.pttl : null;
      }
      const lookups = [];
      for (const key of keys) {
        if (found.has(key)) continue;
        const familyIndex = classifier.familyIndex(key.slice(request.scope.redis?.keyPrefix.length ?? 0));
        if (familyFilter !== undefined && familyIndex !== familyFilter) continue;
        found.set(key, { key, family: classifier.familyNames[familyIndex] as string, type: 'none', ttlMs: null });
        lookups.push({ key, type: true, ttl: true });
      }
      return { lookups, stop: found.size >= request.pageSize || performance.now() >= deadline };
    },
    { signal, timeoutMs: 10_000 },
  );
  return { keys: [...found.values()], cursor: walk.cursor, scanCalls: walk.scanCalls };
}

function valueType(type: string | undefined): RedisValueType {
  const text = type ?? 'none';
  return VALUE_TYPES.has(text as RedisValueType) ? (text as RedisValueType) : 'other';
}
