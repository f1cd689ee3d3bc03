import { Badge, Tooltip } from '@mantine/core';
import type { StoreState, StoreStatus } from '@shared/model/workspace';
import { STORE_STATE_LABELS } from '@shared/store-state';

const STATE_COLORS: Record<StoreState, string> = {
  connected: 'teal',
  degraded: 'yellow',
  down: 'red',
  unavailable: 'orange',
  not_configured: 'gray',
};

/** The words of each state, shared with the status bar, the tenant list and the start-up log. */
export const STATE_LABELS = STORE_STATE_LABELS;

export function stateColor(state: StoreState): string {
  return STATE_COLORS[state];
}

/** One store's state as a small badge; the reason (when down or degraded) is in the tooltip. */
export function StoreStateBadge({ status }: { status: Pick<StoreStatus, 'state' | 'reason'> }) {
  const badge = (
    <Badge color={STATE_COLORS[status.state]} variant="light" size="sm" radius="sm">
      {STATE_LABELS[status.state]}
    </Badge>
  );
  if (!status.reason) return badge;
  return (
    <Tooltip label={status.reason} multiline maw={360} withArrow>
      {badge}
    </Tooltip>
  );
}
