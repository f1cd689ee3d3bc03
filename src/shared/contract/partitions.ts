import { z } from 'zod';
import { method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant-id';
import { Month } from '../model/lifecycle';
import { JobSummary } from '../model/job';
import { PgName } from '../model/indexes';
import { DefaultRows, FleetPartitions, PremakePlan, RetentionPlan, TenantPartitions } from '../model/partitions';

/**
 * Which tenants a plan or a change covers: exactly one of `tenantId`, `tenantIds` or
 * `allTenants: true`. The access policy reads the same fields: more than one tenant is
 * cross-tenant work and needs a reason.
 */
const tenantTarget = {
  tenantId: TenantId.optional(),
  tenantIds: z.array(TenantId).min(1).max(10_000).optional(),
  allTenants: z.literal(true).optional(),
};

function oneTarget(args: { tenantId?: string | undefined; tenantIds?: string[] | undefined; allTenants?: true | undefined }, ctx: z.RefinementCtx): void {
  const given = [args.tenantId !== undefined, args.tenantIds !== undefined, args.allTenants === true].filter(Boolean).length;
  if (given !== 1) ctx.addIssue({ code: 'custom', path: ['tenantId'], message: 'name the tenants by exactly one of tenantId, tenantIds or allTenants: true' });
}

/** Months kept ready ahead of the current one (pg_partman's premake; 4 by default, as it does). */
export const KeepAhead = z.number().int().min(0).max(36).default(4);
/** How long one tenant's DDL waits for a lock before that tenant is skipped. */
const LockTimeoutMs = z.number().int().min(50).max(60_000).default(2_000);
/** The pause between two tenants, so 10,000 tenants' DDL never piles up behind each other. */
const PauseMs = z.number().int().min(0).max(10_000).default(20);
/** Overrides the blueprint's retention (months kept, the current one included). */
const RetentionMonths = z.number().int().min(1).max(600);

const PremakeArgs = {
  workspaceId: WorkspaceId,
  ...tenantTarget,
  keepAhead: KeepAhead,
  /** Only this partitioned table (by default every monthly table the blueprint prescribes). */
  table: PgName.optional(),
};

const RetentionArgs = {
  workspaceId: WorkspaceId,
  ...tenantTarget,
  table: PgName.optional(),
  retentionMonths: RetentionMonths.optional(),
  /** Drop after detaching; detached (kept as plain tables) is the default, as pg_partman does. */
  drop: z.boolean().default(false),
};

/**
 * PostgreSQL partitions per tenant: the inventory (bounds, estimated rows, size, attached or
 * detached, the default partition), the rows waiting in default partitions and the job that moves
 * them out, premake ("keep N months ahead") and retention (detach, then optionally drop). Reading
 * the catalog is `read`; counting rows or planning for named tenants is `tenant-read`; every change
 * is `schema-change` (support never, prod only with an unlock) and runs as a job of the jobs room.
 */
export const partitions = section('partitions', {
  fleet: method({
    access: 'read',
    summary:
      'One line per tenant schema from one catalog pass (in chunks of schemas): partitioned tables, partitions, detached ones, ' +
      'the earliest horizon, months short of the keep-ahead window, estimated rows in default partitions, months past retention.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        keepAhead: KeepAhead,
        chunkSize: z.number().int().min(100).max(5_000).default(1_000),
      })
      .strict(),
    result: FleetPartitions,
  }),
  tenant: method({
    access: 'read',
    summary:
      'A tenant’s partitioned tables with every partition: bounds, estimated rows, size, attached, detached or detach pending; ' +
      'the default partition; the horizon, the months missing from the keep-ahead window, holes and months past retention.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId, keepAhead: KeepAhead }).strict(),
    result: TenantPartitions,
  }),
  defaultRows: method({
    access: 'tenant-read',
    summary:
      'Rows in a table’s default partition counted by the month of the partition key, each month with the partition the move ' +
      'would create and what would stop it. Counts, never reads the rows.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId, table: PgName }).strict(),
    result: DefaultRows,
  }),
  moveDefaultRows: method({
    access: 'schema-change',
    summary:
      'Starts the `partitions.move-default` job: in one transaction under `lockTimeoutMs`, detach the default partition, create ' +
      'each month’s partition, move its rows (`DELETE … RETURNING` into the new partition), reattach the default; the counts ' +
      'before and after are compared and a difference rolls everything back.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId,
        table: PgName,
        /** Only these months (by default every month the default partition holds rows of). */
        months: z.array(Month).min(1).max(600).optional(),
        lockTimeoutMs: LockTimeoutMs,
      })
      .strict(),
    result: JobSummary,
  }),
  premakePlan: method({
    access: 'tenant-read',
    summary:
      'What premake would create for the tenants: each missing month of the keep-ahead window with its statement, and the ' +
      'conflicts (present, overlapping bounds, name taken) it counts as done. Changes nothing.',
    args: z.object(PremakeArgs).strict().superRefine(oneTarget),
    result: PremakePlan,
  }),
  premake: method({
    access: 'schema-change',
    summary:
      'Starts the `partitions.premake` job: keeps `keepAhead` months ready after the current one, tenant by tenant, each in its ' +
      'own transaction under `SET LOCAL lock_timeout` (a locked table skips that tenant with the reason), with `pauseMs` ' +
      'between tenants; cancel stops between tenants and leaves the others untouched. Idempotent.',
    args: z
      .object({ ...PremakeArgs, lockTimeoutMs: LockTimeoutMs, pauseMs: PauseMs })
      .strict()
      .superRefine(oneTarget),
    result: JobSummary,
  }),
  retentionPlan: method({
    access: 'tenant-read',
    summary: 'The partitions older than the retention (the blueprint’s unless overridden), per tenant, with the statements retiring each. Changes nothing.',
    args: z.object(RetentionArgs).strict().superRefine(oneTarget),
    result: RetentionPlan,
  }),
  retire: method({
    access: 'schema-change',
    summary:
      'Starts the `partitions.retire` job: detaches each expired partition (CONCURRENTLY on PostgreSQL 14 and later, outside a ' +
      'transaction) and, when `drop`, drops it; a drop needs `confirm` to equal the plan’s `confirmText` (`drop N partitions`).',
    args: z
      .object({ ...RetentionArgs, confirm: z.string().max(200).optional(), lockTimeoutMs: LockTimeoutMs, pauseMs: PauseMs })
      .strict()
      .superRefine(oneTarget)
      .refine((args) => !args.drop || (args.confirm ?? '').length > 0, { path: ['confirm'], message: 'type the confirmation text (drop N partitions) to drop' }),
    result: JobSummary,
  }),
});
