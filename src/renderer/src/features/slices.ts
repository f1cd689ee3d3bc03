import type { StateCreator } from 'zustand';
import type { NavigationSlice } from '../lib/navigation';
// Straight from the slice files, not through each feature's index.ts: those export views, and the
// views import the store these slices make up. This file and index.ts are the only two that gather
// the features; nothing else reaches inside one.
import { createAccessSlice, type AccessSlice } from './access/slice';
import { createTenantsSlice, type TenantsSlice } from './tenants/slice';
import { createWorkspacesSlice, type WorkspacesSlice } from './workspaces/slice';

/** What the features keep in the bound store: a slice each. */
export type FeaturesState = WorkspacesSlice & TenantsSlice & AccessSlice;

/** The features' slices, spread together; a feature with state of its own adds its slice here. */
export const createFeatureSlices: StateCreator<FeaturesState & NavigationSlice, [], [], FeaturesState> = (...a) => ({
  ...createWorkspacesSlice(...a),
  ...createTenantsSlice(...a),
  ...createAccessSlice(...a),
});
