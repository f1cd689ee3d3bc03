import { AppError } from '@shared/errors';
import type { JobSummary } from '@shared/model/job';
import { qualified } from '@shared/sql/identifiers';
import { scopeFor, tenantSchemaName, type TenancyPreset } from '@shared/tenancy';
import { recordsOf } from '../../reading/stores';
import type { SectionService } from '../../services/section';
import type { PostgresFace } from '../../stores/postgres/face';
import { asDefinitionError, definitionProbe } from './build';
import { BUSY_SCHEMAS_SQL } from './catalog';
import { groupDrift } from './drift';
import { findIndexProblems } from './findings';
import { fixPlanOf } from './fix-plan';
import { lastScanKept, readFleet, readForeignKeys, readIndexRows } from './inventory';
import { createMongoIndexes, type IndexesMongo, type IndexJobStart } from './mongo';
import { createElasticMappings, type IndexesElastic } from './elastic';
import { postgresOf, readDrift, schemaNames, schemasOf, statsReset, targetOf, type DriftRead } from './passes';
import type { ReferenceObject } from './reference';
import type { ReferenceCache } from './reference-cache';

export type IndexesPostgres = Pick<PostgresFace, 'query' | 'explain' | 'session'>;

/** What the indexes section reads of a workspace. */
export interface IndexesStores {
  preset: TenancyPreset;
  postgres?: IndexesPostgres;
  mongo?: IndexesMongo;
  elastic?: IndexesElastic;
}

export interface IndexesServiceDeps {
  openStores(workspaceId: string, signal: AbortSignal): Promise<IndexesStores>;
  /** Hands a job to the jobs room, started by the caller's session; its audit entry carries the call's justification. */
  startJob(request: IndexJobStart): Promise<JobSummary>;
  references: ReferenceCache;
}

function needPostgres(stores: IndexesStores): IndexesPostgres {
  if (!stores.postgres) throw new AppError('unreachable', 'This workspace has no PostgreSQL endpoint; add one in the workspace editor.');
  return stores.postgres;
}

const prescribedOf = (preset: TenancyPreset): Set<string> => new Set((preset.blueprint.postgres?.indexes ?? []).map((i) => `${i.table}\u0000${i.name}`));

/**
 * The indexes section. Every PostgreSQL read is one pass over the catalogs of all the tenant
 * schemas it covers; changes go to the jobs room (builds, rebuilds, drift fixes) or run as one
 * statement on a session of their own (drop). Access was checked by the router: reads are `read`
 * or `tenant-read`, changes `schema-change`.
 */
export function createIndexesService(deps: IndexesServiceDeps): SectionService<'indexes'> {
  async function driftOf(workspaceId: string, target: Parameters<typeof targetOf>[0], signal: AbortSignal): Promise<{ drift: DriftRead; preset: TenancyPreset; reference: ReferenceObject[] }> {
    const stores = await deps.openStores(workspaceId, signal);
    const pg = needPostgres(stores);
    const reference = await deps.references.get(workspaceId, pg, stores.preset, { signal });
    return { drift: await readDrift(pg, stores.preset, targetOf(target), reference, { signal }), preset: stores.preset, reference };
  }

  /** Checks the tenant ids against the preset before a job is queued, so a bad id fails the call, not the job. */
  async function checkedTarget(workspaceId: string, args: Parameters<typeof targetOf>[0], signal: AbortSignal): Promise<{ stores: IndexesStores; params: { tenantIds?: string[]; allTenants?: boolean } }> {
    const stores = await deps.openStores(workspaceId, signal);
    const { layout } = postgresOf(stores.preset);
    schemasOf(stores.preset, layout, targetOf(args));
    return { stores, params: args.allTenants ? { allTenants: true } : { tenantIds: args.tenantIds ?? (args.tenantId ? [args.tenantId] : []) } };
  }

  async function indexOf(pg: IndexesPostgres, schema: string, index: string, signal: AbortSignal): Promise<{ constraint: string | null }> {
    const row = recordsOf(
      await pg.query(
        `SELECT k.conname AS constraint_name FROM pg_catalog.pg_class i
           JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace
           LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.oid AND k.contype IN ('p', 'u', 'x')
          WHERE n.nspname = $1 AND i.relname = $2 AND i.relkind IN ('i', 'I')`,
        [schema, index],
        undefined,
        { signal },
      ),
    )[0];
    if (!row) throw new AppError('not_found', `There is no index ${index} in ${schema}.`);
    return { constraint: row.constraint_name === null ? null : String(row.constraint_name) };
  }

  const mongo = createMongoIndexes(deps);
  const elastic = createElasticMappings(deps);

  return {
    async fleet(args, { signal, emit }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      const pg = needPostgres(stores);
      const { layout } = postgresOf(stores.preset);
      const reset = await statsReset(pg, { signal });
      const pass = await readFleet(
        pg,
        layout,
        prescribedOf(stores.preset),
        { table: args.table, chunkSize: args.chunkSize },
        (schemasDone, schemasTotal, rows) =>
          emit('indexes.fleetRows', { workspaceId: args.workspaceId, ...(args.requestId ? { requestId: args.requestId } : {}), schemasDone, schemasTotal, rows }),
        { signal },
      );
      return { statsReset: reset, tenantSchemas: pass.schemasTotal, rows: pass.rows };
    },

    async table(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      const pg = needPostgres(stores);
      const { layout } = postgresOf(stores.preset);
      const schema = scopeFor(stores.preset, args.tenantId).postgres?.schema ?? tenantSchemaName(layout, args.tenantId);
      const found = await pg.query('SELECT to_regclass($1) IS NOT NULL', [qualified(schema, args.table)], undefined, { signal });
      if (found.rows[0]?.[0] !== true) throw new AppError('not_found', `Tenant ${args.tenantId} has no table ${args.table}.`);
      const lastScanKnown = await lastScanKept(pg, { signal });
      const rows = await readIndexRows(pg, layout, [schema], args.table, { signal }, lastScanKnown);
      if (rows.length === 0) {
        // The pass leaves out a schema another session holds ACCESS EXCLUSIVE: say so rather than show no index.
        const busy = await pg.query(BUSY_SCHEMAS_SQL, [layout.schemaPrefix, [schema]], undefined, { signal });
        if (busy.rows.length > 0) throw new AppError('locked', `Another session holds or waits for an ACCESS EXCLUSIVE lock in ${schema}; its indexes cannot be read until it lets go.`);
      }
      const prescribed = prescribedOf(stores.preset);
      return {
        tenantId: args.tenantId,
        schema,
        table: args.table,
        statsReset: await statsReset(pg, { signal }),
        indexes: rows.map((r) => ({
          name: r.name,
          definition: r.display,
          method: r.method,
          unique: r.unique,
          primary: r.primary,
          valid: r.valid,
          constraint: r.constraint,
          keys: r.keys,
          include: r.include,
          predicate: r.predicate,
          sizeBytes: Math.round(r.sizeBytes),
          scans: Math.round(r.scans),
          tuplesRead: Math.round(r.tupRead),
          tuplesFetched: Math.round(r.tupFetch),
          lastScanAt: r.lastScanAt ?? null,
          lastScanKnown,
          prescribed: prescribed.has(`${r.tbl}\u0000${r.name}`),
        })),
      };
    },

    async findings(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      const pg = needPostgres(stores);
      const { layout, blueprint } = postgresOf(stores.preset);
      const reset = await statsReset(pg, { signal });
      const [rows, foreignKeys, schemas] = [
        await readIndexRows(pg, layout, null, args.table, { signal }),
        await readForeignKeys(pg, layout, null, args.table, { signal }),
        await schemaNames(pg, layout, null, { signal }),
      ];
      const { findings, unusedChecked } = findIndexProblems(rows, foreignKeys, {
        statsReset: reset,
        unusedAfterDays: args.unusedAfterDays,
        blueprint,
        tenantColumn: layout.tenantColumn,
      });
      return { statsReset: reset, unusedChecked, tenantSchemas: schemas.length, findings };
    },

    async drift(args, { signal }) {
      const { drift, preset, reference } = await driftOf(args.workspaceId, args, signal);
      const { blueprint } = postgresOf(preset);
      const drifted = new Set(drift.rows.map((r) => r.schema));
      return {
        comparedTenants: drift.compared.length,
        cleanTenants: drift.compared.length - drifted.size,
        missingTenants: drift.missingTenants,
        busyTenants: drift.busyTenants,
        groups: groupDrift(drift.rows, reference, blueprint),
      };
    },

    async fixPlan(args, { signal }) {
      const { drift, preset } = await driftOf(args.workspaceId, args, signal);
      return fixPlanOf(drift.rows, postgresOf(preset).blueprint);
    },

    async applyFix(args, { signal, session, justification }) {
      const { params } = await checkedTarget(args.workspaceId, args, signal);
      return deps.startJob({
        workspaceId: args.workspaceId,
        kind: 'indexes.fix-drift',
        params: { ...params, dryRun: args.dryRun, lockTimeoutMs: args.lockTimeoutMs },
        session,
        ...(justification ? { justification } : {}),
      });
    },

    async build(args, { signal, session, justification }) {
      const { stores, params } = await checkedTarget(args.workspaceId, args, signal);
      const pg = needPostgres(stores);
      const { layout } = postgresOf(stores.preset);
      const wanted = schemasOf(stores.preset, layout, targetOf(args));
      const present = await schemaNames(pg, layout, wanted, { signal });
      const first = present[0];
      if (!first) throw new AppError('not_found', 'None of the tenants named has a schema here.');
      const firstTenant = wanted?.get(first) ?? first.slice(layout.schemaPrefix.length).replaceAll('_', '-');
      try {
        await pg.explain(definitionProbe(args.definition), [], scopeFor(stores.preset, firstTenant), { signal });
      } catch (error) {
        throw asDefinitionError(error);
      }
      return deps.startJob({ workspaceId: args.workspaceId, kind: 'indexes.build', params: { ...params, definition: args.definition }, session, ...(justification ? { justification } : {}) });
    },

    async rebuild(args, { signal, session, justification }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      const pg = needPostgres(stores);
      const schema = scopeFor(stores.preset, args.tenantId).postgres?.schema ?? tenantSchemaName(postgresOf(stores.preset).layout, args.tenantId);
      await indexOf(pg, schema, args.index, signal);
      return deps.startJob({ workspaceId: args.workspaceId, kind: 'indexes.rebuild', params: { tenantId: args.tenantId, index: args.index }, session, ...(justification ? { justification } : {}) });
    },

    async drop(args, { signal }) {
      const stores = await deps.openStores(args.workspaceId, signal);
      const pg = needPostgres(stores);
      const schema = scopeFor(stores.preset, args.tenantId).postgres?.schema ?? tenantSchemaName(postgresOf(stores.preset).layout, args.tenantId);
      const { constraint } = await indexOf(pg, schema, args.index, signal);
      if (constraint) throw new AppError('conflict', `${args.index} backs the constraint ${constraint}; drop the constraint instead (ALTER TABLE … DROP CONSTRAINT).`);
      await pg.session((s) => s.run(`DROP INDEX CONCURRENTLY ${qualified(schema, args.index)}`), { signal });
      return { schema, index: args.index };
    },

    mongoCollection: mongo.collection,
    mongoFleet: mongo.fleet,
    mongoBuild: mongo.build,
    mongoHide: mongo.hide,
    mongoDrop: mongo.drop,
    elasticMappings: elastic.mappings,
  };
}
