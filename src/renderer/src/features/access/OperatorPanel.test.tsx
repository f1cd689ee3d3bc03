// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessSession } from '@shared/model/operator';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { OperatorPanel } from './OperatorPanel';
import { sampleJustification, sampleSession } from '../../test-support/access';

let fake: FakeApi;
let session: AccessSession;

beforeEach(() => {
  resetAppStore();
  session = sampleSession();
  fake = createFakeApi({
    'access.session': () => session,
    'access.setOperator': ({ name, email, role }) => {
      session = { ...session, operator: { name, email, role } };
      return session;
    },
    'access.justify': (args) => {
      const expiresAt = new Date(Date.now() + (args.minutes ?? 30) * 60_000).toISOString();
      session = {
        ...session,
        justifications: [...session.justifications, { id: 'u-1', scope: args.scope, reason: args.reason, expiresAt }],
        prodUnlock: args.scope === 'prod-unlock' ? { reason: args.reason, expiresAt } : session.prodUnlock,
      };
      return { id: 'u-1', expiresAt };
    },
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

const trigger = () => screen.getByLabelText('Operator', { selector: 'button' });
const button = (text: string, scope: HTMLElement = document.body) => {
  const found = within(scope).getByText(text, { selector: 'button *, button' }).closest('button');
  if (!found) throw new Error(`no ${text} button`);
  return found;
};

describe('the operator panel', { timeout: 30_000 }, () => {
  it('shows who the operator is in the active workspace and switches the role', async () => {
    renderWithProviders(<OperatorPanel />);
    await waitFor(() => expect(trigger().textContent).toContain('Sam Support'));
    expect(trigger().textContent).toContain('Support');
    fireEvent.click(trigger());
    await waitFor(() => expect(screen.getByText('You in Murima dev')).toBeTruthy());
    fireEvent.click(screen.getByLabelText('Admin'));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Ada Admin' } });
    fireEvent.click(button('Save'));
    await waitFor(() => expect(trigger().textContent).toContain('Ada Admin'));
    expect(trigger().textContent).toContain('Platform admin');
    expect(fake.calls.find((c) => c.method === 'access.setOperator')?.args).toEqual({
      workspaceId: 'murima-dev',
      name: 'Ada Admin',
      email: 'sam@example.com',
      role: 'platform_admin',
    });
  });

  it('in a managed workspace shows the role as signed, with no switcher and nothing to save', async () => {
    session = sampleSession({}, { managed: { keyFingerprint: 'ab'.repeat(32), keyName: 'platform.pub', issuedBy: 'Ops team', issuedAt: '2026-11-01' } });
    renderWithProviders(<OperatorPanel />);
    await waitFor(() => expect(trigger().textContent).toContain('Sam Support'));
    fireEvent.click(trigger());
    await waitFor(() => expect(screen.getByText('managed')).toBeTruthy());
    expect(screen.getByText(/Set by Ops team in a signed workspace file/)).toBeTruthy();
    expect(screen.queryByLabelText('Admin')).toBeNull();
    expect(screen.queryByText('Save')).toBeNull();
    expect((screen.getByLabelText('Name') as HTMLInputElement).disabled).toBe(true);
  });

  it('lists the reasons that still hold, with the time left', async () => {
    session = sampleSession({}, { justifications: [sampleJustification({ expiresAt: new Date(Date.now() + 12 * 60_000 + 30_000).toISOString() })] });
    renderWithProviders(<OperatorPanel />);
    await waitFor(() => expect(trigger().textContent).toContain('Sam Support'));
    fireEvent.click(trigger());
    const list = await screen.findByLabelText('Active reasons');
    expect(list.textContent).toContain('acme');
    expect(list.textContent).toContain('Customer reports missing invoices');
    expect(list.textContent).toContain('SUP-12');
    expect(list.textContent).toMatch(/12:(30|29) left/);
  });

  it('on prod, unlocks writes for the chosen time with a reason and shows the time left', async () => {
    useAppStore.setState({ workspaces: [sampleWorkspace({ environment: 'prod' })] });
    session = sampleSession({ name: 'Dana DBA', role: 'dba' });
    renderWithProviders(<OperatorPanel />);
    await waitFor(() => expect(trigger().textContent).toContain('Dana DBA'));
    fireEvent.click(trigger());
    fireEvent.click(await screen.findByText('Unlock writes', { selector: 'button *' }));
    await waitFor(() => expect(screen.getByText('Unlock writes on murima-dev')).toBeTruthy());
    fireEvent.change(screen.getByLabelText('Reason', { exact: false }), { target: { value: 'Rebuild the bloated case index' } });
    fireEvent.click(button('Unlock writes', screen.getByRole('dialog')));
    await waitFor(() => expect(screen.getByText(/writes unlocked · (30:00|29:5\d)/)).toBeTruthy());
    expect(fake.calls.find((c) => c.method === 'access.justify')?.args).toEqual({
      workspaceId: 'murima-dev',
      scope: 'prod-unlock',
      reason: 'Rebuild the bloated case index',
      minutes: 30,
    });
  });

  it('offers no unlock outside prod, even to an admin', async () => {
    session = sampleSession({ name: 'Ada Admin', role: 'platform_admin' });
    renderWithProviders(<OperatorPanel />);
    await waitFor(() => expect(trigger().textContent).toContain('Ada Admin'));
    fireEvent.click(trigger());
    await waitFor(() => expect(screen.getByText('You in Murima dev')).toBeTruthy());
    expect(screen.queryByText('Unlock writes')).toBeNull();
  });

  it('offers no unlock to support on prod', async () => {
    useAppStore.setState({ workspaces: [sampleWorkspace({ environment: 'prod' })] });
    renderWithProviders(<OperatorPanel />);
    await waitFor(() => expect(trigger().textContent).toContain('Sam Support'));
    fireEvent.click(trigger());
    await waitFor(() => expect(screen.getByText('You in Murima dev')).toBeTruthy());
    expect(screen.queryByText('Unlock writes')).toBeNull();
  });
});
