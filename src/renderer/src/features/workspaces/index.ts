// The workspaces feature's public face: its screens and navigation, and the pieces the shell places.
export { type WorkspacesSlice, type StatusEntry } from './slice';
export { screens, navigation } from './screens';
export { WorkspaceSwitcher } from './WorkspaceSwitcher';
export { StatusBar } from './StatusBar';
export { useWorkspacesSync } from './sync';
