import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantScope } from '../../src/shared/model/tenant-scope';
import type { PostgresUserQueryOptions } from '../../src/main/stores/postgres/face';
import type { PostgresStore } from '../../src/main/stores/postgres/store';
import { copyField } from '../../src/main/stores/postgres/copy-format';
import type { UserQueryPart } from '../../src/main/stores/user-query';
import { errorOf, postgresStore, waitFor, withAdmin } from './stores/postgres-helpers';

/**
 * The PostgreSQL workbench runner against a real server: two tenant schemas with the same tables,
 * a shared registry and a private table in `public`; every way out of tenant A is tried and must
 * be refused with nothing of tenant B returned or changed.
 */

const A = defaultTenantScope('wbrun-a');
const B = defaultTenantScope('wbrun-b');
const SCHEMA_A = 'tenant_wbrun_a';
const SCHEMA_B = 'tenant_wbrun_b';
const SHARED = ['wbrun_tenants'];

async function collect(parts: AsyncGenerator<UserQueryPart, void, undefined>): Promise<UserQueryPart[]> {
  const out: UserQueryPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

function rowsOf(parts: UserQueryPart[]): unknown[][] {
  return parts.flatMap((p) => (p.kind === 'rows' ? p.rows : []));
}

const read = (rowLimit = 1000): PostgresUserQueryOptions => ({ rowLimit, write: false, sharedTables: SHARED });

async function countB(): Promise<number> {
  return withAdmin(async (admin) => Number((await admin.query(`select count(*)::int as n from ${SCHEMA_B}.orders`)).rows[0].n));
}

describe('PostgresStore.runUser', () => {
  let store: PostgresStore;
  let prod: PostgresStore;

  beforeAll(async () => {
    store = postgresStore({}, 4);
    prod = postgresStore({ readOnly: true }, 2);
    await withAdmin((admin) =>
      admin.query(`
        drop schema if exists ${SCHEMA_A} cascade; drop schema if exists ${SCHEMA_B} cascade;
        drop table if exists public.wbrun_tenants, public.wbrun_secrets;
        create table public.wbrun_tenants (id text primary key, name text);
        insert into public.wbrun_tenants values ('wbrun-a', 'Alpha'), ('wbrun-b', 'Beta');
        create table public.wbrun_secrets (token text); insert into public.wbrun_secrets values ('top-secret');
        create schema ${SCHEMA_A}; create schema ${SCHEMA_B};
        create table ${SCHEMA_A}.orders (id int primary key, note text);
        create table ${SCHEMA_B}.orders (id int primary key, note text);
        insert into ${SCHEMA_A}.orders select g, 'a-' || g from generate_series(1, 50) g;
        insert into ${SCHEMA_B}.orders select g, 'b-' || g from generate_series(1, 5) g;
        create sequence ${SCHEMA_A}.counter;
        create view ${SCHEMA_A}.recent as select * from ${SCHEMA_A}.orders where id > 40;
        create table ${SCHEMA_A}.events (id int, at date) partition by range (at);
        create table ${SCHEMA_A}.events_2026 partition of ${SCHEMA_A}.events for values from ('2026-01-01') to ('2027-01-01');
      `),
    );
  });

  afterAll(async () => {
    await Promise.all([store.close(), prod.close()]);
    await withAdmin((admin) => admin.query(`drop schema if exists ${SCHEMA_A} cascade; drop schema if exists ${SCHEMA_B} cascade; drop table if exists public.wbrun_tenants, public.wbrun_secrets`));
  });

  it('runs CREATE and DROP INDEX CONCURRENTLY in the tenant’s schema on a session of its own, which never returns to the pool', async () => {
    const write = { rowLimit: 10, write: true, sharedTables: SHARED };
    const indexIn = (schema: string) =>
      withAdmin(async (admin) =>
        (await admin.query(`select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
                             where c.relname = 'orders_note_cc' and n.nspname = $1`, [schema])).rows as { valid: boolean }[],
      );
    // Refused inside the scoped transaction by the server itself, so it must not be sent there.
    expect(await collect(store.runUser('create index concurrently orders_note_cc on orders (note)', A, write))).toEqual([{ kind: 'notice', text: 'CREATE INDEX' }]);
    expect(await indexIn(SCHEMA_A)).toEqual([{ valid: true }]);
    expect(await indexIn(SCHEMA_B)).toEqual([]);
    // The session's search_path and tenant setting stay with that session: pooled ones know nothing of them.
    for (let i = 0; i < 6; i += 1) {
      const { rows } = await store.query("select current_setting('search_path') as path, current_setting('app.current_tenant_id', true) as tenant");
      expect(String(rows[0]?.[0])).not.toContain(SCHEMA_A);
      expect(rows[0]?.[1] ?? '').toBe('');
    }
    expect(await errorOf(collect(store.runUser(`create index concurrently x on ${SCHEMA_B}.orders (note)`, A, write)))).toMatchObject({ code: 'forbidden' });
    expect(await errorOf(collect(store.runUser('create index concurrently orders_note_ro on orders (note)', A, read())))).toMatchObject({ code: 'read_only' });
    expect(await collect(store.runUser('drop index concurrently orders_note_cc', A, write))).toEqual([{ kind: 'notice', text: 'DROP INDEX' }]);
    expect(await indexIn(SCHEMA_A)).toEqual([]);
  });

  it('reads the tenant’s rows, unqualified, with columns and type names', async () => {
    const parts = await collect(store.runUser('select o.id, o.note, t.name from orders o join wbrun_tenants t on true where t.id = current_setting($$app.current_tenant_id$$) order by id limit 3', A, read()));
    expect(parts[0]).toEqual({ kind: 'columns', columns: [{ name: 'id', type: 'int4' }, { name: 'note', type: 'text' }, { name: 'name', type: 'text' }] });
    expect(rowsOf(parts)).toEqual([['1', 'a-1', 'Alpha'], ['2', 'a-2', 'Alpha'], ['3', 'a-3', 'Alpha']]);
    expect(parts.some((p) => p.kind === 'truncated')).toBe(false);
  });

  it.each([
    ['another schema by name', `select * from ${SCHEMA_B}.orders`],
    ['another schema in a CTE', `with x as (select * from ${SCHEMA_B}.orders) select * from x`],
    ['another schema in a subquery', `select * from orders where id in (select id from ${SCHEMA_B}.orders)`],
    ['another schema in a join', `select * from orders a join ${SCHEMA_B}.orders b using (id)`],
    ['a public table the preset does not share', 'select * from wbrun_secrets'],
    ['a public table by name', 'select * from public.wbrun_secrets'],
    ['SET search_path', `set search_path to ${SCHEMA_B}`],
    ['RESET ROLE', 'reset role'],
    ['set_config', `select set_config('search_path', '${SCHEMA_B}', true), * from orders`],
    ['query_to_xml', `select query_to_xml('select * from ${SCHEMA_B}.orders', true, true, '')`],
  ])('refuses %s with forbidden, before anything of tenant B is read', async (_name, sql) => {
    const error = await errorOf(collect(store.runUser(sql, A, read())));
    expect(error.code).toBe('forbidden');
    expect(error.message).not.toMatch(/b-1/);
  });

  it('refuses "SELECT 1; COMMIT; DELETE …" as several statements, and deletes nothing', async () => {
    const error = await errorOf(collect(store.runUser(`select 1; commit; delete from ${SCHEMA_B}.orders`, A, { ...read(), write: true })));
    expect(error).toMatchObject({ code: 'invalid_argument' });
    expect(error.message).toMatch(/holds 3/);
    expect(await countB()).toBe(5);
  });

  it('gives a syntax error the server’s message and position', async () => {
    const sql = 'select id frm orders';
    const ours = await store.runUser(sql, A, read()).next().catch((e: unknown) => e);
    const server = await withAdmin((admin) => admin.query(sql).catch((e: unknown) => e));
    expect(ours).toMatchObject({ code: 'invalid_argument', message: (server as Error).message, details: { position: (server as { position: string }).position } });
  });

  it('refuses an INSERT without write as read_only, and a write the READ ONLY transaction catches', async () => {
    expect(await errorOf(collect(store.runUser("insert into orders values (999, 'x')", A, read())))).toMatchObject({ code: 'read_only' });
    // nextval writes though the statement is a SELECT: the server's READ ONLY transaction refuses it.
    expect(await errorOf(collect(store.runUser("select nextval('counter')", A, read())))).toMatchObject({ code: 'read_only' });
    const rows = await withAdmin((admin) => admin.query(`select count(*)::int as n from ${SCHEMA_A}.orders where id = 999`));
    expect(rows.rows[0].n).toBe(0);
  });

  it('a read-only store refuses a write even with write set, and nothing is written', async () => {
    expect(await errorOf(collect(prod.runUser("insert into orders values (998, 'x')", A, { ...read(), write: true })))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(collect(prod.runUser("select nextval('counter')", A, { ...read(), write: true })))).toMatchObject({ code: 'read_only' });
    const rows = await withAdmin((admin) => admin.query(`select count(*)::int as n from ${SCHEMA_A}.orders where id = 998`));
    expect(rows.rows[0].n).toBe(0);
    expect(rowsOf(await collect(prod.runUser('select count(*) from orders', A, read())))).toEqual([['50']]);
  });

  it('a write commits and says its command tag; its target must be the tenant’s', async () => {
    const parts = await collect(store.runUser("update orders set note = 'changed' where id <= 2", A, { ...read(), write: true }));
    expect(parts).toEqual([{ kind: 'notice', text: 'UPDATE 2' }]);
    const changed = await withAdmin((admin) => admin.query(`select count(*)::int as n from ${SCHEMA_A}.orders where note = 'changed'`));
    expect(changed.rows[0].n).toBe(2);
    expect(await collect(store.runUser('create index orders_note on orders (note)', A, { ...read(), write: true }))).toEqual([{ kind: 'notice', text: 'CREATE INDEX' }]);
    expect(await errorOf(collect(store.runUser(`update ${SCHEMA_B}.orders set note = 'x'`, A, { ...read(), write: true })))).toMatchObject({ code: 'forbidden' });
    expect(await errorOf(collect(store.runUser('delete from wbrun_tenants', A, { ...read(), write: true })))).toMatchObject({ code: 'forbidden' });
    expect(await countB()).toBe(5);
  });

  it('takes a trailing semicolon and comments around the one statement', async () => {
    expect(rowsOf(await collect(store.runUser('-- how many\nselect count(*) from orders; /* done */', A, read())))).toEqual([['50']]);
  });

  it('a write that returns more rows than the limit is cut, says so, and still commits', async () => {
    const parts = await collect(store.runUser("insert into orders select g, 'returned' from generate_series(100, 120) g returning id", A, { ...read(5), write: true }));
    expect(rowsOf(parts)).toEqual([['100'], ['101'], ['102'], ['103'], ['104']]);
    expect(parts[parts.length - 1]).toEqual({ kind: 'truncated' });
    const kept = await withAdmin((admin) => admin.query(`select count(*)::int as n from ${SCHEMA_A}.orders where note = 'returned'`));
    expect(kept.rows[0].n).toBe(21);
    await withAdmin((admin) => admin.query(`delete from ${SCHEMA_A}.orders where note = 'returned'`));
  });

  it('a write the consumer abandons before its end is rolled back', async () => {
    const parts = store.runUser("insert into orders select g, 'abandoned' from generate_series(200, 220) g returning id", A, { ...read(), write: true, batchSize: 5 });
    expect((await parts.next()).value).toMatchObject({ kind: 'columns' });
    expect((await parts.next()).value).toMatchObject({ kind: 'rows' });
    await parts.return();
    const kept = await withAdmin((admin) => admin.query(`select count(*)::int as n from ${SCHEMA_A}.orders where note = 'abandoned'`));
    expect(kept.rows[0].n).toBe(0);
  });

  it('stops at the row limit and says so, reading one row past it', async () => {
    const parts = await collect(store.runUser('select id from orders order by id', A, { ...read(7), batchSize: 3 }));
    expect(rowsOf(parts)).toHaveLength(7);
    expect(parts[parts.length - 1]).toEqual({ kind: 'truncated' });
    const exact = await collect(store.runUser('select id from orders order by id', A, { ...read(50), batchSize: 10 }));
    expect(rowsOf(exact)).toHaveLength(50);
    expect(exact.some((p) => p.kind === 'truncated')).toBe(false);
  });

  it('hands over values in the server’s text form, equal to COPY’s text output', async () => {
    const sql = `select 9007199254740993::int8 as big, 12345678901234567890.123456789::numeric as exact,
      '2026-03-04 05:06:07.891+02'::timestamptz as at, '{"b": [1, 2.50], "a": null}'::jsonb as doc,
      '\\x00ff10'::bytea as raw, array['x', null, 'y,z', '"q"'] as list, array[[1,2],[3,4]] as grid,
      null::text as nothing, ''::text as empty, e'tab\\there\\nline' as escaped, 1.5::float8 as f, true as yes,
      interval '1 day 2 hours' as span, '10.0.0.1/8'::inet as net`;
    const parts = await collect(store.runUser(sql, A, read()));
    const row = rowsOf(parts)[0] ?? [];
    // Both sessions use the server's default time zone and date style, as the store's do.
    const copied = await copyText(sql);
    expect(`${row.map(copyField).join('\t')}\n`).toBe(copied);
    expect(row[7]).toBeNull();
    expect(row[8]).toBe('');
    const columns = parts[0]?.kind === 'columns' ? parts[0].columns.map((c) => c.type) : [];
    expect(columns).toEqual(['int8', 'numeric', 'timestamptz', 'jsonb', 'bytea', 'text[]', 'int4[]', 'text', 'text', 'text', 'float8', 'bool', 'interval', 'inet']);
  });

  it('names types the first type lookup did not know: a row type, an enum created since', async () => {
    await collect(store.runUser('select 1', A, read()));
    await withAdmin((admin) => admin.query(`drop type if exists ${SCHEMA_A}.mood; create type ${SCHEMA_A}.mood as enum ('calm', 'busy')`));
    const parts = await collect(store.runUser("select o, 'busy'::mood as m, array['calm']::mood[] as ms from orders o where id = 3", A, read()));
    expect(parts[0]).toEqual({ kind: 'columns', columns: [{ name: 'o', type: 'orders' }, { name: 'm', type: 'mood' }, { name: 'ms', type: 'mood[]' }] });
    expect(rowsOf(parts)).toEqual([['(3,a-3)', 'busy', '{calm}']]);
  });

  it('lists the tenant’s tables, views and partitioned tables, without partitions', async () => {
    const catalog = await store.userCatalog(A);
    expect(catalog.map((e) => [e.name, e.kind])).toEqual([
      ['events', 'partitioned-table'],
      ['orders', 'table'],
      ['recent', 'view'],
    ]);
    expect(catalog.find((e) => e.name === 'orders')?.fields).toEqual([{ name: 'id', type: 'integer' }, { name: 'note', type: 'text' }]);
    expect((await store.userCatalog(B)).map((e) => e.name)).toEqual(['orders']);
  });

  it('cancel stops the statement on the server', async () => {
    const controller = new AbortController();
    const run = collect(store.runUser('select pg_sleep(30), 1 as wbrun_cancel_marker', A, { ...read(), signal: controller.signal }));
    const started = await waitFor(() => activeWith('wbrun_cancel_marker'), 10_000);
    expect(started).toBe(true);
    controller.abort();
    expect(await errorOf(run)).toMatchObject({ code: 'cancelled' });
    expect(await waitFor(async () => !(await activeWith('wbrun_cancel_marker')), 5_000)).toBe(true);
  });

  it('gives the server the timeout as statement_timeout, local to the run', async () => {
    expect(rowsOf(await collect(store.runUser("select current_setting('statement_timeout'), count(*) from orders", A, { ...read(), timeoutMs: 5000 })))).toEqual([['5s', '50']]);
    expect(rowsOf(await collect(store.runUser("select current_setting('statement_timeout')", A, read())))).toEqual([['0']]);
  });

  it('a timeout stops the statement on the server', async () => {
    const run = collect(store.runUser('select pg_sleep(30), 1 as wbrun_timeout_marker', A, { ...read(), timeoutMs: 300 }));
    expect(await errorOf(run)).toMatchObject({ code: 'timeout' });
    expect(await waitFor(async () => !(await activeWith('wbrun_timeout_marker')), 5_000)).toBe(true);
  });

  it('a timeout that fires while the consumer holds a batch ends the run and leaves no session behind', async () => {
    const parts = store.runUser('select g, 1 as wbrun_held_marker from generate_series(1, 100000) g', A, { ...read(100_000), batchSize: 100, timeoutMs: 400 });
    expect((await parts.next()).value).toMatchObject({ kind: 'columns' });
    const marker = "select count(*)::int as n from pg_stat_activity where query like '%wbrun_held_marker%' and pid <> pg_backend_pid()";
    expect(await withAdmin(async (admin) => (await admin.query(marker)).rows[0].n)).toBe(1);
    // The deadline passes while nothing is pulled; the server session is cut by the canceller.
    expect(await waitFor(() => withAdmin(async (admin) => (await admin.query(marker)).rows[0].n === 0), 10_000)).toBe(true);
    expect(await errorOf(collect(parts))).toMatchObject({ code: 'timeout' });
    expect(rowsOf(await collect(store.runUser('select count(*) from orders', A, read())))).toEqual([['50']]);
  });

  it('a consumer that stops early closes the cursor and ends the transaction', async () => {
    const parts = store.runUser('select g, 1 as wbrun_early_marker from generate_series(1, 100000) g', A, { ...read(100_000), batchSize: 100 });
    const first = await parts.next();
    expect(first.value).toMatchObject({ kind: 'columns' });
    await parts.return();
    // No session sits idle in a transaction holding the statement's portal.
    expect(
      await waitFor(
        () => withAdmin(async (admin) => (await admin.query("select count(*)::int as n from pg_stat_activity where query like '%wbrun_early_marker%' and state <> 'idle' and pid <> pg_backend_pid()")).rows[0].n === 0),
        5_000,
      ),
    ).toBe(true);
    // The connection went back to the pool in a clean state: the next run on it works.
    expect(rowsOf(await collect(store.runUser('select count(*) from orders', A, read())))).toEqual([['50']]);
  });
});

async function activeWith(marker: string): Promise<boolean> {
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where state = 'active' and query like $1 and pid <> pg_backend_pid()", [`%${marker}%`]);
    return (rows[0]?.n ?? 0) > 0;
  });
}

/** The raw `COPY (…) TO STDOUT` text of a query, from the same server. */
async function copyText(sql: string): Promise<string> {
  const { to } = await import('pg-copy-streams');
  return withAdmin(async (admin) => {
    const stream = admin.query(to(`COPY (${sql}) TO STDOUT`));
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  });
}
