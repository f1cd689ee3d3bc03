import { useState } from 'react';
import { Alert, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { ArrowRightLeft, CalendarPlus, Trash2, Unlink } from 'lucide-react';
import type { DefaultRows, Partition, PartitionedTable, TenantPartitions as TenantView } from '@shared/model/partitions';
import { api } from '../../api';
import { formatBytes, formatCount } from '../../lib/format';
import { useCall } from '../../lib/useCall';
import type { JobSummary } from '@shared/model/job';
import { PlanDialog, type PlannedStatement } from './PlanDialog';
import { moveStatements, premakeStatements, premakeSummary, retentionStatements, retentionSummary } from './plans';

const STATE_COLOR: Record<Partition['state'], string> = { attached: 'green', detach_pending: 'orange', detached: 'gray' };

interface Dialog {
  title: string;
  summary: string;
  statements: PlannedStatement[];
  confirmText?: string;
  startLabel: string;
  danger?: boolean;
  start(confirm: string | undefined): Promise<JobSummary>;
}

interface TenantPartitionsProps {
  workspaceId: string;
  tenantId: string;
  keepAhead: number;
  /** Support reads only: no change controls at all. */
  mayChange: boolean;
  onChanged(): void;
}

/** One tenant's partitioned tables: every partition with its bounds, rows, size and state, and the changes a person may start. */
export function TenantPartitions({ workspaceId, tenantId, keepAhead, mayChange, onChanged }: TenantPartitionsProps) {
  const view = useCall((signal) => api().partitions.tenant({ workspaceId, tenantId, keepAhead }, { signal }), [workspaceId, tenantId, keepAhead]);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const open = async (make: () => Promise<Dialog>): Promise<void> => {
    setProblem(null);
    try {
      setDialog(await make());
    } catch (failure) {
      setProblem(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const premake = (table: string) =>
    open(async () => {
      const plan = await api().partitions.premakePlan({ workspaceId, tenantId, keepAhead, table });
      return {
        title: `Premake ${table} in this tenant`,
        summary: premakeSummary(plan),
        statements: premakeStatements(plan),
        startLabel: 'Start premake',
        start: () => api().partitions.premake({ workspaceId, tenantId, keepAhead, table }),
      };
    });
  const retire = (table: string, drop: boolean) =>
    open(async () => {
      const plan = await api().partitions.retentionPlan({ workspaceId, tenantId, table, drop });
      return {
        title: `${drop ? 'Drop' : 'Detach'} expired partitions of ${table}`,
        summary: retentionSummary(plan),
        statements: retentionStatements(plan),
        ...(drop ? { confirmText: plan.confirmText } : {}),
        startLabel: drop ? 'Detach and drop' : 'Detach',
        danger: drop,
        start: (confirm) => api().partitions.retire({ workspaceId, tenantId, table, drop, ...(confirm ? { confirm } : {}) }),
      };
    });

  if (view.loading && !view.data) return <Loader size="sm" />;
  if (view.error) return <Alert color="red" variant="light" title="The partitions could not be read">{view.error}</Alert>;
  if (!view.data) return null;
  const data = view.data;
  return (
    <Stack gap="sm" data-testid="tenant-partitions">
      {problem && <Alert color="red" variant="light" p="xs" title="The plan could not be made">{problem}</Alert>}
      {data.tables.length === 0 && <Text size="sm" c="dimmed">This tenant has no partitioned table.</Text>}
      {data.tables.map((table) => (
        <TableCard
          key={table.table}
          workspaceId={workspaceId}
          view={data}
          table={table}
          mayChange={mayChange}
          onPremake={() => void premake(table.table)}
          onRetire={(drop) => void retire(table.table, drop)}
          onMove={(rows) =>
            void open(async () => {
              const months = rows.months.filter((m) => m.conflict === null);
              return {
                title: `Move ${table.table} rows out of ${rows.defaultPartition ?? 'the default partition'}`,
                summary: `${months.reduce((s, m) => s + m.rows, 0)} row(s) of ${months.length} month(s) go to new partitions, in one transaction; rows of months in conflict stay.`,
                statements: moveStatements(tenantId, data.schema, table.table, rows.defaultPartition ?? `${table.table}_default`, table.key, months),
                startLabel: 'Move rows',
                start: () => api().partitions.moveDefaultRows({ workspaceId, tenantId, table: table.table, months: months.map((m) => m.month) }),
              };
            })
          }
        />
      ))}
      {dialog && (
        <PlanDialog
          {...dialog}
          onStart={dialog.start}
          onClose={(finished) => {
            setDialog(null);
            if (finished) {
              view.reload();
              onChanged();
            }
          }}
        />
      )}
    </Stack>
  );
}

interface TableCardProps {
  workspaceId: string;
  view: TenantView;
  table: PartitionedTable;
  mayChange: boolean;
  onPremake(): void;
  onRetire(drop: boolean): void;
  onMove(rows: DefaultRows): void;
}

function TableCard({ workspaceId, view, table, mayChange, onPremake, onRetire, onMove }: TableCardProps) {
  const [rows, setRows] = useState<DefaultRows | null>(null);
  const [counting, setCounting] = useState(false);
  const [countError, setCountError] = useState<string | null>(null);
  const monthly = table.rule.startsWith('monthly');
  const count = async (): Promise<void> => {
    setCounting(true);
    setCountError(null);
    try {
      setRows(await api().partitions.defaultRows({ workspaceId, tenantId: view.tenantId, table: table.table }));
    } catch (failure) {
      setCountError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setCounting(false);
    }
  };
  const movable = rows?.months.filter((m) => m.conflict === null) ?? [];
  return (
    <Paper withBorder p="sm" role="region" aria-label={`Partitions of ${table.table}`}>
      <Stack gap="xs">
        <Group gap="xs" justify="space-between" wrap="nowrap">
          <Group gap="xs">
            <Text fw={600} ff="monospace" size="sm">{table.table}</Text>
            <Text size="xs" c="dimmed">{table.rule}</Text>
            {table.horizon && <Badge size="sm" variant="light" color="blue">ready to {table.horizon}</Badge>}
            {table.missingAhead.length > 0 && (
              <Tooltip label={table.missingAhead.join(', ')}>
                <Badge size="sm" variant="light" color="orange" data-testid="missing-ahead">{table.missingAhead.length} month(s) missing ahead</Badge>
              </Tooltip>
            )}
            {table.holes.length > 0 && <Badge size="sm" variant="light" color="yellow">holes: {table.holes.join(', ')}</Badge>}
            {table.expired.length > 0 && <Badge size="sm" variant="light" color="grape">{table.expired.length} past retention</Badge>}
          </Group>
          {mayChange && monthly && (
            <Group gap={6} wrap="nowrap">
              <Button size="compact-xs" leftSection={<CalendarPlus size={12} />} onClick={onPremake}>Premake…</Button>
              <Button size="compact-xs" variant="default" leftSection={<Unlink size={12} />} disabled={table.expired.length === 0} onClick={() => onRetire(false)}>
                Detach expired…
              </Button>
              <Button
                size="compact-xs"
                variant="default"
                color="red"
                leftSection={<Trash2 size={12} />}
                disabled={table.expired.length === 0 && !table.partitions.some((p) => p.state !== 'attached')}
                onClick={() => onRetire(true)}
              >
                Drop expired…
              </Button>
            </Group>
          )}
        </Group>
        {table.defaultPartition && (
          <Group gap="xs">
            <Text size="xs">
              Default partition <Text span ff="monospace" size="xs">{table.defaultPartition.name}</Text>: ~{formatCount(table.defaultPartition.rows)} row(s), {formatBytes(table.defaultPartition.bytes)}
              {table.defaultPartition.state !== 'attached' ? ` (${table.defaultPartition.state})` : ''}
            </Text>
            {monthly && <Button size="compact-xs" variant="subtle" loading={counting} onClick={() => void count()}>Count by month</Button>}
          </Group>
        )}
        {countError && <Text size="xs" c="red">{countError}</Text>}
        {rows && (
          <Group gap="xs" data-testid="default-rows">
            {rows.months.length === 0 && <Text size="xs" c="dimmed">No rows wait in the default partition.</Text>}
            {rows.months.map((m) => (
              <Badge key={m.month} size="sm" variant="light" color={m.conflict ? 'red' : 'orange'} title={m.conflict ?? `goes to ${m.partition}`}>
                {m.month}: {formatCount(m.rows)}
              </Badge>
            ))}
            {rows.unplaceable > 0 && <Badge size="sm" variant="light" color="gray">no month: {rows.unplaceable}</Badge>}
            {mayChange && movable.length > 0 && (
              <Button size="compact-xs" leftSection={<ArrowRightLeft size={12} />} onClick={() => onMove(rows)}>Move…</Button>
            )}
          </Group>
        )}
        <Table striped highlightOnHover withTableBorder fz="xs" verticalSpacing={2} aria-label={`${table.table} partitions`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Partition</Table.Th>
              <Table.Th w={80}>Month</Table.Th>
              <Table.Th>Bounds</Table.Th>
              <Table.Th w={100} ta="right">Rows (est.)</Table.Th>
              <Table.Th w={80} ta="right">Size</Table.Th>
              <Table.Th w={110}>State</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {table.partitions.map((p) => (
              <Table.Tr key={p.name}>
                <Table.Td ff="monospace">{p.name}</Table.Td>
                <Table.Td>{p.month ?? (p.firstMonth ? `${p.firstMonth}…${p.lastMonth ?? ''}` : '—')}</Table.Td>
                <Table.Td ff="monospace" c="dimmed" style={{ maxWidth: 360, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={p.bound ?? ''}>
                  {p.bound ?? '—'}
                </Table.Td>
                <Table.Td ta="right">{formatCount(p.rows)}</Table.Td>
                <Table.Td ta="right">{formatBytes(p.bytes)}</Table.Td>
                <Table.Td>
                  <Badge size="xs" variant="light" color={STATE_COLOR[p.state]}>{p.state.replace('_', ' ')}</Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}
