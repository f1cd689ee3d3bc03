import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../execution';
import type { UserQueryOptions, UserQueryPart } from '../user-query';
import type { StoreFace } from '../face';
import type { RedisKeyInfo, RedisKeyType, RedisWrite } from './commands';
import type { RedisWalks } from './reads';
import type { ScanQuery } from './scan';
import type { BatchOutcome } from './writes';
import type { ExpireOutcome } from './expire-missing';

export type { RedisKeyInfo, RedisKeyType, RedisWrite } from './commands';
export type { ExpireOutcome } from './expire-missing';
export type { KeyLookup, LookupAnswer, WalkOptions, WalkQuery, WalkResult, WalkStep, WalkVisitor } from './walk';

/**
 * Redis as the console sees it. With a scope every key must carry the tenant's prefix, and walks
 * match only the tenant's keys: the prefix is applied here, never by a feature. A read-only (prod)
 * store refuses writes and write commands before anything is sent; walks and value reads are reads.
 */
export interface RedisFace extends StoreFace, RedisWalks {
  get(key: string, scope?: TenantScope, options?: ExecutionOptions): Promise<string | null>;
  mget(keys: string[], scope?: TenantScope, options?: ExecutionOptions): Promise<(string | null)[]>;
  hgetall(key: string, scope?: TenantScope, options?: ExecutionOptions): Promise<Record<string, string>>;
  ttl(key: string, scope?: TenantScope, options?: ExecutionOptions): Promise<number>;
  type(key: string, scope?: TenantScope, options?: ExecutionOptions): Promise<RedisKeyType | 'none'>;
  /** Type, TTL and memory of many keys in one round trip. */
  inspectKeys(keys: string[], scope?: TenantScope, options?: ExecutionOptions): Promise<RedisKeyInfo[]>;
  set(key: string, value: string, ttlSeconds?: number, scope?: TenantScope, options?: ExecutionOptions): Promise<void>;
  del(keys: string[], scope?: TenantScope, options?: ExecutionOptions): Promise<number>;
  /** Bulk writes through pipelines of 1000 commands. */
  writeBatch(writes: readonly RedisWrite[], scope?: TenantScope, options?: ExecutionOptions): Promise<BatchOutcome>;
  /**
   * Gives `seconds` of TTL to those keys that have none (`EXPIRE … NX`, decided by the server key by
   * key), in pipelines; with a scope every key must be the tenant's. Refused on a read-only store.
   */
  expireWithoutTtl(keys: readonly string[], seconds: number, scope?: TenantScope, options?: ExecutionOptions): Promise<ExpireOutcome>;
  /** SCAN as an async iterator of key batches. */
  scanKeys(query?: ScanQuery, scope?: TenantScope, options?: ExecutionOptions): AsyncGenerator<string[], void, undefined>;
  /** Any command by name, on a connection of its own that is dropped on cancel (the command line). */
  command(name: string, args?: readonly (string | number)[], scope?: TenantScope, options?: ExecutionOptions): Promise<unknown>;
  /**
   * The workbench's lines, one command each, for one tenant: every line is judged (keys under the
   * prefix, no keyspace-wide or server command, writes only with `write`) before any is sent; KEYS
   * and SCAN page through the tenant's keys only. Rows are `line`, `command`, `item`, `reply`.
   */
  runUser(text: string, scope: TenantScope, options: UserQueryOptions): AsyncGenerator<UserQueryPart, void, undefined>;
}
