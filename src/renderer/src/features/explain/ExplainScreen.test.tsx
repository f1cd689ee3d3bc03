// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodArgs } from '@shared/contract';
import type { ExplainedPlan } from '@shared/contract/explain';
import { normalisePlan, parsePastedPlan, planNodeRows, sortPlanNodeRows, advise, planBadges } from '@shared/explain';
import { mongoFixture, postgresFixture } from '@shared/explain/fixtures.test-support';
import { AppError } from '@shared/errors';
import type { JobSummary } from '@shared/model/job';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { gridRowKeys, installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { ExplainScreen } from './ExplainScreen';
import { explained, fleetResult, planRecord } from './plans.test-support';

const JOB = 'job_FLEETFLEETFLEETFLEET';
const STATEMENT = "select * from cases where status = 'escalated' and priority = 'urgent'";

let fake: FakeApi;
let runs: ExplainedPlan[];
let fleetState: JobSummary['state'];

function fleetJob(state: JobSummary['state']): JobSummary {
  return {
    id: JOB, kind: 'explain.fleet', workspaceId: 'murima-dev', store: 'postgres', title: 'Fleet explain', tenantIds: ['*'], state,
    operator: { name: 'Ada Admin' }, role: 'platform_admin', params: {}, createdAt: '2026-12-02T12:00:00.000Z',
    progress: { done: state === 'succeeded' ? 50 : 10, total: 50, phase: state === 'succeeded' ? 'done' : 'explaining' },
  };
}

function setRole(role: 'support' | 'dba' | 'platform_admin'): void {
  useAppStore.setState({
    access: {
      'murima-dev': {
        session: { workspaceId: 'murima-dev', operator: { name: 'Op', email: '', role }, managed: null, justifications: [], prodUnlock: null },
        loading: false,
        error: null,
      },
    },
  });
}

beforeEach(() => {
  resetAppStore();
  installLayoutShims();
  runs = [explained(postgresFixture('seqScan'), 'plan_seqscan001'), explained(postgresFixture('bitmapHeapScan'), 'plan_bitmap0001')];
  fake = createFakeApi({
    'tenants.list': () => ({ tenants: [{ id: 'acme', name: 'Acme' }], stores: [] }) as never,
    'explain.run': () => runs.shift()!,
    'explain.analyzeWrite': () => {
      throw new AppError('read_only', 'Murima prod is read-only: writes are refused until an audited unlock.');
    },
    'explain.history': ({ fingerprint }) =>
      fingerprint
        ? { plans: [planRecord('plan_older00001'), planRecord('plan_newer00001', { at: '2026-12-02T10:05:00.000Z', headline: 'Index Scan on cases', totalTimeMs: 0.2 })] }
        : { plans: [planRecord('plan_older00001'), planRecord('plan_other00001', { fingerprint: 'select 1', headline: 'Result', tenantId: 'globex' })] },
    'explain.plan': ({ planId }) => ({ ...explained(postgresFixture('seqScan'), planId), record: planRecord(planId) }),
    // The real reader, so a broken paste fails here exactly where it fails in main.
    'explain.parse': ({ text }) => {
      const plan = normalisePlan(parsePastedPlan(text));
      return { plan, tips: advise(plan, { tenantKey: 'tenant_id' }), badges: Object.fromEntries(planBadges(plan)), raw: plan.raw };
    },
    'explain.fleet': () => fleetJob('queued'),
    'explain.fleetResult': ({ jobId }) => fleetResult(jobId, { state: fleetState }),
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
  setRole('dba');
  fleetState = 'queued';
});

afterEach(() => cleanup());

const argsOf = <M extends 'explain.run' | 'explain.plan' | 'explain.fleet' | 'explain.parse'>(method: M) =>
  fake.calls.filter((c) => c.method === method).map((c) => c.args as MethodArgs<M>);
/** The options list a Mantine Select opened, by the select's label. */
async function listOf(label: string): Promise<HTMLElement> {
  const input = screen.getByRole('combobox', { name: label });
  await waitFor(() => expect(input.getAttribute('aria-controls')).toBeTruthy());
  return document.getElementById(input.getAttribute('aria-controls')!)!;
}
const treeItem = (id: string) => document.querySelector<HTMLElement>(`[role="treeitem"][data-node-id="${id}"]`);

describe('the explain screen', { timeout: 30_000 }, () => {
  it('runs the statement it was opened with and draws the plan with its badges and the sequential-scan tip', async () => {
    renderWithProviders(<ExplainScreen name="explain" tenantId="acme" statement={STATEMENT} />);
    await waitFor(() => expect(treeItem('0')).not.toBeNull());
    expect(argsOf('explain.run')).toEqual([{ workspaceId: 'murima-dev', tenantId: 'acme', engine: 'postgres', statement: STATEMENT, analyze: true }]);
    const scan = treeItem('0')!;
    expect(within(scan).getByText('Seq Scan')).toBeTruthy();
    // The whole time is in the one node, and the filter threw away nearly every row it read.
    expect(scan.querySelector('[data-badge="time"]')?.textContent).toBe('100 %');
    expect(scan.querySelector('[data-badge="filter"]')?.getAttribute('data-grade')).toBe('3');
    const tip = document.querySelector<HTMLElement>('[data-rule="pg.seq-scan"]')!;
    expect(within(tip).getByText(/Sequential scan of cases/)).toBeTruthy();
    expect(within(tip).getByText(/saves up to \d+ %/)).toBeTruthy();
    expect(within(tip).getByText(/199,714 removed by the filter/)).toBeTruthy();
    expect(tip.querySelector('[data-fix="sql"]')?.textContent).toMatch(/^CREATE INDEX CONCURRENTLY .* ON "?tenant_acme"?\."?cases"? \("?tenant_id"?, /);
    expect(within(tip).getByRole('button', { name: 'Copy the DDL' })).toBeTruthy();
    // The tip leads to its node's details.
    fireEvent.click(within(tip).getByRole('button', { name: 'Show the node' }));
    const details = await screen.findByRole('region', { name: 'Node details' });
    expect(within(details).getByText('199,714 by filter')).toBeTruthy();
    expect(treeItem('0')!.getAttribute('aria-selected')).toBe('true');
  });

  it('sorts the node table by any figure, the missing ones last', async () => {
    runs = [explained(postgresFixture('hashJoin'), 'plan_hashjoin01')];
    renderWithProviders(<ExplainScreen name="explain" tenantId="acme" statement={STATEMENT} />);
    await waitFor(() => expect(treeItem('0')).not.toBeNull());
    fireEvent.click(screen.getByRole('tab', { name: 'Table' }));
    const plan = normalisePlan(postgresFixture('hashJoin'));
    const rows = planNodeRows(plan);
    // An analysed plan opens slowest node first.
    await waitFor(() => expect(gridRowKeys('Plan nodes')).toEqual(sortPlanNodeRows(rows, 'timeSelfMs', 'desc').map((r) => r.id)));
    fireEvent.click(screen.getByRole('button', { name: 'Sort by Rows' }));
    await waitFor(() => expect(gridRowKeys('Plan nodes')).toEqual(sortPlanNodeRows(rows, 'rowsActual', 'asc').map((r) => r.id)));
    fireEvent.click(screen.getByRole('button', { name: 'Sort by Rows' }));
    const descending = sortPlanNodeRows(rows, 'rowsActual', 'desc').map((r) => r.id);
    await waitFor(() => expect(gridRowKeys('Plan nodes')).toEqual(descending));
    expect(descending[0]).not.toBe(sortPlanNodeRows(rows, 'rowsActual', 'asc').map((r) => r.id)[0]);
    // A row selects its node in the tree.
    fireEvent.click(document.querySelector<HTMLElement>(`[data-row-key="${descending[0]}"]`)!);
    await waitFor(() => expect(treeItem(descending[0]!)!.getAttribute('aria-selected')).toBe('true'));
  });

  it('shows where a pasted plan broke, with the line and a caret under the column', async () => {
    renderWithProviders(<ExplainScreen name="explain" />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Paste a plan' }));
    const broken = '[\n  { "Plan": { "Node Type": "Seq Scan",, "Relation Name": "cases" } }\n]';
    fireEvent.change(screen.getByRole('textbox', { name: /^Plan/ }), { target: { value: broken } });
    fireEvent.click(screen.getByRole('button', { name: 'Read plan' }));
    const where = await screen.findByTestId('paste-break');
    expect(where.textContent).toContain('line 2, column 39');
    const [, line, caret] = where.textContent!.split('\n');
    expect(line).toBe('  { "Plan": { "Node Type": "Seq Scan",, "Relation Name": "cases" } }');
    expect(caret!.indexOf('^')).toBe(38);
    expect(line![38]).toBe(',');
    // The same text, mended, reads.
    fireEvent.change(screen.getByRole('textbox', { name: /^Plan/ }), { target: { value: broken.replace(',,', ',') } });
    fireEvent.click(screen.getByRole('button', { name: 'Read plan' }));
    await waitFor(() => expect(treeItem('0')).not.toBeNull());
    expect(screen.queryByTestId('paste-break')).toBeNull();
  });

  it('reads a pasted MongoDB explain into the same tree, with the COLLSCAN tip and its mongosh index command', async () => {
    renderWithProviders(<ExplainScreen name="explain" />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Paste a plan' }));
    fireEvent.change(screen.getByRole('textbox', { name: /^Plan/ }), { target: { value: JSON.stringify(mongoFixture('findCollscan')) } });
    fireEvent.click(screen.getByRole('button', { name: 'Read plan' }));
    await waitFor(() => expect(document.querySelector('[role="tree"]')?.getAttribute('aria-label')).toBe('mongo plan'));
    expect(screen.getAllByRole('treeitem').some((item) => within(item).queryByText('COLLSCAN'))).toBe(true);
    const tip = document.querySelector<HTMLElement>('[data-rule="mongo.collscan"]')!;
    expect(tip.querySelector('[data-fix="mongosh"]')?.textContent).toMatch(/createIndex\(\{ *"?tenant_id"?: *1/);
    expect(within(tip).getByRole('button', { name: 'Copy the command' })).toBeTruthy();
    // A mongosh command is not something a workbench tab runs.
    expect(within(tip).queryByRole('button', { name: 'Open in workbench' })).toBeNull();
  });

  it('opens the suggested DDL in a new workbench tab for the plan’s tenant, and offers it only where PostgreSQL is configured', async () => {
    renderWithProviders(<ExplainScreen name="explain" tenantId="acme" statement={STATEMENT} />);
    await waitFor(() => expect(document.querySelector('[data-rule="pg.seq-scan"]')).not.toBeNull());
    const tip = document.querySelector<HTMLElement>('[data-rule="pg.seq-scan"]')!;
    const ddl = tip.querySelector('[data-fix="sql"]')!.textContent;
    expect(ddl).toMatch(/^CREATE INDEX/);
    fireEvent.click(within(tip).getByRole('button', { name: 'Open in workbench' }));
    expect(useAppStore.getState().screen).toEqual({ name: 'workbench', open: { engine: 'postgres', text: ddl, tenantId: 'acme' } });
    cleanup();

    // A workspace whose PostgreSQL is not configured has no workbench tab to run it in: only Copy is offered.
    const { postgres: _none, ...others } = sampleWorkspace().endpoints;
    useAppStore.setState({ workspaces: [sampleWorkspace({ endpoints: others })] });
    runs = [explained(postgresFixture('seqScan'), 'plan_seqscan002')];
    renderWithProviders(<ExplainScreen name="explain" tenantId="acme" statement={STATEMENT} />);
    await waitFor(() => expect(document.querySelector('[data-rule="pg.seq-scan"]')).not.toBeNull());
    const again = document.querySelector<HTMLElement>('[data-rule="pg.seq-scan"]')!;
    expect(within(again).getByRole('button', { name: 'Copy the DDL' })).toBeTruthy();
    expect(within(again).queryByRole('button', { name: 'Open in workbench' })).toBeNull();
  });

  it('points at the end of the last line when a pasted plan is cut off', async () => {
    renderWithProviders(<ExplainScreen name="explain" />);
    fireEvent.click(await screen.findByRole('tab', { name: 'Paste a plan' }));
    fireEvent.change(screen.getByRole('textbox', { name: /^Plan/ }), { target: { value: '[\n  { "Plan": { "Node Type": "Seq Scan",\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Read plan' }));
    const where = await screen.findByTestId('paste-break');
    const [head, line, caret] = where.textContent!.split('\n');
    expect(head).toMatch(/^line 3, column 1 \(the text ends after line 2\)$/);
    expect(line).toBe('  { "Plan": { "Node Type": "Seq Scan",');
    expect(caret!.indexOf('^')).toBe(line!.length);
    expect(screen.getByText(/ends too early/)).toBeTruthy();
  });

  it('compares the two runs side by side: the scan that changed, with its time and rows deltas', async () => {
    renderWithProviders(<ExplainScreen name="explain" tenantId="acme" statement={STATEMENT} />);
    await waitFor(() => expect(treeItem('0')).not.toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Change the query' }));
    fireEvent.click(screen.getByRole('button', { name: 'Explain' }));
    await waitFor(() => expect(within(treeItem('0')!).getByText('Bitmap Heap Scan')).toBeTruthy());
    fireEvent.click(screen.getByText('Compare'));
    const matched = await screen.findByRole('table', { name: 'Matched nodes' });
    const before = normalisePlan(postgresFixture('seqScan'));
    const after = normalisePlan(postgresFixture('bitmapHeapScan'));
    const row = matched.querySelector<HTMLElement>('[data-match="0>0"]')!;
    expect(row.textContent).toContain('Seq Scan on cases');
    expect(row.textContent).toContain('Bitmap Heap Scan on cases');
    const saved = before.root.timeSelfMs! - after.root.timeSelfMs!;
    expect(row.textContent).toContain(`−${saved.toFixed(1)} ms`);
    const fewer = before.root.rowsActual! - after.root.rowsActual!;
    expect(row.textContent).toContain(`${fewer > 0 ? '−' : '+'}${Math.abs(fewer).toLocaleString('en')}`);
    // The Bitmap Index Scan is new; both trees are drawn.
    expect(matched.querySelector('[data-only="after"]')?.textContent).toContain('Bitmap Index Scan');
    expect(screen.getByRole('region', { name: 'Plan before' }).querySelector('[data-node-id="0"]')?.textContent).toContain('Seq Scan');
    expect(screen.getByRole('region', { name: 'Plan after' }).querySelector('[data-node-id="0"]')?.textContent).toContain('Bitmap Heap Scan');
    const totals = screen.getByRole('table', { name: 'Totals compared' });
    expect(within(totals).getAllByRole('row')[1]!.textContent).toMatch(/Execution.*−/);
  });

  it('offers, on request, only the kept runs of the same query and tenant as the plan chosen first', async () => {
    renderWithProviders(<ExplainScreen name="explain" />);
    fireEvent.click(await screen.findByText('Compare'));
    fireEvent.click(screen.getByRole('combobox', { name: 'Before' }));
    fireEvent.click(await within(await listOf('Before')).findByRole('option', { name: /acme · Seq Scan on cases/, hidden: true }));
    fireEvent.click(screen.getByRole('switch', { name: 'Only runs of the same query for the same tenant' }));
    await waitFor(() =>
      expect(fake.calls.filter((c) => c.method === 'explain.history').map((c) => c.args)).toContainEqual({ workspaceId: 'murima-dev', fingerprint: 'select * from cases where status = ?', tenantId: 'acme', limit: 200 }),
    );
    fireEvent.click(screen.getByRole('combobox', { name: 'After' }));
    await waitFor(async () => expect(within(await listOf('After')).getAllByRole('option', { hidden: true }).map((o) => o.textContent)).toEqual(['10:00:00 acme · Seq Scan on cases · 49.6 ms', '10:05:00 acme · Index Scan on cases · 0.200 ms']));
  });

  it('starts a fleet explain, follows its job and shows the groups; the odd group opens its plan', async () => {
    renderWithProviders(<ExplainScreen name="explain" />);
    fireEvent.click(await screen.findByText('Fleet'));
    fireEvent.change(screen.getByLabelText('Statement (PostgreSQL)'), { target: { value: STATEMENT } });
    fireEvent.click(screen.getByRole('button', { name: 'Explain across tenants' }));
    await waitFor(() => expect(argsOf('explain.fleet')).toEqual([{ workspaceId: 'murima-dev', engine: 'postgres', statement: STATEMENT, allTenants: true, analyze: false, concurrency: 4 }]));
    fleetState = 'running';
    fake.emit('jobs.state', { job: fleetJob('running') });
    await waitFor(() => expect(screen.getByTestId('fleet-job').dataset.state).toBe('running'));
    fleetState = 'succeeded';
    fake.emit('jobs.state', { job: fleetJob('succeeded') });
    await waitFor(() => expect(screen.getByTestId('fleet-job').dataset.state).toBe('succeeded'));
    const shapes = await screen.findByRole('table', { name: 'Plan shapes' });
    expect(screen.getByTestId('fleet-summary').textContent).toBe('49 of 50 tenants explained · 2 plan shapes · 1 failed');
    const odd = shapes.querySelector<HTMLElement>('[data-differs="true"]')!;
    expect(odd.textContent).toContain('differs from most');
    expect(odd.textContent).toContain('Seq Scan on cases');
    expect(within(odd).getByTestId('group-tenants').textContent).toBe('t1, t2, t3');
    expect(shapes.querySelector('[data-differs="false"]')?.textContent).toContain('46');
    expect(within(screen.getByRole('table', { name: 'Failed tenants' })).getByText(/relation "cases" does not exist/)).toBeTruthy();
    fireEvent.click(within(odd).getByRole('button', { name: 'Open the plan of Seq Scan on cases' }));
    await waitFor(() => expect(treeItem('0')).not.toBeNull());
    expect(argsOf('explain.plan')).toEqual([{ workspaceId: 'murima-dev', planId: 'plan_outlier01' }]);
    expect(screen.getByText(/Showing: .*acme · Seq Scan on cases/)).toBeTruthy();
  });

  it('opens a kept plan by its id', async () => {
    renderWithProviders(<ExplainScreen name="explain" planId="plan_kept000001" />);
    await waitFor(() => expect(treeItem('0')).not.toBeNull());
    expect(argsOf('explain.plan')).toEqual([{ workspaceId: 'murima-dev', planId: 'plan_kept000001' }]);
  });

  it('offers support no rolled-back write; others get it, and a refusal shows the policy’s message', async () => {
    setRole('support');
    const { unmount } = renderWithProviders(<ExplainScreen name="explain" tenantId="acme" statement="delete from cases" />);
    await waitFor(() => expect(treeItem('0')).not.toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Change the query' }));
    expect(screen.queryByRole('button', { name: 'Analyse this write (rolled back)' })).toBeNull();
    unmount();
    setRole('dba');
    renderWithProviders(<ExplainScreen name="explain" tenantId="acme" statement="delete from cases" />);
    await waitFor(() => expect(treeItem('0')).not.toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Change the query' }));
    fireEvent.click(screen.getByRole('button', { name: 'Analyse this write (rolled back)' }));
    expect(await screen.findByText('Murima prod is read-only: writes are refused until an audited unlock.')).toBeTruthy();
  });
});
