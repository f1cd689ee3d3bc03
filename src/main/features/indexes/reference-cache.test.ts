import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { murima2025 } from '@shared/tenancy';
import type { PostgresSession } from '../../stores/postgres/face';
import { ReferenceCache } from './reference-cache';

/** A PostgreSQL of a given major version whose sessions either answer the reference read or are refused as read-only. */
function fakePostgres(major: number, readOnly: boolean) {
  let sessions = 0;
  return {
    get sessions() {
      return sessions;
    },
    query: async () => ({ columns: [{ name: 'v', dataTypeId: 23 }], rows: [[major]], rowCount: 1, command: 'SELECT' }),
    session: async <T>(work: (session: PostgresSession) => Promise<T>): Promise<T> => {
      sessions += 1;
      if (readOnly) throw new AppError('read_only', 'A schema change is a write, and this workspace is read-only (prod).');
      const session: PostgresSession = {
        pid: 1,
        run: async (sql: string) =>
          sql.includes('FROM live')
            ? { columns: ['tenant_id', 'schema', 'object', 'tbl', 'name', 'def'].map((name) => ({ name, dataTypeId: 25 })), rows: [['t', 's', 'index', 'cases', 'idx_cases_status', 'USING btree (status)']], rowCount: 1, command: 'SELECT' }
            : { columns: [], rows: [[true]], rowCount: 0, command: 'SELECT' },
      };
      return work(session);
    },
  };
}

describe('ReferenceCache', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('gives a read-only workspace the reference a writable one of the same major version kept, and refuses without one', async () => {
    directory = await mkdtemp(join(tmpdir(), 'tenantscope-reference-'));
    const cache = new ReferenceCache({ directory });
    await expect(cache.get('prod', fakePostgres(15, true), murima2025, {})).rejects.toMatchObject({ code: 'read_only', message: expect.stringContaining('writable workspace') });
    const built = await cache.get('dev', fakePostgres(15, false), murima2025, {});
    expect(built).toEqual([{ object: 'index', tbl: 'cases', name: 'idx_cases_status', def: 'USING btree (status)' }]);
    expect(await cache.get('prod', fakePostgres(15, true), murima2025, {})).toEqual(built);
    await expect(cache.get('prod-16', fakePostgres(16, true), murima2025, {})).rejects.toMatchObject({ code: 'read_only' });
  });

  it('builds once per workspace while fresh', async () => {
    const pg = fakePostgres(15, false);
    const cache = new ReferenceCache();
    await cache.get('dev', pg, murima2025, {});
    await cache.get('dev', pg, murima2025, {});
    expect(pg.sessions).toBe(1);
    cache.forget('dev');
    await cache.get('dev', pg, murima2025, {});
    expect(pg.sessions).toBe(2);
  });
});
