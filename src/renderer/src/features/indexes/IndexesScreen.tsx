import { Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { Gauge } from 'lucide-react';
import { EmptyState } from '../../components/EmptyState';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { DocumentStoresTab } from './DocumentStoresTab';
import { DriftTab } from './DriftTab';
import { FindingsTab } from './FindingsTab';
import { FleetTab } from './FleetTab';
import { useFleet } from './useFleet';

export type IndexesTab = 'fleet' | 'findings' | 'drift' | 'documents';

/**
 * The indexes room of the active workspace's PostgreSQL: the fleet view (one row per logical
 * index across every tenant schema), findings, and blueprint drift with its plan and fix.
 */
export function IndexesScreen({ tab = 'fleet' }: { tab?: IndexesTab }) {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const navigate = useAppStore((s) => s.navigate);
  const role = useAppStore((s) => roleIn(s, s.activeWorkspaceId));
  const prodLocked = useAppStore((s) => {
    const w = s.workspaces.find((x) => x.id === s.activeWorkspaceId);
    return w?.environment === 'prod' && !s.access[w.id]?.session?.prodUnlock;
  });
  const workspaceId = workspace?.endpoints.postgres ? workspace.id : null;
  const fleet = useFleet(workspaceId);
  const hasDocumentStores = Boolean(workspace?.endpoints.mongo ?? workspace?.endpoints.elastic);
  const openTable = (tenantId: string, table: string): void => navigate({ name: 'indexTable', tenantId, table });

  if (!workspace) {
    return (
      <EmptyState icon={<Gauge size={22} />} title="No workspace open">
        Indexes belong to a workspace: open one to see them across its tenants.
      </EmptyState>
    );
  }
  if (!workspaceId) {
    return (
      <EmptyState icon={<Gauge size={22} />} title="No PostgreSQL here">
        The indexes room reads tenant schemas on PostgreSQL, which {workspace.name} does not have.
      </EmptyState>
    );
  }

  return (
    <Stack gap="sm" p="md">
      <Group gap="sm">
        <Title order={3}>Indexes</Title>
        <Text size="sm" c="dimmed">
          {workspace.name} · {workspace.environment}
        </Text>
      </Group>
      <Tabs value={tab} onChange={(value) => navigate({ name: 'indexes', tab: (value as IndexesTab | null) ?? 'fleet' })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="fleet">Fleet</Tabs.Tab>
          <Tabs.Tab value="findings">Findings</Tabs.Tab>
          <Tabs.Tab value="drift">Drift</Tabs.Tab>
          {hasDocumentStores && <Tabs.Tab value="documents">MongoDB · Elasticsearch</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="fleet" pt="xs">
          <FleetTab
            fleet={fleet}
            onOpen={(row) => {
              const tenantId = row.topTenants[0]?.tenantId;
              if (tenantId) openTable(tenantId, row.table);
            }}
          />
        </Tabs.Panel>
        <Tabs.Panel value="findings" pt="xs">
          <FindingsTab workspaceId={workspaceId} />
        </Tabs.Panel>
        <Tabs.Panel value="drift" pt="xs">
          <DriftTab workspaceId={workspaceId} mayChange={role !== 'support'} prodLocked={prodLocked} onOpenTable={openTable} />
        </Tabs.Panel>
        {hasDocumentStores && (
          <Tabs.Panel value="documents" pt="xs">
            <DocumentStoresTab workspaceId={workspaceId} hasMongo={Boolean(workspace.endpoints.mongo)} hasElastic={Boolean(workspace.endpoints.elastic)} mayChange={role !== 'support'} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
