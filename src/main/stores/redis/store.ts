import type { Redis } from 'ioredis';
import { AppError } from '@shared/errors';
import type { KeyValue } from '@shared/model/tenant';
import type { RedisEndpoint, StoreStatus } from '@shared/model/workspace';
import { parseTenantScope, type TenantScope } from '@shared/model/tenant-scope';
import { backoffDelay, DEFAULT_CONNECT_BACKOFF, type BackoffPolicy } from '../backoff';
import { Deadline, type ExecutionOptions } from '../execution';
import { closeStore, isTransient, StoreLifecycle, type StatusListener } from '../lifecycle';
import { createRedisClient } from './client';
import { assertKeyInScope, type RedisKeyInfo, type RedisKeyType, type RedisWrite } from './commands';
import { RedisCommandLine } from './command-line';
import { waitReady } from './connection';
import { toRedisError } from './errors';
import { BINARY_REPLIES, type RedisCommand, type RedisReader, type RedisReply } from './pipe';
import { redisVersionFromInfo } from './probe';
import type { RedisFace } from './face';
import { scanPages, type ScanQuery } from './scan';
import { readValue, type ValueReadOptions } from './values';
import { keyInfosFrom, redisPrefixOf, walkKeys, type WalkOptions, type WalkQuery, type WalkResult, type WalkVisitor } from './walk';
import { writeInBatches, type BatchOutcome } from './writes';
import { expireWhereMissing, type ExpireOutcome } from './expire-missing';
import type { UserQueryOptions, UserQueryPart } from '../user-query';
import { runUserLines } from './user-run';
import { existingIn, renameInBatches, restoreInBatches, unlinkByPrefix, type DumpedKey, type RenameOutcome, type RestoreOutcome } from './restore';
import { readPersistence, startBgsave, type RedisPersistence } from './persistence';

export type { RedisKeyInfo, RedisKeyType, RedisWrite } from './commands';
export type { KeyLookup, LookupAnswer, WalkStep, WalkVisitor } from './walk';

export interface RedisStoreOptions {
  /** A prod workspace: write and admin commands are refused before they are sent. */
  readOnly?: boolean;
  /** Applied when an operation gives no `timeoutMs`; none when absent. */
  defaultTimeoutMs?: number;
  /** How long `connect` waits for the server. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Delays between reconnect attempts, here and in the background. */
  backoff?: BackoffPolicy;
}

/**
 * Redis as a data service: one shared connection for quick typed commands, a dedicated connection
 * for anything that may run long (dropped on cancel, which makes Redis forget the client), SCAN
 * as an async iterator, walks with pipelined lookups, pipelines for bulk writes, a key-prefix
 * tenant scope applied here and nowhere else, and a read-only guard. When the server goes away
 * calls fail fast with `unreachable` and the store reconnects by itself.
 */
export class RedisStore implements RedisFace {
  readonly #endpoint: RedisEndpoint;
  readonly #password: string | undefined;
  readonly #options: RedisStoreOptions;
  readonly #lifecycle: StoreLifecycle;
  readonly #commandLine = new RedisCommandLine();
  #client: Redis | undefined;
  #lastError: AppError | undefined;
  #closing = false;
  /** The walks and value reads are written over this: read pipelines on the shared connection. */
  readonly #reader: RedisReader = {
    pipeline: (commands, options = {}) => this.#run((client) => execPipeline(client, commands), options, 'The key walk'),
  };

  constructor(endpoint: RedisEndpoint, secret: { password?: string }, options: RedisStoreOptions = {}) {
    this.#endpoint = endpoint;
    this.#password = secret.password;
    this.#options = options;
    // ioredis reconnects by itself (see retryStrategy); the lifecycle only keeps the state.
    this.#lifecycle = new StoreLifecycle('redis', async () => undefined, options.backoff ?? DEFAULT_CONNECT_BACKOFF);
  }

  get readOnly(): boolean {
    return this.#options.readOnly === true;
  }

  get #server(): string {
    return `Redis at ${this.#endpoint.host}:${this.#endpoint.port}`;
  }

  /** The state the status bar shows. */
  status(): StoreStatus {
    return this.#lifecycle.status();
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onStatus(listener: StatusListener): () => void {
    return this.#lifecycle.onStatus(listener);
  }

  /**
   * Opens the shared connection and waits until it is ready. Idempotent; a call while another
   * connects shares its outcome. The retries with backoff and jitter are ioredis's own reconnects
   * (its retryStrategy uses the store's policy), counted here up to the policy's attempts; after
   * that the store is `down` and ioredis keeps reconnecting in the background, unless the
   * credentials were refused.
   */
  async connect(options: ExecutionOptions = {}): Promise<StoreStatus> {
    if (!this.#lifecycle.connecting && this.#client?.status === 'ready' && this.#lifecycle.state !== 'down') return this.status();
    const connectTimeoutMs = options.timeoutMs ?? this.#options.connectTimeoutMs ?? 5000;
    const policy = this.#options.backoff ?? DEFAULT_CONNECT_BACKOFF;
    if (!this.#lifecycle.connecting) {
      this.#closing = false;
      this.#commandLine.reopen();
    }
    try {
      await this.#lifecycle.connectOnce({
        attempt: async () => {
          const client = await this.#ensureClient(connectTimeoutMs, policy);
          await waitReady(client, { attempts: policy.attempts, budgetMs: connectTimeoutMs * policy.attempts, signal: options.signal, server: this.#server, lastError: () => this.#lastError });
          const started = performance.now();
          const info = await client.info('server');
          this.#lifecycle.markConnected(redisVersionFromInfo(info), Math.round((performance.now() - started) * 100) / 100);
        },
        toError: (error) => (this.#lastError && AppError.is(error, 'unreachable') ? this.#lastError : toRedisError(error, this.#server)),
        // One attempt of the lifecycle: the attempts themselves are the client's reconnects.
        policy: { ...policy, attempts: 1 },
        signal: options.signal,
        reconnectInBackground: false,
      });
    } catch (error) {
      if (AppError.is(error) && !isTransient(error)) {
        // Refused credentials or a bad certificate: waiting will not help, so the client goes.
        this.#client?.disconnect();
        this.#client = undefined;
      }
      throw error;
    }
    return this.status();
  }

  /** Disconnects the shared and every dedicated connection and stops reconnecting. */
  async close(): Promise<void> {
    this.#closing = true;
    const client = this.#client;
    this.#client = undefined;
    await closeStore(this.#lifecycle, [], () => {
      this.#commandLine.close();
      client?.disconnect();
      return undefined;
    });
  }

  /** Server version, round trip and state, checked now with `INFO server`. */
  async health(options: ExecutionOptions = {}): Promise<StoreStatus> {
    try {
      const client = await this.#ready();
      const started = performance.now();
      const info = await this.#race(client.info('server'), options, 'INFO');
      this.#lifecycle.markConnected(redisVersionFromInfo(info), Math.round((performance.now() - started) * 100) / 100);
    } catch (error) {
      const mapped = toRedisError(error, this.#server);
      if (isTransient(mapped)) this.#lifecycle.markDown(mapped.message, false);
    }
    return this.status();
  }

  /** GET: a string value, or null when the key does not exist. */
  async get(key: string, scope?: TenantScope, options: ExecutionOptions = {}): Promise<string | null> {
    this.#keys([key], scope);
    return this.#run((c) => c.get(key), options, 'GET');
  }

  /** MGET: values in key order, null where a key does not exist. */
  async mget(keys: string[], scope?: TenantScope, options: ExecutionOptions = {}): Promise<(string | null)[]> {
    this.#keys(keys, scope);
    if (keys.length === 0) return [];
    return this.#run((c) => c.mget(keys), options, 'MGET');
  }

  /** HGETALL: every field of a hash. */
  async hgetall(key: string, scope?: TenantScope, options: ExecutionOptions = {}): Promise<Record<string, string>> {
    this.#keys([key], scope);
    return this.#run((c) => c.hgetall(key), options, 'HGETALL');
  }

  /** LRANGE: list elements from `start` to `stop` (inclusive, negative from the end). */
  async lrange(key: string, start: number, stop: number, scope?: TenantScope, options: ExecutionOptions = {}): Promise<string[]> {
    this.#keys([key], scope);
    return this.#run((c) => c.lrange(key, start, stop), options, 'LRANGE');
  }

  /** SMEMBERS: every member of a set. */
  async smembers(key: string, scope?: TenantScope, options: ExecutionOptions = {}): Promise<string[]> {
    this.#keys([key], scope);
    return this.#run((c) => c.smembers(key), options, 'SMEMBERS');
  }

  /** ZRANGE … WITHSCORES: members with their scores, by rank. */
  async zrangeWithScores(key: string, start: number, stop: number, scope?: TenantScope, options: ExecutionOptions = {}): Promise<{ member: string; score: number }[]> {
    this.#keys([key], scope);
    const flat = await this.#run((c) => c.zrange(key, String(start), String(stop), 'WITHSCORES'), options, 'ZRANGE');
    const pairs: { member: string; score: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) pairs.push({ member: flat[i] ?? '', score: Number(flat[i + 1]) });
    return pairs;
  }

  /** TTL in seconds: -1 without expiry, -2 when the key does not exist. */
  async ttl(key: string, scope?: TenantScope, options: ExecutionOptions = {}): Promise<number> {
    this.#keys([key], scope);
    return this.#run((c) => c.ttl(key), options, 'TTL');
  }

  /** TYPE of a key, `none` when it does not exist. */
  async type(key: string, scope?: TenantScope, options: ExecutionOptions = {}): Promise<RedisKeyType | 'none'> {
    this.#keys([key], scope);
    return (await this.#run((c) => c.type(key), options, 'TYPE')) as RedisKeyType | 'none';
  }

  /** Type, TTL and memory of many keys in one round trip (a pipeline). */
  async inspectKeys(keys: string[], scope?: TenantScope, options: ExecutionOptions = {}): Promise<RedisKeyInfo[]> {
    this.#keys(keys, scope);
    if (keys.length === 0) return [];
    const replies = await this.#reader.pipeline(
      keys.flatMap((key): RedisCommand[] => [['TYPE', key], ['TTL', key], ['MEMORY', 'USAGE', key]]),
      options,
    );
    return keyInfosFrom(keys, replies);
  }

  /** DBSIZE: keys in the selected database. */
  async dbsize(options: ExecutionOptions = {}): Promise<number> {
    return this.#run((c) => c.dbsize(), options, 'DBSIZE');
  }

  /** SET, with an expiry when `ttlSeconds` is given. Refused on a read-only store. */
  async set(key: string, value: string, ttlSeconds?: number, scope?: TenantScope, options: ExecutionOptions = {}): Promise<void> {
    this.#refuseWrite('SET');
    this.#keys([key], scope);
    await this.#run((c) => (ttlSeconds && ttlSeconds > 0 ? c.set(key, value, 'EX', Math.ceil(ttlSeconds)) : c.set(key, value)), options, 'SET');
  }

  /** DEL: removes keys, returns how many existed. Refused on a read-only store. */
  async del(keys: string[], scope?: TenantScope, options: ExecutionOptions = {}): Promise<number> {
    this.#refuseWrite('DEL');
    this.#keys(keys, scope);
    if (keys.length === 0) return 0;
    return this.#run((c) => c.del(...keys), options, 'DEL');
  }

  /** EXPIRE: sets a key's time to live; false when the key does not exist. */
  async expire(key: string, seconds: number, scope?: TenantScope, options: ExecutionOptions = {}): Promise<boolean> {
    this.#refuseWrite('EXPIRE');
    this.#keys([key], scope);
    return (await this.#run((c) => c.expire(key, Math.ceil(seconds)), options, 'EXPIRE')) === 1;
  }

  /**
   * Bulk writes through pipelines of 1000 commands. Every key is checked against the scope and
   * the whole batch is refused on a read-only store before anything is sent.
   */
  async writeBatch(writes: readonly RedisWrite[], scope?: TenantScope, options: ExecutionOptions = {}): Promise<BatchOutcome> {
    this.#refuseWrite('A bulk write');
    this.#keys(writes.map((w) => w.key), scope);
    const deadline = new Deadline(options, this.#options.defaultTimeoutMs);
    try {
      return await writeInBatches(await this.#ready(), writes, deadline);
    } catch (error) {
      throw this.#mapError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  /** TTL for the keys without one (`EXPIRE … NX` in pipelines); refused on a read-only store before anything is sent. */
  async expireWithoutTtl(keys: readonly string[], seconds: number, scope?: TenantScope, options: ExecutionOptions = {}): Promise<ExpireOutcome> {
    this.#refuseWrite('Setting TTLs');
    this.#keys(keys, scope);
    const deadline = new Deadline(options, this.#options.defaultTimeoutMs);
    try {
      return await expireWhereMissing(await this.#ready(), keys, seconds, deadline);
    } catch (error) {
      throw this.#mapError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Walks the keyspace with SCAN (never KEYS), yielding batches as they come, so a million keys
   * never block the server. `count` is SCAN's COUNT hint; with a scope only the tenant's keys are
   * matched (`match` is then relative to the tenant prefix).
   */
  async *scanKeys(query: ScanQuery = {}, scope?: TenantScope, options: ExecutionOptions = {}): AsyncGenerator<string[], void, undefined> {
    const prefix = redisPrefixOf(scope);
    const deadline = new Deadline(options, this.#options.defaultTimeoutMs);
    try {
      yield* scanPages(await this.#ready(), query, prefix, deadline);
    } catch (error) {
      throw this.#mapError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Walks keys with SCAN, with a scope only the tenant's, reading the types, TTLs or memory the
   * visitor asks for in the round trips of later SCAN pages (see `walkKeys`). Every command of a
   * walk is a read, so a read-only store runs it.
   */
  walkKeys(query: WalkQuery, scope: TenantScope | undefined, visit: WalkVisitor, options: WalkOptions = {}): Promise<WalkResult> {
    return walkKeys(this.#reader, query, scope, visit, options);
  }

  /** A key of the scope's tenant with its TTL and a bounded view of its value; `forbidden` for any other key. */
  readValue(key: string, scope: TenantScope, options: ValueReadOptions): Promise<KeyValue> {
    return readValue(this.#reader, key, scope, options);
  }

  /**
   * Any command by name (the console's command line). It runs on a dedicated connection that is
   * dropped on cancel or timeout, so a blocking command (BLPOP, XREAD BLOCK…) leaves the server at
   * once. On a read-only store write and admin commands are refused before sending; with a
   * scope every key the server says the command touches (COMMAND GETKEYS) must be the tenant's.
   */
  async command(name: string, args: readonly (string | number)[] = [], scope?: TenantScope, options: ExecutionOptions = {}): Promise<unknown> {
    const validScope = scope ? parseTenantScope(scope) : undefined;
    const main = await this.#ready();
    const prepared = await this.#commandLine.prepare(main, name, args, validScope, this.readOnly);
    const deadline = new Deadline(options, this.#options.defaultTimeoutMs);
    try {
      return await this.#commandLine.run(main, prepared, args, deadline);
    } catch (error) {
      throw this.#mapError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * The workbench's Redis lines for one tenant (see `runUserLines`): judged before any is sent,
   * each command on a dedicated connection dropped on cancel or timeout, so a blocking BLPOP
   * leaves the server at once.
   */
  async *runUser(text: string, scope: TenantScope, options: UserQueryOptions): AsyncGenerator<UserQueryPart, void, undefined> {
    const main = await this.#ready();
    const deadline = new Deadline(options, this.#options.defaultTimeoutMs);
    try {
      yield* runUserLines(text, scope, options, {
        main,
        commandLine: this.#commandLine,
        deadline,
        storeReadOnly: this.readOnly,
      });
    } catch (error) {
      throw this.#mapError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  /** RESTORE of dumped keys (see RedisFace.restoreKeys); refused on a read-only store. */
  async restoreKeys(keys: readonly DumpedKey[], options: ExecutionOptions & { replace: boolean }): Promise<RestoreOutcome> {
    this.#refuseWrite('RESTORE');
    this.#keys(keys.map((k) => k.key), undefined);
    return this.#withDeadline(options, (client, deadline) => restoreInBatches(client, keys, options.replace, deadline));
  }

  /** Which of the keys exist. */
  async existingKeys(keys: readonly string[], options: ExecutionOptions = {}): Promise<string[]> {
    this.#keys(keys, undefined);
    return this.#withDeadline(options, (client, deadline) => existingIn(client, keys, deadline));
  }

  /** RENAME or RENAMENX per pair; refused on a read-only store. */
  async renameKeys(pairs: readonly { from: string; to: string }[], options: ExecutionOptions & { replace: boolean }): Promise<RenameOutcome> {
    this.#refuseWrite('RENAME');
    this.#keys(pairs.flatMap((p) => [p.from, p.to]), undefined);
    return this.#withDeadline(options, (client, deadline) => renameInBatches(client, pairs, options.replace, deadline));
  }

  /** Deletes the keys under a prefix; refused on a read-only store. */
  async unlinkPrefix(prefix: string, options: ExecutionOptions = {}): Promise<number> {
    this.#refuseWrite('Removing keys');
    return this.#withDeadline(options, (client, deadline) => unlinkByPrefix(client, prefix, deadline));
  }

  /** INFO persistence and LASTSAVE. */
  async persistence(options: ExecutionOptions = {}): Promise<RedisPersistence> {
    return this.#withDeadline(options, (client, deadline) => readPersistence(client, deadline));
  }

  /** BGSAVE: allowed on a read-only store, since the dataset does not change. */
  async bgsave(options: ExecutionOptions = {}): Promise<string> {
    return this.#withDeadline(options, (client, deadline) => startBgsave(client, deadline));
  }

  async #withDeadline<T>(options: ExecutionOptions, work: (client: Redis, deadline: Deadline) => Promise<T>): Promise<T> {
    const deadline = new Deadline(options, this.#options.defaultTimeoutMs);
    try {
      return await work(await this.#ready(), deadline);
    } catch (error) {
      throw this.#mapError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  #refuseWrite(what: string): void {
    if (this.readOnly) throw new AppError('read_only', `${what} is a write, and this workspace is read-only (prod). Unlock writes first.`);
  }

  #keys(keys: readonly string[], scope: TenantScope | undefined): void {
    const valid = scope ? parseTenantScope(scope) : undefined;
    for (const key of keys) {
      if (typeof key !== 'string' || key.length === 0) throw new AppError('invalid_argument', 'A Redis key cannot be empty.');
      assertKeyInScope(key, valid);
    }
  }

  async #ensureClient(connectTimeoutMs: number, policy: BackoffPolicy): Promise<Redis> {
    this.#client ??= this.#watch(
      await createRedisClient(this.#endpoint, this.#password, {
        connectTimeoutMs,
        connectionName: 'tenantscope',
        retryStrategy: (attempt) => (this.#closing || this.#lastError?.code === 'auth_failed' ? null : backoffDelay(attempt - 1, policy) + 50),
      }),
    );
    return this.#client;
  }

  /** Keeps the lifecycle in step with the socket: ready → connected, closed → down (ioredis retries). */
  #watch(client: Redis): Redis {
    client.on('error', (error: unknown) => {
      this.#lastError = toRedisError(error, this.#server);
    });
    client.on('ready', () => {
      this.#lastError = undefined;
      this.#lifecycle.markConnected();
    });
    client.on('close', () => {
      if (this.#closing) return;
      this.#lifecycle.markDown(this.#lastError?.message ?? 'the connection was lost', false);
    });
    return client;
  }

  async #ready(): Promise<Redis> {
    if (!this.#client && !this.#lifecycle.closed) await this.connect();
    this.#lifecycle.assertUsable();
    const client = this.#client;
    if (!client || client.status !== 'ready') {
      throw new AppError('unreachable', `${this.#server} is not connected (${this.#lastError?.message ?? client?.status ?? 'closed'}); Tenantscope keeps trying to reconnect.`);
    }
    return client;
  }

  async #run<T>(work: (client: Redis) => Promise<T>, options: ExecutionOptions, what: string): Promise<T> {
    const deadline = new Deadline(options, this.#options.defaultTimeoutMs);
    try {
      const client = await this.#ready();
      return await deadline.race(work(client), what);
    } catch (error) {
      throw this.#mapError(error, deadline);
    } finally {
      deadline.dispose();
    }
  }

  async #race<T>(work: Promise<T>, options: ExecutionOptions, what: string): Promise<T> {
    const deadline = new Deadline(options, this.#options.defaultTimeoutMs);
    try {
      return await deadline.race(work, what);
    } finally {
      deadline.dispose();
    }
  }

  #mapError(error: unknown, deadline: Deadline): AppError {
    if (deadline.reason && !(error instanceof AppError && error.code === deadline.reason)) {
      return error instanceof AppError && (error.code === 'timeout' || error.code === 'cancelled') ? error : deadline.error('The Redis command');
    }
    const mapped = toRedisError(error, this.#server);
    if (mapped.code === 'unreachable') this.#lifecycle.markDown(mapped.message, false);
    return mapped;
  }
}

/** Sends read commands in one pipeline on the shared connection; each reply keeps its own error. */
async function execPipeline(client: Redis, commands: readonly RedisCommand[]): Promise<RedisReply[]> {
  const pipeline = client.pipeline();
  for (const [name, ...args] of commands) {
    if (BINARY_REPLIES.has(name)) pipeline.callBuffer(name, ...args);
    else pipeline.call(name, ...args);
  }
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, value]): RedisReply => [error, value]);
}
