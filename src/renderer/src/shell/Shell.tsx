import { AppShell, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import { Database, LayoutDashboard, ListChecks, ScrollText, Users } from 'lucide-react';
import { StatusBar, useWorkspacesSync, WorkspaceEditor, WorkspaceList, WorkspaceOverview, WorkspaceSwitcher } from '../features/workspaces';
import { TenantBrowser, TenantPage } from '../features/tenants';
import { CasePage, CaseSearch } from '../features/cases';
import { ClientPage, ClientSearch } from '../features/clients';
import { OperatorPanel, ReasonPrompt, roleIn, TenantPicker, useReasonPrompts } from '../features/access';
import { AuditViewer } from '../features/audit';
import { JobsPanel } from '../features/jobs';
import { useAppStore } from '../store';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { LeaveWithoutSaving } from './LeaveWithoutSaving';
import type { Screen, TenantTab } from './shell-slice';

/** A tenant's page with the record browser of the workspace's preset: cases or clients. */
function TenantScreen({ tenantId, tab }: { tenantId: string; tab?: TenantTab }) {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  if (!workspace) return null;
  const inspector =
    workspace.preset === 'murima2025' && workspace.endpoints.postgres
      ? { tab: 'cases' as const, label: 'Cases', view: <CaseSearch workspaceId={workspace.id} tenantId={tenantId} /> }
      : workspace.preset === 'client-management' && workspace.endpoints.mongo
        ? { tab: 'clients' as const, label: 'Clients', view: <ClientSearch workspaceId={workspace.id} tenantId={tenantId} /> }
        : undefined;
  return <TenantPage tenantId={tenantId} tab={tab} inspector={inspector} />;
}

function CurrentScreen({ screen }: { screen: Screen }) {
  switch (screen.name) {
    case 'workspace-editor':
      return <WorkspaceEditor workspaceId={screen.workspaceId} />;
    case 'overview':
      return <WorkspaceOverview />;
    case 'tenants':
      return <TenantBrowser />;
    case 'tenant':
      return <TenantScreen tenantId={screen.tenantId} tab={screen.tab} />;
    case 'case':
      return <CasePage tenantId={screen.tenantId} caseId={screen.caseId} />;
    case 'client':
      return <ClientPage tenantId={screen.tenantId} clientId={screen.clientId} />;
    case 'audit':
      return <AuditViewer />;
    case 'jobs':
      return <JobsPanel />;
    default:
      return <WorkspaceList />;
  }
}

/** Header with the workspace switcher, navigation on the left, the screen, the status bar below. */
export function Shell() {
  const screen = useAppStore((s) => s.screen);
  const navigate = useAppStore((s) => s.navigate);
  const active = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const role = useAppStore((s) => roleIn(s, s.activeWorkspaceId));

  useWorkspacesSync();
  useReasonPrompts();

  const onWorkspaces = screen.name === 'workspaces' || (screen.name === 'workspace-editor' && screen.workspaceId !== active?.id);
  const onOverview = screen.name === 'overview' || (screen.name === 'workspace-editor' && active !== undefined && screen.workspaceId === active.id);

  return (
    <AppShell header={{ height: 44 }} navbar={{ width: 208, breakpoint: 0 }} footer={{ height: 28 }} padding={0}>
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Group gap={6} wrap="nowrap" w={184}>
              <Database size={18} color="var(--mantine-primary-color-filled)" />
              <Text fw={700} size="sm" style={{ letterSpacing: 0.2 }}>
                Tenantscope
              </Text>
            </Group>
            <WorkspaceSwitcher />
          </Group>
          <Group gap="xs" wrap="nowrap">
            {active && role === 'support' && <TenantPicker workspaceId={active.id} />}
            <OperatorPanel />
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p={6} aria-label="Navigation">
        <NavLink
          component="button"
          label="Workspaces"
          leftSection={<Database size={15} />}
          active={onWorkspaces}
          onClick={() => navigate({ name: 'workspaces' })}
        />
        {active && (
          <>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600} px="sm" pt="md" pb={4} truncate>
              {active.name}
            </Text>
            <NavLink
              component="button"
              label="Overview"
              leftSection={<LayoutDashboard size={15} />}
              active={onOverview}
              onClick={() => navigate({ name: 'overview' })}
            />
            <NavLink
              component="button"
              label="Tenants"
              leftSection={<Users size={15} />}
              active={['tenants', 'tenant', 'case', 'client'].includes(screen.name)}
              onClick={() => navigate({ name: 'tenants' })}
            />
            <NavLink
              component="button"
              label="Jobs"
              leftSection={<ListChecks size={15} />}
              active={screen.name === 'jobs'}
              onClick={() => navigate({ name: 'jobs' })}
            />
            {role === 'platform_admin' && (
              <NavLink
                component="button"
                label="Audit"
                leftSection={<ScrollText size={15} />}
                active={screen.name === 'audit'}
                onClick={() => navigate({ name: 'audit' })}
              />
            )}
          </>
        )}
      </AppShell.Navbar>
      <AppShell.Main>
        <ScrollArea h="calc(100dvh - 44px - 28px)" type="auto">
          <CurrentScreen screen={screen} />
        </ScrollArea>
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar />
      </AppShell.Footer>
      <LeaveWithoutSaving />
      <ReasonPrompt />
    </AppShell>
  );
}
