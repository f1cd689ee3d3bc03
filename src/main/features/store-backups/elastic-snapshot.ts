import { z } from 'zod';
import { AppError } from '@shared/errors';
import type { JobKind } from '../../jobs';
import type { ElasticFace } from '../../stores/elastic/face';
import { pause } from './wait';

export type SnapshotElastic = Pick<ElasticFace, 'startSnapshot' | 'snapshotStatus' | 'snapshotInfo' | 'deleteSnapshot'>;

export const ELASTIC_SNAPSHOT_KIND = 'store-backups.elastic-snapshot';

const Params = z.object({ workspaceId: z.string(), repository: z.string(), snapshot: z.string() }).strict();
type Params = z.infer<typeof Params>;

/** States of the status API after which nothing more happens. */
const FAILED = new Set(['FAILED', 'PARTIAL', 'ABORTED']);

/** `tenantscope-all-20261203t021500z`: a snapshot name Elasticsearch accepts, sortable by time. */
export function snapshotNameAt(date: Date, what = 'all'): string {
  return `tenantscope-${what}-${date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase()}`;
}

/**
 * Polls a snapshot's `_status` until it ends, reporting shards done of total. A failed, partial
 * or aborted snapshot is deleted and fails with the reasons `_snapshot/…` gives; a cancel deletes
 * it too, which aborts it on the cluster.
 */
export async function followSnapshot(
  elastic: SnapshotElastic,
  repository: string,
  snapshot: string,
  context: { signal: AbortSignal; progress(done: number, total: number | null, phase: string): void; log(line: string): void },
  pollMs: number,
): Promise<{ indices: string[]; shards: number }> {
  const exec = { signal: context.signal, timeoutMs: 30_000 };
  try {
    for (;;) {
      const status = await elastic.snapshotStatus(repository, snapshot, exec);
      context.progress(status.shardsDone, status.shardsTotal || null, `Snapshot ${status.state.toLowerCase()}`);
      if (status.state === 'SUCCESS') return { indices: status.indices, shards: status.shardsTotal };
      if (FAILED.has(status.state)) {
        const info = await elastic.snapshotInfo(repository, snapshot, exec).catch(() => undefined);
        throw new AppError('internal', `Snapshot ${snapshot} ended ${status.state}${info?.failures.length ? `: ${info.failures.slice(0, 3).join('; ')}` : ''}; ${status.shardsFailed} of ${status.shardsTotal} shards failed.`);
      }
      await pause(pollMs, context.signal, `Snapshot ${snapshot}`);
    }
  } catch (error) {
    // Nothing half-done stays in the repository: the snapshot goes (a running one is aborted by it).
    await elastic.deleteSnapshot(repository, snapshot, { timeoutMs: 30_000 }).then(
      () => context.log(`Snapshot ${snapshot} deleted from ${repository}.`),
      (cleanup: unknown) => context.log(`Snapshot ${snapshot} could not be deleted: ${cleanup instanceof Error ? cleanup.message : String(cleanup)}`),
    );
    throw error;
  }
}

/** A snapshot of every index (no global state) as a job. */
export function elasticSnapshotKind(openStores: (workspaceId: string, signal: AbortSignal) => Promise<SnapshotElastic>, options: { pollMs?: number } = {}): JobKind<Params, SnapshotElastic> {
  const pollMs = options.pollMs ?? 1000;
  return {
    name: ELASTIC_SNAPSHOT_KIND,
    store: 'elastic',
    params: Params,
    describe: (params) => ({ title: `Elasticsearch snapshot ${params.snapshot} of all indices to ${params.repository}` }),
    openStores: (workspaceId, signal) => openStores(workspaceId, signal),
    async run(params, context) {
      await context.stores.startSnapshot(params.repository, params.snapshot, '*', { signal: context.signal, timeoutMs: 30_000 });
      context.log(`Snapshot ${params.snapshot} started in ${params.repository}.`);
      const done = await followSnapshot(context.stores, params.repository, params.snapshot, context, pollMs);
      return { repository: params.repository, snapshot: params.snapshot, indices: done.indices.length, shards: done.shards };
    },
  };
}
