// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodArgs } from '@shared/contract';
import type { Job, JobSummary } from '@shared/model/job';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { JobsPanel } from './JobsPanel';

const ID_OLD = 'job_AAAAAAAAAAAAAAAAAAAA';
const ID_NEW = 'job_BBBBBBBBBBBBBBBBBBBB';

function summary(id: string, overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    id,
    kind: 'demo.sleep',
    workspaceId: 'murima-dev',
    store: 'postgres',
    title: `Sleep ${id.slice(-1)}`,
    tenantIds: [],
    state: 'succeeded',
    operator: { name: 'Ada Admin' },
    role: 'platform_admin',
    params: { steps: 3, secondsPerStep: 1 },
    createdAt: '2026-12-02T10:00:00.000Z',
    progress: { done: 3, total: 3, phase: 'done' },
    ...overrides,
  };
}

let fake: FakeApi;
let listed: JobSummary[];

beforeEach(() => {
  resetAppStore();
  listed = [
    summary(ID_OLD, { state: 'cancelled', failure: { code: 'cancelled', message: 'Cancelled on request.' } }),
    summary(ID_NEW, { state: 'running', createdAt: '2026-12-02T11:00:00.000Z', progress: { done: 1, total: 10, phase: 'sleeping: step 2 of 10' } }),
  ];
  fake = createFakeApi({
    'jobs.list': () => ({ jobs: listed }),
    'jobs.get': ({ jobId }): Job => ({
      ...listed.find((j) => j.id === jobId)!,
      log: [{ at: '2026-12-02T11:00:00.000Z', line: 'Queued by Ada Admin (platform_admin).' }],
      droppedLogLines: 0,
    }),
    'jobs.start': ({ workspaceId, job }) => summary('job_CCCCCCCCCCCCCCCCCCCC', { workspaceId, kind: job.kind, state: 'queued', createdAt: '2026-12-02T12:00:00.000Z' }),
    'jobs.cancel': ({ jobId }) => ({ ...listed.find((j) => j.id === jobId)!, cancelRequestedAt: '2026-12-02T11:00:05.000Z' }),
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

const row = (id: string) => document.querySelector<HTMLElement>(`[data-job-id="${id}"]`);
const argsOf = <M extends 'jobs.start' | 'jobs.cancel'>(method: M) =>
  fake.calls.filter((c) => c.method === method).map((c) => c.args as MethodArgs<M>);

describe('the jobs panel', { timeout: 30_000 }, () => {
  it('lists the persisted jobs newest first with state, progress and phase', async () => {
    renderWithProviders(<JobsPanel />);
    await waitFor(() => expect(row(ID_OLD)).not.toBeNull());
    const ids = [...document.querySelectorAll<HTMLElement>('[data-job-id]')].map((r) => r.dataset.jobId);
    expect(ids).toEqual([ID_NEW, ID_OLD]);
    expect(row(ID_NEW)!.dataset.state).toBe('running');
    expect(within(row(ID_NEW)!).getByTestId('job-phase').textContent).toBe('1 of 10 · sleeping: step 2 of 10');
    expect(within(row(ID_OLD)!).getByTestId('job-phase').textContent).toBe('Cancelled on request.');
    // Only a job that is not finished can be cancelled.
    expect(within(row(ID_OLD)!).queryByRole('button', { name: /Cancel job/ })).toBeNull();
  });

  it('follows progress, state and log events live', async () => {
    renderWithProviders(<JobsPanel />);
    await waitFor(() => expect(row(ID_NEW)).not.toBeNull());
    fireEvent.click(row(ID_NEW)!);
    const log = await screen.findByLabelText('Job log');
    await waitFor(() => expect(log.textContent).toContain('Queued by Ada Admin'));

    fake.emit('jobs.progress', { workspaceId: 'murima-dev', jobId: ID_NEW, progress: { done: 7, total: 10, phase: 'sleeping: step 8 of 10' } });
    fake.emit('jobs.log', { workspaceId: 'murima-dev', jobId: ID_NEW, entry: { at: '2026-12-02T11:00:07.000Z', line: 'Step 7 of 10 slept 1 s.' } });
    await waitFor(() => expect(within(row(ID_NEW)!).getByTestId('job-phase').textContent).toBe('7 of 10 · sleeping: step 8 of 10'));
    await waitFor(() => expect(log.textContent).toContain('Step 7 of 10 slept 1 s.'));

    // Another workspace's events change nothing here.
    fake.emit('jobs.state', { job: summary('job_DDDDDDDDDDDDDDDDDDDD', { workspaceId: 'other' }) });
    fake.emit('jobs.state', { job: summary(ID_NEW, { state: 'succeeded', createdAt: listed[1]!.createdAt, result: { steps: 10 } }) });
    await waitFor(() => expect(row(ID_NEW)!.dataset.state).toBe('succeeded'));
    expect(row('job_DDDDDDDDDDDDDDDDDDDD')).toBeNull();
    expect(screen.getByRole('region', { name: 'Job detail' }).textContent).toContain('{"steps":10}');
  });

  it('starts a demo job with the parameters typed and cancels a running one', async () => {
    renderWithProviders(<JobsPanel />);
    await waitFor(() => expect(row(ID_NEW)).not.toBeNull());
    fireEvent.change(screen.getByLabelText('Steps'), { target: { value: '4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start job' }));
    await waitFor(() => expect(argsOf('jobs.start')).toEqual([{ workspaceId: 'murima-dev', job: { kind: 'demo.sleep', params: { steps: 4, secondsPerStep: 1 } } }]));

    fireEvent.click(within(row(ID_NEW)!).getByRole('button', { name: `Cancel job ${ID_NEW}` }));
    await waitFor(() => expect(argsOf('jobs.cancel')).toEqual([{ workspaceId: 'murima-dev', jobId: ID_NEW }]));
  });

  it('shows support the jobs but no way to start or cancel one', async () => {
    useAppStore.setState({
      access: {
        'murima-dev': {
          session: { workspaceId: 'murima-dev', operator: { name: 'Sam Support', email: '', role: 'support' }, managed: null, justifications: [], prodUnlock: null },
          loading: false,
          error: null,
        },
      },
    });
    renderWithProviders(<JobsPanel />);
    await waitFor(() => expect(row(ID_NEW)).not.toBeNull());
    expect(screen.queryByRole('button', { name: 'Start job' })).toBeNull();
    expect(within(row(ID_NEW)!).queryByRole('button', { name: /Cancel job/ })).toBeNull();
  });
});
