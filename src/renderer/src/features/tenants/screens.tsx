import { Users } from 'lucide-react';
import type { NavigationEntry, NoParams, ScreenDefinitions, ScreenOf } from '../../lib/screens';
import { useAppStore } from '../../store';
import type { TenantAction, TenantInspector, TenantTab } from './inspector';
import { TenantBrowser } from './TenantBrowser';
import { TenantPage } from './TenantPage';

declare module '../../lib/screens' {
  interface ScreenParams {
    tenants: NoParams;
    tenant: { tenantId: string; tab?: TenantTab };
  }
}

/**
 * The tenant list and a tenant's page, whose record browser is the first of `inspectors` that fits
 * the workspace and whose header offers `actions`.
 */
export function tenantScreens(inspectors: readonly TenantInspector[], actions: readonly TenantAction[] = []): ScreenDefinitions<'tenants' | 'tenant'> {
  function TenantScreen({ tenantId, tab }: ScreenOf<'tenant'>) {
    const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
    if (!workspace) return null;
    const inspector = inspectors.find((candidate) => candidate.appliesTo(workspace));
    const Browser = inspector?.view;
    return (
      <TenantPage
        tenantId={tenantId}
        tab={tab}
        inspector={inspector && Browser && { tab: inspector.tab, label: inspector.label, view: <Browser workspaceId={workspace.id} tenantId={tenantId} /> }}
        actions={actions.map((Action, i) => (
          <Action key={i} workspace={workspace} tenantId={tenantId} />
        ))}
      />
    );
  }
  return {
    tenants: { view: TenantBrowser, entry: 'tenants' },
    tenant: { view: TenantScreen, entry: 'tenants' },
  };
}

export const navigation: NavigationEntry[] = [{ id: 'tenants', label: 'Tenants', icon: Users, section: 'workspace', order: 20, target: { name: 'tenants' } }];
