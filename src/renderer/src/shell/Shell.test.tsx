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
});
