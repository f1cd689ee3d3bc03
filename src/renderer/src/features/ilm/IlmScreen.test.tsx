// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodArgs } from '@shared/contract';
import type { ErrorBoard, IlmPolicies } from '@shared/model/ilm-views';
import type { JobSummary } from '@shared/model/job';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { IlmScreen } from './IlmScreen';

// Monaco needs a real browser; here the editor is a text area with the same props, the diff two blocks.
vi.mock('./PolicyEditor', () => ({
  PolicyEditor: ({ value, onChange }: { value: string; onChange(value: string): void }) => (
    <textarea aria-label="ILM policy JSON" value={value} onChange={(event) => onChange(event.currentTarget.value)} />
  ),
  PolicyDiff: ({ stored, edited }: { stored: string; edited: string }) => (
    <div data-testid="policy-diff">
      <pre>{stored}</pre>
      <pre>{edited}</pre>
    </div>
  ),
}));

const TENANT_A = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const TENANT_B = '0b6e2f10-1c2d-4e3f-8a9b-0c1d2e3f4a5b';
/**
 * The failed shrink of "Troubleshooting index lifecycle management errors"
 * (https://www.elastic.co/guide/en/elasticsearch/reference/current/index-lifecycle-error-handling.html),
 * on three tenant indices, as main groups it.
 */
const BOARD: ErrorBoard = {
  phases: ['hot', 'warm'],
  rows: [
    { tenantId: TENANT_A, counts: [0, 2], total: 2 },
    { tenantId: TENANT_B, counts: [1, 0], total: 1 },
  ],
  groups: [
    {
      reason: 'the number of target shards [n] must be less that the number of source shards [n]',
      phase: 'warm',
      action: 'shrink',
      failedStep: 'shrink',
      count: 2,
      tenants: 1,
      indices: [`tenant-${TENANT_A}-cases-2026-01`, `tenant-${TENANT_A}-cases-2026-02`],
      autoRetryable: false,
    },
    { reason: 'index [<index>] is not the write index for alias [cases]', phase: 'hot', action: 'rollover', failedStep: 'check-rollover-ready', count: 1, tenants: 1, indices: [`tenant-${TENANT_B}-cases-2026-11`], autoRetryable: true },
  ],
  total: 3,
  cost: { requests: 2, prefixes: 2, maxIndicesPerRequest: 20, maxPathLength: 400 },
  gaps: [],
};

const POLICIES: IlmPolicies = {
  policies: [
    {
      name: 'case_logs_policy',
      version: 3,
      modifiedDate: '2026-11-01T00:00:00.000Z',
      policy: { phases: { hot: { min_age: '0ms', actions: { rollover: { max_age: '30d' } } }, delete: { min_age: '365d', actions: { delete: {} } } } },
      phases: [
        { phase: 'hot', minAge: '0ms', actions: ['rollover'] },
        { phase: 'delete', minAge: '365d', actions: ['delete'] },
      ],
      managed: false,
      indices: 120,
      tenants: 40,
      prescribed: true,
      problems: [],
    },
  ],
  indicesRead: 130,
  unmanaged: 10,
  missingPolicy: [],
};

const SERVER_REASON = 'cannot retry an action for an index [tenant-x-cases-2026-02] that has not encountered an error when running a Lifecycle Policy';

function job(overrides: Partial<JobSummary>): JobSummary {
  return {
    id: 'job_RETRYRETRYRETRYRETRY',
    kind: 'ilm.retry',
    workspaceId: 'murima-dev',
    store: 'elastic',
    title: 'Retry the failed ILM steps of 2 indices',
    tenantIds: [TENANT_A],
    state: 'queued',
    operator: { name: 'Ada' },
    role: 'dba',
    params: {},
    createdAt: '2026-12-03T01:00:00.000Z',
    progress: { done: 0, total: null, phase: 'queued' },
    ...overrides,
  };
}

let fake: FakeApi;
const failedRetry = job({ state: 'failed', failure: { code: 'invalid_argument', message: SERVER_REASON } });
const failedSave = job({ id: 'job_SAVESAVESAVESAVESAVE', kind: 'ilm.put-policy', title: 'Save ILM policy case_logs_policy', state: 'failed', failure: { code: 'conflict', message: 'Policy case_logs_policy changed since it was opened (version 3 then, 4 now); reload it and apply your change again.' } });

function asRole(role: 'support' | 'dba'): void {
  useAppStore.setState({
    access: { 'murima-dev': { session: { workspaceId: 'murima-dev', operator: { name: 'Someone', email: '', role }, managed: null, justifications: [], prodUnlock: null }, loading: false, error: null } },
  });
}

beforeEach(() => {
  resetAppStore();
  installLayoutShims();
  fake = createFakeApi({
    'ilm.errorBoard': () => BOARD,
    'ilm.policies': () => POLICIES,
    'ilm.retry': () => job({}),
    'ilm.followers': ({ policy }) => ({ policy, tenants: [{ tenantId: TENANT_A, indices: 3, sample: [`tenant-${TENANT_A}-cases-2026-01`] }] }),
    'ilm.savePolicy': () => job({ id: failedSave.id, kind: 'ilm.put-policy', title: failedSave.title }),
    'jobs.get': ({ jobId }) => ({ ...(jobId === failedSave.id ? failedSave : failedRetry), log: [], droppedLogLines: 0 }),
  });
  setApiForTests(fake.api);
  useAppStore.setState({
    workspaces: [sampleWorkspace({ endpoints: { ...sampleWorkspace().endpoints, elastic: { node: 'http://es.internal:9200', tls: { enabled: false, rejectUnauthorized: true }, hasPassword: false } } as never })],
    workspacesLoaded: true,
    activeWorkspaceId: 'murima-dev',
  });
});

afterEach(() => cleanup());

describe('the ILM screen', { timeout: 30_000 }, () => {
  it('draws the error board tenant × phase with reasons grouped, and a refused retry shows the server’s reason', async () => {
    asRole('dba');
    renderWithProviders(<IlmScreen tab="errors" />);
    await waitFor(() => expect(screen.getAllByTestId('board-row')).toHaveLength(2));
    const first = screen.getAllByTestId('board-row')[0]!;
    expect(first.getAttribute('data-tenant')).toBe(TENANT_A);
    expect(within(first).getAllByRole('cell').map((c) => c.textContent)).toEqual(['3f2c1a9e…4e5f', '', '2', '2']);
    // A cell narrows the reasons to that tenant and phase; the filter clears it.
    fireEvent.click(screen.getAllByTestId('board-cell')[1]!);
    expect(screen.getAllByTestId('error-group').map((g) => within(g).getByTestId('error-reason').textContent)).toEqual([BOARD.groups[1]!.reason]);
    fireEvent.click(screen.getByTestId('board-filter'));
    const groups = screen.getAllByTestId('error-group');
    expect(groups).toHaveLength(2);
    expect(within(groups[0]!).getByTestId('error-reason').textContent).toBe(BOARD.groups[0]!.reason);
    fireEvent.click(within(groups[0]!).getByRole('button', { name: 'Show the indices' }));
    expect(within(groups[0]!).getByTestId('error-group-indices').textContent).toContain(`tenant-${TENANT_A}-cases-2026-02`);
    fireEvent.click(within(groups[0]!).getByRole('button', { name: 'Retry 2 indices' }));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'ilm.retry')).toHaveLength(1));
    expect((fake.calls.find((c) => c.method === 'ilm.retry')?.args as MethodArgs<'ilm.retry'>).indices).toEqual(BOARD.groups[0]!.indices);
    await waitFor(() => expect(screen.getByTestId('job-outcome').getAttribute('data-state')).toBe('failed'));
    expect(screen.getByTestId('job-outcome').textContent).toContain(SERVER_REASON);
    expect(screen.getByTestId('job-outcome').textContent).not.toContain('Bad Request');
  });

  it('offers support no retry', async () => {
    asRole('support');
    renderWithProviders(<IlmScreen tab="errors" />);
    await waitFor(() => expect(screen.getAllByTestId('error-group')).toHaveLength(2));
    expect(screen.queryByRole('button', { name: /Retry/ })).toBeNull();
  });

  it('marks a policy that breaks the phase rules and sends nothing, then reviews and saves a valid change as a job', async () => {
    asRole('dba');
    renderWithProviders(<IlmScreen tab="policies" />);
    await waitFor(() => expect(screen.getAllByTestId('policy-row')).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const editor = await screen.findByLabelText('ILM policy JSON');
    fireEvent.click(screen.getByRole('button', { name: 'Which?' }));
    await waitFor(() => expect(screen.getByTestId('policy-followers').textContent).toContain(`${TENANT_A} · 3 · tenant-${TENANT_A}-cases-2026-01, …`));
    const bad = { phases: { hot: { min_age: '0ms', actions: { rollover: { max_age: '30d' } } }, delete: { min_age: '365d', actions: { delete: {}, shrink: { number_of_shards: 1 } } } } };
    fireEvent.change(editor, { target: { value: JSON.stringify(bad, null, 2) } });
    await waitFor(() => expect(screen.getByTestId('policy-problems').textContent).toContain('phases.delete.actions.shrink'));
    expect((screen.getByRole('button', { name: 'Review changes' }) as HTMLButtonElement).disabled).toBe(true);
    const good = { phases: { hot: { min_age: '0ms', actions: { rollover: { max_age: '7d' } } }, delete: { min_age: '365d', actions: { delete: {} } } } };
    fireEvent.change(editor, { target: { value: JSON.stringify(good, null, 2) } });
    await waitFor(() => expect(screen.queryByTestId('policy-problems')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Review changes' }));
    expect(screen.getByTestId('policy-changes').textContent).toContain('phases.hot.actions.rollover.max_age: "30d" → "7d"');
    expect(await screen.findByTestId('policy-diff')).toBeTruthy();
    expect(fake.calls.filter((c) => c.method === 'ilm.savePolicy')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Save 1 change' }));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'ilm.savePolicy')).toHaveLength(1));
    expect(fake.calls.find((c) => c.method === 'ilm.savePolicy')?.args).toMatchObject({ name: 'case_logs_policy', expectedVersion: 3, policy: good });
    await waitFor(() => expect(screen.getByTestId('job-outcome').textContent).toContain('changed since it was opened'));
  });

  it('says cleanly when the workspace’s Elasticsearch is not available', () => {
    useAppStore.setState({ storeStatus: { 'murima-dev': { statuses: [{ store: 'elastic', state: 'unavailable', reason: 'no ES_URL was given to the demo' } as never], loading: false, error: null } } });
    renderWithProviders(<IlmScreen tab="errors" />);
    expect(screen.getByTestId('ilm-unavailable').textContent).toContain('not available: no ES_URL was given to the demo');
    expect(fake.calls).toHaveLength(0);
  });
});
