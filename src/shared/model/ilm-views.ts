import { z } from 'zod';
import { PolicyProblem } from './ilm';

/**
 * What the ILM room shows: policies with who follows them, each index's place in its lifecycle,
 * the error board (tenant × phase, failed steps grouped by reason), templates with the indices
 * they match, and rollover targets. Plain JSON for both processes.
 */

/** An index name or comma-free pattern as Elasticsearch takes it in a path. */
export const ElasticIndexName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\s\\/*?"<>|,#:]+$/, 'an index name without spaces or any of \\ / * ? " < > | , # :')
  .refine((name) => !name.startsWith('_') && !name.startsWith('-') && !name.startsWith('+') && name !== '.' && name !== '..', 'an index name cannot start with _, - or +');

/** Indices following one policy, under one tenant (null: indices that belong to no tenant). */
export const PolicyFollowers = z.object({
  tenantId: z.string().nullable(),
  indices: z.number().int().min(0),
});
export type PolicyFollowers = z.infer<typeof PolicyFollowers>;

export const IlmPolicySummary = z.object({
  name: z.string(),
  version: z.number().int().nullable(),
  modifiedDate: z.string().nullable(),
  /** The stored `policy` object, as `GET _ilm/policy` returns it. */
  policy: z.record(z.string(), z.json()),
  /** Phases in lifecycle order, with their `min_age`. */
  phases: z.array(z.object({ phase: z.string(), minAge: z.string().nullable(), actions: z.array(z.string()) })),
  /** `_meta.managed`: Elasticsearch's own policies, which a person should not edit. */
  managed: z.boolean(),
  /** Indices whose `index.lifecycle.name` is this policy, and the tenants they belong to. */
  indices: z.number().int().min(0),
  tenants: z.number().int().min(0),
  /** The blueprint's policy of this name, when the preset prescribes one. */
  prescribed: z.boolean(),
  /** Where the stored policy breaks today's rules (an action removed since it was written, say). */
  problems: z.array(PolicyProblem),
});
export type IlmPolicySummary = z.infer<typeof IlmPolicySummary>;

export const IlmPolicies = z.object({
  policies: z.array(IlmPolicySummary),
  /** Indices read from `index.lifecycle.name`, those with no policy, and those naming a policy that does not exist. */
  indicesRead: z.number().int().min(0),
  unmanaged: z.number().int().min(0),
  missingPolicy: z.array(z.object({ policy: z.string(), indices: z.number().int().min(0) })),
});
export type IlmPolicies = z.infer<typeof IlmPolicies>;

export const PolicyFollowerList = z.object({
  policy: z.string(),
  tenants: z.array(PolicyFollowers.extend({ sample: z.array(z.string()) })),
});
export type PolicyFollowerList = z.infer<typeof PolicyFollowerList>;

/** One index's place in its lifecycle, from `_ilm/explain`. */
export const IndexLifecycle = z.object({
  index: z.string(),
  tenantId: z.string().nullable(),
  managed: z.boolean(),
  policy: z.string().nullable(),
  phase: z.string().nullable(),
  action: z.string().nullable(),
  step: z.string().nullable(),
  /** As the server words it (`55.62d`), and in milliseconds since the lifecycle date. */
  age: z.string().nullable(),
  ageMs: z.number().nullable(),
  /** Set when the step failed: the step that failed and the server's reason (`step_info.reason`). */
  failedStep: z.string().nullable(),
  reason: z.string().nullable(),
  /** `step_info` as the server sent it, for a failed or waiting step. */
  stepInfo: z.json().nullable(),
  autoRetryable: z.boolean().nullable(),
  retryCount: z.number().int().nullable(),
});
export type IndexLifecycle = z.infer<typeof IndexLifecycle>;

/** A group of indices whose explain request failed: the rest of the answer still stands. */
export const ExplainGap = z.object({ patterns: z.array(z.string()), reason: z.string() });
export type ExplainGap = z.infer<typeof ExplainGap>;

/** How the explain calls were cut: requests made, the largest, the longest path. */
export const ExplainCost = z.object({
  requests: z.number().int().min(0),
  prefixes: z.number().int().min(0),
  maxIndicesPerRequest: z.number().int().min(0),
  maxPathLength: z.number().int().min(0),
});
export type ExplainCost = z.infer<typeof ExplainCost>;

export const IlmExplain = z.object({
  rows: z.array(IndexLifecycle),
  cost: ExplainCost,
  gaps: z.array(ExplainGap),
  /** More rows existed than an answer carries; narrow by tenant or policy. */
  truncated: z.boolean(),
});
export type IlmExplain = z.infer<typeof IlmExplain>;

/** Failed steps sharing a reason: where, how many, which indices and tenants. */
export const ErrorGroup = z.object({
  reason: z.string(),
  phase: z.string().nullable(),
  action: z.string().nullable(),
  failedStep: z.string().nullable(),
  count: z.number().int().min(1),
  tenants: z.number().int().min(0),
  /** The indices (up to 200), so a group can be retried. */
  indices: z.array(z.string()),
  autoRetryable: z.boolean(),
});
export type ErrorGroup = z.infer<typeof ErrorGroup>;

export const ErrorBoard = z.object({
  phases: z.array(z.string()),
  /** One row per tenant with failed steps, most failures first: counts per phase in `phases` order. */
  rows: z.array(z.object({ tenantId: z.string().nullable(), counts: z.array(z.number().int().min(0)), total: z.number().int().min(0) })),
  groups: z.array(ErrorGroup),
  total: z.number().int().min(0),
  cost: ExplainCost,
  gaps: z.array(ExplainGap),
});
export type ErrorBoard = z.infer<typeof ErrorBoard>;

export const IndexTemplateView = z.object({
  name: z.string(),
  patterns: z.array(z.string()),
  priority: z.number().int().nullable(),
  composedOf: z.array(z.string()),
  dataStream: z.boolean(),
  /** `index.lifecycle.name` from the template or its component templates. */
  policy: z.string().nullable(),
  /** Indices its patterns match, and those it governs (the highest-priority match wins). */
  matches: z.number().int().min(0),
  governs: z.number().int().min(0),
  sample: z.array(z.string()),
  prescribed: z.boolean(),
});
export type IndexTemplateView = z.infer<typeof IndexTemplateView>;

export const ComponentTemplateView = z.object({
  name: z.string(),
  policy: z.string().nullable(),
  usedBy: z.array(z.string()),
  /** Indices governed by the index templates that use it. */
  governs: z.number().int().min(0),
});
export type ComponentTemplateView = z.infer<typeof ComponentTemplateView>;

/** An alias with a write index, or a data stream: what `_rollover` takes. */
export const RolloverTarget = z.object({
  name: z.string(),
  kind: z.enum(['alias', 'data_stream']),
  writeIndex: z.string().nullable(),
  indices: z.number().int().min(0),
  policy: z.string().nullable(),
});
export type RolloverTarget = z.infer<typeof RolloverTarget>;

export const IlmTemplates = z.object({
  indexTemplates: z.array(IndexTemplateView),
  componentTemplates: z.array(ComponentTemplateView),
  rolloverTargets: z.array(RolloverTarget),
  indicesRead: z.number().int().min(0),
  /** Indices no template matches. */
  unmatched: z.number().int().min(0),
});
export type IlmTemplates = z.infer<typeof IlmTemplates>;

/** Rollover conditions as `_rollover` takes them. */
export const RolloverConditions = z
  .object({
    max_age: z.string().regex(/^\d+(?:\.\d+)?(d|h|m|s|ms)$/).optional(),
    max_docs: z.number().int().min(1).optional(),
    max_size: z.string().regex(/^\d+(?:\.\d+)?(b|kb|mb|gb|tb|pb)$/i).optional(),
    max_primary_shard_size: z.string().regex(/^\d+(?:\.\d+)?(b|kb|mb|gb|tb|pb)$/i).optional(),
    max_primary_shard_docs: z.number().int().min(1).optional(),
  })
  .strict();
export type RolloverConditions = z.infer<typeof RolloverConditions>;

/** What `_rollover` answered (a dry run changes nothing and says what would happen). */
export const RolloverOutcome = z.object({
  target: z.string(),
  oldIndex: z.string(),
  newIndex: z.string(),
  dryRun: z.boolean(),
  rolledOver: z.boolean(),
  /** Each condition asked for and whether it was met. */
  conditions: z.record(z.string(), z.boolean()),
});
export type RolloverOutcome = z.infer<typeof RolloverOutcome>;
