import type { StoreKind } from '@shared/model/workspace';
import type { Lane, Month } from '@shared/model/lifecycle';

/**
 * How a store's feature contributes to the lifecycle time view without the view knowing the
 * store: partitions give PostgreSQL lanes, ILM gives Elasticsearch lanes, and so on. The console
 * hands the time view one source per store the workspace has; a source that throws becomes a gap
 * in the view (with the error's message), never a failed view.
 */
export interface LifecycleLaneSource {
  store: StoreKind;
  /** The tenant's lanes over exactly `months` (each lane has one cell per month, in order). */
  tenantLanes(args: { workspaceId: string; tenantId: string; months: Month[]; now: Month }, signal: AbortSignal): Promise<Lane[]>;
}

/** Per-tenant figures the fleet heatmap needs from PostgreSQL partitions, read in one catalog pass. */
export interface PartitionHorizon {
  coverage: number[];
  horizon: Month | null;
  defaultRows: number;
}

export interface FleetHorizonSource {
  /** Every tenant's partition coverage over `months`, keyed by tenant id. */
  partitionHorizons(args: { workspaceId: string; months: Month[]; now: Month }, signal: AbortSignal): Promise<Map<string, PartitionHorizon>>;
}

export interface FleetIlmSource {
  /** Failed ILM steps per tenant, from `_ilm/explain?only_errors`, keyed by tenant id. */
  ilmErrorsByTenant(args: { workspaceId: string }, signal: AbortSignal): Promise<Map<string, number>>;
}
