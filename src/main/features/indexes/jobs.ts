import { z } from 'zod';
import { AppError } from '@shared/errors';
import { IndexDefinition, PgName } from '@shared/model/indexes';
import { TenantId } from '@shared/model/tenant-id';
import { qualified } from '@shared/sql/identifiers';
import { tenantSchemaName, type TenancyPreset } from '@shared/tenancy';
import type { JobKind, JobResult } from '../../jobs';
import { cancelLeftovers, jobTag } from '../../jobs/demo-kinds';
import type { PostgresFace } from '../../stores/postgres/face';
import { buildWatched, createIndexStatement, describeProgress, type BuildProgress } from './build';
import { planFixes } from './fix-plan';
import { postgresOf, readDrift, schemaNames, schemasOf, targetOf } from './passes';
import type { ReferenceCache } from './reference-cache';

/** What the index jobs work on: the workspace's preset and a PostgreSQL that lends sessions. */
export interface IndexJobStores {
  workspaceId: string;
  preset: TenancyPreset;
  postgres: Pick<PostgresFace, 'query' | 'session'>;
}

export type OpenIndexJobStores = (workspaceId: string, signal: AbortSignal) => Promise<IndexJobStores>;

const Target = {
  tenantIds: z.array(TenantId).min(1).max(1_000).optional(),
  allTenants: z.boolean().optional(),
};

export const FixDriftParams = z.object({ ...Target, dryRun: z.boolean(), lockTimeoutMs: z.number().int().min(100).max(60_000) }).strict();
export type FixDriftParams = z.infer<typeof FixDriftParams>;

export const BuildParams = z.object({ ...Target, definition: IndexDefinition }).strict();
export type BuildParams = z.infer<typeof BuildParams>;

export const RebuildParams = z.object({ tenantId: TenantId, index: PgName }).strict();
export type RebuildParams = z.infer<typeof RebuildParams>;

const who = (p: { tenantIds?: string[] | undefined; allTenants?: boolean | undefined }): string =>
  p.allTenants ? 'every tenant' : p.tenantIds?.length === 1 ? `tenant ${p.tenantIds[0]}` : `${p.tenantIds?.length ?? 0} tenants`;
const tenantsOf = (p: { tenantIds?: string[] | undefined; allTenants?: boolean | undefined }): string[] => (p.allTenants ? ['*'] : (p.tenantIds ?? []));
const targetFrom = (p: { tenantIds?: string[] | undefined; allTenants?: boolean | undefined }) =>
  targetOf({ tenantIds: p.tenantIds, ...(p.allTenants ? { allTenants: true as const } : {}) });

const LISTED = 200;

/**
 * `indexes.fix-drift`: reads drift again when it runs (the plan a person saw may be stale), then
 * repairs one tenant at a time on one session, each in its own transaction under `lock_timeout`:
 * a tenant whose table is locked is rolled back, skipped and reported, and the job goes on. A cancel
 * rolls back the tenant in flight; the log says which tenants were repaired before it.
 */
export function fixDriftKind(openStores: OpenIndexJobStores, references: ReferenceCache): JobKind<FixDriftParams, IndexJobStores> {
  return {
    name: 'indexes.fix-drift',
    store: 'postgres',
    params: FixDriftParams,
    describe: (p) => ({ title: `${p.dryRun ? 'Dry run: fix' : 'Fix'} blueprint drift in ${who(p)}`, tenantIds: tenantsOf(p) }),
    openStores,
    async run(params, { jobId, signal, stores, progress, log }) {
      const { blueprint } = postgresOf(stores.preset);
      progress(0, null, 'reading drift');
      const reference = await references.get(stores.workspaceId, stores.postgres, stores.preset, { signal });
      const drift = await readDrift(stores.postgres, stores.preset, targetFrom(params), reference, { signal });
      const { plans, notFixed } = planFixes(drift.rows, blueprint);
      log(`Compared ${drift.compared.length} tenant schemas: ${plans.length} to repair, ${drift.rows.length} differences.`);
      for (const line of notFixed) log(`Not repaired by this job: ${line}.`);
      for (const id of drift.missingTenants) log(`${id}: no schema, nothing to repair.`);
      const skipped: Array<{ tenantId: string; reason: string }> = drift.busyTenants.map((tenantId) => ({
        tenantId,
        reason: 'another session held or waited for an ACCESS EXCLUSIVE lock on one of its tables when drift was read',
      }));
      for (const { tenantId, reason } of skipped) log(`${tenantId}: skipped, ${reason}; nothing changed there.`);
      const statements = plans.reduce((sum, p) => sum + p.statements.length, 0);
      if (params.dryRun) {
        for (const plan of plans) {
          log(`${plan.tenantId}: would run ${plan.statements.length} statement(s): ${plan.statements.map((s) => `${s.sql} [${s.lock}]`).join('; ')}`);
        }
        progress(plans.length, plans.length, 'dry run: nothing changed');
        return { dryRun: true, compared: drift.compared.length, tenants: plans.length, statements, planned: plans.slice(0, LISTED).map((p) => p.tenantId), skipped: skipped.slice(0, LISTED) };
      }
      const busyCount = skipped.length;
      const repaired: string[] = [];
      const failed: Array<{ tenantId: string; reason: string }> = [];
      try {
        await stores.postgres.session(async (session) => {
          for (const [index, plan] of plans.entries()) {
            progress(index, plans.length, `repairing ${plan.tenantId}`);
            try {
              await session.run('BEGIN');
              await session.run('SELECT set_config($1, $2, true)', ['lock_timeout', `${params.lockTimeoutMs}ms`]);
              for (const statement of plan.statements) await session.run(`${jobTag(jobId)}${statement.sql}`);
              await session.run('COMMIT');
              repaired.push(plan.tenantId);
              log(`${plan.tenantId}: repaired (${plan.statements.length} statement(s)).`);
            } catch (error) {
              await session.run('ROLLBACK').catch(() => undefined);
              if (signal.aborted) throw error;
              const reason = error instanceof Error ? error.message : String(error);
              if (error instanceof AppError && error.code === 'locked') {
                skipped.push({ tenantId: plan.tenantId, reason: `a table was locked for longer than ${params.lockTimeoutMs} ms (${reason})` });
                log(`${plan.tenantId}: skipped, a table was locked for longer than ${params.lockTimeoutMs} ms; nothing changed there.`);
              } else {
                failed.push({ tenantId: plan.tenantId, reason });
                log(`${plan.tenantId}: failed and rolled back: ${reason}`);
              }
            }
          }
        }, { signal });
      } catch (error) {
        if (signal.aborted) {
          const untouched = plans.length - repaired.length - (skipped.length - busyCount) - failed.length;
          log(`Cancelled: ${repaired.length} tenant(s) repaired before the cancel (${repaired.slice(0, LISTED).join(', ') || 'none'}); the tenant in flight was rolled back; ${untouched} left untouched.`);
        }
        throw error;
      }
      progress(plans.length, plans.length, 'done');
      const result: JobResult = {
        dryRun: false,
        compared: drift.compared.length,
        tenants: plans.length,
        statements,
        repaired: repaired.length,
        repairedTenants: repaired.slice(0, LISTED),
        skipped: skipped.slice(0, LISTED),
        failed: failed.slice(0, LISTED),
      };
      if (plans.length > 0 && repaired.length === 0 && failed.length > 0) throw new AppError('internal', `No tenant was repaired; the first failure: ${failed[0]?.reason ?? ''}`);
      return result;
    },
    afterInterruption: (_params, { jobId, signal, stores, log }) => cancelLeftovers(stores.postgres, jobId, signal, log),
  };
}

function progressReporter(progress: (done: number, total: number | null, phase: string) => void, log: (line: string) => void, prefix: string, oneTenant: boolean, index: number, total: number) {
  let lastPhase = '';
  return (p: BuildProgress): void => {
    const words = `${prefix}: ${describeProgress(p)}`;
    if (p.phase !== lastPhase) {
      lastPhase = p.phase;
      log(words);
    }
    // One tenant: blocks (or tuples) of the build itself; many: tenants, with the build's words.
    if (oneTenant && p.blocksTotal > 0) progress(p.blocksDone, p.blocksTotal, words);
    else if (oneTenant && p.tuplesTotal > 0) progress(p.tuplesDone, p.tuplesTotal, words);
    else progress(index, total, words);
  };
}

/**
 * `indexes.build`: `CREATE INDEX CONCURRENTLY` in each tenant in turn (never all at once: the job
 * takes one PostgreSQL slot and builds one index at a time), progress from
 * `pg_stat_progress_create_index`. A build that fails leaves an invalid index behind; the job
 * names it and goes on with the next tenant.
 */
export function buildKind(openStores: OpenIndexJobStores): JobKind<BuildParams, IndexJobStores> {
  return {
    name: 'indexes.build',
    store: 'postgres',
    params: BuildParams,
    describe: (p) => ({ title: `Build ${p.definition.name} on ${p.definition.table} in ${who(p)}`, tenantIds: tenantsOf(p) }),
    openStores,
    async run(params, { jobId, signal, stores, progress, log }) {
      const { layout } = postgresOf(stores.preset);
      const wanted = schemasOf(stores.preset, layout, targetFrom(params));
      const schemas = await schemaNames(stores.postgres, layout, wanted, { signal });
      if (schemas.length === 0) throw new AppError('not_found', 'None of the tenants named has a schema here.');
      const present = new Set(schemas);
      for (const [schema, id] of wanted ?? []) if (!present.has(schema)) log(`${id}: no schema, nothing built there.`);
      const tenantOf = (schema: string): string => wanted?.get(schema) ?? schema.slice(layout.schemaPrefix.length).replaceAll('_', '-');
      const built: string[] = [];
      const failed: Array<{ tenantId: string; reason: string }> = [];
      await stores.postgres.session(async (session) => {
        for (const [index, schema] of schemas.entries()) {
          const tenantId = tenantOf(schema);
          progress(index, schemas.length, `building ${params.definition.name} in ${tenantId}`);
          const report = progressReporter(progress, log, tenantId, schemas.length === 1, index, schemas.length);
          try {
            await buildWatched(stores.postgres, session, `${jobTag(jobId)}${createIndexStatement(params.definition, schema)}`, report, signal);
            built.push(tenantId);
            log(`${tenantId}: built ${params.definition.name}.`);
          } catch (error) {
            if (signal.aborted) {
              log(`${tenantId}: cancelled; the build leaves an invalid ${params.definition.name} there, listed as invalid, to rebuild or drop. ${built.length} tenant(s) built before.`);
              throw error;
            }
            const reason = error instanceof Error ? error.message : String(error);
            log(`${tenantId}: the build failed (${reason}); an invalid ${params.definition.name} may be left there to rebuild or drop.`);
            if (schemas.length === 1) throw error;
            if (error instanceof AppError && error.code === 'unreachable') {
              // The session is gone (a server restart, a terminated backend): nothing more can run on it.
              throw new AppError('unreachable', `The connection was lost while building in ${tenantId} (${reason}); built in ${built.length} tenant(s) before, ${schemas.length - index - 1} left untouched.`);
            }
            failed.push({ tenantId, reason });
          }
        }
      }, { signal });
      // A build that failed anywhere is never reported as done: the log names each tenant's outcome.
      if (failed.length > 0) {
        throw new AppError('conflict', `Built in ${built.length} of ${schemas.length} tenant(s); failed in ${failed.length}, each leaving an invalid index to rebuild or drop. The first failure: ${failed[0]?.reason ?? ''}`);
      }
      progress(schemas.length, schemas.length, 'done');
      return { built: built.length, builtTenants: built.slice(0, LISTED) };
    },
    afterInterruption: (_params, { jobId, signal, stores, log }) => cancelLeftovers(stores.postgres, jobId, signal, log),
  };
}

/** `indexes.rebuild`: `REINDEX INDEX CONCURRENTLY` of one tenant's index, the repair of an invalid one. */
export function rebuildKind(openStores: OpenIndexJobStores): JobKind<RebuildParams, IndexJobStores> {
  return {
    name: 'indexes.rebuild',
    store: 'postgres',
    params: RebuildParams,
    describe: (p) => ({ title: `Rebuild ${p.index} in tenant ${p.tenantId}`, tenantIds: [p.tenantId] }),
    openStores,
    async run(params, { jobId, signal, stores, progress, log }) {
      const { layout } = postgresOf(stores.preset);
      const schema = tenantSchemaName(layout, params.tenantId);
      await stores.postgres.session(async (session) => {
        const report = progressReporter(progress, log, params.tenantId, true, 0, 1);
        await buildWatched(stores.postgres, session, `${jobTag(jobId)}REINDEX INDEX CONCURRENTLY ${qualified(schema, params.index)}`, report, signal);
      }, { signal });
      progress(1, 1, 'done');
      log(`${params.tenantId}: rebuilt ${params.index}.`);
      return { rebuilt: params.index };
    },
    afterInterruption: (_params, { jobId, signal, stores, log }) => cancelLeftovers(stores.postgres, jobId, signal, log),
  };
}
