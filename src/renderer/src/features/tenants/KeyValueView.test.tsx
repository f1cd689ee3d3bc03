// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MASK } from '@shared/masking';
import type { KeyValue } from '@shared/model/tenant';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { sampleSession } from '../access/test-data';
import { KeyValueView } from './KeyValueView';

const TENANT = '4b0f6c1e-2d7a-4c38-9a51-0e6f1d2c3b4a';
const SESSION_KEY = `${TENANT}:session:8f14e45fceea167a`;
const CASE_KEY = `${TENANT}:case:c1`;

let fake: FakeApi;
let unmasked: Set<string>;

/** What the main process sends: every session field masked unless this operator unmasked it. */
function sessionValue(): KeyValue {
  const stored: Array<[string, string]> = [
    ['user_id', 'u-7781'],
    ['username', 'kieran.lowe'],
  ];
  return {
    type: 'hash',
    key: SESSION_KEY,
    ttlMs: 86_400_000,
    fields: stored.map(([field, value]) => [field, unmasked.has(`redis:session#${field}`) ? value : MASK]),
    length: stored.length,
    truncated: false,
  };
}

beforeEach(() => {
  resetAppStore();
  unmasked = new Set();
  fake = createFakeApi({
    'access.session': () => sampleSession({ name: 'Ada Admin', role: 'platform_admin' }),
    'access.justify': (args) => {
      if (args.field) unmasked.add(args.field);
      return { id: 'u-1', expiresAt: new Date(Date.now() + 1_800_000).toISOString() };
    },
    'tenants.keyValue': ({ key }) =>
      key === SESSION_KEY
        ? sessionValue()
        : { type: 'hash', key, ttlMs: null, fields: [['title', 'Printer on fire'], ['status', '']], length: 2, truncated: false },
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

const shown = (text: string) => screen.getByText(text, { selector: '[data-masked]' });

describe('a Redis value', { timeout: 30_000 }, () => {
  it('offers an unmask for a masked session field, names it redis:session#<field>, and shows it in clear after reading again', async () => {
    renderWithProviders(<KeyValueView workspaceId="murima-dev" tenantId={TENANT} keyName={SESSION_KEY} />);
    const unmask = () => screen.getByLabelText('Unmask session.username');
    await waitFor(() => expect(unmask().getAttribute('aria-disabled')).toBeNull());
    fireEvent.click(unmask());
    fireEvent.change(await screen.findByLabelText('Reason', { exact: false }), { target: { value: 'Customer reports a stranger in their account' } });
    fireEvent.click(screen.getByText('Unmask', { selector: 'button *' }));

    await waitFor(() => expect(shown('kieran.lowe').getAttribute('data-masked')).toBe('false'));
    expect(screen.getByText('unmasked')).toBeTruthy();
    expect(screen.getByLabelText('Unmask session.user_id')).toBeTruthy();
    expect(fake.calls.find((c) => c.method === 'access.justify')?.args).toMatchObject({ scope: 'unmask', tenantId: TENANT, field: 'redis:session#username' });
    expect(fake.calls.filter((c) => c.method === 'tenants.keyValue')).toHaveLength(2);
  });

  it('shows the fields no rule covers as they are, with no unmask and no "unmasked" mark', async () => {
    renderWithProviders(<KeyValueView workspaceId="murima-dev" tenantId={TENANT} keyName={CASE_KEY} />);
    await screen.findByText('Printer on fire');
    expect(screen.queryByLabelText(/^Unmask /)).toBeNull();
    expect(screen.queryByText('unmasked')).toBeNull();
  });
});
