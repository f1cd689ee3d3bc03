import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { Layers } from 'lucide-react';
import type { MongoFleetIndex, MongoFleetView } from '@shared/model/indexes';
import { api } from '../../api';
import { formatBytes, formatCount } from '../../lib/format';

const keyText = (key: MongoFleetIndex['key']): string => `{ ${key.map(([field, kind]) => `${field}: ${kind}`).join(', ')} }`;
const shortId = (id: string): string => (id.length > 13 ? `${id.slice(0, 8)}…` : id);

/** "used in 2 · never in 1", or why a shared collection has no such split. */
export function mongoUsageLabel(row: Pick<MongoFleetIndex, 'usedIn' | 'neverUsedIn'>): string {
  if (row.usedIn === null || row.neverUsedIn === null) return 'one index for every tenant';
  return `used in ${formatCount(row.usedIn)} · never in ${formatCount(row.neverUsedIn)}`;
}

/**
 * The MongoDB fleet: one row per logical index across the tenants' collections. Read on demand —
 * MongoDB keeps index statistics per collection, so a fleet of 10,000 tenants is many reads.
 */
export function MongoFleetPanel({ workspaceId }: { workspaceId: string }) {
  const [view, setView] = useState<MongoFleetView | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function read(): Promise<void> {
    setLoading(true);
    setError(null);
    try {
      setView(await api().indexes.mongoFleet({ workspaceId }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setLoading(false);
    }
  }

  return (
    <Paper withBorder p="sm" aria-label="MongoDB fleet" role="region">
      <Stack gap="xs">
        <Group gap="sm" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Title order={5}>MongoDB across tenants</Title>
            {loading && <Loader size="xs" />}
          </Group>
          <Button size="xs" variant="light" leftSection={<Layers size={13} />} onClick={() => void read()} disabled={loading}>
            {view ? 'Read again' : 'Read the fleet'}
          </Button>
        </Group>
        {error && (
          <Alert color="red" variant="light" p="xs">
            {error}
          </Alert>
        )}
        {view && (
          <>
            <Text size="xs" c="dimmed" data-testid="mongo-fleet-summary">
              {view.database} · {formatCount(view.collectionsRead)} collections read, {formatCount(view.tenantCollections)} of them tenants’ · accesses per node
              since it started or the index was built
            </Text>
            <Table fz="xs" verticalSpacing={3} highlightOnHover aria-label="MongoDB fleet indexes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Collection</Table.Th>
                  <Table.Th>Index</Table.Th>
                  <Table.Th>Key</Table.Th>
                  <Table.Th ta="right">Collections</Table.Th>
                  <Table.Th ta="right">Size</Table.Th>
                  <Table.Th ta="right">Accesses</Table.Th>
                  <Table.Th>Usage</Table.Th>
                  <Table.Th>Top tenants</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {view.rows.map((row) => (
                  <Table.Tr key={`${row.layout}:${row.collection}:${row.name}`} data-mongo-fleet={`${row.collection}.${row.name}`}>
                    <Table.Td ff="monospace">{row.collection}</Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Text size="xs" ff="monospace">
                          {row.name}
                        </Text>
                        {row.prescribed && (
                          <Badge size="xs" variant="outline" color="teal">
                            blueprint
                          </Badge>
                        )}
                        {row.layout === 'shared' && (
                          <Badge size="xs" variant="outline" color="gray">
                            shared
                          </Badge>
                        )}
                        {row.variants > 1 && (
                          <Tooltip label="Tenants have this index name with different key specs; the key shown is the one most have.">
                            <Badge size="xs" color="yellow">
                              {row.variants} keys
                            </Badge>
                          </Tooltip>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td ff="monospace">{keyText(row.key)}</Table.Td>
                    <Table.Td ta="right">{formatCount(row.collections)}</Table.Td>
                    <Table.Td ta="right">{formatBytes(row.sizeBytes)}</Table.Td>
                    <Table.Td ta="right">{formatCount(row.accesses)}</Table.Td>
                    <Table.Td>
                      <Text size="xs" c={row.neverUsedIn && row.usedIn === 0 ? 'yellow' : undefined}>
                        {mongoUsageLabel(row)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed" truncate title={row.topTenants.map((t) => `${t.tenantId}: ${t.ops}`).join('\n')}>
                        {row.topTenants.map((t) => `${shortId(t.tenantId)} (${formatCount(t.ops)})`).join(', ') || '—'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Paper>
  );
}
