import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantScope, parseTenantScope } from '../../../src/shared/model/tenant-scope';
import type { PostgresStore } from '../../../src/main/stores/postgres/store';
import { errorOf, postgresStore, withAdmin } from './postgres-helpers';

const HOSTILE = [
  'x"; drop schema public; --',
  "x'; drop schema public; --",
  'a;b',
  'a--b',
  '../etc',
  'nul\0byte',
  'ünïcødé',
  'x'.repeat(500),
];

/** Every object outside the system schemas, so a test can say nothing stray was created. */
async function catalogSnapshot(): Promise<{ schemas: string[]; relations: string[] }> {
  return withAdmin(async (admin) => {
    const schemas = await admin.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname not like 'pg\\_%' and nspname <> 'information_schema' order by 1",
    );
    const relations = await admin.query<{ name: string }>(
      "select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname not like 'pg\\_%' and n.nspname <> 'information_schema' order by 1",
    );
    return { schemas: schemas.rows.map((r) => r.nspname), relations: relations.rows.map((r) => r.name) };
  });
}

describe('PostgresStore guards', () => {
  let writable: PostgresStore;
  let prod: PostgresStore;

  beforeAll(async () => {
    writable = postgresStore();
    prod = postgresStore({ readOnly: true });
    await withAdmin((admin) =>
      admin.query('drop schema if exists guard_test cascade; create schema guard_test; create table guard_test.accounts (id int primary key, name text); insert into guard_test.accounts values (1, $$kept$$)'),
    );
  });

  afterAll(async () => {
    await Promise.all([writable.close(), prod.close()]);
    await withAdmin((admin) => admin.query('drop schema if exists guard_test cascade'));
  });

  it('a prod store reads', async () => {
    const result = await prod.query('select name from guard_test.accounts where id = $1', [1]);
    expect(result.rows).toEqual([['kept']]);
  });

  it('a prod store refuses INSERT, UPDATE, DELETE, DDL and COPY with read_only, and nothing was written', async () => {
    const before = await catalogSnapshot();
    expect(await errorOf(prod.query('insert into guard_test.accounts values (2, $1)', ['new']))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(prod.query("update guard_test.accounts set name = 'changed'"))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(prod.query('delete from guard_test.accounts'))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(prod.execute('create table guard_test.sneaky (n int)'))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(prod.execute('drop table guard_test.accounts'))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(prod.copyRows({ schema: 'guard_test', name: 'accounts' }, ['id', 'name'], [[3, 'copied']]))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(prod.explain('insert into guard_test.accounts values (4, $1)', ['explained'], undefined, { analyze: true, analyzeWrites: true }))).toMatchObject({ code: 'read_only' });
    const rows = await withAdmin((admin) => admin.query('select id, name from guard_test.accounts order by id'));
    expect(rows.rows).toEqual([{ id: 1, name: 'kept' }]);
    expect(await catalogSnapshot()).toEqual(before);
  });

  it('a prod store cannot be talked out of its READ ONLY transaction', async () => {
    const escapes = [
      "commit; insert into guard_test.accounts values (5, 'escaped')",
      "set transaction read write; insert into guard_test.accounts values (6, 'escaped')",
      "rollback; begin; insert into guard_test.accounts values (7, 'escaped'); commit",
    ];
    for (const sql of escapes) {
      const failure = await errorOf(prod.query(sql));
      expect(['read_only', 'invalid_argument']).toContain(failure.code);
      await errorOf(prod.execute(sql));
    }
    const rows = await withAdmin((admin) => admin.query('select count(*)::int as n from guard_test.accounts'));
    expect(rows.rows).toEqual([{ n: 1 }]);
  });

  it('refuses hostile tenant ids before any SQL is sent', () => {
    for (const id of HOSTILE) {
      expect(() => defaultTenantScope(id), id.slice(0, 30)).toThrowError(expect.objectContaining({ code: 'invalid_argument' }) as Error);
    }
  });

  it('quotes a hostile schema name from a scope: it is looked up, never executed', async () => {
    const before = await catalogSnapshot();
    for (const schema of ['x"; drop schema public; --', 'a;b', 'a--b', '..', 'ünïcødé']) {
      const scope = parseTenantScope({ tenantId: 'tenant42', postgres: { schema } });
      expect(await errorOf(writable.query('select 1', [], scope))).toMatchObject({ code: 'not_found' });
    }
    for (const schema of ['nul\0byte', 'x'.repeat(500)]) {
      expect(() => parseTenantScope({ tenantId: 'tenant42', postgres: { schema } })).toThrowError(expect.objectContaining({ code: 'invalid_argument' }) as Error);
    }
    expect(await catalogSnapshot()).toEqual(before);
  });

  it('scopes into a schema whose name is an injection attempt, as a plain name', async () => {
    const schema = 'x"; drop schema public; --';
    await withAdmin((admin) => admin.query(`create schema "x""; drop schema public; --"; create table "x""; drop schema public; --".cases (title text); insert into "x""; drop schema public; --".cases values ('inside')`));
    try {
      const scope = parseTenantScope({ tenantId: 'tenant42', postgres: { schema } });
      const result = await writable.query("select title, current_setting('app.current_tenant_id') from cases", [], scope);
      expect(result.rows).toEqual([['inside', 'tenant42']]);
      const copied = await writable.copyRows({ schema, name: 'cases' }, ['title'], [['copied']]);
      expect(copied).toBe(1);
    } finally {
      await withAdmin((admin) => admin.query(`drop schema "x""; drop schema public; --" cascade`));
    }
    const snapshot = await catalogSnapshot();
    expect(snapshot.schemas).toContain('public');
  });

  it('quotes hostile table and column names in COPY, and refuses NUL and over-long ones', async () => {
    const before = await catalogSnapshot();
    for (const name of ['accounts"; drop table guard_test.accounts; --', 'a;b', '--', '..']) {
      expect(await errorOf(writable.copyRows({ schema: 'guard_test', name }, ['id'], [[1]]))).toMatchObject({ code: 'not_found' });
    }
    expect(await errorOf(writable.copyRows({ schema: 'guard_test', name: 'accounts' }, ['id"; drop table guard_test.accounts; --'], [[1]]))).toMatchObject({ code: 'not_found' });
    for (const name of ['nul\0byte', 'x'.repeat(500)]) {
      expect(await errorOf(writable.copyRows({ schema: 'guard_test', name }, ['id'], [[1]]))).toMatchObject({ code: 'invalid_argument' });
    }
    expect(await catalogSnapshot()).toEqual(before);
    const rows = await withAdmin((admin) => admin.query('select count(*)::int as n from guard_test.accounts'));
    expect(rows.rows).toEqual([{ n: 1 }]);
  });

  it('passes hostile values as parameters, stored exactly as given', async () => {
    const value = "x'); drop schema public; --\u00e9";
    await writable.query('insert into guard_test.accounts values ($1, $2)', [99, value]);
    const back = await writable.query('select name from guard_test.accounts where id = $1', [99]);
    expect(back.rows).toEqual([[value]]);
    expect((await catalogSnapshot()).schemas).toContain('public');
    await writable.query('delete from guard_test.accounts where id = $1', [99]);
  });
});
