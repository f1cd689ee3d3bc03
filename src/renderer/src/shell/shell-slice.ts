import type { StateCreator } from 'zustand';
import type { AppState } from '../store';

/** The screens the app has. Only screens that work are listed; a capability adds its own. */
export type Screen =
  | { name: 'workspaces' }
  | { name: 'workspace-editor'; workspaceId: string | null }
  | { name: 'overview' };

export interface ShellSlice {
  screen: Screen;
  navigate(screen: Screen): void;
}

export const createShellSlice: StateCreator<AppState, [], [], ShellSlice> = (set) => ({
  screen: { name: 'workspaces' },
  navigate: (screen) => set({ screen }),
});
