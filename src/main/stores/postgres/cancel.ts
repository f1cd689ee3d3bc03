import type pg from 'pg';
import { createPostgresClient } from './client';
import { sleep } from '../backoff';

export interface BackendCanceller {
  /** Asks the server to stop the backend's current statement; resolves when the work has stopped or been cut off. */
  (pid: number, stopped: () => boolean, destroySocket: () => void): Promise<void>;
}

/**
 * Stops a running statement on the server, not only the wait for it: `pg_cancel_backend(pid)` from
 * a second connection, repeated (a cancel that lands between statements is a no-op) until the
 * work has stopped. If the server cannot be reached to cancel, the client's socket is cut, which
 * also makes PostgreSQL drop the backend at its next write.
 */
export function createBackendCanceller(config: pg.ClientConfig, attempts = 10, intervalMs = 100): BackendCanceller {
  return async (pid, stopped, destroySocket) => {
    for (let attempt = 0; attempt < attempts && !stopped(); attempt++) {
      const admin = createPostgresClient({ ...config, application_name: 'Tenantscope cancel', connectionTimeoutMillis: 2000 });
      try {
        await admin.connect();
        // Terminate only as a last resort: cancelling keeps the pooled connection usable.
        const fn = attempt < attempts - 1 ? 'pg_cancel_backend' : 'pg_terminate_backend';
        await admin.query(`select ${fn}($1)`, [pid]);
      } catch {
        destroySocket();
        return;
      } finally {
        await admin.end().catch(() => undefined);
      }
      await sleep(intervalMs).catch(() => undefined);
    }
    if (!stopped()) destroySocket();
  };
}
