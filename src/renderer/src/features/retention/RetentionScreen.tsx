import { Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { Hourglass } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { MongoBucketsTab } from './MongoBucketsTab';
import { RedisTtlTab } from './RedisTtlTab';

export type RetentionTab = 'redis' | 'mongo';

/**
 * Data lifecycle outside PostgreSQL partitions and Elasticsearch ILM: Redis key families' TTLs and
 * MongoDB's monthly buckets and TTL indexes, each against the preset's blueprint. Support sees, never changes.
 */
export function RetentionScreen({ tab }: { tab?: RetentionTab }) {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const navigate = useAppStore((s) => s.navigate);
  const role = useAppStore((s) => roleIn(s, s.activeWorkspaceId));
  if (!workspace) {
    return (
      <EmptyState icon={<Hourglass size={22} />} title="No workspace open">
        Retention belongs to a workspace: open one to see its TTLs and monthly buckets.
      </EmptyState>
    );
  }
  const hasRedis = Boolean(workspace.endpoints.redis);
  const current: RetentionTab = tab ?? (hasRedis ? 'redis' : 'mongo');
  const mayChange = role !== 'support';
  return (
    <Stack gap="sm" p="md">
      <Group gap="sm">
        <Title order={3}>Retention</Title>
        <Text size="sm" c="dimmed">
          {workspace.name} · {workspace.environment}
          {!mayChange && ' · read only for support'}
        </Text>
      </Group>
      <Tabs value={current} onChange={(value) => navigate({ name: 'retention', tab: (value as RetentionTab | null) ?? 'redis' })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="redis">Redis TTLs</Tabs.Tab>
          <Tabs.Tab value="mongo">MongoDB buckets · TTL indexes</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="redis" pt="xs">
          <RedisTtlTab workspaceId={workspace.id} mayChange={mayChange} />
        </Tabs.Panel>
        <Tabs.Panel value="mongo" pt="xs">
          <MongoBucketsTab workspaceId={workspace.id} mayChange={mayChange} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
