import type pg from 'pg';
import type { AppError } from '@shared/errors';
import type { TenantScope } from '@shared/model/tenant-scope';
import { Deadline, type ExecutionOptions } from '../execution';
import type { StoreLifecycle } from '../lifecycle';
import type { BackendCanceller } from './cancel';
import { toPostgresError } from './errors';
import { applyTenantScope } from './statements';

/**
 * One pooled session lent to one operation: its deadline (cancel or timeout stops the statement on
 * the server through the canceller), its transaction (READ ONLY on a prod workspace) and the
 * tenant scope applied in it. Kept apart from the store so the store reads as its operations.
 */
export interface Lease {
  client: pg.PoolClient;
  deadline: Deadline;
  /** Marks the session as not reusable: it is destroyed instead of returned to the pool. */
  spoil(): void;
  /** Ends the transaction (commit on success unless `rollback`), returns or destroys the client. */
  finish(ok: boolean): Promise<void>;
}

export interface LeaseShape {
  scope?: TenantScope | undefined;
  /** Wrap in a transaction even without scope or read-only (cursors, COPY, EXPLAIN ANALYZE). */
  transaction?: boolean;
  /** Roll back at the end whatever happens (EXPLAIN ANALYZE must leave nothing behind). */
  rollback?: boolean;
  /** A READ ONLY transaction even on a writable store (a workbench read). */
  readOnly?: boolean;
}

/** What a lease needs of its store. */
export interface LeaseContext {
  lifecycle: StoreLifecycle;
  /** The deadlines of running operations, stopped when the store closes. */
  active: Set<Deadline>;
  canceller: BackendCanceller | undefined;
  readOnly: boolean;
  defaultTimeoutMs: number | undefined;
  /** `PostgreSQL at host:port`, for messages. */
  server: string;
}

/** The AppError of a failed operation: its deadline's (cancelled, timeout) first, else the driver's. */
export function leaseError(server: string, error: unknown, deadline: Deadline, what: string): AppError {
  if (deadline.reason) return deadline.error(what);
  return toPostgresError(error, server);
}

/** Awaits driver work; a lost connection marks the store down so the next calls fail fast. */
export async function guarded<T>(context: LeaseContext, lease: Lease, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const mapped = leaseError(context.server, error, lease.deadline, 'The query');
    if (mapped.code === 'unreachable') {
      lease.spoil();
      context.lifecycle.markDown(mapped.message);
    }
    throw error;
  }
}

/** Takes a session from the pool, starts the transaction and applies the scope. */
export async function openLease(context: LeaseContext, pool: pg.Pool, what: string, options: ExecutionOptions, shape: LeaseShape): Promise<Lease> {
  const deadline = new Deadline(options, context.defaultTimeoutMs);
  const acquiring = pool.connect();
  let client: pg.PoolClient;
  try {
    client = await deadline.race(acquiring, what);
  } catch (error) {
    acquiring.then((late) => late.release(), () => undefined);
    deadline.dispose();
    throw leaseError(context.server, error, deadline, what);
  }
  context.active.add(deadline);
  let settled = false;
  let spoiled = false;
  let inTransaction = false;
  const pid = (client as pg.PoolClient & { processID?: number }).processID;
  const onStop = (): void => {
    if (pid === undefined || !context.canceller) {
      client.connection.stream.destroy();
      return;
    }
    void context.canceller(pid, () => settled, () => {
      spoiled = true;
      client.connection.stream.destroy();
    });
  };
  deadline.signal.addEventListener('abort', onStop, { once: true });
  // A leased connection that dies between statements emits 'error' with nobody listening (the
  // pool only watches idle ones); unheard, that would crash the process. The lease spoils instead.
  const onConnectionError = (error: Error): void => {
    spoiled = true;
    context.lifecycle.markDegraded(toPostgresError(error, context.server).message);
  };
  client.on('error', onConnectionError);
  const lease: Lease = {
    client,
    deadline,
    spoil: () => {
      spoiled = true;
    },
    finish: async (ok) => {
      settled = true;
      deadline.signal.removeEventListener('abort', onStop);
      try {
        if (inTransaction && !spoiled) {
          await client.query(ok && !shape.rollback ? 'COMMIT' : 'ROLLBACK').catch(() => {
            spoiled = true;
          });
        }
      } finally {
        client.off('error', onConnectionError);
        client.release(spoiled ? true : undefined);
        context.active.delete(deadline);
        deadline.dispose();
        // A pooled connection was lost earlier (degraded); work that went through shows the server is back.
        if (ok && context.lifecycle.state === 'degraded') context.lifecycle.markConnected();
      }
    },
  };
  try {
    if (shape.scope || shape.transaction || context.readOnly) {
      await guarded(context, lease, client.query(context.readOnly || shape.readOnly ? 'BEGIN READ ONLY' : 'BEGIN'));
      inTransaction = true;
    }
    if (shape.scope) await guarded(context, lease, applyTenantScope(client, shape.scope));
    return lease;
  } catch (error) {
    const mapped = leaseError(context.server, error, deadline, what);
    await lease.finish(false);
    throw mapped;
  }
}
