import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexes } from '../../src/shared/contract/indexes';
import { postgresWorkspace, until } from '../support/job-database';
import { indexesWorld, schemaOf, type IndexesWorld } from './indexes-fixtures';

const DATABASE = 'indexes_drift_it';

/**
 * Drift on a 50-tenant Murima2025 demo with injected gaps: an index dropped in 3 tenants, the right
 * name with another column order in 2, an RLS policy with another USING in 1, RLS disabled in 1.
 */
describe('blueprint drift by definition on a real PostgreSQL', () => {
  let world: IndexesWorld;
  let dropped: string[];
  let reordered: string[];
  let policyChanged: string;
  let rlsOff: string;

  beforeAll(async () => {
    world = await indexesWorld(DATABASE, 50);
    const t = world.tenants;
    dropped = t.slice(0, 3);
    reordered = t.slice(3, 5);
    policyChanged = t[5] as string;
    rlsOff = t[6] as string;
    const script = [
      ...dropped.map((id) => `DROP INDEX ${schemaOf(id)}.idx_tasks_due_date`),
      ...reordered.map((id) => `DROP INDEX ${schemaOf(id)}.idx_cases_status_priority; CREATE INDEX idx_cases_status_priority ON ${schemaOf(id)}.cases (status, tenant_id, priority)`),
      `ALTER POLICY tenant_isolation ON ${schemaOf(policyChanged)}.cases USING (true)`,
      `ALTER TABLE ${schemaOf(rlsOff)}.documents DISABLE ROW LEVEL SECURITY`,
    ].join(';\n');
    await world.pool.query(script);
  }, 600_000);

  afterAll(async () => {
    await world?.close();
  });

  const allTenants = () => ({ workspaceId: world.workspaceId, allTenants: true as const });

  it('finds exactly the injected gaps, grouped with their tenants, in one pass', async () => {
    await world.api.access.justify({ workspaceId: world.workspaceId, scope: 'cross-tenant', reason: 'IDX-1: compare every tenant with the blueprint' });
    const report = await world.api.indexes.drift(allTenants());
    expect(indexes.methods.drift.result.safeParse(report).success).toBe(true);
    expect(report.comparedTenants).toBe(50);
    expect(report.cleanTenants).toBe(50 - 7);
    const summary = report.groups.map((g) => ({ object: g.object, change: g.change, table: g.table, name: g.name, differences: g.differences, tenants: [...g.tenantIds].sort() }));
    expect(summary).toEqual(
      expect.arrayContaining([
        { object: 'index', change: 'missing', table: 'tasks', name: 'idx_tasks_due_date', differences: [], tenants: [...dropped].sort() },
        { object: 'index', change: 'different', table: 'cases', name: 'idx_cases_status_priority', differences: ['column order'], tenants: [...reordered].sort() },
        { object: 'policy', change: 'different', table: 'cases', name: 'tenant_isolation', differences: ['using'], tenants: [policyChanged] },
        { object: 'row_level_security', change: 'different', table: 'documents', name: 'documents', differences: ['enabled'], tenants: [rlsOff] },
      ]),
    );
    expect(report.groups).toHaveLength(4);
    const reorder = report.groups.find((g) => g.name === 'idx_cases_status_priority');
    expect(reorder?.expected).toBe('USING btree (tenant_id, status, priority)');
    expect(reorder?.actual).toBe('USING btree (status, tenant_id, priority)');
  });

  it('compares a read-only (prod) workspace with the reference a writable workspace of the same server kept', async () => {
    const { id: prod } = await world.api.workspaces.create({ workspace: { ...postgresWorkspace('Indexes prod', DATABASE), environment: 'prod' } });
    const report = await world.api.indexes.drift({ workspaceId: prod, tenantId: policyChanged });
    expect(report.comparedTenants).toBe(1);
    expect(report.groups.map((g) => [g.object, g.differences, g.tenantIds])).toEqual([['policy', ['using'], [policyChanged]]]);
    // Changing anything on prod needs an unlock first.
    await expect(world.api.indexes.applyFix({ workspaceId: prod, tenantId: policyChanged, dryRun: false })).rejects.toMatchObject({ code: 'read_only' });
  });

  it('plans the exact statements per tenant with their locks', async () => {
    const plan = await world.api.indexes.fixPlan(allTenants());
    expect(indexes.methods.fixPlan.result.safeParse(plan).success).toBe(true);
    expect(plan.tenantCount).toBe(7);
    const forTenant = (id: string) => plan.tenants.find((p) => p.tenantId === id)?.statements.map((s) => [s.sql, s.lock, s.transactional]);
    expect(forTenant(rlsOff)).toEqual([[`ALTER TABLE ${schemaOf(rlsOff)}."documents" ENABLE ROW LEVEL SECURITY`, 'ACCESS EXCLUSIVE', true]]);
    const reorderPlan = forTenant(reordered[0] as string);
    expect(reorderPlan?.map(([sql]) => String(sql).split(' ').slice(0, 2).join(' '))).toEqual(['DROP INDEX', 'CREATE INDEX']);
    expect(plan.notFixed).toEqual([]);
  });

  it('refuses the fix to support, and a cross-tenant fix without a reason', async () => {
    await world.api.access.setOperator({ workspaceId: world.workspaceId, name: 'Sam', email: 'sam@example.com', role: 'support' });
    try {
      await expect(world.api.indexes.applyFix({ ...allTenants(), dryRun: false })).rejects.toMatchObject({ code: 'forbidden' });
      await expect(world.api.indexes.build({ workspaceId: world.workspaceId, tenantId: rlsOff, definition: { table: 'cases', name: 'x', keys: [{ column: 'title' }] } })).rejects.toMatchObject({ code: 'forbidden' });
    } finally {
      await world.api.access.setOperator({ workspaceId: world.workspaceId, name: 'Ada', email: 'ada@example.com', role: 'platform_admin' });
    }
  });

  it('skips a tenant whose table is locked, with the reason, and repairs the others; drift is then what was skipped', async () => {
    await world.api.access.justify({ workspaceId: world.workspaceId, scope: 'cross-tenant', reason: 'IDX-2: repair drift in every tenant' });
    // A dry run first: it changes nothing.
    const dry = await world.api.indexes.applyFix({ ...allTenants() });
    const dryDone = await world.settled(dry.id);
    expect(dryDone.state).toBe('succeeded');
    expect(dryDone.result).toMatchObject({ dryRun: true, tenants: 7 });
    expect((await world.api.indexes.drift(allTenants())).groups).toHaveLength(4);

    // One tenant's table is held ACCESS EXCLUSIVE (a migration): drift cannot even be read there.
    // Another's is held EXCLUSIVE: drift reads, but the repair waits past the lock timeout.
    const migration = await world.pool.connect();
    const writer = await world.pool.connect();
    const waiting = reordered[0] as string;
    try {
      await migration.query('BEGIN');
      await migration.query(`LOCK TABLE ${schemaOf(rlsOff)}.documents IN ACCESS EXCLUSIVE MODE`);
      await writer.query('BEGIN');
      await writer.query(`LOCK TABLE ${schemaOf(waiting)}.cases IN EXCLUSIVE MODE`);
      const during = await world.api.indexes.drift(allTenants());
      expect(during.busyTenants).toEqual([rlsOff]);
      expect(during.comparedTenants).toBe(49);

      const job = await world.api.indexes.applyFix({ ...allTenants(), dryRun: false, lockTimeoutMs: 300 });
      const done = await world.settled(job.id);
      expect(done.state).toBe('succeeded');
      expect(done.result).toMatchObject({ repaired: 5, failed: [] });
      const skipped = (done.result?.skipped as Array<{ tenantId: string; reason: string }>).map((s) => s.tenantId).sort();
      expect(skipped).toEqual([rlsOff, waiting].sort());
      expect(done.log.some((l) => l.line.startsWith(`${waiting}: skipped, a table was locked for longer than 300 ms`))).toBe(true);
      expect(done.log.some((l) => l.line.startsWith(`${rlsOff}: skipped, another session held`))).toBe(true);
    } finally {
      await migration.query('ROLLBACK');
      await writer.query('ROLLBACK');
      migration.release();
      writer.release();
    }
    const after = await world.api.indexes.drift(allTenants());
    expect(after.groups.map((g) => [g.object, g.tenantIds]).sort()).toEqual([['index', [waiting]], ['row_level_security', [rlsOff]]]);

    const again = await world.api.indexes.applyFix({ ...allTenants(), dryRun: false });
    expect((await world.settled(again.id)).result).toMatchObject({ repaired: 2 });
    const clean = await world.api.indexes.drift(allTenants());
    expect(clean).toMatchObject({ comparedTenants: 50, cleanTenants: 50, groups: [] });

    // The apply is one audit entry, the job's: it names the job and its tenants, carries the reason the
    // call was allowed on and the outcome; the applyFix call itself writes none of its own.
    const audit = await world.api.audit.query({ workspaceId: world.workspaceId, limit: 5000 });
    // (The support operator's refused applyFix above is recorded, as every refusal is.)
    const ofApply = audit.entries.filter((e) => (e.action === 'indexes.applyFix' && e.outcome !== 'refused') || (e.details as { jobId?: string } | undefined)?.jobId === again.id);
    expect(ofApply).toHaveLength(1);
    expect(ofApply[0]).toMatchObject({
      action: 'jobs.indexes.fix-drift',
      outcome: 'allowed',
      tenantIds: ['*'],
      target: expect.stringContaining(again.id),
      justification: { reason: 'IDX-2: repair drift in every tenant' },
      details: { state: 'succeeded', result: { repaired: 2 } },
    });
    expect(audit.entries.filter((e) => e.action === 'jobs.indexes.fix-drift')).toHaveLength(3);
  });

  it('a cancelled fix leaves the untouched tenants untouched and reports the done ones', async () => {
    // Drift in ten tenants; the fifth tenant's table is locked so the job waits there and is cancelled.
    const targets = world.tenants.slice(10, 20);
    await world.pool.query(targets.map((id) => `DROP INDEX ${schemaOf(id)}.idx_users_status`).join(';\n'));
    const blocked = targets[4] as string;
    const holder = await world.pool.connect();
    try {
      await holder.query('BEGIN');
      // EXCLUSIVE lets drift be read but keeps CREATE INDEX (SHARE) waiting.
      await holder.query(`LOCK TABLE ${schemaOf(blocked)}.users IN EXCLUSIVE MODE`);
      const job = await world.api.indexes.applyFix({ workspaceId: world.workspaceId, tenantIds: targets, dryRun: false, lockTimeoutMs: 60_000 });
      await until(async () => (await world.api.jobs.get({ workspaceId: world.workspaceId, jobId: job.id })).progress.phase === `repairing ${blocked}`);
      await world.api.jobs.cancel({ workspaceId: world.workspaceId, jobId: job.id });
      const done = await world.settled(job.id);
      expect(done.state).toBe('cancelled');
      const repairedBefore = targets.slice(0, 4);
      expect(done.log.some((l) => l.line.startsWith('Cancelled: 4 tenant(s) repaired') && repairedBefore.every((id) => l.line.includes(id)))).toBe(true);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
    const report = await world.api.indexes.drift({ workspaceId: world.workspaceId, tenantIds: targets });
    expect(report.groups.map((g) => [g.name, [...g.tenantIds].sort()])).toEqual([['idx_users_status', [...targets.slice(4)].sort()]]);
  });
});
