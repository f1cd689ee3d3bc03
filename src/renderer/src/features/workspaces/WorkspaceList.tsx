import { useState } from 'react';
import { ActionIcon, Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Database, Pencil, Plus, Trash2 } from 'lucide-react';
import { STORE_KINDS, STORE_LABELS, type WorkspaceView } from '@shared/model/workspace';
import { ConfirmDanger } from '../../components/ConfirmDanger';
import { EmptyState } from '../../components/EmptyState';
import { useAppStore } from '../../store';
import { EnvironmentBadge } from './EnvironmentBadge';
import { presetLabel } from './presets';

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Every workspace, with the way in to open, edit or delete each. */
export function WorkspaceList() {
  const workspaces = useAppStore((s) => s.workspaces);
  const loaded = useAppStore((s) => s.workspacesLoaded);
  const loadError = useAppStore((s) => s.workspacesError);
  const activeId = useAppStore((s) => s.activeWorkspaceId);
  const navigate = useAppStore((s) => s.navigate);
  const selectWorkspace = useAppStore((s) => s.selectWorkspace);
  const removeWorkspace = useAppStore((s) => s.removeWorkspace);
  const loadWorkspaces = useAppStore((s) => s.loadWorkspaces);
  const [deleting, setDeleting] = useState<WorkspaceView | null>(null);

  function open(workspace: WorkspaceView): void {
    selectWorkspace(workspace.id);
    navigate({ name: 'overview' });
  }

  const newButton = (
    <Button leftSection={<Plus size={14} />} onClick={() => navigate({ name: 'workspace-editor', workspaceId: null })}>
      New workspace
    </Button>
  );

  return (
    <Stack gap="sm" p="md">
      <Group justify="space-between">
        <div>
          <Title order={3}>Workspaces</Title>
          <Text size="xs" c="dimmed">
            One workspace per platform deployment: its environment, tenancy preset and stores.
          </Text>
        </div>
        {workspaces.length > 0 && newButton}
      </Group>
      {loadError && (
        <Alert color="red" variant="light" title="Workspaces could not be read">
          <Group justify="space-between">
            <span>{loadError}</span>
            <Button size="xs" variant="default" onClick={() => void loadWorkspaces()}>
              Retry
            </Button>
          </Group>
        </Alert>
      )}
      {loaded && !loadError && workspaces.length === 0 ? (
        <Paper withBorder radius="sm">
          <EmptyState icon={<Database size={22} />} title="No workspaces yet" action={newButton}>
            A workspace holds the connection settings of one deployment — PostgreSQL, MongoDB, Redis and Elasticsearch —
            with passwords kept in the encrypted vault.
          </EmptyState>
        </Paper>
      ) : (
        workspaces.length > 0 && (
          <Paper withBorder radius="sm">
            <Table highlightOnHover verticalSpacing={6} horizontalSpacing="sm" fz="sm" aria-label="Workspaces">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th w={110}>Environment</Table.Th>
                  <Table.Th>Tenancy preset</Table.Th>
                  <Table.Th>Stores</Table.Th>
                  <Table.Th w={170}>Updated</Table.Th>
                  <Table.Th w={80} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {workspaces.map((workspace) => (
                  <Table.Tr key={workspace.id} data-workspace={workspace.name}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Anchor component="button" type="button" fw={600} size="sm" onClick={() => open(workspace)}>
                          {workspace.name}
                        </Anchor>
                        {workspace.id === activeId && (
                          <Badge size="xs" variant="outline" color="gray" radius="sm">
                            active
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <EnvironmentBadge environment={workspace.environment} />
                    </Table.Td>
                    <Table.Td>{presetLabel(workspace.preset)}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {STORE_KINDS.filter((kind) => workspace.endpoints[kind]).map((kind) => (
                          <Badge key={kind} size="sm" variant="default" radius="sm" tt="none" fw={500}>
                            {STORE_LABELS[kind]}
                          </Badge>
                        ))}
                        {STORE_KINDS.every((kind) => !workspace.endpoints[kind]) && (
                          <Text size="xs" c="dimmed">
                            none configured
                          </Text>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {formatDate(workspace.updatedAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={2} justify="flex-end" wrap="nowrap">
                        <Tooltip label="Edit">
                          <ActionIcon variant="subtle" color="gray" aria-label={`Edit ${workspace.name}`} onClick={() => navigate({ name: 'workspace-editor', workspaceId: workspace.id })}>
                            <Pencil size={15} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label="Delete">
                          <ActionIcon variant="subtle" color="red" aria-label={`Delete ${workspace.name}`} onClick={() => setDeleting(workspace)}>
                            <Trash2 size={15} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        )
      )}
      <ConfirmDanger
        opened={deleting !== null}
        title="Delete workspace"
        confirmText={deleting?.name ?? ''}
        actionLabel="Delete workspace"
        onCancel={() => setDeleting(null)}
        onConfirm={async (typed) => {
          if (!deleting) return;
          await removeWorkspace(deleting.id, typed);
          notifications.show({ color: 'gray', title: 'Deleted', message: `${deleting.name} and its stored passwords are gone.` });
          setDeleting(null);
        }}
      >
        <Text size="sm">
          This deletes the workspace <b>{deleting?.name}</b> and the passwords stored for it. The databases themselves are not
          touched.
        </Text>
      </ConfirmDanger>
    </Stack>
  );
}
