// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceInput, WorkspaceView } from '@shared/model/workspace';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { renderWithProviders } from '../../test-support/render';
import { sampleWorkspace } from '../../test-support/workspaces';
import { WorkspaceEditor } from './WorkspaceEditor';

type SavedArgs = { id?: string; workspace: WorkspaceInput };

function viewFromInput(input: WorkspaceInput, id: string): WorkspaceView {
  const base = sampleWorkspace({ id, name: input.name, environment: input.environment, preset: input.preset });
  return { ...base, endpoints: {} };
}

let fake: FakeApi;
let testAnswers: Awaited<ReturnType<FakeApi['api']['workspaces']['testConnection']>>[];

beforeEach(() => {
  resetAppStore();
  testAnswers = [];
  fake = createFakeApi({
    'workspaces.update': ({ id, workspace }) => viewFromInput(workspace, id),
    'workspaces.create': ({ workspace }) => viewFromInput(workspace, 'new-one'),
    'workspaces.status': () => [],
    'workspaces.testConnection': () => testAnswers.shift() ?? { ok: true, serverVersion: '15.18', latencyMs: 2.4 },
  });
  setApiForTests(fake.api);
  useAppStore.setState({ workspaces: [sampleWorkspace()], workspacesLoaded: true, activeWorkspaceId: 'murima-dev' });
});

afterEach(() => cleanup());

// No pause between keystrokes: the tests are about what is sent, not typing rhythm.
const user = userEvent.setup({ delay: null });

// Queries by CSS selector and text rather than by role: role queries walk the accessibility tree
// of the whole editor and are slow in jsdom.
function section(label: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(`section[aria-label="${label}"]`);
  if (!found) throw new Error(`no ${label} section`);
  return found;
}

function postgresSection(): HTMLElement {
  return section('PostgreSQL');
}

function button(text: string, scope: HTMLElement = document.body): HTMLButtonElement {
  const found = within(scope).getByText(text, { selector: 'button, button *' }).closest('button');
  if (!found) throw new Error(`no ${text} button`);
  return found;
}

function savedArgs(method: 'workspaces.update' | 'workspaces.create'): SavedArgs {
  const call = fake.calls.find((c) => c.method === method);
  if (!call) throw new Error(`${method} was not called`);
  return call.args as SavedArgs;
}

// Rendering the whole editor per keystroke is slow in jsdom on a shared machine; the bound is generous.
describe('the workspace editor', { timeout: 30_000 }, () => {
  it('sends no password when none was typed, so the stored one is kept', async () => {
    renderWithProviders(<WorkspaceEditor workspaceId="murima-dev" />);
    expect(within(postgresSection()).getByText('stored')).toBeTruthy();
    await user.click(button('Save'));
    await waitFor(() => expect(useAppStore.getState().screen).toEqual({ name: 'overview' }));
    const { workspace } = savedArgs('workspaces.update');
    expect(workspace.endpoints.postgres).toBeDefined();
    expect(workspace.endpoints.postgres).not.toHaveProperty('password');
    expect(workspace.endpoints.redis).not.toHaveProperty('password');
  });

  it('sends null when the stored password is forgotten, and the typed one when replaced', async () => {
    renderWithProviders(<WorkspaceEditor workspaceId="murima-dev" />);
    await user.click(button('Forget', postgresSection()));
    fireEvent.change(within(section('Redis')).getByLabelText('Password'), { target: { value: 'new-redis-pw' } });
    await user.click(button('Save'));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'workspaces.update')).toBe(true));
    const { workspace } = savedArgs('workspaces.update');
    expect(workspace.endpoints.postgres?.password).toBeNull();
    expect(workspace.endpoints.redis?.password).toBe('new-redis-pw');
  });

  it('shows the contract’s field errors on the fields and saves nothing', async () => {
    renderWithProviders(<WorkspaceEditor workspaceId={null} />);
    fireEvent.change(screen.getByLabelText(/Name/), { target: { value: 'Lab' } });
    await user.click(screen.getByLabelText('Use PostgreSQL'));
    const host = within(postgresSection()).getByLabelText('Host');
    fireEvent.change(host, { target: { value: 'bad host!' } });
    await user.click(button('Create workspace'));
    expect(await screen.findByText('host may hold letters, digits, dots, dashes, colons and brackets only')).toBeTruthy();
    expect(screen.getByText('Some fields need fixing; they are marked below.')).toBeTruthy();
    expect(host.getAttribute('aria-invalid')).toBe('true');
    expect(fake.calls.filter((c) => c.method === 'workspaces.create')).toEqual([]);
    expect(useAppStore.getState().screen).toEqual({ name: 'workspaces' });
  });

  it('tests a connection with the stored password and shows the version and round trip, then a failure with its code', async () => {
    testAnswers.push(
      { ok: true, serverVersion: '15.18', latencyMs: 2.44 },
      { ok: false, code: 'auth_failed', message: 'password authentication failed for user "admin"' },
    );
    renderWithProviders(<WorkspaceEditor workspaceId="murima-dev" />);
    const section = within(postgresSection());
    await user.click(section.getByLabelText('Test PostgreSQL connection'));
    const result = screen.getByTestId('test-result-postgres');
    await waitFor(() => expect(result.textContent).toBe('PostgreSQL 15.18 · 2.4 ms'));
    const first = fake.calls.find((c) => c.method === 'workspaces.testConnection')?.args as {
      workspaceId?: string;
      target: { store: string; endpoint: Record<string, unknown> };
    };
    expect(first.workspaceId).toBe('murima-dev');
    expect(first.target.store).toBe('postgres');
    expect(first.target.endpoint).not.toHaveProperty('password');

    fireEvent.change(section.getByLabelText('Password'), { target: { value: 'wrong' } });
    expect(screen.getByTestId('test-result-postgres').textContent).toBe('');
    await user.click(section.getByLabelText('Test PostgreSQL connection'));
    // Changing a field clears the old result, so it is looked up afresh.
    const secondResult = (): string | null => screen.getByTestId('test-result-postgres').textContent;
    await waitFor(() => expect(secondResult()).toContain('auth_failed'));
    expect(secondResult()).toContain('password authentication failed for user "admin"');
    const second = fake.calls.filter((c) => c.method === 'workspaces.testConnection')[1]?.args as { target: { endpoint: { password?: string } } };
    expect(second.target.endpoint.password).toBe('wrong');
  });

  it('fills the fields from a pasted URI and sends its password on save', async () => {
    renderWithProviders(<WorkspaceEditor workspaceId="murima-dev" />);
    const section = within(postgresSection());
    fireEvent.paste(section.getByLabelText('PostgreSQL connection URI'), {
      clipboardData: { getData: () => 'postgresql://bob:p%40ss@db2.internal:6543/app' },
    });
    expect((section.getByLabelText('Host') as HTMLInputElement).value).toBe('db2.internal');
    expect((section.getByLabelText('User') as HTMLInputElement).value).toBe('bob');
    expect((section.getByLabelText('PostgreSQL connection URI') as HTMLInputElement).value).toBe('');
    await user.click(button('Save'));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'workspaces.update')).toBe(true));
    const postgres = savedArgs('workspaces.update').workspace.endpoints.postgres;
    expect(postgres).toMatchObject({ host: 'db2.internal', port: 6543, database: 'app', username: 'bob', password: 'p@ss' });
  });

  it('warns that a prod workspace opens read-only', async () => {
    renderWithProviders(<WorkspaceEditor workspaceId="murima-dev" />);
    expect(screen.queryByText('Production opens read-only')).toBeNull();
    await user.click(screen.getByText('prod'));
    expect(screen.getByText('Production opens read-only')).toBeTruthy();
  });

  it('drops every change on Cancel', async () => {
    renderWithProviders(<WorkspaceEditor workspaceId="murima-dev" />);
    fireEvent.change(within(postgresSection()).getByLabelText('Password'), { target: { value: 'typed-but-cancelled' } });
    await user.click(button('Cancel'));
    expect(useAppStore.getState().screen).toEqual({ name: 'overview' });
    expect(fake.calls.filter((c) => c.method === 'workspaces.update' || c.method === 'workspaces.create')).toEqual([]);
  });
});
