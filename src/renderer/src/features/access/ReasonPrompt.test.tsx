// @vitest-environment jsdom
import { useEffect, useState } from 'react';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Role } from '@shared/model/session';
import { api, setApiForTests, wrapApi } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { ReasonPrompt, refusalHandler, useReasonPrompts } from './ReasonPrompt';
import { sampleSession } from '../../test-support/access';

let fake: FakeApi;
let role: Role;
let opened: Set<string>;
let refusal: string;

const summary = (tenantId: string) => ({ tenant: { id: tenantId } }) as unknown as MethodResult<'tenants.get'>;

beforeEach(() => {
  resetAppStore();
  role = 'support';
  opened = new Set();
  refusal = 'Open tenant %s with a reason first: support reads one tenant at a time, for a stated reason (tenants.get).';
  fake = createFakeApi({
    'access.session': () => sampleSession({ role }),
    'access.justify': (args) => {
      if (args.tenantId) opened.add(args.tenantId);
      return { id: 'j-1', expiresAt: new Date(Date.now() + 1_800_000).toISOString() };
    },
    'tenants.get': ({ workspaceId, tenantId }) => {
      // As the policy refuses: a reason that would lift the refusal is named in its details.
      const liftable = !refusal.includes('may not');
      const reasonNeeded = liftable ? { reasonNeeded: { scope: 'tenant', workspaceId, tenantId } } : {};
      if (!opened.has(tenantId)) throw new AppError('forbidden', refusal.replace('%s', tenantId), { method: 'tenants.get', ...reasonNeeded });
      return summary(tenantId);
    },
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => {
  cleanup();
  wrapApi(undefined);
});

/** A view that reads a tenant on mount and says how it went. */
function Reader({ tenantId, label }: { tenantId: string; label: string }) {
  const [text, setText] = useState('reading');
  useEffect(() => {
    api()
      .tenants.get({ workspaceId: 'murima-dev', tenantId })
      .then(
        (answer) => setText(`read ${answer.tenant.id}`),
        (error: unknown) => setText(`failed: ${(error as Error).message}`),
      );
  }, [tenantId]);
  return <p data-testid={label}>{text}</p>;
}

function App({ readers = ['one'] }: { readers?: string[] }) {
  useReasonPrompts();
  return (
    <>
      {readers.map((label) => (
        <Reader key={label} label={label} tenantId="acme" />
      ))}
      <ReasonPrompt />
    </>
  );
}

const calls = (method: string) => fake.calls.filter((c) => c.method === method);

describe('asking for a reason when a call is refused for want of one', { timeout: 30_000 }, () => {
  it('asks support for a reason to open the tenant, gives it, and reads again', async () => {
    renderWithProviders(<App />);
    await waitFor(() => expect(screen.getByText('Open tenant acme')).toBeTruthy());
    expect(screen.getByTestId('one').textContent).toBe('reading');
    fireEvent.change(screen.getByLabelText('Reason', { exact: false }), { target: { value: 'Ticket about missing invoices' } });
    fireEvent.change(screen.getByLabelText('Ticket', { exact: false }), { target: { value: 'SUP-42' } });
    fireEvent.click(screen.getByText('Open tenant', { selector: 'button *' }));
    await waitFor(() => expect(screen.getByTestId('one').textContent).toBe('read acme'));
    expect(calls('access.justify').map((c) => c.args)).toEqual([
      { workspaceId: 'murima-dev', scope: 'tenant', tenantId: 'acme', reason: 'Ticket about missing invoices', ticket: 'SUP-42' },
    ]);
    expect(calls('tenants.get')).toHaveLength(2);
    expect(screen.queryByText('Open tenant acme')).toBeNull();
  });

  it('asks once for calls refused together, and runs each again', async () => {
    renderWithProviders(<App readers={['one', 'two']} />);
    await waitFor(() => expect(screen.getByText('Open tenant acme')).toBeTruthy());
    await waitFor(() => expect(calls('tenants.get')).toHaveLength(2));
    expect(screen.getAllByText('Open tenant acme')).toHaveLength(1);
    fireEvent.change(screen.getByLabelText('Reason', { exact: false }), { target: { value: 'Ticket about missing invoices' } });
    fireEvent.click(screen.getByText('Open tenant', { selector: 'button *' }));
    await waitFor(() => expect(screen.getByTestId('two').textContent).toBe('read acme'));
    expect(screen.getByTestId('one').textContent).toBe('read acme');
    expect(calls('access.justify')).toHaveLength(1);
  });

  it('lets the refusal through when the person cancels', async () => {
    renderWithProviders(<App />);
    await waitFor(() => expect(screen.getByText('Open tenant acme')).toBeTruthy());
    fireEvent.click(screen.getByText('Cancel', { selector: 'button *' }));
    await waitFor(() => expect(screen.getByTestId('one').textContent).toMatch(/^failed: Open tenant acme with a reason first/));
    expect(calls('access.justify')).toHaveLength(0);
  });

  it('does not ask where no reason helps: a refusal of the role itself', async () => {
    refusal = 'A support operator may not read a tenant’s data (tenants.get).';
    renderWithProviders(<App />);
    await waitFor(() => expect(screen.getByTestId('one').textContent).toMatch(/^failed: A support operator may not/));
    expect(screen.queryByText('Open tenant acme')).toBeNull();
  });

  it('does not ask for a reason the role may not give: support and an unmask', async () => {
    const handle = refusalHandler(useAppStore.getState);
    const error = new AppError('forbidden', 'Unmasking postgres:users#email of tenant acme needs a reason.', {
      method: 'cases.get',
      reasonNeeded: { scope: 'unmask', workspaceId: 'murima-dev', tenantId: 'acme', field: 'postgres:users#email' },
    });
    const asked = await handle('cases.get', { workspaceId: 'murima-dev', tenantId: 'acme', field: 'postgres:users#email' }, error);
    expect(asked).toBe(false);
    expect(useAppStore.getState().reasonRequests).toEqual([]);
    // The role was read to decide, and it was support's.
    expect(calls('access.session')).toHaveLength(1);
    role = 'platform_admin';
    await useAppStore.getState().loadAccess('murima-dev');
    void handle('cases.get', { workspaceId: 'murima-dev', tenantId: 'acme', field: 'postgres:users#email' }, error);
    await waitFor(() => expect(useAppStore.getState().reasonRequests.map((r) => r.need.scope)).toEqual(['unmask']));
  });
});
