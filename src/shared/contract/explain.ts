import { z } from 'zod';
import { method, section } from './define';
import { planEngineSchema, planSchema, tipSchema } from '../explain/schema';
import { WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant';

/** A statement as the workbench sends it: one statement, at most 100,000 characters. */
const Statement = z.string().trim().min(1, 'a statement to explain').max(100_000, 'a statement of at most 100,000 characters');

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
});
export type ExplainedPlan = z.infer<typeof ExplainedPlan>;

const runArgs = z
  .object({
    workspaceId: WorkspaceId,
    tenantId: TenantId,
    engine: z.literal('postgres'),
    statement: Statement,
    timeoutMs: z.number().int().min(100).max(600_000).optional(),
  })
  .strict();

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
