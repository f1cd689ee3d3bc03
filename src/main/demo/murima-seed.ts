import { AppError } from '@shared/errors';
import { murima2025, tenantCollectionName, tenantIndexName, type TenancyPreset } from '@shared/tenancy';
import { GUARD_FUNCTION, PARTITION_FUNCTION, renderSharedSchema, renderTenantSchema, type SqlStatement, type TenantSchemaSql } from '@shared/tenancy/postgres-sql';
import { quoteIdent } from '@shared/sql/identifiers';
import type { ExecutionOptions } from '../stores/execution';
import type { RedisWrite } from '../stores/redis/store';
import { generateMurimaTenant, murimaTenantHead, type MurimaTenant, type MurimaTenantHead, type MurimaWindow } from './murima-tenant';
import type { DemoElastic, DemoMongo, DemoPostgres, DemoStores } from './ports';
import type { SeedProgress, SeedSummary } from './progress';

export interface MurimaSeedOptions {
  tenants: number;
  seed: string;
  window: MurimaWindow;
  /** Tenants generated and loaded together: one DDL script, one partition call. Default 10. */
  batchSize?: number;
  /** Batches loading at once (each on its own connections). Default 2. */
  workers?: number;
  onProgress?: (progress: SeedProgress) => void;
  signal?: AbortSignal;
}

const REDIS_CHUNK = 20_000;
/** Tenants per schema-skeleton script: few enough that their new relations fit the server's lock table. */
const SKELETON_BATCH = 25;
const STAGING_TABLE = 'demo_seed_staging';
const DISTRIBUTE_FUNCTION = 'demo_seed_distribute';

/**
 * The loading aids, created before and dropped after: an unlogged staging table and a function that
 * moves one batch's rows into their tenant tables. Names go through %I, rows through $1.
 */
const STAGING_SQL = [
  `CREATE UNLOGGED TABLE public.${STAGING_TABLE} (batch integer NOT NULL, seq integer NOT NULL, schema_name text NOT NULL, table_name text NOT NULL, payload jsonb NOT NULL)`,
  `CREATE FUNCTION public.${DISTRIBUTE_FUNCTION}(batch_no integer) RETURNS TABLE (table_name text, moved bigint) LANGUAGE plpgsql AS $body$
DECLARE
  target record;
  n bigint;
BEGIN
  FOR target IN
    SELECT s.schema_name, s.table_name, jsonb_agg(s.payload ORDER BY s.seq) AS rows
      FROM public.${STAGING_TABLE} s WHERE s.batch = batch_no
     GROUP BY s.schema_name, s.table_name ORDER BY min(s.seq)
  LOOP
    EXECUTE format('INSERT INTO %I.%I SELECT * FROM jsonb_populate_recordset(NULL::%I.%I, $1)',
                   target.schema_name, target.table_name, target.schema_name, target.table_name)
      USING target.rows;
    GET DIAGNOSTICS n = ROW_COUNT;
    table_name := target.table_name;
    moved := n;
    RETURN NEXT;
  END LOOP;
  DELETE FROM public.${STAGING_TABLE} s WHERE s.batch = batch_no;
END
$body$`,
];
const DROP_STAGING_SQL = [`DROP FUNCTION public.${DISTRIBUTE_FUNCTION}(integer)`, `DROP TABLE public.${STAGING_TABLE}`];
const TENANT_COLUMNS = ['id', 'slug', 'name', 'schema_name', 'status', 'plan', 'created_at', 'updated_at', 'settings'];
/** Above this many tenants the closing ANALYZE is left to autovacuum: it would take longer than the load. */
const ANALYZE_LIMIT = 1000;

/** Runs tasks with at most `limit` at once; the first failure stops the others from starting. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (!failed && next < items.length) {
      try {
        await work(items[next++] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  await Promise.all(workers);
}

/** Refuses to seed over an existing platform: the demo builds a database from nothing. */
async function assertEmpty(postgres: DemoPostgres, options: ExecutionOptions): Promise<void> {
  const existing = await postgres.query("SELECT to_regclass('public.tenants') IS NOT NULL", [], undefined, options);
  if (existing.rows[0]?.[0] === true) {
    throw new AppError('conflict', 'This database already has a public.tenants table: the demo platform is seeded into an empty database only.');
  }
}

/**
 * The first stage of a batch of tenant schemas: each schema with its partitioned tables, bare, and
 * their partitions. Every tenant gets this before any tenant gets its constraints, since a new
 * partition costs a scan of every constraint in the database (see renderTenantSchema).
 */
async function loadSkeletonBatch(pg: DemoPostgres, preset: TenancyPreset, heads: readonly MurimaTenantHead[], exec: ExecutionOptions): Promise<void> {
  const rendered = renderSchemas(preset, heads);
  await pg.execute(rendered.flatMap((r) => r.skeleton).join(';\n'), [], exec);
  await pg.execute(
    `SELECT public.${quoteIdent(PARTITION_FUNCTION)}(s, t, f::date, l::date) FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(s, t, f, l)`,
    columnsOf(rendered.flatMap((r) => r.partitions), 4),
    exec,
  );
}

/** Each tenant's schema statements from the blueprint: a head is enough, a generated tenant is one too. */
function renderSchemas(preset: TenancyPreset, tenants: readonly MurimaTenantHead[]): TenantSchemaSql[] {
  return tenants.map((t) => renderTenantSchema(preset.blueprint.postgres!, preset.layout.postgres!, t.id, { firstMonth: t.firstMonth, lastMonth: t.lastMonth }));
}

/** The values of many one-row calls as `width` arrays, one per parameter, for a single `unnest` call. */
function columnsOf(statements: readonly SqlStatement[], width: number): unknown[][] {
  return Array.from({ length: width }, (_, i) => statements.map((statement) => statement.values?.[i]));
}

/** One batch into PostgreSQL, once its skeletons exist: registry rows, one DDL script, one guard call, one staged COPY. */
async function loadPostgresBatch(
  pg: DemoPostgres,
  preset: TenancyPreset,
  batchNo: number,
  batch: readonly MurimaTenant[],
  exec: ExecutionOptions,
  onRows: (table: string, count: number) => void,
): Promise<void> {
  await pg.copyRows(
    { schema: 'public', name: 'tenants' },
    TENANT_COLUMNS,
    batch.map((t) => [t.id, t.slug, t.name, t.schema, t.status, t.plan, t.createdAt, t.createdAt, { locale: 'en', timezone: 'UTC' }]),
    exec,
  );
  onRows('tenants', batch.length);
  const rendered = renderSchemas(preset, batch);
  // One script per batch: one round trip and one implicit transaction for all its schemas.
  await pg.execute(rendered.flatMap((r) => r.ddl).join(';\n'), [], exec);
  await pg.execute(
    `SELECT public.${quoteIdent(GUARD_FUNCTION)}(s, t, n, c, id::uuid) FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(s, t, n, c, id)`,
    columnsOf(rendered.flatMap((r) => r.guards), 5),
    exec,
  );
  // Every row of the batch in one COPY into the staging table, then one server-side call moves
  // them into their tenant tables: two round trips per batch instead of one COPY per table per tenant.
  const staged: unknown[][] = [];
  for (const tenant of batch) {
    // A tenant's tables in blueprint order: a row's parent is moved before the row.
    for (const rows of tenant.tables) {
      for (const row of rows.rows) staged.push([batchNo, staged.length, tenant.schema, rows.table, rowObject(rows.columns, row)]);
    }
  }
  await pg.copyRows({ schema: 'public', name: STAGING_TABLE }, ['batch', 'seq', 'schema_name', 'table_name', 'payload'], staged, exec);
  const moved = await pg.query(`SELECT table_name, moved FROM public.${quoteIdent(DISTRIBUTE_FUNCTION)}($1)`, [batchNo], undefined, exec);
  for (const [table, count] of moved.rows) onRows(String(table), Number(count));
}

/** A row as a JSON object for jsonb_populate_recordset: arrays become text[] or jsonb by the column's type. */
function rowObject(columns: readonly string[], row: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const value = row[i];
    out[column] = value instanceof Date ? value.toISOString() : value;
  });
  return out;
}

async function loadMongoBatch(mongo: DemoMongo, preset: TenancyPreset, batch: readonly MurimaTenant[], exec: ExecutionOptions): Promise<{ documents: number; collections: number }> {
  const layout = preset.layout.mongo!;
  const database = layout.databases.tenant!;
  let documents = 0;
  let collections = 0;
  for (const tenant of batch) {
    for (const collection of preset.blueprint.mongo!.collections) {
      const name = tenantCollectionName(layout, tenant.id, collection.name);
      await mongo.createIndexes(database, name, collection.indexes, exec);
      collections += 1;
      const docs = tenant.mongo[collection.name] ?? [];
      if (docs.length > 0) documents += await mongo.insertMany(database, name, docs.map(extendedJson), exec);
    }
  }
  return { documents, collections };
}

async function loadElasticBatch(
  elastic: DemoElastic,
  preset: TenancyPreset,
  batch: readonly MurimaTenant[],
  created: Set<string>,
  exec: ExecutionOptions,
): Promise<{ documents: number; indices: number }> {
  const layout = preset.layout.elastic!;
  const families = new Map(preset.blueprint.elastic!.indices.map((f) => [f.entity, f]));
  const documents = batch.flatMap((t) => t.elastic.map((d) => ({ index: tenantIndexName(layout, t.id, d.entity, d.month), id: d.id, body: d.body, entity: d.entity })));
  let indices = 0;
  for (const d of documents) {
    if (created.has(d.index)) continue;
    created.add(d.index);
    const family = families.get(d.entity)!;
    await elastic.createIndex(d.index, { settings: family.settings, mappings: family.mappings }, exec);
    indices += 1;
  }
  return { documents: await elastic.bulkIndex(documents, exec), indices };
}

/**
 * Seeds a Murima2025 platform: public.tenants and one schema per tenant built from the blueprint
 * (tables, constraints, indexes, triggers, RLS, monthly partitions; every tenant's partitions
 * first, then each tenant's constraints and rows), every table filled by COPY,
 * the Redis key families with their TTLs, and, when configured, the MongoDB tenant collections and
 * the Elasticsearch template, ILM policy and monthly indices.
 */
export async function seedMurima(stores: DemoStores, options: MurimaSeedOptions): Promise<SeedSummary> {
  const preset: TenancyPreset = murima2025;
  const exec: ExecutionOptions = options.signal ? { signal: options.signal } : {};
  const started = Date.now();
  const batchSize = Math.max(1, options.batchSize ?? 10);
  const summary: SeedSummary = { preset: preset.name, tenants: options.tenants, seed: options.seed, tenantIds: [], elapsedMs: 0 };
  let written = 0;
  let tenantsDone = 0;
  const report = (phase: SeedProgress['phase']): void =>
    options.onProgress?.({ phase, tenantsDone, tenantsTotal: options.tenants, written, elapsedMs: Date.now() - started });

  report('prepare');
  if (stores.postgres) {
    await assertEmpty(stores.postgres, exec);
    summary.postgres = { rows: 0, tables: {} };
    await stores.postgres.execute([...renderSharedSchema(preset.blueprint.postgres!).map((s) => s.text), ...STAGING_SQL].join(';\n'), [], exec);
  }
  if (stores.mongo) summary.mongo = { documents: 0, collections: 0 };
  if (stores.elastic) {
    summary.elastic = { documents: 0, indices: 0 };
    for (const policy of preset.blueprint.elastic!.ilmPolicies) await stores.elastic.putIlmPolicy(policy.name, policy.policy, exec);
    for (const template of preset.blueprint.elastic!.templates) {
      await stores.elastic.putIndexTemplate(template.name, { index_patterns: template.indexPatterns, template: template.template }, exec);
    }
  }

  const workers = Math.max(1, options.workers ?? 2);
  if (stores.postgres) {
    const postgres = stores.postgres;
    const skeletonFirsts = Array.from({ length: Math.ceil(options.tenants / SKELETON_BATCH) }, (_, i) => i * SKELETON_BATCH);
    await inParallel(skeletonFirsts, workers, async (first) => {
      options.signal?.throwIfAborted();
      const heads: MurimaTenantHead[] = [];
      for (let i = first; i < Math.min(options.tenants, first + SKELETON_BATCH); i++) {
        heads.push(murimaTenantHead(options.seed, i, options.window, preset.layout.postgres!));
      }
      await loadSkeletonBatch(postgres, preset, heads, exec);
      tenantsDone += heads.length;
      report('schemas');
    });
    tenantsDone = 0;
  }

  const firsts = Array.from({ length: Math.ceil(options.tenants / batchSize) }, (_, i) => i * batchSize);
  summary.tenantIds = new Array<string>(options.tenants);
  const createdIndices = new Set<string>();
  // Redis goes last: its shortest TTLs (locks, 30 s) would run out while PostgreSQL is still loading.
  const pendingRedis: RedisWrite[][] = new Array(firsts.length);
  await inParallel(firsts, workers, async (first) => {
    options.signal?.throwIfAborted();
    const batch: MurimaTenant[] = [];
    for (let i = first; i < Math.min(options.tenants, first + batchSize); i++) {
      const tenant = generateMurimaTenant(options.seed, i, options.window, preset.layout.postgres!);
      summary.tenantIds[i] = tenant.id;
      batch.push(tenant);
    }
    if (stores.postgres && summary.postgres) {
      const pgSummary = summary.postgres;
      await loadPostgresBatch(stores.postgres, preset, first / batchSize, batch, exec, (table, count) => {
        if (table !== 'tenants') pgSummary.rows += count;
        pgSummary.tables[table] = (pgSummary.tables[table] ?? 0) + count;
        written += count;
      });
    }
    if (stores.redis) pendingRedis[first / batchSize] = batch.flatMap((t) => t.redis);
    if (stores.mongo && summary.mongo) {
      const loaded = await loadMongoBatch(stores.mongo, preset, batch, exec);
      summary.mongo.documents += loaded.documents;
      summary.mongo.collections += loaded.collections;
      written += loaded.documents;
    }
    if (stores.elastic && summary.elastic) {
      const loaded = await loadElasticBatch(stores.elastic, preset, batch, createdIndices, exec);
      summary.elastic.documents += loaded.documents;
      summary.elastic.indices += loaded.indices;
      written += loaded.documents;
    }
    tenantsDone += batch.length;
    report('tenants');
  });

  if (stores.postgres) {
    await stores.postgres.execute(DROP_STAGING_SQL.join(';\n'), [], exec);
    if (options.tenants <= ANALYZE_LIMIT) await stores.postgres.execute('ANALYZE', [], exec);
  }
  if (stores.redis) {
    const writes = pendingRedis.flat();
    for (let i = 0; i < writes.length; i += REDIS_CHUNK) {
      const chunk = writes.slice(i, i + REDIS_CHUNK);
      const result = await stores.redis.writeBatch(chunk, undefined, exec);
      if (result.failed.length > 0) throw new AppError('internal', `Redis refused ${result.failed.length} demo writes: ${result.failed[0]?.message}`);
      written += chunk.length;
    }
    summary.redis = { keys: new Set(writes.map((w) => w.key)).size };
  }
  summary.elapsedMs = Date.now() - started;
  report('done');
  return summary;
}

/** Dates as Extended JSON `{ $date }`, the form DemoMongo takes. */
function extendedJson(doc: Record<string, unknown>): Record<string, unknown> {
  const convert = (value: unknown): unknown => {
    if (value instanceof Date) return { $date: value.toISOString() };
    if (Array.isArray(value)) return value.map(convert);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
    return value;
  };
  return convert(doc) as Record<string, unknown>;
}
