import { AppError } from '@shared/errors';
import type { ParsedArgsOf, ResultOf } from '@shared/contract/define';
import type { explain as explainSection, ExplainedPlan } from '@shared/contract/explain';
import { advise, normalisePlan, planBadges, type Plan } from '@shared/explain';
import type { TenantScope } from '@shared/model/tenant-scope';
import { scopeFor, type TenancyPreset } from '@shared/tenancy';
import type { PostgresFace } from '../../stores/postgres/face';

type Methods = typeof explainSection.methods;

export type ExplainService = {
  [M in keyof Methods]: (args: ParsedArgsOf<Methods[M]>, context: { signal: AbortSignal }) => Promise<ResultOf<Methods[M]>>;
};

/** What explain needs of a workspace: its preset (scope and tenant key) and a PostgreSQL that explains. */
export interface ExplainStores {
  preset: TenancyPreset;
  postgres?: Pick<PostgresFace, 'explain'>;
}

export interface ExplainServiceDeps {
  openStores(workspaceId: string, signal: AbortSignal): Promise<ExplainStores>;
  /** Applied when a call gives no `timeoutMs`. */
  defaultTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** The tenant key both platform designs put first in an index, when a preset names none. */
const DEFAULT_TENANT_KEY = 'tenant_id';

const WRITE_NOT_ANALYZED =
  'This statement writes, so ANALYZE was not run and the figures are the planner’s estimates. ' +
  'Analysing it runs the write inside a transaction that is rolled back (explain.analyzeWrite).';

/** The tenant column or field a preset scopes by, for the advisor's suggested indexes. */
function tenantKeyOf(scope: TenantScope): string {
  return scope.postgres?.tenantColumn ?? scope.mongo?.field ?? DEFAULT_TENANT_KEY;
}

/** A plan with its tips and badges, as every explain method returns it. */
export function explainedPlan(plan: Plan, raw: unknown, advice: { tenantKey: string; schema?: string }): ExplainedPlan {
  const badges = Object.fromEntries(planBadges(plan));
  return { plan, tips: advise(plan, advice), badges, raw };
}

/**
 * Explain plans for one tenant. The statement runs in the tenant's scope (its schema first on the
 * search_path, its RLS setting) as the preset defines it; tips name the preset's tenant key first
 * in any index they suggest and qualify DDL with the tenant's schema.
 */
export function createExplainService(deps: ExplainServiceDeps): ExplainService {
  async function explainFor(args: ParsedArgsOf<Methods['analyzeWrite']>, signal: AbortSignal, analyze: boolean, analyzeWrites: boolean): Promise<ExplainedPlan> {
    if (args.engine !== 'postgres') throw new AppError('invalid_argument', `Explaining ${args.engine} queries is not available yet.`);
    const stores = await deps.openStores(args.workspaceId, signal);
    if (!stores.preset.layout.postgres) {
      throw new AppError('invalid_argument', `The ${stores.preset.title} preset keeps no tenant data in PostgreSQL; explain a MongoDB or Elasticsearch query instead.`);
    }
    if (!stores.postgres) throw new AppError('unreachable', 'This workspace has no PostgreSQL endpoint; add one in the workspace editor.');
    // scopeFor validates the tenant id against the preset, so a hostile id never reaches SQL.
    const scope = scopeFor(stores.preset, args.tenantId);
    const timeoutMs = args.timeoutMs ?? deps.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const result = await stores.postgres.explain(args.statement, [], scope, { analyze, analyzeWrites, signal, timeoutMs });
    const normalised = normalisePlan(result.plan, 'postgres');
    const plan: Plan = analyze && result.writes && !result.analyzed ? { ...normalised, notes: [...(normalised.notes ?? []), WRITE_NOT_ANALYZED] } : normalised;
    return explainedPlan(plan, result.plan, { tenantKey: tenantKeyOf(scope), ...(scope.postgres && { schema: scope.postgres.schema }) });
  }

  return {
    run: (args, context) => explainFor(args, context.signal, args.analyze, false),
    analyzeWrite: (args, context) => explainFor(args, context.signal, true, true),
    history: () => Promise.reject(new AppError('not_found', 'Kept plans are not available yet.')),
    plan: () => Promise.reject(new AppError('not_found', 'Kept plans are not available yet.')),
    fleet: () => Promise.reject(new AppError('not_found', 'Fleet explain is not available yet.')),
    fleetResult: () => Promise.reject(new AppError('not_found', 'Fleet explain is not available yet.')),
    parse: async (args) => {
      const plan = normalisePlan(args.text, args.engine);
      return explainedPlan(plan, plan.raw, { tenantKey: args.tenantKey ?? DEFAULT_TENANT_KEY });
    },
  };
}
