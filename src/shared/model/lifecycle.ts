import { z } from 'zod';
import { StoreKind } from './workspace';
import { TenantId } from './tenant-id';

/**
 * A tenant's data lifecycle drawn as months across and stores down: PostgreSQL partitions,
 * Elasticsearch monthly indices with their ILM phase, MongoDB time buckets, and TTL horizons.
 * Each store's feature fills its own lanes; the time view only lays them side by side.
 */

/** A calendar month, `2026-12`. Months are UTC: a partition bound `2026-12-01` is the month `2026-12`. */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month: YYYY-MM');
export type Month = z.infer<typeof Month>;

/**
 * What one lane holds in one month.
 * - `present`: the partition, index or bucket exists (a `phase` says where ILM has it);
 * - `missing`: the blueprint's scheme says it should exist and it does not (a future month
 *   without a partition is where writes will land in the default partition, or fail);
 * - `default_rows`: rows of this month sit in the default partition;
 * - `error`: an ILM step failed, a bucket is past retention, a TTL breaks the blueprint;
 * - `expired`: past retention (a partition or bucket the retention would retire);
 * - `none`: nothing expected, nothing there.
 */
export const LaneCellState = z.enum(['present', 'missing', 'default_rows', 'error', 'expired', 'none']);
export type LaneCellState = z.infer<typeof LaneCellState>;

export const LaneCell = z.object({
  month: Month,
  state: LaneCellState,
  /** The object behind the cell: a partition, index or collection name. */
  object: z.string().optional(),
  /** ILM phase (`hot`, `warm`…), when the lane is an Elasticsearch index. */
  phase: z.string().optional(),
  /** Rows, documents or keys, when known (estimates say so in `detail`). */
  count: z.number().nonnegative().optional(),
  bytes: z.number().nonnegative().optional(),
  /** One line a person reads in the cell's tooltip: the failed step's reason, the default rows' range. */
  detail: z.string().max(500).optional(),
});
export type LaneCell = z.infer<typeof LaneCell>;

export const LaneKind = z.enum(['partition', 'index', 'bucket', 'ttl']);
export type LaneKind = z.infer<typeof LaneKind>;

export const Lane = z.object({
  store: StoreKind,
  kind: LaneKind,
  /** The logical name: `audit_logs` (partitioned table or bucketed collection), `logs` (index family), `session:*`. */
  name: z.string(),
  /** One cell per month of the view, in the view's order. */
  cells: z.array(LaneCell),
  /**
   * The last month this lane is ready for (the newest partition, the TTL reach), null when it has
   * none; the fleet heatmap sorts tenants by the earliest horizon of their partition lanes.
   */
  horizon: Month.nullable(),
  /** What the blueprint prescribes for this lane, in words: "monthly, kept 13 months", "TTL 86400 s". */
  rule: z.string().optional(),
  note: z.string().optional(),
});
export type Lane = z.infer<typeof Lane>;

/** A store whose lanes could not be read for this view, and why: the rest of the view still shows. */
export const LaneGap = z.object({ store: StoreKind, reason: z.string() });
export type LaneGap = z.infer<typeof LaneGap>;

export const TenantTimeline = z.object({
  tenantId: TenantId,
  months: z.array(Month),
  /** The current month, so the view can draw "now" without trusting the renderer's clock. */
  now: Month,
  lanes: z.array(Lane),
  gaps: z.array(LaneGap),
});
export type TenantTimeline = z.infer<typeof TenantTimeline>;

/**
 * One tenant's row of the fleet heatmap: for each month of the view, the share (0–1) of its
 * partitioned tables that have a partition for it, and the marks that need attention.
 */
export const FleetHorizonRow = z.object({
  tenantId: TenantId,
  /** One share per month of the view; empty for a tenant the partitions did not report (ILM errors only, or partitions unreadable). */
  coverage: z.array(z.number().min(0).max(1)),
  /** The earliest horizon over the tenant's partitioned tables; null when one has no range partition at all. */
  horizon: Month.nullable(),
  /** Months short of the keep-ahead target (0 when the tenant is ready). */
  monthsShort: z.number().int().nonnegative(),
  /** Rows in default partitions, estimate from the statistics. */
  defaultRows: z.number().nonnegative(),
  /** Failed ILM steps on the tenant's Elasticsearch indices (0 when the preset has no Elasticsearch or it is unreadable). */
  ilmErrors: z.number().int().nonnegative(),
});
export type FleetHorizonRow = z.infer<typeof FleetHorizonRow>;

export const FleetHorizon = z.object({
  months: z.array(Month),
  now: Month,
  /** The keep-ahead target the rows were measured against. */
  keepAhead: z.number().int().min(0),
  rows: z.array(FleetHorizonRow),
  gaps: z.array(LaneGap),
});
export type FleetHorizon = z.infer<typeof FleetHorizon>;
