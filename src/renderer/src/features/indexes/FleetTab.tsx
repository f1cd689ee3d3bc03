import { useMemo, useState } from 'react';
import { Alert, Badge, Group, Loader, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { Search } from 'lucide-react';
import type { FleetIndex } from '@shared/model/indexes';
import { DataGrid, type DataGridColumn, type SortState } from '../../components/DataGrid';
import { formatBytes, formatCount } from '../../lib/format';
import { filterFleet, statsResetLabel } from './indexes-state';
import type { FleetState } from './useFleet';

/** A tenant id short enough for a dense cell: the first block of a UUID; the whole id is in the title. */
const shortId = (id: string): string => (/^[0-9a-f]{8}-/.test(id) ? id.slice(0, 8) : id);

const COLUMNS: DataGridColumn<FleetIndex>[] = [
  { id: 'table', header: 'Table', label: 'Table', width: 104, cell: (r) => r.table, sortValue: (r) => r.table },
  {
    id: 'name',
    header: 'Index',
    label: 'Index',
    width: 200,
    cell: (r) => (
      <Text size="xs" ff="monospace" truncate title={r.name}>
        {r.name}
      </Text>
    ),
    sortValue: (r) => r.name,
  },
  {
    id: 'definition',
    header: 'Definition',
    label: 'Definition',
    cell: (r) => (
      <Group gap={4} wrap="nowrap">
        <Text size="xs" ff="monospace" truncate title={r.definition}>
          {r.definition}
        </Text>
        {r.variants > 1 && (
          <Badge size="xs" color="yellow" variant="light">
            {r.variants} variants
          </Badge>
        )}
      </Group>
    ),
  },
  { id: 'tenants', header: 'Tenants', label: 'Tenants', width: 74, align: 'right', cell: (r) => formatCount(r.tenants), sortValue: (r) => r.tenants },
  { id: 'size', header: 'Size', label: 'Size', width: 76, align: 'right', cell: (r) => formatBytes(r.sizeBytes), sortValue: (r) => r.sizeBytes },
  { id: 'scans', header: 'Scans', label: 'Scans', width: 70, align: 'right', cell: (r) => formatCount(r.scans), sortValue: (r) => r.scans },
  {
    id: 'usage',
    header: 'Used/never',
    label: 'Used in / never used in',
    width: 100,
    align: 'right',
    cell: (r) => (
      <Text size="xs" span data-testid="fleet-usage">
        {r.usedIn} / <Text span size="xs" c={r.neverUsedIn > 0 ? 'orange' : 'dimmed'}>{r.neverUsedIn}</Text>
      </Text>
    ),
    sortValue: (r) => r.neverUsedIn,
  },
  {
    id: 'invalid',
    header: 'Invalid',
    label: 'Invalid in',
    width: 68,
    align: 'right',
    cell: (r) => (r.invalidIn > 0 ? <Badge size="xs" color="red">{r.invalidIn}</Badge> : <Text size="xs" c="dimmed">0</Text>),
    sortValue: (r) => r.invalidIn,
  },
  {
    id: 'top',
    header: 'Top tenants by scans',
    label: 'Top tenants by scans',
    width: 160,
    cell: (r) => (
      <Text size="xs" c="dimmed" truncate title={r.topTenants.map((t) => `${t.tenantId}: ${t.scans}`).join('\n')}>
        {r.topTenants.filter((t) => t.scans > 0).map((t) => `${shortId(t.tenantId)} (${formatCount(t.scans)})`).join(', ') || '—'}
      </Text>
    ),
  },
];

/**
 * One row per logical index across every tenant schema, as the catalog pass streams them in; a
 * click opens the table's indexes in the busiest tenant that has it.
 */
export function FleetTab({ fleet, onOpen }: { fleet: FleetState; onOpen(row: FleetIndex): void }) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortState | null>({ column: 'size', direction: 'desc' });
  const rows = useMemo(() => filterFleet(fleet.rows, filter), [fleet.rows, filter]);
  return (
    <Stack gap="xs">
      <Group gap="sm" justify="space-between" wrap="nowrap">
        <TextInput
          size="xs"
          w={320}
          placeholder="Filter by table, name or definition"
          aria-label="Filter indexes"
          leftSection={<Search size={13} />}
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value)}
        />
        <Group gap="sm" wrap="nowrap">
          {fleet.loading && <Loader size="xs" />}
          <Text size="xs" c="dimmed" data-testid="fleet-progress">
            {fleet.loading ? `reading… ${fleet.schemasDone} of ${fleet.schemasTotal || '?'} tenant schemas` : `${fleet.schemasTotal} tenant schemas`} ·{' '}
            {rows.length} of {fleet.rows.length} indexes
          </Text>
          {fleet.statsReset && (
            <Tooltip label="Scans count from the last statistics reset: an index with no scans is only called unused once the statistics are old enough.">
              <Text size="xs" c="dimmed" data-testid="stats-reset">
                usage {statsResetLabel(fleet.statsReset)}
              </Text>
            </Tooltip>
          )}
        </Group>
      </Group>
      {fleet.error && (
        <Alert color="red" variant="light" p="xs" title="The fleet view could not be read">
          {fleet.error}
        </Alert>
      )}
      <DataGrid
        label="Fleet indexes"
        rows={rows}
        columns={COLUMNS}
        rowKey={(r) => `${r.table}.${r.name}`}
        sort={sort}
        onSortChange={setSort}
        onRowClick={onOpen}
        height="calc(100vh - 250px)"
        rowHeight={30}
        empty={fleet.loading ? 'Reading the catalogs…' : 'No index matches.'}
      />
    </Stack>
  );
}
