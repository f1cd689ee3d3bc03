// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodArgs, MethodResult } from '@shared/contract';
import { setApiForTests } from '../../api';
import { resetAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { MongoBucketsTab } from './MongoBucketsTab';

const TENANT = '3f2c1a9e-7b4d-4e21-9c55-0a1b2c3d4e5f';
const bucket = (month: string, expired: boolean) => ({ collection: `tenant_${TENANT}_audit_logs_${month.replace('-', '_')}`, month, documents: null, bytes: null, expired });

const VIEW: MethodResult<'retention.mongo'> = {
  available: true,
  database: 'murima2025',
  now: '2026-12',
  withSizes: false,
  tenants: 1,
  rules: [{ family: 'audit_logs', retentionMonths: 12, source: '003 §5.2.2' }],
  buckets: [
    {
      tenantId: TENANT,
      family: 'audit_logs',
      retentionMonths: 12,
      keepFrom: '2026-01',
      buckets: [bucket('2025-10', true), bucket('2025-11', true), bucket('2026-11', false)],
      missingMonths: ['2026-12'],
      expiredCount: 2,
      source: '003 §5.2.2',
    },
  ],
  ttl: [{ tenantId: TENANT, family: 'ai_results_cache', collection: `tenant_${TENANT}_ai_results_cache`, index: 'expires_at_1', field: 'expires_at', prescribedSeconds: 0, liveSeconds: 3600, state: 'wrong_seconds', source: '003 §4.2.3' }],
};

let fake: FakeApi;
beforeEach(() => {
  resetAppStore();
  fake = createFakeApi({
    'retention.mongo': () => VIEW,
    'retention.exportDrop': (args) => ({
      id: 'job_exportdropscreen0001',
      kind: 'retention.mongo-export-drop',
      workspaceId: args.workspaceId,
      store: 'mongo',
      title: `Export then drop ${args.months.length} ${args.family} bucket(s) of tenant ${args.tenantId}`,
      tenantIds: [args.tenantId],
      state: 'queued',
      progress: { done: 0, total: null, phase: 'queued' },
      startedBy: { name: 'Ada' },
      createdAt: '2026-12-03T00:00:00.000Z',
    }) as unknown as MethodResult<'retention.exportDrop'>,
  });
  setApiForTests(fake.api);
});
afterEach(() => cleanup());

describe('the MongoDB buckets tab', { timeout: 30_000 }, () => {
  it('offers the expired buckets for export-then-drop only after the typed confirmation, with exactly those months', async () => {
    renderWithProviders(<MongoBucketsTab workspaceId="murima-dev" mayChange />);
    fireEvent.click(await screen.findByRole('button', { name: 'Export then drop 2' }));
    const input = await screen.findByLabelText('Confirmation');
    const action = () => screen.getByText('Export then drop', { selector: 'button *' }).closest('button') as HTMLButtonElement;
    expect(screen.getByText('drop 2 audit_logs')).toBeTruthy();
    fireEvent.change(input, { target: { value: 'drop 2 audit-logs' } });
    expect(action().disabled).toBe(true);
    fireEvent.change(input, { target: { value: 'drop 2 audit_logs' } });
    expect(action().disabled).toBe(false);
    fireEvent.click(action());
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'retention.exportDrop')).toBe(true));
    const args = fake.calls.find((c) => c.method === 'retention.exportDrop')?.args as MethodArgs<'retention.exportDrop'>;
    expect(args).toEqual({ workspaceId: 'murima-dev', tenantId: TENANT, family: 'audit_logs', months: ['2025-10', '2025-11'], confirm: 'drop 2 audit_logs' });
    expect(screen.getByText('2026-12 missing')).toBeTruthy();
    expect(screen.getByText('other seconds')).toBeTruthy();
  });

  it('gives support the view without the change', async () => {
    renderWithProviders(<MongoBucketsTab workspaceId="murima-dev" mayChange={false} />);
    expect(await screen.findByText('2025-10')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Export then drop/ })).toBeNull();
  });
});
