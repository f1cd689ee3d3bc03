import { ActionIcon, Button, Group, Menu, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { Plus, X } from 'lucide-react';
import type { WorkbenchEngine } from '@shared/model/workbench';
import { engineTitle, type WorkbenchTab } from './tabs-store';

const ENGINE_COLOURS: Record<WorkbenchEngine, string> = { postgres: 'blue', mongo: 'green', elastic: 'yellow', redis: 'red' };

export interface TabStripProps {
  tabs: WorkbenchTab[];
  activeTabId: string | null;
  engines: WorkbenchEngine[];
  running: ReadonlySet<string>;
  onActivate(id: string): void;
  onClose(id: string): void;
  onOpen(engine: WorkbenchEngine): void;
}

/** The workspace's tabs, each marked with its engine; a new one is for any engine the workspace has. */
export function TabStrip({ tabs, activeTabId, engines, running, onActivate, onClose, onOpen }: TabStripProps) {
  return (
    <Group gap={0} wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
      <ScrollArea type="never" style={{ flex: '0 1 auto', minWidth: 0 }}>
        <Group gap={0} wrap="nowrap" role="tablist" aria-label="Workbench tabs">
          {tabs.map((tab) => {
            const active = tab.id === activeTabId;
            return (
              <Group
                key={tab.id}
                gap={2}
                wrap="nowrap"
                px={6}
                style={{
                  borderRight: '1px solid var(--mantine-color-default-border)',
                  background: active ? 'var(--mantine-color-default)' : undefined,
                  boxShadow: active ? 'inset 0 -2px 0 var(--mantine-primary-color-filled)' : undefined,
                }}
              >
                <UnstyledButton role="tab" aria-selected={active} onClick={() => onActivate(tab.id)} py={6} px={4} style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
                  <span
                    aria-hidden
                    style={{ width: 7, height: 7, borderRadius: 7, background: `var(--mantine-color-${ENGINE_COLOURS[tab.engine]}-5)`, flexShrink: 0 }}
                  />
                  <Text size="xs" fw={active ? 600 : 400} style={{ whiteSpace: 'nowrap' }}>
                    {tab.title}
                    {running.has(tab.id) ? ' …' : ''}
                  </Text>
                </UnstyledButton>
                <ActionIcon size="xs" variant="subtle" color="gray" aria-label={`Close ${tab.title}`} onClick={() => onClose(tab.id)}>
                  <X size={11} />
                </ActionIcon>
              </Group>
            );
          })}
        </Group>
      </ScrollArea>
      <Menu position="bottom-start" withinPortal>
        <Menu.Target>
          <Button size="compact-xs" variant="subtle" leftSection={<Plus size={12} />} ml={4} disabled={engines.length === 0}>
            New tab
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {engines.map((engine) => (
            <Menu.Item key={engine} onClick={() => onOpen(engine)}>
              {engineTitle(engine)}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}
