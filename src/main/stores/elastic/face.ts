import type { estypes } from '@elastic/elasticsearch';
import type { CatalogEntry } from '@shared/model/workbench';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../execution';
import type { StoreFace } from '../face';
import type { UserQueryOptions, UserQueryPart } from '../user-query';
import type { ElasticLifecycle } from './ilm';
import type { RepositoryDefinition, RepositoryVerification, RestoreRequest, SlmPolicy, SnapshotInfo, SnapshotProgress, SnapshotRepository } from './snapshots';

export type { RepositoryDefinition, RepositoryVerification, RestoreRequest, SlmPolicy, SnapshotInfo, SnapshotProgress, SnapshotRepository } from './snapshots';

/** One action of a bulk request. */
export type ElasticBulkOperation =
  | { action: 'index' | 'create'; index: string; id?: string; document: Record<string, unknown> }
  | { action: 'update'; index: string; id: string; document: Record<string, unknown> }
  | { action: 'delete'; index: string; id: string };

export interface ElasticIndexSummary {
  index: string;
  health: string;
  status: string;
  docsCount: number;
  storeSizeBytes: number;
}

/** One hit as `_search` returns it. */
export interface ElasticRawHit {
  _index: string;
  _id?: string | null;
  _source?: unknown;
}

/** The part of a `_search` reply the console reads; the store returns the whole reply. */
export interface ElasticSearchReply {
  hits: { hits: ElasticRawHit[] };
}

/**
 * Elasticsearch as the console sees it. With a scope, every request is confined to the tenant's
 * index pattern (the pattern itself when a search names no index, the tenant's prefix put on a
 * logical name such as `audit-logs*`); a read-only (prod) store
 * refuses writes before sending. Template and lifecycle methods speak the driver's request types,
 * which only the stores room and the demo seeds use.
 */
export interface ElasticFace extends StoreFace {
  search(index: string | undefined, request?: Omit<estypes.SearchRequest, 'index'>, scope?: TenantScope, options?: ExecutionOptions): Promise<ElasticSearchReply>;
  count(index: string | undefined, query: estypes.QueryDslQueryContainer | undefined, scope?: TenantScope, options?: ExecutionOptions): Promise<number>;
  bulk(operations: readonly ElasticBulkOperation[], scope?: TenantScope, options?: ExecutionOptions & { refresh?: boolean }): Promise<{ took: number; failed: Array<{ position: number; status: number; reason: string }> }>;
  deleteByQuery(index: string | undefined, query: estypes.QueryDslQueryContainer, scope?: TenantScope, options?: ExecutionOptions): Promise<{ deleted: number }>;
  /** Indices matching a pattern (the tenant's when scoped), with health, document count and size in bytes. */
  listIndices(pattern: string | undefined, scope?: TenantScope, options?: ExecutionOptions): Promise<ElasticIndexSummary[]>;
  /** The mappings of the indices a pattern matches (with a scope, only the tenant's), by index name. */
  getMappings(pattern: string | undefined, scope?: TenantScope, options?: ExecutionOptions): Promise<Record<string, estypes.MappingTypeMapping>>;
  createIndex(index: string, request?: Omit<estypes.IndicesCreateRequest, 'index'>, scope?: TenantScope, options?: ExecutionOptions): Promise<void>;
  putIndexTemplate(name: string, request: Omit<estypes.IndicesPutIndexTemplateRequest, 'name'>, options?: ExecutionOptions): Promise<void>;
  getIndexTemplates(name: string | undefined, options?: ExecutionOptions): Promise<estypes.IndicesGetIndexTemplateIndexTemplateItem[]>;
  putLifecyclePolicy(name: string, policy: estypes.IlmPolicy, options?: ExecutionOptions): Promise<void>;
  getLifecyclePolicies(name: string | undefined, options?: ExecutionOptions): Promise<estypes.IlmGetLifecycleResponse>;
  /**
   * A workbench search body (query DSL, sort, aggs, _source) on an index inside the tenant's
   * pattern, streamed through a point in time with `search_after`: hits as `{ _id, _index
   * (logical), ..._source }`, aggregations once as `{ _aggregations }` first. An index outside the
   * tenant's, and a body reading another index (`index` keys, document references, stored
   * scripts), are `forbidden` before anything is sent.
   */
  runUser(index: string, body: string, scope: TenantScope, options: UserQueryOptions): AsyncGenerator<UserQueryPart, void, undefined>;
  /** The tenant's indices and aliases (logical names) with their mapped fields. */
  userCatalog(scope: TenantScope, options?: ExecutionOptions): Promise<CatalogEntry[]>;
  /** The `_search` reply with `profile: true` for the same body, with the same confinement and refusals. */
  profileUser(index: string, body: string, scope: TenantScope, options?: ExecutionOptions): Promise<unknown>;
  /** ILM policies, explain, retry, rollover and templates (`ilm.ts`), across the cluster. */
  readonly ilm: ElasticLifecycle;
  /** Registered snapshot repositories with their type and settings. */
  listSnapshotRepositories(options?: ExecutionOptions): Promise<SnapshotRepository[]>;
  /** Registers (or changes) an fs or S3 repository; refused on a read-only store. */
  putSnapshotRepository(name: string, definition: RepositoryDefinition, options?: ExecutionOptions): Promise<void>;
  /** `_verify`: which nodes can write to the repository; a failure says why. */
  verifySnapshotRepository(name: string, options?: ExecutionOptions): Promise<RepositoryVerification>;
  /**
   * Starts a snapshot of the named indices (or all) without the global state, not waiting for it.
   * A snapshot copies segments to the repository and changes no index, so a read-only store takes it too.
   */
  startSnapshot(repository: string, snapshot: string, indices: string[] | '*', options?: ExecutionOptions): Promise<void>;
  snapshotStatus(repository: string, snapshot: string, options?: ExecutionOptions): Promise<SnapshotProgress>;
  snapshotInfo(repository: string, snapshot: string, options?: ExecutionOptions): Promise<SnapshotInfo>;
  /**
   * Polls `_status` every `pollMs` until the snapshot ends, calling `onProgress` with each answer.
   * A failed, partial or aborted snapshot — and a cancel — deletes it (aborting it on the cluster)
   * and throws, the reasons from `_snapshot/<repo>/<snap>` in the message.
   */
  followSnapshot(repository: string, snapshot: string, onProgress: (progress: SnapshotProgress) => void, options: ExecutionOptions & { pollMs: number; log?: (line: string) => void }): Promise<SnapshotProgress>;
  /** Deletes (or aborts) a snapshot; gone already is no error. Copies, not live data: a read-only store may. */
  deleteSnapshot(repository: string, snapshot: string, options?: ExecutionOptions): Promise<void>;
  /** Restores indices under new names and waits for the restore; refused on a read-only store. Returns the restored index names. */
  restoreSnapshot(repository: string, snapshot: string, request: RestoreRequest, options?: ExecutionOptions): Promise<string[]>;
  listSlmPolicies(options?: ExecutionOptions): Promise<SlmPolicy[]>;
  /** Deletes indices by exact name; refused on a read-only store. */
  deleteIndices(names: readonly string[], options?: ExecutionOptions): Promise<void>;
}
