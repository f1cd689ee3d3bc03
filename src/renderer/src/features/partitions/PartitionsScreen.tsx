import { useMemo, useState } from 'react';
import { Alert, Button, Group, Loader, NumberInput, Stack, Text, Title } from '@mantine/core';
import { CalendarPlus, CalendarRange, Unlink } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import type { FleetPartitionRow } from '@shared/model/partitions';
import { api } from '../../api';
import { DataGrid, type DataGridColumn, type SortState } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { formatBytes, formatCount } from '../../lib/format';
import { useCall } from '../../lib/useCall';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { PlanDialog, type PlannedStatement } from './PlanDialog';
import { premakeStatements, premakeSummary, retentionStatements, retentionSummary } from './plans';
import { TenantPartitions } from './TenantPartitions';

const shortId = (id: string): string => (/^[0-9a-f]{8}-/.test(id) ? id.slice(0, 8) : id);

const COLUMNS: DataGridColumn<FleetPartitionRow>[] = [
  { id: 'tenant', header: 'Tenant', label: 'Tenant', width: 96, cell: (r) => <Text size="xs" ff="monospace" title={r.tenantId}>{shortId(r.tenantId)}</Text>, sortValue: (r) => r.tenantId },
  { id: 'horizon', header: 'Ready to', label: 'Ready to (horizon)', width: 100, cell: (r) => r.horizon ?? '—', sortValue: (r) => r.horizon ?? '' },
  {
    id: 'short',
    header: 'Short',
    label: 'Months short of the keep-ahead window',
    width: 64,
    align: 'right',
    cell: (r) => <Text size="xs" c={r.monthsShort > 0 ? 'orange' : 'dimmed'}>{r.monthsShort}</Text>,
    sortValue: (r) => r.monthsShort,
  },
  {
    id: 'default',
    header: 'Default rows',
    label: 'Rows in default partitions (estimate)',
    width: 116,
    align: 'right',
    cell: (r) => <Text size="xs" c={r.defaultRows > 0 ? 'red' : 'dimmed'}>{formatCount(r.defaultRows)}</Text>,
    sortValue: (r) => r.defaultRows,
  },
  { id: 'tables', header: 'Tables', label: 'Partitioned tables', width: 76, align: 'right', cell: (r) => r.tables, sortValue: (r) => r.tables },
  { id: 'partitions', header: 'Partitions', label: 'Attached partitions', width: 100, align: 'right', cell: (r) => r.partitions, sortValue: (r) => r.partitions },
  { id: 'detached', header: 'Detached', label: 'Detached or pending', width: 96, align: 'right', cell: (r) => r.detached, sortValue: (r) => r.detached },
  { id: 'expired', header: 'Expired', label: 'Past retention', width: 88, align: 'right', cell: (r) => r.expired, sortValue: (r) => r.expired },
  { id: 'size', header: 'Size', label: 'Size', align: 'right', cell: (r) => formatBytes(r.bytes), sortValue: (r) => r.bytes },
];

interface Dialog {
  title: string;
  summary: string;
  statements: PlannedStatement[];
  confirmText?: string;
  startLabel: string;
  start(confirm: string | undefined): Promise<JobSummary>;
}

/**
 * PostgreSQL partitions of the active workspace: every tenant's horizon, the months it is short of
 * the keep-ahead window and the rows in its default partitions, then one tenant's tables and
 * partitions. Premake and retention show their statements before the job starts.
 */
export function PartitionsScreen({ tenantId }: { tenantId?: string }) {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const navigate = useAppStore((s) => s.navigate);
  const role = useAppStore((s) => roleIn(s, s.activeWorkspaceId));
  const mayChange = role !== 'support';
  const workspaceId = workspace?.endpoints.postgres ? workspace.id : null;
  const [keepAhead, setKeepAhead] = useState(4);
  const [sort, setSort] = useState<SortState | null>({ column: 'horizon', direction: 'asc' });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Bumped when a job started here ends, so the tenant below is read again too.
  const [changes, setChanges] = useState(0);
  const fleet = useCall(workspaceId ? (signal) => api().partitions.fleet({ workspaceId, keepAhead }, { signal }) : null, [workspaceId, keepAhead]);
  const rows = useMemo(() => fleet.data?.rows ?? [], [fleet.data]);
  const short = useMemo(() => rows.filter((r) => r.monthsShort > 0).map((r) => r.tenantId), [rows]);
  const expired = useMemo(() => rows.filter((r) => r.expired > 0).length, [rows]);

  if (!workspace) {
    return (
      <EmptyState icon={<CalendarRange size={22} />} title="No workspace open">
        Partitions belong to a workspace: open one to see them across its tenants.
      </EmptyState>
    );
  }
  if (!workspaceId) {
    return (
      <EmptyState icon={<CalendarRange size={22} />} title="No PostgreSQL here">
        Partitions live in tenant schemas on PostgreSQL, which {workspace.name} does not have.
      </EmptyState>
    );
  }

  const open = async (make: () => Promise<Dialog>): Promise<void> => {
    setProblem(null);
    try {
      setDialog(await make());
    } catch (failure) {
      setProblem(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const premakeShort = () =>
    open(async () => {
      const plan = await api().partitions.premakePlan({ workspaceId, tenantIds: short, keepAhead });
      return {
        title: `Premake in ${short.length} tenant(s) short of partitions`,
        summary: premakeSummary(plan),
        statements: premakeStatements(plan),
        startLabel: 'Start premake',
        start: () => api().partitions.premake({ workspaceId, tenantIds: short, keepAhead }),
      };
    });
  const detachAll = () =>
    open(async () => {
      const plan = await api().partitions.retentionPlan({ workspaceId, allTenants: true });
      return {
        title: 'Detach expired partitions in every tenant',
        summary: retentionSummary(plan),
        statements: retentionStatements(plan),
        startLabel: 'Detach',
        start: () => api().partitions.retire({ workspaceId, allTenants: true }),
      };
    });

  return (
    <Stack gap="sm" p="md">
      <Group gap="sm" justify="space-between">
        <Group gap="sm">
          <Title order={3}>Partitions</Title>
          <Text size="sm" c="dimmed">
            {workspace.name} · {workspace.environment}
          </Text>
          {fleet.data && (
            <Text size="sm" c="dimmed" data-testid="partitions-summary">
              {fleet.data.tenantSchemas} tenant schema(s) · now {fleet.data.now} · {short.length} short of {keepAhead} month(s) ahead
            </Text>
          )}
        </Group>
        <Group gap="xs">
          <NumberInput size="xs" w={150} min={0} max={36} label="Months ahead" value={keepAhead} onChange={(v) => setKeepAhead(typeof v === 'number' ? v : 4)} />
          {mayChange && (
            <>
              <Button size="xs" mt={18} leftSection={<CalendarPlus size={13} />} disabled={short.length === 0} onClick={() => void premakeShort()}>
                Premake {short.length} short tenant(s)…
              </Button>
              <Button size="xs" mt={18} variant="default" leftSection={<Unlink size={13} />} disabled={expired === 0} onClick={() => void detachAll()}>
                Detach expired ({expired} tenant(s))…
              </Button>
            </>
          )}
        </Group>
      </Group>
      {problem && <Alert color="red" variant="light" p="xs" title="The plan could not be made">{problem}</Alert>}
      {fleet.error && <Alert color="red" variant="light" p="xs" title="The partitions could not be read">{fleet.error}</Alert>}
      {fleet.loading && !fleet.data ? (
        <Loader size="sm" />
      ) : (
        <DataGrid
          rows={rows}
          columns={COLUMNS}
          rowKey={(r) => r.tenantId}
          sort={sort}
          onSortChange={setSort}
          onRowClick={(r) => navigate({ name: 'partitions', tenantId: r.tenantId })}
          selectedKey={tenantId ?? null}
          label="Tenant partitions"
          height={260}
          empty={<Text size="sm" c="dimmed">No tenant schema here.</Text>}
        />
      )}
      {tenantId ? (
        <Stack gap="xs">
          <Group gap="xs">
            <Text size="sm" fw={600}>Tenant</Text>
            <Text size="sm" ff="monospace" data-testid="partitions-tenant">{tenantId}</Text>
          </Group>
          <TenantPartitions key={`${tenantId}:${changes}`} workspaceId={workspaceId} tenantId={tenantId} keepAhead={keepAhead} mayChange={mayChange} onChanged={fleet.reload} />
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">Choose a tenant to see its tables and partitions.</Text>
      )}
      {dialog && (
        <PlanDialog
          {...dialog}
          onStart={dialog.start}
          onClose={(finished) => {
            setDialog(null);
            if (finished) {
              fleet.reload();
              setChanges((n) => n + 1);
            }
          }}
        />
      )}
    </Stack>
  );
}
