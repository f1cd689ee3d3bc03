// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceView } from '@shared/model/workspace';
import { setApiForTests } from '../api';
import { resetAppStore, useAppStore } from '../store';
import { createFakeApi, type FakeApi } from '../test-support/fake-api';
import { renderWithProviders } from '../test-support/render';
import { sampleWorkspace } from '../test-support/workspaces';
import { Shell } from './Shell';

let listed: WorkspaceView[];
let fake: FakeApi;

beforeEach(() => {
  resetAppStore();
  window.localStorage.clear();
  listed = [];
  fake = createFakeApi({ 'workspaces.list': () => listed, 'workspaces.status': () => [] });
  setApiForTests(fake.api);
});

afterEach(() => cleanup());

function navigation(): HTMLElement {
  const nav = document.querySelector<HTMLElement>('nav[aria-label="Navigation"]');
  if (!nav) throw new Error('no navigation');
  return nav;
}

// Mounting the whole shell is slow in jsdom on a shared machine; the bound is generous.
async function editorForm(): Promise<HTMLElement> {
  const selector = 'form[aria-label="Edit Murima dev"]';
  await waitFor(() => expect(document.querySelector(selector)).not.toBeNull());
  return document.querySelector<HTMLElement>(selector) as HTMLElement;
}

describe('the shell', { timeout: 30_000 }, () => {
  it('offers only the workspaces list while there is no workspace', async () => {
    renderWithProviders(<Shell />);
    expect(await screen.findByText('No workspaces yet')).toBeTruthy();
    expect(within(navigation()).queryByText('Overview')).toBeNull();
    expect(screen.getByText('No workspace selected')).toBeTruthy();
  });

  it('opens the active workspace’s overview and follows changes made in another window', async () => {
    listed = [sampleWorkspace()];
    renderWithProviders(<Shell />);
    expect(await screen.findByText('db.internal', { exact: false })).toBeTruthy();
    expect(within(navigation()).getByText('Overview')).toBeTruthy();
    expect(document.title).toBe('Murima dev — Tenantscope');

    listed = [sampleWorkspace(), sampleWorkspace({ id: 'murima-prod', name: 'Murima prod', environment: 'prod' })];
    fake.emit('workspaces.changed', { id: 'murima-prod', change: 'created' });
    await waitFor(() => expect(useAppStore.getState().workspaces.map((w) => w.name)).toEqual(['Murima dev', 'Murima prod']));

    fireEvent.click(within(navigation()).getByText('Workspaces'));
    await waitFor(() => expect(document.querySelector('table[aria-label="Workspaces"]')?.textContent).toContain('Murima prod'));
  });

  it('asks before navigation drops unsaved changes, and keeps them when asked to', async () => {
    listed = [sampleWorkspace()];
    renderWithProviders(<Shell />);
    await screen.findByText('db.internal', { exact: false });
    useAppStore.getState().navigate({ name: 'workspace-editor', workspaceId: 'murima-dev' });
    const form = await editorForm();
    fireEvent.change(within(form).getByLabelText(/Name/), { target: { value: 'Murima dev (renamed)' } });

    fireEvent.click(within(navigation()).getByText('Workspaces'));
    expect(await screen.findByText('Leave without saving?')).toBeTruthy();
    fireEvent.click(screen.getByText('Keep editing'));
    await waitFor(() => expect(useAppStore.getState().pendingScreen).toBeNull());
    expect(useAppStore.getState().screen).toEqual({ name: 'workspace-editor', workspaceId: 'murima-dev' });
    expect((screen.getByDisplayValue('Murima dev (renamed)') as HTMLInputElement).value).toBe('Murima dev (renamed)');

    fireEvent.click(within(navigation()).getByText('Workspaces'));
    fireEvent.click(await screen.findByText('Discard changes'));
    await waitFor(() => expect(useAppStore.getState().screen).toEqual({ name: 'workspaces' }));
    expect(useAppStore.getState().unsavedChanges).toBeNull();
    expect(fake.calls.some((c) => c.method === 'workspaces.update')).toBe(false);
  });

  it('leaves an unchanged editor without asking', async () => {
    listed = [sampleWorkspace()];
    renderWithProviders(<Shell />);
    await screen.findByText('db.internal', { exact: false });
    useAppStore.getState().navigate({ name: 'workspace-editor', workspaceId: 'murima-dev' });
    await editorForm();
    fireEvent.click(within(navigation()).getByText('Workspaces'));
    await waitFor(() => expect(useAppStore.getState().screen).toEqual({ name: 'workspaces' }));
    expect(screen.queryByText('Leave without saving?')).toBeNull();
  });
});
