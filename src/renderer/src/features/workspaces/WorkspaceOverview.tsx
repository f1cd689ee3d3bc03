import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Lock, Pencil, Plus, RefreshCw } from 'lucide-react';
import { STORE_KINDS, STORE_LABELS, type StoreKind, type StoreStatus, type WorkspaceView } from '@shared/model/workspace';
import { EmptyState } from '../../components/EmptyState';
import { StoreStateBadge } from '../../components/StoreStateBadge';
import { useAppStore } from '../../store';
import { EnvironmentBadge } from './EnvironmentBadge';
import { formatLatency } from './format';
import { presetLabel } from './presets';

/** Where each store lives, as one line a person recognises (no secret, ever). */
export function endpointSummary(workspace: WorkspaceView, kind: StoreKind): string | null {
  const { postgres, mongo, redis, elastic } = workspace.endpoints;
  switch (kind) {
    case 'postgres':
      return postgres ? `${postgres.username}@${postgres.host}:${postgres.port}/${postgres.database}` : null;
    case 'mongo':
      return mongo ? `${mongo.srv ? 'mongodb+srv' : 'mongodb'}://${mongo.username ? `${mongo.username}@` : ''}${mongo.hosts}` : null;
    case 'redis':
      return redis ? `${redis.username ? `${redis.username}@` : ''}${redis.host}:${redis.port} db ${redis.db}` : null;
    default:
      return elastic ? `${elastic.username ? `${elastic.username} @ ` : ''}${elastic.node}` : null;
  }
}

function detailLines(workspace: WorkspaceView, kind: StoreKind): string[] {
  const endpoint = workspace.endpoints[kind];
  if (!endpoint) return [];
  const lines = [
    endpoint.tls.enabled ? (endpoint.tls.rejectUnauthorized ? 'TLS, certificate verified' : 'TLS, certificate NOT verified') : 'no TLS',
    `pool ${endpoint.poolSize}`,
    endpoint.hasPassword ? 'password stored' : 'no password',
  ];
  if (kind === 'mongo' && workspace.endpoints.mongo) {
    const { customer, shared, admin } = workspace.endpoints.mongo.databases;
    const names = [customer && `customer ${customer}`, shared && `shared ${shared}`, admin && `admin ${admin}`].filter(Boolean);
    if (names.length > 0) lines.push(names.join(', '));
  }
  return lines;
}

/** Why a store with no endpoint shows nothing: not used at all, or wanted but not available here (and why). */
function MissingStore({ kind, status }: { kind: StoreKind; status: StoreStatus | undefined }) {
  if (status?.state === 'unavailable') {
    return (
      <Text size="xs" c="orange" style={{ wordBreak: 'break-word' }}>
        {status.reason ?? `${STORE_LABELS[kind]} is not available here.`}
      </Text>
    );
  }
  return (
    <Text size="xs" c="dimmed">
      {status ? `This workspace does not use ${STORE_LABELS[kind]}.` : 'checking…'}
    </Text>
  );
}

function StoreCard({ workspace, kind, status }: { workspace: WorkspaceView; kind: StoreKind; status: StoreStatus | undefined }) {
  const summary = endpointSummary(workspace, kind);
  // The state is main's answer alone (as in the status bar): until it arrives the card says "checking…".
  const state = status?.state;
  return (
    <Paper
      withBorder
      radius="sm"
      p="sm"
      aria-label={`${STORE_LABELS[kind]} store`}
      data-store={kind}
      data-state={state ?? 'unknown'}
      style={summary || state === 'unavailable' ? undefined : { opacity: 0.7 }}
    >
      <Group justify="space-between" wrap="nowrap" mb={6}>
        <Text fw={600} size="sm">
          {STORE_LABELS[kind]}
        </Text>
        {state ? <StoreStateBadge status={{ state, reason: status?.reason }} /> : <Text size="xs" c="dimmed">checking…</Text>}
      </Group>
      {summary ? (
        <Stack gap={4}>
          <Text size="xs" ff="monospace" truncate title={summary}>
            {summary}
          </Text>
          <Text size="xs" c="dimmed">
            {detailLines(workspace, kind).join(' · ')}
          </Text>
          {status?.state === 'connected' && (
            <Text size="sm">
              {status.serverVersion ?? 'version unknown'}
              {status.latencyMs !== undefined && (
                <Text span c="dimmed" size="xs">
                  {' '}
                  · {formatLatency(status.latencyMs)}
                </Text>
              )}
            </Text>
          )}
          {(status?.state === 'down' || status?.state === 'degraded') && status.reason && (
            <Text size="xs" c={status.state === 'down' ? 'red' : 'yellow'} style={{ wordBreak: 'break-word' }}>
              {status.reason}
            </Text>
          )}
        </Stack>
      ) : (
        <MissingStore kind={kind} status={status} />
      )}
    </Paper>
  );
}

/** The active workspace at a glance: where each store is and whether it answers. */
export function WorkspaceOverview() {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const entry = useAppStore((s) => (s.activeWorkspaceId ? s.storeStatus[s.activeWorkspaceId] : undefined));
  const refreshStatus = useAppStore((s) => s.refreshStatus);
  const navigate = useAppStore((s) => s.navigate);

  if (!workspace) {
    return (
      <EmptyState
        icon={<Plus size={22} />}
        title="No workspace selected"
        action={<Button onClick={() => navigate({ name: 'workspace-editor', workspaceId: null })}>New workspace</Button>}
      >
        Pick a workspace in the switcher above, or create one.
      </EmptyState>
    );
  }

  const byStore = new Map(entry?.statuses.map((s) => [s.store, s]));
  const checkedAt = entry?.statuses[0]?.checkedAt;

  return (
    <Stack gap="sm" p="md" maw={1200}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Group gap="xs" wrap="nowrap">
            <Title order={3} style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {workspace.name}
            </Title>
            <EnvironmentBadge environment={workspace.environment} size="md" />
          </Group>
          <Text size="xs" c="dimmed">
            Tenancy preset {presetLabel(workspace.preset)}
            {checkedAt && ` · checked ${new Date(checkedAt).toLocaleTimeString()}`}
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          {/* The spinner takes the icon's place: Mantine's loading state would draw it over the label. */}
          <Button
            variant="default"
            leftSection={entry?.loading ? <Loader size={14} aria-label="Checking the stores" /> : <RefreshCw size={14} />}
            disabled={entry?.loading}
            onClick={() => void refreshStatus(workspace.id)}
          >
            Check stores
          </Button>
          <Button variant="default" leftSection={<Pencil size={14} />} onClick={() => navigate({ name: 'workspace-editor', workspaceId: workspace.id })}>
            Edit
          </Button>
        </Group>
      </Group>
      {workspace.environment === 'prod' && (
        <Alert color="orange" variant="light" icon={<Lock size={16} />} p="xs">
          Production: every store is read-only. Writes need an explicit, time-boxed unlock.
        </Alert>
      )}
      {entry?.error && (
        <Alert color="red" variant="light" title="Store status could not be read" p="xs">
          {entry.error}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {STORE_KINDS.map((kind) => (
          <StoreCard key={kind} workspace={workspace} kind={kind} status={byStore.get(kind)} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
