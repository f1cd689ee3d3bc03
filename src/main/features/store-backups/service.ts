import { AppError } from '@shared/errors';
import type { JobSummary } from '@shared/model/job';
import type { Session } from '@shared/model/session';
import type { SectionService } from '../../services/section';
import type { ElasticFace, RepositoryDefinition } from '../../stores/elastic/face';
import type { RedisFace } from '../../stores/redis/face';
import { ELASTIC_SNAPSHOT_KIND, snapshotNameAt } from './elastic-snapshot';
import { REDIS_SAVE_KIND } from './redis-save';

export type StoreBackupsRedis = Pick<RedisFace, 'persistence'>;
export type StoreBackupsElastic = Pick<ElasticFace, 'listSnapshotRepositories' | 'putSnapshotRepository' | 'verifySnapshotRepository' | 'listSlmPolicies'>;

export interface StoreBackupsDeps {
  openStores(workspaceId: string, signal: AbortSignal): Promise<{ redis?: StoreBackupsRedis; elastic?: StoreBackupsElastic }>;
  /** Hands a job to the jobs room, started by the caller's session. */
  startJob(request: { workspaceId: string; kind: string; params: unknown; session: Pick<Session, 'operator' | 'role'> }): Promise<JobSummary>;
  now?: () => Date;
}

type Settings = { type: 'fs'; location: string; compress: boolean } | { type: 's3'; bucket: string; client: string; basePath?: string | undefined; compress: boolean; serverSideEncryption: boolean };

function definitionOf(settings: Settings): RepositoryDefinition {
  if (settings.type === 'fs') return { type: 'fs', settings: { location: settings.location, compress: settings.compress } };
  return {
    type: 's3',
    settings: {
      bucket: settings.bucket,
      client: settings.client,
      compress: settings.compress,
      server_side_encryption: settings.serverSideEncryption,
      ...(settings.basePath ? { base_path: settings.basePath } : {}),
    },
  };
}

/** Whole-store backups: Redis BGSAVE, Elasticsearch repositories, snapshots of all indices, SLM policies. */
export function createStoreBackupsService(deps: StoreBackupsDeps): SectionService<'storeBackups'> {
  const now = deps.now ?? (() => new Date());
  const redisOf = async (workspaceId: string, signal: AbortSignal): Promise<StoreBackupsRedis> => {
    const { redis } = await deps.openStores(workspaceId, signal);
    if (!redis) throw new AppError('unreachable', 'This workspace has no Redis endpoint; add one in the workspace editor.');
    return redis;
  };
  const elasticOf = async (workspaceId: string, signal: AbortSignal): Promise<StoreBackupsElastic> => {
    const { elastic } = await deps.openStores(workspaceId, signal);
    if (!elastic) throw new AppError('unreachable', 'This workspace has no Elasticsearch endpoint; add one in the workspace editor.');
    return elastic;
  };
  const verify = async (elastic: StoreBackupsElastic, name: string, signal: AbortSignal) => {
    try {
      return { ok: true, ...(await elastic.verifySnapshotRepository(name, { signal, timeoutMs: 60_000 })) };
    } catch (error) {
      // A repository the nodes cannot write to is an answer to show, not a failed call.
      if (AppError.is(error) && ['invalid_argument', 'internal', 'not_found'].includes(error.code)) return { ok: false, nodes: [], reason: error.message };
      throw error;
    }
  };

  return {
    async redisPersistence(args, { signal }) {
      const state = await (await redisOf(args.workspaceId, signal)).persistence({ signal, timeoutMs: 10_000 });
      return {
        lastSave: new Date(state.lastSave * 1000).toISOString(),
        bgsaveInProgress: state.bgsaveInProgress,
        lastBgsaveStatus: state.lastBgsaveStatus,
        changesSinceLastSave: state.changesSinceLastSave,
      };
    },

    async redisSave(args, { signal, session }) {
      await redisOf(args.workspaceId, signal);
      return deps.startJob({ workspaceId: args.workspaceId, kind: REDIS_SAVE_KIND, params: { workspaceId: args.workspaceId }, session });
    },

    async repositories(args, { signal }) {
      return (await elasticOf(args.workspaceId, signal)).listSnapshotRepositories({ signal, timeoutMs: 15_000 });
    },

    async registerRepository(args, { signal }) {
      const elastic = await elasticOf(args.workspaceId, signal);
      await elastic.putSnapshotRepository(args.name, definitionOf(args.settings), { signal, timeoutMs: 60_000 });
      const verification = await verify(elastic, args.name, signal);
      const repository = (await elastic.listSnapshotRepositories({ signal, timeoutMs: 15_000 })).find((r) => r.name === args.name);
      if (!repository) throw new AppError('internal', `Repository ${args.name} was registered but the cluster does not list it.`);
      return { repository, verification };
    },

    async verifyRepository(args, { signal }) {
      return verify(await elasticOf(args.workspaceId, signal), args.name, signal);
    },

    async snapshotAll(args, { signal, session }) {
      const elastic = await elasticOf(args.workspaceId, signal);
      const known = await elastic.listSnapshotRepositories({ signal, timeoutMs: 15_000 });
      if (!known.some((r) => r.name === args.repository)) {
        throw new AppError('not_found', `No snapshot repository ${args.repository} is registered${known.length ? ` (there are: ${known.map((r) => r.name).join(', ')})` : ''}; register one first.`);
      }
      const snapshot = args.snapshot ?? snapshotNameAt(now());
      return deps.startJob({ workspaceId: args.workspaceId, kind: ELASTIC_SNAPSHOT_KIND, params: { workspaceId: args.workspaceId, repository: args.repository, snapshot }, session });
    },

    async slmPolicies(args, { signal }) {
      return (await elasticOf(args.workspaceId, signal)).listSlmPolicies({ signal, timeoutMs: 15_000 });
    },
  };
}
