import { AppError } from '@shared/errors';
import type { TenantScope } from '@shared/model/tenant-scope';

/** One write of a bulk batch, sent through a pipeline. `ttlSeconds` sets the expiry in the same batch. */
export type RedisWrite =
  | { op: 'set'; key: string; value: string; ttlSeconds?: number }
  | { op: 'hset'; key: string; fields: Record<string, string>; ttlSeconds?: number }
  | { op: 'sadd'; key: string; members: string[]; ttlSeconds?: number }
  | { op: 'zadd'; key: string; entries: { score: number; member: string }[]; ttlSeconds?: number }
  | { op: 'rpush'; key: string; values: string[]; ttlSeconds?: number }
  | { op: 'expire'; key: string; seconds: number }
  | { op: 'del'; key: string };

/** The Redis types SCAN can filter on. */
export type RedisKeyType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream';

/** What the console shows about one key. */
export interface RedisKeyInfo {
  key: string;
  type: RedisKeyType | 'none';
  /** Seconds left, -1 without expiry, -2 when the key does not exist. */
  ttlSeconds: number;
  memoryBytes: number | null;
}

/** Escapes a literal for a SCAN MATCH glob, so a prefix like `a*b:` matches only itself. */
export function escapeGlob(literal: string): string {
  return literal.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Refuses a key outside the tenant's prefix; without a scope every key is allowed. */
export function assertKeyInScope(key: string, scope: TenantScope | undefined): void {
  if (!scope) return;
  if (!scope.redis) throw new AppError('invalid_argument', `The tenant scope of ${scope.tenantId} says nothing about Redis.`);
  if (typeof key !== 'string' || !key.startsWith(scope.redis.keyPrefix)) {
    throw new AppError('invalid_argument', `The key ${JSON.stringify(String(key).slice(0, 80))} is not one of tenant ${scope.tenantId}'s keys (they start with ${scope.redis.keyPrefix}).`);
  }
}

/** The commands of one batch, ready for `pipeline.call`. */
export function pipelineCommands(write: RedisWrite): [string, ...(string | number)[]][] {
  const expire = (ttl: number | undefined): [string, ...(string | number)[]][] => (ttl && ttl > 0 ? [['expire', write.key, Math.ceil(ttl)]] : []);
  switch (write.op) {
    case 'set':
      return write.ttlSeconds && write.ttlSeconds > 0 ? [['set', write.key, write.value, 'EX', Math.ceil(write.ttlSeconds)]] : [['set', write.key, write.value]];
    case 'hset': {
      const pairs = Object.entries(write.fields).flat();
      if (pairs.length === 0) throw new AppError('invalid_argument', `HSET ${write.key} needs at least one field.`);
      return [['hset', write.key, ...pairs], ...expire(write.ttlSeconds)];
    }
    case 'sadd':
      if (write.members.length === 0) throw new AppError('invalid_argument', `SADD ${write.key} needs at least one member.`);
      return [['sadd', write.key, ...write.members], ...expire(write.ttlSeconds)];
    case 'zadd':
      if (write.entries.length === 0) throw new AppError('invalid_argument', `ZADD ${write.key} needs at least one member.`);
      return [['zadd', write.key, ...write.entries.flatMap((e) => [e.score, e.member])], ...expire(write.ttlSeconds)];
    case 'rpush':
      if (write.values.length === 0) throw new AppError('invalid_argument', `RPUSH ${write.key} needs at least one value.`);
      return [['rpush', write.key, ...write.values], ...expire(write.ttlSeconds)];
    case 'expire':
      return [['expire', write.key, Math.ceil(write.seconds)]];
    case 'del':
      return [['del', write.key]];
  }
}

/** The flags of a `COMMAND INFO` reply (Redis ≥ 2.8: name, arity, flags, first, last, step, …). */
export interface CommandTraits {
  name: string;
  flags: string[];
  /** Whether the command has subcommands (CONFIG, CLIENT, MEMORY…), Redis ≥ 7. */
  container: boolean;
  /** Words the command takes, its name included: exactly n, or at least -n when negative. */
  arity?: number;
}

export function parseCommandInfo(reply: unknown): CommandTraits | undefined {
  if (!Array.isArray(reply)) return undefined;
  const entry: unknown = reply[0];
  if (!Array.isArray(entry)) return undefined;
  const [name, arity, flags] = entry as unknown[];
  const subcommands = entry[9];
  return {
    name: String(name),
    ...(typeof arity === 'number' && { arity }),
    flags: Array.isArray(flags) ? flags.map(String) : [],
    container: Array.isArray(subcommands) && subcommands.length > 0,
  };
}

/** Scripts may write whatever they like; their read-only twins (EVAL_RO, FCALL_RO) stay allowed. */
const SCRIPT_COMMANDS = new Set(['eval', 'evalsha', 'fcall', 'script|load', 'function|load', 'function|restore']);

/** Commands a read-only (prod) store refuses before sending: they change data or the server, or run scripts that may. */
export function isWriteTraits(traits: CommandTraits): boolean {
  return (
    traits.flags.includes('write') ||
    traits.flags.includes('admin') ||
    traits.flags.includes('may_replicate') ||
    SCRIPT_COMMANDS.has(traits.name.toLowerCase())
  );
}

/** Commands without keys that are harmless under a tenant scope. */
export const KEYLESS_ALLOWED_IN_SCOPE = new Set(['ping', 'echo', 'time']);

/** A command name as Redis knows it: letters, digits, `|`, `-`, `_`; anything else is refused. */
export function normaliseCommandName(name: string): string {
  const lower = name.trim().toLowerCase();
  if (!/^[a-z][a-z0-9_.|-]{0,63}$/.test(lower)) throw new AppError('invalid_argument', `${JSON.stringify(name.slice(0, 40))} is not a Redis command name.`);
  return lower;
}
