import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { ArrowLeft, RefreshCw, Trash2, Wrench } from 'lucide-react';
import type { TableIndex } from '@shared/model/indexes';
import type { JobSummary } from '@shared/model/job';
import { api } from '../../api';
import { ConfirmDanger } from '../../components/ConfirmDanger';
import { formatBytes, formatCount } from '../../lib/format';
import { useCall } from '../../lib/useCall';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { CreateIndexForm } from './CreateIndexForm';
import { FollowedJob } from './FollowedJob';
import { lastScanLabel, statsResetLabel } from './indexes-state';
import { useFollowedJob } from '../../lib/useFollowedJob';

/**
 * One tenant's table: each index with its definition, size and scans since the stats reset; a
 * form that builds a new one concurrently as a job; rebuild or drop for an invalid one. Support
 * sees the inventory and nothing that changes it.
 */
export function TableIndexesScreen({ tenantId, table }: { tenantId: string; table: string }) {
  const workspaceId = useAppStore((s) => s.activeWorkspaceId);
  const navigate = useAppStore((s) => s.navigate);
  const mayChange = useAppStore((s) => roleIn(s, s.activeWorkspaceId)) !== 'support';
  const inventory = useCall(workspaceId ? (signal) => api().indexes.table({ workspaceId, tenantId, table }, { signal }) : null, [workspaceId, tenantId, table]);
  const [started, setStarted] = useState<JobSummary | null>(null);
  const job = useFollowedJob(started);
  const [dropping, setDropping] = useState<TableIndex | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (!workspaceId) return null;

  async function rebuild(index: TableIndex): Promise<void> {
    if (!workspaceId) return;
    setError(null);
    try {
      setStarted(await api().indexes.rebuild({ workspaceId, tenantId, index: index.name }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  const data = inventory.data;
  return (
    <Stack gap="sm" p="md">
      <Group gap="sm" justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Anchor component="button" type="button" size="sm" onClick={() => navigate({ name: 'indexes' })} aria-label="Back to the fleet">
            <ArrowLeft size={14} />
          </Anchor>
          <Title order={3}>Indexes of {table}</Title>
          {inventory.loading && <Loader size="xs" />}
        </Group>
        <Button size="xs" variant="default" leftSection={<RefreshCw size={13} />} onClick={inventory.reload} style={{ flexShrink: 0 }}>
          Refresh
        </Button>
      </Group>
      <Text size="xs" c="dimmed" mt={-6}>
        tenant {tenantId}
        {data ? ` · schema ${data.schema} · usage ${statsResetLabel(data.statsReset)}` : ''}
      </Text>
      {(inventory.error ?? error) && (
        <Alert color="red" variant="light" p="xs">
          {inventory.error ?? error}
        </Alert>
      )}
      {data && (
        <Table fz="xs" verticalSpacing={4} highlightOnHover aria-label="Table indexes">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={240}>Index</Table.Th>
              <Table.Th>Definition</Table.Th>
              <Table.Th w={80} ta="right">
                Size
              </Table.Th>
              <Table.Th w={80} ta="right">
                Scans
              </Table.Th>
              <Table.Th w={200}>Last scan</Table.Th>
              <Table.Th w={170}>State</Table.Th>
              {mayChange && <Table.Th w={170} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.indexes.map((index) => (
              <Table.Tr key={index.name} data-index={index.name} data-valid={index.valid}>
                <Table.Td>
                  <Text size="xs" ff="monospace">
                    {index.name}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" ff="monospace" style={{ wordBreak: 'break-word' }}>
                    {index.definition}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{formatBytes(index.sizeBytes)}</Table.Td>
                <Table.Td ta="right">{formatCount(index.scans)}</Table.Td>
                <Table.Td>
                  <Text
                    size="xs"
                    c={index.lastScanKnown ? undefined : 'dimmed'}
                    data-last-scan-known={index.lastScanKnown}
                    title={index.lastScanKnown ? undefined : 'PostgreSQL keeps the time of an index’s last scan from version 16 on; this server counts scans since the statistics reset only.'}
                  >
                    {lastScanLabel(index, data.statsReset)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {!index.valid && (
                      <Badge size="xs" color="red">
                        invalid
                      </Badge>
                    )}
                    {index.primary && <Badge size="xs" variant="light">primary</Badge>}
                    {index.unique && !index.primary && <Badge size="xs" variant="light">unique</Badge>}
                    {index.prescribed ? (
                      <Badge size="xs" variant="outline" color="teal">
                        blueprint
                      </Badge>
                    ) : (
                      // An index backing a constraint comes with the constraint, which drift compares on its own.
                      index.constraint === null && (
                        <Badge size="xs" variant="outline" color="gray">
                          extra
                        </Badge>
                      )
                    )}
                  </Group>
                </Table.Td>
                {mayChange && (
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {!index.valid && (
                        <Button size="compact-xs" variant="light" leftSection={<Wrench size={11} />} onClick={() => void rebuild(index)} aria-label={`Rebuild ${index.name}`}>
                          Rebuild
                        </Button>
                      )}
                      {index.constraint === null && (
                        <Button size="compact-xs" variant="light" color="red" leftSection={<Trash2 size={11} />} onClick={() => setDropping(index)} aria-label={`Drop ${index.name}`}>
                          Drop
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {mayChange && (
        <Paper withBorder p="sm">
          <Text size="sm" fw={600} mb={4}>
            Create an index in {tenantId}
          </Text>
          <CreateIndexForm workspaceId={workspaceId} tenantId={tenantId} table={table} onStarted={setStarted} />
        </Paper>
      )}
      {job && <FollowedJob job={job} label="Build progress" />}
      {job && (job.state === 'succeeded' || job.state === 'failed') && (
        <Group>
          <Button size="xs" variant="default" onClick={inventory.reload}>
            Read the indexes again
          </Button>
        </Group>
      )}
      <ConfirmDanger
        opened={dropping !== null}
        title={`Drop ${dropping?.name ?? ''}`}
        confirmText={dropping?.name ?? ''}
        actionLabel="Drop index"
        onCancel={() => setDropping(null)}
        onConfirm={async (typed) => {
          if (!dropping) return;
          await api().indexes.drop({ workspaceId, tenantId, index: dropping.name, confirmName: typed });
          setDropping(null);
          inventory.reload();
        }}
      >
        <Text size="sm">
          DROP INDEX CONCURRENTLY in tenant {tenantId}. Queries that used it fall back to other plans at once; building it again takes a job.
        </Text>
      </ConfirmDanger>
    </Stack>
  );
}
