import { z } from 'zod';
import { events, method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant-id';
import { JobSummary } from '../model/job';
import {
  DriftReport,
  ElasticMappings,
  FixPlan,
  FleetIndex,
  FleetView,
  IndexDefinition,
  IndexFindings,
  MongoCollectionIndexes,
  MongoFleetView,
  MongoIndexSpec,
  PgName,
  TableIndexes,
} from '../model/indexes';

/** Lets a caller tell its own streamed rows from those of another call on the same connection. */
const RequestId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);

const MongoCollectionName = z.string().min(1).max(120).regex(/^[A-Za-z0-9_.-]+$/, 'a collection name: letters, digits, _ . -');

/**
 * Which tenants a drift, plan or change covers: exactly one of `tenantId`, `tenantIds` (a
 * selection) or `allTenants: true`. The access policy reads the same fields: more than one tenant
 * is cross-tenant work and needs a reason.
 */
const tenantTarget = {
  tenantId: TenantId.optional(),
  tenantIds: z.array(TenantId).min(1).max(1_000).optional(),
  allTenants: z.literal(true).optional(),
};

function oneTarget(args: { tenantId?: string | undefined; tenantIds?: string[] | undefined; allTenants?: true | undefined }, ctx: z.RefinementCtx): void {
  const given = [args.tenantId !== undefined, args.tenantIds !== undefined, args.allTenants === true].filter(Boolean).length;
  if (given !== 1) ctx.addIssue({ code: 'custom', path: ['tenantId'], message: 'name the tenants by exactly one of tenantId, tenantIds or allTenants: true' });
}

const TargetArgs = z.object({ workspaceId: WorkspaceId, ...tenantTarget }).strict().superRefine(oneTarget);

/** Days without a scan after which an index counts as unused (Atlas says 7; the default waits two weeks). */
const UnusedAfterDays = z.number().int().min(1).max(365).default(14);

/**
 * Indexes across every tenant and store: inventory per table and across the fleet, findings,
 * blueprint drift by definition, the plan that fixes it, builds with live progress, rebuilds and
 * drops. Reading is `read` (catalog metadata); drift and plans name tenants (`tenant-read`, so
 * several tenants need a cross-tenant reason); every change is `schema-change` (support never, prod
 * only with an unlock) and long work runs as a job of the jobs room, whose one audit entry is the
 * change's (`journal: 'job'`).
 */
export const indexes = section('indexes', {
  fleet: method({
    access: 'read',
    summary:
      'One row per logical index (table and name) across every tenant schema: definition, size summed, used in N / never ' +
      'used in M, invalid in K, the busiest tenants. One catalog pass in chunks of tenant schemas; the rows so far stream ' +
      'as `indexes.fleetRows` after each chunk.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        table: PgName.optional(),
        requestId: RequestId.optional(),
        /** Tenant schemas per chunk of the pass; 100–5,000. */
        chunkSize: z.number().int().min(100).max(5_000).default(1_000),
      })
      .strict(),
    result: FleetView,
  }),
  table: method({
    access: 'read',
    summary: 'The indexes of one tenant’s table: definition, size, scans since the stats reset (with its date), validity, and whether the blueprint prescribes it.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId, table: PgName }).strict(),
    result: TableIndexes,
  }),
  findings: method({
    access: 'read',
    summary:
      'Unused (no scans since a reset older than `unusedAfterDays`; a fresh reset claims nothing), duplicate, redundant ' +
      '(leading prefix, same predicate), invalid, not prefixed by the tenant key, and missing foreign-key indexes — grouped ' +
      'over tenants, each with evidence and the statement that fixes it. One catalog pass.',
    args: z.object({ workspaceId: WorkspaceId, table: PgName.optional(), unusedAfterDays: UnusedAfterDays }).strict(),
    result: IndexFindings,
  }),
  drift: method({
    access: 'tenant-read',
    summary:
      'Blueprint drift by definition — index keys and order, expressions, predicate, uniqueness, method, INCLUDE; ' +
      'constraints; RLS policies (command, USING, WITH CHECK) and the RLS switch; triggers — for one tenant, a selection ' +
      'or all tenants, in one catalog pass, grouped by finding with its tenants.',
    args: TargetArgs,
    result: DriftReport,
  }),
  fixPlan: method({
    access: 'tenant-read',
    summary: 'The statements that repair the drift, per tenant, with the lock each takes and whether it can run in a transaction. Changes nothing.',
    args: TargetArgs,
    result: FixPlan,
  }),
  applyFix: method({
    access: 'schema-change',
    journal: 'job',
    summary:
      'Starts the `indexes.fix-drift` job over the tenants: drift is read again, each tenant repaired in its own transaction ' +
      'under `lockTimeoutMs` (a busy tenant is skipped with the reason), cancel stops between tenants. A dry run (the default) ' +
      'reports per tenant what it would run and changes nothing.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        ...tenantTarget,
        dryRun: z.boolean().default(true),
        lockTimeoutMs: z.number().int().min(100).max(60_000).default(3_000),
      })
      .strict()
      .superRefine(oneTarget),
    result: JobSummary,
  }),
  build: method({
    access: 'schema-change',
    journal: 'job',
    summary:
      'Checks the definition against the first tenant’s table (a missing column or a predicate that does not parse is ' +
      '`invalid_argument` with the server’s message), then starts the `indexes.build` job: `CREATE INDEX CONCURRENTLY` in ' +
      'each tenant in turn, progress from `pg_stat_progress_create_index`. A failed build leaves an invalid index to rebuild or drop.',
    args: z
      .object({ workspaceId: WorkspaceId, ...tenantTarget, definition: IndexDefinition })
      .strict()
      .superRefine(oneTarget),
    result: JobSummary,
  }),
  rebuild: method({
    access: 'schema-change',
    journal: 'job',
    summary: 'Starts the `indexes.rebuild` job: `REINDEX INDEX CONCURRENTLY` of one tenant’s index (the way to repair an invalid one).',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId, index: PgName }).strict(),
    result: JobSummary,
  }),
  drop: method({
    access: 'schema-change',
    summary: 'Drops one tenant’s index with `DROP INDEX CONCURRENTLY`; `confirmName` must equal the index name. An index backing a constraint is refused.',
    args: z
      .object({ workspaceId: WorkspaceId, tenantId: TenantId, index: PgName, confirmName: z.string().max(200) })
      .strict()
      .refine((args) => args.confirmName === args.index, { path: ['confirmName'], message: 'type the index name exactly to confirm the drop' }),
    result: z.object({ schema: z.string(), index: z.string() }),
  }),
  mongoCollection: method({
    access: 'read',
    summary:
      'A tenant’s MongoDB collection: its indexes with options and `$indexStats` accesses per node, and drift from the ' +
      'blueprint by definition (key spec, options, TTL seconds, text weights).',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId, collection: MongoCollectionName }).strict(),
    result: MongoCollectionIndexes,
  }),
  mongoFleet: method({
    access: 'read',
    summary:
      'One row per logical MongoDB index: the same index on every tenant_<id>_<name> collection, with sizes summed ' +
      '(`$collStats` indexSizes) and `$indexStats` accesses split by tenant (used in N, never used in M, the busiest); an ' +
      'index of a shared collection is its own row. MongoDB keeps these per collection: one read of each, a few at a time.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: MongoFleetView,
  }),
  mongoBuild: method({
    access: 'schema-change',
    journal: 'job',
    summary: 'Starts the `indexes.mongo-build` job: `createIndexes` on a tenant’s collection with the given options; progress from `currentOp`.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId, collection: MongoCollectionName, index: MongoIndexSpec }).strict(),
    result: JobSummary,
  }),
  mongoHide: method({
    access: 'schema-change',
    summary: 'Hides or unhides a MongoDB index (`collMod`): the safe step before a drop, undone at once.',
    args: z
      .object({ workspaceId: WorkspaceId, tenantId: TenantId, collection: MongoCollectionName, index: z.string().min(1).max(120), hidden: z.boolean() })
      .strict(),
    result: z.object({ index: z.string(), hidden: z.boolean() }),
  }),
  mongoDrop: method({
    access: 'schema-change',
    summary:
      'Drops a tenant’s MongoDB index (`dropIndexes`) once it is hidden — hiding is the step that can be undone at once, so ' +
      'it comes first — and `confirmName` equals its name. The _id index is refused.',
    args: z
      .object({ workspaceId: WorkspaceId, tenantId: TenantId, collection: MongoCollectionName, index: z.string().min(1).max(120), confirmName: z.string().max(200) })
      .strict()
      .refine((args) => args.confirmName === args.index, { path: ['confirmName'], message: 'type the index name exactly to confirm the drop' }),
    result: z.object({ collection: z.string(), index: z.string() }),
  }),
  elasticMappings: method({
    access: 'read',
    summary:
      'Elasticsearch mappings are not indexes: the preset’s index templates and the live mappings of a tenant’s indices, ' +
      'with each difference and whether it needs a reindex or applies at the next rollover.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId }).strict(),
    result: ElasticMappings,
  }),
});

export const indexEvents = events({
  /** The fleet view so far, after each chunk of tenant schemas: every row merged up to that chunk. */
  'indexes.fleetRows': z.object({
    workspaceId: WorkspaceId,
    requestId: RequestId.optional(),
    schemasDone: z.number().int().min(0),
    schemasTotal: z.number().int().min(0),
    rows: z.array(FleetIndex),
  }),
});
