// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodResult } from '@shared/contract';
import type { AccessSession } from '@shared/model/operator';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { TenantPicker } from './TenantPicker';
import { sampleJustification, sampleSession } from '../../test-support/access';

let fake: FakeApi;
let session: AccessSession;

const tenantList = {
  tenants: [
    { id: 'globex', name: 'Globex' },
    { id: 'acme', name: 'Acme Corp' },
  ],
  stores: [],
} as unknown as MethodResult<'tenants.list'>;

beforeEach(() => {
  resetAppStore();
  session = sampleSession({}, { justifications: [sampleJustification({ tenantId: 'globex' })] });
  fake = createFakeApi({
    'access.session': () => session,
    'tenants.list': () => tenantList,
    'access.justify': (args) => {
      session = { ...session, justifications: [sampleJustification({ id: 'j-2', tenantId: args.tenantId, reason: args.reason })] };
      return { id: 'j-2', expiresAt: session.justifications[0]!.expiresAt };
    },
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

const picker = () => screen.getByLabelText('Open a tenant', { selector: 'input' }) as HTMLInputElement;

describe('the support tenant picker', { timeout: 30_000 }, () => {
  it('opens the chosen tenant after a reason, closing the one that was open', async () => {
    await useAppStore.getState().loadAccess('murima-dev');
    renderWithProviders(<TenantPicker workspaceId="murima-dev" />);
    expect(picker().value).toBe('globex');
    fireEvent.click(picker());
    fireEvent.click(await screen.findByText('Acme Corp · acme'));
    await waitFor(() => expect(screen.getByText('Open tenant Acme Corp')).toBeTruthy());
    expect(screen.getByText(/Opening it closes tenant globex/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Reason', { exact: false }), { target: { value: 'Customer cannot see last week’s cases' } });
    fireEvent.click(screen.getByText('Open tenant', { selector: 'button *' }));
    await waitFor(() => expect(useAppStore.getState().screen).toEqual({ name: 'tenant', tenantId: 'acme' }));
    expect(fake.calls.find((c) => c.method === 'access.justify')?.args).toEqual({
      workspaceId: 'murima-dev',
      scope: 'tenant',
      tenantId: 'acme',
      reason: 'Customer cannot see last week’s cases',
    });
    await waitFor(() => expect(picker().value).toBe('Acme Corp · acme'));
  });

  it('opens nothing when the reason is not given', async () => {
    await useAppStore.getState().loadAccess('murima-dev');
    renderWithProviders(<TenantPicker workspaceId="murima-dev" />);
    fireEvent.click(picker());
    fireEvent.click(await screen.findByText('Acme Corp · acme'));
    fireEvent.click(await screen.findByText('Cancel', { selector: 'button *' }));
    await waitFor(() => expect(screen.queryByText('Open tenant Acme Corp')).toBeNull());
    expect(useAppStore.getState().screen.name).toBe('workspaces');
    expect(fake.calls.some((c) => c.method === 'access.justify')).toBe(false);
    expect(picker().value).toBe('Globex · globex');
  });
});
