import { z } from 'zod';
import { AppError } from '@shared/errors';
import { Month } from '@shared/model/lifecycle';
import { PgName } from '@shared/model/indexes';
import { TenantId } from '@shared/model/tenant-id';
import type { TenancyPreset } from '@shared/tenancy';
import type { JobKind } from '../../jobs';
import { cancelLeftovers, jobTag } from '../../jobs/demo-kinds';
import type { PostgresFace, PostgresSession } from '../../stores/postgres/face';
import { postgresOf, readInventory, serverVersion, targetOf, type TenantInventory } from './inventory';
import { addMonths, monthOfDate, monthRange } from './months';
import { keepFromOf, prescribedTables, premakeTenant, retireTable } from './plans';
import { moveDefaultRows } from './move';

/** What the partition jobs work on: the workspace's preset and a PostgreSQL that lends sessions. */
export interface PartitionJobStores {
  workspaceId: string;
  preset: TenancyPreset;
  postgres: Pick<PostgresFace, 'query' | 'session'>;
}

export type OpenPartitionJobStores = (workspaceId: string, signal: AbortSignal) => Promise<PartitionJobStores>;

/** The console's clock: months are read from it when a job runs, so a plan made before midnight of the 1st stays right. */
export type Clock = () => Date;

const Target = {
  tenantIds: z.array(TenantId).min(1).max(10_000).optional(),
  allTenants: z.boolean().optional(),
};

export const PremakeParams = z
  .object({
    ...Target,
    keepAhead: z.number().int().min(0).max(36),
    table: PgName.optional(),
    lockTimeoutMs: z.number().int().min(50).max(60_000),
    pauseMs: z.number().int().min(0).max(10_000),
  })
  .strict();
export type PremakeParams = z.infer<typeof PremakeParams>;

export const RetireParams = z
  .object({
    ...Target,
    table: PgName.optional(),
    retentionMonths: z.number().int().min(1).max(600).optional(),
    drop: z.boolean(),
    lockTimeoutMs: z.number().int().min(50).max(60_000),
    pauseMs: z.number().int().min(0).max(10_000),
  })
  .strict();
export type RetireParams = z.infer<typeof RetireParams>;

export const MoveDefaultParams = z
  .object({ tenantId: TenantId, table: PgName, months: z.array(Month).min(1).max(600).optional(), lockTimeoutMs: z.number().int().min(50).max(60_000) })
  .strict();
export type MoveDefaultParams = z.infer<typeof MoveDefaultParams>;

const LISTED = 200;

const who = (p: { tenantIds?: string[] | undefined; allTenants?: boolean | undefined }): string =>
  p.allTenants ? 'every tenant' : p.tenantIds?.length === 1 ? `tenant ${p.tenantIds[0]}` : `${p.tenantIds?.length ?? 0} tenants`;
const tenantsOf = (p: { tenantIds?: string[] | undefined; allTenants?: boolean | undefined }): string[] => (p.allTenants ? ['*'] : (p.tenantIds ?? []));

const sqlStateOf = (error: unknown): string | undefined => {
  const details = error instanceof AppError ? error.details : undefined;
  return typeof details === 'object' && details !== null && 'sqlState' in details ? String((details as { sqlState: unknown }).sqlState) : undefined;
};
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const isLocked = (error: unknown): boolean => error instanceof AppError && error.code === 'locked';

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function stopIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('cancelled', 'The job was cancelled.');
}

/** Outcomes of a job that goes tenant by tenant, for its result and its log. */
class TenantTally {
  done: string[] = [];
  ready = 0;
  skipped: Array<{ tenantId: string; reason: string }> = [];
  failed: Array<{ tenantId: string; reason: string }> = [];
  reached = 0;

  result(extra: Record<string, number | boolean>) {
    return {
      ...extra,
      tenantsReached: this.reached,
      tenantsChanged: this.done.length,
      changedTenants: this.done.slice(0, LISTED),
      tenantsReady: this.ready,
      skipped: this.skipped.slice(0, LISTED),
      failed: this.failed.slice(0, LISTED),
    };
  }
}

/** Runs one tenant's statements in one transaction under `lock_timeout`; a lock wait past it rolls the tenant back. */
async function inTransaction(session: PostgresSession, lockTimeoutMs: number, work: () => Promise<void>): Promise<void> {
  await session.run('BEGIN');
  try {
    await session.run('SELECT pg_catalog.set_config($1, $2, true)', ['lock_timeout', `${lockTimeoutMs}ms`]);
    await work();
    await session.run('COMMIT');
  } catch (error) {
    await session.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * `partitions.premake`: keeps `keepAhead` months ready after the current one. The tenants are read
 * in chunks of the catalog pass; each tenant's missing months are created in one transaction of
 * its own under `lock_timeout` (a locked table skips that tenant, with the reason), so no lock is
 * held from one tenant to the next, and the job pauses `pauseMs` between tenants. A cancel stops
 * between tenants: the tenant in flight is rolled back, those not reached are untouched.
 */
export function premakeKind(openStores: OpenPartitionJobStores, clock: Clock = () => new Date()): JobKind<PremakeParams, PartitionJobStores> {
  return {
    name: 'partitions.premake',
    store: 'postgres',
    params: PremakeParams,
    describe: (p) => ({ title: `Keep ${p.keepAhead} months of partitions ahead in ${who(p)}`, tenantIds: tenantsOf(p) }),
    openStores,
    async run(params, { jobId, signal, stores, progress, log }) {
      const { blueprint } = postgresOf(stores.preset);
      const prescribed = prescribedTables(blueprint);
      const now = monthOfDate(clock());
      const months = monthRange(now, addMonths(now, params.keepAhead));
      const tally = new TenantTally();
      let created = 0;
      let conflicts = 0;
      log(`Months kept ready: ${months[0]} to ${months.at(-1)}${params.table ? ` for ${params.table}` : ''}; lock timeout ${params.lockTimeoutMs} ms, ${params.pauseMs} ms between tenants.`);
      const premakeOne = async (session: PostgresSession, tenant: TenantInventory): Promise<void> => {
        const plan = premakeTenant(tenant, prescribed, months, params.table);
        conflicts += plan.conflicts.filter((c) => c.kind !== 'present').length;
        for (const c of plan.conflicts.filter((x) => x.kind !== 'present')) log(`${tenant.tenantId}: ${c.table} ${c.month} counted as done: ${c.kind === 'overlap' ? 'bounds overlap' : 'name taken by'} ${c.partition}.`);
        if (plan.create.length === 0) {
          tally.ready += 1;
          return;
        }
        const made: string[] = [];
        const refused: string[] = [];
        const create = async (withSavepoints: boolean): Promise<void> => {
          made.length = 0;
          refused.length = 0;
          for (const step of plan.create) {
            if (!withSavepoints) {
              await session.run(`${jobTag(jobId)}${step.sql}`);
              made.push(step.partition);
              continue;
            }
            await session.run('SAVEPOINT premake_month');
            try {
              await session.run(`${jobTag(jobId)}${step.sql}`);
              await session.run('RELEASE SAVEPOINT premake_month');
              made.push(step.partition);
            } catch (error) {
              if (sqlStateOf(error) !== '23514') throw error;
              await session.run('ROLLBACK TO SAVEPOINT premake_month');
              refused.push(`${step.partition} (rows of ${step.month} sit in the default partition: move them first)`);
            }
          }
        };
        try {
          await inTransaction(session, params.lockTimeoutMs, () => create(false));
        } catch (error) {
          // Rows of a month in the default partition stop its CREATE: again, month by month, to make the others.
          if (sqlStateOf(error) !== '23514') throw error;
          await inTransaction(session, params.lockTimeoutMs, () => create(true));
        }
        created += made.length;
        if (made.length > 0) tally.done.push(tenant.tenantId);
        log(`${tenant.tenantId}: created ${made.length > 0 ? made.join(', ') : 'nothing'}${refused.length > 0 ? `; not created: ${refused.join(', ')}` : ''}.`);
        if (refused.length > 0) tally.skipped.push({ tenantId: tenant.tenantId, reason: `not created: ${refused.join(', ')}` });
      };
      await stores.postgres.session(async (session) => {
        await readInventory(stores.postgres, stores.preset, targetOf(params), {
          signal,
          onChunk: async (tenants, done, total) => {
            for (const [index, tenant] of tenants.entries()) {
              stopIfCancelled(signal);
              progress(done - tenants.length + index, total, `premaking in ${tenant.tenantId}`);
              tally.reached += 1;
              try {
                await premakeOne(session, tenant);
              } catch (error) {
                if (signal.aborted) {
                  log(`${tenant.tenantId}: cancelled and rolled back.`);
                  throw error;
                }
                if (isLocked(error)) {
                  tally.skipped.push({ tenantId: tenant.tenantId, reason: `a table was locked for longer than ${params.lockTimeoutMs} ms; nothing changed there` });
                  log(`${tenant.tenantId}: skipped, a table was locked for longer than ${params.lockTimeoutMs} ms; nothing changed there.`);
                } else {
                  tally.failed.push({ tenantId: tenant.tenantId, reason: messageOf(error) });
                  log(`${tenant.tenantId}: failed and rolled back: ${messageOf(error)}`);
                }
              }
              if (index < tenants.length - 1 || done < total) await pause(params.pauseMs, signal);
            }
          },
        }).then(({ missingTenants }) => {
          for (const id of missingTenants) log(`${id}: no schema here, nothing made.`);
        });
      }, { signal }).catch((error: unknown) => {
        if (signal.aborted) log(`Cancelled after ${tally.reached} tenant(s): ${tally.done.length} changed; the tenants not reached are untouched.`);
        throw error;
      });
      progress(tally.reached, tally.reached, 'done');
      log(`Created ${created} partition(s) in ${tally.done.length} tenant(s); ${tally.ready} already ready; ${tally.skipped.length} skipped; ${tally.failed.length} failed.`);
      return tally.result({ created, conflicts, keepAhead: params.keepAhead });
    },
    afterInterruption: (_params, { jobId, signal, stores, log }) => cancelLeftovers(stores.postgres, jobId, signal, log),
  };
}

/**
 * `partitions.retire`: per tenant, detaches the partitions older than the retention and, when
 * asked, drops them. `DETACH … CONCURRENTLY` (PostgreSQL 14 and later, tables without a default
 * partition) cannot run in a transaction: it runs statement by statement under the session's
 * `lock_timeout`; otherwise the tenant's statements run in one transaction.
 */
export function retireKind(openStores: OpenPartitionJobStores, clock: Clock = () => new Date()): JobKind<RetireParams, PartitionJobStores> {
  return {
    name: 'partitions.retire',
    store: 'postgres',
    params: RetireParams,
    describe: (p) => ({ title: `${p.drop ? 'Detach and drop' : 'Detach'} expired partitions in ${who(p)}`, tenantIds: tenantsOf(p) }),
    openStores,
    async run(params, { jobId, signal, stores, progress, log }) {
      const { blueprint } = postgresOf(stores.preset);
      const prescribed = prescribedTables(blueprint);
      const now = monthOfDate(clock());
      const tally = new TenantTally();
      let detached = 0;
      let dropped = 0;
      await stores.postgres.session(async (session) => {
        await session.run('SELECT pg_catalog.set_config($1, $2, false)', ['lock_timeout', `${params.lockTimeoutMs}ms`]);
        const version = await serverVersion(stores.postgres, { signal });
        await readInventory(stores.postgres, stores.preset, targetOf(params), {
          signal,
          onChunk: async (tenants, done, total) => {
            for (const [index, tenant] of tenants.entries()) {
              stopIfCancelled(signal);
              progress(done - tenants.length + index, total, `retiring in ${tenant.tenantId}`);
              tally.reached += 1;
              const retired = tenant.tables.flatMap((table) => {
                if (params.table !== undefined && table.table !== params.table) return [];
                const retention = params.retentionMonths ?? (prescribed.has(table.table) ? prescribed.get(table.table) : null) ?? null;
                const keepFrom = keepFromOf(now, retention);
                return keepFrom ? retireTable(tenant.schema, table, { keepFrom, drop: params.drop, concurrentDetach: version >= 140_000 }) : [];
              });
              if (retired.length === 0) {
                tally.ready += 1;
                continue;
              }
              const statements = retired.flatMap((r) => r.statements);
              const outside = statements.some((s) => s.endsWith(' CONCURRENTLY'));
              try {
                if (outside) {
                  for (const statement of statements) await session.run(`${jobTag(jobId)}${statement}`);
                } else {
                  await inTransaction(session, params.lockTimeoutMs, async () => {
                    for (const statement of statements) await session.run(`${jobTag(jobId)}${statement}`);
                  });
                }
                detached += retired.filter((r) => r.statements.some((s) => s.startsWith('ALTER TABLE'))).length;
                dropped += params.drop ? retired.length : 0;
                tally.done.push(tenant.tenantId);
                log(`${tenant.tenantId}: ${params.drop ? 'detached and dropped' : 'detached'} ${retired.map((r) => r.partition).join(', ')}.`);
              } catch (error) {
                if (signal.aborted) {
                  log(`${tenant.tenantId}: cancelled${outside ? '; a detach cut short stays pending and shows as such until finished' : ' and rolled back'}.`);
                  throw error;
                }
                const reason = isLocked(error) ? `a table was locked for longer than ${params.lockTimeoutMs} ms` : messageOf(error);
                (isLocked(error) ? tally.skipped : tally.failed).push({ tenantId: tenant.tenantId, reason });
                log(`${tenant.tenantId}: ${isLocked(error) ? 'skipped' : 'failed'}: ${reason}${outside ? '' : '; rolled back'}.`);
              }
              if (index < tenants.length - 1 || done < total) await pause(params.pauseMs, signal);
            }
          },
        });
        log(`PostgreSQL ${Math.floor(version / 10_000)}: ${version >= 140_000 ? 'detach CONCURRENTLY where the table has no default partition' : 'detach in a transaction'}.`);
      }, { signal });
      progress(tally.reached, tally.reached, 'done');
      return tally.result({ detached, dropped, drop: params.drop });
    },
    afterInterruption: (_params, { jobId, signal, stores, log }) => cancelLeftovers(stores.postgres, jobId, signal, log),
  };
}

/** `partitions.move-default`: moves a table's default-partition rows into their months' partitions (see move.ts). */
export function moveDefaultKind(openStores: OpenPartitionJobStores): JobKind<MoveDefaultParams, PartitionJobStores> {
  return {
    name: 'partitions.move-default',
    store: 'postgres',
    params: MoveDefaultParams,
    describe: (p) => ({ title: `Move ${p.table} rows out of the default partition in tenant ${p.tenantId}`, tenantIds: [p.tenantId] }),
    openStores,
    async run(params, { jobId, signal, stores, progress, log }) {
      progress(0, 1, `counting ${params.table}`);
      const moved = await moveDefaultRows(stores, params, { jobId, signal, log });
      progress(1, 1, 'done');
      return moved;
    },
    afterInterruption: (_params, { jobId, signal, stores, log }) => cancelLeftovers(stores.postgres, jobId, signal, log),
  };
}
