import type { ReactNode } from 'react';
import { Alert, Anchor, Badge, Breadcrumbs, Button, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { CalendarRange, RefreshCw } from 'lucide-react';
import { api } from '../../api';
import { formatTime } from '../../lib/format';
import { useCall } from '../../lib/useCall';
import { useAppStore } from '../../store';
import type { TenantTab } from './inspector';
import { RedisKeys } from './RedisKeys';
import { DriftList, InconsistencyList, StoreFootprints } from './TenantSummaryView';

/** The way back to the tenant list, and to the tenant, above every tenant screen. */
export function TenantCrumbs({ tenantId, name, children }: { tenantId: string; name?: string | null; children?: ReactNode }) {
  const navigate = useAppStore((s) => s.navigate);
  // Pages below the tenant know only its id; the list, when it was opened, knows its name.
  const listedName = useAppStore((s) => s.tenantList?.tenants.find((t) => t.id === tenantId)?.name);
  return (
    <Breadcrumbs separatorMargin={6} fz="xs">
      <Anchor component="button" type="button" size="xs" onClick={() => navigate({ name: 'tenants' })}>
        Tenants
      </Anchor>
      <Anchor component="button" type="button" size="xs" onClick={() => navigate({ name: 'tenant', tenantId })}>
        {name ?? listedName ?? tenantId}
      </Anchor>
      {children}
    </Breadcrumbs>
  );
}

/**
 * One tenant across stores: its footprint in each, what the stores disagree on, drift from the
 * preset's blueprint, and tabs for its cases or clients and its Redis keys. `inspector` is the
 * preset's record browser (cases or clients), chosen by the tenant screen.
 */
export function TenantPage({
  tenantId,
  tab,
  inspector,
  actions,
}: {
  tenantId: string;
  tab?: TenantTab;
  inspector?: { tab: TenantTab; label: string; view: ReactNode };
  /** What other features offer to do with this tenant, beside Refresh. */
  actions?: ReactNode;
}) {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const navigate = useAppStore((s) => s.navigate);
  const workspaceId = workspace?.id;
  const summary = useCall(workspaceId ? (signal) => api().tenants.get({ workspaceId, tenantId }, { signal }) : null, [workspaceId, tenantId]);

  if (!workspace) return null;
  const tenant = summary.data?.tenant;
  const hasRedis = workspace.endpoints.redis !== undefined;
  const active = tab ?? inspector?.tab ?? (hasRedis ? 'redis' : 'drift');
  const issues = (tenant?.inconsistencies.length ?? 0) + (summary.data?.drift?.length ?? 0);

  return (
    <Stack gap="sm" p="md">
      <TenantCrumbs tenantId={tenantId} name={tenant?.name} />
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Title order={3}>{tenant?.name ?? tenantId}</Title>
          <Text size="xs" c="dimmed" ff="monospace">
            {tenantId}
          </Text>
          {tenant?.status && (
            <Badge size="sm" variant="light" color={tenant.status === 'active' ? 'teal' : 'gray'}>
              {tenant.status}
            </Badge>
          )}
          {tenant && !tenant.registered && (
            <Badge size="sm" variant="light" color="orange">
              not registered
            </Badge>
          )}
          {summary.loading && <Loader size="xs" />}
        </Group>
        <Group gap="xs">
          {tenant?.lastActivity && (
            <Text size="xs" c="dimmed">
              last activity {formatTime(tenant.lastActivity)}
            </Text>
          )}
          <Button variant="default" leftSection={<CalendarRange size={13} />} onClick={() => navigate({ name: 'tenantLifecycle', tenantId })}>
            Time view
          </Button>
          {actions}
          <Button variant="default" leftSection={<RefreshCw size={13} />} onClick={summary.reload} loading={summary.loading}>
            Refresh
          </Button>
        </Group>
      </Group>
      {summary.error && (
        <Alert color="red" variant="light" title="The tenant could not be read">
          {summary.error}
        </Alert>
      )}
      {summary.data && tenant && <StoreFootprints tenant={tenant} stores={summary.data.stores} />}
      <Tabs value={active} onChange={(value) => value && navigate({ name: 'tenant', tenantId, tab: value as TenantTab })} keepMounted={false}>
        <Tabs.List>
          {inspector && <Tabs.Tab value={inspector.tab}>{inspector.label}</Tabs.Tab>}
          {hasRedis && <Tabs.Tab value="redis">Redis keys</Tabs.Tab>}
          <Tabs.Tab
            value="drift"
            rightSection={
              issues > 0 ? (
                <Badge size="xs" color="orange" variant="light" circle>
                  {issues}
                </Badge>
              ) : undefined
            }
          >
            Drift and inconsistencies
          </Tabs.Tab>
        </Tabs.List>
        {inspector && (
          <Tabs.Panel value={inspector.tab} pt="sm">
            {inspector.view}
          </Tabs.Panel>
        )}
        {hasRedis && (
          <Tabs.Panel value="redis" pt="sm">
            <RedisKeys workspaceId={workspace.id} tenantId={tenantId} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="drift" pt="sm">
          {summary.data && tenant && (
            <Stack gap="md">
              <div>
                <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb={4}>
                  Inconsistencies
                </Text>
                <InconsistencyList tenant={tenant} />
              </div>
              <div>
                <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb={4}>
                  Blueprint drift
                </Text>
                <DriftList drift={summary.data.drift} />
              </div>
            </Stack>
          )}
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
