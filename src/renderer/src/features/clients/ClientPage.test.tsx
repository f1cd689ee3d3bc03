// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClientDetail, ClientSearchResult } from '@shared/model/client';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { gridRowKeys, installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { ClientPage } from './ClientPage';
import { ClientSearch } from './ClientSearch';

const TENANT = '64b7f0c2a1b2c3d4e5f60718';
const CLIENT = '64b7f0c2a1b2c3d4e5f60799';

const found: ClientSearchResult = {
  clients: [
    { id: CLIENT, clientCode: 'ACME-001', companyName: 'Acme Corp', legalName: null, tradingName: null, status: 'active', tier: 'gold', churnRiskScore: 72, createdAt: '2026-01-02T00:00:00.000Z', score: 1.5 },
  ],
  matchedBy: 'text_index',
  truncated: false,
};

const detail: ClientDetail = {
  client: { _id: CLIENT, clientCode: 'ACME-001', companyName: 'Acme Corp' },
  businessDetails: { industry: 'Logistics', taxId: '***' },
  relationship: { status: 'active', churnRisk: { score: 72, level: 'high' } },
  analytics: { lifetimeValue: 120_000 },
  contacts: { items: [{ _id: 'c1', fullName: 'Ada Lovelace', email: 'a***@a***.com' }], truncated: false },
  documents: { items: [{ _id: 'd1', title: 'Master agreement', versions: [{ version: 2 }, { version: 1 }] }], truncated: false },
  notes: { items: [{ _id: 'n1', title: 'Renewal call', tasks: [{ title: 'Send the offer' }] }], truncated: true },
  user: { _id: 'u1', username: 'acme.admin' },
};

let fake: FakeApi;

beforeAll(() => installLayoutShims());

beforeEach(() => {
  resetAppStore();
  fake = createFakeApi({ 'clients.search': () => found, 'clients.get': () => detail });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace({ preset: 'client-management' })], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

describe('the client inspector', { timeout: 30_000 }, () => {
  it('finds clients by name and opens the one chosen', async () => {
    renderWithProviders(<ClientSearch workspaceId="murima-dev" tenantId={TENANT} />);
    await waitFor(() => expect(gridRowKeys('Clients')).toEqual([CLIENT]));
    fireEvent.change(screen.getByLabelText('Client name'), { target: { value: 'acme' } });
    fireEvent.click(screen.getByRole('button', { name: 'Find clients' }));
    await waitFor(() => expect(fake.calls.at(-1)?.args).toEqual({ workspaceId: 'murima-dev', tenantId: TENANT, text: 'acme', limit: 200 }));
    expect(screen.getByText(/matched with the text index/)).toBeTruthy();
    fireEvent.click(document.querySelector(`[data-row-key="${CLIENT}"]`)!);
    expect(useAppStore.getState().screen).toEqual({ name: 'client', tenantId: TENANT, clientId: CLIENT });
  });

  it('shows every section of the client page, masked values as they came, documents with versions and notes with tasks', async () => {
    renderWithProviders(<ClientPage tenantId={TENANT} clientId={CLIENT} />);
    await screen.findByRole('heading', { name: 'Acme Corp' });
    expect(screen.getByLabelText('Business details').textContent).toContain('taxId***');
    expect(screen.getByLabelText('Relationship and churn risk').textContent).toContain('"level": "high"');
    expect(screen.getByLabelText('Linked user').textContent).toContain('acme.admin');
    expect(screen.getByLabelText('Contacts').textContent).toContain('Ada Lovelace');
    expect(screen.getByLabelText('Documents').textContent).toContain('Master agreement · 2 versions');
    // The notes list was cut by the server's cap: the count says "+".
    expect(screen.getByLabelText('Notes').textContent).toContain('1+');
    expect(screen.getByLabelText('Notes').textContent).toContain('Renewal call · 1 tasks');
  });
});
