import { Database, LayoutDashboard } from 'lucide-react';
import type { NavigationEntry, NoParams, ScreenDefinitions } from '../../lib/screens';
import { WorkspaceEditor } from './WorkspaceEditor';
import { WorkspaceList } from './WorkspaceList';
import { WorkspaceOverview } from './WorkspaceOverview';

declare module '../../lib/screens' {
  interface ScreenParams {
    workspaces: NoParams;
    /** `workspaceId` null: a new workspace. */
    'workspace-editor': { workspaceId: string | null };
    overview: NoParams;
  }
}

export const screens: ScreenDefinitions<'workspaces' | 'workspace-editor' | 'overview'> = {
  workspaces: { view: WorkspaceList, entry: 'workspaces' },
  // Editing the active workspace belongs to its overview; any other (or a new one) to the list.
  'workspace-editor': {
    view: WorkspaceEditor,
    entry: (screen, { workspace }) => (workspace !== undefined && screen.workspaceId === workspace.id ? 'overview' : 'workspaces'),
  },
  overview: { view: WorkspaceOverview, entry: 'overview' },
};

export const navigation: NavigationEntry[] = [
  { id: 'workspaces', label: 'Workspaces', icon: Database, section: 'console', order: 0, target: { name: 'workspaces' } },
  { id: 'overview', label: 'Overview', icon: LayoutDashboard, section: 'workspace', order: 10, target: { name: 'overview' } },
];
