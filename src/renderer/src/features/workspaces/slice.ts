import type { StateCreator } from 'zustand';
import { AppError } from '@shared/errors';
import type { StoreStatus, WorkspaceInput, WorkspaceView } from '@shared/model/workspace';
import { api } from '../../api';
import type { NavigationSlice } from '../../lib/navigation';

const ACTIVE_WORKSPACE_KEY = 'tenantscope.activeWorkspace';

/** The status bar's view of one workspace's stores. */
export interface StatusEntry {
  statuses: StoreStatus[];
  loading: boolean;
  /** Why the status itself could not be read (not a store being down: that is a status). */
  error: string | null;
}

export interface WorkspacesSlice {
  workspaces: WorkspaceView[];
  workspacesLoaded: boolean;
  workspacesError: string | null;
  activeWorkspaceId: string | null;
  storeStatus: Record<string, StatusEntry>;
  loadWorkspaces(): Promise<void>;
  selectWorkspace(id: string | null): void;
  /** Creates (no id) or updates a workspace; rejects with the server's AppError. */
  saveWorkspace(input: WorkspaceInput, id: string | null): Promise<WorkspaceView>;
  removeWorkspace(id: string, confirmName: string): Promise<void>;
  refreshStatus(id: string): Promise<void>;
  receiveStatus(id: string, statuses: StoreStatus[]): void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readStoredActive(): string | null {
  try {
    return window.localStorage.getItem(ACTIVE_WORKSPACE_KEY);
  } catch {
    return null; // storage can be disabled; the choice then lasts for the session only
  }
}

function storeActive(id: string | null): void {
  try {
    if (id) window.localStorage.setItem(ACTIVE_WORKSPACE_KEY, id);
    else window.localStorage.removeItem(ACTIVE_WORKSPACE_KEY);
  } catch {
    // as above: not remembering the choice is harmless
  }
}

function upsert(list: WorkspaceView[], workspace: WorkspaceView): WorkspaceView[] {
  const index = list.findIndex((w) => w.id === workspace.id);
  if (index === -1) return [...list, workspace].sort((a, b) => a.name.localeCompare(b.name));
  return list.map((w) => (w.id === workspace.id ? workspace : w));
}

export const createWorkspacesSlice: StateCreator<WorkspacesSlice & NavigationSlice, [], [], WorkspacesSlice> = (set, get) => ({
  workspaces: [],
  workspacesLoaded: false,
  workspacesError: null,
  activeWorkspaceId: null,
  storeStatus: {},

  async loadWorkspaces() {
    try {
      const workspaces = await api().workspaces.list({});
      const current = get().activeWorkspaceId ?? readStoredActive();
      const active = workspaces.some((w) => w.id === current) ? current : (workspaces[0]?.id ?? null);
      const firstLoad = !get().workspacesLoaded;
      set({ workspaces, workspacesLoaded: true, workspacesError: null, activeWorkspaceId: active });
      // Opening the app lands on the workspace worked in last time.
      if (firstLoad && active && get().screen.name === 'workspaces') get().navigate({ name: 'overview' });
    } catch (error) {
      set({ workspacesLoaded: true, workspacesError: messageOf(error) });
    }
  },

  // The status bar checks the stores of whichever workspace becomes active.
  selectWorkspace(id) {
    storeActive(id);
    set({ activeWorkspaceId: id });
  },

  async saveWorkspace(input, id) {
    const saved = id ? await api().workspaces.update({ id, workspace: input }) : await api().workspaces.create({ workspace: input });
    set((state) => ({ workspaces: upsert(state.workspaces, saved) }));
    if (!id || get().activeWorkspaceId === null) get().selectWorkspace(saved.id);
    else if (get().activeWorkspaceId === saved.id) void get().refreshStatus(saved.id);
    return saved;
  },

  async removeWorkspace(id, confirmName) {
    await api().workspaces.remove({ id, confirmName });
    const workspaces = get().workspaces.filter((w) => w.id !== id);
    const { [id]: _removed, ...storeStatus } = get().storeStatus;
    set({ workspaces, storeStatus });
    if (get().activeWorkspaceId === id) get().selectWorkspace(workspaces[0]?.id ?? null);
  },

  async refreshStatus(id) {
    const previous = get().storeStatus[id];
    set((state) => ({
      storeStatus: { ...state.storeStatus, [id]: { statuses: previous?.statuses ?? [], loading: true, error: null } },
    }));
    try {
      const statuses = await api().workspaces.status({ id });
      get().receiveStatus(id, statuses);
    } catch (error) {
      // A removed workspace has no status to show; anything else is worth saying.
      if (AppError.is(error, 'not_found') && !get().workspaces.some((w) => w.id === id)) return;
      set((state) => ({
        storeStatus: { ...state.storeStatus, [id]: { statuses: previous?.statuses ?? [], loading: false, error: messageOf(error) } },
      }));
    }
  },

  receiveStatus(id, statuses) {
    set((state) => ({ storeStatus: { ...state.storeStatus, [id]: { statuses, loading: false, error: null } } }));
  },
});
