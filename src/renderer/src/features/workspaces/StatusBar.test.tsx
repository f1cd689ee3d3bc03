// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoreStatus } from '@shared/model/workspace';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { StatusBar } from './StatusBar';

const at = '2026-11-22T08:00:00.000Z';
const statuses: StoreStatus[] = [
  { store: 'postgres', state: 'connected', serverVersion: '15.18 (Debian 15.18-0+deb12u1)', latencyMs: 3.21, checkedAt: at },
  { store: 'mongo', state: 'not_configured', checkedAt: at },
  { store: 'redis', state: 'down', reason: 'connection refused at cache.internal:6379', checkedAt: at },
  { store: 'elastic', state: 'unavailable', reason: 'no Elasticsearch server runs on this machine; set ES_URL to use one', checkedAt: at },
];

let fake: FakeApi;

beforeEach(() => {
  resetAppStore();
  fake = createFakeApi({ 'workspaces.status': () => statuses });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

function item(store: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`[data-store-status="${store}"]`);
  if (!found) throw new Error(`no status item for ${store}`);
  return found;
}

describe('the status bar', { timeout: 30_000 }, () => {
  it('shows each store of the active workspace: version and round trip, down with the reason, not configured or not available', async () => {
    renderWithProviders(<StatusBar />);
    await waitFor(() => expect(item('postgres').dataset.state).toBe('connected'));
    expect(item('postgres').textContent).toBe('PostgreSQL15.18 · 3.2 ms');
    expect(item('redis').dataset.state).toBe('down');
    expect(item('redis').textContent).toContain('down · connection refused at cache.internal:6379');
    expect(item('mongo').textContent).toContain('not configured');
    // A store the demo platform could not run here is "not available", with why in its tooltip.
    expect(item('elastic').textContent).toContain('not available');
    expect(fake.calls).toEqual([{ method: 'workspaces.status', args: { id: 'murima-dev' } }]);
  });

  it('checks again on demand and takes pushed statuses', async () => {
    renderWithProviders(<StatusBar />);
    await waitFor(() => expect(item('postgres').dataset.state).toBe('connected'));
    fireEvent.click(screen.getByLabelText('Check the stores now'));
    await waitFor(() => expect(fake.calls.length).toBe(2));

    fake.emit('stores.status', { workspaceId: 'murima-dev', statuses: [{ store: 'postgres', state: 'down', reason: 'timeout after 5 s', checkedAt: at }] });
    await waitFor(() => expect(item('postgres').dataset.state).toBe('down'));
    expect(item('postgres').textContent).toContain('down · timeout after 5 s');

    fake.emit('stores.status', { workspaceId: 'murima-dev', statuses: [{ store: 'postgres', state: 'down', reason: 'auth_failed: password authentication failed', checkedAt: at }] });
    await waitFor(() => expect(item('postgres').textContent).toBe('PostgreSQLdown · auth_failed'));
  });

  it('says so when no workspace is selected, without calling the server', () => {
    useAppStore.setState({ activeWorkspaceId: null });
    renderWithProviders(<StatusBar />);
    expect(screen.getByText('No workspace selected')).toBeTruthy();
    expect(fake.calls).toEqual([]);
  });
});
