// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '@shared/model/session';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { looksMasked, UnmaskableValue } from './UnmaskableValue';
import { sampleSession } from '../../test-support/access';

let fake: FakeApi;
let role: Role;

beforeEach(() => {
  resetAppStore();
  role = 'platform_admin';
  fake = createFakeApi({
    'access.session': () => sampleSession({ name: 'Ada Admin', role }),
    'access.justify': () => ({ id: 'u-1', expiresAt: new Date(Date.now() + 1_800_000).toISOString() }),
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

const unmask = () => screen.getByLabelText('Unmask users.password_hash');

describe('looksMasked', () => {
  it('tells the masked forms of the main process from values in clear', () => {
    expect(looksMasked('$2b$12$••••')).toBe(true);
    expect(looksMasked('••••1234')).toBe(true);
    expect(looksMasked('j***@e***.com')).toBe(true);
    expect(looksMasked('$2b$12$abcdefghijklmnopqrstuv')).toBe(false);
    expect(looksMasked('jane@example.com')).toBe(false);
    expect(looksMasked(null)).toBe(false);
  });
});

describe('an unmaskable value', { timeout: 30_000 }, () => {
  it('lets a platform admin unmask it with a reason, recorded for that field of that tenant, then reads again', async () => {
    const onUnmasked = vi.fn();
    renderWithProviders(<UnmaskableValue workspaceId="murima-dev" tenantId="acme" field="postgres:users#password_hash" value="$2b$12$••••" onUnmasked={onUnmasked} />);
    await waitFor(() => expect(unmask().getAttribute('aria-disabled')).toBeNull());
    fireEvent.click(unmask());
    fireEvent.change(await screen.findByLabelText('Reason', { exact: false }), { target: { value: 'Verify the hash algorithm after the audit' } });
    fireEvent.click(screen.getByText('Unmask', { selector: 'button *' }));
    await waitFor(() => expect(onUnmasked).toHaveBeenCalledTimes(1));
    expect(fake.calls.find((c) => c.method === 'access.justify')?.args).toEqual({
      workspaceId: 'murima-dev',
      scope: 'unmask',
      tenantId: 'acme',
      field: 'postgres:users#password_hash',
      reason: 'Verify the hash algorithm after the audit',
    });
  });

  it('shows support the value masked, with an unmask that says why it cannot', async () => {
    role = 'support';
    const onUnmasked = vi.fn();
    renderWithProviders(<UnmaskableValue workspaceId="murima-dev" tenantId="acme" field="postgres:users#password_hash" value="$2b$12$••••" onUnmasked={onUnmasked} />);
    await waitFor(() => expect(useAppStore.getState().access['murima-dev']?.session?.operator.role).toBe('support'));
    expect(unmask().getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(unmask());
    fireEvent.mouseEnter(unmask());
    await waitFor(() => expect(screen.getByText(/Support sees users.password_hash masked. Only a platform admin may unmask it/)).toBeTruthy());
    expect(screen.queryByLabelText('Reason', { exact: false })).toBeNull();
    expect(fake.calls.some((c) => c.method === 'access.justify')).toBe(false);
  });
});
