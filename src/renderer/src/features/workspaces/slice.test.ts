// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { StoreStatus } from '@shared/model/workspace';
import { setApiForTests } from '../../api';
import { resetAppStore, useAppStore } from '../../store';
import { createFakeApi } from '../../test-support/fake-api';
import { sampleWorkspace } from '../../test-support/workspaces';

const dev = sampleWorkspace();
const prod = sampleWorkspace({ id: 'murima-prod', name: 'Murima prod', environment: 'prod' });
const connected: StoreStatus = { store: 'postgres', state: 'connected', serverVersion: '15.18', latencyMs: 1, checkedAt: '2026-11-22T08:00:00.000Z' };

beforeEach(() => {
  resetAppStore();
  window.localStorage.clear();
});

describe('the workspaces slice', () => {
  it('opens the workspace used last time, on its overview', async () => {
    setApiForTests(createFakeApi({ 'workspaces.list': () => [dev, prod], 'workspaces.status': () => [] }).api);
    window.localStorage.setItem('tenantscope.activeWorkspace', 'murima-prod');
    await useAppStore.getState().loadWorkspaces();
    expect(useAppStore.getState().activeWorkspaceId).toBe('murima-prod');
    expect(useAppStore.getState().screen).toEqual({ name: 'overview' });
  });

  it('falls back to the first workspace when the remembered one is gone, and stays on the list when there is none', async () => {
    window.localStorage.setItem('tenantscope.activeWorkspace', 'deleted-elsewhere');
    setApiForTests(createFakeApi({ 'workspaces.list': () => [dev] }).api);
    await useAppStore.getState().loadWorkspaces();
    expect(useAppStore.getState().activeWorkspaceId).toBe('murima-dev');

    resetAppStore();
    setApiForTests(createFakeApi({ 'workspaces.list': () => [] }).api);
    await useAppStore.getState().loadWorkspaces();
    expect(useAppStore.getState().activeWorkspaceId).toBeNull();
    expect(useAppStore.getState().screen).toEqual({ name: 'workspaces' });
  });

  it('says why the list could not be read', async () => {
    setApiForTests(
      createFakeApi({
        'workspaces.list': () => {
          throw new AppError('locked', 'The vault is locked: enter the master passphrase');
        },
      }).api,
    );
    await useAppStore.getState().loadWorkspaces();
    expect(useAppStore.getState().workspacesError).toBe('The vault is locked: enter the master passphrase');
  });

  it('after deleting the active workspace, makes the next one active and forgets the deleted one’s status', async () => {
    const fake = createFakeApi({ 'workspaces.remove': () => ({ removed: true as const }), 'workspaces.status': () => [connected] });
    setApiForTests(fake.api);
    useAppStore.setState({ workspaces: [dev, prod], activeWorkspaceId: 'murima-dev', storeStatus: { 'murima-dev': { statuses: [connected], loading: false, error: null } } });
    await useAppStore.getState().removeWorkspace('murima-dev', 'Murima dev');
    expect(fake.calls[0]).toEqual({ method: 'workspaces.remove', args: { id: 'murima-dev', confirmName: 'Murima dev' } });
    const state = useAppStore.getState();
    expect(state.workspaces.map((w) => w.id)).toEqual(['murima-prod']);
    expect(state.activeWorkspaceId).toBe('murima-prod');
    expect(state.storeStatus['murima-dev']).toBeUndefined();
  });

  it('keeps the last statuses and records the error when a status check fails', async () => {
    setApiForTests(
      createFakeApi({
        'workspaces.status': () => {
          throw new AppError('internal', 'workspaces.status failed unexpectedly');
        },
      }).api,
    );
    useAppStore.setState({ workspaces: [dev], activeWorkspaceId: 'murima-dev', storeStatus: { 'murima-dev': { statuses: [connected], loading: false, error: null } } });
    await useAppStore.getState().refreshStatus('murima-dev');
    expect(useAppStore.getState().storeStatus['murima-dev']).toEqual({ statuses: [connected], loading: false, error: 'workspaces.status failed unexpectedly' });
  });
});
