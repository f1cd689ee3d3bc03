import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { partitions } from '../../src/shared/contract/partitions';
import { postgresWorkspace, until } from '../support/job-database';
import { indexesWorld, schemaOf, type IndexesWorld } from './indexes-fixtures';
import { murima2025 } from '../../src/shared/tenancy';
import { fleetHorizons, partitionLanes } from '../../src/main/features/partitions';
import { currentMonth, postgresReader } from './tenants-fixtures';

const DATABASE = 'partitions_it';

function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}
const partName = (table: string, month: string): string => `${table}_y${month.slice(0, 4)}m${month.slice(5, 7)}`;
const bound = (month: string): string => `${month}-01 00:00:00+00`;

/**
 * Partitions on a 50-tenant Murima2025 demo (one month of data: each tenant has this month's and
 * next month's partition of interactions, a few lack next month's, a few this month's with its rows
 * in the default partition). Every figure is checked against the catalog read directly.
 */
describe('partitions on a real PostgreSQL', () => {
  let world: IndexesWorld;
  const now = currentMonth();
  const window = Array.from({ length: 5 }, (_, i) => addMonths(now, i));

  beforeAll(async () => {
    world = await indexesWorld(DATABASE, 50);
    await world.api.access.justify({ workspaceId: world.workspaceId, scope: 'cross-tenant', reason: 'PART-1: keep partitions ahead in every tenant' });
  }, 600_000);

  afterAll(async () => {
    await world?.close();
  });

  /** Attached partitions of `table` per tenant schema, by name, read from pg_inherits. */
  async function attached(table = 'interactions'): Promise<Map<string, string[]>> {
    const { rows } = await world.pool.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE p.relname = $1 AND n.nspname LIKE 'tenant\\_%' ORDER BY 1, 2`,
      [table],
    );
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.schema, [...(out.get(r.schema) ?? []), r.name]);
    return out;
  }
  const rawSchema = (id: string): string => `tenant_${id.replaceAll('-', '_')}`;

  /** Months whose rows sit in a tenant's default partition, counted directly. */
  async function defaultMonths(id: string): Promise<Map<string, number>> {
    const { rows } = await world.pool.query<{ m: string; n: string }>(
      `SELECT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM') AS m, count(*) AS n FROM ${schemaOf(id)}.interactions_default GROUP BY 1`,
    );
    return new Map(rows.map((r) => [r.m, Number(r.n)]));
  }

  it('reads every tenant’s partitioned tables and partitions in one pass, as the catalog has them', async () => {
    const fleet = await world.api.partitions.fleet({ workspaceId: world.workspaceId });
    expect(partitions.methods.fleet.result.safeParse(fleet).success).toBe(true);
    expect(fleet.tenantSchemas).toBe(50);
    const catalog = await attached();
    for (const row of fleet.rows) {
      // Attached: the monthly partitions plus the default.
      expect(row.partitions, row.tenantId).toBe((catalog.get(rawSchema(row.tenantId)) ?? []).filter((n) => !n.endsWith('_default')).length);
      expect(row.tables).toBe(1);
    }
    const short = fleet.rows.filter((r) => r.horizon === now).map((r) => r.tenantId);
    expect(short.length).toBeGreaterThan(0);
    for (const id of short) expect(catalog.get(rawSchema(id))).not.toContain(partName('interactions', addMonths(now, 1)));

    const one = world.tenants[0] as string;
    const view = await world.api.partitions.tenant({ workspaceId: world.workspaceId, tenantId: one });
    expect(partitions.methods.tenant.result.safeParse(view).success).toBe(true);
    const table = view.tables[0]!;
    expect(table).toMatchObject({ table: 'interactions', key: 'timestamp', strategy: 'range', prescribed: true });
    expect(table.partitions.map((p) => p.name).sort()).toEqual((catalog.get(rawSchema(one)) ?? []).filter((n) => !n.endsWith('_default')).sort());
    expect(table.partitions.every((p) => p.state === 'attached' && p.month !== null && p.bound?.startsWith('FOR VALUES FROM'))).toBe(true);
    expect(table.defaultPartition).toMatchObject({ name: 'interactions_default', state: 'attached' });
    expect(table.missingAhead).toEqual(window.filter((m) => !table.partitions.some((p) => p.month === m)));
  });

  it('premake on 50 tenants creates exactly the missing months, and run twice changes nothing', async () => {
    const before = await attached();
    const plan = await world.api.partitions.premakePlan({ workspaceId: world.workspaceId, allTenants: true });
    expect(partitions.methods.premakePlan.result.safeParse(plan).success).toBe(true);
    expect(plan.months).toEqual(window);
    const blocked = new Map<string, string[]>();
    for (const id of world.tenants) {
      const months = [...(await defaultMonths(id)).keys()].filter((m) => window.includes(m));
      if (months.length > 0) blocked.set(rawSchema(id), months);
    }
    const job = await world.api.partitions.premake({ workspaceId: world.workspaceId, allTenants: true, pauseMs: 0 });
    const done = await world.settled(job.id);
    expect(done.state).toBe('succeeded');
    const after = await attached();
    let created = 0;
    for (const id of world.tenants) {
      const schema = rawSchema(id);
      const had = before.get(schema) ?? [];
      const wanted = window.filter((m) => !(blocked.get(schema) ?? []).includes(m)).map((m) => partName('interactions', m));
      const expected = [...new Set([...had, ...wanted])].sort();
      expect(after.get(schema), id).toEqual(expected);
      created += expected.length - had.length;
    }
    expect(created).toBe(plan.partitionsToCreate - [...blocked.values()].reduce((s, m) => s + m.length, 0));
    expect(done.result).toMatchObject({ created, failed: [] });
    // A month whose rows wait in the default partition is not created: the tenant says why.
    const skipped = done.result?.skipped as Array<{ tenantId: string; reason: string }>;
    expect(skipped.map((s) => rawSchema(s.tenantId)).sort()).toEqual([...blocked.keys()].sort());
    for (const s of skipped) expect(s.reason).toContain('default partition');

    const again = await world.api.partitions.premake({ workspaceId: world.workspaceId, allTenants: true, pauseMs: 0 });
    const second = await world.settled(again.id);
    expect(second.result).toMatchObject({ created: 0, tenantsChanged: 0 });
    expect(await attached()).toEqual(after);
    const replan = await world.api.partitions.premakePlan({ workspaceId: world.workspaceId, allTenants: true });
    expect(replan.partitionsToCreate).toBe([...blocked.values()].reduce((s, m) => s + m.length, 0));
  });

  it('finds the default partition’s rows by month and moves them out with the counts equal', async () => {
    // Rows dated two and three months past the window: no partition exists for them, so they land in the default.
    const id = world.tenants[7] as string;
    const far = [addMonths(now, 7), addMonths(now, 8)];
    await world.pool.query(
      `INSERT INTO ${schemaOf(id)}.interactions (id, tenant_id, case_id, channel_id, user_id, direction, content, "timestamp")
       SELECT gen_random_uuid(), c.tenant_id, c.id, ch.id, NULL::uuid, 'inbound', 'later', $1::timestamptz + (g * interval '1 hour')
         FROM (SELECT id, tenant_id FROM ${schemaOf(id)}.cases LIMIT 1) c, (SELECT id FROM ${schemaOf(id)}.channels LIMIT 1) ch, generate_series(1, 5) g
       UNION ALL
       SELECT gen_random_uuid(), c.tenant_id, c.id, ch.id, NULL::uuid, 'outbound', 'later', $2::timestamptz + (g * interval '1 hour')
         FROM (SELECT id, tenant_id FROM ${schemaOf(id)}.cases LIMIT 1) c, (SELECT id FROM ${schemaOf(id)}.channels LIMIT 1) ch, generate_series(1, 3) g`,
      [bound(far[0]!), bound(far[1]!)],
    );
    const rows = await world.api.partitions.defaultRows({ workspaceId: world.workspaceId, tenantId: id, table: 'interactions' });
    expect(partitions.methods.defaultRows.result.safeParse(rows).success).toBe(true);
    const inDefault = await defaultMonths(id);
    expect(rows.months.map((m) => [m.month, m.rows])).toEqual([...inDefault.entries()].sort());
    expect(rows.months.filter((m) => far.includes(m.month)).map((m) => [m.month, m.rows, m.partition, m.conflict])).toEqual([
      [far[0], 5, partName('interactions', far[0]!), null],
      [far[1], 3, partName('interactions', far[1]!), null],
    ]);
    const total = async () => Number((await world.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schemaOf(id)}.interactions`)).rows[0]!.n);
    const countBefore = await total();
    const job = await world.api.partitions.moveDefaultRows({ workspaceId: world.workspaceId, tenantId: id, table: 'interactions', months: far });
    const done = await world.settled(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.result).toMatchObject({ moved: 8, months: 2, before: countBefore, after: countBefore });
    expect(await total()).toBe(countBefore);
    const perPartition = async (month: string) => Number((await world.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schemaOf(id)}.${pg.escapeIdentifier(partName('interactions', month))}`)).rows[0]!.n);
    expect([await perPartition(far[0]!), await perPartition(far[1]!)]).toEqual([5, 3]);
    const leftover = await defaultMonths(id);
    expect(far.some((m) => leftover.has(m))).toBe(false);
    // The job analysed what it changed: the inventory's estimate of the default no longer counts the moved rows.
    const view = await world.api.partitions.tenant({ workspaceId: world.workspaceId, tenantId: id });
    expect(view.tables[0]!.defaultPartition?.rows).toBe([...leftover.values()].reduce((a, b) => a + b, 0));
    expect((await attached()).get(rawSchema(id))).toContain('interactions_default');
  });

  it('draws a lane per partitioned table for the time view, and the fleet horizon in one pass', async () => {
    const id = world.tenants[8] as string;
    const later = addMonths(now, 10);
    await world.pool.query(
      `INSERT INTO ${schemaOf(id)}.interactions (id, tenant_id, case_id, channel_id, direction, "timestamp")
       SELECT gen_random_uuid(), c.tenant_id, c.id, ch.id, 'inbound', $1::timestamptz + (g * interval '1 hour')
         FROM (SELECT id, tenant_id FROM ${schemaOf(id)}.cases LIMIT 1) c, (SELECT id FROM ${schemaOf(id)}.channels LIMIT 1) ch, generate_series(1, 4) g`,
      [bound(later)],
    );
    const stores = async () => ({ preset: murima2025, postgres: postgresReader(world.pool) });
    const months = Array.from({ length: 12 }, (_, i) => addMonths(now, i - 1));
    const lanes = await partitionLanes(stores).tenantLanes({ workspaceId: world.workspaceId, tenantId: id, months, now }, new AbortController().signal);
    expect(lanes.map((l) => [l.store, l.kind, l.name])).toEqual([['postgres', 'partition', 'interactions']]);
    const cells = lanes[0]!.cells;
    expect(cells.map((c) => c.month)).toEqual(months);
    const present = new Set((await attached()).get(rawSchema(id)));
    for (const cell of cells) {
      const name = partName('interactions', cell.month);
      if (present.has(name)) expect(cell, cell.month).toMatchObject({ state: 'present', object: name });
      else if (cell.month === later) expect(cell).toMatchObject({ state: 'default_rows', count: 4 });
      else if (cell.month >= now && cell.month <= addMonths(now, 4)) expect(cell.state, cell.month).toBe('missing');
      else expect(cell.state, cell.month).toBe('none');
    }
    const horizons = await fleetHorizons(stores).partitionHorizons({ workspaceId: world.workspaceId, months, now }, new AbortController().signal);
    expect(horizons.size).toBe(50);
    const fleet = await world.api.partitions.fleet({ workspaceId: world.workspaceId });
    for (const row of fleet.rows) {
      const h = horizons.get(row.tenantId)!;
      expect(h.horizon, row.tenantId).toBe(row.horizon);
      expect(h.coverage).toHaveLength(months.length);
      const names = new Set((await attached()).get(rawSchema(row.tenantId)));
      expect(h.coverage, row.tenantId).toEqual(months.map((m) => (names.has(partName('interactions', m)) ? 1 : 0)));
    }
  });

  it('retention detaches exactly the expired partitions, and drops them only with the typed confirmation', async () => {
    const old = world.tenants.slice(20, 23);
    const expiredMonths = [addMonths(now, -30), addMonths(now, -26)];
    for (const id of old) {
      for (const m of expiredMonths) {
        await world.pool.query(`CREATE TABLE ${schemaOf(id)}.${pg.escapeIdentifier(partName('interactions', m))} PARTITION OF ${schemaOf(id)}.interactions FOR VALUES FROM ('${bound(m)}') TO ('${bound(addMonths(m, 1))}')`);
      }
    }
    // Inside the retention (24 months): kept.
    await world.pool.query(`CREATE TABLE ${schemaOf(old[0]!)}.${pg.escapeIdentifier(partName('interactions', addMonths(now, -20)))} PARTITION OF ${schemaOf(old[0]!)}.interactions FOR VALUES FROM ('${bound(addMonths(now, -20))}') TO ('${bound(addMonths(now, -19))}')`);
    const plan = await world.api.partitions.retentionPlan({ workspaceId: world.workspaceId, allTenants: true });
    expect(partitions.methods.retentionPlan.result.safeParse(plan).success).toBe(true);
    expect(plan).toMatchObject({ retentionMonths: 24, keepFrom: addMonths(now, -23), drop: false, partitionsToRetire: 6, concurrently: false });
    expect(plan.tenants.map((t) => t.tenantId).sort()).toEqual([...old].sort());
    // interactions has a default partition: PostgreSQL refuses DETACH CONCURRENTLY there, so the plan detaches in a transaction.
    expect(plan.tenants[0]!.partitions[0]!.statements[0]).toMatch(/^ALTER TABLE "tenant_[0-9a-f_]+"\."interactions" DETACH PARTITION "tenant_[0-9a-f_]+"\."interactions_y\d{4}m\d{2}"$/);

    const job = await world.api.partitions.retire({ workspaceId: world.workspaceId, allTenants: true, pauseMs: 0 });
    const done = await world.settled(job.id);
    expect(done.state, JSON.stringify([done.failure, done.log.slice(-3)])).toBe('succeeded');
    expect(done.result).toMatchObject({ detached: 6, dropped: 0, tenantsChanged: 3 });
    const after = await attached();
    for (const id of old) for (const m of expiredMonths) expect(after.get(rawSchema(id))).not.toContain(partName('interactions', m));
    expect(after.get(rawSchema(old[0]!))).toContain(partName('interactions', addMonths(now, -20)));
    const view = await world.api.partitions.tenant({ workspaceId: world.workspaceId, tenantId: old[1]! });
    expect(view.tables[0]!.partitions.filter((p) => p.state === 'detached').map((p) => p.month).sort()).toEqual([...expiredMonths].sort());

    // Dropping: the typed text must say how many.
    await expect(world.api.partitions.retire({ workspaceId: world.workspaceId, allTenants: true, drop: true })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(world.api.partitions.retire({ workspaceId: world.workspaceId, allTenants: true, drop: true, confirm: 'drop 5 partitions' })).rejects.toMatchObject({ code: 'invalid_argument' });
    const dropPlan = await world.api.partitions.retentionPlan({ workspaceId: world.workspaceId, allTenants: true, drop: true });
    expect(dropPlan.confirmText).toBe('drop 6 partitions');
    const drop = await world.api.partitions.retire({ workspaceId: world.workspaceId, allTenants: true, drop: true, confirm: 'drop 6 partitions', pauseMs: 0 });
    expect((await world.settled(drop.id)).result).toMatchObject({ dropped: 6 });
    const { rows } = await world.pool.query(`SELECT relname FROM pg_class WHERE relname = ANY($1)`, [expiredMonths.map((m) => partName('interactions', m))]);
    expect(rows).toEqual([]);
  });

  it('detaches CONCURRENTLY where the table has no default partition, outside any transaction', async () => {
    const id = world.tenants[30] as string;
    await world.pool.query(`CREATE TABLE ${schemaOf(id)}.events (at date NOT NULL, what text) PARTITION BY RANGE (at)`);
    for (const m of [addMonths(now, -5), addMonths(now, -1), now]) {
      await world.pool.query(`CREATE TABLE ${schemaOf(id)}.${pg.escapeIdentifier(partName('events', m))} PARTITION OF ${schemaOf(id)}.events FOR VALUES FROM ('${m}-01') TO ('${addMonths(m, 1)}-01')`);
    }
    const plan = await world.api.partitions.retentionPlan({ workspaceId: world.workspaceId, tenantId: id, table: 'events', retentionMonths: 3 });
    expect(plan.tenants[0]!.partitions.map((p) => [p.partition, p.statements])).toEqual([
      [partName('events', addMonths(now, -5)), [`ALTER TABLE ${schemaOf(id)}."events" DETACH PARTITION ${schemaOf(id)}.${pg.escapeIdentifier(partName('events', addMonths(now, -5)))} CONCURRENTLY`]],
    ]);
    const job = await world.api.partitions.retire({ workspaceId: world.workspaceId, tenantId: id, table: 'events', retentionMonths: 3 });
    expect((await world.settled(job.id)).result).toMatchObject({ detached: 1 });
    expect((await attached('events')).get(rawSchema(id))).toEqual([partName('events', addMonths(now, -1)), partName('events', now)]);
  });

  it('skips a tenant whose table is locked, with the reason, while the job goes on', async () => {
    const targets = world.tenants.slice(35, 40);
    const locked = targets[2] as string;
    const holder = await world.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${schemaOf(locked)}.interactions IN ACCESS EXCLUSIVE MODE`);
      const job = await world.api.partitions.premake({ workspaceId: world.workspaceId, tenantIds: targets, keepAhead: 6, lockTimeoutMs: 200, pauseMs: 0 });
      const done = await world.settled(job.id);
      expect(done.state).toBe('succeeded');
      expect(done.result).toMatchObject({ tenantsReached: 5, tenantsChanged: 4, failed: [] });
      expect(done.result?.skipped).toEqual([{ tenantId: locked, reason: 'a table was locked for longer than 200 ms; nothing changed there' }]);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    const after = await attached();
    for (const id of targets.filter((x) => x !== locked)) expect(after.get(rawSchema(id)), id).toContain(partName('interactions', addMonths(now, 6)));
    expect(after.get(rawSchema(locked))).not.toContain(partName('interactions', addMonths(now, 6)));
  });

  it('a cancelled premake leaves the tenants it had not reached untouched', async () => {
    const targets = [...world.tenants.slice(40, 48)].sort((a, b) => (rawSchema(a) < rawSchema(b) ? -1 : 1));
    const blocked = targets[3] as string;
    const before = await attached();
    const holder = await world.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${schemaOf(blocked)}.interactions IN ACCESS EXCLUSIVE MODE`);
      const job = await world.api.partitions.premake({ workspaceId: world.workspaceId, tenantIds: targets, keepAhead: 9, lockTimeoutMs: 60_000, pauseMs: 0 });
      await until(async () => (await world.api.jobs.get({ workspaceId: world.workspaceId, jobId: job.id })).progress.phase === `premaking in ${blocked}`);
      await world.api.jobs.cancel({ workspaceId: world.workspaceId, jobId: job.id });
      const done = await world.settled(job.id);
      expect(done.state).toBe('cancelled');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
    const after = await attached();
    const far = partName('interactions', addMonths(now, 9));
    for (const id of targets.slice(0, 3)) expect(after.get(rawSchema(id)), id).toContain(far);
    for (const id of targets.slice(3)) expect(after.get(rawSchema(id)), id).toEqual(before.get(rawSchema(id)));
  });

  it('quotes a hostile table name found in the catalog, and refuses names the catalog does not have', async () => {
    const id = world.tenants[12] as string;
    const hostile = 'x"; DROP TABLE cases; --';
    await world.pool.query(`CREATE TABLE ${schemaOf(id)}.${pg.escapeIdentifier(hostile)} (at timestamptz NOT NULL) PARTITION BY RANGE (at)`);
    await world.pool.query(`CREATE TABLE ${schemaOf(id)}.${pg.escapeIdentifier(`${hostile}_default`)} PARTITION OF ${schemaOf(id)}.${pg.escapeIdentifier(hostile)} DEFAULT`);
    const view = await world.api.partitions.tenant({ workspaceId: world.workspaceId, tenantId: id });
    expect(view.tables.map((t) => t.table).sort()).toEqual(['interactions', hostile].sort());
    const job = await world.api.partitions.premake({ workspaceId: world.workspaceId, tenantId: id, table: hostile, keepAhead: 1, pauseMs: 0 });
    expect((await world.settled(job.id)).result).toMatchObject({ created: 2 });
    expect((await attached(hostile)).get(rawSchema(id))).toEqual([partName(hostile, now), partName(hostile, addMonths(now, 1)), `${hostile}_default`].sort());
    expect(Number((await world.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schemaOf(id)}.cases`)).rows[0]!.n)).toBeGreaterThan(0);
    await expect(world.api.partitions.premake({ workspaceId: world.workspaceId, tenantId: id, table: 'no_such_table' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(world.api.partitions.defaultRows({ workspaceId: world.workspaceId, tenantId: id, table: 'x'.repeat(64) })).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('refuses changes to support and to prod without an unlock; support still reads', async () => {
    const one = world.tenants[0] as string;
    await world.api.access.setOperator({ workspaceId: world.workspaceId, name: 'Sam', email: 'sam@example.com', role: 'support' });
    try {
      await expect(world.api.partitions.premake({ workspaceId: world.workspaceId, tenantId: one })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(world.api.partitions.retire({ workspaceId: world.workspaceId, tenantId: one })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(world.api.partitions.moveDefaultRows({ workspaceId: world.workspaceId, tenantId: one, table: 'interactions' })).rejects.toMatchObject({ code: 'forbidden' });
      expect((await world.api.partitions.tenant({ workspaceId: world.workspaceId, tenantId: one })).tables).toHaveLength(1);
    } finally {
      await world.api.access.setOperator({ workspaceId: world.workspaceId, name: 'Ada', email: 'ada@example.com', role: 'platform_admin' });
    }
    const { id: prod } = await world.api.workspaces.create({ workspace: { ...postgresWorkspace('Partitions prod', DATABASE), environment: 'prod' } });
    await expect(world.api.partitions.premake({ workspaceId: prod, tenantId: one })).rejects.toMatchObject({ code: 'read_only' });
    const audit = await world.api.audit.query({ workspaceId: world.workspaceId, action: 'jobs.partitions.premake', limit: 50 });
    expect(audit.entries.length).toBeGreaterThan(0);
  });
});
