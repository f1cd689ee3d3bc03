import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import type { JobContext, JobKind, JobResult } from '../jobs';
import { JustificationStore } from '../security/policy';
import type { QueryResult } from '../stores/postgres/types';
import { registerWriteJobs, routeWrites, whileUnlocked, withStartUnlock, type WritingPostgres } from './unlocked-writes';
import type { Writer } from './workspace-stores';

const ada: Writer = { operator: { name: 'Ada', email: 'ada@example.com' }, role: 'platform_admin' };
const WORKSPACE = 'prod-eu';
const reason = { reason: 'CHG-1: a change a colleague can check' };

describe('routeWrites', () => {
  it('answers write and schema-change methods with the caller’s writable service, everything else with the read one', async () => {
    const asked: Array<Writer | undefined> = [];
    const serviceFor = (writer?: Writer) => ({
      run: async () => `run on ${writer ? 'writable' : 'read-only'}`,
      analyzeWrite: async () => `analyzeWrite on ${writer ? 'writable' : 'read-only'}`,
    });
    const routed = routeWrites('explain', serviceFor(), (writer) => {
      asked.push(writer);
      return serviceFor(writer);
    });
    const context = { session: ada };
    expect(await (routed.run as (a: unknown, c: unknown) => Promise<string>)({}, context)).toBe('run on read-only');
    expect(await (routed.analyzeWrite as (a: unknown, c: unknown) => Promise<string>)({}, context)).toBe('analyzeWrite on writable');
    expect(asked).toEqual([ada]);
  });
});

describe('withStartUnlock', () => {
  it('records the starter’s live prod unlock and drops one a caller put in the parameters', () => {
    const justifications = new JustificationStore();
    const forged = { id: 'x', workspaceId: WORKSPACE, operator: { name: 'Eve' }, role: 'platform_admin', expiresAt: '2999-01-01T00:00:00.000Z' };
    const request = { workspaceId: WORKSPACE, kind: 'indexes.build', params: { tenantIds: ['t1'], unlock: forged }, session: ada };
    expect(withStartUnlock(request, justifications).params).toEqual({ tenantIds: ['t1'] });

    const given = justifications.grant(ada, { kind: 'prod-unlock', workspaceId: WORKSPACE }, reason);
    expect(withStartUnlock(request, justifications).params).toEqual({
      tenantIds: ['t1'],
      unlock: { id: given.id, workspaceId: WORKSPACE, operator: ada.operator, role: 'platform_admin', expiresAt: new Date(given.expiresAt).toISOString() },
    });
  });
});

function fakePostgres(sent: string[]): WritingPostgres {
  const result: QueryResult = { columns: [], rows: [], rowCount: 0, command: 'SELECT' };
  return {
    query: async (sql) => {
      sent.push(sql);
      return result;
    },
    explain: async () => {
      throw new Error('not used');
    },
    session: async (work) => work({ pid: 1, run: async (sql) => {
      sent.push(sql);
      return result;
    } }),
  };
}

describe('whileUnlocked', () => {
  it('sends statements while the unlock lives; after it, refuses with read_only and stops on a session statement', async () => {
    const sent: string[] = [];
    let live = true;
    const stops: AppError[] = [];
    const postgres = whileUnlocked(fakePostgres(sent), async () => live, (error) => stops.push(error));
    await postgres.session(async (session) => {
      await session.run('create index one');
      live = false;
      await expect(session.run('create index two')).rejects.toMatchObject({ code: 'read_only' });
    });
    await expect(postgres.query('select 1')).rejects.toMatchObject({ code: 'read_only' });
    expect(sent).toEqual(['create index one']);
    expect(stops.map((e) => e.code)).toEqual(['read_only']);
  });
});

describe('registerWriteJobs', () => {
  type Opener = (workspaceId: string) => Promise<string>;
  const kindOver = (open: Opener): JobKind<{ n: number }, string> => ({
    name: 'test.write',
    store: 'postgres',
    params: z.object({ n: z.number() }).strict(),
    describe: (p) => ({ title: `write ${p.n}` }),
    openStores: (workspaceId) => open(workspaceId),
    run: async (params, { stores }): Promise<JobResult> => ({ n: params.n, stores }),
  });

  function registered(writeAs: (writer: Writer) => Opener): JobKind<Record<string, unknown>, unknown> {
    const kinds: Array<JobKind<Record<string, unknown>, unknown>> = [];
    registerWriteJobs<Opener>(
      { register: (kind) => kinds.push(kind as unknown as JobKind<Record<string, unknown>, unknown>) },
      { register: (table, open) => table.register(kindOver(open)), read: async () => 'read-only', writeAs: (writer) => writeAs(writer) },
    );
    return kinds[0]!;
  }

  const context = (stores: unknown, log: string[] = []): JobContext<unknown> => ({
    jobId: 'job_1',
    signal: new AbortController().signal,
    stores,
    progress: () => undefined,
    log: (line) => log.push(line),
  });

  it('runs a job started without an unlock on the read stores, and one started under an unlock on its writer’s stores', async () => {
    const writers: Writer[] = [];
    const kind = registered((writer) => async (workspaceId) => {
      writers.push(writer);
      return `writable ${workspaceId}`;
    });
    expect(kind.params.parse({ n: 1 })).toEqual({ n: 1 });
    expect(() => kind.params.parse({ n: 1, extra: true })).toThrow();
    expect(await kind.run(kind.params.parse({ n: 1 }), context('read-only'))).toEqual({ n: 1, stores: 'read-only' });

    const unlock = { id: 'u1', workspaceId: WORKSPACE, operator: { name: 'Ada' }, role: 'dba', expiresAt: '2030-01-01T00:00:00.000Z' };
    const log: string[] = [];
    expect(await kind.run(kind.params.parse({ n: 2, unlock }), context('read-only', log))).toEqual({ n: 2, stores: `writable ${WORKSPACE}` });
    expect(writers).toEqual([{ operator: { name: 'Ada' }, role: 'dba' }]);
    expect(log[0]).toContain('Writes under the prod unlock u1 of Ada (dba)');
    expect(kind.describe({ n: 2, unlock })).toEqual({ title: 'write 2' });
  });
});
