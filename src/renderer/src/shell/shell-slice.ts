import type { StateCreator } from 'zustand';
import type { AppState } from '../store';

/** The screens the app has. Only screens that work are listed; a capability adds its own. */
export type Screen =
  | { name: 'workspaces' }
  | { name: 'workspace-editor'; workspaceId: string | null }
  | { name: 'overview' }
  | { name: 'tenants' }
  | { name: 'tenant'; tenantId: string; tab?: TenantTab }
  | { name: 'case'; tenantId: string; caseId: string }
  | { name: 'client'; tenantId: string; clientId: string }
  | { name: 'audit' }
  | { name: 'jobs' };

/** The tabs of a tenant page. */
export type TenantTab = 'cases' | 'clients' | 'redis' | 'drift';

export interface ShellSlice {
  screen: Screen;
  /** What leaving the current screen would lose ("changes to Murima prod"), or null. */
  unsavedChanges: string | null;
  /** Where the person asked to go while there were unsaved changes; the shell asks first. */
  pendingScreen: Screen | null;
  /** Goes to a screen; with unsaved changes it only asks, unless `discard` says they may go. */
  navigate(screen: Screen, options?: { discard?: boolean }): void;
  setUnsavedChanges(what: string | null): void;
  /** The answer to "leave without saving?": go to the pending screen, or stay. */
  resolvePendingNavigation(leave: boolean): void;
}

export const createShellSlice: StateCreator<AppState, [], [], ShellSlice> = (set, get) => ({
  screen: { name: 'workspaces' },
  unsavedChanges: null,
  pendingScreen: null,
  navigate(screen, options = {}) {
    if (get().unsavedChanges && !options.discard) {
      set({ pendingScreen: screen });
      return;
    }
    set({ screen, pendingScreen: null, unsavedChanges: null });
  },
  setUnsavedChanges: (unsavedChanges) => set({ unsavedChanges }),
  resolvePendingNavigation(leave) {
    const target = get().pendingScreen;
    if (leave && target) set({ screen: target, pendingScreen: null, unsavedChanges: null });
    else set({ pendingScreen: null });
  },
});
