// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodArgs } from '@shared/contract';
import type { Lane, LaneCellState, Month, TenantTimeline } from '@shared/model/lifecycle';
import { monthRange } from '@shared/model/lifecycle-months';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { TenantLifecycleScreen } from './TenantLifecycleScreen';

const TENANT = '0b7c3a52-6a1e-4c39-9d0e-2f7f1c9b8a11';

/** A timeline like main's: `from` (default a year before 2027-01) for `months` months. */
function timelineOf(args: MethodArgs<'lifecycle.timeline'>): TenantTimeline {
  const months = monthRange((args.from ?? '2026-01') as Month, args.months ?? 19);
  const state = (m: Month): LaneCellState => (m <= '2027-02' ? 'present' : m <= '2027-05' ? 'missing' : 'none');
  const partitions: Lane = {
    store: 'postgres',
    kind: 'partition',
    name: 'interactions',
    cells: months.map((month) => ({ month, state: month === '2026-03' ? 'default_rows' : state(month), object: `interactions_y${month.replace('-', 'm')}`, ...(month === '2026-03' ? { count: 412, detail: '412 rows of 2026-03 sit in interactions_default' } : {}) })),
    horizon: '2027-02',
    rule: 'monthly, 4 ahead',
  };
  const indices: Lane = {
    store: 'elastic',
    kind: 'index',
    name: 'logs',
    cells: months.map((month) => (month <= '2027-01' ? { month, state: month === '2026-11' ? 'error' : 'present', phase: month < '2026-10' ? 'cold' : 'hot', ...(month === '2026-11' ? { detail: 'rollover: index.lifecycle.rollover_alias [logs] does not point to index' } : {}) } : { month, state: 'none' })),
    horizon: '2027-01',
    rule: 'ILM logs-policy',
  };
  return { tenantId: args.tenantId, months, now: '2027-01', lanes: [partitions, indices], gaps: [{ store: 'mongo', reason: 'MongoDB could not be downloaded: connect ECONNREFUSED 127.0.0.1:1' }] };
}

let fake: FakeApi;
const timelineCalls = () => fake.calls.filter((c) => c.method === 'lifecycle.timeline').map((c) => c.args as MethodArgs<'lifecycle.timeline'>);

beforeEach(() => {
  resetAppStore();
  fake = createFakeApi({ 'lifecycle.timeline': (args) => timelineOf(args) });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

describe('the tenant time view', { timeout: 30_000 }, () => {
  it('draws months across and stores down, each cell in its state, with the current month marked', async () => {
    renderWithProviders(<TenantLifecycleScreen tenantId={TENANT} />);
    const table = await screen.findByRole('table', { name: 'Time view' });
    expect(timelineCalls()).toEqual([{ workspaceId: 'murima-dev', tenantId: TENANT, months: 19 }]);
    const lanes = within(table).getAllByRole('row').slice(1);
    expect(lanes.map((r) => r.getAttribute('data-lane'))).toEqual(['postgres/interactions', 'elastic/logs']);
    const partitionCells = within(lanes[0]!).getAllByRole('cell');
    expect(partitionCells).toHaveLength(19);
    const stateOf = (month: string) => partitionCells.find((c) => c.getAttribute('data-month') === month)?.getAttribute('data-state');
    expect(stateOf('2026-03')).toBe('default_rows');
    expect(stateOf('2027-02')).toBe('present');
    expect(stateOf('2027-03')).toBe('missing');
    expect(stateOf('2027-07')).toBe('none');
    expect(partitionCells.filter((c) => c.hasAttribute('data-now')).map((c) => c.getAttribute('data-month'))).toEqual(['2027-01']);
    expect(within(table).getByRole('columnheader', { name: '2027-01' }).textContent).toContain('now');
    // Elastic cells carry the ILM phase's initial.
    const indexCells = within(lanes[1]!).getAllByRole('cell');
    expect(indexCells.find((c) => c.getAttribute('data-month') === '2026-05')?.textContent).toBe('C');
    expect(indexCells.find((c) => c.getAttribute('data-month') === '2026-12')?.textContent).toBe('H');
    // The lane says its rule and horizon.
    expect(within(lanes[0]!).getByTestId('lane-rule').textContent).toBe('monthly, 4 ahead · ready through 2027-02');
  });

  it('shows a line per store that could not be read, with the reason', async () => {
    renderWithProviders(<TenantLifecycleScreen tenantId={TENANT} />);
    const gaps = await screen.findByRole('region', { name: 'Stores not shown' });
    expect(gaps.querySelector('[data-gap="mongo"]')?.textContent).toBe('MongoDB not shown: MongoDB could not be downloaded: connect ECONNREFUSED 127.0.0.1:1');
  });

  it('tells a cell’s detail in its tooltip', async () => {
    renderWithProviders(<TenantLifecycleScreen tenantId={TENANT} />);
    const table = await screen.findByRole('table', { name: 'Time view' });
    const errorCell = within(table).getByRole('cell', { name: '2026-11: error · ILM hot' });
    fireEvent.mouseEnter(errorCell);
    await waitFor(() => expect(screen.getByText('rollover: index.lifecycle.rollover_alias [logs] does not point to index')).toBeTruthy());
  });

  it('moves the window half a year at a time, then back to now', async () => {
    renderWithProviders(<TenantLifecycleScreen tenantId={TENANT} />);
    await screen.findByRole('table', { name: 'Time view' });
    fireEvent.click(screen.getByRole('button', { name: /6 months earlier/ }));
    await waitFor(() => expect(timelineCalls().at(-1)).toMatchObject({ from: '2025-07' }));
    await waitFor(() => expect(screen.getByTestId('timeline-range').textContent).toContain('2025-07 – 2027-01'));
    fireEvent.click(screen.getByRole('button', { name: /6 months later/ }));
    await waitFor(() => expect(timelineCalls().at(-1)).toMatchObject({ from: '2026-01' }));
    fireEvent.click(screen.getByRole('button', { name: 'Now' }));
    await waitFor(() => expect(timelineCalls().at(-1)).toEqual({ workspaceId: 'murima-dev', tenantId: TENANT, months: 19 }));
  });

  it('says why when the view cannot be read', async () => {
    fake = createFakeApi({});
    setApiForTests(fake.api);
    renderWithProviders(<TenantLifecycleScreen tenantId={TENANT} />);
    await waitFor(() => expect(screen.getByText('The time view could not be read')).toBeTruthy());
  });
});
