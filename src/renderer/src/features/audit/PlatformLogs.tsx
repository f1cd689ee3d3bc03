import { useState } from 'react';
import { Alert, Badge, Group, Loader, Stack, Text, Tooltip } from '@mantine/core';
import type { MethodResult } from '@shared/contract';
import type { PlatformLogEntry } from '@shared/contract/audit';
import { api } from '../../api';
import { DataGrid, type DataGridColumn, type SortState } from '../../components/DataGrid';
import { useCall } from '../../lib/useCall';
import { formatAuditTime } from './columns';

type PlatformLogs = MethodResult<'audit.platformLogs'>;
type Source = PlatformLogs['sources']['postgres'];

const STORE_LABEL: Record<PlatformLogEntry['store'], string> = { postgres: 'PostgreSQL', mongo: 'MongoDB', elastic: 'Elasticsearch' };

const COLUMNS: readonly DataGridColumn<PlatformLogEntry & { key: string }>[] = [
  { id: 'at', label: 'Time', header: 'Time', width: 168, cell: (e) => formatAuditTime(e.at), sortValue: (e) => e.at },
  { id: 'store', label: 'Store', header: 'Store', width: 110, cell: (e) => STORE_LABEL[e.store], sortValue: (e) => e.store },
  { id: 'actor', label: 'Actor', header: 'Actor', width: 200, cell: (e) => e.actor ?? '—', sortValue: (e) => e.actor },
  { id: 'action', label: 'Action', header: 'Action', width: 140, cell: (e) => e.action ?? '—', sortValue: (e) => e.action },
  { id: 'target', label: 'Target', header: 'Target', cell: (e) => <span title={e.target ?? undefined}>{e.target ?? '—'}</span> },
  {
    id: 'record',
    label: 'Record',
    header: 'Record (masked)',
    cell: (e) => {
      const text = JSON.stringify(e.record);
      return (
        <Text span size="xs" ff="monospace" title={text}>
          {text}
        </Text>
      );
    },
  },
];

function SourceBadge({ store, source }: { store: PlatformLogEntry['store']; source: Source }) {
  const text = source.state === 'ok' ? `${source.where}${source.truncated ? ' · cut' : ''}` : source.message;
  const color = source.state === 'ok' ? 'teal' : source.state === 'not_configured' ? 'gray' : 'orange';
  return (
    <Tooltip label={text} withArrow multiline w={320}>
      <Badge size="sm" variant="light" color={color} data-source={store} data-state={source.state}>
        {STORE_LABEL[store]} · {source.state.replace('_', ' ')}
      </Badge>
    </Tooltip>
  );
}

/** The platform's own audit logs for one tenant, from each store that has them, beside the console's. */
export function PlatformLogsPanel({ workspaceId, tenantId }: { workspaceId: string; tenantId: string }) {
  const { data: logs, error, loading } = useCall((signal) => api().audit.platformLogs({ workspaceId, tenantId, limit: 200 }, { signal }), [workspaceId, tenantId]);
  const [sort, setSort] = useState<SortState | null>(null);

  const rows = (logs?.entries ?? []).map((entry, index) => ({ ...entry, key: `${entry.store}:${index}` }));

  return (
    <Stack gap={6} component="section" aria-label="Platform audit logs">
      <Group gap="xs" justify="space-between">
        <Group gap="xs">
          <Text size="sm" fw={600}>
            The platform’s own audit logs for {tenantId}
          </Text>
          {loading && <Loader size="xs" />}
        </Group>
        {logs && (
          <Group gap={4}>
            {(['postgres', 'mongo', 'elastic'] as const).map((store) => (
              <SourceBadge key={store} store={store} source={logs.sources[store]} />
            ))}
          </Group>
        )}
      </Group>
      {error ? (
        <Alert color="red" variant="light" p="xs">
          {error}
        </Alert>
      ) : (
        <DataGrid
          label="Platform audit logs"
          rows={rows}
          columns={COLUMNS}
          rowKey={(row) => row.key}
          sort={sort}
          onSortChange={setSort}
          height={260}
          empty={
            !loading && (
              <Text size="xs" c="dimmed" p="sm">
                No platform audit entries for this tenant in the configured stores.
              </Text>
            )
          }
        />
      )}
    </Stack>
  );
}
