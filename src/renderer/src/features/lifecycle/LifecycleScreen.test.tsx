// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodArgs } from '@shared/contract';
import type { JobSummary } from '@shared/model/job';
import type { FleetHorizon, FleetHorizonRow, Month } from '@shared/model/lifecycle';
import { addMonths, monthRange } from '@shared/model/lifecycle-months';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { LifecycleScreen } from './LifecycleScreen';

const NOW = '2027-01';

/** A fleet of `total` tenants; the first `short` are ready only through next month, the rest through the window. */
function fleetOf(args: MethodArgs<'lifecycle.fleet'>, total: number, short: number): FleetHorizon {
  const keepAhead = args.keepAhead ?? 4;
  const months = monthRange(addMonths(NOW, keepAhead + 2 - (args.months ?? 12)), args.months ?? 12);
  const rows: FleetHorizonRow[] = Array.from({ length: total }, (_, i) => {
    const horizon: Month = i < short ? addMonths(NOW, 1) : addMonths(NOW, keepAhead);
    return { tenantId: `tenant-${String(i).padStart(5, '0')}`, coverage: months.map((m) => (m <= horizon ? 1 : 0)), horizon, monthsShort: i < short ? keepAhead - 1 : 0, defaultRows: i === 0 ? 40 : 0, ilmErrors: i === 1 ? 2 : 0 };
  });
  return { months, now: NOW, keepAhead, rows, gaps: [] };
}

function job(overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    id: 'job_PREMAKEPREMAKEPREMAKE',
    kind: 'partitions.premake',
    workspaceId: 'murima-dev',
    store: 'postgres',
    title: 'Premake partitions 4 months ahead',
    tenantIds: [],
    state: 'running',
    operator: { name: 'Ada Admin' },
    role: 'dba',
    params: {},
    createdAt: '2026-12-02T10:00:00.000Z',
    progress: { done: 0, total: 3, phase: 'premaking' },
    ...overrides,
  };
}

let fake: FakeApi;
let shortNow = 3;
const callsOf = <M extends 'lifecycle.fleet' | 'partitions.premake'>(method: M) => fake.calls.filter((c) => c.method === method).map((c) => c.args as MethodArgs<M>);

function asRole(role: 'support' | 'dba'): void {
  useAppStore.setState({
    access: { 'murima-dev': { session: { workspaceId: 'murima-dev', operator: { name: 'Someone', email: '', role }, managed: null, justifications: [], prodUnlock: null }, loading: false, error: null } },
  });
}

beforeEach(() => {
  resetAppStore();
  shortNow = 3;
  fake = createFakeApi({
    'lifecycle.fleet': (args) => fleetOf(args, 10_000, shortNow),
    'partitions.premake': (args) => job({ tenantIds: args.tenantIds ?? ['*'] }),
    'jobs.get': ({ jobId }) => ({ ...job({ id: jobId }), log: [], droppedLogLines: 0 }),
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

describe('the fleet horizon screen', { timeout: 30_000 }, () => {
  it('counts the fleet, and draws only the rows in view of 10,000 tenants', async () => {
    renderWithProviders(<LifecycleScreen />);
    await waitFor(() => expect(screen.getByTestId('fleet-summary').textContent).toBe('10000 tenants · 3 short of 4 months ahead · 1 with default-partition rows · 1 with ILM errors'));
    expect(callsOf('lifecycle.fleet')).toEqual([{ workspaceId: 'murima-dev', keepAhead: 4, months: 12 }]);
    const figure = await screen.findByRole('figure', { name: 'Fleet horizon heatmap' }, { timeout: 10_000 });
    expect(figure.getAttribute('data-rows')).toBe('10000');
    expect(figure.getAttribute('data-rows-drawn')).toBe('24');
    expect(figure.getAttribute('data-tenants-drawn')?.split(' ')[0]).toBe('tenant-00000');
    // Scrolling moves the window: the chart draws the rows the offset reaches, still 24 of them.
    figure.scrollTop = 20 * 5_000;
    fireEvent.scroll(figure);
    await waitFor(() => expect(figure.getAttribute('data-first-row')).toBe('5000'));
    expect(figure.getAttribute('data-tenants-drawn')?.split(' ')).toHaveLength(24);
    expect(figure.getAttribute('data-tenants-drawn')?.split(' ')[0]).toBe('tenant-05000');
    expect(screen.getByTestId('heatmap-window').textContent).toBe('Tenants 5001–5024 of 10000; scroll for more.');
  });

  it('premakes for exactly the tenants short, follows the job, and reads the horizon again when it ends', async () => {
    asRole('dba');
    renderWithProviders(<LifecycleScreen />);
    const button = await screen.findByRole('button', { name: 'Premake for the 3 tenants short' });
    fireEvent.click(button);
    await waitFor(() => expect(callsOf('partitions.premake')).toHaveLength(1));
    expect(callsOf('partitions.premake')[0]).toMatchObject({ workspaceId: 'murima-dev', keepAhead: 4, tenantIds: ['tenant-00000', 'tenant-00001', 'tenant-00002'] });
    await waitFor(() => expect(screen.getByTestId('premake-job').getAttribute('data-state')).toBe('running'));
    shortNow = 0;
    fake.emit('jobs.state', { workspaceId: 'murima-dev', job: job({ state: 'succeeded', progress: { done: 3, total: 3, phase: 'done' } }) });
    await waitFor(() => expect(callsOf('lifecycle.fleet')).toHaveLength(2));
    await waitFor(() => expect(screen.getByTestId('fleet-summary').textContent).toContain('0 short of 4 months ahead'));
    expect(screen.getByRole('button', { name: 'No tenant is short of partitions' }).hasAttribute('disabled')).toBe(true);
  });

  it('offers support no premake', async () => {
    asRole('support');
    renderWithProviders(<LifecycleScreen />);
    await waitFor(() => expect(screen.getByTestId('fleet-summary')).toBeTruthy());
    expect(screen.queryByRole('button', { name: /Premake/ })).toBeNull();
  });

  it('asks main again with the keep-ahead target changed', async () => {
    renderWithProviders(<LifecycleScreen />);
    await waitFor(() => expect(screen.getByTestId('fleet-summary')).toBeTruthy());
    fireEvent.change(screen.getByLabelText('Keep ahead (months)'), { target: { value: '6' } });
    await waitFor(() => expect(callsOf('lifecycle.fleet').at(-1)).toEqual({ workspaceId: 'murima-dev', keepAhead: 6, months: 12 }));
    await waitFor(() => expect(screen.getByTestId('fleet-summary').textContent).toContain('short of 6 months ahead'));
  });
});
