import { useEffect } from 'react';
import { ActionIcon, Box, Group, Loader, Text, Tooltip } from '@mantine/core';
import { RefreshCw } from 'lucide-react';
import { STORE_KINDS, STORE_LABELS, type StoreKind, type StoreStatus } from '@shared/model/workspace';
import { STORE_STATE_LABELS } from '@shared/store-state';
import { api } from '../../api';
import { stateColor } from '../../components/StoreStateBadge';
import { formatLatency, shortVersion } from './format';
import { useAppStore } from '../../store';

/** How often the bar re-checks the active workspace's stores on its own. */
export const STATUS_REFRESH_MS = 30_000;

/** The bar is narrow: a reason that starts with its code ("unreachable: …") shows the code alone. */
function reasonHeadline(reason: string): string {
  const code = /^([a-z_]+): /.exec(reason);
  return code?.[1] ?? reason;
}

/** One line per store; the tooltip carries the full reason. */
function statusText(status: StoreStatus | undefined): string {
  if (!status) return '…';
  switch (status.state) {
    case 'connected':
      return [status.serverVersion && shortVersion(status.serverVersion), status.latencyMs !== undefined ? formatLatency(status.latencyMs) : undefined].filter(Boolean).join(' · ') || 'connected';
    case 'degraded':
    case 'down':
      return `${STORE_STATE_LABELS[status.state]}${status.reason ? ` · ${reasonHeadline(status.reason)}` : ''}`;
    default:
      // Not available (the reason is in the tooltip) or not configured, in the Overview's words.
      return STORE_STATE_LABELS[status.state];
  }
}

function StoreItem({ kind, status }: { kind: StoreKind; status: StoreStatus | undefined }) {
  const text = statusText(status);
  const color = status ? `var(--mantine-color-${stateColor(status.state)}-6)` : 'var(--mantine-color-dimmed)';
  return (
    <Tooltip label={`${STORE_LABELS[kind]}: ${status?.reason ?? text}`} multiline maw={420} openDelay={300}>
      <Group gap={6} wrap="nowrap" style={{ minWidth: 0, maxWidth: 320 }} data-store-status={kind} data-state={status?.state ?? 'unknown'}>
        <Box w={8} h={8} style={{ borderRadius: '50%', background: color, flexShrink: 0 }} />
        <Text size="xs" fw={600} style={{ flexShrink: 0 }}>
          {STORE_LABELS[kind]}
        </Text>
        <Text size="xs" c={status?.state === 'down' ? 'red' : 'dimmed'} truncate>
          {text}
        </Text>
      </Group>
    </Tooltip>
  );
}

/** The bottom bar: each store of the active workspace, re-checked periodically and on demand. */
export function StatusBar() {
  const activeId = useAppStore((s) => s.activeWorkspaceId);
  const entry = useAppStore((s) => (s.activeWorkspaceId ? s.storeStatus[s.activeWorkspaceId] : undefined));
  const refreshStatus = useAppStore((s) => s.refreshStatus);
  const receiveStatus = useAppStore((s) => s.receiveStatus);

  useEffect(() => {
    if (!activeId) return;
    void refreshStatus(activeId);
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refreshStatus(activeId);
    }, STATUS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [activeId, refreshStatus]);

  useEffect(
    () => api().on('stores.status', ({ workspaceId, statuses }) => receiveStatus(workspaceId, statuses)),
    [receiveStatus],
  );

  if (!activeId) {
    return (
      <Text size="xs" c="dimmed" px="sm">
        No workspace selected
      </Text>
    );
  }

  const byStore = new Map(entry?.statuses.map((s) => [s.store, s]));
  const checkedAt = entry?.statuses[0]?.checkedAt;

  return (
    <Group h="100%" px="sm" gap="lg" wrap="nowrap" justify="space-between" role="status" aria-label="Store status">
      <Group gap="lg" wrap="nowrap" style={{ minWidth: 0, overflow: 'hidden' }}>
        {entry?.error ? (
          <Text size="xs" c="red" truncate>
            Status unavailable: {entry.error}
          </Text>
        ) : (
          STORE_KINDS.map((kind) => <StoreItem key={kind} kind={kind} status={byStore.get(kind)} />)
        )}
      </Group>
      <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
        {checkedAt && (
          <Text size="xs" c="dimmed">
            checked {new Date(checkedAt).toLocaleTimeString()}
          </Text>
        )}
        <Tooltip label="Check the stores now">
          <ActionIcon variant="subtle" size="sm" color="gray" aria-label="Check the stores now" onClick={() => void refreshStatus(activeId)}>
            {entry?.loading ? <Loader size={12} /> : <RefreshCw size={13} />}
          </ActionIcon>
        </Tooltip>
      </Group>
    </Group>
  );
}
