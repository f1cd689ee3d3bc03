// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodArgs } from '@shared/contract';
import type { JobSummary } from '@shared/model/job';
import type { FleetPartitionRow, PremakePlan, RetentionPlan, TenantPartitions } from '@shared/model/partitions';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { gridRowKeys, installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { PartitionsScreen } from './PartitionsScreen';

const row = (tenantId: string, horizon: string, monthsShort: number, defaultRows = 0): FleetPartitionRow => ({
  tenantId, tables: 1, partitions: 2, detached: 0, horizon, monthsShort, defaultRows, expired: 0, bytes: 16_384,
});

const ACME: TenantPartitions = {
  tenantId: 'acme',
  schema: 'tenant_acme',
  now: '2026-12',
  keepAhead: 4,
  retentionMonths: 24,
  tables: [
    {
      table: 'interactions',
      key: 'timestamp',
      strategy: 'range',
      prescribed: true,
      partitions: [
        { name: 'interactions_y2024m10', month: '2024-10', bound: "FOR VALUES FROM ('2024-10-01 00:00:00+00') TO ('2024-11-01 00:00:00+00')", firstMonth: '2024-10', lastMonth: '2024-10', rows: 10, bytes: 8192, state: 'attached' },
        { name: 'interactions_y2026m12', month: '2026-12', bound: "FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00')", firstMonth: '2026-12', lastMonth: '2026-12', rows: 40, bytes: 8192, state: 'attached' },
      ],
      defaultPartition: { name: 'interactions_default', rows: 0, bytes: 0, state: 'attached' },
      horizon: '2026-12',
      missingAhead: ['2027-01', '2027-02', '2027-03', '2027-04'],
      holes: [],
      expired: ['2024-10'],
      rule: 'monthly on timestamp, 4 months ahead, kept 24 months',
    },
  ],
};

const PREMAKE: PremakePlan = {
  now: '2026-12',
  keepAhead: 4,
  months: ['2026-12', '2027-01', '2027-02', '2027-03', '2027-04'],
  tenants: [{ tenantId: 'acme', schema: 'tenant_acme', create: [{ table: 'interactions', month: '2027-01', partition: 'interactions_y2027m01', sql: 'CREATE TABLE "tenant_acme"."interactions_y2027m01" PARTITION OF "tenant_acme"."interactions" FOR VALUES FROM (…)' }], conflicts: [] }],
  tenantsReady: 0,
  partitionsToCreate: 1,
  missingTenants: [],
};

const RETENTION: RetentionPlan = {
  now: '2026-12',
  retentionMonths: 24,
  keepFrom: '2025-01',
  drop: true,
  concurrently: false,
  tenants: [{ tenantId: 'acme', schema: 'tenant_acme', partitions: [{ table: 'interactions', month: '2024-10', partition: 'interactions_y2024m10', rows: 10, bytes: 8192, statements: ['ALTER TABLE "tenant_acme"."interactions" DETACH PARTITION "tenant_acme"."interactions_y2024m10"', 'DROP TABLE "tenant_acme"."interactions_y2024m10"'] }] }],
  partitionsToRetire: 1,
  confirmText: 'drop 1 partition',
  missingTenants: [],
};

const job = (kind: string): JobSummary => ({
  id: 'job_PARTPARTPARTPARTPART',
  kind,
  workspaceId: 'murima-dev',
  store: 'postgres',
  title: 'Keep 4 months of partitions ahead in 2 tenants',
  tenantIds: ['acme', 'globex'],
  state: 'queued',
  operator: { name: 'Ada Admin' },
  role: 'platform_admin',
  params: {},
  createdAt: '2026-12-02T10:00:00.000Z',
  progress: { done: 0, total: null, phase: 'queued' },
});

let fake: FakeApi;
const argsOf = <M extends 'partitions.premake' | 'partitions.retire' | 'partitions.premakePlan'>(method: M) =>
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
  fake = createFakeApi({
    'partitions.fleet': () => ({ now: '2026-12', keepAhead: 4, tenantSchemas: 3, rows: [row('globex', '2027-01', 3), row('acme', '2026-12', 4, 12), row('initech', '2027-04', 0)] }),
    'partitions.tenant': () => ACME,
    'partitions.premakePlan': () => PREMAKE,
    'partitions.premake': () => job('partitions.premake'),
    'partitions.retentionPlan': () => RETENTION,
    'partitions.retire': () => job('partitions.retire'),
    'jobs.get': () => ({ ...job('partitions.premake'), log: [], droppedLogLines: 0 }),
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

describe('the partitions screen', { timeout: 30_000 }, () => {
  it('lists tenants by horizon and premakes the short ones after showing the statements', async () => {
    asRole('dba');
    renderWithProviders(<PartitionsScreen />);
    await waitFor(() => expect(gridRowKeys('Tenant partitions')).toEqual(['acme', 'globex', 'initech']));
    expect(screen.getByTestId('partitions-summary').textContent).toContain('2 short of 4 month(s) ahead');
    fireEvent.click(screen.getByRole('button', { name: /Premake 2 short tenant/ }));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getByTestId('plan-statements').textContent).toContain('interactions_y2027m01'));
    expect(argsOf('partitions.premakePlan')).toMatchObject([{ workspaceId: 'murima-dev', tenantIds: ['globex', 'acme'], keepAhead: 4 }]);
    expect(argsOf('partitions.premake')).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Start premake' }));
    await waitFor(() => expect(argsOf('partitions.premake')).toMatchObject([{ workspaceId: 'murima-dev', tenantIds: ['globex', 'acme'], keepAhead: 4 }]));
    await waitFor(() => expect(within(dialog).getByTestId('followed-job').getAttribute('data-state')).toBe('queued'));
  });

  it('drops expired partitions only once the count is typed', async () => {
    asRole('platform_admin');
    renderWithProviders(<PartitionsScreen tenantId="acme" />);
    const card = await screen.findByRole('region', { name: 'Partitions of interactions' });
    expect(within(card).getByText('interactions_y2024m10')).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: /Drop expired/ }));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(within(dialog).getByTestId('plan-statements').textContent).toContain('DROP TABLE'));
    const start = within(dialog).getByRole('button', { name: 'Detach and drop' });
    expect(start.hasAttribute('disabled')).toBe(true);
    fireEvent.change(within(dialog).getByLabelText(/Type “drop 1 partition” to confirm/), { target: { value: 'drop 1 partition' } });
    expect(start.hasAttribute('disabled')).toBe(false);
    fireEvent.click(start);
    await waitFor(() => expect(argsOf('partitions.retire')).toMatchObject([{ workspaceId: 'murima-dev', tenantId: 'acme', table: 'interactions', drop: true, confirm: 'drop 1 partition' }]));
  });

  it('gives support the partitions and no change control', async () => {
    asRole('support');
    renderWithProviders(<PartitionsScreen tenantId="acme" />);
    const card = await screen.findByRole('region', { name: 'Partitions of interactions' });
    expect(within(card).getByText('interactions_y2026m12')).toBeTruthy();
    await waitFor(() => expect(gridRowKeys('Tenant partitions')).toHaveLength(3));
    expect(screen.queryAllByRole('button', { name: /^(Premake|Detach expired|Drop expired|Move)/ })).toEqual([]);
  });
});
