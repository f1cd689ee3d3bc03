import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { checkResolvedNames, checkUserStatement, type StatementPolicy } from './user-statement';

const policy: StatementPolicy = { schema: 'tenant_a', sharedTables: ['tenants'] };

async function refusal(sql: string): Promise<{ code: string; message: string; details: unknown }> {
  try {
    await checkUserStatement(sql, policy);
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  throw new Error(`accepted: ${sql}`);
}

/** Hostile statements, each with the code it must get and a word its message must hold. */
const HOSTILE: [string, 'forbidden' | 'invalid_argument', RegExp][] = [
  ['select * from tenant_b.orders', 'forbidden', /tenant_b\.orders/],
  ['with o as (select * from tenant_b.orders) select * from o', 'forbidden', /tenant_b/],
  ['select * from orders where id in (select id from tenant_b.orders)', 'forbidden', /tenant_b/],
  ['select * from orders o join tenant_b.orders p on p.id = o.id', 'forbidden', /tenant_b/],
  ['select (select count(*) from tenant_b.orders)', 'forbidden', /tenant_b/],
  ['select * from public.secrets', 'forbidden', /public\.secrets/],
  ['select * from other_db.tenant_a.orders', 'forbidden', /another database/],
  ['insert into tenant_b.orders values (1)', 'forbidden', /tenant_b/],
  ['insert into orders select * from tenant_b.orders', 'forbidden', /tenant_b/],
  ['update public.tenants set name = 1', 'forbidden', /public\.tenants/],
  ['delete from pg_catalog.pg_settings', 'forbidden', /pg_catalog/],
  ['with d as (delete from tenant_b.orders returning *) select * from d', 'forbidden', /tenant_b/],
  ['create index on tenant_b.orders (id)', 'forbidden', /tenant_b/],
  ['create table tenant_b.sneaky (n int)', 'forbidden', /tenant_b/],
  ['create table copycat (like tenant_b.orders)', 'forbidden', /tenant_b/],
  ['create table child () inherits (tenant_b.orders)', 'forbidden', /tenant_b/],
  ['create table fk (id int references tenant_b.orders (id))', 'forbidden', /tenant_b/],
  ['create view v as select * from tenant_b.orders', 'forbidden', /tenant_b/],
  ['create temp table scratch (n int)', 'forbidden', /Temporary/],
  ['select * into tenant_b.copy from orders', 'forbidden', /tenant_b/],
  ['drop table tenant_b.orders', 'forbidden', /tenant_b/],
  ['drop schema tenant_b cascade', 'forbidden', /schema/],
  ['truncate tenant_b.orders', 'forbidden', /tenant_b/],
  ['truncate orders cascade', 'forbidden', /CASCADE/],
  ['drop table orders cascade', 'forbidden', /CASCADE/],
  ['alter table tenant_b.orders add column x int', 'forbidden', /tenant_b/],
  ['alter table orders set schema tenant_b', 'forbidden', /another schema/],
  ['alter table orders owner to postgres', 'forbidden', /Ownership/],
  ['alter table orders disable row level security', 'forbidden', /row-level security/],
  ['alter table orders attach partition tenant_b.orders_2024 for values in (1)', 'forbidden', /tenant_b/],
  ['alter schema tenant_a rename to tenant_c', 'forbidden', /schema/],
  ['lock table tenant_b.orders', 'forbidden', /tenant_b/],
  ['set search_path to tenant_b', 'forbidden', /SET and RESET/],
  ['set local search_path = tenant_b', 'forbidden', /SET and RESET/],
  ['reset role', 'forbidden', /SET and RESET/],
  ['set role postgres', 'forbidden', /SET and RESET/],
  ['set session authorization postgres', 'forbidden', /SET and RESET/],
  ["set app.current_tenant_id = 'b'", 'forbidden', /SET and RESET/],
  ['discard all', 'forbidden', /DISCARD/],
  ['listen everything', 'forbidden', /LISTEN/],
  ['commit', 'forbidden', /transaction/],
  ['begin', 'forbidden', /transaction/],
  ['savepoint s', 'forbidden', /transaction/],
  ["copy orders to '/tmp/out'", 'forbidden', /COPY/],
  ["copy orders from program 'id'", 'forbidden', /COPY/],
  ["do $$ begin perform 1; end $$", 'forbidden', /DO/],
  ['call cleanup()', 'forbidden', /CALL/],
  ['create function f() returns int language sql as $$ select 1 $$', 'forbidden', /functions/],
  ['prepare p as select 1', 'forbidden', /prepared/],
  ["select set_config('app.current_tenant_id', 'tenant-b', true)", 'forbidden', /set_config/],
  ["select * from orders where set_config('search_path', 'tenant_b', true) is not null", 'forbidden', /set_config/],
  ["select * from dblink('dbname=postgres', 'select 1') as t(n int)", 'forbidden', /dblink/],
  ["select pg_read_file('/etc/passwd')", 'forbidden', /pg_read_file/],
  ['select lo_import($$/etc/passwd$$)', 'forbidden', /lo_import/],
  ["select query_to_xml('select * from tenant_b.orders', true, true, '')", 'forbidden', /query_to_xml/],
  ['select pg_terminate_backend(1)', 'forbidden', /pg_terminate_backend/],
  ['select pg_advisory_lock(1)', 'forbidden', /pg_advisory_lock/],
  ['select tenant_b.secret_fn()', 'forbidden', /tenant_b\.secret_fn/],
  ["select nextval('tenant_b.orders_id_seq')", 'forbidden', /tenant_b/],
  ['create role intruder', 'forbidden', /roles/],
  ['grant select on orders to public', 'forbidden', /privileges/],
  ['alter system set fsync = off', 'forbidden', /server settings/],
  ['vacuum full orders', 'forbidden', /not run in the workbench/],
  ['select 1; commit; delete from orders', 'invalid_argument', /holds 3/],
  ['select 1; select 2', 'invalid_argument', /one statement at a time/],
  ['', 'invalid_argument', /no statement/],
  [' ; ', 'invalid_argument', /no statement/],
  ['select from where', 'invalid_argument', /syntax error/],
];

describe('the workbench statement checker', () => {
  it.each(HOSTILE)('refuses %s', async (sql, code, words) => {
    const error = await refusal(sql);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(words);
  });

  it('gives a parse error the server’s message and 1-based position', async () => {
    const error = await refusal('select 1 frm x');
    expect(error).toMatchObject({ code: 'invalid_argument', message: 'syntax error at or near "x"', details: { position: '14' } });
  });

  it('accepts reads of the tenant, the catalogs and the shared tables, and hands back unqualified names', async () => {
    const checked = await checkUserStatement(
      'with recent as (select * from orders) select r.*, t.name, c.relname from recent r join public.tenants t on true join pg_catalog.pg_class c on true join information_schema.tables i on true join tenant_a.items x on true',
      policy,
    );
    expect(checked).toMatchObject({ kind: 'SelectStmt', writes: false });
    expect(checked.unqualified.map((n) => n.name).sort()).toEqual(['orders', 'recent']);
    expect(checked.unqualified.every((n) => !n.target)).toBe(true);
    expect(await checkUserStatement("select current_setting('app.current_tenant_id'), pg_sleep(0)", policy)).toMatchObject({ writes: false });
  });

  it('marks writes and their targets', async () => {
    const insert = await checkUserStatement('insert into orders (id) select id from items', policy);
    expect(insert.writes).toBe(true);
    expect(insert.unqualified).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'orders', target: true }), expect.objectContaining({ name: 'items', target: false })]));
    expect((await checkUserStatement('with d as (delete from orders returning id) select * from d', policy)).writes).toBe(true);
    expect((await checkUserStatement('create index on tenant_a.orders (id)', policy)).writes).toBe(true);
    expect((await checkUserStatement('explain select * from orders', policy)).writes).toBe(false);
    expect((await checkUserStatement('explain insert into orders values (1)', policy)).writes).toBe(false);
    expect((await checkUserStatement('explain (analyze) insert into orders values (1)', policy)).writes).toBe(true);
    const drop = await checkUserStatement('drop table orders', policy);
    expect(drop.unqualified).toEqual([expect.objectContaining({ name: 'orders', target: true })]);
  });

  it('judges one text for each tenant on its own, though the parse is shared', async () => {
    const sql = 'select * from tenant_b.orders';
    await expect(checkUserStatement(sql, policy)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(checkUserStatement(sql, { schema: 'tenant_b', sharedTables: [] })).resolves.toMatchObject({ kind: 'SelectStmt' });
    await expect(checkUserStatement(sql, policy)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('judges unqualified names by where they resolve', async () => {
    const checked = await checkUserStatement('insert into pg_settings select * from tenants', policy);
    const resolved = new Map<string, string | null>([
      ['pg_settings', 'pg_catalog'],
      ['tenants', 'public'],
    ]);
    expect(() => checkResolvedNames(checked.unqualified, resolved, policy)).toThrow(/outside the tenant's schema/);
    const read = await checkUserStatement('select * from secrets', policy);
    expect(() => checkResolvedNames(read.unqualified, new Map([['secrets', 'public']]), policy)).toThrow(/public\.secrets/);
    expect(() => checkResolvedNames(read.unqualified, new Map([['secrets', 'tenant_a']]), policy)).not.toThrow();
    expect(() => checkResolvedNames(read.unqualified, new Map([['secrets', null]]), policy)).not.toThrow();
  });
});
