import type { ClientSession, Document, Filter, IndexDescription, MongoClient, Sort } from 'mongodb';
import { AppError } from '@shared/errors';
import type { CatalogEntry } from '@shared/model/workbench';
import type { MongoEndpoint, StoreStatus } from '@shared/model/workspace';
import { parseTenantScope, type TenantScope } from '@shared/model/tenant-scope';
import { DEFAULT_CONNECT_BACKOFF, type BackoffPolicy } from '../backoff';
import { Deadline, type ExecutionOptions } from '../execution';
import { closeStore, StoreLifecycle, type StatusListener } from '../lifecycle';
import type { UserQueryOptions, UserQueryPart } from '../user-query';
import { toMongoError } from './errors';
import { collectionStats, listCollectionNames } from './catalog';
import { fromExtendedJson } from './extended-json';
import { documentOfLine, exportLines } from './dump';
import { extendedJsonReader } from './extended-json-reader';
import type { MongoCollectionStats, MongoFace, MongoFindOptions, RegisteredTenant, RegistryFields, TenantDocuments } from './face';
import { registeredTenants, tenantDocuments } from './tenant-catalog';
import { createMongoClient } from './client';
import { explainUserRequest } from './explain';
import { FIELD_SAMPLE_SIZE, sampledEntry, tenantCollections } from './user-catalog';
import { leaseSession, type MongoSessionLease } from './session-lease';
import { openUserCursor, streamUserCursor } from './user-query';
import { scopedUserRequest, type MongoUserRequest } from './user-request';
import { indexBuilds, setIndexHidden, type MongoIndexBuild } from './index-admin';
import { readIndexUsage, type CollectionIndexUsage } from './index-usage';
import { exportCollection, type CollectionExport } from './collection-export';
import {
  assertTarget,
  collectionsInScope,
  pipelineWrites,
  scopedDocuments,
  scopedFilter,
  scopedPipeline,
  scopedTarget,
  type MongoTarget,
} from './scope';

export type { MongoTarget } from './scope';

export interface MongoStoreOptions {
  /** A prod workspace: inserts, index builds and $out/$merge are refused before they are sent. */
  readOnly?: boolean;
  /** Applied when an operation gives no `timeoutMs` (and sent as maxTimeMS); none when absent. */
  defaultTimeoutMs?: number;
  /** Server selection and connect timeout. Default 5000 ms. */
  connectTimeoutMs?: number;
  backoff?: BackoffPolicy;
}

export interface FindOptions {
  projection?: Document;
  sort?: Sort;
  /** At most this many documents; default 1000, at most 100,000. */
  limit?: number;
  skip?: number;
}

const DEFAULT_FIND_LIMIT = 1000;
const MAX_FIND_LIMIT = 100_000;

/**
 * MongoDB as a data service. Every operation runs in its own session with maxTimeMS from its
 * timeout; cancelling or timing out kills that session on the server (`killSessions`), so the
 * work stops there. A tenant scope is merged into every filter and pipeline, and under a
 * collection-prefix scope a logical collection name becomes the tenant's collection; a read-only
 * store refuses writes before sending. The driver's own monitoring reconnects a lost server.
 */
export class MongoStore implements MongoFace {
  readonly #endpoint: MongoEndpoint;
  readonly #password: string | undefined;
  readonly #options: MongoStoreOptions;
  readonly #lifecycle: StoreLifecycle;
  readonly #active = new Set<Deadline>();
  #client: MongoClient | undefined;
  #everConnected = false;

  constructor(endpoint: MongoEndpoint, secret: { password?: string }, options: MongoStoreOptions = {}) {
    this.#endpoint = endpoint;
    this.#password = secret.password;
    this.#options = options;
    this.#lifecycle = new StoreLifecycle('mongo', async () => undefined, options.backoff ?? DEFAULT_CONNECT_BACKOFF);
  }

  get readOnly(): boolean {
    return this.#options.readOnly === true;
  }

  get #server(): string {
    return `MongoDB at ${this.#endpoint.hosts}`;
  }

  /** The state the status bar shows. */
  status(): StoreStatus {
    return this.#lifecycle.status();
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onStatus(listener: StatusListener): () => void {
    return this.#lifecycle.onStatus(listener);
  }

  /** Connects and runs `buildInfo`, retrying transient failures with backoff and jitter. Idempotent. */
  async connect(options: ExecutionOptions = {}): Promise<StoreStatus> {
    if (!this.#lifecycle.connecting && this.#client && this.#lifecycle.state === 'connected') return this.status();
    const timeoutMs = options.timeoutMs ?? this.#options.connectTimeoutMs ?? 5000;
    await this.#lifecycle.connectOnce({
      attempt: async () => {
        const client = await this.#ensureClient(timeoutMs);
        await client.connect();
        await this.#check(client, timeoutMs);
      },
      toError: (error) => toMongoError(error, this.#server),
      policy: this.#options.backoff ?? DEFAULT_CONNECT_BACKOFF,
      signal: options.signal,
      // The driver keeps monitoring the servers and reconnects by itself.
      reconnectInBackground: false,
    });
    return this.status();
  }

  /** Kills running operations, then closes the client and its pool. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await closeStore(this.#lifecycle, this.#active, () => client?.close());
  }

  /** Server version, round trip and state, checked now. */
  health(options: ExecutionOptions = {}): Promise<StoreStatus> {
    return this.#lifecycle.checkHealth(
      async () => this.#check(await this.#ready(), options.timeoutMs ?? this.#options.connectTimeoutMs ?? 5000),
      (error) => toMongoError(error, this.#server),
      // The driver keeps monitoring the servers and reconnects by itself.
      false,
    );
  }

  /** Documents matching `filter` (AND the tenant condition), at most `limit` (default 1000). */
  async find(logical: MongoTarget, filter: Filter<Document> = {}, find: FindOptions = {}, scope?: TenantScope, options: ExecutionOptions = {}): Promise<Document[]> {
    const valid = this.#scope(scope);
    const target = this.#target(logical, valid);
    const query = scopedFilter(filter, valid, target.collection);
    const limit = Math.max(1, Math.min(find.limit ?? DEFAULT_FIND_LIMIT, MAX_FIND_LIMIT));
    return this.#withSession('find', options, (client, session, maxTimeMS) =>
      client
        .db(target.database)
        .collection(target.collection)
        .find(query, { session, limit, ...(maxTimeMS ? { maxTimeMS } : {}), ...(find.projection ? { projection: find.projection } : {}), ...(find.sort ? { sort: find.sort } : {}), ...(find.skip ? { skip: find.skip } : {}) })
        .toArray(),
    );
  }

  /**
   * `find` with a filter written in canonical Extended JSON (`{ $oid }`, `{ $date }`): the values
   * become driver values first, so `{ _id: { $oid } }` matches the ObjectId it names.
   */
  findExtendedJson(target: MongoTarget, filter: Record<string, unknown>, find: MongoFindOptions, scope?: TenantScope, options: ExecutionOptions = {}): Promise<Document[]> {
    return extendedJsonReader(this).find(target, filter, find, scope, options);
  }

  /** Counts documents matching `filter` (AND the tenant condition). */
  async countDocuments(logical: MongoTarget, filter: Filter<Document> = {}, scope?: TenantScope, options: ExecutionOptions = {}): Promise<number> {
    const valid = this.#scope(scope);
    const target = this.#target(logical, valid);
    const query = scopedFilter(filter, valid, target.collection);
    return this.#withSession('count', options, (client, session, maxTimeMS) =>
      client.db(target.database).collection(target.collection).countDocuments(query, { session, ...(maxTimeMS ? { maxTimeMS } : {}) }),
    );
  }

  /**
   * Runs an aggregation. With a scope a leading `$match` on the tenant is added and stages that
   * reach other collections are refused; on a read-only store `$out`/`$merge` are refused.
   */
  async aggregate(logical: MongoTarget, pipeline: readonly Document[], scope?: TenantScope, options: ExecutionOptions = {}): Promise<Document[]> {
    const valid = this.#scope(scope);
    const target = this.#target(logical, valid);
    if (this.readOnly && pipelineWrites(pipeline)) this.#refuseWrite('An aggregation with $out or $merge');
    const stages = scopedPipeline(pipeline, valid, target.collection);
    return this.#withSession('aggregate', options, (client, session, maxTimeMS) =>
      client.db(target.database).collection(target.collection).aggregate(stages, { session, ...(maxTimeMS ? { maxTimeMS } : {}) }).toArray(),
    );
  }

  /** Inserts documents in order; with a scope each gets the tenant field. Refused on a read-only store. */
  async insertMany(logical: MongoTarget, documents: readonly Document[], scope?: TenantScope, options: ExecutionOptions = {}): Promise<{ insertedCount: number }> {
    this.#refuseWrite('Inserting documents');
    const valid = this.#scope(scope);
    const target = this.#target(logical, valid);
    const prepared = scopedDocuments(documents, valid, target.collection);
    if (prepared.length === 0) return { insertedCount: 0 };
    const result = await this.#withSession('insertMany', options, (client, session) =>
      client.db(target.database).collection(target.collection).insertMany(prepared, { session, ordered: true }),
    );
    return { insertedCount: result.insertedCount };
  }

  /**
   * Inserts documents written in canonical Extended JSON (`{ $oid }`, `{ $date }`): they become
   * ObjectIds and dates before they are sent, so callers outside this room need no driver types.
   */
  async insertExtendedJson(target: MongoTarget, documents: ReadonlyArray<Record<string, unknown>>, scope?: TenantScope, options: ExecutionOptions = {}): Promise<{ insertedCount: number }> {
    this.#refuseWrite('Inserting documents');
    return this.insertMany(target, documents.map(fromExtendedJson), scope, options);
  }

  /** Builds indexes (TTL, unique, compound, text…); returns their names. Refused on a read-only store. */
  async createIndexes(target: MongoTarget, indexes: readonly IndexDescription[], options: ExecutionOptions = {}): Promise<string[]> {
    this.#refuseWrite('Building indexes');
    assertTarget(target);
    if (indexes.length === 0) return [];
    return this.#withSession('createIndexes', options, (client, session, maxTimeMS) =>
      client.db(target.database).collection(target.collection).createIndexes([...indexes], { session, ...(maxTimeMS ? { maxTimeMS } : {}) }),
    );
  }

  /** The indexes of a collection as the server describes them. */
  async listIndexes(target: MongoTarget, options: ExecutionOptions = {}): Promise<Document[]> {
    assertTarget(target);
    return this.#withSession('listIndexes', options, (client, session, maxTimeMS) =>
      client.db(target.database).collection(target.collection).listIndexes({ session, ...(maxTimeMS ? { maxTimeMS } : {}) }).toArray(),
    );
  }

  /** Hides or unhides an index (`collMod`); refused on a read-only store. */
  setIndexHidden(target: MongoTarget, name: string, hidden: boolean, options: ExecutionOptions = {}): Promise<void> {
    this.#refuseWrite('Hiding or unhiding an index');
    assertTarget(target);
    return this.#withSession('collMod', options, (client, session, maxTimeMS) => setIndexHidden(client, session, target, name, hidden, maxTimeMS));
  }

  /** Drops one index by name (`dropIndexes`); refused on a read-only store. */
  async dropIndex(target: MongoTarget, name: string, options: ExecutionOptions = {}): Promise<void> {
    this.#refuseWrite('Dropping an index');
    assertTarget(target);
    await this.#withSession('dropIndexes', options, (client, session, maxTimeMS) =>
      client.db(target.database).collection(target.collection).dropIndex(name, { session, ...(maxTimeMS ? { maxTimeMS } : {}) }),
    );
  }

  /** Index builds running on a collection, from `currentOp`. */
  indexBuilds(target: MongoTarget, options: ExecutionOptions = {}): Promise<MongoIndexBuild[]> {
    assertTarget(target);
    return this.#withSession('currentOp', options, (client, session) => indexBuilds(client, session, target));
  }

  /** A whole collection as gzip canonical Extended JSON in `file`, with its SHA-256; killed on the server on cancel. */
  async exportCollection(target: MongoTarget, file: string, options: ExecutionOptions = {}): Promise<CollectionExport> {
    assertTarget(target);
    const lease = await this.#lease('export', options);
    try {
      return await exportCollection(lease.client.db(target.database).collection(target.collection), file, lease);
    } catch (error) {
      throw lease.fail(error);
    } finally {
      await lease.release();
    }
  }

  /** Drops a collection; false when there was none. Refused on a read-only store. */
  async dropCollection(target: MongoTarget, options: ExecutionOptions = {}): Promise<boolean> {
    this.#refuseWrite('Dropping a collection');
    assertTarget(target);
    return this.#withSession('drop', options, async (client, session) => {
      const found = await client.db(target.database).listCollections({ name: target.collection }, { nameOnly: true, session }).toArray();
      if (found.length === 0) return false;
      return client.db(target.database).collection(target.collection).drop({ session });
    });
  }

  /** Collections of a database (names and types); with a scope only the tenant's. */
  async listCollections(database: string, scope?: TenantScope, options: ExecutionOptions = {}): Promise<{ name: string; type: string }[]> {
    assertTarget({ database, collection: 'x' });
    const valid = this.#scope(scope);
    const listed = await this.#withSession('listCollections', options, (client, session) =>
      client.db(database).listCollections({}, { nameOnly: true, session }).toArray(),
    );
    const names = new Set(collectionsInScope(listed.map((c) => c.name), valid));
    return listed.filter((c) => names.has(c.name) && !c.name.startsWith('system.')).map((c) => ({ name: c.name, type: c.type ?? 'collection' }));
  }

  /** Index sizes and accesses of many collections, eight at a time: MongoDB keeps them per collection. */
  indexUsage(database: string, collections: readonly string[], options: ExecutionOptions = {}): Promise<CollectionIndexUsage[]> {
    return readIndexUsage(this, database, collections, options);
  }

  /** Names of a database's collections, views left out; unscoped. */
  listCollectionNames(database: string, options: ExecutionOptions = {}): Promise<string[]> {
    return listCollectionNames(this, database, options);
  }

  /** Count and data size of one collection from `$collStats`; unscoped. */
  collectionStats(target: MongoTarget, options: ExecutionOptions = {}): Promise<MongoCollectionStats> {
    return collectionStats(this, target, options);
  }

  /** Documents per tenant in one collection; with a scope, that tenant's only. */
  tenantDocuments(target: MongoTarget, field: string, scope?: TenantScope, options: ExecutionOptions = {}): Promise<TenantDocuments[]> {
    return tenantDocuments(this, target, field, this.#scope(scope), options);
  }

  /** The tenants a registry collection names; with a scope, that tenant's entry only. */
  registeredTenants(target: MongoTarget, fields: RegistryFields, scope?: TenantScope, options: ExecutionOptions = {}): Promise<RegisteredTenant[]> {
    return registeredTenants(this, target, fields, this.#scope(scope), options);
  }

  /**
   * A workbench find or aggregate for one tenant, streamed in cursor batches as relaxed Extended
   * JSON. Refusals (escapes, server-side JavaScript, writes without `write`) happen before anything
   * is sent; cancel and timeout kill the session, and with it the cursor, on the server.
   */
  async *runUser(logical: MongoTarget, request: MongoUserRequest, scope: TenantScope, options: UserQueryOptions): AsyncGenerator<UserQueryPart, void, undefined> {
    const valid = parseTenantScope(scope);
    const target = this.#target(logical, valid);
    const scoped = scopedUserRequest(request, valid, { target, write: options.write && !this.readOnly });
    const lease = await this.#lease('workbench run', options);
    try {
      const { cursor, limits } = openUserCursor(lease.client.db(target.database).collection(target.collection), scoped, lease, options);
      yield* streamUserCursor(cursor, limits, lease);
      if (scoped.operation === 'aggregate' && scoped.writes) yield { kind: 'notice', text: 'The pipeline wrote its result with $out or $merge.' };
    } catch (error) {
      throw lease.fail(error);
    } finally {
      await lease.release();
    }
  }

  /** The tenant's collections by logical name; with a collection, its fields from a sample of the tenant's documents. */
  async userCatalog(database: string, scope: TenantScope, collection?: string, options: ExecutionOptions = {}): Promise<CatalogEntry[]> {
    const valid = parseTenantScope(scope);
    if (collection === undefined) return tenantCollections(this, database, valid, options);
    // Built as a workbench aggregate, so a collection outside the tenant's is refused the same way.
    const target = this.#target({ database, collection }, valid);
    const sample = scopedUserRequest({ operation: 'aggregate', text: JSON.stringify([{ $sample: { size: FIELD_SAMPLE_SIZE } }]) }, valid, { target, write: false });
    const pipeline = sample.operation === 'aggregate' ? sample.pipeline : [];
    const documents = await this.#withSession('sample', options, (client, session, maxTimeMS) =>
      client.db(target.database).collection(target.collection).aggregate(pipeline, { session, ...(maxTimeMS ? { maxTimeMS } : {}) }).toArray(),
    );
    return [sampledEntry(target.collection, documents, valid)];
  }

  /** `explain('executionStats')` of a workbench find or aggregate, with the run's scope and refusals; never writes. */
  async explainUser(logical: MongoTarget, request: MongoUserRequest, scope: TenantScope, options: ExecutionOptions = {}): Promise<unknown> {
    const valid = parseTenantScope(scope);
    const target = this.#target(logical, valid);
    const scoped = scopedUserRequest(request, valid, { target, write: false });
    const lease = await this.#lease('explain', options);
    try {
      return await explainUserRequest(lease.client.db(target.database).collection(target.collection), scoped, lease);
    } catch (error) {
      throw lease.fail(error);
    } finally {
      await lease.release();
    }
  }

  #scope(scope: TenantScope | undefined): TenantScope | undefined {
    return scope ? parseTenantScope(scope) : undefined;
  }

  /** The collection a call reaches: checked as named, resolved under the scope, checked again. */
  /** The tenant's documents of one collection as canonical Extended JSON lines, in batches (see MongoFace.exportCanonical). */
  async exportCanonical(logical: MongoTarget, scope: TenantScope, onBatch: (lines: string[]) => Promise<void>, options: ExecutionOptions & { batchSize?: number } = {}): Promise<number> {
    const valid = this.#scope(scope);
    const target = this.#target(logical, valid);
    const filter = scopedFilter({}, valid, target.collection);
    const batchSize = Math.max(1, Math.min(options.batchSize ?? 1000, 10_000));
    return this.#withSession('export', options, (client, session) => exportLines(client, session, target, filter, onBatch, batchSize));
  }

  /** Inserts canonical Extended JSON lines for the tenant; refused on a read-only store. */
  async importCanonical(target: MongoTarget, lines: readonly string[], scope: TenantScope, options: ExecutionOptions = {}): Promise<{ insertedCount: number }> {
    this.#refuseWrite('Restoring documents');
    return this.insertMany(target, lines.map((line, i) => documentOfLine(line, `Document ${i + 1}`)), scope, options);
  }

  /** Drops a database; refused on a read-only store. */
  async dropDatabase(database: string, options: ExecutionOptions = {}): Promise<void> {
    this.#refuseWrite('Dropping a database');
    assertTarget({ database, collection: 'x' });
    await this.#withSession('dropDatabase', options, (client, session) => client.db(database).dropDatabase({ session }));
  }

  #target(logical: MongoTarget, scope: TenantScope | undefined): MongoTarget {
    assertTarget(logical);
    const target = scopedTarget(logical, scope);
    assertTarget(target);
    return target;
  }

  #refuseWrite(what: string): void {
    if (this.readOnly) throw new AppError('read_only', `${what} is a write, and this workspace is read-only (prod). Unlock writes first.`);
  }

  async #ensureClient(timeoutMs: number): Promise<MongoClient> {
    if (this.#client) return this.#client;
    const client = await createMongoClient(this.#endpoint, this.#password, timeoutMs);
    // The driver monitors the servers and reconnects by itself; the lifecycle follows what it sees.
    client.on('topologyDescriptionChanged', (event) => {
      if (this.#lifecycle.closed) return;
      const description = event.newDescription;
      if (description.hasKnownServers) {
        if (this.#everConnected && this.#lifecycle.state === 'down') this.#lifecycle.markConnected();
      } else {
        const reason = [...description.servers.values()].map((s) => s.error?.message).find(Boolean) ?? 'no server answers';
        this.#lifecycle.markDown(toMongoError(new Error(reason), this.#server).message, false);
      }
    });
    this.#client = client;
    return client;
  }

  async #check(client: MongoClient, timeoutMs: number): Promise<void> {
    const started = performance.now();
    const info = await client.db('admin').command({ buildInfo: 1 }, { timeoutMS: timeoutMs });
    this.#everConnected = true;
    this.#lifecycle.markConnected(typeof info.version === 'string' ? info.version : undefined, Math.round((performance.now() - started) * 100) / 100);
  }

  async #ready(): Promise<MongoClient> {
    if (!this.#client && !this.#lifecycle.closed) await this.connect();
    this.#lifecycle.assertUsable();
    if (!this.#client) throw new AppError('unreachable', `${this.#server} is not connected.`);
    return this.#client;
  }

  /**
   * Runs one operation in its own session. On cancel or timeout the session is killed on the
   * server, which interrupts whatever it is running (the same as killOp on its operations).
   */
  async #withSession<T>(what: string, options: ExecutionOptions, work: (client: MongoClient, session: ClientSession, maxTimeMS: number | undefined) => Promise<T>): Promise<T> {
    const lease = await this.#lease(what, options);
    try {
      return await lease.deadline.race(work(lease.client, lease.session, lease.deadline.timeoutMs), lease.what);
    } catch (error) {
      throw lease.fail(error);
    } finally {
      await lease.release();
    }
  }

  /** A session for one operation, however long it streams: killed on the server when its deadline stops. */
  async #lease(what: string, options: ExecutionOptions): Promise<MongoSessionLease> {
    return leaseSession(await this.#ready(), what, options, {
      defaultTimeoutMs: this.#options.defaultTimeoutMs,
      active: this.#active,
      toError: (error) => {
        const mapped = toMongoError(error, this.#server);
        if (mapped.code === 'unreachable') this.#lifecycle.markDown(mapped.message, false);
        return mapped;
      },
    });
  }
}
