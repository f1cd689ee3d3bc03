import { useState } from 'react';
import { Alert, Anchor, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { CalendarRange, ChevronLeft, ChevronRight, RefreshCw } from 'lucide-react';
import type { Month } from '@shared/model/lifecycle';
import { addMonths } from '@shared/model/lifecycle-months';
import { TIMELINE_MONTHS_BACK } from '@shared/contract/lifecycle';
import { api } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { useCall } from '../../lib/useCall';
import { useAppStore } from '../../store';
import { TenantCrumbs } from '../tenants';
import { StoreGaps } from './StoreGaps';
import { TimelineGrid } from './TimelineGrid';

/** How far one step of the arrows moves the view. */
const STEP_MONTHS = 6;

/**
 * One tenant's data lifecycle across its stores: PostgreSQL partitions, Elasticsearch monthly
 * indices with their ILM phase, MongoDB buckets and TTL horizons, month by month. The arrows move
 * the window half a year; "Now" goes back to main's default (a year back, half a year ahead).
 */
export function TenantLifecycleScreen({ tenantId }: { tenantId: string }) {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const navigate = useAppStore((s) => s.navigate);
  const [from, setFrom] = useState<Month | null>(null);
  const workspaceId = workspace?.id;
  const view = useCall(
    workspaceId ? (signal) => api().lifecycle.timeline({ workspaceId, tenantId, ...(from ? { from } : {}) }, { signal }) : null,
    [workspaceId, tenantId, from],
  );
  const timeline = view.data;
  const shift = (months: number): void => {
    const start = from ?? (timeline ? timeline.months[0] : null) ?? null;
    if (start) setFrom(addMonths(start, months));
  };

  if (!workspace) {
    return (
      <EmptyState icon={<CalendarRange size={22} />} title="No workspace open">
        A tenant&apos;s time view belongs to a workspace: open one first.
      </EmptyState>
    );
  }

  return (
    <Stack gap="sm" p="md">
      <TenantCrumbs tenantId={tenantId}>
        <Text size="xs">Time view</Text>
      </TenantCrumbs>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Title order={3}>Time view</Title>
          <Text size="xs" c="dimmed" ff="monospace">
            {tenantId}
          </Text>
          {timeline && (
            <Text size="xs" c="dimmed" data-testid="timeline-range">
              {timeline.months[0]} – {timeline.months.at(-1)} · {timeline.lanes.length} lane{timeline.lanes.length === 1 ? '' : 's'}
            </Text>
          )}
          {view.loading && <Loader size="xs" />}
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Button variant="default" leftSection={<ChevronLeft size={13} />} disabled={!timeline} onClick={() => shift(-STEP_MONTHS)}>
            {STEP_MONTHS} months earlier
          </Button>
          <Button variant="default" disabled={from === null} onClick={() => setFrom(null)} title={`${TIMELINE_MONTHS_BACK} months back to half a year ahead`}>
            Now
          </Button>
          <Button variant="default" rightSection={<ChevronRight size={13} />} disabled={!timeline} onClick={() => shift(STEP_MONTHS)}>
            {STEP_MONTHS} months later
          </Button>
          <Button variant="default" leftSection={<RefreshCw size={13} />} onClick={view.reload} loading={view.loading}>
            Refresh
          </Button>
        </Group>
      </Group>
      {view.error && (
        <Alert color="red" variant="light" title="The time view could not be read">
          {view.error}
        </Alert>
      )}
      {timeline && <StoreGaps gaps={timeline.gaps} />}
      {timeline && timeline.lanes.length > 0 && <TimelineGrid timeline={timeline} />}
      {timeline && timeline.lanes.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="timeline-empty">
          No store drew a lane for this tenant{timeline.gaps.length > 0 ? ' (see the stores not shown above)' : ''}.
        </Text>
      )}
      <Text size="xs" c="dimmed">
        The fleet&apos;s partition horizon is on the{' '}
        <Anchor component="button" type="button" size="xs" onClick={() => navigate({ name: 'lifecycle' })}>
          Lifecycle
        </Anchor>{' '}
        screen.
      </Text>
    </Stack>
  );
}
