import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AppError } from '@shared/errors';
import type { PostgresEndpoint, StoreStatus } from '@shared/model/workspace';
import type { CatalogEntry } from '@shared/model/workbench';
import { parseTenantScope, type TenantScope } from '@shared/model/tenant-scope';
import { DEFAULT_CONNECT_BACKOFF, type BackoffPolicy } from '../backoff';
import { Deadline, type ExecutionOptions } from '../execution';
import { closeStore, StoreLifecycle, type StatusListener } from '../lifecycle';
import type { UserQueryPart } from '../user-query';
import { createPostgresClient, createPostgresPool, postgresClientConfig } from './client';
import { createBackendCanceller, type BackendCanceller } from './cancel';
import { copyLine } from './copy-format';
import { explainOnLease, type ExplainRequest } from './explain';
import { toPostgresError } from './errors';
import type { PostgresFace, PostgresUserQueryOptions } from './face';
import { runSession, type SessionWork } from './session';
import { guarded, leaseError, openLease, type Lease, type LeaseContext, type LeaseShape } from './lease';
import { columnsOf, quoteIdentifier, runUserSql, type ExtendedQuery } from './statements';
import type { ExplainResult, QueryResult, RowBatch, TableName } from './types';
import { readUserCatalog } from './user-catalog';
import { refuseWrite, runOnLease, runOutsideTransaction, userRunError, validUserRun, type ValidUserRun } from './user-run';
import { checkUserStatement, type CheckedStatement } from './user-statement';
import { TypeNames } from './user-types';
import { PostgresTools, type ToolSearch } from './tools';

export type { ExplainResult, QueryColumn, QueryResult, RowBatch, TableName } from './types';

const FIRST_BATCH_ROWS = 200;

export interface PostgresStoreOptions {
  /** A prod workspace: every statement runs in a `BEGIN READ ONLY` transaction. */
  readOnly?: boolean;
  /** Applied when an operation gives no `timeoutMs`; none when absent. */
  defaultTimeoutMs?: number;
  /** How long one connection attempt may take. Default 5000 ms. */
  connectTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /**
   * Retires a pooled connection after this many leases. A bulk loader wants it: a session that
   * created thousands of tables keeps catalog caches of all of them, and every later DDL statement
   * costs it more (a demo schema script took 3 to 4 times as long on a long-lived session).
   */
  connectionMaxUses?: number;
}

/**
 * PostgreSQL as a data service: a pool sized from the endpoint, every operation cancellable on
 * the server (`pg_cancel_backend` from a second connection), tenant scope applied inside a
 * transaction, READ ONLY transactions for prod workspaces, and failures as stable AppError codes.
 */
export class PostgresStore implements PostgresFace {
  readonly #endpoint: PostgresEndpoint;
  readonly #password: string | undefined;
  readonly #options: PostgresStoreOptions;
  readonly #lifecycle: StoreLifecycle;
  readonly #active = new Set<Deadline>();
  readonly #typeNames = new TypeNames();
  #pool: pg.Pool | undefined;
  #config: pg.ClientConfig | undefined;
  #canceller: BackendCanceller | undefined;

  constructor(endpoint: PostgresEndpoint, secret: { password?: string }, options: PostgresStoreOptions = {}) {
    this.#endpoint = endpoint;
    this.#password = secret.password;
    this.#options = options;
    const backoff = options.backoff ?? DEFAULT_CONNECT_BACKOFF;
    this.#lifecycle = new StoreLifecycle('postgres', () => this.#check({ timeoutMs: this.#connectTimeoutMs }).then(() => undefined), backoff);
  }

  get readOnly(): boolean {
    return this.#options.readOnly === true;
  }

  /** The client programs (pg_dump, pg_restore, psql) against this endpoint, read-only when this store is. */
  tools(search?: ToolSearch): PostgresTools {
    return new PostgresTools(this.#endpoint, this.#password, { readOnly: this.readOnly, ...(search ? { search } : {}) });
  }

  get #connectTimeoutMs(): number {
    return this.#options.connectTimeoutMs ?? 5000;
  }

  get #server(): string {
    return `PostgreSQL at ${this.#endpoint.host}:${this.#endpoint.port}`;
  }

  /** The state the status bar shows: connected, degraded, down (with the reason). */
  status(): StoreStatus {
    return this.#lifecycle.status();
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onStatus(listener: StatusListener): () => void {
    return this.#lifecycle.onStatus(listener);
  }

  /**
   * Opens the pool and checks the server, retrying transient failures with backoff and jitter.
   * Idempotent: a second call while connecting or connected returns the same outcome.
   */
  async connect(options: ExecutionOptions = {}): Promise<StoreStatus> {
    if (!this.#lifecycle.connecting && this.#pool && (this.#lifecycle.state === 'connected' || this.#lifecycle.state === 'degraded')) return this.status();
    await this.#lifecycle.connectOnce({
      attempt: async () => {
        await this.#ensurePool();
        await this.#check({ ...options, timeoutMs: options.timeoutMs ?? this.#connectTimeoutMs });
      },
      toError: (error) => toPostgresError(error, this.#server),
      policy: this.#options.backoff ?? DEFAULT_CONNECT_BACKOFF,
      signal: options.signal,
    });
    return this.status();
  }

  /** Stops running statements, stops reconnecting and closes every pooled connection. */
  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await closeStore(this.#lifecycle, this.#active, () => pool?.end());
  }

  /** Server version, round trip and state, checked now. */
  health(options: ExecutionOptions = {}): Promise<StoreStatus> {
    return this.#lifecycle.checkHealth(
      () => this.#check({ ...options, timeoutMs: options.timeoutMs ?? this.#connectTimeoutMs }),
      (error) => toPostgresError(error, this.#server),
    );
  }

  /**
   * Runs one statement and returns every row. With a scope it runs in the tenant's schema with
   * `app.current_tenant_id` set; with parameters, a scope or read-only it must be one statement.
   */
  async query(sql: string, params: readonly unknown[] = [], scope?: TenantScope, options: ExecutionOptions = {}): Promise<QueryResult> {
    const validScope = scope ? parseTenantScope(scope) : undefined;
    const lease = await this.#lease('The query', options, { scope: validScope });
    let ok = false;
    try {
      const result = await this.#run(lease, sql, params, !validScope && !this.readOnly);
      ok = true;
      return result;
    } catch (error) {
      throw this.#mapError(error, lease.deadline, 'The query');
    } finally {
      await lease.finish(ok);
    }
  }

  /**
   * Streams a result in batches through a server-side cursor, so a million rows never sit in
   * memory: a first batch of at most 200 rows, then `batchSize` (default 1000). Stopping the
   * iteration early closes the cursor; `timeoutMs` covers the whole stream.
   */
  async *stream(
    sql: string,
    params: readonly unknown[] = [],
    scope?: TenantScope,
    options: ExecutionOptions & { batchSize?: number } = {},
  ): AsyncGenerator<RowBatch, void, undefined> {
    const batchSize = Math.max(1, Math.min(options.batchSize ?? 1000, 100_000));
    const validScope = scope ? parseTenantScope(scope) : undefined;
    const lease = await this.#lease('The query', options, { scope: validScope, transaction: true });
    let ok = false;
    try {
      const body = sql.trim().replace(/;+\s*$/, '');
      const declare: ExtendedQuery = { text: `DECLARE tenantscope_cursor NO SCROLL CURSOR FOR ${body}`, values: [...params], rowMode: 'array', queryMode: 'extended' };
      await this.#guard(lease, lease.client.query(declare));
      // A small first batch puts rows on screen at once; the rest come in full batches.
      for (let size = Math.min(batchSize, FIRST_BATCH_ROWS); ; size = batchSize) {
        // The deadline may have fired while the consumer held a batch: nothing was running to cancel then.
        lease.deadline.throwIfStopped('The query');
        const batch = await this.#guard(lease, lease.client.query({ text: `FETCH ${size} FROM tenantscope_cursor`, rowMode: 'array' }));
        if (batch.rows.length > 0) yield { columns: columnsOf(batch.fields), rows: batch.rows as unknown[][] };
        if (batch.rows.length < size) break;
      }
      ok = true;
    } catch (error) {
      throw this.#mapError(error, lease.deadline, 'The query');
    } finally {
      await lease.finish(ok);
    }
  }

  /**
   * Bulk-loads rows with `COPY … FROM STDIN` (text format). Identifiers are quoted; rows may be
   * an array or an async iterable, streamed with backpressure. Returns the rows written.
   */
  async copyRows(
    table: TableName,
    columns: readonly string[],
    rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>,
    options: ExecutionOptions = {},
  ): Promise<number> {
    this.#refuseWrite('COPY into a table');
    if (columns.length === 0) throw new AppError('invalid_argument', 'COPY needs at least one column.');
    const lease = await this.#lease('The COPY', options, { transaction: true });
    let ok = false;
    try {
      const ident = quoteIdentifier;
      const sql = `COPY ${ident(table.schema)}.${ident(table.name)} (${columns.map(ident).join(', ')}) FROM STDIN`;
      const target = lease.client.query(copyFrom(sql));
      const width = columns.length;
      async function* lines(): AsyncGenerator<string> {
        let index = 0;
        for await (const row of rows) yield copyLine(row, width, index++);
      }
      await this.#guard(lease, pipeline(Readable.from(lines()), target, { signal: lease.deadline.signal }));
      ok = true;
      return target.rowCount;
    } catch (error) {
      lease.spoil();
      throw this.#mapError(error, lease.deadline, 'The COPY');
    } finally {
      await lease.finish(ok);
    }
  }

  /** Runs DDL or any statement whose rows do not matter; returns the command tag and count. */
  async execute(sql: string, params: readonly unknown[] = [], options: ExecutionOptions = {}): Promise<{ command: string; rowCount: number | null }> {
    const lease = await this.#lease('The statement', options, {});
    let ok = false;
    try {
      const { command, rowCount } = await this.#run(lease, sql, params, !this.readOnly);
      ok = true;
      return { command, rowCount };
    } catch (error) {
      throw this.#mapError(error, lease.deadline, 'The statement');
    } finally {
      await lease.finish(ok);
    }
  }

  /**
   * The plan of one statement, in the tenant's scope when given: `EXPLAIN (SETTINGS, FORMAT JSON)`,
   * and with `analyze` `EXPLAIN (ANALYZE, BUFFERS, SETTINGS, FORMAT JSON)` inside a transaction that
   * is always rolled back. A statement that writes is analysed only with `analyzeWrites`, and never
   * on a read-only store. One statement only: the extended protocol refuses a second.
   */
  async explain(
    sql: string,
    params: readonly unknown[] = [],
    scope?: TenantScope,
    options: ExecutionOptions & ExplainRequest = {},
  ): Promise<ExplainResult> {
    const validScope = scope ? parseTenantScope(scope) : undefined;
    const lease = await this.#lease('EXPLAIN', options, { scope: validScope, transaction: true, rollback: true });
    let ok = false;
    try {
      const outcome = await explainOnLease((text) => this.#run(lease, text, params, false), sql, options, this.readOnly);
      ok = true;
      return outcome;
    } catch (error) {
      throw this.#mapError(error, lease.deadline, 'EXPLAIN');
    } finally {
      await lease.finish(ok);
    }
  }

  /**
   * A statement a person typed in the workbench, for one tenant: parsed and judged before anything
   * is sent, run in the scope's transaction (READ ONLY unless `write`, always on a read-only store)
   * with the timeout as the server's statement_timeout too, read through a portal batch by batch as
   * the consumer pulls. A write commits when the statement completed (its rows read or cut at the
   * limit); a read, or a run the consumer stopped early, rolls back.
   */
  async *runUser(sql: string, scope: TenantScope, options: PostgresUserQueryOptions): AsyncGenerator<UserQueryPart, void, undefined> {
    const run = validUserRun(sql, scope, options, this.readOnly);
    const checked = await checkUserStatement(sql, run.policy);
    refuseWrite(checked, run.write ? false : this.readOnly, run.write);
    if (checked.outsideTransaction) {
      yield* this.#runOutsideTransaction(sql, checked, run, options);
      return;
    }
    const lease = await this.#lease('The query', options, { scope: run.scope, transaction: true, readOnly: !run.write, rollback: !run.write });
    let completed = false;
    try {
      const context = { types: this.#typeNames, sideQuery: (text: string, values: unknown[]) => this.#sideQuery(text, values, lease.deadline.signal), guard: <T>(work: Promise<T>) => this.#guard(lease, work) };
      for await (const part of runOnLease(lease, sql, checked, run.policy, options, context)) {
        // A cut result is a completed statement: a write that returned more rows than the limit still commits.
        if (part.kind === 'truncated') completed = true;
        yield part;
      }
      completed = true;
    } catch (error) {
      throw userRunError(error, this.#mapError(error, lease.deadline, 'The query'));
    } finally {
      await lease.finish(completed);
    }
  }

  /** A write PostgreSQL refuses inside a transaction block, on a session of its own (see `runOutsideTransaction`). */
  async *#runOutsideTransaction(sql: string, checked: CheckedStatement, run: ValidUserRun, options: PostgresUserQueryOptions): AsyncGenerator<UserQueryPart, void, undefined> {
    const lease = await this.#lease('The statement', options, {});
    let ok = false;
    try {
      yield* runOutsideTransaction(lease, sql, checked, run.policy, run.scope, { guard: <T>(work: Promise<T>) => this.#guard(lease, work) });
      ok = true;
    } catch (error) {
      throw userRunError(error, this.#mapError(error, lease.deadline, 'The statement'));
    } finally {
      await lease.finish(ok);
    }
  }

  /** The tenant schema's tables, views and partitioned tables with their columns, in one catalog query. */
  async userCatalog(scope: TenantScope, options: ExecutionOptions = {}): Promise<CatalogEntry[]> {
    const validScope = parseTenantScope(scope);
    const schema = validScope.postgres?.schema;
    if (!schema) throw new AppError('invalid_argument', `The tenant scope of ${validScope.tenantId} says nothing about PostgreSQL.`);
    const lease = await this.#lease('The catalog', options, { scope: validScope, transaction: true, readOnly: true });
    let ok = false;
    try {
      const entries = await this.#guard(lease, readUserCatalog(lease.client, schema));
      ok = true;
      return entries;
    } catch (error) {
      throw this.#mapError(error, lease.deadline, 'The catalog');
    } finally {
      await lease.finish(ok);
    }
  }

  /** A short query on a connection of its own, for what the run's connection cannot do while its cursor is open. */
  async #sideQuery(text: string, values: unknown[], signal: AbortSignal): Promise<{ oid: number; name: string }[]> {
    if (!this.#config) throw new AppError('unreachable', `${this.#server} is not connected.`);
    const client = createPostgresClient({ ...this.#config, application_name: 'Tenantscope catalog' });
    const deadline = new Deadline({ signal, timeoutMs: this.#connectTimeoutMs });
    try {
      await deadline.race(client.connect(), 'The type lookup');
      const result = await deadline.race(client.query<{ oid: number; name: string }>(text, values), 'The type lookup');
      return result.rows;
    } finally {
      deadline.dispose();
      await client.end().catch(() => undefined);
    }
  }

  /** A session of its own for statements that must share one (see `PostgresSession`); never on a read-only store. */
  async session<T>(work: SessionWork<T>, options: ExecutionOptions = {}): Promise<T> {
    this.#refuseWrite('A schema change');
    const lease = await this.#lease('The session', options, {});
    return runSession(lease, (sql, params) => this.#run(lease, sql, params, false), (error) => this.#mapError(error, lease.deadline, 'The statement'), work);
  }

  #refuseWrite(what: string): void {
    if (this.readOnly) throw new AppError('read_only', `${what} is a write, and this workspace is read-only (prod). Unlock writes first.`);
  }

  async #ensurePool(): Promise<pg.Pool> {
    if (this.#pool) return this.#pool;
    const config = await postgresClientConfig(this.#endpoint, this.#password, { connectTimeoutMs: this.#connectTimeoutMs, applicationName: 'Tenantscope' });
    if (this.#pool) return this.#pool;
    this.#config = config;
    this.#canceller = createBackendCanceller(config);
    // An idle pooled connection that dies (server restart) must not crash the process.
    this.#pool = createPostgresPool(
      {
        ...config,
        keepAlive: true,
        max: this.#endpoint.poolSize,
        idleTimeoutMillis: 30_000,
        ...(this.#options.connectionMaxUses && { maxUses: this.#options.connectionMaxUses }),
      },
      (error) => this.#lifecycle.markDegraded(toPostgresError(error, this.#server).message),
    );
    return this.#pool;
  }

  async #check(options: ExecutionOptions): Promise<void> {
    const pool = await this.#ensurePool();
    const deadline = new Deadline(options);
    try {
      const started = performance.now();
      const result = await deadline.race(pool.query<{ server_version: string }>('SHOW server_version'), 'The connection check');
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      this.#lifecycle.markConnected(result.rows[0]?.server_version, latencyMs);
    } finally {
      deadline.dispose();
    }
  }

  /** Takes a pooled session (connecting first if needed), starts the transaction and applies the scope. */
  async #lease(what: string, options: ExecutionOptions, shape: LeaseShape): Promise<Lease> {
    if (!this.#pool && !this.#lifecycle.closed) await this.connect({ signal: options.signal });
    this.#lifecycle.assertUsable();
    const pool = this.#pool;
    if (!pool) throw new AppError('unreachable', `${this.#server} is not connected.`);
    return openLease(this.#leaseContext, pool, what, options, shape);
  }

  get #leaseContext(): LeaseContext {
    return {
      lifecycle: this.#lifecycle,
      active: this.#active,
      canceller: this.#canceller,
      readOnly: this.readOnly,
      defaultTimeoutMs: this.#options.defaultTimeoutMs,
      server: this.#server,
    };
  }

  /** Runs user SQL on the lease; a statement that changed the session keeps it out of the pool. */
  async #run(lease: Lease, sql: string, params: readonly unknown[], allowScript: boolean): Promise<QueryResult> {
    const { result, changedSession } = await this.#guard(lease, runUserSql(lease.client, sql, params, allowScript));
    if (changedSession) lease.spoil();
    return result;
  }

  #guard<T>(lease: Lease, work: Promise<T>): Promise<T> {
    return guarded(this.#leaseContext, lease, work);
  }

  #mapError(error: unknown, deadline: Deadline, what: string): AppError {
    return leaseError(this.#server, error, deadline, what);
  }
}
