import { z } from 'zod';
import type { Plan, PlanNode } from './model';

/**
 * zod schemas of the plan model, for the contract sections that return plans, tips and
 * comparisons. Plans are recursive, so the node schema is lazy.
 */
const count = z.number().finite();

export const planBuffersSchema = z.object({
  sharedHit: count, sharedRead: count, sharedDirtied: count, sharedWritten: count,
  localHit: count, localRead: count, localDirtied: count, localWritten: count,
  tempRead: count, tempWritten: count,
});

export const planEngineSchema = z.enum(['postgres', 'mongo', 'elastic']);

const planConditionSchema = z.object({
  kind: z.enum(['filter', 'index', 'recheck', 'join filter', 'hash', 'merge', 'one-time filter', 'query']),
  text: z.string(),
});

export const planNodeSchema: z.ZodType<PlanNode> = z.lazy(() =>
  z.object({
    id: z.string(),
    engine: planEngineSchema,
    operation: z.string(),
    target: z.string().optional(),
    schema: z.string().optional(),
    alias: z.string().optional(),
    index: z.string().optional(),
    detail: z.string().optional(),
    relationship: z.string().optional(),
    rowsEstimated: count.optional(),
    rowsActual: count.optional(),
    loops: count.optional(),
    timeTotalMs: count.optional(),
    timeSelfMs: count.optional(),
    costStartup: count.optional(),
    costTotal: count.optional(),
    buffers: planBuffersSchema.optional(),
    buffersSelf: planBuffersSchema.optional(),
    io: z.object({ readMs: count, writeMs: count }).optional(),
    conditions: z.array(planConditionSchema).optional(),
    rowsRemoved: z.object({ byFilter: count.optional(), byIndexRecheck: count.optional(), byJoinFilter: count.optional() }).optional(),
    workers: z.object({ planned: count.optional(), launched: count.optional() }).optional(),
    neverExecuted: z.boolean().optional(),
    heapFetches: count.optional(),
    sort: z.object({ method: z.string().optional(), keys: z.array(z.string()).optional(), spaceType: z.enum(['Memory', 'Disk']).optional(), spaceUsedKb: count.optional() }).optional(),
    hash: z.object({ buckets: count.optional(), batches: count.optional(), originalBatches: count.optional(), peakMemoryKb: count.optional() }).optional(),
    subplansRemoved: count.optional(),
    examined: z.object({ keys: count.optional(), documents: count.optional() }).optional(),
    breakdown: z.record(z.string(), count).optional(),
    group: z.object({ parent: z.string(), members: z.array(planNodeSchema), operations: z.record(z.string(), count) }).optional(),
    children: z.array(planNodeSchema),
    raw: z.unknown(),
  }),
) as z.ZodType<PlanNode>;

export const planSchema: z.ZodType<Plan> = z.object({
  engine: planEngineSchema,
  analyzed: z.boolean(),
  root: planNodeSchema,
  totalMs: count.optional(),
  planningMs: count.optional(),
  executionMs: count.optional(),
  jit: z.object({ functions: count.optional(), generationMs: count.optional(), inliningMs: count.optional(), optimizationMs: count.optional(), emissionMs: count.optional(), totalMs: count }).optional(),
  settings: z.record(z.string(), z.string()).optional(),
  triggers: z.array(z.object({ name: z.string(), relation: z.string().optional(), timeMs: count, calls: count })).optional(),
  namespace: z.string().optional(),
  notes: z.array(z.string()).optional(),
  raw: z.unknown(),
}) as z.ZodType<Plan>;

export const tipSchema = z.object({
  rule: z.string(),
  engine: planEngineSchema,
  nodeId: z.string().optional(),
  title: z.string(),
  message: z.string(),
  evidence: z.array(z.string()),
  score: z.number().min(0).max(1),
  fix: z.object({ kind: z.enum(['sql', 'mongosh', 'setting', 'text']), text: z.string() }).optional(),
});
