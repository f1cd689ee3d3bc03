// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MantineProvider } from '@mantine/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodArgs, MethodResult } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { HistoryEntry, RowBatch, RunSummary, SavedQuery, TenantRunStatus } from '@shared/model/workbench';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { sampleSession } from '../../test-support/access';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { theme } from '../../theme';
import { EndpointViews } from '@shared/model/workspace';
import type { Role } from '@shared/model/session';
import { forgetTabStoresForTests, tabsStorageKey, workbenchTabs, type WorkbenchTab } from './tabs-store';
import { useRuns } from './runs';
import { WorkbenchScreen } from './WorkbenchScreen';

// Monaco needs a real browser (the e2e drives it); here the editor is a text area with the same props.
vi.mock('./WorkbenchEditor', () => ({
  WorkbenchEditor: ({ tab, onChange, onRun }: { tab: { text: string; title: string }; onChange(text: string): void; onRun(): void }) => (
    <textarea
      aria-label={`Query of ${tab.title}`}
      value={tab.text}
      onChange={(event) => onChange(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.ctrlKey && event.key === 'Enter') onRun();
      }}
    />
  ),
}));

const WS = 'murima-dev';
type RunArgs = MethodArgs<'workbench.run'>;

let fake: FakeApi;
let onRun: (args: RunArgs) => Promise<RunSummary> | RunSummary;
let onFanOut: (args: MethodArgs<'workbench.fanOut'>) => Promise<RunSummary> | RunSummary;
let history: HistoryEntry[];

function summary(runId: string, overrides: Partial<RunSummary> = {}): RunSummary {
  return { runId, columns: [], rows: 0, truncated: false, rowLimit: 1_000, durationMs: 12, historyId: 'h1', ...overrides };
}

function batch(runId: string, seq: number, values: unknown[][], columns?: RowBatch['columns']): RowBatch {
  return { runId, seq, rows: values[0]?.length ?? 0, values, ...(columns && { columns }) };
}

function tenantStatus(runId: string, tenantId: string, state: TenantRunStatus['state'], rows: number, error?: TenantRunStatus['error']): TenantRunStatus {
  return { runId, tenantId, state, rows, ...(error && { error }) };
}

const argsOf = <M extends 'workbench.run' | 'workbench.fanOut' | 'workbench.export' | 'workbench.runWrite'>(method: M) =>
  fake.calls.filter((c) => c.method === method).map((c) => c.args as MethodArgs<M>);

function openTab(change: Partial<Omit<WorkbenchTab, 'id' | 'engine'>> = {}): void {
  workbenchTabs(WS)
    .getState()
    .openTab('postgres', { text: 'select id, name from cases', scope: { kind: 'tenant', tenantId: 'acme' }, ...change });
}

function signIn(role: Role): void {
  useAppStore.setState({ access: { [WS]: { session: sampleSession({ role }), loading: false, error: null } } });
}

beforeAll(() => installLayoutShims(600, 1400));

beforeEach(() => {
  localStorage.clear();
  forgetTabStoresForTests();
  useRuns.setState({ runs: {}, finished: 0 });
  resetAppStore();
  history = [];
  onRun = ({ runId }) => summary(runId);
  onFanOut = ({ runId }) => summary(runId);
  fake = createFakeApi({
    'tenants.list': () =>
      ({
        tenants: [
          { id: 'acme', name: 'Acme' },
          { id: 'globex', name: 'Globex' },
        ],
      }) as unknown as MethodResult<'tenants.list'>,
    'workbench.catalog': () => ({ entries: [{ name: 'cases', kind: 'table', fields: [{ name: 'id', type: 'int8' }] }] }),
    'workbench.run': (args) => onRun(args),
    'workbench.runWrite': (args) => onRun(args),
    'workbench.fanOut': (args) => onFanOut(args),
    'workbench.history': () => ({ entries: history }),
    'workbench.saved': () => ({ queries: [] }),
    'workbench.export': () => ({ download: { url: '/exports/once-abc', fileName: 'acme-query.csv' } }),
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: WS });
  signIn('dba');
});

afterEach(() => cleanup());

/** The theme provider alone: a re-render through it remounts the screen below. */
const withProviders = (ui: ReactElement) => (
  <MantineProvider theme={theme} defaultColorScheme="dark">
    {ui}
  </MantineProvider>
);

const cellText = (row: number, column: number) =>
  document.querySelector<HTMLElement>(`[role="grid"][aria-label="Result"] [role="gridcell"][data-row="${row}"][data-col="${column}"]`)?.textContent;

describe('the workbench', { timeout: 30_000 }, () => {
  it('runs a query for one tenant, streams its batches into the grid and says the limit stopped it', async () => {
    onRun = ({ runId, query }) => {
      fake.emit('workbench.batch', batch(runId, 0, [['1', '2'], ['first', 'second']], [{ name: 'id', type: 'int8' }, { name: 'name', type: 'text' }]));
      fake.emit('workbench.batch', batch(runId, 1, [['3'], ['third']]));
      return summary(runId, { rows: 3, truncated: true, rowLimit: query.rowLimit, durationMs: 42 });
    };
    openTab({ rowLimit: 3 });
    renderWithProviders(<WorkbenchScreen />);
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    await waitFor(() => expect(screen.getByTestId('run-truncated').textContent).toBe('stopped at the limit of 3 — more rows exist'));
    expect(screen.getByTestId('run-rows').textContent).toBe('3 rows');
    expect(cellText(2, 1)).toBe('third');
    const [args] = argsOf('workbench.run');
    expect(args).toMatchObject({ workspaceId: WS, tenantId: 'acme', query: { target: { engine: 'postgres' }, text: 'select id, name from cases', rowLimit: 3, timeoutMs: 30_000 } });
    expect(args!.runId).toMatch(/^run_/);
  });

  it('ignores batches of another run', async () => {
    onRun = ({ runId }) => {
      fake.emit('workbench.batch', batch('run_someoneelse01', 0, [['x']], [{ name: 'other', type: 'text' }]));
      fake.emit('workbench.batch', batch(runId, 0, [['mine']], [{ name: 'id', type: 'text' }]));
      return summary(runId, { rows: 1 });
    };
    openTab();
    renderWithProviders(<WorkbenchScreen />);
    fireEvent.keyDown(await screen.findByLabelText(/Query of/), { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(cellText(0, 0)).toBe('mine'));
    expect(screen.getByTestId('run-rows').textContent).toBe('1 row');
    // The key reached the editor and the window: still one run.
    expect(argsOf('workbench.run')).toHaveLength(1);
  });

  it('fans out over all tenants with a leading tenant column and a status per tenant', async () => {
    onFanOut = ({ runId }) => {
      fake.emit('workbench.tenant', tenantStatus(runId, 'acme', 'running', 0));
      fake.emit('workbench.batch', batch(runId, 0, [['acme'], ['7']], [{ name: 'tenant', type: 'text' }, { name: 'count', type: 'int8' }]));
      fake.emit('workbench.tenant', tenantStatus(runId, 'acme', 'done', 1));
      fake.emit('workbench.tenant', tenantStatus(runId, 'globex', 'failed', 0, { code: 'invalid_argument', message: 'relation "cases" does not exist' }));
      return summary(runId, { rows: 1 });
    };
    openTab({ scope: { kind: 'all' }, text: 'select count(*) from cases' });
    renderWithProviders(<WorkbenchScreen />);
    fireEvent.click(await screen.findByRole('button', { name: 'Run across tenants' }));
    const tenants = await screen.findByRole('region', { name: 'Tenants of the run' });
    await waitFor(() => expect(tenants.querySelector('[data-tenant="globex"]')?.getAttribute('data-state')).toBe('failed'));
    expect(within(tenants).getByText(/relation "cases" does not exist/)).toBeTruthy();
    expect(tenants.querySelector('[data-tenant="acme"]')?.getAttribute('data-state')).toBe('done');
    expect(cellText(0, 0)).toBe('acme');
    expect(argsOf('workbench.fanOut')[0]).toMatchObject({ workspaceId: WS, allTenants: true, concurrency: 4 });
    expect(argsOf('workbench.run')).toEqual([]);
    // Writes are never offered across tenants.
    expect(screen.queryByLabelText('Allow writes')).toBeNull();
  });

  it('shows an error with its code and where the statement went wrong', async () => {
    onRun = () => {
      // As the PostgreSQL runner gives it: the server's position, as text.
      throw new AppError('invalid_argument', 'syntax error at or near "form"', { sqlState: '42601', position: '10' });
    };
    openTab({ text: 'select * form cases' });
    renderWithProviders(<WorkbenchScreen />);
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    const error = await screen.findByTestId('run-error');
    expect(error.textContent).toContain('invalid_argument');
    expect(error.textContent).toContain('syntax error at or near "form" (at character 10)');
    expect(screen.getByTestId('run-status').dataset.state).toBe('failed');
  });

  it('cancels a running query and can run again', async () => {
    let started = 0;
    onRun = ({ runId }) => {
      started += 1;
      return started === 1 ? new Promise<RunSummary>(() => undefined) : summary(runId);
    };
    openTab();
    renderWithProviders(<WorkbenchScreen />);
    fireEvent.click(await screen.findByRole('button', { name: 'Run' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByTestId('run-status').dataset.state).toBe('cancelled'));
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(screen.getByTestId('run-status').dataset.state).toBe('succeeded'));
    const [first, second] = argsOf('workbench.run');
    expect(first!.runId).not.toBe(second!.runId);
  });

  it('runs with writes through runWrite only when allowed, and never offers writes to support', async () => {
    onRun = ({ runId }) => summary(runId, { notice: 'UPDATE 3' });
    openTab({ text: 'update cases set status = $$closed$$' });
    renderWithProviders(<WorkbenchScreen />);
    fireEvent.click(await screen.findByLabelText('Allow writes'));
    fireEvent.click(screen.getByRole('button', { name: 'Run with writes' }));
    await waitFor(() => expect(screen.getByTestId('run-notice').textContent).toBe('UPDATE 3'));
    // No columns, no grid: the notice is the result.
    expect(screen.queryByRole('grid', { name: 'Result' })).toBeNull();
    expect(argsOf('workbench.runWrite')).toHaveLength(1);
    expect(argsOf('workbench.run')).toHaveLength(0);
    expect(screen.getByText('All tenants')).toBeTruthy();
    cleanup();

    signIn('support');
    // A tab left on all tenants by another role comes back to one tenant for support.
    workbenchTabs(WS).getState().openTab('postgres', { scope: { kind: 'all' } });
    renderWithProviders(<WorkbenchScreen />);
    await screen.findByRole('button', { name: 'Run' });
    await waitFor(() => expect(workbenchTabs(WS).getState().tabs.at(-1)!.scope).toEqual({ kind: 'tenant', tenantId: null }));
    expect(screen.queryByLabelText('Allow writes')).toBeNull();
    expect(screen.queryByText('All tenants')).toBeNull();
  });

  it('opens a tab another screen asks for, once, beside the tabs already there, and runs it with writes when allowed', async () => {
    const ddl = 'CREATE INDEX CONCURRENTLY cases_tenant_id_title_idx ON tenant_acme.cases (tenant_id, title)';
    onRun = ({ runId }) => summary(runId, { notice: 'CREATE INDEX' });
    openTab();
    const open = { engine: 'postgres' as const, text: ddl, tenantId: 'globex' };
    const view = renderWithProviders(<WorkbenchScreen open={open} />);
    await waitFor(() => expect(workbenchTabs(WS).getState().tabs).toHaveLength(2));
    const [kept, opened] = workbenchTabs(WS).getState().tabs;
    expect(kept!.text).toBe('select id, name from cases');
    expect(opened).toMatchObject({ engine: 'postgres', text: ddl, scope: { kind: 'tenant', tenantId: 'globex' } });
    // The new tab is the one shown, with its tenant chosen.
    expect(workbenchTabs(WS).getState().activeTabId).toBe(opened!.id);
    expect((await screen.findByLabelText<HTMLTextAreaElement>(`Query of ${opened!.title}`)).value).toBe(ddl);
    // The same request rendered again (remounted, as the wrapper differs) opens nothing more; nor does another workspace shown on the same screen.
    view.rerender(withProviders(<WorkbenchScreen open={open} />));
    await screen.findByRole('button', { name: 'Run' });
    expect(workbenchTabs(WS).getState().tabs).toHaveLength(2);
    useAppStore.setState({ workspaces: [sampleWorkspace(), sampleWorkspace({ id: 'murima-test', name: 'Murima test' })], activeWorkspaceId: 'murima-test' });
    // The other workspace opens on its usual first tab, without the DDL.
    await waitFor(() => expect(workbenchTabs('murima-test').getState().tabs).toHaveLength(1));
    expect(workbenchTabs('murima-test').getState().tabs[0]!.text).not.toBe(ddl);
    useAppStore.setState({ activeWorkspaceId: WS });
    await waitFor(() => expect(screen.getByLabelText<HTMLTextAreaElement>(`Query of ${opened!.title}`).value).toBe(ddl));
    expect(workbenchTabs(WS).getState().tabs).toHaveLength(2);
    fireEvent.click(screen.getByLabelText('Allow writes'));
    fireEvent.click(screen.getByRole('button', { name: 'Run with writes' }));
    await waitFor(() => expect(screen.getByTestId('run-notice').textContent).toBe('CREATE INDEX'));
    expect(argsOf('workbench.runWrite')).toMatchObject([{ workspaceId: WS, tenantId: 'globex', query: { target: { engine: 'postgres' }, text: ddl } }]);
  });

  it('opens only the requested tab in a workspace without tabs, and ignores a request for an engine the workspace lacks', async () => {
    const view = renderWithProviders(<WorkbenchScreen open={{ engine: 'postgres', text: 'CREATE INDEX ON cases (title)' }} />);
    await waitFor(() => expect(workbenchTabs(WS).getState().tabs).toHaveLength(1));
    expect(workbenchTabs(WS).getState().tabs[0]).toMatchObject({ text: 'CREATE INDEX ON cases (title)', scope: { kind: 'tenant', tenantId: null } });
    view.unmount();
    useAppStore.setState({ workspaces: [sampleWorkspace({ endpoints: { postgres: sampleWorkspace().endpoints.postgres } })] });
    renderWithProviders(<WorkbenchScreen open={{ engine: 'redis', text: 'FLUSHALL' }} />);
    await screen.findByRole('button', { name: 'Run' });
    expect(workbenchTabs(WS).getState().tabs.map((t) => t.text)).toEqual(['CREATE INDEX ON cases (title)']);
  });

  it('keeps tabs, their text, engine, target and scope across a reload', async () => {
    renderWithProviders(<WorkbenchScreen />);
    // A workspace opens on a tab of its first engine.
    const editor = await screen.findByLabelText('Query of PostgreSQL 1');
    fireEvent.change(editor, { target: { value: 'select 42' } });
    workbenchTabs(WS).getState().openTab('redis', { text: 'GET tenant:acme:plan', scope: { kind: 'tenant', tenantId: 'acme' } });
    const kept = JSON.parse(localStorage.getItem(tabsStorageKey(WS))!) as { state: { tabs: { engine: string; text: string }[] } };
    expect(kept.state.tabs.map((t) => [t.engine, t.text])).toEqual([
      ['postgres', 'select 42'],
      ['redis', 'GET tenant:acme:plan'],
    ]);
    cleanup();

    forgetTabStoresForTests();
    renderWithProviders(<WorkbenchScreen />);
    expect(((await screen.findByLabelText('Query of Redis 1')) as HTMLTextAreaElement).value).toBe('GET tenant:acme:plan');
    fireEvent.click(screen.getByRole('tab', { name: /PostgreSQL 1/ }));
    expect(((await screen.findByLabelText('Query of PostgreSQL 1')) as HTMLTextAreaElement).value).toBe('select 42');
    // Another workspace has tabs of its own.
    expect(localStorage.getItem(tabsStorageKey('murima-prod'))).toBeNull();
  });

  it('opens a past query from the history in a new tab and runs it again', async () => {
    history = [
      {
        id: 'h-1',
        workspaceId: WS,
        at: '2026-12-02T10:00:00.000Z',
        operator: 'Dana DBA',
        target: { engine: 'postgres' },
        text: 'select count(*) from invoices',
        scope: { kind: 'tenant', tenantId: 'globex' },
        write: false,
        durationMs: 8,
        rows: 1,
        truncated: false,
        outcome: 'succeeded',
      },
    ];
    renderWithProviders(<WorkbenchScreen />);
    const panel = await screen.findByRole('region', { name: 'History and saved queries' });
    fireEvent.click(await within(panel).findByRole('button', { name: 'Run PostgreSQL · tenant Globex again' }));
    await waitFor(() => expect(argsOf('workbench.run')).toHaveLength(1));
    expect(argsOf('workbench.run')[0]).toMatchObject({ tenantId: 'globex', query: { text: 'select count(*) from invoices' } });
    expect(((await screen.findByLabelText('Query of PostgreSQL 2')) as HTMLTextAreaElement).value).toBe('select count(*) from invoices');
  });

  it('exports through the main process and follows the download address it answers', async () => {
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(`${this.download} ${this.getAttribute('href')}`);
    });
    openTab();
    renderWithProviders(<WorkbenchScreen />);
    fireEvent.click(await screen.findByRole('button', { name: 'Export' }));
    fireEvent.click(await screen.findByRole('menuitem', { name: 'CSV' }));
    await waitFor(() => expect(clicks).toEqual(['acme-query.csv /exports/once-abc']));
    expect(argsOf('workbench.export')[0]).toMatchObject({ tenantId: 'acme', format: 'csv', destination: { kind: 'download' } });
    click.mockRestore();
  });

  it('runs a MongoDB tab on the collection picked from the catalog, as find or aggregate, and an Elasticsearch tab on its index', async () => {
    useAppStore.setState({
      workspaces: [
        sampleWorkspace({
          endpoints: {
            mongo: EndpointViews.mongo.parse({ hosts: 'mongo.internal:27017', hasPassword: false }),
            elastic: EndpointViews.elastic.parse({ node: 'http://search.internal:9200', hasPassword: false }),
          },
        }),
      ],
    });
    fake = createFakeApi({
      'tenants.list': () => ({ tenants: [{ id: 'acme', name: 'Acme' }] }) as unknown as MethodResult<'tenants.list'>,
      'workbench.catalog': ({ engine }) => ({
        entries:
          engine === 'mongo'
            ? [
                { name: 'cases', kind: 'collection', fields: [{ name: 'status', type: 'string' }], sampled: 50 },
                { name: 'notes', kind: 'collection', fields: [] },
              ]
            : [{ name: 'tenant-logs', kind: 'index', fields: [{ name: 'message', type: 'text' }] }],
      }),
      'workbench.run': ({ runId }) => summary(runId),
      'workbench.history': () => ({ entries: [] }),
    });
    setApiForTests(fake.api);
    workbenchTabs(WS).getState().openTab('mongo', { text: '{ "status": "open" }', scope: { kind: 'tenant', tenantId: 'acme' } });
    renderWithProviders(<WorkbenchScreen />);

    // No PostgreSQL or Redis in this workspace: a new tab offers only the engines it has.
    fireEvent.click(await screen.findByRole('button', { name: 'New tab' }));
    expect((await screen.findAllByRole('menuitem')).map((item) => item.textContent)).toEqual(['MongoDB', 'Elasticsearch']);
    fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Escape' });

    expect((screen.getByRole('button', { name: 'Run' }) as HTMLButtonElement).disabled).toBe(true);
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Collection' }).getAttribute('placeholder')).toBe('Collection'));
    fireEvent.click(screen.getByRole('combobox', { name: 'Collection' }));
    fireEvent.click(await screen.findByText('cases'));
    fireEvent.click(screen.getByText('aggregate'));
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(argsOf('workbench.run')).toHaveLength(1));
    expect(argsOf('workbench.run')[0]!.query.target).toEqual({ engine: 'mongo', collection: 'cases', operation: 'aggregate' });
    // The chosen collection's sampled fields were asked for, for completion.
    expect(fake.calls.some((c) => c.method === 'workbench.catalog' && (c.args as { collection?: string }).collection === 'cases')).toBe(true);

    workbenchTabs(WS).getState().openTab('elastic', { scope: { kind: 'tenant', tenantId: 'acme' } });
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Index' }).getAttribute('placeholder')).toBe('Index or pattern'));
    fireEvent.click(screen.getByRole('combobox', { name: 'Index' }));
    fireEvent.click(await screen.findByText('tenant-logs'));
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(argsOf('workbench.run')).toHaveLength(2));
    expect(argsOf('workbench.run')[1]!.query.target).toEqual({ engine: 'elastic', index: 'tenant-logs' });
  });

  it('saves a tab’s query with a name and description, lists it, and deletes it', async () => {
    let saved: SavedQuery[] = [];
    fake = createFakeApi({
      'tenants.list': () => ({ tenants: [] }) as unknown as MethodResult<'tenants.list'>,
      'workbench.catalog': () => ({ entries: [] }),
      'workbench.history': () => ({ entries: [] }),
      'workbench.saved': () => ({ queries: saved }),
      'workbench.saveQuery': ({ workspaceId, name, description, target, text }) => {
        const query: SavedQuery = { id: 'sq_0123456789', workspaceId, name, target, text, savedAt: '2026-12-02T12:00:00.000Z', savedBy: 'Dana', ...(description && { description }) };
        saved = [query];
        return query;
      },
      'workbench.deleteSaved': () => {
        saved = [];
        return { deleted: true };
      },
    });
    setApiForTests(fake.api);
    openTab({ text: 'select id from cases where status = $$open$$' });
    renderWithProviders(<WorkbenchScreen />);
    fireEvent.click(await screen.findByRole('button', { name: 'Save query' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save query' });
    fireEvent.change(within(dialog).getByLabelText(/Name/), { target: { value: 'Open cases' } });
    fireEvent.change(within(dialog).getByLabelText('Description'), { target: { value: 'What support asks for first' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'workbench.saveQuery')).toBe(true));
    expect(fake.calls.find((c) => c.method === 'workbench.saveQuery')!.args).toEqual({
      workspaceId: WS,
      name: 'Open cases',
      description: 'What support asks for first',
      target: { engine: 'postgres' },
      text: 'select id from cases where status = $$open$$',
    });

    fireEvent.click(screen.getByRole('tab', { name: 'Saved' }));
    const panel = screen.getByRole('region', { name: 'History and saved queries' });
    expect(await within(panel).findByText('Open cases')).toBeTruthy();
    fireEvent.click(within(panel).getByRole('button', { name: 'Delete Open cases' }));
    await waitFor(() => expect(within(panel).queryByText('Open cases')).toBeNull());
    expect(fake.calls.find((c) => c.method === 'workbench.deleteSaved')!.args).toEqual({ workspaceId: WS, id: 'sq_0123456789' });
  });

  it('opens the explain screen with the tab’s statement and tenant', async () => {
    openTab({ text: 'select * from cases where status = $$open$$' });
    renderWithProviders(<WorkbenchScreen />);
    fireEvent.click(await screen.findByRole('button', { name: 'Explain' }));
    expect(useAppStore.getState().screen).toEqual({
      name: 'explain',
      workspaceId: WS,
      tenantId: 'acme',
      engine: 'postgres',
      statement: 'select * from cases where status = $$open$$',
    });
  });
});
