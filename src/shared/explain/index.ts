import { AppError } from '../errors';
import { looksLikeElasticProfile, normaliseElasticProfile } from './elastic';
import type { Plan, PlanEngine } from './model';
import { looksLikeMongoPlan, normaliseMongoPlan } from './mongo';
import { parsePastedPlan } from './paste';
import { looksLikePostgresPlan, normalisePostgresPlan } from './postgres';

export * from './model';
export { parsePastedPlan, locateJsonError } from './paste';
export { normalisePostgresPlan } from './postgres';
export { normaliseMongoPlan } from './mongo';
export { normaliseElasticProfile } from './elastic';
export { planBadges, nodeBadges, timeShare, misestimate, type Badge, type BadgeKind, type Grade } from './badges';
export { collapsePartitions, partitionParentOf, type CollapseOptions } from './partitions';
export { advise, type AdvisorOptions, type Tip } from './advisor';
export { comparePlans, type PlanComparison, type NodeDelta } from './compare';

/** Which engine produced a plan document, or undefined when it is none of the three. */
export function detectEngine(value: unknown): PlanEngine | undefined {
  if (looksLikePostgresPlan(value)) return 'postgres';
  if (looksLikeMongoPlan(value)) return 'mongo';
  if (looksLikeElasticProfile(value)) return 'elastic';
  return undefined;
}

/**
 * Any plan, as text (pasted) or as the engine's JSON value, into one `Plan`. `engine` forces a
 * normaliser; without it the shape decides.
 */
export function normalisePlan(input: unknown, engine?: PlanEngine): Plan {
  const value = typeof input === 'string' ? parsePastedPlan(input) : input;
  const kind = engine ?? detectEngine(value);
  switch (kind) {
    case 'postgres':
      return normalisePostgresPlan(value);
    case 'mongo':
      return normaliseMongoPlan(value);
    case 'elastic':
      return normaliseElasticProfile(value);
    default:
      throw new AppError('invalid_argument', 'This is not a plan Tenantscope reads: expected PostgreSQL EXPLAIN (FORMAT JSON), MongoDB explain() or an Elasticsearch profile.', { reason: 'unknown_engine' });
  }
}
export { planShape, groupPlansByShape, type PlanShape, type ShapeGroup, type ShapeGrouping } from './shape';
export { planStatistics, type PlanStatistic, type PlanStatistics } from './statistics';
export { planSchema, planNodeSchema, tipSchema } from './schema';
export { planNodeRows, sortPlanNodeRows, type PlanNodeRow, type PlanNodeColumn } from './table';
