import { Group, Select, Text } from '@mantine/core';
import { Layers } from 'lucide-react';
import type { Environment } from '@shared/model/workspace';
import { useAppStore } from '../../store';
import { EnvironmentBadge } from './EnvironmentBadge';

// Room for the environment badge in front of the name, by the length of its label.
const BADGE_WIDTH: Record<Environment, number> = { dev: 50, staging: 76, prod: 54 };

/** The header's workspace picker: choosing one makes it active and opens its overview. */
export function WorkspaceSwitcher() {
  const workspaces = useAppStore((s) => s.workspaces);
  const activeId = useAppStore((s) => s.activeWorkspaceId);
  const selectWorkspace = useAppStore((s) => s.selectWorkspace);
  const navigate = useAppStore((s) => s.navigate);
  const active = workspaces.find((w) => w.id === activeId);

  if (workspaces.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        No workspace yet
      </Text>
    );
  }

  return (
    <Select
      aria-label="Active workspace"
      w={280}
      size="xs"
      searchable
      allowDeselect={false}
      nothingFoundMessage="No workspace by that name"
      leftSection={active ? <EnvironmentBadge environment={active.environment} size="xs" /> : <Layers size={14} />}
      leftSectionWidth={active ? BADGE_WIDTH[active.environment] : undefined}
      data={workspaces.map((w) => ({ value: w.id, label: w.name }))}
      value={activeId}
      comboboxProps={{ width: 320, position: 'bottom-start' }}
      renderOption={({ option }) => {
        const workspace = workspaces.find((w) => w.id === option.value);
        return (
          <Group gap="xs" wrap="nowrap" justify="space-between" w="100%">
            <Text size="sm" truncate>
              {option.label}
            </Text>
            {workspace && <EnvironmentBadge environment={workspace.environment} size="xs" />}
          </Group>
        );
      }}
      onChange={(id) => {
        if (!id) return;
        selectWorkspace(id);
        navigate({ name: 'overview' });
      }}
    />
  );
}
