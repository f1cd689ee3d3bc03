import { useEffect } from 'react';
import { api } from '../../api';
import { useAppStore } from '../../store';

/**
 * Loads the workspaces when the app opens and again whenever another window changes them, and
 * names the window after the active workspace so task switchers tell windows apart.
 */
export function useWorkspacesSync(): void {
  const loadWorkspaces = useAppStore((s) => s.loadWorkspaces);
  const activeName = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId)?.name);

  useEffect(() => {
    void loadWorkspaces();
    return api().on('workspaces.changed', () => void loadWorkspaces());
  }, [loadWorkspaces]);

  useEffect(() => {
    document.title = activeName ? `${activeName} — Tenantscope` : 'Tenantscope';
  }, [activeName]);
}
