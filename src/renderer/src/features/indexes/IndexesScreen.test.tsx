// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodArgs, MethodResult } from '@shared/contract';
import type { DriftReport, FixPlan, FleetIndex, TableIndexes } from '@shared/model/indexes';
import type { JobSummary } from '@shared/model/job';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { gridRowKeys, installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { IndexesScreen } from './IndexesScreen';
import { TableIndexesScreen } from './TableIndexesScreen';

const RESET = { at: '2026-11-01T00:00:00.000Z', ageDays: 31 };

function fleetRow(table: string, name: string, overrides: Partial<FleetIndex> = {}): FleetIndex {
  return {
    table,
    name,
    definition: `USING btree (tenant_id, ${name.split('_').at(-1) ?? 'id'})`,
    variants: 1,
    prescribed: true,
    tenants: 3,
    sizeBytes: 16_384,
    scans: 12,
    usedIn: 2,
    neverUsedIn: 1,
    invalidIn: 0,
    topTenants: [{ tenantId: 'acme', scans: 10 }],
    ...overrides,
  };
}

const DRIFT: DriftReport = {
  comparedTenants: 5,
  cleanTenants: 2,
  missingTenants: [],
  busyTenants: ['initech'],
  groups: [
    {
      key: 'index:cases:idx_cases_status_priority:missing',
      object: 'index',
      change: 'missing',
      table: 'cases',
      name: 'idx_cases_status_priority',
      title: 'missing idx_cases_status_priority',
      differences: [],
      expected: 'USING btree (tenant_id, status, priority)',
      actual: null,
      source: 'postgres.indexes',
      tenantCount: 2,
      tenantIds: ['acme', 'globex'],
    },
    {
      key: 'policy:cases:tenant_isolation:different:x',
      object: 'policy',
      change: 'different',
      table: 'cases',
      name: 'tenant_isolation',
      title: 'policy tenant_isolation on cases: USING differs',
      differences: ['using'],
      expected: 'USING (tenant_id = current_tenant())',
      actual: 'USING (true)',
      source: null,
      tenantCount: 1,
      tenantIds: ['umbrella'],
    },
  ],
};

const PLAN: FixPlan = {
  tenantCount: 2,
  statementCount: 2,
  notFixed: [],
  tenants: [
    {
      tenantId: 'acme',
      schema: 'tenant_acme',
      statements: [{ sql: 'CREATE INDEX CONCURRENTLY idx_cases_status_priority ON tenant_acme."cases" (tenant_id, status, priority)', lock: 'SHARE UPDATE EXCLUSIVE', transactional: false, group: DRIFT.groups[0]!.key }],
    },
    {
      tenantId: 'umbrella',
      schema: 'tenant_umbrella',
      statements: [{ sql: 'ALTER POLICY tenant_isolation ON tenant_umbrella."cases" USING (tenant_id = current_tenant())', lock: 'ACCESS EXCLUSIVE', transactional: true, group: DRIFT.groups[1]!.key }],
    },
  ],
};

function job(overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    id: 'job_FIXFIXFIXFIXFIXFIXFI',
    kind: 'indexes.fix-drift',
    workspaceId: 'murima-dev',
    store: 'postgres',
    title: 'Fix blueprint drift in every tenant',
    tenantIds: ['*'],
    state: 'queued',
    operator: { name: 'Ada Admin' },
    role: 'platform_admin',
    params: {},
    createdAt: '2026-12-02T10:00:00.000Z',
    progress: { done: 0, total: null, phase: 'queued' },
    ...overrides,
  };
}

const DRY_RUN_ID = 'job_DRYRUNDRYRUNDRYRUNDR';

const TABLE: TableIndexes = {
  tenantId: 'acme',
  schema: 'tenant_acme',
  table: 'cases',
  statsReset: RESET,
  indexes: [
    { name: 'cases_pkey', definition: 'USING btree (id)', method: 'btree', unique: true, primary: true, valid: true, constraint: 'cases_pkey', keys: ['id'], include: [], predicate: null, sizeBytes: 8192, scans: 40, tuplesRead: 40, tuplesFetched: 40, lastScanAt: '2026-12-02T10:15:00.000Z', lastScanKnown: true, prescribed: true },
    { name: 'idx_half_built', definition: 'USING btree (title)', method: 'btree', unique: false, primary: false, valid: false, constraint: null, keys: ['title'], include: [], predicate: null, sizeBytes: 8192, scans: 0, tuplesRead: 0, tuplesFetched: 0, lastScanAt: null, lastScanKnown: false, prescribed: false },
  ],
};

let fake: FakeApi;
/** The jobs the fake started, as `jobs.get` reads them back. */
const startedJobs = new Map<string, JobSummary>();
const remember = (started: JobSummary): JobSummary => (startedJobs.set(started.id, started), started);
let releaseFleet: (view: MethodResult<'indexes.fleet'>) => void;

const argsOf = <M extends 'indexes.fleet' | 'indexes.drift' | 'indexes.fixPlan' | 'indexes.applyFix' | 'indexes.drop' | 'indexes.rebuild' | 'indexes.build'>(method: M) =>
  fake.calls.filter((c) => c.method === method).map((c) => c.args as MethodArgs<M>);

function asRole(role: 'support' | 'dba' | 'platform_admin'): void {
  useAppStore.setState({
    access: {
      'murima-dev': {
        session: { workspaceId: 'murima-dev', operator: { name: 'Someone', email: '', role }, managed: null, justifications: [], prodUnlock: null },
        loading: false,
        error: null,
      },
    },
  });
}

beforeEach(() => {
  resetAppStore();
  installLayoutShims();
  startedJobs.clear();
  fake = createFakeApi({
    'indexes.fleet': () => new Promise((resolve) => (releaseFleet = resolve)),
    'indexes.findings': () => ({
      statsReset: RESET,
      unusedChecked: true,
      tenantSchemas: 3,
      findings: [
        { kind: 'duplicate', table: 'cases', index: 'idx_cases_dup', keptIndex: 'idx_cases_status', evidence: 'same keys (tenant_id, status) as idx_cases_status', fix: 'DROP INDEX CONCURRENTLY tenant_acme."idx_cases_dup"', blueprint: false, tenantCount: 2, tenantIds: ['acme', 'globex'] },
        { kind: 'unused', table: 'tasks', index: 'idx_tasks_old', keptIndex: null, evidence: 'no scans since 2026-11-01 in 3 tenants', fix: 'DROP INDEX CONCURRENTLY tenant_acme."idx_tasks_old"', blueprint: false, tenantCount: 3, tenantIds: ['acme', 'globex', 'initech'] },
        { kind: 'redundant', table: 'cases', index: 'idx_cases_tenant_id', keptIndex: 'idx_cases_assigned_to', evidence: 'idx_cases_tenant_id (tenant_id) is a leading prefix of idx_cases_assigned_to (tenant_id, assigned_to). The blueprint prescribes idx_cases_tenant_id; drop it there first.', fix: null, blueprint: true, tenantCount: 3, tenantIds: ['acme', 'globex', 'initech'] },
      ],
    }),
    'indexes.drift': () => DRIFT,
    'indexes.fixPlan': () => PLAN,
    'indexes.applyFix': ({ dryRun }) => remember(job({ params: { dryRun }, ...(dryRun ? { id: DRY_RUN_ID, title: 'Dry run: fix blueprint drift in every tenant' } : {}) })),
    'jobs.get': ({ jobId }) => ({ ...(startedJobs.get(jobId) ?? job({ id: jobId })), log: [], droppedLogLines: 0 }),
    'indexes.table': () => TABLE,
    'indexes.drop': ({ index }) => ({ schema: 'tenant_acme', index }),
    'indexes.rebuild': () => remember(job({ id: 'job_REBUILDREBUILDREBUI', kind: 'indexes.rebuild', title: 'Rebuild idx_half_built in tenant acme' })),
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

describe('the indexes screen', { timeout: 30_000 }, () => {
  it('shows fleet rows as each chunk streams in, ignores another call’s rows, then the stats reset beside the usage', async () => {
    renderWithProviders(<IndexesScreen />);
    await waitFor(() => expect(argsOf('indexes.fleet')).toHaveLength(1));
    const { requestId } = argsOf('indexes.fleet')[0]!;
    expect(requestId).toBeTruthy();

    fake.emit('indexes.fleetRows', { workspaceId: 'murima-dev', requestId, schemasDone: 1000, schemasTotal: 3000, rows: [fleetRow('cases', 'idx_cases_status')] });
    await waitFor(() => expect(gridRowKeys('Fleet indexes')).toEqual(['cases.idx_cases_status']));
    expect(screen.getByTestId('fleet-progress').textContent).toContain('1000 of 3000 tenant schemas');

    // Rows of another request (another window's call) do not land here.
    fake.emit('indexes.fleetRows', { workspaceId: 'murima-dev', requestId: 'someone-else', schemasDone: 5, schemasTotal: 5, rows: [fleetRow('users', 'idx_users_email')] });
    fake.emit('indexes.fleetRows', {
      workspaceId: 'murima-dev',
      requestId,
      schemasDone: 2000,
      schemasTotal: 3000,
      rows: [fleetRow('cases', 'idx_cases_status', { sizeBytes: 32_768 }), fleetRow('tasks', 'idx_tasks_due', { sizeBytes: 1024, neverUsedIn: 7 })],
    });
    await waitFor(() => expect(gridRowKeys('Fleet indexes')).toEqual(['cases.idx_cases_status', 'tasks.idx_tasks_due']));
    expect(screen.queryByTestId('stats-reset')).toBeNull();

    releaseFleet({ statsReset: RESET, tenantSchemas: 3000, rows: [fleetRow('cases', 'idx_cases_status', { sizeBytes: 32_768 }), fleetRow('tasks', 'idx_tasks_due', { sizeBytes: 1024, neverUsedIn: 7 })] });
    await waitFor(() => expect(screen.getByTestId('stats-reset').textContent).toBe('usage since 2026-11-01 (31 d)'));

    fireEvent.change(screen.getByLabelText('Filter indexes'), { target: { value: 'due' } });
    await waitFor(() => expect(gridRowKeys('Fleet indexes')).toEqual(['tasks.idx_tasks_due']));
  });

  it('groups the findings by kind, each with its evidence and fixing statement', async () => {
    renderWithProviders(<IndexesScreen tab="findings" />);
    const duplicate = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('[data-finding="duplicate"]');
      expect(found).not.toBeNull();
      return found!;
    });
    expect(duplicate.textContent).toContain('same keys (tenant_id, status) as idx_cases_status');
    expect(duplicate.textContent).toContain('DROP INDEX CONCURRENTLY tenant_acme."idx_cases_dup"');
    expect(duplicate.textContent).toContain('keep idx_cases_status');
    const kinds = [...document.querySelectorAll<HTMLElement>('[data-kind]')].map((k) => [k.dataset.kind, within(k).getAllByText(/^\d+$/)[0]?.textContent]);
    expect(kinds).toEqual([
      ['unused', '1'],
      ['duplicate', '1'],
      ['redundant', '1'],
      ['invalid', '0'],
      ['not_tenant_prefixed', '0'],
      ['missing_fk_index', '0'],
    ]);
    expect(screen.getByTestId('findings-reset').textContent).toContain('usage since 2026-11-01');
    // The blueprint's own index: the finding stands, marked, with nothing to run.
    const prescribed = document.querySelector<HTMLElement>('[data-finding="redundant"]')!;
    expect(within(prescribed).getByText('blueprint')).toBeTruthy();
    expect(within(prescribed).getByTestId('no-fix').textContent).toBe('No statement to run here: change the blueprint first.');
    expect(within(prescribed).queryByRole('button', { name: 'Copy the statement' })).toBeNull();
    expect(within(duplicate).queryByTestId('no-fix')).toBeNull();
  });

  it('groups drift by finding with its tenants, plans statements with their locks, and applies as a dry run unless asked', async () => {
    renderWithProviders(<IndexesScreen tab="drift" />);
    fireEvent.click(screen.getByRole('button', { name: 'Run drift' }));
    await screen.findByText('missing idx_cases_status_priority: 2 tenants');
    expect(argsOf('indexes.drift')).toEqual([{ workspaceId: 'murima-dev', allTenants: true }]);
    expect(screen.getByText('policy tenant_isolation on cases: USING differs: 1 tenant')).toBeTruthy();
    expect(screen.getByText(/1 busy tenant\(s\) left out/)).toBeTruthy();

    fireEvent.click(screen.getByText('policy tenant_isolation on cases: USING differs: 1 tenant'));
    const group = document.querySelector<HTMLElement>('[data-drift-group="policy:cases:tenant_isolation:different:x"]')!;
    await waitFor(() => expect(within(group).getByText('USING (true)')).toBeTruthy());
    expect(within(group).getByRole('button', { name: 'umbrella' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Plan the fix' }));
    const plan = await screen.findByRole('region', { name: 'Fix plan' });
    expect(argsOf('indexes.fixPlan')).toEqual([{ workspaceId: 'murima-dev', allTenants: true }]);
    expect(within(plan).getByTestId('plan-summary').textContent).toBe('2 statements in 2 tenants');
    const acme = plan.querySelector<HTMLElement>('[data-plan-tenant="acme"]')!;
    expect(within(acme).getByTestId('statement-lock').textContent).toBe('SHARE UPDATE EXCLUSIVE');
    expect(within(acme).getByText('cannot run in a transaction')).toBeTruthy();
    const umbrella = plan.querySelector<HTMLElement>('[data-plan-tenant="umbrella"]')!;
    expect(within(umbrella).getByTestId('statement-lock').textContent).toBe('ACCESS EXCLUSIVE');
    expect(within(umbrella).queryByText('cannot run in a transaction')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Apply (dry run)' }));
    await waitFor(() => expect(argsOf('indexes.applyFix').map((a) => a.dryRun)).toEqual([true]));
    await screen.findByText('Dry run: fix blueprint drift in every tenant');
    fake.emit('jobs.state', {
      job: job({
        id: DRY_RUN_ID,
        state: 'succeeded',
        progress: { done: 2, total: 2, phase: 'dry run: nothing changed' },
        result: { dryRun: true, compared: 5, tenants: 2, statements: 2, planned: ['acme', 'umbrella'], skipped: [] },
      }),
    });
    await waitFor(() => expect(screen.getByTestId('fix-outcome').textContent).toContain('Dry run: 2 statement(s) would run in 2 tenant(s) of 5 compared; nothing changed.'));
    fireEvent.click(screen.getByLabelText(/Apply for real/));
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(argsOf('indexes.applyFix')).toHaveLength(2));
    expect(argsOf('indexes.applyFix')[1]).toMatchObject({ workspaceId: 'murima-dev', allTenants: true, dryRun: false });
    await screen.findByText('Fix blueprint drift in every tenant');

    // The job is followed live, then its per-tenant outcome shown.
    fake.emit('jobs.state', { job: job({ state: 'running', progress: { done: 0, total: 2, phase: 'reading drift' } }) });
    fake.emit('jobs.progress', { workspaceId: 'murima-dev', jobId: job().id, progress: { done: 1, total: 2, phase: 'repairing umbrella' } });
    await waitFor(() => expect(screen.getByTestId('job-phase').textContent).toBe('1 of 2 · repairing umbrella'));
    fake.emit('jobs.state', {
      job: job({
        state: 'succeeded',
        progress: { done: 2, total: 2, phase: 'done' },
        result: { dryRun: false, compared: 5, tenants: 2, statements: 2, repaired: 1, repairedTenants: ['umbrella'], skipped: [{ tenantId: 'acme', reason: 'a table was locked for longer than 3000 ms' }], failed: [] },
      }),
    });
    const outcome = await screen.findByTestId('fix-outcome');
    expect(outcome.textContent).toContain('Repaired 1 of 2 tenant(s)');
    expect(outcome.textContent).toContain('acme: skipped — a table was locked for longer than 3000 ms');

    fireEvent.click(within(outcome).getByRole('button', { name: 'Run drift again' }));
    await waitFor(() => expect(argsOf('indexes.drift')).toHaveLength(2));
  });

  it('says on prod that applying for real needs an unlock, and still sends the fix for the refusal to ask for one', async () => {
    useAppStore.setState({ workspaces: [sampleWorkspace({ environment: 'prod' })] });
    renderWithProviders(<IndexesScreen tab="drift" />);
    fireEvent.click(screen.getByRole('button', { name: 'Run drift' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Plan the fix' }));
    await screen.findByRole('region', { name: 'Fix plan' });
    // A dry run changes nothing, so nothing is said about an unlock until the box is checked.
    expect(screen.queryByText(/needs an unlock|asks for an unlock/)).toBeNull();
    fireEvent.click(screen.getByLabelText(/Apply for real/));
    expect(screen.getByText('This workspace is prod: applying asks for an unlock first.')).toBeTruthy();
  });

  it('shows support the drift and the plan but nothing that applies it', async () => {
    asRole('support');
    renderWithProviders(<IndexesScreen tab="drift" />);
    fireEvent.click(screen.getByRole('button', { name: 'Run drift' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Plan the fix' }));
    await screen.findByRole('region', { name: 'Fix plan' });
    expect(screen.queryByRole('region', { name: 'Apply the fix' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Apply/ })).toBeNull();
  });
});

describe('a tenant’s table of indexes', { timeout: 30_000 }, () => {
  it('drops an index only once its name is typed, and offers a rebuild for an invalid one', async () => {
    renderWithProviders(<TableIndexesScreen tenantId="acme" table="cases" />);
    const half = await waitFor(() => {
      const row = document.querySelector<HTMLElement>('[data-index="idx_half_built"]');
      expect(row).not.toBeNull();
      return row!;
    });
    expect(half.dataset.valid).toBe('false');
    // An index backing a constraint is not offered for a drop.
    expect(within(document.querySelector<HTMLElement>('[data-index="cases_pkey"]')!).queryByRole('button', { name: /Drop/ })).toBeNull();

    fireEvent.click(within(half).getByRole('button', { name: 'Drop idx_half_built' }));
    const confirm = await screen.findByRole('button', { name: 'Drop index' });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Confirmation'), { target: { value: 'idx_half' } });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Confirmation'), { target: { value: 'idx_half_built' } });
    expect((confirm as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(argsOf('indexes.drop')).toEqual([{ workspaceId: 'murima-dev', tenantId: 'acme', index: 'idx_half_built', confirmName: 'idx_half_built' }]));

    fireEvent.click(within(half).getByRole('button', { name: 'Rebuild idx_half_built' }));
    await waitFor(() => expect(argsOf('indexes.rebuild')).toEqual([{ workspaceId: 'murima-dev', tenantId: 'acme', index: 'idx_half_built' }]));
    await screen.findByText('Rebuild idx_half_built in tenant acme');
  });

  it('sends a build with the keys as typed: columns quoted by the server, expressions parsed by it', async () => {
    fake = createFakeApi({ 'indexes.table': () => TABLE, 'indexes.build': () => remember(job({ kind: 'indexes.build', title: 'Build idx_x' })),
      'jobs.get': ({ jobId }) => ({ ...(startedJobs.get(jobId) ?? job({ id: jobId })), log: [], droppedLogLines: 0 }),
    });
    setApiForTests(fake.api);
    renderWithProviders(<TableIndexesScreen tenantId="acme" table="cases" />);
    await screen.findByRole('form', { name: 'Create an index' });
    fireEvent.change(screen.getByLabelText(/Index name/), { target: { value: 'idx_x' } });
    fireEvent.change(screen.getByLabelText(/Keys/), { target: { value: 'tenant_id, status desc, coalesce(title, \'\')' } });
    fireEvent.change(screen.getByLabelText(/Where/), { target: { value: 'deleted_at is null' } });
    fireEvent.click(screen.getByRole('button', { name: 'Build concurrently' }));
    await waitFor(() => expect(argsOf('indexes.build')).toHaveLength(1));
    expect(argsOf('indexes.build')[0]).toEqual({
      workspaceId: 'murima-dev',
      tenantId: 'acme',
      definition: {
        table: 'cases',
        name: 'idx_x',
        keys: [{ column: 'tenant_id' }, { column: 'status', order: 'desc' }, { expression: "coalesce(title, '')" }],
        unique: false,
        method: 'btree',
        include: [],
        where: 'deleted_at is null',
      },
    });
    await screen.findByText('Build idx_x');
    fake.emit('jobs.state', { job: job({ kind: 'indexes.build', title: 'Build idx_x', state: 'running', progress: { done: 0, total: 100, phase: 'starting' } }) });
    fake.emit('jobs.progress', { workspaceId: 'murima-dev', jobId: job().id, progress: { done: 40, total: 100, phase: 'acme: building index: scanning table, blocks 40 of 100' } });
    await waitFor(() => expect(screen.getByTestId('job-phase').textContent).toBe('40 of 100 · acme: building index: scanning table, blocks 40 of 100'));
  });

  it('shows the last scan where the server keeps it, and "unknown" with the scans since the reset where it does not', async () => {
    const noTime = { ...TABLE.indexes[0]!, name: 'idx_no_time', lastScanAt: null, lastScanKnown: true };
    fake = createFakeApi({ 'indexes.table': () => ({ ...TABLE, indexes: [...TABLE.indexes, noTime] }) });
    setApiForTests(fake.api);
    renderWithProviders(<TableIndexesScreen tenantId="acme" table="cases" />);
    const cell = async (name: string) =>
      waitFor(() => {
        const found = document.querySelector<HTMLElement>(`[data-index="${name}"] [data-last-scan-known]`);
        expect(found).not.toBeNull();
        return found!;
      });
    expect((await cell('cases_pkey')).textContent).toBe('2026-12-02 10:15 UTC');
    expect((await cell('idx_no_time')).textContent).toBe('never since 2026-11-01 (31 d)');
    const unknown = await cell('idx_half_built');
    expect(unknown.dataset.lastScanKnown).toBe('false');
    expect(unknown.textContent).toBe('unknown · 0 scans since 2026-11-01 (31 d)');
    expect(unknown.textContent).not.toContain('never');
  });

  it('shows support the inventory and nothing that changes it', async () => {
    asRole('support');
    renderWithProviders(<TableIndexesScreen tenantId="acme" table="cases" />);
    await waitFor(() => expect(document.querySelector('[data-index="idx_half_built"]')).not.toBeNull());
    expect(screen.queryByRole('button', { name: /Drop|Rebuild/ })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Create an index' })).toBeNull();
  });
});
