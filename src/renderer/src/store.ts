import { create } from 'zustand';
import { createFeatureSlices, type FeaturesState } from './features/slices';
import { createNavigationSlice, type NavigationSlice } from './lib/navigation';

/** The one bound store: where the console is, and a slice per feature. */
export type AppState = NavigationSlice & FeaturesState;

export const useAppStore = create<AppState>()((...a) => ({
  ...createNavigationSlice({ name: 'workspaces' })(...a),
  ...createFeatureSlices(...a),
}));

const initialState = useAppStore.getState();

/** Component tests start every case from the state the app starts with. */
export function resetAppStore(): void {
  useAppStore.setState(initialState, true);
}
