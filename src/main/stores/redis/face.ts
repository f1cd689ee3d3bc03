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
import type { DumpedKey, RenameOutcome, RestoreOutcome } from './restore';
import type { RedisPersistence } from './persistence';

export type { DumpedKey, RenameOutcome, RestoreOutcome } from './restore';
export type { RedisPersistence } from './persistence';
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
  /**
   * RESTORE of dumped keys with the time to live each had left; without `replace` a key that
   * exists is reported as failed (BUSYKEY), never overwritten. Keys are named in full: a restore
   * may target a prefix that is no tenant's (a scratch or renamed copy), so the caller checks them.
   */
  restoreKeys(keys: readonly DumpedKey[], options: ExecutionOptions & { replace: boolean }): Promise<RestoreOutcome>;
  /** Which of these keys exist (EXISTS, pipelined). */
  existingKeys(keys: readonly string[], options?: ExecutionOptions): Promise<string[]>;
  /** RENAME (with `replace`) or RENAMENX of each pair, pipelined; expiries move with the keys. */
  renameKeys(pairs: readonly { from: string; to: string }[], options: ExecutionOptions & { replace: boolean }): Promise<RenameOutcome>;
  /** Deletes every key starting with `prefix` (SCAN MATCH on the escaped prefix, UNLINK per page). */
  unlinkPrefix(prefix: string, options?: ExecutionOptions): Promise<number>;
  /** INFO persistence with LASTSAVE. */
  persistence(options?: ExecutionOptions): Promise<RedisPersistence>;
  /** BGSAVE. It writes the server's RDB file and changes no data, so a read-only (prod) store runs it too. */
  bgsave(options?: ExecutionOptions): Promise<string>;
}
