import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElasticEndpoint } from '@shared/model/workspace';
import type { Session } from '@shared/model/session';
import { murima2025 } from '@shared/tenancy';
import { createIlmService } from '../../src/main/features/ilm/service';
import { putPolicyKind, retryKind } from '../../src/main/features/ilm/jobs';
import { ilmLaneSource } from '../../src/main/features/ilm/lanes';
import { ElasticStore } from '../../src/main/stores/elastic/store';
import { announceSkip, elasticSkipReason, elasticUrl } from '../support/external-stores';

announceSkip('ILM against Elasticsearch', elasticSkipReason);

function endpointFrom(url: string): { endpoint: ElasticEndpoint; password?: string } {
  const parsed = new URL(url);
  return {
    endpoint: ElasticEndpoint.parse({ node: `${parsed.protocol}//${parsed.host}`, ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}) }),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

const session: Session = { connectionId: 'c', operator: { name: 'Ada' }, role: 'dba' };
const context = () => ({ signal: new AbortController().signal, session, emit: () => undefined });
const jobContext = <S>(stores: S) => ({ jobId: 'job_x', signal: new AbortController().signal, stores, progress: () => undefined, log: () => undefined });

/**
 * The ILM room against a real cluster: a policy saved through the job is read back with its
 * version and followers, explain of two tenants' monthly indices comes back per tenant with phase
 * and policy, the time view gets one lane per entity, and a retry of an index that has not failed
 * is refused with the server's own reason.
 */
describe.skipIf(!elasticUrl)('ILM against Elasticsearch', () => {
  const tenants = [randomUUID(), randomUUID()];
  const policy = `tenantscope_test_${randomUUID().slice(0, 8)}`;
  const indices = tenants.flatMap((t) => [`tenant-${t}-cases-2026-01`, `tenant-${t}-audit-logs-2026-02`]);
  let client: Client;
  let store: ElasticStore;

  beforeAll(async () => {
    client = new Client({ node: elasticUrl ?? '' });
    const { endpoint, password } = endpointFrom(elasticUrl ?? '');
    store = new ElasticStore(endpoint, { password });
    await store.connect();
    await putPolicyKind(async () => ({ ilm: store.ilm })).run(
      { name: policy, policy: { phases: { hot: { actions: {} }, delete: { min_age: '3650d', actions: { delete: {} } } } }, expectedVersion: null },
      jobContext({ ilm: store.ilm }),
    );
    for (const index of indices) await client.indices.create({ index, settings: { number_of_replicas: 0, 'index.lifecycle.name': policy } });
  });

  afterAll(async () => {
    await client?.indices.delete({ index: indices, ignore_unavailable: true });
    await client?.ilm.deleteLifecycle({ name: policy }).catch(() => undefined);
    await Promise.all([client?.close(), store?.close()]);
  });

  const service = () => createIlmService({ openStores: async () => ({ preset: murima2025, elastic: { ilm: store.ilm } }), startJob: async () => ({}) as never });

  it('lists the saved policy with its version and the tenants that follow it', async () => {
    const { policies } = await service().policies({ workspaceId: 'w' }, context());
    expect(policies.find((p) => p.name === policy)).toMatchObject({ version: 1, indices: 4, tenants: 2, problems: [] });
  });

  it('refuses a save from a stale version with conflict, before sending', async () => {
    const stale = putPolicyKind(async () => ({ ilm: store.ilm })).run({ name: policy, policy: { phases: {} }, expectedVersion: 7 }, jobContext({ ilm: store.ilm }));
    await expect(stale).rejects.toMatchObject({ code: 'conflict' });
    expect((await store.ilm.policies(policy)).get(policy)?.version).toBe(1);
  });

  it('explains one tenant in one request and every tenant in batches', async () => {
    const one = await service().explain({ workspaceId: 'w', tenantId: tenants[0] ?? '' }, context());
    expect(one.rows.map((r) => r.index).sort()).toEqual(indices.slice(0, 2).sort());
    expect(one.rows.every((r) => r.managed && r.policy === policy && r.tenantId === tenants[0])).toBe(true);
    const all = await service().explain({ workspaceId: 'w', policy }, context());
    expect(all.rows.map((r) => r.index).sort()).toEqual([...indices].sort());
  });

  it('draws the tenant’s monthly indices as lanes', async () => {
    const lanes = await ilmLaneSource(async () => ({ preset: murima2025, elastic: { ilm: store.ilm } })).tenantLanes(
      { workspaceId: 'w', tenantId: tenants[1] ?? '', months: ['2026-01', '2026-02'], now: '2026-02' },
      new AbortController().signal,
    );
    expect(lanes.find((l) => l.name === 'cases')?.cells.map((c) => c.state)).toEqual(['present', 'none']);
    expect(lanes.find((l) => l.name === 'audit-logs')?.cells.map((c) => c.state)).toEqual(['none', 'present']);
  });

  it('a retry of an index that has not failed carries the server’s reason', async () => {
    const run = retryKind(async () => ({ ilm: store.ilm })).run({ indices: [indices[0] ?? ''], tenantIds: [] }, jobContext({ ilm: store.ilm }));
    await expect(run).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('has not encountered an error') });
  });
});
