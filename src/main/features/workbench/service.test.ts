import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { AuditEntryDraft } from '@shared/model/audit';
import type { Session } from '@shared/model/session';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { RowBatch, TenantRunStatus, WorkbenchQuery } from '@shared/model/workbench';
import { presetByName } from '@shared/tenancy';
import { JobManager } from '../../jobs';
import type { CallContext } from '../../services/section';
import type { UserQueryOptions, UserQueryPart } from '../../stores/user-query';
import { Downloads } from './downloads';
import { FanOutRuns, fanOutKindName, workbenchFanOutKind } from './fan-out';
import { RunHistory } from './history';
import { SavedQueries } from './saved-queries';
import { createWorkbenchService } from './service';
import type { WorkbenchPostgres, WorkbenchStores } from './stores';

const tenant = (n: number): string => `0a1b2c3d-0000-4000-8000-${String(n).padStart(12, '0')}`;
const admin: Session = { connectionId: 'c1', operator: { name: 'ann' }, role: 'platform_admin' };
const query = (text: string, over: Partial<WorkbenchQuery> = {}): WorkbenchQuery => ({ target: { engine: 'postgres' }, text, rowLimit: 1_000, timeoutMs: 30_000, ...over });

/** What the fake PostgreSQL was asked and saw, in order. */
interface Seen {
  calls: Array<{ sql: string; scope: TenantScope; options: UserQueryOptions }>;
  log: string[];
  running: number;
  maxRunning: number;
}

/**
 * A runner of exactly the face's shape: per tenant, `columns` then batches of rows, pulled one at
 * a time. `fail:` in the SQL fails that tenant; `slow` waits for the signal.
 */
function fakePostgres(seen: Seen, batches = 3): WorkbenchPostgres {
  return {
    async *runUser(sql, scope, options) {
      seen.calls.push({ sql, scope, options });
      seen.running += 1;
      seen.maxRunning = Math.max(seen.maxRunning, seen.running);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (sql.includes(`fail:${scope.tenantId}`)) throw new AppError('not_found', `relation "tickets" does not exist in ${scope.postgres?.schema}`);
        if (sql.includes('slow')) {
          await new Promise((_resolve, reject) => {
            const stop = (): void => reject(new AppError('cancelled', 'stopped on the server'));
            if (options.signal?.aborted) stop();
            else options.signal?.addEventListener('abort', stop);
          });
        }
        const parts: UserQueryPart[] = [{ kind: 'columns', columns: [{ name: 'id', type: 'int4' }, { name: 'email', type: 'text' }] }];
        for (let b = 0; b < batches; b += 1) parts.push({ kind: 'rows', rows: [[String(b * 2), `u${b}@example.com`], [String(b * 2 + 1), null]] });
        for (const part of parts) {
          seen.log.push(`pull ${part.kind}`);
          yield part;
        }
      } finally {
        seen.running -= 1;
      }
    },
    userCatalog: async (scope) => [{ name: `${scope.postgres?.schema}.tickets`, kind: 'table', fields: [{ name: 'id', type: 'int4' }] }],
  };
}

describe('the workbench service', () => {
  let dataDir: string;
  let seen: Seen;
  let jobs: JobManager;
  let audit: AuditEntryDraft[];
  let fanOuts: FanOutRuns;
  let downloads: Downloads;
  let stores: WorkbenchStores;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-workbench-'));
    seen = { calls: [], log: [], running: 0, maxRunning: 0 };
    audit = [];
    jobs = await JobManager.open({ directory: join(dataDir, 'jobs'), record: async (_journal, draft) => void audit.push(draft) });
    fanOuts = new FanOutRuns();
    downloads = new Downloads();
    stores = { preset: presetByName('murima2025'), postgres: fakePostgres(seen) };
    jobs.register(workbenchFanOutKind('postgres', { openStores: async () => stores, runs: fanOuts }));
  });
  afterEach(async () => {
    await jobs.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const service = (over: Partial<Parameters<typeof createWorkbenchService>[0]> = {}) =>
    createWorkbenchService({
      openStores: async () => stores,
      history: new RunHistory(join(dataDir, 'workbench')),
      saved: new SavedQueries(join(dataDir, 'workbench')),
      jobs,
      fanOuts,
      downloads,
      ...over,
    });

  /** A call's context whose connection is full until the test says otherwise, recording what it was sent. */
  const context = (session: Session = admin) => {
    const batches: RowBatch[] = [];
    const tenants: TenantRunStatus[] = [];
    const controller = new AbortController();
    const ctx: CallContext = {
      signal: controller.signal,
      session,
      emit: (name, payload) => {
        if (name === 'workbench.batch') {
          batches.push(payload as RowBatch);
          seen.log.push(`batch ${(payload as RowBatch).seq}`);
        } else if (name === 'workbench.tenant') tenants.push(payload as TenantRunStatus);
      },
      whenWritable: async () => {
        seen.log.push('wait for room');
      },
    };
    return { ctx, batches, tenants, controller };
  };

  it('streams a run as column batches, pulling the store only after the caller had room, and answers with the summary', async () => {
    const { ctx, batches } = context();
    const summary = await service().run({ workspaceId: 'ws-1', tenantId: tenant(1), runId: 'run_00000001', query: query('select id, email from users') }, ctx);
    expect(seen.log).toEqual(['pull columns', 'pull rows', 'batch 0', 'wait for room', 'pull rows', 'batch 1', 'wait for room', 'pull rows', 'batch 2', 'wait for room']);
    expect(batches.map((b) => b.seq)).toEqual([0, 1, 2]);
    expect(batches[0]?.columns).toEqual([{ name: 'id', type: 'int4' }, { name: 'email', type: 'text', masked: true }]);
    // Masked for every role until an unmask of that field: the admin here has none.
    expect(batches[0]?.values).toEqual([[0, 1], ['u***@e***.com', null]]);
    expect(summary).toMatchObject({ runId: 'run_00000001', rows: 6, truncated: false, rowLimit: 1_000, historyId: expect.any(String) });
    // The store got the tenant's scope, read-only, with the timeout.
    expect(seen.calls[0]).toMatchObject({ scope: { tenantId: tenant(1), postgres: { schema: `tenant_${tenant(1).replaceAll('-', '_')}` } }, options: { write: false, timeoutMs: 30_000, rowLimit: 1_000 } });
  });

  it('passes write only for runWrite, refuses a tenant id the preset does not know before any store work, and keeps every run in the history', async () => {
    const workbench = service();
    await workbench.runWrite({ workspaceId: 'ws-1', tenantId: tenant(1), runId: 'run_00000002', query: query('update users set name = 1') }, context().ctx);
    expect(seen.calls[0]?.options.write).toBe(true);
    // A tenant id the contract accepts but the preset does not (Murima2025's are UUIDs).
    const hostile = await workbench.run({ workspaceId: 'ws-1', tenantId: 'acme-corp', runId: 'run_00000003', query: query('select 1') }, context().ctx).catch((e: unknown) => e);
    expect(AppError.is(hostile, 'invalid_argument')).toBe(true);
    expect(seen.calls).toHaveLength(1);
    const failed = await workbench.run({ workspaceId: 'ws-1', tenantId: tenant(2), runId: 'run_00000004', query: query(`select fail:${tenant(2)}`) }, context().ctx).catch((e: unknown) => e);
    expect(AppError.is(failed, 'not_found')).toBe(true);

    const { entries } = await workbench.history({ workspaceId: 'ws-1', limit: 10 }, context().ctx);
    expect(entries.map((e) => [e.outcome, e.write, e.error?.code])).toEqual([
      ['failed', false, 'not_found'],
      ['failed', false, 'invalid_argument'],
      ['succeeded', true, undefined],
    ]);
  });

  it('a cancelled run stops the store work, answers cancelled and is in the history as cancelled', async () => {
    const { ctx, controller } = context();
    const running = service().run({ workspaceId: 'ws-1', tenantId: tenant(1), runId: 'run_00000005', query: query('select slow') }, ctx);
    while (seen.running < 1) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen.running).toBe(0);
    const { entries } = await service().history({ workspaceId: 'ws-1', limit: 1 }, ctx);
    expect(entries[0]).toMatchObject({ outcome: 'cancelled', error: { code: 'cancelled' } });
  });

  it('fans out as one job: a leading tenant column, bounded concurrency, a failing tenant in its own status, one audit entry naming the tenants', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => tenant(i + 1));
    const { ctx, batches, tenants } = context();
    const summary = await service().fanOut({ workspaceId: 'ws-1', runId: 'run_00000006', query: query(`select fail:${ids[2]}`), tenantIds: ids, concurrency: 3 }, ctx);
    expect(seen.maxRunning).toBe(3);
    expect(summary.rows).toBe(6 * 6);
    expect(summary.tenants?.map((t) => t.state)).toEqual(['done', 'done', 'failed', 'done', 'done', 'done', 'done']);
    expect(summary.tenants?.[2]?.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('tickets') });
    expect(batches[0]?.columns?.map((c) => c.name)).toEqual(['tenant', 'id', 'email']);
    const rowsByTenant = new Map<string, number>();
    for (const batch of batches) for (const id of batch.values[0] as string[]) rowsByTenant.set(id, (rowsByTenant.get(id) ?? 0) + 1);
    expect([...rowsByTenant.keys()].sort()).toEqual(ids.filter((_, i) => i !== 2).sort());
    expect(batches.map((b) => b.seq)).toEqual(batches.map((_, i) => i));
    expect(tenants.filter((t) => t.state === 'running')).toHaveLength(7);

    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: `jobs.${fanOutKindName('postgres')}`, tenantIds: ids, outcome: 'allowed', details: { jobId: summary.jobId, state: 'succeeded' } });
  });

  it('cancelling a fan-out call cancels its job and the tenants still running on the server', async () => {
    const ids = Array.from({ length: 6 }, (_, i) => tenant(i + 1));
    const { ctx, controller, tenants } = context();
    const running = service().fanOut({ workspaceId: 'ws-1', runId: 'run_00000007', query: query('select slow'), tenantIds: ids, concurrency: 2 }, ctx);
    while (seen.running < 2) await new Promise((resolve) => setTimeout(resolve, 2));
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen.running).toBe(0);
    expect(seen.calls).toHaveLength(2);
    expect(tenants.filter((t) => t.state === 'cancelled').map((t) => t.tenantId).sort()).toEqual([...ids].sort());
    expect(audit).toEqual([expect.objectContaining({ outcome: 'failed', details: expect.objectContaining({ state: 'cancelled' }) })]);
  });

  it('refuses a fan-out job started without its call (jobs.start), before anything runs', async () => {
    const start = jobs.start({
      workspaceId: 'ws-1',
      kind: fanOutKindName('postgres'),
      params: { runId: 'run_00000008', query: query('select 1'), tenantIds: [tenant(1)], concurrency: 1 },
      session: admin,
    });
    await expect(start).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(seen.calls).toEqual([]);
    expect(jobs.list('ws-1')).toEqual([]);
  });

  it('exports to the chosen file through a temporary file, with the count and SHA-256 of what is on disk', async () => {
    const path = join(dataDir, 'out.csv');
    const asked: string[] = [];
    const workbench = service({ chooseSavePath: async (name) => (asked.push(name), path) });
    const answer = await workbench.export({ workspaceId: 'ws-1', tenantId: tenant(1), query: query('select id'), format: 'csv', destination: { kind: 'save-dialog', suggestedName: 'tickets' } }, context().ctx);
    const bytes = await readFile(path);
    expect(asked).toEqual(['tickets.csv']);
    expect(bytes.toString('utf8')).toBe('id,email\n0,u***@e***.com\n1,\n2,u***@e***.com\n3,\n4,u***@e***.com\n5,\n');
    expect(answer.file).toEqual({ path, rows: 6, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });

    const unwritable = await service({ chooseSavePath: async () => join(dataDir, 'no-such-folder', 'out.csv') })
      .export({ workspaceId: 'ws-1', tenantId: tenant(1), query: query('select id'), format: 'csv', destination: { kind: 'save-dialog' } }, context().ctx)
      .catch((e: unknown) => e);
    expect(unwritable).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('ENOENT') });

    const closed = await service({ chooseSavePath: async () => undefined }).export({ workspaceId: 'ws-1', tenantId: tenant(1), query: query('select id'), format: 'csv', destination: { kind: 'save-dialog' } }, context().ctx);
    expect(closed).toEqual({ cancelled: true });
    const web = await service().export({ workspaceId: 'ws-1', tenantId: tenant(1), query: query('select id'), format: 'csv', destination: { kind: 'save-dialog' } }, context().ctx).catch((e: unknown) => e);
    expect(web).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('download') });
  });

  it('offers a web-mode download that runs the query only when fetched, once', async () => {
    const workbench = service();
    const answer = await workbench.export({ workspaceId: 'ws-1', tenantId: tenant(1), query: query('select id'), format: 'json', destination: { kind: 'download' } }, context().ctx);
    expect(seen.calls).toHaveLength(0);
    const token = answer.download?.url.split('/').at(-1) ?? '';
    const pending = downloads.take(token);
    expect(pending).toMatchObject({ fileName: `postgres-${tenant(1)}.jsonl`, contentType: expect.stringContaining('ndjson') });
    const chunks: string[] = [];
    const sink = new PassThrough();
    sink.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    await pipeline([...(await pending!.open(new AbortController().signal)), sink]);
    expect(chunks.join('').trim().split('\n')).toHaveLength(6);
    expect(downloads.take(token)).toBeUndefined();
    const { entries } = await workbench.history({ workspaceId: 'ws-1', limit: 1 }, context().ctx);
    expect(entries[0]).toMatchObject({ outcome: 'succeeded', rows: 6, text: 'select id' });
  });

  it('runs a MongoDB find in the workspace’s tenant database, masking documents by their collection’s rules', async () => {
    const asked: unknown[] = [];
    stores = {
      ...stores,
      mongo: {
        database: 'murima2025',
        runner: {
          async *runUser(target, request, scope) {
            asked.push({ target, request, tenantId: scope.tenantId });
            yield { kind: 'documents', documents: [{ _id: 'c1', professionalInfo: { personalEmail: 'ann@example.com' } }, { _id: 'c2', extra: 1 }] };
          },
          userCatalog: async () => [],
        },
      },
    };
    const { ctx, batches } = context();
    const target = { engine: 'mongo' as const, collection: 'clientcontacts', operation: 'find' as const, options: '{"sort":{"_id":1}}' };
    const summary = await service().run({ workspaceId: 'ws-1', tenantId: tenant(1), runId: 'run_00000009', query: query('{}', { target }) }, ctx);
    expect(asked).toEqual([{ target: { database: 'murima2025', collection: 'clientcontacts' }, request: { operation: 'find', text: '{}', options: '{"sort":{"_id":1}}' }, tenantId: tenant(1) }]);
    expect(summary.columns).toEqual([{ name: '_id', type: 'string' }, { name: 'professionalInfo', type: 'object', masked: true }, { name: 'extra', type: 'number' }]);
    expect(batches[0]?.values).toEqual([['c1', 'c2'], [{ personalEmail: 'a***@e***.com' }, null], [null, 1]]);
  });

  it('lists the catalog of the tenant’s scope', async () => {
    const { entries } = await service().catalog({ workspaceId: 'ws-1', tenantId: tenant(1), engine: 'postgres' }, context().ctx);
    expect(entries[0]?.name).toBe(`tenant_${tenant(1).replaceAll('-', '_')}.tickets`);
    await expect(service().catalog({ workspaceId: 'ws-1', tenantId: tenant(1), engine: 'mongo' }, context().ctx)).rejects.toMatchObject({ code: 'unreachable' });
  });
});
