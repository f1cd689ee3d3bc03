import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PostgresEndpoint, RedisEndpoint } from '@shared/model/workspace';
import { murima2025, type PostgresBlueprint } from '@shared/tenancy';
import { expectedIndexNames, monthlyPartitionName, monthsBetween } from '@shared/tenancy/postgres-sql';
import { PostgresStore } from '../../src/main/stores/postgres/store';
import { RedisStore } from '../../src/main/stores/redis/store';
import { demoWindow, seedDemoPlatform, type SeedSummary } from '../../src/main/demo/seed';
import { demoPartitionGap, generateMurimaTenant } from '../../src/main/demo/murima-tenant';

const TENANTS = 50;
const SEED = 'demo-seed-test';
const UNTIL = '2025-06';
const blueprint = murima2025.blueprint.postgres as PostgresBlueprint;
const layout = murima2025.layout.postgres!;
const redisFamilies = murima2025.blueprint.redis!.families;

interface Scratch {
  name: string;
  pool: pg.Pool;
  store: PostgresStore;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgres').url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function scratchDatabase(name: string): Promise<Scratch> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  });
  const server = inject('postgres');
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  const endpoint = PostgresEndpoint.parse({ host: server.host, port: server.port, database: name, username: server.user, poolSize: 4 });
  return { name, pool: new pg.Pool({ connectionString: url.toString(), max: 2 }), store: new PostgresStore(endpoint, { password: server.password }) };
}

async function dropScratch(scratch: Scratch): Promise<void> {
  await scratch.store.close();
  await scratch.pool.end();
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(scratch.name)} WITH (FORCE)`));
}

function redisAt(db: number): { store: RedisStore; client: Redis } {
  const server = inject('redis');
  return {
    store: new RedisStore(RedisEndpoint.parse({ host: server.host, port: server.port, db }), { password: server.password }),
    client: new Redis({ host: server.host, port: server.port, password: server.password, db }),
  };
}

/** `session:{session_id}` → /^session:[^:]+$/ */
const familyRegex = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/\{[a-z_]+\}/g, '[^:]+')}$`);

const groupBy = <T>(rows: T[], key: (row: T) => string): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const row of rows) out.set(key(row), [...(out.get(key(row)) ?? []), row]);
  return out;
};
const sorted = (values: Iterable<string>): string[] => [...values].sort();

describe('demo:seed builds the Murima2025 blueprint', () => {
  let main: Scratch;
  let redis: ReturnType<typeof redisAt>;
  let summary: SeedSummary;
  let schemas: string[];
  const progress: number[] = [];

  beforeAll(async () => {
    main = await scratchDatabase('demo_seed_main');
    redis = redisAt(7);
    await redis.client.flushdb();
    summary = await seedDemoPlatform(
      { postgres: main.store, redis: redis.store },
      { preset: 'murima2025', tenants: TENANTS, seed: SEED, until: UNTIL, onProgress: (p) => progress.push(p.tenantsDone) },
    );
    schemas = (await main.pool.query<{ schema_name: string }>('SELECT schema_name FROM public.tenants ORDER BY schema_name')).rows.map((r) => r.schema_name);
  });

  afterAll(async () => {
    await redis?.client.flushdb();
    redis?.client.disconnect();
    await redis?.store.close();
    if (main) await dropScratch(main);
  });

  // First: the shortest TTLs of §2.3.2 (locks, 30 s) must not run out before the keys are read.
  it('writes every Redis key family of 003 §2.3.2 for every tenant, with its type and TTL', async () => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.client.scan(cursor, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const pipeline = redis.client.pipeline();
    for (const key of keys) pipeline.type(key).ttl(key);
    const replies = (await pipeline.exec())!.map(([, value]) => value);
    const ids = new Set(summary.tenantIds);
    const seen = new Map<string, Set<string>>();
    keys.forEach((key, i) => {
      const tenant = key.slice(0, 36);
      expect(ids.has(tenant), key).toBe(true);
      const rest = key.slice(37);
      const family = redisFamilies.find((f) => familyRegex(f.pattern).test(rest));
      expect(family, key).toBeDefined();
      const [type, ttl] = [replies[2 * i] as string, replies[2 * i + 1] as number];
      expect(type, key).toBe(family!.type);
      if (family!.ttlSeconds === null) expect(ttl, key).toBe(-1);
      else {
        expect(ttl, key).toBeGreaterThan(0);
        expect(ttl, key).toBeLessThanOrEqual(family!.ttlSeconds);
      }
      seen.set(tenant, (seen.get(tenant) ?? new Set()).add(family!.name));
    });
    expect(seen.size).toBe(TENANTS);
    for (const families of seen.values()) expect(sorted(families)).toEqual(sorted(redisFamilies.map((f) => f.name)));
  });

  it('registers every tenant in public.tenants with a schema of its own, reporting progress', async () => {
    expect(summary.tenantIds).toHaveLength(TENANTS);
    expect(new Set(summary.tenantIds).size).toBe(TENANTS);
    expect(schemas).toHaveLength(TENANTS);
    const present = await main.pool.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'");
    expect(sorted(present.rows.map((r) => r.nspname))).toEqual(schemas);
    expect(progress.at(-1)).toBe(TENANTS);
  });

  it('creates exactly the blueprint tables with their columns in every tenant schema', async () => {
    const tables = await main.pool.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
      [schemas],
    );
    const bySchema = groupBy(tables.rows, (r) => r.schema);
    for (const schema of schemas) expect(sorted(bySchema.get(schema)!.map((r) => r.name))).toEqual(sorted(blueprint.tables.map((t) => t.name)));

    const columns = await main.pool.query<{ schema: string; table: string; name: string; type: string; notnull: boolean }>(
      `SELECT n.nspname AS schema, c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped`,
      [schemas],
    );
    const expected = blueprint.tables.flatMap((t) => t.columns.map((c) => `${t.name}.${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}`)).sort();
    for (const [, rows] of groupBy(columns.rows, (r) => r.schema)) {
      expect(rows.map((r) => `${r.table}.${r.name} ${r.type}${r.notnull ? ' NOT NULL' : ''}`).sort()).toEqual(expected);
    }
  });

  it('creates exactly the blueprint constraints and indexes, GIN and expression ones included', async () => {
    const constraints = await main.pool.query<{ schema: string; table: string; name: string; type: string }>(
      `SELECT n.nspname AS schema, c.relname AS table, k.conname AS name, k.contype AS type
         FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND NOT c.relispartition`,
      [schemas],
    );
    const expectedConstraints = blueprint.tables.flatMap((t) => t.constraints.map((c) => `${t.name}.${c.name}`)).sort();
    for (const [, rows] of groupBy(constraints.rows, (r) => r.schema)) expect(rows.map((r) => `${r.table}.${r.name}`).sort()).toEqual(expectedConstraints);

    const indexes = await main.pool.query<{ schemaname: string; tablename: string; indexname: string; indexdef: string }>(
      'SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = ANY($1) AND tablename = ANY($2)',
      [schemas, blueprint.tables.map((t) => t.name)],
    );
    const expectedIndexes = [...expectedIndexNames(blueprint)].flatMap(([table, names]) => names.map((n) => `${table}.${n}`)).sort();
    const bySchema = groupBy(indexes.rows, (r) => r.schemaname);
    expect(bySchema.size).toBe(TENANTS);
    for (const [, rows] of bySchema) {
      expect(rows.map((r) => `${r.tablename}.${r.indexname}`).sort()).toEqual(expectedIndexes);
      const def = (name: string): string => rows.find((r) => r.indexname === name)!.indexdef;
      for (const index of blueprint.indexes.filter((i) => i.method === 'gin')) expect(def(index.name)).toContain('USING gin');
      expect(def('idx_cases_custom_fields_customer_id')).toContain("(custom_fields ->> 'customer_id'::text)");
      expect(def('idx_cases_status_priority')).toContain('(tenant_id, status, priority)');
    }
  });

  it('enables row-level security with the tenant_isolation policy on every table', async () => {
    const policies = await main.pool.query<{ schemaname: string; tablename: string; policyname: string; cmd: string; qual: string }>(
      'SELECT schemaname, tablename, policyname, cmd, qual FROM pg_policies WHERE schemaname = ANY($1)',
      [schemas],
    );
    const expected = blueprint.policies.map((p) => `${p.table}.${p.name} ${p.command}`).sort();
    const bySchema = groupBy(policies.rows, (r) => r.schemaname);
    expect(bySchema.size).toBe(TENANTS);
    for (const [, rows] of bySchema) {
      expect(rows.map((r) => `${r.tablename}.${r.policyname} ${r.cmd}`).sort()).toEqual(expected);
      for (const row of rows.filter((r) => r.tablename !== 'team_members')) expect(row.qual).toContain("current_setting('app.current_tenant_id'");
    }
    const rls = await main.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relrowsecurity`,
      [schemas],
    );
    expect(Number(rls.rows[0]!.n)).toBe(TENANTS * blueprint.tables.filter((t) => t.rowLevelSecurity).length);
  });

  it('partitions interactions by month over each tenant’s span, with rows in the default partition only where the demo leaves a month out', async () => {
    const window = demoWindow(UNTIL);
    const parents = await main.pool.query<{ schema: string; name: string }>(
      "SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY($1) AND c.relkind = 'p'",
      [schemas],
    );
    expect(parents.rows.map((r) => r.name)).toEqual(Array(TENANTS).fill('interactions'));
    const children = await main.pool.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND p.relkind = 'p'`,
      [schemas],
    );
    const bySchema = groupBy(children.rows, (r) => r.schema);
    for (let i = 0; i < TENANTS; i++) {
      const tenant = generateMurimaTenant(SEED, i, window, layout);
      const expected = [...monthsBetween(tenant.firstMonth, tenant.lastMonth).map((m) => monthlyPartitionName('interactions', m)), 'interactions_default'];
      expect(sorted(bySchema.get(tenant.schema)!.map((r) => r.name))).toEqual(sorted(expected));
    }
    // Only the tenants the demo leaves without their first month's partition have rows in the default one.
    const stray = new Map<string, number>();
    for (const s of schemas) stray.set(s, Number((await main.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(s)}.interactions_default`)).rows[0]!.n));
    for (let i = 0; i < TENANTS; i++) {
      const tenant = generateMurimaTenant(SEED, i, window, layout);
      const early = tenant.tables.find((t) => t.table === 'interactions')!.rows.filter((row) => (row[7] as string).slice(0, 7) < tenant.firstMonth).length;
      expect(stray.get(tenant.schema), tenant.schema).toBe(demoPartitionGap(i) === 'default_rows' ? early : 0);
    }
    expect([...stray.values()].some((n) => n > 0)).toBe(true);
  });

  it('fills every table, keeps the search vector and writes the audit trail through the triggers', async () => {
    const counts = await main.pool.query<{ table: string; n: string }>(
      `SELECT t.tbl AS table, sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', s, t.tbl), false, true, '')))[1]::text::bigint)::text AS n
         FROM unnest($1::text[]) AS s, unnest($2::text[]) AS t(tbl) GROUP BY t.tbl`,
      [schemas, blueprint.tables.map((t) => t.name)],
    );
    const byTable = Object.fromEntries(counts.rows.map((r) => [r.table, Number(r.n)]));
    for (const table of blueprint.tables) expect(byTable[table.name], table.name).toBeGreaterThan(0);
    const { tenants, ...loaded } = summary.postgres!.tables;
    expect(tenants).toBe(TENANTS);
    for (const [table, n] of Object.entries(loaded)) expect(byTable[table], table).toBe(n);
    expect(byTable.audit_logs).toBe(byTable.cases! + byTable.tasks! + byTable.documents!);

    const schema = pg.escapeIdentifier(schemas[0]!);
    const missing = await main.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.cases WHERE search_vector IS NULL`);
    expect(Number(missing.rows[0]!.n)).toBe(0);
    const client = await main.pool.connect();
    try {
      await client.query('BEGIN');
      const picked = await client.query<{ id: string; status: string }>(`SELECT id, status FROM ${schema}.cases WHERE status <> 'closed' ORDER BY case_number LIMIT 1`);
      const { id, status } = picked.rows[0]!;
      await client.query(`UPDATE ${schema}.cases SET status = 'closed' WHERE id = $1`, [id]);
      const audit = await client.query<{ action: string; changes: Record<string, { old: unknown; new: unknown }> }>(
        `SELECT action, changes FROM ${schema}.audit_logs WHERE entity_id = $1 AND action = 'update'`,
        [id],
      );
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0]!.changes.status).toEqual({ old: status, new: 'closed' });
      await client.query(`UPDATE ${schema}.cases SET status = 'closed' WHERE id = $1`, [id]);
      const again = await client.query(`SELECT 1 FROM ${schema}.audit_logs WHERE entity_id = $1 AND action = 'update'`, [id]);
      expect(again.rowCount).toBe(1);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('refuses rows of another tenant and hides other tenants’ rows from a non-superuser role through RLS', async () => {
    const [own, other] = [summary.tenantIds[0]!, summary.tenantIds[1]!];
    const schema = schemas.find((s) => s === `tenant_${own.replaceAll('-', '_')}`)!;
    const password = 'reader-password';
    await main.pool.query('DROP ROLE IF EXISTS demo_seed_reader');
    await main.pool.query(`CREATE ROLE demo_seed_reader LOGIN PASSWORD '${password}'`);
    await main.pool.query(`GRANT USAGE ON SCHEMA ${pg.escapeIdentifier(schema)} TO demo_seed_reader`);
    await main.pool.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${pg.escapeIdentifier(schema)} TO demo_seed_reader`);
    const server = inject('postgres');
    const reader = new pg.Client({ host: server.host, port: server.port, database: main.name, user: 'demo_seed_reader', password });
    await reader.connect();
    try {
      const count = async (tenant: string | null, table: string): Promise<number> => {
        await reader.query('BEGIN');
        if (tenant) await reader.query("SELECT set_config('app.current_tenant_id', $1, true)", [tenant]);
        const result = await reader.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`);
        await reader.query('COMMIT');
        return Number(result.rows[0]!.n);
      };
      const guard = await main.pool
        .query(`INSERT INTO ${pg.escapeIdentifier(schema)}.teams (tenant_id, name) VALUES ($1, 'Intruders')`, [other])
        .then(() => 'inserted', (error: { code?: string; constraint?: string }) => `${error.code} ${error.constraint}`);
      expect(guard).toBe('23514 teams_tenant_id_check');
      for (const table of ['cases', 'users', 'interactions', 'team_members']) {
        expect(await count(own, table), table).toBeGreaterThan(0);
        expect(await count(other, table), table).toBe(0);
        expect(await count(null, table), table).toBe(0);
      }
    } finally {
      await reader.end();
      await main.pool.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${pg.escapeIdentifier(schema)} FROM demo_seed_reader`);
      await main.pool.query(`REVOKE USAGE ON SCHEMA ${pg.escapeIdentifier(schema)} FROM demo_seed_reader`);
      await main.pool.query('DROP ROLE demo_seed_reader');
    }
  });

  it('is deterministic: the same seed rebuilds the same tenants with the same rows', async () => {
    const again = await scratchDatabase('demo_seed_again');
    try {
      const rerun = await seedDemoPlatform({ postgres: again.store }, { preset: 'murima2025', tenants: 5, seed: SEED, until: UNTIL });
      expect(rerun.tenantIds).toEqual(summary.tenantIds.slice(0, 5));
      const sample = async (pool: pg.Pool, schema: string): Promise<unknown[]> => {
        const s = pg.escapeIdentifier(schema);
        const rows = await pool.query(
          `SELECT (SELECT count(*) FROM ${s}.cases) AS cases, (SELECT count(*) FROM ${s}.interactions) AS interactions,
                  (SELECT count(*) FROM ${s}.users) AS users, (SELECT count(*) FROM ${s}.tasks) AS tasks,
                  (SELECT json_agg(json_build_object('n', case_number, 't', title, 's', status, 'c', created_at) ORDER BY case_number) FROM ${s}.cases) AS cases_sample,
                  (SELECT json_agg(email ORDER BY email) FROM ${s}.users) AS emails`,
        );
        return rows.rows;
      };
      for (const id of rerun.tenantIds) {
        const schema = `tenant_${id.replaceAll('-', '_')}`;
        expect(await sample(again.pool, schema)).toEqual(await sample(main.pool, schema));
      }
      const other = generateMurimaTenant('another-seed', 0, demoWindow(UNTIL), layout);
      expect(other.id).not.toBe(summary.tenantIds[0]);
    } finally {
      await dropScratch(again);
    }
  });

  it('refuses to seed over an existing platform', async () => {
    await expect(seedDemoPlatform({ postgres: main.store }, { preset: 'murima2025', tenants: 1, seed: SEED, until: UNTIL })).rejects.toMatchObject({ code: 'conflict' });
  });
});
