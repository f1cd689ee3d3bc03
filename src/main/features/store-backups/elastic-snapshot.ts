import { z } from 'zod';
import type { JobKind } from '../../jobs';
import type { ElasticFace } from '../../stores/elastic/face';

export type SnapshotElastic = Pick<ElasticFace, 'startSnapshot' | 'followSnapshot'>;

export const ELASTIC_SNAPSHOT_KIND = 'store-backups.elastic-snapshot';

const Params = z.object({ workspaceId: z.string(), repository: z.string(), snapshot: z.string() }).strict();
type Params = z.infer<typeof Params>;

/** `tenantscope-all-20261203t021500z`: a snapshot name Elasticsearch accepts, sortable by time. */
export function snapshotNameAt(date: Date, what = 'all'): string {
  return `tenantscope-${what}-${date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase()}`;
}

/**
 * A snapshot of every index (no global state) as a job: started without waiting, then its
 * `_status` polled for shards done of total. A failed or partial snapshot, or a cancel, deletes it.
 */
export function elasticSnapshotKind(openStores: (workspaceId: string, signal: AbortSignal) => Promise<SnapshotElastic>, options: { pollMs?: number } = {}): JobKind<Params, SnapshotElastic> {
  const pollMs = options.pollMs ?? 1000;
  return {
    name: ELASTIC_SNAPSHOT_KIND,
    store: 'elastic',
    params: Params,
    describe: (params) => ({ title: `Elasticsearch snapshot ${params.snapshot} of all indices to ${params.repository}` }),
    openStores: (workspaceId, signal) => openStores(workspaceId, signal),
    async run(params, { signal, stores, progress, log }) {
      await stores.startSnapshot(params.repository, params.snapshot, '*', { signal, timeoutMs: 30_000 });
      log(`Snapshot ${params.snapshot} started in ${params.repository}.`);
      const done = await stores.followSnapshot(
        params.repository,
        params.snapshot,
        (status) => progress(status.shardsDone, status.shardsTotal || null, `Snapshot ${status.state.toLowerCase()}`),
        { signal, pollMs, log },
      );
      return { repository: params.repository, snapshot: params.snapshot, indices: done.indices.length, shards: done.shardsTotal };
    },
  };
}
