import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Environment, WorkspaceView } from '@shared/model/workspace';
import type { Session } from '@shared/model/session';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import type { WorkspaceStores } from '../../src/main/core/workspace-stores';
import { createScratchDatabase } from './tenants-fixtures';
import { errorOf } from './stores/postgres-helpers';

const DATABASE = 'prod_read_only_it';
/** A Redis database of its own, so the keyspace compared is this file's alone. */
const REDIS_DB = 13;
const ROLE = 'prod_read_only_sneaky';
const session: Session = { connectionId: 'prod-read-only', operator: { name: 'tester' }, role: 'platform_admin' };

/** Everything in the database that a write could leave behind: schemas, relations, functions, rows, sequence positions. */
async function catalogSnapshot(pool: pg.Pool): Promise<Record<string, unknown>> {
  const user = "not like 'pg\\_%' and n.nspname <> 'information_schema'";
  const schemas = await pool.query(`select n.nspname from pg_namespace n where n.nspname ${user} order by 1`);
  // The console ships its own audit journal to this database (the Murima2025 admin store) on a
  // connection of its own, whenever a batch is ready: that table is the console's, not a write
  // through the workspace's stores.
  const relations = await pool.query(
    `select n.nspname || '.' || c.relname || ' ' || c.relkind::text as r from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname ${user} and not (n.nspname = 'public' and c.relname like 'console\\_audit%') order by 1`,
  );
  const functions = await pool.query(`select n.nspname || '.' || p.proname as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname ${user} order by 1`);
  const rows = await pool.query('select id, name from ledger.accounts order by id');
  const sequence = await pool.query('select last_value, is_called from ledger.invoice_no');
  const role = await pool.query('select count(*)::int as n from pg_roles where rolname = $1', [ROLE]);
  return {
    schemas: schemas.rows,
    relations: relations.rows,
    functions: functions.rows,
    rows: rows.rows,
    sequence: sequence.rows,
    sneakyRole: role.rows,
  };
}

/** Every key of the file's Redis database with its value and TTL (in whole minutes: it runs down meanwhile), and the database's size. */
async function keyspaceSnapshot(redis: Redis): Promise<Record<string, unknown>> {
  const keys = (await redis.keys('*')).sort();
  const entries = [];
  for (const key of keys) entries.push({ key, dump: (await redis.dumpBuffer(key))?.toString('hex'), ttlMinutes: Math.ceil((await redis.pttl(key)) / 60_000) });
  return { size: await redis.dbsize(), entries, maxmemory: await redis.config('GET', 'maxmemory') };
}

/**
 * A prod workspace created the way the console creates one (the workspace service behind the
 * router, passwords in the vault) gets read-only stores from the console's store registry: the
 * wiring the workbench and every feature rely on, checked on the stores the console built, not
 * on a store constructed with `readOnly: true` by hand.
 */
describe('a prod workspace’s stores, as the console builds them, write nothing', () => {
  const pgServer = inject('postgres');
  const redisServer = inject('redis');
  let core: ConsoleCore;
  let dataDir: string;
  let db: { pool: pg.Pool; drop(): Promise<void> };
  let redis: Redis;
  let workspace: WorkspaceView;

  const call = <T>(method: string, args: unknown): Promise<T> => core.router.invoke(method, args, session) as Promise<T>;
  const input = (environment: Environment, passwords: boolean) => ({
    name: 'Prod read-only wiring',
    environment,
    preset: 'murima2025',
    endpoints: {
      postgres: { host: pgServer.host, port: pgServer.port, database: DATABASE, username: pgServer.user, ...(passwords && { password: pgServer.password }) },
      redis: { host: redisServer.host, port: redisServer.port, db: REDIS_DB, ...(passwords && { password: redisServer.password }) },
    },
  });
  /** Switches the workspace's environment through the service, as the editor's Save does (passwords kept). */
  const setEnvironment = async (environment: Environment): Promise<void> => {
    workspace = await call<WorkspaceView>('workspaces.update', { id: workspace.id, workspace: input(environment, false) });
  };
  const stores = (): Promise<WorkspaceStores> => core.registry.open(workspace.id);

  /** The writes a caller may try, each through the store API the features use. */
  const postgresWrites = (s: WorkspaceStores) => {
    const postgres = s.postgres!;
    return {
      insert: () => postgres.query('insert into ledger.accounts values (2, $1)', ['written']),
      update: () => postgres.query("update ledger.accounts set name = 'changed'"),
      delete: () => postgres.query('delete from ledger.accounts'),
      nextval: () => postgres.query("select nextval('ledger.invoice_no')"),
      'create table': () => postgres.execute('create table ledger.sneaky (n int)'),
      'create schema': () => postgres.execute('create schema sneaky'),
      'create function': () => postgres.execute('create function ledger.sneaky() returns int language sql as $$ select 1 $$'),
      'create role': () => postgres.execute(`create role ${ROLE}`),
      'drop table': () => postgres.execute('drop table ledger.accounts'),
      copy: () => postgres.copyRows({ schema: 'ledger', name: 'accounts' }, ['id', 'name'], [[3, 'copied']]),
      'explain analyze': () => postgres.explain('insert into ledger.accounts values (4, $1)', ['explained'], undefined, { analyze: true, analyzeWrites: true }),
    };
  };
  const redisWrites = (s: WorkspaceStores) => {
    const store = s.redis!;
    return {
      set: () => store.set('acme01:session:1', 'changed'),
      'set new': () => store.set('acme01:new', 'x'),
      del: () => store.del(['acme01:session:1']),
      expire: () => store.expire('acme01:case:7', 1),
      writeBatch: () => store.writeBatch([{ op: 'set', key: 'acme01:batch', value: 'x' }]),
      'command hset': () => store.command('hset', ['acme01:case:7', 'title', 'changed']),
      'command flushdb': () => store.command('flushdb'),
      'command eval': () => store.command('eval', ["return redis.call('set','acme01:lua','x')", 0]),
      'command config set': () => store.command('config', ['set', 'maxmemory', '1']),
    };
  };

  beforeAll(async () => {
    db = await createScratchDatabase(pgServer.url, DATABASE);
    await db.pool.query(
      "create schema ledger; create table ledger.accounts (id int primary key, name text); insert into ledger.accounts values (1, 'kept'); create sequence ledger.invoice_no",
    );
    redis = new Redis({ host: redisServer.host, port: redisServer.port, password: redisServer.password, db: REDIS_DB });
    await redis.flushdb();
    await redis.set('acme01:session:1', 's1', 'EX', 3600);
    await redis.hset('acme01:case:7', { title: 'Leak', status: 'open' });
    dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-prod-read-only-'));
    core = await createConsole({ dataDir, mode: 'web', version: 'test' });
    workspace = await call<WorkspaceView>('workspaces.create', { workspace: input('prod', true) });
  });

  afterAll(async () => {
    await core?.close();
    await redis?.flushdb();
    redis?.disconnect();
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses every PostgreSQL and Redis write with read_only, and the catalog and keyspace are unchanged', async () => {
    expect(workspace.environment).toBe('prod');
    const prod = await stores();
    expect(prod.postgres?.readOnly).toBe(true);
    expect(prod.redis?.readOnly).toBe(true);
    // The stores reach the workspace's own database and Redis db: refusals below are not connection failures.
    expect((await prod.postgres!.query('select name from ledger.accounts where id = $1', [1])).rows).toEqual([['kept']]);
    expect(await prod.redis!.get('acme01:session:1')).toBe('s1');

    const catalogBefore = await catalogSnapshot(db.pool);
    const keyspaceBefore = await keyspaceSnapshot(redis);
    for (const [name, write] of Object.entries(postgresWrites(prod))) expect(await errorOf(write()), `PostgreSQL ${name}`).toMatchObject({ code: 'read_only' });
    for (const [name, write] of Object.entries(redisWrites(prod))) expect(await errorOf(write()), `Redis ${name}`).toMatchObject({ code: 'read_only' });
    expect(await catalogSnapshot(db.pool)).toEqual(catalogBefore);
    expect(await keyspaceSnapshot(redis)).toEqual(keyspaceBefore);
  });

  it('the same writes go through once the workspace is dev, and are refused again when it is back to prod', async () => {
    const catalogBefore = await catalogSnapshot(db.pool);
    const keyspaceBefore = await keyspaceSnapshot(redis);

    // The snapshots see these writes: the comparison above would have caught a store that let them through.
    await setEnvironment('dev');
    const dev = await stores();
    expect(dev.postgres?.readOnly).toBe(false);
    await dev.postgres!.query('insert into ledger.accounts values (2, $1)', ['written']);
    await dev.postgres!.execute('create table ledger.sneaky (n int)');
    await dev.redis!.set('acme01:new', 'x');
    expect(await catalogSnapshot(db.pool)).not.toEqual(catalogBefore);
    expect(await keyspaceSnapshot(redis)).not.toEqual(keyspaceBefore);
    await db.pool.query('delete from ledger.accounts where id = 2; drop table ledger.sneaky');
    await redis.del('acme01:new');
    expect(await catalogSnapshot(db.pool)).toEqual(catalogBefore);

    // Saving the workspace as prod again replaces its stores with read-only ones.
    await setEnvironment('prod');
    const prod = await stores();
    expect(prod).not.toBe(dev);
    expect(prod.postgres?.readOnly).toBe(true);
    expect(await errorOf(prod.postgres!.query('insert into ledger.accounts values (2, $1)', ['written']))).toMatchObject({ code: 'read_only' });
    expect(await errorOf(prod.redis!.set('acme01:new', 'x'))).toMatchObject({ code: 'read_only' });
    expect(await catalogSnapshot(db.pool)).toEqual(catalogBefore);
    expect(await keyspaceSnapshot(redis)).toEqual(keyspaceBefore);
  });
});
