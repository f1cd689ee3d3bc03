// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TenantList } from '@shared/model/tenant';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { gridRowKeys, installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { mergedList, postgresRows, redisRows } from './test-data';
import { TenantBrowser } from './TenantBrowser';

let fake: FakeApi;
/** Lets a test decide when the listing ends, after the events it sends itself. */
let finish: (list: TenantList) => void;
let requestId: string | undefined;

beforeAll(() => installLayoutShims());

beforeEach(() => {
  resetAppStore();
  fake = createFakeApi({
    'tenants.list': (args) => {
      requestId = args.requestId;
      return new Promise<TenantList>((resolve) => {
        finish = resolve;
      });
    },
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

const rows = () => gridRowKeys('Tenants');
const column = (store: string) => document.querySelector<HTMLElement>(`[data-store-column="${store}"]`);
const answer = (store: string) => document.querySelector<HTMLElement>(`[data-store-answer="${store}"]`);

async function sendFootprints(store: 'postgres' | 'redis', list: typeof postgresRows, state: 'ok' | 'down' = 'ok', reason?: string) {
  await act(async () => {
    fake.emit('tenants.footprints', { workspaceId: 'murima-dev', requestId, store, answer: { store, state, elapsedMs: 20, ...(reason && { reason }) }, rows: list });
    await Promise.resolve();
  });
}

describe('the tenant browser', { timeout: 30_000 }, () => {
  it('fills in store by store, then takes the merged list with its inconsistencies', async () => {
    renderWithProviders(<TenantBrowser />);
    await waitFor(() => expect(requestId).toBeDefined());
    expect(column('postgres')?.dataset.state).toBe('loading');
    expect(column('redis')?.dataset.state).toBe('loading');
    // Not configured stores have no column at all.
    expect(column('mongo')).toBeNull();

    await sendFootprints('postgres', postgresRows);
    await waitFor(() => expect(rows()).toEqual(['t1', 't2', 't3']));
    expect(column('postgres')?.dataset.state).toBe('ok');
    expect(column('redis')?.dataset.state).toBe('loading');
    expect(screen.getByText('1 200 rows · 2.0 MB')).toBeTruthy();

    await sendFootprints('redis', redisRows);
    await waitFor(() => expect(rows()).toEqual(['t1', 't2', 't3', 'ghost']));
    expect(screen.getByText('42 keys · 4.0 kB')).toBeTruthy();
    expect(document.querySelectorAll('[data-inconsistency]')).toHaveLength(0);

    await act(async () => finish(mergedList));
    await waitFor(() => expect(document.querySelectorAll('[data-inconsistency]')).toHaveLength(2));
    const t3 = document.querySelector('[data-row-key="t3"] [data-inconsistency]');
    expect(t3?.getAttribute('data-inconsistency')).toBe('tenant_without_schema');
    expect(document.querySelector('[data-row-key="ghost"] [data-inconsistency]')?.getAttribute('data-inconsistency')).toBe('keys_of_unknown_tenant');
    expect(fake.calls.map((c) => c.method)).toEqual(['tenants.list']);
  });

  it('searches, filters and sorts the list', async () => {
    renderWithProviders(<TenantBrowser />);
    await waitFor(() => expect(requestId).toBeDefined());
    await act(async () => finish(mergedList));
    await waitFor(() => expect(rows()).toEqual(['t1', 't2', 't3', 'ghost']));

    fireEvent.change(screen.getByLabelText('Search tenants'), { target: { value: 'health' } });
    await waitFor(() => expect(rows()).toEqual(['t2']));
    fireEvent.change(screen.getByLabelText('Search tenants'), { target: { value: '' } });

    act(() => useAppStore.getState().setTenantFilter({ inconsistentOnly: true }));
    await waitFor(() => expect(rows()).toEqual(['t3', 'ghost']));
    act(() => useAppStore.getState().setTenantFilter({ inconsistentOnly: false, presentIn: 'redis' }));
    await waitFor(() => expect(rows()).toEqual(['t1', 'ghost']));
    act(() => useAppStore.getState().setTenantFilter({ presentIn: null, status: 'active' }));
    await waitFor(() => expect(rows()).toEqual(['t1', 't3']));
    act(() => useAppStore.getState().setTenantFilter({ status: null }));

    // PostgreSQL sorts by size: largest last ascending, tenants it does not hold after the rest.
    fireEvent.click(screen.getByLabelText('Sort by PostgreSQL'));
    await waitFor(() => expect(rows()).toEqual(['t3', 't1', 't2', 'ghost']));
    fireEvent.click(screen.getByLabelText('Sort by PostgreSQL'));
    await waitFor(() => expect(rows()).toEqual(['t2', 't1', 't3', 'ghost']));
    fireEvent.click(screen.getByLabelText('Sort by Tenant'));
    await waitFor(() => expect(rows()).toEqual(['t1', 't2', 't3', 'ghost']));
    expect(screen.getByLabelText('Tenant').getAttribute('aria-sort')).toBe('ascending');

    // A row opens its tenant by click or by Enter.
    fireEvent.keyDown(document.querySelector('[data-row-key="t2"]')!, { key: 'Enter' });
    expect(useAppStore.getState().screen).toEqual({ name: 'tenant', tenantId: 't2' });
  });

  it('shows a store that is down with its reason, and keeps the others', async () => {
    renderWithProviders(<TenantBrowser />);
    await waitFor(() => expect(requestId).toBeDefined());
    await sendFootprints('redis', [], 'down', 'connect ECONNREFUSED 10.0.0.5:6379');
    await waitFor(() => expect(column('redis')?.dataset.state).toBe('down'));
    expect(answer('redis')?.textContent).toContain('down · 20 ms · connect ECONNREFUSED 10.0.0.5:6379');
    await sendFootprints('postgres', postgresRows);
    await waitFor(() => expect(rows()).toEqual(['t1', 't2', 't3']));
    // Redis cells say the figure is unknown rather than zero.
    expect(document.querySelector('[data-row-key="t1"]')?.textContent).toContain('unknown');
  });

  it('keeps only the rows in view in the page with 10,000 tenants, and filters all of them', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      ...postgresRows[0]!,
      id: `t${String(i).padStart(5, '0')}`,
      name: i % 1000 === 7 ? `Needle ${i}` : `Tenant ${i}`,
    }));
    renderWithProviders(<TenantBrowser />);
    await waitFor(() => expect(requestId).toBeDefined());
    await sendFootprints('postgres', many);
    await waitFor(() => expect(screen.getByRole('grid', { name: 'Tenants' }).getAttribute('aria-rowcount')).toBe('10001'));
    const shown = rows();
    expect(shown[0]).toBe('t00000');
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(60);
    fireEvent.change(screen.getByLabelText('Search tenants'), { target: { value: 'needle' } });
    await waitFor(() => expect(rows()).toEqual(Array.from({ length: 10 }, (_, k) => `t${String(k * 1000 + 7).padStart(5, '0')}`)));
  });
});
