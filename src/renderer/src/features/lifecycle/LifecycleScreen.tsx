import { lazy, Suspense, useMemo, useState } from 'react';
import { Alert, Box, Checkbox, Group, Loader, NumberInput, Stack, Text, TextInput, Title, Tooltip, Button } from '@mantine/core';
import { CalendarRange, RefreshCw } from 'lucide-react';
import { api } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { useCall } from '../../lib/useCall';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { fleetCounts, filterFleet } from './fleet-filter';
import { HEAT_CLASSES } from './heatmap-option';
import { PremakeAction } from './PremakeAction';
import { StoreGaps } from './StoreGaps';

// echarts comes with the heatmap, in a chunk of its own loaded when this screen first draws one.
const FleetHeatmap = lazy(() => import('./FleetHeatmap').then((module) => ({ default: module.FleetHeatmap })));

/**
 * The fleet's partition horizon: every tenant × the months around now, tenants running out of
 * partitions first on top, rows in default partitions and failed ILM steps marked beside them.
 * Clicking a tenant opens its time view.
 */
export function LifecycleScreen() {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const navigate = useAppStore((s) => s.navigate);
  const role = useAppStore((s) => roleIn(s, s.activeWorkspaceId));
  const prodLocked = useAppStore((s) => {
    const w = s.workspaces.find((x) => x.id === s.activeWorkspaceId);
    return w?.environment === 'prod' && !s.access[w.id]?.session?.prodUnlock;
  });
  const [keepAhead, setKeepAhead] = useState(4);
  const [months, setMonths] = useState(12);
  const [text, setText] = useState('');
  const [attentionOnly, setAttentionOnly] = useState(false);
  const workspaceId = workspace?.id;
  const shown = Math.max(months, keepAhead + 2);
  const view = useCall(workspaceId ? (signal) => api().lifecycle.fleet({ workspaceId, keepAhead, months: shown }, { signal }) : null, [workspaceId, keepAhead, shown]);
  const fleet = view.data;
  const rows = useMemo(() => (fleet ? filterFleet(fleet.rows, { text, attentionOnly }) : []), [fleet, text, attentionOnly]);
  const counts = useMemo(() => fleetCounts(fleet?.rows ?? []), [fleet]);

  if (!workspace) {
    return (
      <EmptyState icon={<CalendarRange size={22} />} title="No workspace open">
        The lifecycle of tenants belongs to a workspace: open one to see its partition horizon.
      </EmptyState>
    );
  }

  return (
    <Stack gap="sm" p="md">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Title order={3}>Lifecycle</Title>
          <Text size="sm" c="dimmed">
            {workspace.name} · {workspace.environment} · partition horizon of the fleet
          </Text>
          {view.loading && <Loader size="xs" />}
        </Group>
        <Button variant="default" leftSection={<RefreshCw size={13} />} onClick={view.reload} loading={view.loading}>
          Refresh
        </Button>
      </Group>
      <Group gap="sm" align="flex-end">
        <NumberInput label="Keep ahead (months)" value={keepAhead} min={0} max={36} w={150} onChange={(value) => typeof value === 'number' && setKeepAhead(value)} />
        <NumberInput label="Months shown" value={months} min={2} max={60} w={120} onChange={(value) => typeof value === 'number' && setMonths(value)} />
        <TextInput label="Filter tenants" placeholder="part of a tenant id" value={text} w={240} onChange={(event) => setText(event.currentTarget.value)} />
        <Checkbox size="xs" mb={6} label="Only tenants that need attention" checked={attentionOnly} onChange={(event) => setAttentionOnly(event.currentTarget.checked)} />
      </Group>
      {view.error && (
        <Alert color="red" variant="light" title="The fleet horizon could not be read">
          {view.error}
        </Alert>
      )}
      {fleet && (
        <Text size="sm" data-testid="fleet-summary">
          {counts.tenants} tenant{counts.tenants === 1 ? '' : 's'} · {counts.short.length} short of {fleet.keepAhead} month{fleet.keepAhead === 1 ? '' : 's'} ahead ·{' '}
          {counts.withDefaultRows} with default-partition rows · {counts.withIlmErrors} with ILM errors
        </Text>
      )}
      {fleet && fleet.rows.length > 0 && workspace.endpoints.postgres && (
        <PremakeAction
          workspaceId={workspace.id}
          shortTenants={counts.short}
          tenantCount={counts.tenants}
          keepAhead={fleet.keepAhead}
          mayChange={role !== 'support'}
          prodLocked={prodLocked}
          onFinished={view.reload}
        />
      )}
      {fleet && <StoreGaps gaps={fleet.gaps} />}
      {fleet && fleet.rows.length > 0 && (
        <>
          <Group gap="md" data-testid="heatmap-legend">
            {HEAT_CLASSES.map((c) => (
              <Tooltip key={c.key} label={c.meaning} withArrow transitionProps={{ duration: 0 }}>
                <Group gap={4} wrap="nowrap">
                  <Box w={12} h={12} style={{ background: c.color, borderRadius: 2 }} />
                  <Text size="xs" c="dimmed">
                    {c.label}
                  </Text>
                </Group>
              </Tooltip>
            ))}
            <Group gap={4} wrap="nowrap">
              <Box w={12} h={12} style={{ border: '1.5px dashed #dce3f0', borderRadius: 2 }} />
              <Text size="xs" c="dimmed">
                keep-ahead window
              </Text>
            </Group>
          </Group>
          <Suspense fallback={<Loader size="sm" />}>
            <FleetHeatmap fleet={fleet} rows={rows} onOpen={(tenantId) => navigate({ name: 'tenantLifecycle', tenantId })} />
          </Suspense>
          {rows.length === 0 && (
            <Text size="sm" c="dimmed">
              No tenant matches the filter.
            </Text>
          )}
        </>
      )}
      {fleet && fleet.rows.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="fleet-empty">
          No tenant to show{fleet.gaps.length > 0 ? ': the stores above could not be read.' : ': no tenant has partitioned tables or ILM errors.'}
        </Text>
      )}
    </Stack>
  );
}
