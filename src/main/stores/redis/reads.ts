import type { KeyValue } from '@shared/model/tenant';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../execution';
import { asNumber, replyValue, type RedisReader } from './pipe';
import { readValue, type ValueReadOptions } from './values';
import { walkKeys, type WalkOptions, type WalkQuery, type WalkResult, type WalkVisitor } from './walk';

/**
 * The tenant browser's reads of Redis: the key count, walks with pipelined lookups (scoped to one
 * tenant, or over the whole keyspace for the namespace map), and a bounded, scoped value read.
 * RedisStore has them; `redisReadsOver` gives them over a bare read pipeline, for tests.
 */
export interface RedisWalks {
  dbsize(options?: ExecutionOptions): Promise<number>;
  walkKeys(query: WalkQuery, scope: TenantScope | undefined, visit: WalkVisitor, options?: WalkOptions): Promise<WalkResult>;
  readValue(key: string, scope: TenantScope, options: ValueReadOptions): Promise<KeyValue>;
}

export function redisReadsOver(reader: RedisReader): RedisWalks {
  return {
    dbsize: async (options = {}) => asNumber(replyValue((await reader.pipeline([['DBSIZE']], options))[0], 'DBSIZE')),
    walkKeys: (query, scope, visit, options) => walkKeys(reader, query, scope, visit, options),
    readValue: (key, scope, options) => readValue(reader, key, scope, options),
  };
}
