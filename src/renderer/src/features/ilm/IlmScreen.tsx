import { Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { Recycle } from 'lucide-react';
import { storeStateText } from '@shared/store-state';
import { EmptyState } from '../../components/EmptyState';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { ErrorsTab } from './ErrorsTab';
import { IndicesTab } from './IndicesTab';
import { PoliciesTab } from './PoliciesTab';
import { TemplatesTab } from './TemplatesTab';

export type IlmTab = 'policies' | 'indices' | 'errors' | 'templates';

/**
 * Index lifecycle management on the active workspace's Elasticsearch: policies (validated JSON
 * editor, diff before saving), each index's lifecycle by tenant, the error board with retry, and
 * templates with rollover. A workspace whose Elasticsearch cannot be reached says why instead.
 */
export function IlmScreen({ tab = 'policies' }: { tab?: IlmTab }) {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const navigate = useAppStore((s) => s.navigate);
  const role = useAppStore((s) => roleIn(s, s.activeWorkspaceId));
  const status = useAppStore((s) => (s.activeWorkspaceId ? s.storeStatus[s.activeWorkspaceId]?.statuses.find((x) => x.store === 'elastic') : undefined));
  const mayChange = role !== 'support';

  if (!workspace) {
    return (
      <EmptyState icon={<Recycle size={22} />} title="No workspace open">
        Lifecycle policies belong to a workspace&apos;s Elasticsearch: open one to see them.
      </EmptyState>
    );
  }
  if (!workspace.endpoints.elastic || (status && status.state !== 'connected' && status.state !== 'degraded')) {
    return (
      <EmptyState icon={<Recycle size={22} />} title="No Elasticsearch to manage here">
        <span data-testid="ilm-unavailable">
          Index lifecycle management runs on Elasticsearch, and {workspace.name}&apos;s is {status ? storeStateText(status) : 'not configured'}.
          {!workspace.endpoints.elastic && ' Add an Elasticsearch endpoint in the workspace editor (or start the demo with ES_URL) to see policies, explain and the error board.'}
        </span>
      </EmptyState>
    );
  }

  return (
    <Stack gap="sm" p="md">
      <Group gap="sm">
        <Title order={3}>Lifecycle (ILM)</Title>
        <Text size="sm" c="dimmed">
          {workspace.name} · {workspace.environment} · {workspace.endpoints.elastic.node}
        </Text>
      </Group>
      <Tabs value={tab} onChange={(value) => navigate({ name: 'ilm', tab: (value as IlmTab | null) ?? 'policies' })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="policies">Policies</Tabs.Tab>
          <Tabs.Tab value="indices">Indices</Tabs.Tab>
          <Tabs.Tab value="errors">Error board</Tabs.Tab>
          <Tabs.Tab value="templates">Templates · rollover</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="policies" pt="xs">
          <PoliciesTab workspaceId={workspace.id} mayChange={mayChange} />
        </Tabs.Panel>
        <Tabs.Panel value="indices" pt="xs">
          <IndicesTab workspaceId={workspace.id} />
        </Tabs.Panel>
        <Tabs.Panel value="errors" pt="xs">
          <ErrorsTab workspaceId={workspace.id} mayChange={mayChange} />
        </Tabs.Panel>
        <Tabs.Panel value="templates" pt="xs">
          <TemplatesTab workspaceId={workspace.id} mayChange={mayChange} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
