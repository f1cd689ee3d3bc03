import type { MongoClient } from 'mongodb';
import type { AppError } from '@shared/errors';
import { Deadline, type ExecutionOptions } from '../execution';
import type { MongoRunLease } from './user-query';

/** A session lent to one operation, however long it streams. */
export interface MongoSessionLease extends MongoRunLease {
  client: MongoClient;
  /** The console's error for anything the operation threw: the deadline's when it stopped it. */
  fail(error: unknown): AppError;
  /** Ends the session; call it in `finally`. */
  release(): Promise<void>;
}

export interface LeaseContext {
  defaultTimeoutMs: number | undefined;
  /** The store's running operations, stopped when it closes. */
  active: Set<Deadline>;
  /** The store's reading of a driver error (and its lifecycle's reaction to it). */
  toError(error: unknown): AppError;
}

/**
 * One operation's session. When its deadline stops (cancel, timeout) the session is killed on
 * the server, which interrupts whatever it runs and frees its cursors (as killOp would).
 */
export function leaseSession(client: MongoClient, what: string, options: ExecutionOptions, context: LeaseContext): MongoSessionLease {
  const deadline = new Deadline(options, context.defaultTimeoutMs);
  const label = `MongoDB ${what}`;
  if (deadline.reason) {
    deadline.dispose();
    throw deadline.error(label);
  }
  const session = client.startSession();
  context.active.add(deadline);
  const kill = (): void => {
    const id = session.id;
    if (!id) return;
    client
      .db('admin')
      .command({ killSessions: [id] })
      .catch(() => undefined);
  };
  deadline.signal.addEventListener('abort', kill, { once: true });
  return {
    client,
    session,
    deadline,
    what: label,
    fail: (error) => (deadline.reason ? deadline.error(label) : context.toError(error)),
    release: async () => {
      deadline.signal.removeEventListener('abort', kill);
      context.active.delete(deadline);
      deadline.dispose();
      await session.endSession().catch(() => undefined);
    },
  };
}
