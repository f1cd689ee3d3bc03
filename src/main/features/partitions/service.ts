import { AppError } from '@shared/errors';
import type { JobSummary } from '@shared/model/job';
import type { Session } from '@shared/model/session';
import type { TenancyPreset } from '@shared/tenancy';
import type { SectionService } from '../../services/section';
import type { PostgresFace } from '../../stores/postgres/face';
import { postgresOf, readInventory, schemasOf, targetOf, type TenantInventory } from './inventory';
import type { Clock } from './jobs';
import { monthOfDate } from './months';
import { readDefaultRows, tenantTable } from './move';
import { prescribedTables } from './plans';
import { confirmTextOf, fleetRow, premakePlanOf, retentionPlanOf, tenantTables } from './views';

export type PartitionsPostgres = Pick<PostgresFace, 'query'>;

export interface PartitionsStores {
  preset: TenancyPreset;
  postgres?: PartitionsPostgres;
}

export interface PartitionsServiceDeps {
  openStores(workspaceId: string, signal: AbortSignal): Promise<PartitionsStores>;
  /** Hands a job to the jobs room, started by the caller's session. */
  startJob(request: { workspaceId: string; kind: string; params: unknown; session: Pick<Session, 'operator' | 'role'> }): Promise<JobSummary>;
  clock?: Clock;
}

function needPostgres(stores: PartitionsStores): PartitionsPostgres {
  if (!stores.postgres) throw new AppError('unreachable', 'This workspace has no PostgreSQL endpoint; add one in the workspace editor.');
  return stores.postgres;
}

type Target = { tenantId?: string | undefined; tenantIds?: string[] | undefined; allTenants?: true | undefined };
const jobTarget = (args: Target): { tenantIds?: string[]; allTenants?: boolean } =>
  args.allTenants ? { allTenants: true } : { tenantIds: args.tenantIds ?? (args.tenantId ? [args.tenantId] : []) };

/**
 * The partitions section. Every read is one catalog pass over the tenant schemas it covers (in
 * chunks of schema names); counting a default partition's rows is the only read of data. Changes
 * are jobs of the jobs room; the router checked access (`read`, `tenant-read`, `schema-change`).
 */
export function createPartitionsService(deps: PartitionsServiceDeps): SectionService<'partitions'> {
  const clock = deps.clock ?? (() => new Date());

  async function inventoryOf(workspaceId: string, target: Target, signal: AbortSignal, chunkSize?: number) {
    const stores = await deps.openStores(workspaceId, signal);
    const pg = needPostgres(stores);
    const { blueprint } = postgresOf(stores.preset);
    const read = await readInventory(pg, stores.preset, targetOf(target), { signal, ...(chunkSize ? { chunkSize } : {}) });
    return { ...read, stores, pg, prescribed: prescribedTables(blueprint) };
  }

  /** Refuses a named table no covered tenant has as a partitioned table, before any job is queued. */
  function checkTable(tenants: TenantInventory[], table: string | undefined): void {
    if (table === undefined) return;
    const found = tenants.some((t) => t.tables.some((x) => x.table === table));
    if (!found) throw new AppError('not_found', `No tenant here has a partitioned table named ${JSON.stringify(table)}.`);
    const monthly = tenants.some((t) => t.tables.some((x) => x.table === table && x.monthly));
    if (!monthly) throw new AppError('invalid_argument', `${table} is not range-partitioned on one date or timestamp column, so it has no months to keep.`);
  }

  async function start(workspaceId: string, kind: string, params: unknown, session: Pick<Session, 'operator' | 'role'>): Promise<JobSummary> {
    return deps.startJob({ workspaceId, kind, params, session });
  }

  return {
    async fleet(args, { signal }) {
      const now = monthOfDate(clock());
      const { tenants, schemasTotal, prescribed } = await inventoryOf(args.workspaceId, { allTenants: true }, signal, args.chunkSize);
      const horizon = { now, keepAhead: args.keepAhead };
      return { now, keepAhead: args.keepAhead, tenantSchemas: schemasTotal, rows: tenants.map((t) => fleetRow(t, horizon, prescribed)) };
    },

    async tenant(args, { signal }) {
      const now = monthOfDate(clock());
      const { tenants, prescribed } = await inventoryOf(args.workspaceId, { tenantId: args.tenantId }, signal);
      const tenant = tenants[0];
      if (!tenant) throw new AppError('not_found', `Tenant ${args.tenantId} has no schema here.`);
      const retentions = [...prescribed.values()].filter((v): v is number => v !== null);
      return {
        tenantId: args.tenantId,
        schema: tenant.schema,
        now,
        keepAhead: args.keepAhead,
        retentionMonths: retentions[0] ?? null,
        tables: tenantTables(tenant, { now, keepAhead: args.keepAhead }, prescribed),
      };
    },

    async defaultRows(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      return readDefaultRows(needPostgres(stores), stores.preset, args.tenantId, args.table, { signal });
    },

    async moveDefaultRows(args, { signal, session }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      const { table } = await tenantTable(needPostgres(stores), stores.preset, args.tenantId, args.table, { signal });
      if (!table.monthly) throw new AppError('invalid_argument', `${args.table} is not range-partitioned on one date or timestamp column; its rows have no month to go to.`);
      if (!table.defaultPartition || table.defaultPartition.state === 'detached') throw new AppError('invalid_argument', `${args.table} of tenant ${args.tenantId} has no default partition attached.`);
      const params = { tenantId: args.tenantId, table: args.table, lockTimeoutMs: args.lockTimeoutMs, ...(args.months ? { months: args.months } : {}) };
      return start(args.workspaceId, 'partitions.move-default', params, session);
    },

    async premakePlan(args, { signal }) {
      const now = monthOfDate(clock());
      const { tenants, missingTenants, prescribed } = await inventoryOf(args.workspaceId, args, signal);
      checkTable(tenants, args.table);
      return premakePlanOf(tenants, prescribed, { now, keepAhead: args.keepAhead }, args.table, missingTenants);
    },

    async premake(args, { signal, session }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      needPostgres(stores);
      // Tenant ids are checked against the preset now, so a bad id fails the call rather than the job.
      schemasOf(stores.preset, targetOf(args));
      if (args.table !== undefined) checkTable((await inventoryOf(args.workspaceId, args, signal)).tenants, args.table);
      const params = { ...jobTarget(args), keepAhead: args.keepAhead, lockTimeoutMs: args.lockTimeoutMs, pauseMs: args.pauseMs, ...(args.table ? { table: args.table } : {}) };
      return start(args.workspaceId, 'partitions.premake', params, session);
    },

    async retentionPlan(args, { signal }) {
      const now = monthOfDate(clock());
      const { tenants, missingTenants, prescribed, version } = await inventoryOf(args.workspaceId, args, signal);
      checkTable(tenants, args.table);
      return retentionPlanOf(tenants, prescribed, { now, table: args.table, retentionMonths: args.retentionMonths, drop: args.drop, version }, missingTenants);
    },

    async retire(args, { signal, session }) {
      const now = monthOfDate(clock());
      const { tenants, missingTenants, prescribed, version } = await inventoryOf(args.workspaceId, args, signal);
      checkTable(tenants, args.table);
      if (args.drop) {
        const plan = retentionPlanOf(tenants, prescribed, { now, table: args.table, retentionMonths: args.retentionMonths, drop: true, version }, missingTenants);
        if (plan.partitionsToRetire === 0) throw new AppError('invalid_argument', 'No partition is older than the retention: there is nothing to drop.');
        if ((args.confirm ?? '').trim() !== confirmTextOf(plan.partitionsToRetire)) {
          throw new AppError('invalid_argument', `To drop, type exactly "${confirmTextOf(plan.partitionsToRetire)}".`, { issues: [{ path: ['confirm'], message: `type "${plan.confirmText}"` }] });
        }
      }
      const params = {
        ...jobTarget(args),
        drop: args.drop,
        lockTimeoutMs: args.lockTimeoutMs,
        pauseMs: args.pauseMs,
        ...(args.table ? { table: args.table } : {}),
        ...(args.retentionMonths ? { retentionMonths: args.retentionMonths } : {}),
      };
      return start(args.workspaceId, 'partitions.retire', params, session);
    },
  };
}
