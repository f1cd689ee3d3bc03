import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BaseConnection, Client, estypes } from '@elastic/elasticsearch';
import { AppError } from '@shared/errors';
import type { CatalogEntry } from '@shared/model/workbench';
import type { ElasticEndpoint, StoreStatus } from '@shared/model/workspace';
import { parseTenantScope, type TenantScope } from '@shared/model/tenant-scope';
import { DEFAULT_CONNECT_BACKOFF, type BackoffPolicy } from '../backoff';
import { Deadline, type ExecutionOptions } from '../execution';
import { closeStore, StoreLifecycle, type StatusListener } from '../lifecycle';
import type { UserQueryOptions, UserQueryPart } from '../user-query';
import { createElasticClient } from './client';
import { toElasticError } from './errors';
import type { ElasticBulkOperation, ElasticFace, ElasticIndexSummary } from './face';
import { ElasticLifecycle } from './ilm';
import { assertIndexExpression, scopedIndex, tenantPrefix } from './scope';
import { cancelTasksByOpaqueId, runClusterTask } from './tasks';
import { profileSearch } from './profile';
import { parseUserSearchBody } from './user-body';
import { tenantCatalog } from './user-catalog';
import { streamUserSearch, type ElasticRunLease } from './user-query';
import { tenantIndex } from './user-scope';
import * as snapshots from './snapshots';
import type { RepositoryDefinition, RepositoryVerification, RestoreRequest, SlmPolicy, SnapshotInfo, SnapshotProgress, SnapshotRepository } from './snapshots';

export interface ElasticStoreOptions {
  /** A prod workspace: bulk, by-query writes, index, template and ILM changes are refused before sending. */
  readOnly?: boolean;
  /** Applied when an operation gives no `timeoutMs`; none when absent. */
  defaultTimeoutMs?: number;
  /** Request timeout of the connection check. Default 5000 ms. */
  connectTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** A transport connection class, for request-shape tests with @elastic/elasticsearch-mock. */
  connection?: typeof BaseConnection;
}

export type { ElasticBulkOperation, ElasticIndexSummary } from './face';

/** States of the snapshot status API after which nothing more happens, short of success. */
const SNAPSHOT_ENDED_BADLY = new Set(['FAILED', 'PARTIAL', 'ABORTED']);

/** Waits between two polls; a cancel ends the wait at once. */
async function pauseFor(ms: number, signal: AbortSignal | undefined, what: string): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch {
    throw new AppError('cancelled', `${what} was cancelled.`);
  }
}

/** The task action of a search, cancelled by X-Opaque-Id when its request is stopped. */
const SEARCH_TASKS = 'indices:data/read/search*';

/**
 * Elasticsearch as a data service. Requests carry the operation's AbortSignal (closing the HTTP
 * connection, which makes Elasticsearch cancel a search) and an X-Opaque-Id; long by-query work
 * runs as a task that is cancelled through the tasks API. A tenant scope confines every request
 * to the tenant's index pattern; a read-only store refuses writes before sending.
 */
export class ElasticStore implements ElasticFace {
  readonly #endpoint: ElasticEndpoint;
  readonly #password: string | undefined;
  readonly #options: ElasticStoreOptions;
  readonly #lifecycle: StoreLifecycle;
  readonly #active = new Set<Deadline>();
  #client: Client | undefined;
  /** ILM, rollover and templates, sent through this store's requests and read-only guard. */
  readonly ilm: ElasticLifecycle;

  constructor(endpoint: ElasticEndpoint, secret: { password?: string }, options: ElasticStoreOptions = {}) {
    this.#endpoint = endpoint;
    this.#password = secret.password;
    this.#options = options;
    this.#lifecycle = new StoreLifecycle('elastic', () => this.#check(this.#connectTimeoutMs), options.backoff ?? DEFAULT_CONNECT_BACKOFF);
    this.ilm = new ElasticLifecycle({ send: (what, opts, send) => this.#request(what, opts, send), refuseWrite: (what) => this.#refuseWrite(what) });
  }

  get readOnly(): boolean {
    return this.#options.readOnly === true;
  }

  get #connectTimeoutMs(): number {
    return this.#options.connectTimeoutMs ?? 5000;
  }

  get #server(): string {
    return `Elasticsearch at ${this.#endpoint.node}`;
  }

  /** The state the status bar shows. */
  status(): StoreStatus {
    return this.#lifecycle.status();
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onStatus(listener: StatusListener): () => void {
    return this.#lifecycle.onStatus(listener);
  }

  /** Creates the client and checks the cluster (`GET /`), retrying transient failures with backoff. Idempotent. */
  async connect(options: ExecutionOptions = {}): Promise<StoreStatus> {
    if (!this.#lifecycle.connecting && this.#client && this.#lifecycle.state === 'connected') return this.status();
    await this.#lifecycle.connectOnce({
      attempt: () => this.#check(options.timeoutMs ?? this.#connectTimeoutMs),
      toError: (error) => toElasticError(error, this.#server),
      policy: this.#options.backoff ?? DEFAULT_CONNECT_BACKOFF,
      signal: options.signal,
    });
    return this.status();
  }

  /** Aborts running requests, stops reconnecting and closes the client's connections. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await closeStore(this.#lifecycle, this.#active, () => client?.close());
  }

  /** Cluster version, round trip and state, checked now. */
  health(options: ExecutionOptions = {}): Promise<StoreStatus> {
    return this.#lifecycle.checkHealth(
      () => this.#check(options.timeoutMs ?? this.#connectTimeoutMs),
      (error) => toElasticError(error, this.#server),
    );
  }

  /** Searches an index or pattern (the tenant's pattern when scoped and none is given). */
  async search(index: string | undefined, request: Omit<estypes.SearchRequest, 'index'> = {}, scope?: TenantScope, options: ExecutionOptions = {}): Promise<estypes.SearchResponse> {
    const target = scopedIndex(index, this.#scope(scope));
    return this.#request('search', options, (client, transport) => client.search({ ...request, index: target }, transport), { cancelTasks: SEARCH_TASKS });
  }

  /** Counts documents of an index or pattern matching a query. */
  async count(index: string | undefined, query: estypes.QueryDslQueryContainer | undefined, scope?: TenantScope, options: ExecutionOptions = {}): Promise<number> {
    const target = scopedIndex(index, this.#scope(scope));
    const result = await this.#request('count', options, (client, transport) => client.count({ index: target, ...(query ? { query } : {}) }, transport));
    return result.count;
  }

  /**
   * Sends index/create/update/delete actions in one `_bulk` request; returns the failed items.
   * Every action's index is checked against the scope before sending.
   */
  async bulk(operations: readonly ElasticBulkOperation[], scope?: TenantScope, options: ExecutionOptions & { refresh?: boolean } = {}): Promise<{ took: number; failed: { position: number; status: number; reason: string }[] }> {
    this.#refuseWrite('A bulk write');
    const valid = this.#scope(scope);
    if (operations.length === 0) return { took: 0, failed: [] };
    const body: Record<string, unknown>[] = [];
    for (const op of operations) {
      const index = scopedIndex(op.index, valid);
      if (index.includes('*') || index.includes(',')) throw new AppError('invalid_argument', `A bulk action needs one concrete index, not ${index}.`);
      const meta = { _index: index, ...('id' in op && op.id !== undefined ? { _id: op.id } : {}) };
      body.push({ [op.action]: meta });
      if (op.action === 'update') body.push({ doc: op.document });
      else if (op.action !== 'delete') body.push(op.document);
    }
    const result = await this.#request('bulk', options, (client, transport) => client.bulk({ operations: body, ...(options.refresh ? { refresh: true } : {}) }, transport));
    const failed = result.items.flatMap((item, position) => {
      const outcome = Object.values(item)[0];
      return outcome?.error ? [{ position, status: outcome.status, reason: outcome.error.reason ?? outcome.error.type }] : [];
    });
    return { took: result.took, failed };
  }

  /**
   * Deletes the documents matching a query as a background task; cancelling or timing out cancels
   * that task on the cluster. Returns how many were deleted.
   */
  async deleteByQuery(index: string | undefined, query: estypes.QueryDslQueryContainer, scope?: TenantScope, options: ExecutionOptions = {}): Promise<{ deleted: number }> {
    this.#refuseWrite('Deleting by query');
    const target = scopedIndex(index, this.#scope(scope));
    const client = await this.#ready();
    const deadline = new Deadline(options, this.#options.defaultTimeoutMs);
    this.#active.add(deadline);
    try {
      const response = await runClusterTask(client, deadline, 'The delete by query', this.#server, (signal) =>
        client.deleteByQuery({ index: target, query, wait_for_completion: false, conflicts: 'proceed' }, { signal }),
      );
      return { deleted: Number((response as { deleted?: number } | undefined)?.deleted ?? 0) };
    } catch (error) {
      if (deadline.reason) throw deadline.error('The delete by query');
      throw this.#mapError(error);
    } finally {
      this.#active.delete(deadline);
      deadline.dispose();
    }
  }

  /** Indices matching a pattern (the tenant's when scoped), with health, document count and size. */
  async listIndices(pattern: string | undefined, scope?: TenantScope, options: ExecutionOptions = {}): Promise<ElasticIndexSummary[]> {
    const target = scope ? scopedIndex(pattern, this.#scope(scope)) : (pattern ?? '*');
    assertIndexExpression(target);
    const rows = await this.#request('cat.indices', options, (client, transport) => client.cat.indices({ index: target, format: 'json', bytes: 'b' }, transport));
    return rows.map((row) => ({
      index: row.index ?? '',
      health: row.health ?? 'unknown',
      status: row.status ?? 'unknown',
      docsCount: Number(row['docs.count'] ?? 0),
      storeSizeBytes: Number(row['store.size'] ?? 0),
    }));
  }

  /** The mappings of the indices a pattern matches (with a scope, only the tenant's), by index name. */
  async getMappings(pattern: string | undefined, scope?: TenantScope, options: ExecutionOptions = {}): Promise<Record<string, estypes.MappingTypeMapping>> {
    const target = scope ? scopedIndex(pattern, this.#scope(scope)) : (pattern ?? '*');
    assertIndexExpression(target);
    const reply = await this.#request('indices.getMapping', options, (client, transport) => client.indices.getMapping({ index: target, allow_no_indices: true, ignore_unavailable: true }, transport));
    return Object.fromEntries(Object.entries(reply).map(([index, entry]) => [index, entry.mappings]));
  }

  /** Creates an index with settings and mappings. Refused on a read-only store. */
  async createIndex(index: string, request: Omit<estypes.IndicesCreateRequest, 'index'> = {}, scope?: TenantScope, options: ExecutionOptions = {}): Promise<void> {
    this.#refuseWrite('Creating an index');
    const target = scopedIndex(index, this.#scope(scope));
    await this.#request('indices.create', options, (client, transport) => client.indices.create({ ...request, index: target }, transport));
  }

  /** Creates or replaces a composable index template. Refused on a read-only store. */
  async putIndexTemplate(name: string, request: Omit<estypes.IndicesPutIndexTemplateRequest, 'name'>, options: ExecutionOptions = {}): Promise<void> {
    this.#refuseWrite('Changing an index template');
    assertIndexExpression(name);
    await this.#request('indices.putIndexTemplate', options, (client, transport) => client.indices.putIndexTemplate({ ...request, name }, transport));
  }

  /** Index templates by name or pattern; an empty list when none match. */
  async getIndexTemplates(name: string | undefined, options: ExecutionOptions = {}): Promise<estypes.IndicesGetIndexTemplateIndexTemplateItem[]> {
    if (name !== undefined) assertIndexExpression(name);
    try {
      const result = await this.#request('indices.getIndexTemplate', options, (client, transport) => client.indices.getIndexTemplate(name ? { name } : {}, transport));
      return result.index_templates;
    } catch (error) {
      if (AppError.is(error, 'not_found')) return [];
      throw error;
    }
  }

  /** Creates or replaces an ILM policy. Refused on a read-only store. */
  async putLifecyclePolicy(name: string, policy: estypes.IlmPolicy, options: ExecutionOptions = {}): Promise<void> {
    this.#refuseWrite('Changing a lifecycle policy');
    assertIndexExpression(name);
    await this.#request('ilm.putLifecycle', options, (client, transport) => client.ilm.putLifecycle({ name, policy }, transport));
  }

  /** ILM policies, all or one by name; an empty record when the name is unknown. */
  async getLifecyclePolicies(name: string | undefined, options: ExecutionOptions = {}): Promise<estypes.IlmGetLifecycleResponse> {
    if (name !== undefined) assertIndexExpression(name);
    try {
      return await this.#request('ilm.getLifecycle', options, (client, transport) => client.ilm.getLifecycle(name ? { name } : {}, transport));
    } catch (error) {
      if (AppError.is(error, 'not_found')) return {};
      throw error;
    }
  }

  /**
   * A workbench search body for one tenant, streamed through a point in time with `search_after`.
   * The index is confined to the tenant's pattern and the body refused when it reads other indices,
   * both before anything is sent; the point in time is closed however the run ends.
   */
  async *runUser(index: string, body: string, scope: TenantScope, options: UserQueryOptions): AsyncGenerator<UserQueryPart, void, undefined> {
    const valid = parseTenantScope(scope);
    const target = tenantIndex(index, valid);
    const search = parseUserSearchBody(body);
    const lease = await this.#lease('workbench search', options, SEARCH_TASKS);
    try {
      yield* streamUserSearch(lease, target, search, tenantPrefix(valid), options);
    } catch (error) {
      throw lease.fail(error);
    } finally {
      lease.release();
    }
  }

  /** The tenant's indices and aliases (logical names) with their mapped fields. */
  async userCatalog(scope: TenantScope, options: ExecutionOptions = {}): Promise<CatalogEntry[]> {
    const valid = parseTenantScope(scope);
    const pattern = scopedIndex(undefined, valid);
    const [mappings, aliases] = await Promise.all([
      this.#request('indices.getMapping', options, (client, transport) => client.indices.getMapping({ index: pattern, allow_no_indices: true }, transport)),
      this.#request('indices.getAlias', options, (client, transport) => client.indices.getAlias({ index: pattern, allow_no_indices: true }, transport)),
    ]);
    return tenantCatalog(mappings, aliases, tenantPrefix(valid));
  }

  /** The `_search` reply with `profile: true` for a workbench body, with the run's confinement and refusals. */
  async profileUser(index: string, body: string, scope: TenantScope, options: ExecutionOptions = {}): Promise<unknown> {
    const valid = parseTenantScope(scope);
    const target = tenantIndex(index, valid);
    const search = parseUserSearchBody(body);
    const lease = await this.#lease('profile', options, SEARCH_TASKS);
    try {
      return await profileSearch(lease, target, search);
    } catch (error) {
      throw lease.fail(error);
    } finally {
      lease.release();
    }
  }

  async listSnapshotRepositories(options: ExecutionOptions = {}): Promise<SnapshotRepository[]> {
    return this.#request('snapshot.getRepository', options, (client, transport) => snapshots.listRepositories(client, transport));
  }

  async putSnapshotRepository(name: string, definition: RepositoryDefinition, options: ExecutionOptions = {}): Promise<void> {
    this.#refuseWrite('Registering a snapshot repository');
    snapshots.assertSnapshotName(name, 'repository');
    await this.#request('snapshot.createRepository', options, (client, transport) => snapshots.putRepository(client, name, definition, transport));
  }

  async verifySnapshotRepository(name: string, options: ExecutionOptions = {}): Promise<RepositoryVerification> {
    snapshots.assertSnapshotName(name, 'repository');
    return this.#request('snapshot.verifyRepository', options, (client, transport) => snapshots.verifyRepository(client, name, transport));
  }

  async startSnapshot(repository: string, snapshot: string, indices: string[] | '*', options: ExecutionOptions = {}): Promise<void> {
    if (indices !== '*') for (const index of indices) snapshots.assertSnapshotName(index, 'index');
    await this.#request('snapshot.create', options, (client, transport) => snapshots.startSnapshot(client, repository, snapshot, indices, transport));
  }

  async snapshotStatus(repository: string, snapshot: string, options: ExecutionOptions = {}): Promise<SnapshotProgress> {
    return this.#request('snapshot.status', options, (client, transport) => snapshots.snapshotStatus(client, repository, snapshot, transport));
  }

  async snapshotInfo(repository: string, snapshot: string, options: ExecutionOptions = {}): Promise<SnapshotInfo> {
    return this.#request('snapshot.get', options, (client, transport) => snapshots.snapshotInfo(client, repository, snapshot, transport));
  }

  /**
   * Allowed on a read-only store: a snapshot holds copies, never live data, and deleting one is the
   * only way to abort a snapshot this console started.
   */
  async deleteSnapshot(repository: string, snapshot: string, options: ExecutionOptions = {}): Promise<void> {
    await this.#request('snapshot.delete', options, (client, transport) => snapshots.deleteSnapshot(client, repository, snapshot, transport));
  }

  async restoreSnapshot(repository: string, snapshot: string, request: RestoreRequest, options: ExecutionOptions = {}): Promise<string[]> {
    this.#refuseWrite('Restoring a snapshot');
    for (const index of request.indices) snapshots.assertSnapshotName(index, 'index');
    return this.#request('snapshot.restore', options, (client, transport) => snapshots.restoreSnapshot(client, repository, snapshot, request, transport));
  }

  async followSnapshot(repository: string, snapshot: string, onProgress: (progress: SnapshotProgress) => void, options: ExecutionOptions & { pollMs: number; log?: (line: string) => void }): Promise<SnapshotProgress> {
    const { pollMs, log, ...exec } = options;
    try {
      for (;;) {
        const status = await this.snapshotStatus(repository, snapshot, { ...exec, timeoutMs: exec.timeoutMs ?? 30_000 });
        onProgress(status);
        if (status.state === 'SUCCESS') return status;
        if (SNAPSHOT_ENDED_BADLY.has(status.state)) {
          const info = await this.snapshotInfo(repository, snapshot, { timeoutMs: 30_000 }).catch(() => undefined);
          throw new AppError('internal', `Snapshot ${snapshot} ended ${status.state}${info?.failures.length ? `: ${info.failures.slice(0, 3).join('; ')}` : ''}; ${status.shardsFailed} of ${status.shardsTotal} shards failed.`);
        }
        await pauseFor(pollMs, exec.signal, `Snapshot ${snapshot}`);
      }
    } catch (error) {
      // Nothing half-done stays in the repository: the snapshot goes (a running one is aborted by it).
      await this.deleteSnapshot(repository, snapshot, { timeoutMs: 30_000 }).then(
        () => log?.(`Snapshot ${snapshot} deleted from ${repository}.`),
        (cleanup: unknown) => log?.(`Snapshot ${snapshot} could not be deleted: ${cleanup instanceof Error ? cleanup.message : String(cleanup)}`),
      );
      throw error;
    }
  }

  async listSlmPolicies(options: ExecutionOptions = {}): Promise<SlmPolicy[]> {
    return this.#request('slm.getLifecycle', options, (client, transport) => snapshots.listSlmPolicies(client, transport));
  }

  async deleteIndices(names: readonly string[], options: ExecutionOptions = {}): Promise<void> {
    this.#refuseWrite('Deleting indices');
    await this.#request('indices.delete', options, (client, transport) => snapshots.deleteIndices(client, names, transport));
  }

  #scope(scope: TenantScope | undefined): TenantScope | undefined {
    return scope ? parseTenantScope(scope) : undefined;
  }

  #refuseWrite(what: string): void {
    if (this.readOnly) throw new AppError('read_only', `${what} is a write, and this workspace is read-only (prod). Unlock writes first.`);
  }

  async #ensureClient(): Promise<Client> {
    if (this.#client) return this.#client;
    const client = await createElasticClient(this.#endpoint, this.#password, this.#connectTimeoutMs, {
      maxRetries: 1,
      // A desktop console waits for the answer it asked for; the operation's own timeout applies.
      requestTimeout: 0,
      ...(this.#options.connection ? { connection: this.#options.connection } : {}),
    });
    // Two first calls may both have waited for the options: the first client made is kept.
    if (this.#client) {
      void client.close().catch(() => undefined);
      return this.#client;
    }
    this.#client = client;
    return client;
  }

  async #check(timeoutMs: number): Promise<void> {
    const client = await this.#ensureClient();
    const started = performance.now();
    const info = await client.info(undefined, { requestTimeout: timeoutMs, maxRetries: 0 });
    this.#lifecycle.markConnected(info.version.number, Math.round((performance.now() - started) * 100) / 100);
  }

  async #ready(): Promise<Client> {
    if (!this.#client && !this.#lifecycle.closed) await this.connect();
    this.#lifecycle.assertUsable();
    if (!this.#client) throw new AppError('unreachable', `${this.#server} is not connected.`);
    return this.#client;
  }

  /**
   * Sends one request with the operation's signal and an X-Opaque-Id. On cancel or timeout, when
   * `cancelTasks` names the task action, running tasks with that id are cancelled too.
   */
  async #request<T>(
    what: string,
    options: ExecutionOptions,
    send: (client: Client, transport: { signal: AbortSignal; opaqueId: string; meta?: false }) => Promise<T>,
    cancel?: { cancelTasks: string },
  ): Promise<T> {
    const lease = await this.#lease(what, options, cancel?.cancelTasks);
    try {
      return await lease.deadline.race(send(lease.client, lease.transport), lease.what);
    } catch (error) {
      throw lease.fail(error);
    } finally {
      lease.release();
    }
  }

  /**
   * One operation's client, deadline and X-Opaque-Id, for one request or a run of pages. On cancel
   * or timeout, when `cancelTasks` names the task action, running tasks with that id are cancelled
   * too (the aborted HTTP request already makes the cluster cancel a search).
   */
  async #lease(what: string, options: ExecutionOptions, cancelTasks: string | undefined): Promise<ElasticRunLease & { fail(error: unknown): AppError; release(): void }> {
    const client = await this.#ready();
    const deadline = new Deadline(options, this.#options.defaultTimeoutMs);
    const opaqueId = `tenantscope-${randomUUID()}`;
    const label = `Elasticsearch ${what}`;
    this.#active.add(deadline);
    const cancel = (): void => {
      if (cancelTasks) void cancelTasksByOpaqueId(client, cancelTasks, opaqueId);
    };
    deadline.signal.addEventListener('abort', cancel, { once: true });
    return {
      client,
      deadline,
      transport: { signal: deadline.signal, opaqueId },
      what: label,
      fail: (error) => (deadline.reason ? deadline.error(label) : this.#mapError(error)),
      release: () => {
        deadline.signal.removeEventListener('abort', cancel);
        this.#active.delete(deadline);
        deadline.dispose();
      },
    };
  }

  #mapError(error: unknown): AppError {
    const mapped = toElasticError(error, this.#server);
    if (mapped.code === 'unreachable') this.#lifecycle.markDown(mapped.message);
    return mapped;
  }
}
