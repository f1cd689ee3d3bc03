import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { Tenant } from '@shared/model/tenant';
import { STORE_LABELS, type StoreKind } from '@shared/model/workspace';
import type { DataGridColumn } from '../../components/DataGrid';
import { formatBytes, formatCount, formatShortTime } from '../../lib/format';
import type { StoreColumn } from './slice';
import { StoreColumnHeader } from './StoreColumnHeader';

function Dim({ children }: { children: string }) {
  return (
    <Text span size="xs" c="dimmed">
      {children}
    </Text>
  );
}

/** The figure a store column shows for one tenant, and what it sorts by. */
const FOOTPRINT: Record<StoreKind, { text(t: Tenant): string | null; size(t: Tenant): number | null }> = {
  postgres: {
    text: (t) => (t.footprint.postgres ? (t.footprint.postgres.schema === null ? 'no schema' : `${formatCount(t.footprint.postgres.rowsEstimate)} rows · ${formatBytes(t.footprint.postgres.bytesEstimate)}`) : null),
    size: (t) => t.footprint.postgres?.bytesEstimate ?? null,
  },
  mongo: {
    text: (t) => (t.footprint.mongo ? `${formatCount(t.footprint.mongo.documents)} docs · ${formatBytes(t.footprint.mongo.bytes)}` : null),
    size: (t) => t.footprint.mongo?.bytes ?? null,
  },
  redis: {
    text: (t) => (t.footprint.redis ? `${formatCount(t.footprint.redis.keys)} keys · ${formatBytes(t.footprint.redis.bytesEstimate)}` : null),
    size: (t) => t.footprint.redis?.keys ?? null,
  },
  elastic: {
    text: (t) => (t.footprint.elastic ? `${t.footprint.elastic.indices} idx · ${formatCount(t.footprint.elastic.documents)} docs` : null),
    size: (t) => t.footprint.elastic?.documents ?? null,
  },
};

function storeCell(store: StoreKind, column: StoreColumn, tenant: Tenant) {
  const text = FOOTPRINT[store].text(tenant);
  if (text !== null) return text;
  switch (column.state) {
    case 'loading':
      return <Dim>…</Dim>;
    case 'ok':
      return <Dim>none</Dim>;
    case 'not_configured':
      return <Dim> </Dim>;
    default:
      return <Dim>unknown</Dim>;
  }
}

/** The tenant browser's columns; store columns carry their store's state in the header. */
export function tenantColumns(stores: Record<StoreKind, StoreColumn>): DataGridColumn<Tenant>[] {
  const storeColumns = (Object.keys(stores) as StoreKind[])
    .filter((store) => stores[store].state !== 'not_configured')
    .map(
      (store): DataGridColumn<Tenant> => ({
        id: store,
        label: STORE_LABELS[store],
        header: <StoreColumnHeader store={store} column={stores[store]} />,
        width: 190,
        align: 'right',
        cell: (t) => storeCell(store, stores[store], t),
        sortValue: FOOTPRINT[store].size,
      }),
    );
  return [
    {
      id: 'name',
      label: 'Tenant',
      header: 'Tenant',
      cell: (t) => (
        <Group gap={6} wrap="nowrap">
          <Text span size="sm" fw={500} truncate>
            {t.name ?? t.id}
          </Text>
          {t.name !== null && (
            <Text span size="xs" c="dimmed" ff="monospace" truncate>
              {t.id}
            </Text>
          )}
        </Group>
      ),
      sortValue: (t) => t.name ?? t.id,
    },
    { id: 'status', label: 'Status', header: 'Status', width: 100, cell: (t) => t.status ?? <Dim>—</Dim>, sortValue: (t) => t.status },
    ...storeColumns,
    { id: 'lastActivity', label: 'Last activity', header: 'Last activity', width: 140, cell: (t) => (t.lastActivity ? formatShortTime(t.lastActivity) : <Dim>—</Dim>), sortValue: (t) => t.lastActivity },
    {
      id: 'issues',
      label: 'Inconsistencies',
      header: 'Issues',
      width: 150,
      cell: (t) =>
        t.inconsistencies.length === 0 ? null : (
          <Tooltip label={t.inconsistencies.map((i) => i.message).join('\n')} multiline maw={420} style={{ whiteSpace: 'pre-line' }}>
            <Group gap={4} wrap="nowrap">
              {t.inconsistencies.map((i) => (
                <Badge key={`${i.kind}-${i.store}`} color="orange" variant="light" size="xs" radius="sm" data-inconsistency={i.kind}>
                  {i.kind.replace(/_/g, ' ')}
                </Badge>
              ))}
            </Group>
          </Tooltip>
        ),
      sortValue: (t) => t.inconsistencies.length,
    },
  ];
}
