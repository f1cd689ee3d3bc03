import { z } from 'zod';
import { Month } from './lifecycle';
import { TenantId } from './tenant-id';

/**
 * PostgreSQL range partitions by month, per tenant: what exists (attached, detached, or a
 * `DETACH … CONCURRENTLY` left pending), what the keep-ahead window and the blueprint's retention
 * expect, and what sits in the default partition. Rows are the planner's estimates (`reltuples`)
 * unless a field says it counted.
 */

/**
 * - `attached`: a partition of its table;
 * - `detach_pending`: a `DETACH PARTITION … CONCURRENTLY` that did not finish (finish or undo it);
 * - `detached`: a table named like one of the table's monthly partitions but no longer in it.
 */
export const PartitionState = z.enum(['attached', 'detach_pending', 'detached']);
export type PartitionState = z.infer<typeof PartitionState>;

export const Partition = z.object({
  name: z.string(),
  /** The month the bounds cover when they are exactly one calendar month; null otherwise (or for a detached table, from its name). */
  month: Month.nullable(),
  /** The bounds as the server prints them (`FOR VALUES FROM ('2026-01-01 00:00:00+00') TO (…)`), null when detached. */
  bound: z.string().nullable(),
  /** First and last month the bounds touch, so a wider or odd range can be drawn; null when detached or unbounded. */
  firstMonth: Month.nullable(),
  lastMonth: Month.nullable(),
  rows: z.number().nonnegative(),
  bytes: z.number().nonnegative(),
  state: PartitionState,
});
export type Partition = z.infer<typeof Partition>;

export const DefaultPartition = z.object({
  name: z.string(),
  rows: z.number().nonnegative(),
  bytes: z.number().nonnegative(),
  state: PartitionState,
});
export type DefaultPartition = z.infer<typeof DefaultPartition>;

export const PartitionedTable = z.object({
  table: z.string(),
  /** The partition key column, as `pg_get_partkeydef` names it. */
  key: z.string(),
  strategy: z.enum(['range', 'list', 'hash']),
  /** Whether the blueprint prescribes monthly partitions for this table (its name scheme and retention then apply). */
  prescribed: z.boolean(),
  partitions: z.array(Partition),
  defaultPartition: DefaultPartition.nullable(),
  /** The newest month with an attached partition; null when none. */
  horizon: Month.nullable(),
  /** Months of the keep-ahead window (now … now + keepAhead) without an attached partition. */
  missingAhead: z.array(Month),
  /** Months between the oldest and the newest attached partition without one. */
  holes: z.array(Month),
  /** Attached months older than the blueprint's retention (empty when it keeps everything). */
  expired: z.array(Month),
  /** The blueprint's rule in words: "monthly, 4 months ahead, kept 24 months". */
  rule: z.string(),
});
export type PartitionedTable = z.infer<typeof PartitionedTable>;

export const TenantPartitions = z.object({
  tenantId: TenantId,
  schema: z.string(),
  now: Month,
  keepAhead: z.number().int().min(0),
  /** The blueprint's retention in months for monthly tables, null when it keeps everything. */
  retentionMonths: z.number().int().positive().nullable(),
  tables: z.array(PartitionedTable),
});
export type TenantPartitions = z.infer<typeof TenantPartitions>;

/** One tenant's line of the fleet inventory (every partitioned table summed). */
export const FleetPartitionRow = z.object({
  tenantId: TenantId,
  tables: z.number().int().nonnegative(),
  partitions: z.number().int().nonnegative(),
  detached: z.number().int().nonnegative(),
  /** The earliest horizon over the tenant's range-partitioned tables; null when one has no monthly partition. */
  horizon: Month.nullable(),
  monthsShort: z.number().int().nonnegative(),
  defaultRows: z.number().nonnegative(),
  expired: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
});
export type FleetPartitionRow = z.infer<typeof FleetPartitionRow>;

export const FleetPartitions = z.object({
  now: Month,
  keepAhead: z.number().int().min(0),
  tenantSchemas: z.number().int().nonnegative(),
  rows: z.array(FleetPartitionRow),
});
export type FleetPartitions = z.infer<typeof FleetPartitions>;

/** Rows of the default partition counted by the month of their partition key. */
export const DefaultRowsMonth = z.object({
  month: Month,
  rows: z.number().int().nonnegative(),
  /** The monthly partition these rows belong in (to be created by the move). */
  partition: z.string(),
  /**
   * Why the move cannot make it: a table of that name exists outside the partition set (a
   * detached partition), or an attached partition's bounds overlap the month. Null: movable.
   */
  conflict: z.string().nullable(),
});
export type DefaultRowsMonth = z.infer<typeof DefaultRowsMonth>;

export const DefaultRows = z.object({
  tenantId: TenantId,
  table: z.string(),
  defaultPartition: z.string().nullable(),
  /** Counted with `count(*)`, not estimated. */
  total: z.number().int().nonnegative(),
  months: z.array(DefaultRowsMonth),
  /** Rows whose key is NULL or outside any month (they stay in the default partition). */
  unplaceable: z.number().int().nonnegative(),
});
export type DefaultRows = z.infer<typeof DefaultRows>;

/** A month premake or a move would create, and the statement that does it. */
export const PlannedPartition = z.object({
  table: z.string(),
  month: Month,
  partition: z.string(),
  sql: z.string(),
});
export type PlannedPartition = z.infer<typeof PlannedPartition>;

/**
 * A month that is already there, or cannot be created as the scheme names it: `present` (the
 * month's partition exists), `overlap` (another partition's bounds cover part of the month),
 * `name_taken` (a table of that name exists outside the partition set). Premake counts each as done.
 */
export const PartitionConflict = z.object({
  table: z.string(),
  month: Month,
  kind: z.enum(['present', 'overlap', 'name_taken']),
  /** The partition or table in the way. */
  partition: z.string(),
});
export type PartitionConflict = z.infer<typeof PartitionConflict>;

export const PremakeTenantPlan = z.object({
  tenantId: TenantId,
  schema: z.string(),
  create: z.array(PlannedPartition),
  conflicts: z.array(PartitionConflict),
});
export type PremakeTenantPlan = z.infer<typeof PremakeTenantPlan>;

export const PremakePlan = z.object({
  now: Month,
  keepAhead: z.number().int().min(0),
  /** Months of the window, now included. */
  months: z.array(Month),
  /** Tenants with something to create, plus those with conflicts; ready tenants are only counted. */
  tenants: z.array(PremakeTenantPlan),
  tenantsReady: z.number().int().nonnegative(),
  partitionsToCreate: z.number().int().nonnegative(),
  /** Tenant ids asked for that have no schema here. */
  missingTenants: z.array(z.string()),
});
export type PremakePlan = z.infer<typeof PremakePlan>;

export const RetiredPartition = z.object({
  table: z.string(),
  month: Month,
  partition: z.string(),
  rows: z.number().nonnegative(),
  bytes: z.number().nonnegative(),
  /** What the job runs for it, in order: the detach (CONCURRENTLY where the server allows) and, when dropping, the drop. */
  statements: z.array(z.string()),
});
export type RetiredPartition = z.infer<typeof RetiredPartition>;

export const RetentionPlan = z.object({
  now: Month,
  retentionMonths: z.number().int().positive().nullable(),
  /** The oldest month kept; partitions of earlier months are retired. */
  keepFrom: Month.nullable(),
  drop: z.boolean(),
  concurrently: z.boolean(),
  tenants: z.array(z.object({ tenantId: TenantId, schema: z.string(), partitions: z.array(RetiredPartition) })),
  partitionsToRetire: z.number().int().nonnegative(),
  /** The text `confirm` must hold for a drop: `drop N partitions`. */
  confirmText: z.string(),
  missingTenants: z.array(z.string()),
});
export type RetentionPlan = z.infer<typeof RetentionPlan>;
