import { create } from 'zustand';
import { createWorkspacesSlice, type WorkspacesSlice } from './features/workspaces';
import { createTenantsSlice, type TenantsSlice } from './features/tenants';
import { createAccessSlice, type AccessSlice } from './features/access';
import { createShellSlice, type ShellSlice } from './shell/shell-slice';

/** The one bound store: a slice per feature, spread together. */
export type AppState = ShellSlice & WorkspacesSlice & TenantsSlice & AccessSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createShellSlice(...a),
  ...createWorkspacesSlice(...a),
  ...createTenantsSlice(...a),
  ...createAccessSlice(...a),
}));

const initialState = useAppStore.getState();

/** Component tests start every case from the state the app starts with. */
export function resetAppStore(): void {
  useAppStore.setState(initialState, true);
}
