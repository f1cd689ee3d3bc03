// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TenantList } from '@shared/model/tenant';
import type { StoreKind, StoreStatus } from '@shared/model/workspace';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { TenantBrowser } from '../tenants';
import { StatusBar } from './StatusBar';
import { WorkspaceOverview } from './WorkspaceOverview';

const at = '2026-12-02T08:00:00.000Z';
const MONGO_REASON = 'mongod could not be downloaded from https://fastdl.mongodb.org/x.tgz (getaddrinfo ENOTFOUND fastdl.mongodb.org); set MONGO_URL to use a MongoDB server of your own';
/** The demo as main describes it: PostgreSQL up, Redis down, MongoDB wanted but not available, no Elasticsearch at all. */
const demoStatuses: StoreStatus[] = [
  { store: 'postgres', state: 'connected', serverVersion: '15.18', latencyMs: 1.2, checkedAt: at },
  { store: 'mongo', state: 'unavailable', reason: MONGO_REASON, checkedAt: at },
  { store: 'redis', state: 'down', reason: 'unreachable: connection refused', checkedAt: at },
  { store: 'elastic', state: 'not_configured', checkedAt: at },
];
/** The words every place must use for each store, given the statuses above. */
const EXPECTED: Record<StoreKind, string> = { postgres: 'connected', mongo: 'not available', redis: 'down', elastic: 'not configured' };

let fake: FakeApi;
let statuses: StoreStatus[];

beforeAll(() => installLayoutShims());

beforeEach(() => {
  resetAppStore();
  statuses = demoStatuses;
  fake = createFakeApi({
    'workspaces.status': () => statuses,
    // The listing never ends here: the header shows what it knows before any store answered.
    'tenants.list': () => new Promise<TenantList>(() => undefined),
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

const one = (selector: string): HTMLElement => {
  const found = document.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
};
const barText = (store: StoreKind) => one(`[data-store-status="${store}"]`).textContent ?? '';
const cardText = (store: StoreKind) => one(`[data-store="${store}"]`).textContent ?? '';
const headerText = (store: StoreKind) => one(`[data-store-answer="${store}"]`).textContent ?? '';

describe('one truth for a store’s state: Overview, status bar and tenant list header', { timeout: 30_000 }, () => {
  it('say the same words for every store, from the one status main sent', async () => {
    renderWithProviders(
      <>
        <WorkspaceOverview />
        <TenantBrowser />
        <StatusBar />
      </>,
    );
    await waitFor(() => expect(one('[data-store-status="mongo"]').dataset.state).toBe('unavailable'));
    for (const { store, state } of demoStatuses) {
      expect(one(`[data-store-status="${store}"]`).dataset.state, `status bar, ${store}`).toBe(state);
      expect(one(`[data-store="${store}"]`).dataset.state, `Overview, ${store}`).toBe(state);
      expect(cardText(store), `Overview, ${store}`).toContain(EXPECTED[store]);
      // A connected store shows its version and round trip in the bar instead of the word.
      if (state !== 'connected') expect(barText(store), `status bar, ${store}`).toContain(EXPECTED[store]);
    }
    // The Overview never calls a wanted store "not used" or "not configured" while main says it is not available.
    expect(cardText('mongo')).not.toMatch(/does not use|not configured/);
    expect(cardText('mongo')).toContain(MONGO_REASON);
    expect(barText('mongo')).not.toContain('not configured');
    // The tenant list does not ask the stores with no endpoint; its header says what the status says.
    expect(headerText('mongo')).toContain(`not available · ${MONGO_REASON}`);
    expect(headerText('elastic')).toContain('not configured');
    expect(headerText('elastic')).not.toContain('not available');
  });

  it('follow main together when it pushes a new status', async () => {
    renderWithProviders(
      <>
        <WorkspaceOverview />
        <TenantBrowser />
        <StatusBar />
      </>,
    );
    await waitFor(() => expect(one('[data-store-status="mongo"]').dataset.state).toBe('unavailable'));
    // The demo's MongoDB gave up differently: every place changes at once, to the same words.
    const later = 'mongod did not start within 60 s (the first start downloads it); set MONGO_URL to use a MongoDB server of your own';
    fake.emit('stores.status', { workspaceId: 'murima-dev', statuses: demoStatuses.map((s) => (s.store === 'mongo' ? { ...s, reason: later } : s)) });
    await waitFor(() => expect(cardText('mongo')).toContain(later));
    expect(headerText('mongo')).toContain(later);
    expect(barText('mongo')).toContain('not available');
  });

  it('"Check stores" keeps its label readable while checking: the spinner replaces the icon, not the text', async () => {
    let release: (value: StoreStatus[]) => void = () => undefined;
    renderWithProviders(<WorkspaceOverview />);
    useAppStore.setState({ storeStatus: { 'murima-dev': { statuses: demoStatuses, loading: false, error: null } } });
    fake = createFakeApi({ 'workspaces.status': () => new Promise<StoreStatus[]>((resolve) => (release = resolve)) });
    setApiForTests(fake.api);
    const button = await screen.findByRole('button', { name: /Check stores/ });
    fireEvent.click(button);
    await waitFor(() => expect(screen.getByLabelText('Checking the stores')).toBeTruthy());
    const checking = screen.getByRole('button', { name: /Check stores/ });
    // Mantine's own loading overlay would mark the button data-loading and hide the label under the spinner.
    expect(checking.hasAttribute('data-loading')).toBe(false);
    expect(checking.textContent).toContain('Check stores');
    expect(checking.querySelector('[aria-label="Checking the stores"]')?.closest('[data-position="left"], .mantine-Button-section')).toBeTruthy();
    release(demoStatuses);
    await waitFor(() => expect(screen.queryByLabelText('Checking the stores')).toBeNull());
  });
});
