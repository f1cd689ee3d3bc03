import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditEntry } from '../../src/shared/model/audit';
import type { WorkbenchQueryInput } from '../../src/shared/model/workbench';
import { activeStatements, until } from '../support/job-database';
import { redisClient } from './tenants-fixtures';
import { endpointsOf, openConsole, removeDataDir, rowsOf, schemaOf, tenantDatabase, type Harness } from './workbench-fixtures';

const DATABASE = 'workbench_it';
const REDIS_DB = 7;
const TENANTS = 50;
const REASON = 'INC-42: compare ticket counts across tenants';

describe('the workbench through the console router, on real PostgreSQL and Redis', () => {
  let db: Awaited<ReturnType<typeof tenantDatabase>>;
  let harness: Harness;
  let dev: string;
  let prod: string;
  let runs = 0;
  const runId = (): string => `run_it${String((runs += 1)).padStart(6, '0')}`;
  const sql = (text: string, over: Partial<WorkbenchQueryInput> = {}): WorkbenchQueryInput => ({ target: { engine: 'postgres' }, text, ...over });
  const journal = async (workspaceId: string): Promise<AuditEntry[]> =>
    (await readFile(harness.core.auditLog.journalFile(workspaceId), 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEntry);
  const ticketCount = async (tenant: string): Promise<number> =>
    (await db.pool.query<{ n: number }>(`select count(*)::int as n from "${schemaOf(tenant)}".tickets`)).rows[0]?.n ?? -1;
  const asRole = (workspaceId: string, role: 'support' | 'platform_admin') =>
    harness.api.access.setOperator({ workspaceId, name: role === 'support' ? 'Sam' : 'Ann', email: `${role}@example.com`, role });

  beforeAll(async () => {
    db = await tenantDatabase(DATABASE, TENANTS);
    harness = await openConsole();
    ({ id: dev } = await harness.api.workspaces.create({ workspace: { name: 'Workbench dev', environment: 'dev', preset: 'murima2025', endpoints: endpointsOf(DATABASE, REDIS_DB) } }));
    ({ id: prod } = await harness.api.workspaces.create({ workspace: { name: 'Workbench prod', environment: 'prod', preset: 'murima2025', endpoints: endpointsOf(DATABASE) } }));
  }, 120_000);

  afterAll(async () => {
    const dataDir = harness?.dataDir;
    await harness?.close();
    await db?.drop();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('runs one tenant’s query read-only in its schema and streams the rows as column batches', async () => {
    const [tenant] = db.tenants as [string];
    const id = runId();
    const summary = await harness.api.workbench.run({ workspaceId: dev, tenantId: tenant, runId: id, query: sql('select id, status from tickets order by id') });
    expect(summary).toMatchObject({ runId: id, rows: 1, truncated: false });
    expect(summary.columns.map((c) => c.name)).toEqual(['id', 'status']);
    expect(rowsOf(harness.batches, id)).toEqual([[1, 'open']]);
    // Tenant 50's schema has 50 tickets: the same text reads only the tenant it names.
    const other = runId();
    const fifty = await harness.api.workbench.run({ workspaceId: dev, tenantId: db.tenants[49] as string, runId: other, query: sql('select id from tickets', { rowLimit: 20 }) });
    expect(fifty).toMatchObject({ rows: 20, truncated: true });
  });

  it('refuses a write in a prod workspace both ways, and nothing is written', async () => {
    const [tenant] = db.tenants as [string];
    const before = await ticketCount(tenant);
    const insert = sql(`insert into tickets values (999, '${tenant}', 'open', 'x')`);
    await expect(harness.api.workbench.run({ workspaceId: prod, tenantId: tenant, runId: runId(), query: insert })).rejects.toMatchObject({ code: 'read_only' });
    const refused = await harness.api.workbench.runWrite({ workspaceId: prod, tenantId: tenant, runId: runId(), query: insert }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'read_only', message: expect.stringContaining('unlock') });
    expect(await ticketCount(tenant)).toBe(before);
    const refusals = (await journal(prod)).filter((e) => e.action === 'workbench.runWrite');
    expect(refusals.map((e) => e.outcome)).toEqual(['refused']);
  });

  it('masks what support may not see, and refuses support a fan-out', async () => {
    const [tenant] = db.tenants as [string];
    await asRole(dev, 'support');
    try {
      await expect(harness.api.workbench.fanOut({ workspaceId: dev, runId: runId(), query: sql('select 1'), tenantIds: db.tenants.slice(0, 2) })).rejects.toMatchObject({ code: 'forbidden' });
      await harness.api.access.justify({ workspaceId: dev, scope: 'tenant', tenantId: tenant, reason: 'SUP-7: customer cannot log in' });
      const id = runId();
      const summary = await harness.api.workbench.run({ workspaceId: dev, tenantId: tenant, runId: id, query: sql('select name, email from users order by id') });
      expect(summary.columns).toEqual([{ name: 'name', type: 'text' }, { name: 'email', type: 'text', masked: true }]);
      expect(rowsOf(harness.batches, id)).toEqual([['Ann', 'a***@e***.com'], ['Bob', 'b***@e***.org']]);
    } finally {
      await asRole(dev, 'platform_admin');
    }
  });

  it('fans out over 50 tenants: exactly the rows direct queries return, one job entry naming the tenants beside the call’s own', async () => {
    await harness.api.access.justify({ workspaceId: dev, scope: 'cross-tenant', reason: REASON });
    const id = runId();
    const summary = await harness.api.workbench.fanOut({ workspaceId: dev, runId: id, query: sql('select id, status from tickets order by id'), tenantIds: db.tenants, concurrency: 4 });
    expect(summary.tenants?.every((t) => t.state === 'done')).toBe(true);
    expect(summary.columns.map((c) => c.name)).toEqual(['tenant', 'id', 'status']);

    const expected: unknown[][] = [];
    for (const tenant of db.tenants) {
      const { rows } = await db.pool.query<{ id: number; status: string | null }>(`select id, status from "${schemaOf(tenant)}".tickets order by id`);
      for (const row of rows) expected.push([tenant, row.id, row.status]);
    }
    const byKey = (a: unknown[], b: unknown[]): number => `${String(a[0])}:${String(a[1]).padStart(4, '0')}`.localeCompare(`${String(b[0])}:${String(b[1]).padStart(4, '0')}`);
    const streamed = rowsOf(harness.batches, id);
    expect(streamed.length).toBe((TENANTS * (TENANTS + 1)) / 2);
    expect([...streamed].sort(byKey)).toEqual(expected.sort(byKey));
    expect(summary.rows).toBe(streamed.length);

    const entries = (await journal(dev)).filter((e) => e.details.jobId === summary.jobId || e.action === 'workbench.fanOut');
    // The policy journals the call before it runs (what was asked, with the reason); the job
    // journals its one outcome with the tenants it resolved. Nothing is journaled per tenant.
    expect(entries.map((e) => [e.action, e.outcome])).toEqual([
      ['workbench.fanOut', 'refused'],
      ['workbench.fanOut', 'allowed'],
      ['jobs.workbench.fan-out.postgres', 'allowed'],
    ]);
    expect(entries[1]?.justification?.reason).toBe(REASON);
    expect(entries[2]?.tenantIds).toEqual(db.tenants);
  });

  it('fans out over all tenants: the call’s entry says all, the job’s names the tenants the roster found', async () => {
    const id = runId();
    const summary = await harness.api.workbench.fanOut({ workspaceId: dev, runId: id, query: sql('select count(*)::int as n from tickets'), allTenants: true, concurrency: 8 });
    expect(summary.tenants?.map((t) => t.tenantId)).toEqual(db.tenants);
    const counts = new Map(rowsOf(harness.batches, id).map((row) => [row[0], row[1]]));
    expect(db.tenants.map((tenant) => counts.get(tenant))).toEqual(db.tenants.map((_, i) => i + 1));
    const entries = (await journal(dev)).filter((e) => e.details.jobId === summary.jobId || e.action === 'workbench.fanOut');
    const call = entries.filter((e) => e.action === 'workbench.fanOut').at(-1);
    const job = entries.filter((e) => e.details.jobId === summary.jobId);
    expect(call?.tenantIds).toEqual(['*']);
    expect(job).toHaveLength(1);
    expect(job[0]?.tenantIds).toEqual(db.tenants);
  });

  it('a tenant whose table is gone reports its own error and the others carry on', async () => {
    const broken = db.tenants[6] as string;
    await db.pool.query(`drop table "${schemaOf(broken)}".tickets`);
    const chosen = db.tenants.slice(0, 10);
    const id = runId();
    const summary = await harness.api.workbench.fanOut({ workspaceId: dev, runId: id, query: sql('select count(*)::int as n from tickets'), tenantIds: chosen, concurrency: 3 });
    const failed = summary.tenants?.filter((t) => t.state === 'failed') ?? [];
    expect(failed.map((t) => t.tenantId)).toEqual([broken]);
    expect(failed[0]?.error?.message).toMatch(/tickets/);
    expect(summary.tenants?.filter((t) => t.state === 'done')).toHaveLength(9);
    expect(rowsOf(harness.batches, id).map((row) => row[0]).sort()).toEqual(chosen.filter((t) => t !== broken).sort());
    expect(harness.tenantStatuses.filter((s) => s.runId === id && s.state === 'failed').map((s) => s.tenantId)).toEqual([broken]);
  });

  it('cancelling a running query through the router stops it on the server within a second', async () => {
    const [tenant] = db.tenants as [string];
    const controller = new AbortController();
    const running = harness.api.workbench.run({ workspaceId: dev, tenantId: tenant, runId: runId(), query: sql('select pg_sleep(60)') }, { signal: controller.signal });
    const admin = new pg.Client({ connectionString: inject('postgres').url });
    await admin.connect();
    try {
      await until(() => activeStatements(admin, DATABASE, 'pg_sleep(60)').then((n) => n === 1));
      controller.abort();
      await expect(running).rejects.toMatchObject({ code: 'cancelled' });
      const asked = Date.now();
      await until(() => activeStatements(admin, DATABASE, 'pg_sleep(60)').then((n) => n === 0), 1_000);
      expect(Date.now() - asked).toBeLessThanOrEqual(1_000);
    } finally {
      await admin.end();
    }
    const { entries } = await harness.api.workbench.history({ workspaceId: dev, search: 'pg_sleep(60)' });
    expect(entries[0]).toMatchObject({ outcome: 'cancelled' });
  });

  it('cancelling a fan-out call cancels its job and every tenant’s statement on the server', async () => {
    const controller = new AbortController();
    const id = runId();
    const running = harness.api.workbench.fanOut(
      { workspaceId: dev, runId: id, query: sql('select pg_sleep(60) as slept'), tenantIds: db.tenants.slice(0, 6), concurrency: 2 },
      { signal: controller.signal },
    );
    const admin = new pg.Client({ connectionString: inject('postgres').url });
    await admin.connect();
    try {
      await until(() => activeStatements(admin, DATABASE, 'pg_sleep(60) as slept').then((n) => n === 2));
      controller.abort();
      await expect(running).rejects.toMatchObject({ code: 'cancelled' });
      await until(() => activeStatements(admin, DATABASE, 'pg_sleep(60) as slept').then((n) => n === 0), 1_000);
    } finally {
      await admin.end();
    }
    const job = (await harness.api.jobs.list({ workspaceId: dev })).jobs.find((j) => j.kind === 'workbench.fan-out.postgres' && j.state !== 'succeeded');
    expect(job).toMatchObject({ state: 'cancelled' });
    const states = harness.tenantStatuses.filter((s) => s.runId === id);
    expect(states.filter((s) => s.state === 'done')).toEqual([]);
    expect(new Set(states.filter((s) => s.state === 'cancelled').map((s) => s.tenantId)).size).toBe(6);
  });

  it('runs Redis commands in the tenant’s key prefix', async () => {
    const [tenant, other] = db.tenants as [string, string];
    const redis = redisClient(inject('redis').url, REDIS_DB);
    try {
      await redis.set(`${tenant}:cache:greeting`, 'hello from tenant one');
      await redis.set(`${other}:cache:greeting`, 'hello from tenant two');
      const id = runId();
      await harness.api.workbench.run({ workspaceId: dev, tenantId: tenant, runId: id, query: { target: { engine: 'redis' }, text: `GET ${tenant}:cache:greeting` } });
      const cells = rowsOf(harness.batches, id).flat();
      expect(cells).toContain('hello from tenant one');
      expect(cells).not.toContain('hello from tenant two');
      await expect(
        harness.api.workbench.run({ workspaceId: dev, tenantId: tenant, runId: runId(), query: { target: { engine: 'redis' }, text: `GET ${other}:cache:greeting` } }),
      ).rejects.toMatchObject({ code: 'forbidden' });

      // A session key's id is a credential: listed with it masked, and a token field's value too.
      await redis.set(`${tenant}:session:5f2b8c1d9e7a`, 'x');
      await redis.hset(`${tenant}:user:7:auth`, { name: 'Ann', access_token: 'eyJhbGciOiJIUzI1NiJ9.payload.signature' });
      const keys = runId();
      const listed = await harness.api.workbench.run({
        workspaceId: dev,
        tenantId: tenant,
        runId: keys,
        query: { target: { engine: 'redis' }, text: `KEYS ${tenant}:session:*\nHGETALL ${tenant}:user:7:auth` },
      });
      expect(listed.columns.find((c) => c.name === 'reply')?.masked).toBe(true);
      const replies = rowsOf(harness.batches, keys).map((row) => row[listed.columns.findIndex((c) => c.name === 'reply')]);
      expect(replies).toContain(`${tenant}:session:••••`);
      expect(replies).toContain('Ann');
      expect(replies.join(' ')).not.toMatch(/5f2b8c1d9e7a|payload/);
    } finally {
      await redis.flushdb();
      redis.disconnect();
    }
  });

  it('cancelling a blocking Redis command through the router drops its connection on the server', async () => {
    const [tenant] = db.tenants as [string];
    const redis = redisClient(inject('redis').url, REDIS_DB);
    // Other files block in BLPOP too: count only this workspace's database.
    const blocked = async (): Promise<number> =>
      String(await redis.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => line.includes('cmd=blpop') && line.includes(`db=${REDIS_DB} `)).length;
    const controller = new AbortController();
    try {
      const running = harness.api.workbench.runWrite(
        { workspaceId: dev, tenantId: tenant, runId: runId(), query: { target: { engine: 'redis' }, text: `BLPOP ${tenant}:queue:never 0`, timeoutMs: 60_000 } },
        { signal: controller.signal },
      );
      await until(() => blocked().then((n) => n === 1));
      controller.abort();
      await expect(running).rejects.toMatchObject({ code: 'cancelled' });
      await until(() => blocked().then((n) => n === 0), 1_000);
    } finally {
      redis.disconnect();
    }
  });

  it('keeps history and saved queries across a restart of the console', async () => {
    const saved = await harness.api.workbench.saveQuery({ workspaceId: dev, name: 'Open tickets', target: { engine: 'postgres' }, text: "select * from tickets where status = 'open'" });
    const history = (await harness.api.workbench.history({ workspaceId: dev, limit: 1_000 })).entries;
    expect(history.length).toBeGreaterThanOrEqual(8);
    const dataDir = harness.dataDir;
    await harness.close();
    harness = await openConsole({}, dataDir);
    expect((await harness.api.workbench.history({ workspaceId: dev, limit: 1_000 })).entries).toEqual(history);
    expect((await harness.api.workbench.saved({ workspaceId: dev })).queries).toEqual([saved]);
    expect((await harness.api.workbench.history({ workspaceId: dev, engine: 'redis' })).entries.every((e) => e.target.engine === 'redis')).toBe(true);
  });
});
