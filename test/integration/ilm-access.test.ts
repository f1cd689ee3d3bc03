import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@shared/model/audit';
import type { Job, JobSummary } from '@shared/model/job';
import type { Session } from '@shared/model/session';
import type { WorkspaceView } from '@shared/model/workspace';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { startIlmStub, type IlmStub } from '../support/ilm-stub-server';
import { until } from '../support/job-database';

/**
 * Who may change lifecycles, and what the journal keeps, through createConsole's router as a
 * renderer reaches it. The Elasticsearch is a stub replaying the reference's reply shapes (none
 * runs here): what is under test is the console's validation, roles, prod guard, job and audit,
 * not the cluster — the stub only records what reached it.
 */
describe('ILM changes: validated, role-checked, jobs, audited', () => {
  let core: ConsoleCore;
  let stub: IlmStub;
  let dataDir: string;
  let session: Session;
  let dev: string;
  let prod: string;
  const call = <T>(method: string, args: unknown): Promise<T> => core.router.invoke(method, args, session) as Promise<T>;
  const as = (workspaceId: string, role: 'support' | 'dba' | 'platform_admin', name: string) => call('access.setOperator', { workspaceId, name, email: `${name.toLowerCase()}@example.com`, role });
  const journal = async (workspaceId: string): Promise<AuditEntry[]> =>
    (await readFile(core.auditLog.journalFile(workspaceId), 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEntry);
  const refusal = (work: Promise<unknown>) => work.then(() => ({ code: 'none' }) as { code?: string; details?: unknown }, (error: unknown) => error as { code?: string; details?: unknown });
  const settled = async (workspaceId: string, jobId: string): Promise<Job> => {
    await until(async () => ['succeeded', 'failed', 'cancelled'].includes((await call<Job>('jobs.get', { workspaceId, jobId })).state), 30_000);
    // Finished is announced before its audit entry is on disk: wait for that too.
    await core.jobs.settled(jobId);
    return call<Job>('jobs.get', { workspaceId, jobId });
  };
  const policy = { phases: { hot: { actions: { rollover: { max_age: '7d' } } }, delete: { min_age: '90d', actions: { delete: {} } } } };
  const puts = () => stub.requests.filter((r) => r.startsWith('PUT /_ilm/policy/'));

  beforeAll(async () => {
    stub = await startIlmStub(['3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f']);
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-ilm-access-'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    session = core.newSession('renderer-1');
    const make = async (name: string, environment: 'dev' | 'prod') =>
      (await call<WorkspaceView>('workspaces.create', { workspace: { name, environment, preset: 'murima2025', endpoints: { elastic: { node: stub.url } } } })).id;
    dev = await make('ILM dev', 'dev');
    prod = await make('ILM prod', 'prod');
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await stub?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a policy that breaks the phase rules with the field’s path, and sends nothing', async () => {
    await as(dev, 'dba', 'Dana');
    const refused = await refusal(call('ilm.savePolicy', { workspaceId: dev, name: 'p1', policy: { phases: { delete: { actions: { shrink: { number_of_shards: 1 } } } } } }));
    expect(refused.code).toBe('invalid_argument');
    const paths = (refused.details as { issues: Array<{ path: PropertyKey[] }> }).issues.map((i) => i.path.join('.'));
    expect(paths).toContain('policy.phases.delete.actions.shrink');
    expect(puts()).toEqual([]);
  });

  it('saves a valid policy as a job, journaled with who saved what', async () => {
    const started = await call<JobSummary>('ilm.savePolicy', { workspaceId: dev, name: 'tenant_logs', policy, expectedVersion: null });
    const job = await settled(dev, started.id);
    expect(job).toMatchObject({ kind: 'ilm.put-policy', state: 'succeeded', store: 'elastic', result: { name: 'tenant_logs', created: true, version: 1 } });
    expect(puts()).toEqual(['PUT /_ilm/policy/tenant_logs']);
    const entries = await journal(dev);
    // The job's entry is the change's record: who, what, and how it ended.
    expect(entries.find((e) => e.action === 'jobs.ilm.put-policy')).toMatchObject({ operator: { name: 'Dana' }, role: 'dba', outcome: 'allowed', details: { params: { name: 'tenant_logs' } } });
  });

  it('a retry the server refuses fails its job with the server’s words, and is journaled as failed', async () => {
    const started = await call<JobSummary>('ilm.retry', { workspaceId: dev, indices: ['tenant-3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f-cases-2026-10'] });
    expect(started.tenantIds).toEqual(['3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f']);
    const job = await settled(dev, started.id);
    expect(job.failure?.message).toContain('has not encountered an error when running a Lifecycle Policy');
    expect((await journal(dev)).find((e) => e.action === 'jobs.ilm.retry')).toMatchObject({ outcome: 'failed' });
  });

  it('support reads lifecycles and is refused every change, before anything is sent', async () => {
    await as(dev, 'support', 'Sam');
    const before = stub.requests.length;
    expect((await call<{ policies: unknown[] }>('ilm.policies', { workspaceId: dev })).policies.length).toBeGreaterThan(0);
    for (const [method, args] of [
      ['ilm.savePolicy', { workspaceId: dev, name: 'tenant_logs', policy }],
      ['ilm.retry', { workspaceId: dev, indices: ['x'] }],
      ['ilm.rollover', { workspaceId: dev, target: 'x' }],
    ] as const) {
      expect((await refusal(call(method, args))).code, method).toBe('forbidden');
    }
    expect(stub.requests.slice(before).every((r) => r.startsWith('GET '))).toBe(true);
    await as(dev, 'dba', 'Dana');
  });

  it('on prod a DBA needs an unlock; a dry-run rollover needs none', async () => {
    await as(prod, 'dba', 'Dana');
    expect((await refusal(call('ilm.savePolicy', { workspaceId: prod, name: 'tenant_logs', policy }))).code).toBe('read_only');
    const dry = await call<{ dryRun: boolean; rolledOver: boolean }>('ilm.rolloverCheck', { workspaceId: prod, target: 'tenant-3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f-cases' });
    expect(dry).toMatchObject({ dryRun: true, rolledOver: false });
    await call('access.justify', { workspaceId: prod, scope: 'prod-unlock', reason: 'CHG-7: shorten hot phase', minutes: 5 });
    const started = await call<JobSummary>('ilm.savePolicy', { workspaceId: prod, name: 'tenant_logs', policy, expectedVersion: 1 });
    expect((await settled(prod, started.id)).state).toBe('succeeded');
  });
});
