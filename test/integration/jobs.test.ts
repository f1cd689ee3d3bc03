import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/shared/contract';
import type { JobSummary } from '../../src/shared/model/job';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { activeStatements, apiOf, createDatabase, postgresWorkspace, until } from '../support/job-database';

const DATABASE = 'jobs_it';

describe('jobs on a real PostgreSQL', () => {
  let dataDir: string;
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let core: ConsoleCore;
  let connection: ReturnType<typeof apiOf>;
  let workspaceId: string;
  const states: Array<EventPayload<'jobs.state'>['job']> = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-jobs-it-'));
    db = await createDatabase(DATABASE);
    core = await createConsole({ dataDir, mode: 'web', version: 'test', jobLimits: { postgres: 1 } });
    connection = apiOf(core);
    connection.api.on('jobs.state', ({ job }) => states.push(job));
    ({ id: workspaceId } = await connection.api.workspaces.create({ workspace: postgresWorkspace('Jobs', DATABASE) }));
  });

  afterAll(async () => {
    connection?.close();
    await core?.close();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The job once its final state was announced, which happens after its audit entry is written. */
  const settledState = async (jobId: string): Promise<JobSummary> => {
    await until(() => states.some((s) => s.id === jobId && ['succeeded', 'failed', 'cancelled'].includes(s.state)));
    return connection.api.jobs.get({ workspaceId, jobId });
  };

  it('cancels a running job and its statement is gone from the server', async () => {
    const job = await connection.api.jobs.start({ workspaceId, job: { kind: 'demo.sleep', params: { steps: 3, secondsPerStep: 60 } } });
    await until(() => activeStatements(db.admin, DATABASE, 'select pg_sleep').then((n) => n === 1));
    const progress: Array<EventPayload<'jobs.progress'>> = [];
    const stop = connection.api.on('jobs.progress', (event) => progress.push(event));

    const answer = await connection.api.jobs.cancel({ workspaceId, jobId: job.id });
    expect(answer.cancelRequestedAt).toBeDefined();
    // The product promise: cancel stops the server's work within a second.
    const asked = Date.now();
    await until(() => activeStatements(db.admin, DATABASE, 'select pg_sleep').then((n) => n === 0), 1_000);
    expect(Date.now() - asked).toBeLessThanOrEqual(1_000);

    const done = await settledState(job.id);
    stop();
    expect(done).toMatchObject({ state: 'cancelled', failure: { code: 'cancelled' }, progress: { done: 0, total: 3 } });
    // Nothing ran after the cancel: no later step started.
    expect(progress).toEqual([]);
    const full = await connection.api.jobs.get({ workspaceId, jobId: job.id });
    expect(full.log.map((l) => l.line)).toContain('Cancel asked for by ' + full.operator.name + '.');

    const { entries } = await connection.api.audit.query({ workspaceId, action: 'jobs.', limit: 10 });
    const entry = entries.find((e) => e.details.jobId === job.id);
    expect(entry).toMatchObject({ action: 'jobs.demo.sleep', outcome: 'failed', details: { state: 'cancelled' } });
    expect(entries.filter((e) => e.details.jobId === job.id)).toHaveLength(1);
  });

  it('runs jobs of one store one at a time under a limit of one, in the order they were started', async () => {
    states.length = 0;
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push((await connection.api.jobs.start({ workspaceId, job: { kind: 'demo.sleep', params: { steps: 2, secondsPerStep: 0.05 } } })).id);
    }
    for (const id of ids) expect((await settledState(id)).state).toBe('succeeded');
    await until(() => states.filter((s) => s.state === 'succeeded').length === 3);
    const sequence = states.filter((s) => ids.includes(s.id) && s.state !== 'queued').map((s) => `${ids.indexOf(s.id)}:${s.state}`);
    expect(sequence).toEqual(['0:running', '0:succeeded', '1:running', '1:succeeded', '2:running', '2:succeeded']);
    // The two that waited said so in their log.
    for (const id of ids.slice(1)) {
      const job = await connection.api.jobs.get({ workspaceId, jobId: id });
      expect(job.log.some((l) => /^Waits its turn/.test(l.line))).toBe(true);
    }
  });

  it('sweeps every tenant schema with progress per tenant', async () => {
    await db.run(
      'create schema tenant_a; create table tenant_a.x (id int); create table tenant_a.y (id int); ' +
        'create schema tenant_b; create schema tenant_c; create table tenant_c.z (id int)',
    );
    const progress: string[] = [];
    const stop = connection.api.on('jobs.progress', (event) => progress.push(`${event.progress.done}/${event.progress.total}`));
    const job = await connection.api.jobs.start({ workspaceId, job: { kind: 'demo.tenant-sweep', params: { secondsPerTenant: 0 } } });
    const done = await settledState(job.id);
    stop();
    expect(done).toMatchObject({ state: 'succeeded', result: { schemas: 3, tables: 3 }, tenantIds: ['*'] });
    // Progress events are paced (a fast sweep sends fewer), never go back, and the final state carries the end.
    expect(progress[0]).toBe('0/null');
    const dones = progress.map((p) => Number(p.split('/')[0]));
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(done.progress).toEqual({ done: 3, total: 3, phase: 'done' });
    const log = (await connection.api.jobs.get({ workspaceId, jobId: job.id })).log.map((l) => l.line);
    expect(log).toEqual(expect.arrayContaining(['Found 3 tenant schemas.', 'tenant_a: 2 tables.', 'tenant_b: 0 tables.', 'tenant_c: 1 tables.']));
  });

  it('keeps every job, its log and state across a restart of the console', async () => {
    const before = (await connection.api.jobs.list({ workspaceId })).jobs;
    expect(before.length).toBeGreaterThanOrEqual(5);
    const logs = await Promise.all(before.map((job) => connection.api.jobs.get({ workspaceId, jobId: job.id })));
    connection.close();
    await core.close();

    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    connection = apiOf(core);
    const after = (await connection.api.jobs.list({ workspaceId })).jobs;
    expect(after).toEqual(before);
    for (const job of logs) expect(await connection.api.jobs.get({ workspaceId, jobId: job.id })).toEqual(job);
  });

  it('refuses a job on a workspace without PostgreSQL, and hostile arguments, with stable codes', async () => {
    const { id: bare } = await connection.api.workspaces.create({
      workspace: { name: 'No PostgreSQL', environment: 'dev', preset: 'murima2025', endpoints: {} },
    });
    await expect(connection.api.jobs.start({ workspaceId: bare, job: { kind: 'demo.sleep', params: {} } })).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('has no PostgreSQL'),
    });
    expect((await connection.api.jobs.list({ workspaceId: bare })).jobs).toEqual([]);
    const call = (method: string, args: unknown) => core.router.invoke(method, args, core.newSession('hostile'));
    await expect(call('jobs.start', { workspaceId, job: { kind: 'demo.sleep', params: { secondsPerStep: '1); select pg_terminate_backend(1' } } })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(call('jobs.get', { workspaceId, jobId: 'job_../../../etc/passwd' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(call('jobs.cancel', { workspaceId, jobId: 'job_AAAAAAAAAAAAAAAAAAAA' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lets support watch jobs but neither start nor cancel one, and records the refusal', async () => {
    const [anyJob] = (await connection.api.jobs.list({ workspaceId })).jobs;
    await connection.api.access.setOperator({ workspaceId, name: 'Sam Support', email: 'sam@example.com', role: 'support' });
    try {
      expect((await connection.api.jobs.list({ workspaceId })).jobs.length).toBeGreaterThan(0);
      await expect(connection.api.jobs.start({ workspaceId, job: { kind: 'demo.sleep', params: {} } })).rejects.toMatchObject({
        code: 'forbidden',
        message: expect.stringContaining('may not start or cancel jobs'),
      });
      await expect(connection.api.jobs.cancel({ workspaceId, jobId: anyJob!.id })).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      await connection.api.access.setOperator({ workspaceId, name: 'Ada Admin', email: 'ada@example.com', role: 'platform_admin' });
    }
    const { entries } = await connection.api.audit.query({ workspaceId, action: 'jobs.start', limit: 10 });
    expect(entries.map((e) => [e.operator.name, e.outcome])).toEqual([['Sam Support', 'refused']]);
  });
});
