import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElasticEndpoint } from '@shared/model/workspace';
import { murima2025 } from '@shared/tenancy';
import { elasticBackupPart } from '../../src/main/features/backups/parts/elastic';
import { elasticSnapshotKind } from '../../src/main/features/store-backups/elastic-snapshot';
import type { PartContext } from '../../src/main/services/backup-part';
import { ElasticStore } from '../../src/main/stores/elastic/store';
import { announceSkip, elasticSkipReason, elasticUrl } from '../support/external-stores';

/** An fs repository needs a folder the cluster lists in `path.repo`: ES_SNAPSHOT_LOCATION names it. */
const location = process.env.ES_SNAPSHOT_LOCATION;
const skipReason = elasticSkipReason ?? (location ? undefined : 'ES_SNAPSHOT_LOCATION is not set: no folder of the cluster’s path.repo to register an fs repository in');
announceSkip('Elasticsearch bundle part', skipReason);

const context = (): PartContext => ({ signal: new AbortController().signal, folder: '/nonexistent', relativeFolder: 'elastic', progress: () => undefined, log: () => undefined });

describe.skipIf(skipReason !== undefined)('Elasticsearch bundle part on a real cluster', () => {
  const tenant = randomUUID();
  const repository = `tenantscope-test-${tenant.slice(0, 8)}`;
  const indices = [`tenant-${tenant}-cases-2026-11`, `tenant-${tenant}-interactions-2026-11`];
  let client: Client;
  let store: ElasticStore;

  beforeAll(async () => {
    const parsed = new URL(elasticUrl ?? '');
    client = new Client({ node: elasticUrl ?? '' });
    store = new ElasticStore(ElasticEndpoint.parse({ node: `${parsed.protocol}//${parsed.host}` }), {});
    for (const [n, index] of indices.entries()) {
      await client.indices.create({ index, settings: { number_of_replicas: 0 } });
      await client.bulk({ refresh: true, operations: Array.from({ length: 5 + n }, (_, i) => [{ index: { _index: index } }, { tenant_id: tenant, n: i }]).flat() });
    }
    await store.putSnapshotRepository(repository, { type: 'fs', settings: { location: location ?? '' } });
  });

  afterAll(async () => {
    await client.indices.delete({ index: [...indices, 'restored-it-*'].join(','), ignore_unavailable: true }).catch(() => undefined);
    await client.snapshot.deleteRepository({ name: repository }).catch(() => undefined);
    await store.close();
    await client.close();
  });

  it('snapshots the tenant, restores it under a new prefix with the same counts, and drops the copy', async () => {
    const part = elasticBackupPart({ preset: murima2025, elastic: store, repository, pollMs: 200 });
    const written = await part.backup(tenant, context());
    expect(written.counts).toEqual({ [indices[0] as string]: 5, [indices[1] as string]: 6 });
    await client.deleteByQuery({ index: indices[0] as string, query: { match_all: {} }, refresh: true });
    const bundle = { ...written, startedAt: new Date().toISOString(), endedAt: new Date().toISOString() };
    const restored = await part.restore(bundle, tenant, { mode: 'rename', name: 'restored-it-' }, context());
    expect(restored.counts).toEqual(written.counts);
    await part.dropRestored('restored-it-', new AbortController().signal);
    expect((await store.listIndices('restored-it-*')).length).toBe(0);
    await client.snapshot.delete({ repository, snapshot: String(written.details.snapshot) });
  });

  it('verifies the repository and takes a snapshot of all indices as a job, its status polled to SUCCESS', async () => {
    expect((await store.verifySnapshotRepository(repository)).nodes.length).toBeGreaterThan(0);
    const snapshot = `tenantscope-all-it-${tenant.slice(0, 8)}`;
    const phases: string[] = [];
    const result = await elasticSnapshotKind(async () => store, { pollMs: 200 }).run(
      { workspaceId: 'w', repository, snapshot },
      { jobId: 'j', signal: new AbortController().signal, stores: store, progress: (_d, _t, phase) => phases.push(phase), log: () => undefined },
    );
    expect(phases.at(-1)).toBe('Snapshot success');
    expect(result).toMatchObject({ repository, snapshot });
    expect((await store.snapshotInfo(repository, snapshot)).state).toBe('SUCCESS');
    await client.snapshot.delete({ repository, snapshot });
  });
});
