import { AppError } from '@shared/errors';
import type { Lease } from './lease';
import type { QueryResult } from './types';

/**
 * One server session lent for a sequence of statements that must share it: its own `BEGIN` …
 * `COMMIT`, a `SET lock_timeout` for what follows, `CREATE INDEX CONCURRENTLY` (which refuses to
 * run inside a transaction block). The backend's pid lets a second connection watch it
 * (`pg_stat_progress_create_index`). The session is never returned to the pool: whatever it set
 * dies with it.
 */
export interface PostgresSession {
  readonly pid: number;
  /**
   * One statement through the extended protocol (values as parameters, never a second statement).
   * A server error comes back as an AppError with its SQLSTATE in the details, and the session stays usable.
   */
  run(sql: string, params?: readonly unknown[]): Promise<QueryResult>;
}

export type SessionWork<T> = (session: PostgresSession) => Promise<T>;

/** Runs `work` on the lease and always discards the connection afterwards. */
export async function runSession<T>(
  lease: Lease,
  run: (sql: string, params: readonly unknown[]) => Promise<QueryResult>,
  mapError: (error: unknown) => AppError,
  work: SessionWork<T>,
): Promise<T> {
  const pid = (lease.client as { processID?: number }).processID;
  if (pid === undefined) throw new AppError('internal', 'The PostgreSQL session has no backend pid.');
  const session: PostgresSession = {
    pid,
    run: async (sql, params = []) => {
      try {
        return await run(sql, params);
      } catch (error) {
        throw mapError(error);
      }
    },
  };
  let ok = false;
  try {
    const result = await work(session);
    ok = true;
    return result;
  } finally {
    lease.spoil();
    await lease.finish(ok);
  }
}
