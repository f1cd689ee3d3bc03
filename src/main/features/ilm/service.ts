import { AppError } from '@shared/errors';
import type { JobSummary } from '@shared/model/job';
import type { Session } from '@shared/model/session';
import type { TenancyPreset } from '@shared/tenancy';
import type { SectionService } from '../../services/section';
import type { ElasticLifecycle } from '../../stores/elastic/ilm';
import { DEFAULT_BATCH_LIMITS, type BatchLimits } from './batches';
import { errorBoardOf } from './board';
import { explainIndices, explainView, readFollowers, readPolicies, type IlmReader } from './reading';
import { ilmTenancy, lifecycleRow, tenantOfIndexName } from './tenancy';
import { readTemplates } from './templates';

/** What the ILM room uses of a workspace: its preset and its Elasticsearch's lifecycle requests. */
export interface IlmStores {
  preset: TenancyPreset;
  elastic?: { ilm: IlmReader & Pick<ElasticLifecycle, 'rollover'> };
}

export interface IlmServiceDeps {
  openStores(workspaceId: string, signal: AbortSignal): Promise<IlmStores>;
  /** Hands a job to the jobs room, started by the caller's session. */
  startJob(request: { workspaceId: string; kind: string; params: unknown; session: Pick<Session, 'operator' | 'role'> }): Promise<JobSummary>;
  limits?: Partial<BatchLimits>;
}

export function needElastic(stores: IlmStores): IlmStores['elastic'] & object {
  if (!stores.elastic) throw new AppError('unreachable', 'This workspace has no Elasticsearch endpoint; add one in the workspace editor.');
  return stores.elastic;
}

/** The tenants a list of index names belongs to, for a job's title and audit entry. */
function tenantsOf(preset: TenancyPreset, indices: readonly string[]): string[] {
  if (!preset.layout.elastic) return [];
  const tenancy = ilmTenancy(preset);
  return [...new Set(indices.map((index) => tenantOfIndexName(tenancy, index)).filter((id): id is string => id !== undefined))].slice(0, 1_000);
}

/**
 * The ILM section. Reads go straight to the cluster (explain in bounded batches); changes are jobs.
 * Access was checked by the router: reads are `read`, changes `schema-change`.
 */
export function createIlmService(deps: IlmServiceDeps): SectionService<'ilm'> {
  const limits: BatchLimits = { ...DEFAULT_BATCH_LIMITS, ...deps.limits };

  return {
    async policies(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      return readPolicies(needElastic(stores).ilm, stores.preset, signal);
    },

    async followers(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      return readFollowers(needElastic(stores).ilm, stores.preset, args.policy, signal);
    },

    async savePolicy(args, { signal, session }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      needElastic(stores);
      return deps.startJob({
        workspaceId: args.workspaceId,
        kind: 'ilm.put-policy',
        params: { name: args.name, policy: args.policy, ...(args.expectedVersion !== undefined ? { expectedVersion: args.expectedVersion } : {}) },
        session,
      });
    },

    async explain(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      const tenancy = ilmTenancy(stores.preset);
      const explained = await explainIndices(needElastic(stores).ilm, tenancy, { tenantId: args.tenantId }, { onlyErrors: false }, limits, signal);
      return explainView(tenancy, explained, { policy: args.policy });
    },

    async errorBoard(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      const tenancy = ilmTenancy(stores.preset);
      const explained = await explainIndices(needElastic(stores).ilm, tenancy, {}, { onlyErrors: true }, limits, signal);
      const now = Date.now();
      return errorBoardOf(explained.indices.map((entry) => lifecycleRow(tenancy, entry, now)), { cost: explained.cost, gaps: explained.gaps });
    },

    async retry(args, { signal, session }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      needElastic(stores);
      return deps.startJob({ workspaceId: args.workspaceId, kind: 'ilm.retry', params: { indices: args.indices, tenantIds: tenantsOf(stores.preset, args.indices) }, session });
    },

    async rolloverCheck(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      const reply = await needElastic(stores).ilm.rollover(args.target, { dryRun: true, ...(args.conditions ? { conditions: args.conditions } : {}) }, { signal });
      return { target: args.target, oldIndex: reply.old_index, newIndex: reply.new_index, dryRun: true, rolledOver: reply.rolled_over, conditions: reply.conditions };
    },

    async rollover(args, { signal, session }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      needElastic(stores);
      return deps.startJob({
        workspaceId: args.workspaceId,
        kind: 'ilm.rollover',
        params: { target: args.target, ...(args.conditions ? { conditions: args.conditions } : {}), ...(args.newIndex ? { newIndex: args.newIndex } : {}), tenantIds: tenantsOf(stores.preset, [args.target]) },
        session,
      });
    },

    async templates(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      return readTemplates(needElastic(stores).ilm, stores.preset, signal);
    },
  };
}
