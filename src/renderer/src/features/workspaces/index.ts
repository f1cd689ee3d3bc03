// The workspaces feature's public face: the slice for the bound store and the views the shell places.
export { createWorkspacesSlice, type WorkspacesSlice, type StatusEntry } from './slice';
export { WorkspaceList } from './WorkspaceList';
export { WorkspaceEditor } from './WorkspaceEditor';
export { WorkspaceOverview } from './WorkspaceOverview';
export { WorkspaceSwitcher } from './WorkspaceSwitcher';
export { StatusBar } from './StatusBar';
export { useWorkspacesSync } from './sync';
