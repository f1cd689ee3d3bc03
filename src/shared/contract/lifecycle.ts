import { z } from 'zod';
import { method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant-id';
import { FleetHorizon, Month, TenantTimeline } from '../model/lifecycle';

/** Months one view may span: five years is more than any retention the blueprints prescribe. */
export const MAX_VIEW_MONTHS = 60;

/** The tenant time view's default: a year back, the current month, half a year ahead. */
export const TIMELINE_MONTHS_BACK = 12;
export const TIMELINE_MONTHS_AHEAD = 6;

/** Months kept ready ahead of the current one (pg_partman's premake; 4 by default, as it does). */
const KeepAhead = z.number().int().min(0).max(36).default(4);

/**
 * The data lifecycle across stores, as one picture: a tenant's time view (months across, stores
 * down — PostgreSQL partitions, Elasticsearch monthly indices with their ILM phase, MongoDB time
 * buckets, TTL horizons) and the fleet's partition horizon (tenants × months). Both read metadata
 * only — partition bounds, index phases, bucket names, counts — never a tenant's records, so both
 * are `read`. Each store's lanes come from that store's feature; one that cannot be read is a gap
 * with its reason, never a failed view.
 */
export const lifecycle = section('lifecycle', {
  timeline: method({
    access: 'read',
    summary:
      'One tenant’s lifecycle over `months` months from `from` (by default a year back to half a year ahead): a lane per ' +
      'partitioned table, index family, bucketed collection and TTL family, each a cell per month, with the lane’s rule and ' +
      'horizon; a store that cannot be read is a gap with the reason.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId,
        /** The first month shown; by default twelve months before the current one. */
        from: Month.optional(),
        months: z.number().int().min(1).max(MAX_VIEW_MONTHS).default(TIMELINE_MONTHS_BACK + 1 + TIMELINE_MONTHS_AHEAD),
      })
      .strict(),
    result: TenantTimeline,
  }),
  fleet: method({
    access: 'read',
    summary:
      'The partition horizon of every tenant over `months` months ending `keepAhead` + 1 months after the current one: the share ' +
      'of its partitioned tables ready for each month, its earliest horizon, the months short of the keep-ahead window, rows ' +
      'in default partitions and failed ILM steps; tenants running out first come first.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        months: z.number().int().min(2).max(MAX_VIEW_MONTHS).default(12),
        keepAhead: KeepAhead,
      })
      .strict()
      .refine((args) => args.months >= args.keepAhead + 2, {
        path: ['months'],
        message: 'show at least keepAhead + 2 months: the current month, the keep-ahead window and the month after it',
      }),
    result: FleetHorizon,
  }),
});
