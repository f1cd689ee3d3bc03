import { z } from 'zod';
import { method, section } from './define';
import { planEngineSchema, planSchema, tipSchema } from '../explain/schema';
import { WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant';
import { JobId, JobState, JobSummary } from '../model/job';

/** A statement as the workbench sends it: one statement, at most 100,000 characters. */
const Statement = z.string().trim().min(1, 'a statement to explain').max(100_000, 'a statement of at most 100,000 characters');

/** A kept plan's id: plans are kept per query and tenant so that earlier ones can be compared. */
export const PlanId = z.string().regex(/^plan_[A-Za-z0-9_-]{8,40}$/, 'a plan id from explain.run or explain.history');

/** A badge of one plan node, graded as pev2 grades them (see src/shared/explain/badges.ts). */
const badgeSchema = z.object({
  kind: z.enum(['time', 'misestimate', 'filter', 'heap-fetches', 'spill', 'never-executed']),
  grade: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  label: z.string(),
  title: z.string(),
  direction: z.enum(['under', 'over']).optional(),
});

/** A plan with what the console draws beside it: the advisor's tips, badges per node id, the engine's own document. */
export const ExplainedPlan = z.object({
  plan: planSchema,
  tips: z.array(tipSchema),
  badges: z.record(z.string(), z.array(badgeSchema)).optional(),
  raw: z.unknown(),
  /** The kept plan, when the console keeps it (runs do; pasted plans are not kept). */
  planId: PlanId.optional(),
});
export type ExplainedPlan = z.infer<typeof ExplainedPlan>;

/**
 * What to explain. `statement` is SQL for PostgreSQL, a filter document (`find`) or a pipeline
 * (`aggregate`) in Extended JSON for MongoDB, a search body as JSON for Elasticsearch; MongoDB needs
 * `collection` and `operation`, Elasticsearch `index` (logical names inside the tenant's), which the
 * service checks per engine.
 */
const runArgs = z
  .object({
    workspaceId: WorkspaceId,
    tenantId: TenantId,
    engine: planEngineSchema,
    statement: Statement,
    collection: z.string().min(1).max(120).optional(),
    operation: z.enum(['find', 'aggregate']).optional(),
    index: z.string().min(1).max(255).optional(),
    timeoutMs: z.number().int().min(100).max(600_000).optional(),
  })
  .strict();

/** One kept plan as the history lists it. `fingerprint` is the query with its literals taken out. */
export const PlanRecord = z.object({
  id: PlanId,
  at: z.string().datetime({ offset: true }),
  operator: z.string().max(200),
  tenantId: TenantId.nullable(),
  engine: planEngineSchema,
  statement: z.string(),
  fingerprint: z.string(),
  analyzed: z.boolean(),
  totalTimeMs: z.number().nullable(),
  planningTimeMs: z.number().nullable(),
  /** The top node's operation, for a list: `Seq Scan on cases`. */
  headline: z.string().max(500),
});
export type PlanRecord = z.infer<typeof PlanRecord>;

/** A fleet explain's plans grouped by shape: the usual plan, the ones that differ, the slowest tenants. */
export const FleetExplainResult = z.object({
  jobId: JobId,
  state: JobState,
  statement: z.string(),
  tenantsAsked: z.number().int().min(0),
  tenantsExplained: z.number().int().min(0),
  groups: z.array(
    z.object({
      /** The shape's key (node types and targets, no figures). */
      shape: z.string(),
      /** A line for people: `Index Scan using idx_cases_tenant_status on cases`. */
      headline: z.string().max(500),
      tenantIds: z.array(TenantId),
      /** True for every group but the largest: these tenants' plans differ from most. */
      differsFromMost: z.boolean(),
      /** A kept plan of one tenant of the group, to open. */
      planId: PlanId,
      medianTimeMs: z.number().nullable(),
      maxTimeMs: z.number().nullable(),
    }),
  ),
  slowest: z.array(z.object({ tenantId: TenantId, timeMs: z.number(), planId: PlanId })),
  failed: z.array(z.object({ tenantId: TenantId, code: z.string(), message: z.string() })),
});
export type FleetExplainResult = z.infer<typeof FleetExplainResult>;

/**
 * Explain plans (PostgreSQL now; MongoDB and Elasticsearch join with their stores' explain).
 *
 * Why two methods to run a plan: the access class belongs to a method, not to its arguments.
 * `run` only reads (a plain plan, or ANALYZE of a statement the server plans without a
 * ModifyTable node), so it is `tenant-read` like the other inspectors. `analyzeWrite` executes a
 * write — rolled back, but it takes row locks, fires triggers and advances sequences — so it is
 * `write`: the policy refuses it to support everywhere and to everyone on prod without an unlock,
 * and a prod store, built read-only, refuses it even then.
 */
export const explain = section('explain', {
  run: method({
    access: 'tenant-read',
    summary:
      'The plan of one statement in one tenant’s scope (its schema and RLS setting): EXPLAIN (SETTINGS, FORMAT JSON), ' +
      'with `analyze` EXPLAIN (ANALYZE, BUFFERS, SETTINGS) in a transaction that is rolled back. A statement that writes ' +
      'is given its estimated plan only, with a note; explain.analyzeWrite runs it. Tips use the preset’s tenant key.',
    args: runArgs.extend({ analyze: z.boolean().default(true) }).strict(),
    result: ExplainedPlan,
  }),
  analyzeWrite: method({
    access: 'write',
    summary:
      'EXPLAIN ANALYZE of a write (INSERT, UPDATE, DELETE, MERGE or a CTE holding one) in one tenant’s scope, inside a ' +
      'transaction that is always rolled back: nothing is kept. Refused on a read-only (prod) workspace.',
    args: runArgs,
    result: ExplainedPlan,
  }),
  history: method({
    access: 'read',
    summary: 'Kept plans of the workspace, newest first; with `fingerprint` the earlier plans of the same query, with `tenantId` one tenant’s.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId.optional(),
        fingerprint: z.string().max(100_000).optional(),
        limit: z.number().int().min(1).max(1_000).default(100),
      })
      .strict(),
    result: z.object({ plans: z.array(PlanRecord) }),
  }),
  plan: method({
    access: 'read',
    summary: 'One kept plan, drawn again: the tree, its tips and badges, the engine’s document, and its record.',
    args: z.object({ workspaceId: WorkspaceId, planId: PlanId }).strict(),
    result: ExplainedPlan.extend({ record: PlanRecord }),
  }),
  fleet: method({
    access: 'cross-tenant-read',
    summary:
      'Explains one PostgreSQL statement in every listed tenant (or all) as a job with bounded concurrency; the plans are ' +
      'kept and grouped by shape when it ends (explain.fleetResult). Plain EXPLAIN unless `analyze` (read statements only).',
    args: z
      .object({
        workspaceId: WorkspaceId,
        engine: z.literal('postgres'),
        statement: Statement,
        tenantIds: z.array(TenantId).min(1).max(100_000).optional(),
        allTenants: z.literal(true).optional(),
        analyze: z.boolean().default(false),
        concurrency: z.number().int().min(1).max(32).default(4),
      })
      .strict()
      .refine((a) => (a.tenantIds === undefined) !== (a.allTenants === undefined), 'name the tenants, or set allTenants'),
    result: JobSummary,
  }),
  // Shapes, timings and tenant ids: the plans' metadata, no tenant's rows. Starting one took the reason.
  fleetResult: method({
    access: 'read',
    summary: 'A fleet explain’s groups (so far, while it runs): tenants by plan shape, the ones that differ from most, the slowest.',
    args: z.object({ workspaceId: WorkspaceId, jobId: JobId }).strict(),
    result: FleetExplainResult,
  }),
  parse: method({
    access: 'app',
    summary:
      'A pasted plan (PostgreSQL EXPLAIN JSON or psql output, MongoDB explain, Elasticsearch profile) read into the same ' +
      'tree with its tips and badges; malformed or truncated text is invalid_argument naming where it broke.',
    args: z
      .object({
        text: z.string().min(1, 'a plan to read').max(50_000_000),
        engine: planEngineSchema.optional(),
        /** The platform's tenant key for suggested indexes; `tenant_id` when absent. */
        tenantKey: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a plain column or field name').optional(),
      })
      .strict(),
    result: ExplainedPlan,
  }),
});
