import { AppError } from '@shared/errors';
import type { ParsedArgsOf, ResultOf } from '@shared/contract/define';
import type { explain as explainSection, ExplainedPlan, PlanRecord } from '@shared/contract/explain';
import { advise, normalisePlan, planBadges, type Plan, type PlanNode } from '@shared/explain';
import type { Session } from '@shared/model/session';
import { validateTenantId } from '@shared/model/tenant-id';
import type { JobManager } from '../../jobs';
import type { TenantRoster } from '../../reading/tenant-roster';
import { DEFAULT_TENANT_KEY, explainInTenant, headlineOf, type ExplainStores } from './engines';
import { FLEET_KIND, FleetParams } from './fleet-kind';
import { isFleetPlanId, planOf, type FleetGrouping, type FleetPlans } from './fleet-plans';
import { fingerprintOf, fingerprintSql } from './fingerprint';
import type { PlanAdvice, PlanStore } from './plan-store';

export type { ExplainStores, MongoExplainer, ElasticProfiler } from './engines';

type Methods = typeof explainSection.methods;

/** What a method gets besides its arguments: the call's signal and who is calling (kept plans name them). */
export interface ExplainCallContext {
  signal: AbortSignal;
  session: Pick<Session, 'operator' | 'role'>;
}

export type ExplainService = {
  [M in keyof Methods]: (args: ParsedArgsOf<Methods[M]>, context: ExplainCallContext) => Promise<ResultOf<Methods[M]>>;
};

export interface ExplainServiceDeps {
  openStores(workspaceId: string, signal: AbortSignal): Promise<ExplainStores>;
  /** The workspace's PostgreSQL tenants, for a fleet explain over all of them. */
  rosterOf(workspaceId: string, signal: AbortSignal): Promise<TenantRoster>;
  plans: PlanStore;
  fleets: FleetPlans;
  jobs: Pick<JobManager, 'start' | 'get'>;
  /** Applied when a call gives no `timeoutMs`. */
  defaultTimeoutMs?: number;
  /** A plan that could not be kept (the explain itself still answers). */
  onError?(message: string): void;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** As many tenants as the contract lets a caller name. */
const MAX_FLEET_TENANTS = 100_000;

/** A plan with its tips and badges, as every explain method returns it. */
export function explainedPlan(plan: Plan, raw: unknown, advice: PlanAdvice): ExplainedPlan {
  const badges = Object.fromEntries(planBadges(plan));
  return { plan: withoutEngineJson(plan), tips: advise(plan, advice), badges, raw };
}

/**
 * The plan as it crosses to the renderer: the engine's document travels once, as `raw`, not again
 * as the plan's own copy and once more spread over its nodes (a 2,000-partition paste was 28 MB,
 * three times its JSON). Advisor and badges have read the full plan by then; the renderer draws
 * nodes from their normalised fields and shows the document from `raw`.
 */
function withoutEngineJson(plan: Plan): Plan {
  const strip = (node: PlanNode): PlanNode => ({ ...node, raw: undefined, children: node.children.map(strip) });
  return { ...plan, raw: undefined, root: strip(plan.root) };
}

const emptyGrouping: FleetGrouping = { tenantsExplained: 0, groups: [], slowest: [], failed: [] };

/**
 * Explain plans for one tenant, kept per workspace, and fleet explain across tenants as a job.
 * The statement runs in the tenant's scope as the preset defines it; tips name the preset's tenant
 * key first in any index they suggest and qualify DDL with the tenant's schema.
 */
export function createExplainService(deps: ExplainServiceDeps): ExplainService {
  async function explainAndKeep(args: ParsedArgsOf<Methods['analyzeWrite']>, context: ExplainCallContext, analyze: boolean, analyzeWrites: boolean): Promise<ExplainedPlan> {
    if (analyzeWrites && args.engine !== 'postgres') {
      throw new AppError('invalid_argument', 'Only PostgreSQL writes are analysed; MongoDB and Elasticsearch explains are reads (explain.run).');
    }
    const stores = await deps.openStores(args.workspaceId, context.signal);
    const timeoutMs = args.timeoutMs ?? deps.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const outcome = await explainInTenant(stores, args, { analyze, analyzeWrites, signal: context.signal, timeoutMs });
    const explained = explainedPlan(outcome.plan, outcome.raw, outcome.advice);
    try {
      const record = await deps.plans.keep(args.workspaceId, {
        raw: outcome.raw,
        ...(outcome.notes.length > 0 && { notes: outcome.notes }),
        advice: outcome.advice,
        record: {
          operator: context.session.operator.name.slice(0, 200),
          tenantId: args.tenantId,
          engine: args.engine,
          statement: args.statement,
          fingerprint: fingerprintOf(args.engine, args.statement, outcome.target),
          analyzed: outcome.plan.analyzed,
          totalTimeMs: outcome.plan.totalMs ?? null,
          planningTimeMs: outcome.plan.planningMs ?? null,
          headline: headlineOf(outcome.plan),
        },
      });
      return { ...explained, planId: record.id };
    } catch (error) {
      // The plan is still worth showing; it just cannot be compared later.
      deps.onError?.(`A plan of ${args.workspaceId} could not be kept: ${error instanceof Error ? error.message : String(error)}`);
      return explained;
    }
  }

  return {
    run: (args, context) => explainAndKeep(args, context, args.analyze, false),
    analyzeWrite: (args, context) => explainAndKeep(args, context, true, true),

    history: async ({ workspaceId, tenantId, fingerprint, limit }) => {
      // A record's fingerprint, or a statement: SQL is fingerprinted again (which leaves a fingerprint as it is).
      const fingerprints = fingerprint === undefined ? undefined : new Set([fingerprint, fingerprintSql(fingerprint)]);
      return { plans: await deps.plans.history(workspaceId, { ...(tenantId !== undefined && { tenantId }), ...(fingerprints && { fingerprints }), limit }) };
    },

    plan: async ({ workspaceId, planId }) => {
      const kept = isFleetPlanId(planId) ? await deps.fleets.read(workspaceId, planId) : await deps.plans.read(workspaceId, planId);
      const record: PlanRecord = kept.record;
      return { ...explainedPlan(planOf(kept), kept.raw, kept.advice), planId, record };
    },

    fleet: async (args, context) => {
      const stores = await deps.openStores(args.workspaceId, context.signal);
      const { preset } = stores;
      if (!preset.layout.postgres) throw new AppError('invalid_argument', `The ${preset.title} preset keeps no tenant data in PostgreSQL to explain across.`);
      let tenantIds: string[];
      if (args.allTenants) {
        const roster = await deps.rosterOf(args.workspaceId, context.signal);
        if (roster.tenantIds.length === 0) throw new AppError('not_found', 'This workspace’s PostgreSQL has no tenants to explain in.');
        if (roster.tenantIds.length > MAX_FLEET_TENANTS) {
          throw new AppError('invalid_argument', `This workspace has ${roster.tenantIds.length} tenants; a fleet explain covers at most ${MAX_FLEET_TENANTS}: name them in batches.`);
        }
        tenantIds = roster.tenantIds;
      } else {
        // Checked here, so a bad id is refused at the call instead of failing one step of the job.
        tenantIds = [...new Set((args.tenantIds ?? []).map((id) => validateTenantId(id, preset.tenantId.pattern)))];
      }
      const params: FleetParams = {
        statement: args.statement,
        tenantIds,
        allTenants: args.allTenants === true,
        analyze: args.analyze,
        concurrency: args.concurrency,
        timeoutMs: deps.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS,
        operator: context.session.operator.name.slice(0, 200),
      };
      return deps.jobs.start({ workspaceId: args.workspaceId, kind: FLEET_KIND, params, session: context.session });
    },

    fleetResult: async ({ workspaceId, jobId }) => {
      const job = deps.jobs.get(workspaceId, jobId);
      const params = job.kind === FLEET_KIND ? FleetParams.safeParse(job.params) : undefined;
      if (!params?.success) throw new AppError('not_found', `Job ${jobId} is not a fleet explain.`);
      const grouping = await deps.fleets.grouping(workspaceId, jobId);
      // Only the last fleets' plans are kept: a job that succeeded and left none had them pruned.
      if (!grouping && job.state === 'succeeded') throw new AppError('not_found', `The plans of fleet explain ${jobId} are no longer kept; run it again.`);
      return { jobId, state: job.state, statement: params.data.statement, tenantsAsked: params.data.tenantIds.length, ...(grouping ?? emptyGrouping) };
    },

    parse: async (args) => {
      const plan = normalisePlan(args.text, args.engine);
      return explainedPlan(plan, plan.raw, { tenantKey: args.tenantKey ?? DEFAULT_TENANT_KEY });
    },
  };
}
