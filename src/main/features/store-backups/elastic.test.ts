import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { Session } from '@shared/model/session';
import { fixture, mockedCluster } from '../../../../test/fixtures/backups/elastic-mock';
import { elasticSnapshotKind, snapshotNameAt } from './elastic-snapshot';
import { createStoreBackupsService } from './service';

// The mock recognises errors of the client's CommonJS build; under vitest the test itself loads the ESM build.
const { errors } = createRequire(import.meta.url)('@elastic/elasticsearch') as typeof import('@elastic/elasticsearch');

const session: Session = { connectionId: 'c', operator: { name: 'Dana' }, role: 'dba' };
const call = { signal: new AbortController().signal, session, emit: () => undefined };

describe('whole-store Elasticsearch backups (request shapes against the documented replies)', () => {
  it('registers an fs repository, then verifies it, and lists repositories and SLM policies as the cluster states them', async () => {
    const c = mockedCluster();
    c.answer('PUT', '/_snapshot/:repository', { acknowledged: true });
    c.answer('POST', '/_snapshot/:repository/_verify', fixture('verify-repository').response);
    c.answer('GET', '/_snapshot', fixture('get-repository').response);
    c.answer('GET', '/_slm/policy', fixture('slm-get-policy').response);
    const service = createStoreBackupsService({ openStores: async () => ({ elastic: c.store }), startJob: async () => { throw new Error('no job here'); } });
    const answer = await service.registerRepository({ workspaceId: 'w', name: 'backups', settings: { type: 'fs', location: '/mnt/backups', compress: true } }, call);
    const put = c.sent('PUT', /^\/_snapshot\/backups$/)[0];
    expect(put?.body).toEqual({ type: 'fs', settings: { location: '/mnt/backups', compress: true } });
    expect(put?.querystring).toMatchObject({ verify: 'false' });
    expect(answer.verification).toEqual({ ok: true, nodes: [{ id: 'RzaFaLuHRnW-7aiW3yF9yA', name: 'node-0' }, { id: 'Xq6r5cVpRtqP1hQbd2Qf7w', name: 'node-1' }] });
    expect(answer.repository).toEqual({ name: 'backups', type: 'fs', settings: { location: '/mnt/backups', compress: 'true' } });
    expect(await service.repositories({ workspaceId: 'w' }, call)).toEqual([
      { name: 'backups', type: 'fs', settings: { location: '/mnt/backups', compress: 'true' } },
      { name: 'offsite', type: 's3', settings: { bucket: 'tenantscope-backups', client: 'default', base_path: 'es' } },
    ]);
    expect(await service.slmPolicies({ workspaceId: 'w' }, call)).toEqual([
      {
        id: 'daily-snapshots',
        name: '<daily-snap-{now/d}>',
        schedule: '0 30 1 * * ?',
        repository: 'backups',
        indices: ['tenant-*', 'audit-logs'],
        retention: { expireAfter: '30d', minCount: 5, maxCount: 50 },
        lastSuccess: '2026-12-03T01:30:12.000Z',
        nextExecution: '2026-12-04T01:30:00.000Z',
      },
    ]);
  });

  it('an S3 repository is sent with the cluster’s setting names, and a failed verify is an answer with the reason', async () => {
    const c = mockedCluster();
    c.answer('PUT', '/_snapshot/:repository', { acknowledged: true });
    const failed = fixture('verify-repository-failed');
    c.mock.add({ method: 'POST', path: '/_snapshot/:repository/_verify' }, () => new errors.ResponseError({ body: failed.response, statusCode: failed.status ?? 500, headers: {}, warnings: null, meta: {} as never }));
    c.answer('GET', '/_snapshot', fixture('get-repository').response);
    const service = createStoreBackupsService({ openStores: async () => ({ elastic: c.store }), startJob: async () => { throw new Error('no job here'); } });
    const answer = await service.registerRepository(
      { workspaceId: 'w', name: 'offsite', settings: { type: 's3', bucket: 'tenantscope-backups', client: 'default', basePath: 'es', compress: true, serverSideEncryption: true } },
      call,
    );
    expect(c.sent('PUT', /^\/_snapshot\/offsite$/)[0]?.body).toEqual({ type: 's3', settings: { bucket: 'tenantscope-backups', client: 'default', compress: true, server_side_encryption: true, base_path: 'es' } });
    expect(answer.verification.ok).toBe(false);
    expect(answer.verification.reason).toContain('is not accessible on the node');
  });

  it('a snapshot of all indices is a job that polls _status, and names a repository that exists', async () => {
    const c = mockedCluster();
    const names = { INDEX_A: 'tenant-a-cases-2026-11', INDEX_B: 'audit-logs', SNAPSHOT: 'tenantscope-all-20261203t021500z' };
    c.answer('PUT', '/_snapshot/:repository/:snapshot', fixture('create-snapshot-accepted').response);
    let poll = 0;
    c.answer('GET', '/_snapshot/:repository/:snapshot/_status', () => fixture(poll++ === 0 ? 'snapshot-status-in-progress' : 'snapshot-status-success', names).response);
    const phases: string[] = [];
    const kind = elasticSnapshotKind(async () => c.store, { pollMs: 1 });
    const result = await kind.run(
      { workspaceId: 'w', repository: 'backups', snapshot: names.SNAPSHOT },
      { jobId: 'j', signal: new AbortController().signal, stores: c.store, progress: (done, total, phase) => phases.push(`${phase} ${done}/${total}`), log: () => undefined },
    );
    expect(c.sent('PUT', /^\/_snapshot\//)[0]?.body).toMatchObject({ indices: '*', include_global_state: false });
    expect(phases).toEqual(['Snapshot started 1/2', 'Snapshot success 2/2']);
    expect(result).toEqual({ repository: 'backups', snapshot: names.SNAPSHOT, indices: 2, shards: 2 });
    expect(snapshotNameAt(new Date('2026-12-03T02:15:00.123Z'))).toBe('tenantscope-all-20261203t021500z');

    c.answer('GET', '/_snapshot', fixture('get-repository').response);
    const service = createStoreBackupsService({ openStores: async () => ({ elastic: c.store }), startJob: async (request) => ({ id: 'job', request }) as never });
    await expect(service.snapshotAll({ workspaceId: 'w', repository: 'nowhere' }, call)).rejects.toSatisfy((e: unknown) => AppError.is(e, 'not_found'));
    const started = (await service.snapshotAll({ workspaceId: 'w', repository: 'backups' }, call)) as unknown as { request: { kind: string; params: { repository: string } } };
    expect(started.request).toMatchObject({ kind: 'store-backups.elastic-snapshot', params: { repository: 'backups' } });
  });
});
