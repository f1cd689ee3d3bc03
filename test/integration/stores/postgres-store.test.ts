import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTenantScope } from '../../../src/shared/model/tenant-scope';
import type { PostgresStore } from '../../../src/main/stores/postgres/store';
import { errorOf, postgresStore, waitFor, withAdmin } from './postgres-helpers';

const SLEEP_SQL = 'select pg_sleep(30) /* tenantscope-cancel-test */';

async function sleepersRunning(): Promise<number> {
  return withAdmin(async (admin) => {
    const result = await admin.query<{ n: string }>(
      "select count(*) as n from pg_stat_activity where state = 'active' and query = $1",
      [SLEEP_SQL],
    );
    return Number(result.rows[0]?.n ?? 0);
  });
}

describe('PostgresStore', () => {
  let store: PostgresStore;

  beforeAll(async () => {
    store = postgresStore();
    await withAdmin((admin) => admin.query('drop schema if exists store_test cascade; create schema store_test'));
  });

  afterAll(async () => {
    await store.close();
    await withAdmin((admin) => admin.query('drop schema if exists store_test cascade'));
  });

  it('connects once even when asked twice at the same time, and reports the server version', async () => {
    const [first, second] = await Promise.all([store.connect(), store.connect()]);
    expect(first.state).toBe('connected');
    expect(second.state).toBe('connected');
    expect(first.serverVersion).toMatch(/^15\./);
  });

  it('returns columns, rows in column order and the row count, with values as parameters', async () => {
    const result = await store.query('select $1::int as a, $2::text as a, g from generate_series(1, 3) g', [7, 'x']);
    expect(result.columns.map((c) => c.name)).toEqual(['a', 'a', 'g']);
    expect(result.rows).toEqual([[7, 'x', 1], [7, 'x', 2], [7, 'x', 3]]);
    expect(result.rowCount).toBe(3);
    expect(result.command).toBe('SELECT');
  });

  it('stops pg_sleep(30) on the server within a second of the AbortSignal', async () => {
    const controller = new AbortController();
    const running = store.query(SLEEP_SQL, [], undefined, { signal: controller.signal });
    expect(await waitFor(async () => (await sleepersRunning()) === 1, 5000)).toBe(true);
    const abortedAt = Date.now();
    controller.abort();
    expect(await errorOf(running)).toMatchObject({ code: 'cancelled' });
    expect(await waitFor(async () => (await sleepersRunning()) === 0, 1000)).toBe(true);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
  });

  it('maps a timeout to `timeout` and stops the server work too', async () => {
    const failure = await errorOf(store.query(SLEEP_SQL, [], undefined, { timeoutMs: 300 }));
    expect(failure.code).toBe('timeout');
    expect(await waitFor(async () => (await sleepersRunning()) === 0, 1000)).toBe(true);
  });

  it('stays usable after cancels: the cancelled sessions went back to the pool clean', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.query('select $1::int as n', [i])));
    expect(results.map((r) => r.rows[0]?.[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('maps server errors to stable codes', async () => {
    await store.execute('create table store_test.unique_names (name text primary key)');
    await store.query('insert into store_test.unique_names values ($1)', ['a']);
    expect(await errorOf(store.query('insert into store_test.unique_names values ($1)', ['a']))).toMatchObject({ code: 'conflict' });
    expect(await errorOf(store.query('select * from store_test.no_such_table'))).toMatchObject({ code: 'not_found' });
    expect(await errorOf(store.query('selec 1'))).toMatchObject({ code: 'invalid_argument' });
    expect(await errorOf(store.query('select 1/0'))).toMatchObject({ code: 'invalid_argument' });
  });

  it('streams a big result in batches through a cursor', async () => {
    const sizes: number[] = [];
    let last = 0;
    for await (const batch of store.stream('select g from generate_series(1, $1::int) g', [2500], undefined, { batchSize: 1000 })) {
      sizes.push(batch.rows.length);
      last = batch.rows[batch.rows.length - 1]?.[0] as number;
      expect(batch.columns.map((c) => c.name)).toEqual(['g']);
    }
    expect(sizes).toEqual([200, 1000, 1000, 300]);
    expect(last).toBe(2500);
  });

  it('stops a stream whose consumer is still reading when the time is up', async () => {
    const batches: number[] = [];
    const failure = await errorOf(
      (async () => {
        for await (const batch of store.stream('select g from generate_series(1, 100000) g', [], undefined, { batchSize: 100, timeoutMs: 300 })) {
          batches.push(batch.rows.length);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })(),
    );
    expect(failure.code).toBe('timeout');
    expect(batches.length).toBeLessThanOrEqual(3);
  });

  it('gives the session back when a stream is left early', async () => {
    const single = postgresStore({}, 1);
    try {
      for await (const batch of single.stream('select g from generate_series(1, 100000) g', [], undefined, { batchSize: 10 })) {
        expect(batch.rows).toHaveLength(10);
        expect(batch.rows[0]).toEqual([1]);
        break;
      }
      const after = await single.query('select 1 as one', [], undefined, { timeoutMs: 2000 });
      expect(after.rows).toEqual([[1]]);
    } finally {
      await single.close();
    }
  });

  it('loads rows with COPY, keeping tabs, line breaks, backslashes, nulls, unicode and JSON intact', async () => {
    await store.execute('create table store_test.copied (id int, label text, doc jsonb, tags text[], at timestamptz)');
    const tricky = ['tab\there', 'line\nbreak', 'back\\slash', 'crlf\r\n', 'ünïcødé ✓', '\\N', ''];
    const rows = Array.from({ length: 5000 }, (_, i) => [
      i,
      i % 10 === 0 ? null : tricky[i % tricky.length],
      { n: i, s: tricky[i % tricky.length] },
      ['a,b', 'c"d', null],
      new Date(Date.UTC(2025, 0, 1) + i * 60_000),
    ]);
    async function* source(): AsyncGenerator<unknown[]> {
      yield* rows;
    }
    const written = await store.copyRows({ schema: 'store_test', name: 'copied' }, ['id', 'label', 'doc', 'tags', 'at'], source());
    expect(written).toBe(5000);
    const back = await store.query('select id, label, doc, tags, at from store_test.copied order by id');
    expect(back.rows).toHaveLength(5000);
    for (const i of [0, 1, 2, 3, 4, 5, 6, 4999]) {
      const [id, label, doc, tags, at] = back.rows[i] ?? [];
      expect(id).toBe(i);
      expect(label).toBe(rows[i]?.[1]);
      expect(doc).toEqual(rows[i]?.[2]);
      expect(tags).toEqual(['a,b', 'c"d', null]);
      expect((at as Date).toISOString()).toBe((rows[i]?.[4] as Date).toISOString());
    }
  });

  it('refuses a COPY row of the wrong width and writes nothing of that batch', async () => {
    await store.execute('create table store_test.narrow (a int, b int)');
    const failure = await errorOf(store.copyRows({ schema: 'store_test', name: 'narrow' }, ['a', 'b'], [[1, 2], [3]]));
    expect(failure.code).toBe('invalid_argument');
    const count = await store.query('select count(*)::int from store_test.narrow');
    expect(count.rows).toEqual([[0]]);
  });

  it('explains with ANALYZE inside a transaction that is rolled back', async () => {
    await store.execute('create table store_test.explained (n int)');
    const explained = await store.explain('insert into store_test.explained select generate_series(1, 10)', [], undefined, { analyze: true, analyzeWrites: true });
    expect(explained.analyzed).toBe(true);
    expect(JSON.stringify(explained.plan)).toContain('Actual Rows');
    const count = await store.query('select count(*)::int from store_test.explained');
    expect(count.rows).toEqual([[0]]);
  });

  it('runs scoped work in the tenant schema with app.current_tenant_id set for that transaction only', async () => {
    const single = postgresStore({}, 1);
    const a = defaultTenantScope('aaaa0001');
    const b = defaultTenantScope('bbbb0002');
    try {
      await withAdmin((admin) =>
        admin.query(`
          drop schema if exists tenant_aaaa0001 cascade; drop schema if exists tenant_bbbb0002 cascade;
          create schema tenant_aaaa0001; create schema tenant_bbbb0002;
          create table tenant_aaaa0001.cases (title text); create table tenant_bbbb0002.cases (title text);
          insert into tenant_aaaa0001.cases values ('a1'), ('a2'); insert into tenant_bbbb0002.cases values ('b1');`),
      );
      const inA = await single.query("select title, current_setting('app.current_tenant_id') from cases order by title", [], a);
      expect(inA.rows).toEqual([['a1', 'aaaa0001'], ['a2', 'aaaa0001']]);
      const inB = await single.query('select title from cases', [], b);
      expect(inB.rows).toEqual([['b1']]);
      const after = await single.query("select coalesce(current_setting('app.current_tenant_id', true), '') as t, current_schemas(false)::text as s");
      expect(after.rows[0]?.[0]).toBe('');
      expect(after.rows[0]?.[1]).not.toContain('tenant_');
      expect(await errorOf(single.query('select 1', [], defaultTenantScope('cccc0003')))).toMatchObject({ code: 'not_found' });
    } finally {
      await single.close();
      await withAdmin((admin) => admin.query('drop schema if exists tenant_aaaa0001 cascade; drop schema if exists tenant_bbbb0002 cascade'));
    }
  });

  it('keeps a session clean after user SQL changes session settings', async () => {
    const single = postgresStore({}, 1);
    try {
      await single.query("set search_path to pg_catalog; set app.current_tenant_id = 'leaked'");
      const after = await single.query("select coalesce(current_setting('app.current_tenant_id', true), '')");
      expect(after.rows).toEqual([['']]);
    } finally {
      await single.close();
    }
  });

  it('keeps a session that ran SET LOCAL-style set_config in the pool, and retires one after connectionMaxUses leases', async () => {
    const pidOf = async (target: PostgresStore): Promise<unknown> => (await target.query('select pg_backend_pid()')).rows[0]?.[0];
    const kept = postgresStore({}, 1);
    const retiring = postgresStore({ connectionMaxUses: 3 }, 1);
    try {
      const keptPids = [await pidOf(kept)];
      await kept.execute("select pg_catalog.set_config('search_path', 'pg_catalog', true); select 1");
      for (let i = 0; i < 5; i++) keptPids.push(await pidOf(kept));
      expect(new Set(keptPids).size).toBe(1);
      const retiringPids = [];
      for (let i = 0; i < 6; i++) retiringPids.push(await pidOf(retiring));
      // The connection check is a use too, so six leases span two or three sessions.
      expect(new Set(retiringPids).size).toBeGreaterThanOrEqual(2);
    } finally {
      await Promise.all([kept.close(), retiring.close()]);
    }
  });
});
