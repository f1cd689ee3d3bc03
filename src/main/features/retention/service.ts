import { AppError } from '@shared/errors';
import type { JobSummary } from '@shared/model/job';
import { monthOf } from '@shared/model/retention';
import type { Session } from '@shared/model/session';
import type { NamespaceMap } from '@shared/model/tenant';
import { scopeFor, type TenancyPreset } from '@shared/tenancy';
import type { SectionService } from '../../services/section';
import { bucketsToDrop } from './export-drop-job';
import { readMongoRetention, type RetentionMongo } from './mongo-retention';
import { redisRetention } from './redis-retention';
import { prescribedTtl } from './redis-ttl-job';

/** What the retention section reads of a workspace; a store left out is not configured. */
export interface RetentionStores {
  preset: TenancyPreset;
  mongo?: RetentionMongo;
  /** Whether the workspace has Redis at all (its figures come from the namespace map). */
  redis: boolean;
}

export interface RetentionServiceDeps {
  openStores(workspaceId: string, signal: AbortSignal): Promise<RetentionStores>;
  /** The workspace's namespace map, shared with the tenant list: walked only when there is none or on refresh. */
  namespaceMap(workspaceId: string, options: { refresh: boolean; signal: AbortSignal }): Promise<NamespaceMap>;
  /** Hands a job to the jobs room, started by the caller's session. */
  startJob(request: { workspaceId: string; kind: string; params: unknown; session: Pick<Session, 'operator' | 'role'> }): Promise<JobSummary>;
  now?: () => Date;
}

/** A store that cannot be read becomes `available: false` with the reason; the caller's cancel stays a cancel. */
function unavailable(error: unknown, signal: AbortSignal): { available: false; reason: string } {
  if (signal.aborted || !(error instanceof AppError) || !['unreachable', 'timeout', 'auth_failed', 'tls'].includes(error.code)) throw error;
  return { available: false, reason: error.message };
}

/**
 * The retention section: MongoDB buckets and TTL indexes, Redis families' TTLs, each against the
 * blueprint, and the two jobs that act on them. Access was checked by the router: reads are
 * `read`, the jobs `schema-change`.
 */
export function createRetentionService(deps: RetentionServiceDeps): SectionService<'retention'> {
  const now = deps.now ?? (() => new Date());
  return {
    async mongo(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      // A tenant id this preset would never give is refused whatever the workspace has.
      if (args.tenantId !== undefined) scopeFor(stores.preset, args.tenantId);
      if (!stores.preset.layout.mongo) return { available: false, reason: `The ${stores.preset.title} preset keeps nothing in MongoDB.` };
      if (!stores.mongo) return { available: false, reason: 'This workspace has no MongoDB endpoint; add one in the workspace editor.' };
      try {
        return await readMongoRetention(stores.mongo, stores.preset, { tenantId: args.tenantId, now: monthOf(now()), signal });
      } catch (error) {
        return unavailable(error, signal);
      }
    },

    async redis(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      if (args.tenantId !== undefined) scopeFor(stores.preset, args.tenantId);
      if (!stores.preset.layout.redis) return { available: false, reason: `The ${stores.preset.title} preset keeps nothing in Redis.` };
      if (!stores.redis) return { available: false, reason: 'This workspace has no Redis endpoint; add one in the workspace editor.' };
      try {
        const map = await deps.namespaceMap(args.workspaceId, { refresh: args.refresh, signal });
        return redisRetention(map, stores.preset.blueprint.redis?.families ?? [], { tenantId: args.tenantId, limit: args.limit });
      } catch (error) {
        return unavailable(error, signal);
      }
    },

    async exportDrop(args, { signal, session }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      const params = { tenantId: args.tenantId, family: args.family, months: args.months };
      // Months inside the retention, a family without buckets or a hostile tenant id fail the call, not the job.
      bucketsToDrop(stores.preset, params, now());
      if (!stores.mongo) throw new AppError('unreachable', 'This workspace has no MongoDB endpoint; add one in the workspace editor.');
      return deps.startJob({ workspaceId: args.workspaceId, kind: 'retention.mongo-export-drop', params, session });
    },

    async fixRedisTtl(args, { signal, session }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      if (args.tenantId !== undefined) scopeFor(stores.preset, args.tenantId);
      if (!stores.redis || !stores.preset.layout.redis) throw new AppError('unreachable', 'This workspace has no Redis endpoint; add one in the workspace editor.');
      prescribedTtl(stores.preset, args.family);
      const params = args.allTenants ? { family: args.family, allTenants: true } : { family: args.family, tenantId: args.tenantId };
      return deps.startJob({ workspaceId: args.workspaceId, kind: 'retention.redis-ttl', params, session });
    },
  };
}
