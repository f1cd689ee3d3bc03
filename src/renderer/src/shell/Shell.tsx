import { AppShell, Group, ScrollArea, Text } from '@mantine/core';
import { Database } from 'lucide-react';
import { navigation, screens } from '../features';
import { OperatorPanel, ReasonPrompt, roleIn, TenantPicker, useReasonPrompts } from '../features/access';
import { StatusBar, useWorkspacesSync, WorkspaceSwitcher } from '../features/workspaces';
import { activeEntryOf, renderScreen, type NavigationContext } from '../lib/screens';
import { useAppStore } from '../store';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { LeaveWithoutSaving } from './LeaveWithoutSaving';
import { NavigationBar } from './NavigationBar';

/** Header with the workspace switcher, navigation on the left, the screen, the status bar below. */
export function Shell() {
  const screen = useAppStore((s) => s.screen);
  const active = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const role = useAppStore((s) => roleIn(s, s.activeWorkspaceId));

  useWorkspacesSync();
  useReasonPrompts();

  const context: NavigationContext = { workspace: active, role };

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
        <NavigationBar entries={navigation} active={activeEntryOf(screens, screen.name, screen, context)} context={context} />
      </AppShell.Navbar>
      <AppShell.Main>
        <ScrollArea h="calc(100dvh - 44px - 28px)" type="auto">
          {renderScreen(screens, screen.name, screen)}
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
