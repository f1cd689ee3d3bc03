import { AppError } from '@shared/errors';
import { normalisePlan, walkPlan, type Plan, type PlanEngine, type PlanNode } from '@shared/explain';
import type { TenantScope } from '@shared/model/tenant-scope';
import { scopeFor, type TenancyPreset } from '@shared/tenancy';
import type { ExecutionOptions } from '../../stores/execution';
import type { MongoTarget } from '../../stores/mongo/face';
import type { PostgresFace } from '../../stores/postgres/face';
import type { PlanAdvice } from './plan-store';

/** MongoDB's explain of a user's find or aggregate, as `MongoFace.explainUser` declares it: the `executionStats` document. */
export interface MongoExplainer {
  explainUser(target: MongoTarget, request: { operation: 'find' | 'aggregate'; text: string; options?: string }, scope: TenantScope, options?: ExecutionOptions): Promise<unknown>;
}

/** Elasticsearch's profile of a user's search, as `ElasticFace.profileUser` declares it: the `_search` reply with `profile: true`. */
export interface ElasticProfiler {
  profileUser(index: string, body: string, scope: TenantScope, options?: ExecutionOptions): Promise<unknown>;
}

/** What explain needs of a workspace: its preset (scope and tenant key) and the stores that explain. */
export interface ExplainStores {
  preset: TenancyPreset;
  postgres?: Pick<PostgresFace, 'explain'>;
  /** With the database the preset keeps tenant data in, the workspace's name winning. */
  mongo?: { explainer: MongoExplainer; database: string };
  elastic?: ElasticProfiler;
}

/** One statement to explain in one tenant, as `explain.run` names it. */
export interface ExplainRequest {
  tenantId: string;
  engine: PlanEngine;
  statement: string;
  collection?: string | undefined;
  operation?: 'find' | 'aggregate' | undefined;
  index?: string | undefined;
}

export interface ExplainOptions {
  analyze: boolean;
  /** PostgreSQL: also ANALYZE a write, in a transaction that is rolled back. */
  analyzeWrites: boolean;
  signal: AbortSignal;
  timeoutMs: number;
  /** Leads the statement sent to PostgreSQL (a job's tag), so its server work can be found. */
  tag?: string;
}

export interface ExplainOutcome {
  plan: Plan;
  /** The engine's own document. */
  raw: unknown;
  notes: string[];
  advice: PlanAdvice;
  /** What the statement ran on beside its text (`find cases`, an index name), for its fingerprint. */
  target?: string;
}

/** The tenant key both platform designs put first in an index, when a preset names none. */
export const DEFAULT_TENANT_KEY = 'tenant_id';

export const WRITE_NOT_ANALYZED =
  'This statement writes, so ANALYZE was not run and the figures are the planner’s estimates. ' +
  'Analysing it runs the write inside a transaction that is rolled back (explain.analyzeWrite).';

/** The tenant column or field a preset scopes the engine's data by, for the advisor's suggested indexes. */
function tenantKeyOf(engine: PlanEngine, scope: TenantScope): string {
  if (engine === 'mongo') return scope.mongo?.field ?? scope.postgres?.tenantColumn ?? DEFAULT_TENANT_KEY;
  return scope.postgres?.tenantColumn ?? scope.mongo?.field ?? DEFAULT_TENANT_KEY;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new AppError('invalid_argument', what);
  return value;
}

/**
 * Explains one statement in one tenant's scope on its engine: PostgreSQL EXPLAIN in the tenant's
 * schema and RLS setting, MongoDB explain('executionStats') of a find or aggregate on the tenant's
 * collection, Elasticsearch's profile of a search on the tenant's indices. The scope comes from
 * `scopeFor`, which validates the tenant id against the preset, so a hostile id never reaches a store.
 */
export async function explainInTenant(stores: ExplainStores, request: ExplainRequest, options: ExplainOptions): Promise<ExplainOutcome> {
  const { preset } = stores;
  const scope = scopeFor(preset, request.tenantId);
  const advice = { tenantKey: tenantKeyOf(request.engine, scope) };
  const exec = { signal: options.signal, timeoutMs: options.timeoutMs };
  switch (request.engine) {
    case 'postgres': {
      if (!preset.layout.postgres) {
        throw new AppError('invalid_argument', `The ${preset.title} preset keeps no tenant data in PostgreSQL; explain a MongoDB or Elasticsearch query instead.`);
      }
      if (!stores.postgres) throw new AppError('unreachable', 'This workspace has no PostgreSQL endpoint; add one in the workspace editor.');
      const sql = `${options.tag ?? ''}${request.statement}`;
      const result = await stores.postgres.explain(sql, [], scope, { ...exec, analyze: options.analyze, analyzeWrites: options.analyzeWrites });
      const notes = options.analyze && result.writes && !result.analyzed ? [WRITE_NOT_ANALYZED] : [];
      const schema = scope.postgres?.schema;
      return { plan: withNotes(normalisePlan(result.plan, 'postgres'), notes), raw: result.plan, notes, advice: { ...advice, ...(schema && { schema }) } };
    }
    case 'mongo': {
      const collection = required(request.collection, 'A MongoDB explain needs the collection to run on.');
      const operation = required(request.operation, 'A MongoDB explain needs its operation: find or aggregate.');
      if (!preset.layout.mongo) throw new AppError('invalid_argument', `The ${preset.title} preset keeps no tenant data in MongoDB.`);
      if (!stores.mongo) throw new AppError('unreachable', 'This workspace has no MongoDB endpoint that explains; add one in the workspace editor.');
      const target = { database: stores.mongo.database, collection };
      const raw = await stores.mongo.explainer.explainUser(target, { operation, text: request.statement }, scope, exec);
      return { plan: normalisePlan(raw, 'mongo'), raw, notes: [], advice, target: `${operation} ${collection}` };
    }
    case 'elastic': {
      const index = required(request.index, 'An Elasticsearch profile needs the index to search, inside the tenant’s own.');
      if (!preset.layout.elastic) throw new AppError('invalid_argument', `The ${preset.title} preset keeps no tenant data in Elasticsearch.`);
      if (!stores.elastic) throw new AppError('unreachable', 'This workspace has no Elasticsearch endpoint that profiles; add one in the workspace editor.');
      const raw = await stores.elastic.profileUser(index, request.statement, scope, exec);
      return { plan: normalisePlan(raw, 'elastic'), raw, notes: [], advice, target: index };
    }
  }
}

export function withNotes(plan: Plan, notes: readonly string[]): Plan {
  return notes.length === 0 ? plan : { ...plan, notes: [...(plan.notes ?? []), ...notes] };
}

function describeNode(node: PlanNode): string {
  return [node.operation, node.index && `using ${node.index}`, node.target && `on ${node.target}`].filter(Boolean).join(' ');
}

/**
 * A line for a list: the top node, and when it names no table the first node that does
 * (`Aggregate → Seq Scan on cases`), since that is what tells two plans apart.
 */
export function headlineOf(plan: Plan): string {
  const top = describeNode(plan.root);
  if (plan.root.target) return top.slice(0, 500);
  let first: PlanNode | undefined;
  walkPlan(plan.root, (node) => {
    if (!first && node.target) first = node;
  });
  return (first ? `${top} → ${describeNode(first)}` : top).slice(0, 500);
}
