// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MASK } from '@shared/masking';
import type { KeyValue } from '@shared/model/tenant';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { sampleSession } from '../../test-support/access';
import { KeyValueView } from './KeyValueView';

const TENANT = '4b0f6c1e-2d7a-4c38-9a51-0e6f1d2c3b4a';
const SESSION_ID = '8f14e45fceea167a';
const SESSION_KEY = `${TENANT}:session:${SESSION_ID}`;
const CASE_KEY = `${TENANT}:case:c1`;
/** The rows of the key list as the main process sends them: the session's name masked, each with its ref. */
const SESSION_ROW = { keyRef: 'k1.c2Vzc2lvbg', key: `${TENANT}:session:${MASK}`, family: 'session' };
const CASE_ROW = { keyRef: 'k1.Y2FzZQ', key: CASE_KEY, family: 'case' };

let fake: FakeApi;
let unmasked: Set<string>;
let role: 'platform_admin' | 'support';

/** What the main process sends: every session field masked unless this operator unmasked it. */
function sessionValue(): KeyValue {
  const stored: Array<[string, string]> = [
    ['user_id', 'u-7781'],
    ['username', 'kieran.lowe'],
  ];
  return {
    type: 'hash',
    key: unmasked.has('redis:session#<key>') ? SESSION_KEY : SESSION_ROW.key,
    ttlMs: 86_400_000,
    fields: stored.map(([field, value]) => [field, unmasked.has(`redis:session#${field}`) ? value : MASK]),
    length: stored.length,
    truncated: false,
  };
}

beforeEach(() => {
  resetAppStore();
  unmasked = new Set();
  role = 'platform_admin';
  fake = createFakeApi({
    'access.session': () => sampleSession({ name: role === 'support' ? 'Sam Support' : 'Ada Admin', role }),
    'access.justify': (args) => {
      if (args.field) unmasked.add(args.field);
      return { id: 'u-1', expiresAt: new Date(Date.now() + 1_800_000).toISOString() };
    },
    'tenants.keyValue': ({ keyRef }) =>
      keyRef === SESSION_ROW.keyRef
        ? sessionValue()
        : { type: 'hash', key: CASE_KEY, ttlMs: null, fields: [['title', 'Printer on fire'], ['status', '']], length: 2, truncated: false },
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

const shown = (text: string) => screen.getByText(text, { selector: '[data-masked]' });

describe('a Redis value', { timeout: 30_000 }, () => {
  it('offers an unmask for a masked session field, names it redis:session#<field>, and shows it in clear after reading again', async () => {
    renderWithProviders(<KeyValueView workspaceId="murima-dev" tenantId={TENANT} listed={SESSION_ROW} />);
    const unmask = () => screen.getByLabelText('Unmask session.username');
    await waitFor(() => expect(unmask().getAttribute('aria-disabled')).toBeNull());
    fireEvent.click(unmask());
    fireEvent.change(await screen.findByLabelText('Reason', { exact: false }), { target: { value: 'Customer reports a stranger in their account' } });
    fireEvent.click(screen.getByText('Unmask', { selector: 'button *' }));

    await waitFor(() => expect(shown('kieran.lowe').getAttribute('data-masked')).toBe('false'));
    expect(screen.getByText('unmasked')).toBeTruthy();
    expect(screen.getByLabelText('Unmask session.user_id')).toBeTruthy();
    expect(fake.calls.find((c) => c.method === 'access.justify')?.args).toMatchObject({ scope: 'unmask', tenantId: TENANT, field: 'redis:session#username' });
    const reads = fake.calls.filter((c) => c.method === 'tenants.keyValue').map((c) => c.args as Record<string, unknown>);
    expect(reads).toHaveLength(2);
    for (const read of reads) {
      expect(read).toMatchObject({ workspaceId: 'murima-dev', tenantId: TENANT, keyRef: SESSION_ROW.keyRef });
      expect(read).not.toHaveProperty('key');
    }
  });

  it('opens the key by its ref and shows its name masked, with an unmask of redis:session#<key> that lists the keys again', async () => {
    const listAgain = vi.fn();
    renderWithProviders(<KeyValueView workspaceId="murima-dev" tenantId={TENANT} listed={SESSION_ROW} onKeyNameUnmasked={listAgain} />);
    const unmask = () => screen.getByLabelText('Unmask session.<key>');
    await waitFor(() => expect(unmask().getAttribute('aria-disabled')).toBeNull());
    expect(shown(SESSION_ROW.key).getAttribute('data-masked')).toBe('true');
    expect(document.body.textContent).not.toContain(SESSION_ID);
    fireEvent.click(unmask());
    fireEvent.change(await screen.findByLabelText('Reason', { exact: false }), { target: { value: 'Customer reports a hijacked session today' } });
    fireEvent.click(screen.getByText('Unmask', { selector: 'button *' }));

    await waitFor(() => expect(shown(SESSION_KEY).getAttribute('data-masked')).toBe('false'));
    expect(fake.calls.find((c) => c.method === 'access.justify')?.args).toMatchObject({ scope: 'unmask', tenantId: TENANT, field: 'redis:session#<key>' });
    expect(listAgain).toHaveBeenCalledTimes(1);
    // The fields were not unmasked with the name.
    const fields = screen.getAllByText(MASK, { selector: '[data-masked]' });
    expect(fields).toHaveLength(2);
    for (const field of fields) expect(field.getAttribute('data-masked')).toBe('true');
  });

  it('tells support why the session’s name stays masked', async () => {
    role = 'support';
    renderWithProviders(<KeyValueView workspaceId="murima-dev" tenantId={TENANT} listed={SESSION_ROW} />);
    await waitFor(() => expect(screen.getByLabelText('Unmask session.<key>').getAttribute('aria-disabled')).toBe('true'));
    expect(document.body.textContent).not.toContain(SESSION_ID);
  });

  it('shows the fields no rule covers as they are, with no unmask and no "unmasked" mark', async () => {
    renderWithProviders(<KeyValueView workspaceId="murima-dev" tenantId={TENANT} listed={CASE_ROW} />);
    await screen.findByText('Printer on fire');
    expect(screen.queryByLabelText(/^Unmask /)).toBeNull();
    expect(screen.queryByText('unmasked')).toBeNull();
  });
});
