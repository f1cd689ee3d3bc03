import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../src/shared/contract';
import { indexes } from '../../src/shared/contract/indexes';
import { until } from '../support/job-database';
import { indexesWorld, schemaOf, type IndexesWorld } from './indexes-fixtures';

const DATABASE = 'indexes_build_it';

describe('index inventory, findings and builds on a real PostgreSQL', () => {
  let world: IndexesWorld;
  let tenant: string;

  beforeAll(async () => {
    world = await indexesWorld(DATABASE, 4);
    tenant = world.tenants[0] as string;
  }, 300_000);

  afterAll(async () => {
    await world?.close();
  });

  it('builds concurrently with progress from pg_stat_progress_create_index, then shows usage after a query uses it', async () => {
    const progress: Array<EventPayload<'jobs.progress'>> = [];
    const stop = world.api.on('jobs.progress', (event) => progress.push(event));
    // An open write on the table: CREATE INDEX CONCURRENTLY must wait for it, and says so.
    const writer = await world.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE ${schemaOf(tenant)}.cases SET title = title WHERE id IN (SELECT id FROM ${schemaOf(tenant)}.cases LIMIT 1)`);
      const job = await world.api.indexes.build({ workspaceId: world.workspaceId, tenantId: tenant, definition: { table: 'cases', name: 'idx_cases_title', keys: [{ column: 'title' }] } });
      await until(() => progress.some((p) => p.jobId === job.id && p.progress.phase.includes('waiting for writers before build') && p.progress.phase.includes('lockers 0 of 1')));
      await writer.query('COMMIT');
      const done = await world.settled(job.id);
      expect(done.state).toBe('succeeded');
      expect(done.log.some((l) => l.line.includes('waiting for writers before build'))).toBe(true);
    } finally {
      writer.release();
      stop();
    }
    const before = await world.api.indexes.table({ workspaceId: world.workspaceId, tenantId: tenant, table: 'cases' });
    expect(indexes.methods.table.result.safeParse(before).success).toBe(true);
    const built = before.indexes.find((i) => i.name === 'idx_cases_title');
    expect(built).toMatchObject({ valid: true, definition: 'USING btree (title)', keys: ['title'], prescribed: false, scans: 0 });

    const reader = await world.pool.connect();
    try {
      await reader.query('SET enable_seqscan = off');
      await reader.query(`SELECT id FROM ${schemaOf(tenant)}.cases WHERE title = 'no such title'`);
      await reader.query('RESET enable_seqscan');
    } finally {
      reader.release();
    }
    // Statistics reach the shared counters when the reading session goes idle (at most a second later).
    let used: (typeof before.indexes)[number] | undefined;
    await until(async () => {
      const after = await world.api.indexes.table({ workspaceId: world.workspaceId, tenantId: tenant, table: 'cases' });
      used = after.indexes.find((i) => i.name === 'idx_cases_title');
      return (used?.scans ?? 0) > 0;
    });
    // The time of the last scan is kept from PostgreSQL 16 on; before that the answer says it is
    // unknown (the table then shows the scans since the reset, never "never": see the screen's test).
    const versionNum = Number((await world.pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]?.v);
    if (versionNum >= 160000) {
      expect(used).toMatchObject({ lastScanKnown: true, lastScanAt: expect.any(String) });
    } else {
      expect(used).toMatchObject({ lastScanKnown: false, lastScanAt: null });
      expect(before.indexes.every((i) => !i.lastScanKnown && i.lastScanAt === null)).toBe(true);
    }
  });

  it('flags a duplicate and a redundant index, and a fresh stats reset calls nothing unused', async () => {
    const s = schemaOf(tenant);
    await world.pool.query(`CREATE INDEX idx_cases_status_again ON ${s}.cases (status); CREATE INDEX idx_tasks_status_case ON ${s}.tasks (status, case_id)`);
    await world.pool.query('SELECT pg_stat_reset()');
    const report = await world.api.indexes.findings({ workspaceId: world.workspaceId, unusedAfterDays: 1 });
    expect(indexes.methods.findings.result.safeParse(report).success).toBe(true);
    expect(report.unusedChecked).toBe(false);
    expect(report.statsReset.ageDays).toBeLessThan(1);
    expect(report.findings.filter((f) => f.kind === 'unused')).toEqual([]);
    const duplicate = report.findings.find((f) => f.kind === 'duplicate' && f.table === 'cases');
    expect(duplicate).toMatchObject({ index: 'idx_cases_status_again', keptIndex: 'idx_cases_status', tenantCount: 1, tenantIds: [tenant] });
    expect(duplicate?.fix).toBe(`DROP INDEX CONCURRENTLY ${s}."idx_cases_status_again"`);
    const redundant = report.findings.find((f) => f.kind === 'redundant' && f.index === 'idx_tasks_status');
    expect(redundant).toMatchObject({ keptIndex: 'idx_tasks_status_case', tenantCount: 1 });
    expect(redundant?.evidence).toContain('leading prefix');
    // The blueprint's own tenant_id index is a prefix of its composite ones, in every tenant: the
    // finding stands, marked as the blueprint's, with no DROP that drift would undo.
    expect(report.findings.find((f) => f.kind === 'redundant' && f.index === 'idx_cases_tenant_id' && f.keptIndex === 'idx_cases_assigned_to')).toMatchObject({
      tenantCount: 4,
      blueprint: true,
      fix: null,
      evidence: expect.stringContaining('drop it there first'),
    });
    expect(report.findings.filter((f) => f.blueprint && f.kind !== 'invalid').every((f) => f.fix === null)).toBe(true);
  });

  it('quotes a hostile name, never executes it, and the catalog holds exactly that name', async () => {
    const name = 'x"; DROP TABLE cases; -- ü名';
    const job = await world.api.indexes.build({ workspaceId: world.workspaceId, tenantId: tenant, definition: { table: 'cases', name, keys: [{ column: 'priority', order: 'desc' }] } });
    expect((await world.settled(job.id)).state).toBe('succeeded');
    const { rows } = await world.pool.query<{ relname: string }>(
      `SELECT i.relname FROM pg_class i JOIN pg_namespace n ON n.oid = i.relnamespace WHERE n.nspname = $1 AND i.relkind = 'i' AND i.relname = $2`,
      [`tenant_${tenant.replaceAll('-', '_')}`, name],
    );
    expect(rows).toEqual([{ relname: name }]);
    const cases = await world.pool.query(`SELECT to_regclass('${schemaOf(tenant)}.cases') IS NOT NULL AS present`);
    expect(cases.rows[0]).toEqual({ present: true });
  });

  it('refuses a definition naming a missing column with the server’s message, before any job', async () => {
    const jobsBefore = (await world.api.jobs.list({ workspaceId: world.workspaceId })).jobs.length;
    await expect(
      world.api.indexes.build({ workspaceId: world.workspaceId, tenantId: tenant, definition: { table: 'cases', name: 'idx_nope', keys: [{ column: 'no_such_column' }] } }),
    ).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('column "no_such_column" does not exist') });
    await expect(
      world.api.indexes.build({ workspaceId: world.workspaceId, tenantId: tenant, definition: { table: 'cases', name: 'idx_nope', keys: [{ column: 'status' }], where: 'status = = 1' } }),
    ).rejects.toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('syntax error') });
    expect((await world.api.jobs.list({ workspaceId: world.workspaceId })).jobs).toHaveLength(jobsBefore);
    // No job, so the policy journals the call itself: one entry per refused definition, as failed.
    const audit = await world.api.audit.query({ workspaceId: world.workspaceId, action: 'indexes.build', limit: 50 });
    expect(audit.entries.map((e) => [e.outcome, (e.details as { code?: string } | undefined)?.code])).toEqual([
      ['failed', 'invalid_argument'],
      ['failed', 'invalid_argument'],
    ]);
  });

  it('journals a build once, by its job: no entry for the call that started it', async () => {
    const job = await world.api.indexes.build({ workspaceId: world.workspaceId, tenantId: tenant, definition: { table: 'tasks', name: 'idx_tasks_audited', keys: [{ column: 'title' }] } });
    expect((await world.settled(job.id)).state).toBe('succeeded');
    const audit = await world.api.audit.query({ workspaceId: world.workspaceId, limit: 5000 });
    expect(audit.entries.filter((e) => e.target.includes(job.id)).map((e) => [e.action, e.outcome, e.tenantIds])).toEqual([['jobs.indexes.build', 'allowed', [tenant]]]);
    // Every build of this file so far was allowed, and none wrote an entry of its own for the call.
    expect(audit.entries.filter((e) => e.action === 'indexes.build' && e.outcome === 'allowed')).toEqual([]);
    expect(audit.entries.filter((e) => e.action === 'jobs.indexes.build').length).toBeGreaterThan(1);
  });

  it('a failed build leaves an invalid index that is listed, found, and dropped only with its typed name', async () => {
    // Statuses repeat, so a unique build fails after the index was already registered.
    const job = await world.api.indexes.build({ workspaceId: world.workspaceId, tenantId: tenant, definition: { table: 'cases', name: 'idx_cases_status_unique', keys: [{ column: 'status' }], unique: true } });
    const done = await world.settled(job.id);
    expect(done.state).toBe('failed');
    expect(done.failure?.code).toBe('conflict');
    const listed = await world.api.indexes.table({ workspaceId: world.workspaceId, tenantId: tenant, table: 'cases' });
    expect(listed.indexes.find((i) => i.name === 'idx_cases_status_unique')).toMatchObject({ valid: false, unique: true });
    const findings = await world.api.indexes.findings({ workspaceId: world.workspaceId, table: 'cases', unusedAfterDays: 1 });
    expect(findings.findings.find((f) => f.kind === 'invalid')).toMatchObject({ index: 'idx_cases_status_unique', tenantIds: [tenant] });

    await expect(
      world.api.indexes.drop({ workspaceId: world.workspaceId, tenantId: tenant, index: 'idx_cases_status_unique', confirmName: 'idx_cases_status' }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(world.api.indexes.drop({ workspaceId: world.workspaceId, tenantId: tenant, index: 'cases_pkey', confirmName: 'cases_pkey' })).rejects.toMatchObject({ code: 'conflict' });
    await world.api.indexes.drop({ workspaceId: world.workspaceId, tenantId: tenant, index: 'idx_cases_status_unique', confirmName: 'idx_cases_status_unique' });
    const after = await world.api.indexes.table({ workspaceId: world.workspaceId, tenantId: tenant, table: 'cases' });
    expect(after.indexes.map((i) => i.name)).not.toContain('idx_cases_status_unique');
  });

  it('a cancelled build leaves an invalid index that a rebuild repairs', async () => {
    const writer = await world.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE ${schemaOf(tenant)}.tasks SET title = title WHERE id IN (SELECT id FROM ${schemaOf(tenant)}.tasks LIMIT 1)`);
      const job = await world.api.indexes.build({ workspaceId: world.workspaceId, tenantId: tenant, definition: { table: 'tasks', name: 'idx_tasks_title', keys: [{ column: 'title' }] } });
      await until(async () => (await world.api.jobs.get({ workspaceId: world.workspaceId, jobId: job.id })).progress.phase.includes('waiting for writers'));
      await world.api.jobs.cancel({ workspaceId: world.workspaceId, jobId: job.id });
      const done = await world.settled(job.id);
      expect(done.state).toBe('cancelled');
      expect(done.log.some((l) => l.line.includes('leaves an invalid idx_tasks_title'))).toBe(true);
    } finally {
      await writer.query('COMMIT');
      writer.release();
    }
    const listed = await world.api.indexes.table({ workspaceId: world.workspaceId, tenantId: tenant, table: 'tasks' });
    expect(listed.indexes.find((i) => i.name === 'idx_tasks_title')).toMatchObject({ valid: false });
    const rebuild = await world.api.indexes.rebuild({ workspaceId: world.workspaceId, tenantId: tenant, index: 'idx_tasks_title' });
    expect((await world.settled(rebuild.id)).state).toBe('succeeded');
    const repaired = await world.api.indexes.table({ workspaceId: world.workspaceId, tenantId: tenant, table: 'tasks' });
    expect(repaired.indexes.find((i) => i.name === 'idx_tasks_title')).toMatchObject({ valid: true });
  });

  it('a build whose server connection dies shows as failed, never done, with the invalid index listed', async () => {
    const other = world.tenants[1] as string;
    await world.api.access.justify({ workspaceId: world.workspaceId, scope: 'cross-tenant', reason: 'IDX-3: index due dates in two tenants' });
    const writer = await world.pool.connect();
    try {
      await writer.query('BEGIN');
      await writer.query(`UPDATE ${schemaOf(other)}.cases SET title = title WHERE id IN (SELECT id FROM ${schemaOf(other)}.cases LIMIT 1)`);
      const job = await world.api.indexes.build({ workspaceId: world.workspaceId, tenantIds: [other, world.tenants[2] as string], definition: { table: 'cases', name: 'idx_cases_due', keys: [{ column: 'due_date' }] } });
      await until(async () => (await world.api.jobs.get({ workspaceId: world.workspaceId, jobId: job.id })).progress.phase.includes('waiting for writers'));
      // What a server restart does to the building session.
      await world.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '/* tenantscope ${job.id} */%' AND pid <> pg_backend_pid()`);
      const done = await world.settled(job.id);
      expect(done.state).toBe('failed');
      expect(done.failure).toMatchObject({ code: 'unreachable', message: expect.stringContaining('built in 0 tenant(s) before, 1 left untouched') });
    } finally {
      await writer.query('COMMIT');
      writer.release();
    }
    // The lost session marked the store down; it reconnects on its own, then the invalid index is listed.
    let listed: Awaited<ReturnType<typeof world.api.indexes.table>> | undefined;
    await until(async () => {
      listed = await world.api.indexes.table({ workspaceId: world.workspaceId, tenantId: other, table: 'cases' }).catch(() => undefined);
      return listed !== undefined;
    });
    expect(listed?.indexes.find((i) => i.name === 'idx_cases_due')).toMatchObject({ valid: false });
  });

  it('says a table held ACCESS EXCLUSIVE by another session is locked instead of listing no index', async () => {
    const migration = await world.pool.connect();
    try {
      await migration.query('BEGIN');
      await migration.query(`LOCK TABLE ${schemaOf(tenant)}.users IN ACCESS EXCLUSIVE MODE`);
      await expect(world.api.indexes.table({ workspaceId: world.workspaceId, tenantId: tenant, table: 'cases' })).rejects.toMatchObject({ code: 'locked' });
    } finally {
      await migration.query('ROLLBACK');
      migration.release();
    }
    expect((await world.api.indexes.table({ workspaceId: world.workspaceId, tenantId: tenant, table: 'cases' })).indexes.length).toBeGreaterThan(0);
  });

  it('shows the fleet: one row per logical index across tenants, streamed after each chunk', async () => {
    const batches: Array<EventPayload<'indexes.fleetRows'>> = [];
    const stop = world.api.on('indexes.fleetRows', (event) => batches.push(event));
    const view = await world.api.indexes.fleet({ workspaceId: world.workspaceId, requestId: 'fleet-1', chunkSize: 100, table: 'cases' });
    stop();
    expect(indexes.methods.fleet.result.safeParse(view).success).toBe(true);
    expect(view.tenantSchemas).toBe(4);
    const status = view.rows.find((r) => r.name === 'idx_cases_status');
    expect(status).toMatchObject({ table: 'cases', tenants: 4, prescribed: true, definition: 'USING btree (status)', variants: 1 });
    expect((status?.usedIn ?? 0) + (status?.neverUsedIn ?? 0)).toBe(4);
    expect(view.rows.find((r) => r.name === 'idx_cases_title')).toMatchObject({ tenants: 1, prescribed: false });
    expect(batches.map((b) => [b.requestId, b.schemasDone, b.schemasTotal])).toEqual([['fleet-1', 4, 4]]);
    expect(batches[0]?.rows).toEqual(view.rows);
  });
});
