import { Badge, Box, Group, ScrollArea, Text } from '@mantine/core';
import type { TenantRunStatus } from '@shared/model/workbench';
import { formatDuration } from './RunStatus';

const COLOURS: Record<TenantRunStatus['state'], string> = { queued: 'gray', running: 'blue', done: 'teal', failed: 'red', cancelled: 'gray' };
const ORDER: Record<TenantRunStatus['state'], number> = { failed: 0, running: 1, queued: 2, cancelled: 3, done: 4 };

/** A fan-out's tenants, each with its own state, rows and error: failures first, so none hides in a long list. */
export function TenantStatusList({ tenants }: { tenants: Record<string, TenantRunStatus> }) {
  const list = Object.values(tenants).sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.tenantId.localeCompare(b.tenantId));
  const count = (state: TenantRunStatus['state']) => list.filter((t) => t.state === state).length;
  return (
    <Box style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }} role="region" aria-label="Tenants of the run">
      <Group gap="xs" px="xs" py={4} style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="xs" fw={600}>
          Tenants
        </Text>
        <Text size="xs" c="dimmed">
          {count('done')} done · {count('running')} running · {count('queued')} queued · {count('failed')} failed
        </Text>
      </Group>
      <ScrollArea.Autosize mah={110}>
        {list.map((tenant) => (
          <Group key={tenant.tenantId} gap="xs" px="xs" py={2} wrap="nowrap" data-tenant={tenant.tenantId} data-state={tenant.state}>
            <Text size="xs" ff="monospace" w={160} truncate>
              {tenant.tenantId}
            </Text>
            <Badge size="xs" variant="light" color={COLOURS[tenant.state]} w={70}>
              {tenant.state}
            </Badge>
            <Text size="xs" w={90} ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
              {tenant.rows.toLocaleString('en')} {tenant.rows === 1 ? 'row' : 'rows'}
            </Text>
            <Text size="xs" c="dimmed" w={70}>
              {tenant.durationMs !== undefined ? formatDuration(tenant.durationMs) : ''}
            </Text>
            {tenant.error && (
              <Text size="xs" c="red" truncate title={tenant.error.message}>
                {tenant.error.code}: {tenant.error.message}
              </Text>
            )}
          </Group>
        ))}
      </ScrollArea.Autosize>
    </Box>
  );
}
