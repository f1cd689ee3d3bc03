import { AppError } from '@shared/errors';
import type { JobKind } from '../../jobs';
import { exportDropKind, type ExportDropStores } from './export-drop-job';
import type { RetentionStores } from './service';
import { redisTtlKind, type RetentionRedis } from './redis-ttl-job';

interface KindTable {
  register<P, S>(kind: JobKind<P, S>): void;
}

/** A workspace's stores as the retention jobs open them: the section's, with Redis's face for the TTL fix. */
export type RetentionJobStores = Omit<RetentionStores, 'redis'> & { workspaceId: string; redis?: RetentionRedis };

export interface RetentionJobOptions {
  /** Where export-then-drop writes its folders. */
  exportRoot: string;
  /** Called when keys' TTLs changed, so the cached namespace map is walked again next time. */
  afterRedisChange?: (workspaceId: string) => void;
  now?: () => Date;
}

/** Registers the retention job kinds (`retention.redis-ttl`, `retention.mongo-export-drop`) over a workspace's stores. */
export function registerRetentionJobs(jobs: KindTable, openStores: (workspaceId: string, signal: AbortSignal) => Promise<RetentionJobStores>, options: RetentionJobOptions): void {
  jobs.register(
    redisTtlKind(async (workspaceId, signal) => {
      const stores = await openStores(workspaceId, signal);
      if (!stores.redis) throw new AppError('invalid_argument', `Workspace ${workspaceId} has no Redis for this job to run on.`);
      return { workspaceId, preset: stores.preset, redis: stores.redis };
    }, options.afterRedisChange),
  );
  jobs.register(
    exportDropKind(async (workspaceId, signal): Promise<ExportDropStores> => {
      const stores = await openStores(workspaceId, signal);
      if (!stores.mongo) throw new AppError('invalid_argument', `Workspace ${workspaceId} has no MongoDB for this job to run on.`);
      return { workspaceId, preset: stores.preset, mongo: stores.mongo, exportRoot: options.exportRoot };
    }, options.now),
  );
}
