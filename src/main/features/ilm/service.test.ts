import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { contract } from '@shared/contract';
import type { Session } from '@shared/model/session';
import { murima2025 } from '@shared/tenancy';
import { mockIlmCluster, tenantFleet, type MockIndex } from '../../stores/elastic/ilm-mock-cluster';
import { retryRefusedBody } from '../../stores/elastic/ilm-fixtures';
import { createIlmService } from './service';
import { retryKind } from './jobs';

const { errors } = createRequire(import.meta.url)('@elastic/elasticsearch') as typeof import('@elastic/elasticsearch');

const session: Session = { connectionId: 'c', operator: { name: 'Ada' }, role: 'dba' };
const context = () => ({ signal: new AbortController().signal, session, emit: () => undefined });

function serviceOver(indices: MockIndex[], refuse?: (expression: string) => Error | undefined) {
  const cluster = mockIlmCluster(indices, refuse ? { refuse } : {});
  const started: Array<{ kind: string; params: unknown }> = [];
  const service = createIlmService({
    openStores: async () => ({ preset: murima2025, elastic: { ilm: cluster.store.ilm } }),
    startJob: async (request) => {
      started.push({ kind: request.kind, params: request.params });
      return { id: 'job_aaaaaaaaaaaaaaaaaaaa' } as never;
    },
  });
  return { ...cluster, service, started };
}

const explains = <R extends { path: string }>(requests: R[]): R[] => requests.filter((r) => r.path.endsWith('/_ilm/explain'));

describe('ILM explain batched by tenant prefix', () => {
  it('explains 5,000 indices of 500 tenants in a few bounded requests, only_errors for the board', async () => {
    const fleet = tenantFleet(500, 10, 97);
    const { service, requests, store } = serviceOver(fleet);
    const board = await service.errorBoard({ workspaceId: 'w' }, context());
    const calls = explains(requests);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.length).toBeLessThan(20);
    expect(board.cost.requests).toBe(calls.length + 1);
    for (const call of calls) {
      expect(call.querystring.only_errors).toBe('true');
      expect(call.path.length).toBeLessThanOrEqual(3_500);
      expect(call.path).not.toContain('/*/');
    }
    // Every tenant prefix asked once, none twice.
    const patterns = calls.flatMap((c) => decodeURIComponent(c.path.split('/')[1] ?? '').split(','));
    expect(new Set(patterns).size).toBe(500);
    expect(patterns).toHaveLength(500);
    const failing = fleet.filter((i) => i.failure);
    expect(board.total).toBe(failing.length);
    // One reason, with the index name taken out, in each phase where it happened.
    expect(new Set(board.groups.map((g) => g.reason))).toEqual(new Set(['[<index>] the number of target shards [n] must be less that the number of source shards [n]']));
    expect(board.groups.map((g) => g.phase).sort()).toEqual([...new Set(failing.map((i) => i.phase))].sort());
    expect(board.groups.reduce((sum, g) => sum + g.count, 0)).toBe(failing.length);
    expect(board.rows.reduce((sum, r) => sum + r.total, 0)).toBe(failing.length);
    expect(board.phases.every((p) => ['hot', 'warm', 'cold'].includes(p))).toBe(true);
    await store.close();
  });

  it('explains one tenant in one request on its prefix', async () => {
    const fleet = tenantFleet(3, 6);
    const { service, requests, store } = serviceOver(fleet);
    const tenantId = fleet[6]?.index.slice('tenant-'.length, 'tenant-'.length + 36) ?? '';
    const result = await service.explain({ workspaceId: 'w', tenantId }, context());
    expect(explains(requests).map((r) => r.path)).toEqual([`/tenant-${tenantId}-*/_ilm/explain`]);
    expect(result.rows).toHaveLength(6);
    expect(result.rows.every((r) => r.tenantId === tenantId && r.phase !== null && r.age === '30.5d')).toBe(true);
    await store.close();
  });

  it('keeps the answer when one batch fails, naming the batch’s prefixes', async () => {
    const fleet = tenantFleet(200, 3);
    const poisoned = `${fleet[0]?.index.slice(0, 'tenant-'.length + 36) ?? ''}-*`;
    const refusal = () => new errors.ResponseError({ body: { error: { type: 'process_cluster_event_timeout_exception', reason: 'failed to process cluster event within 30s' }, status: 503 }, statusCode: 503, headers: {}, warnings: null, meta: {} as never });
    const { service, store } = serviceOver(fleet, (expression) => (expression.split(',').includes(poisoned) ? refusal() : undefined));
    const result = await service.explain({ workspaceId: 'w' }, context());
    expect(result.gaps).toHaveLength(1);
    expect(result.gaps[0]?.reason).toBe('failed to process cluster event within 30s');
    expect(result.gaps[0]?.patterns).toContain(poisoned);
    expect(result.rows.length).toBe(fleet.length - (result.gaps[0]?.patterns.length ?? 0) * 3);
    expect(result.rows.some((r) => r.index.startsWith(poisoned.slice(0, -1)))).toBe(false);
    await store.close();
  });
});

describe('ILM changes', () => {
  it('refuses a policy that breaks the phase rules at the contract, with the field’s path', () => {
    const parsed = contract.ilm.savePolicy.args.safeParse({ workspaceId: 'w', name: 'p', policy: { phases: { warm: { actions: { rollover: { max_age: '1d' } } } } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain('policy.phases.warm.actions.rollover');
  });

  it('starts a retry job naming the indices’ tenants', async () => {
    const fleet = tenantFleet(2, 3);
    const { service, started, store } = serviceOver(fleet);
    await service.retry({ workspaceId: 'w', indices: [fleet[0]?.index ?? '', fleet[3]?.index ?? ''] }, context());
    expect(started[0]?.kind).toBe('ilm.retry');
    expect((started[0]?.params as { tenantIds: string[] }).tenantIds).toHaveLength(2);
    await store.close();
  });

  it('a retry refused by the server fails its job with the server’s reason', async () => {
    const { store, mock } = mockIlmCluster([]);
    mock.add({ method: 'POST', path: '/:index/_ilm/retry' }, () => new errors.ResponseError({ body: retryRefusedBody, statusCode: 400, headers: {}, warnings: null, meta: {} as never }));
    const kind = retryKind(async () => ({ ilm: store.ilm }));
    const lines: string[] = [];
    const run = kind.run(
      { indices: ['my-index-000001'], tenantIds: [] },
      { jobId: 'job_x', signal: new AbortController().signal, stores: { ilm: store.ilm }, progress: () => undefined, log: (line) => lines.push(line) },
    );
    await expect(run).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('has not encountered an error when running a Lifecycle Policy') });
    await store.close();
  });
});
