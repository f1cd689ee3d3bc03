import { useEffect, useState } from 'react';
import { isFinalJobState } from '@shared/model/job';
import { Alert, Button, Group, Loader, Select, Stack, Text, Title } from '@mantine/core';
import { DatabaseBackup, RefreshCw } from 'lucide-react';
import { BundleStatus } from '@shared/model/backup';
import { api } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { useCall } from '../../lib/useCall';
import { useAppStore } from '../../store';
import { roleIn } from '../access';
import { STATUS_LABELS, tenantsWithBundles, visibleBundles } from './backup-state';
import { BackupTenantDialog } from './BackupTenantDialog';
import { BundleTable } from './BundleTable';
import { DatabaseDumpPanel } from './DatabaseDumpPanel';
import { FolderPanel } from './FolderPanel';
import { RetentionPanel } from './RetentionPanel';

/**
 * The backups of the active workspace: the folder they go to, every bundle there (newest first,
 * filtered by tenant and status), a new tenant backup, retention, and the whole-database dump.
 * Support reads the catalog and changes nothing.
 */
export function BackupsScreen({ tenantId }: { tenantId?: string }) {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const navigate = useAppStore((s) => s.navigate);
  const role = useAppStore((s) => roleIn(s, s.activeWorkspaceId));
  const mayChange = role !== undefined && role !== 'support';
  const workspaceId = workspace?.id ?? null;
  const catalog = useCall(workspaceId ? (signal) => api().backups.catalog({ workspaceId }, { signal }) : null, [workspaceId]);
  const [tenantFilter, setTenantFilter] = useState<string | null>(tenantId ?? null);
  const [statusFilter, setStatusFilter] = useState<BundleStatus | null>(null);
  const [backingUp, setBackingUp] = useState(false);
  const reload = catalog.reload;

  // A backups job that ends (started here, on a bundle's page or in another window) may have written,
  // verified or deleted a bundle: the catalog reads itself again.
  useEffect(() => {
    if (!workspaceId) return undefined;
    return api().on('jobs.state', ({ job }) => {
      if (job.workspaceId === workspaceId && job.kind.startsWith('backups.') && isFinalJobState(job.state)) reload();
    });
  }, [workspaceId, reload]);

  if (!workspace) {
    return (
      <EmptyState icon={<DatabaseBackup size={22} />} title="No workspace open">
        Backups belong to a workspace: open one to see its bundles.
      </EmptyState>
    );
  }

  const bundles = catalog.data?.bundles ?? [];
  const shown = visibleBundles(bundles, { tenantId: tenantFilter, status: statusFilter });
  const tenants = tenantsWithBundles(bundles);
  if (tenantFilter && !tenants.includes(tenantFilter)) tenants.unshift(tenantFilter);

  return (
    <Stack gap="sm" p="md">
      <Group gap="sm" justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          <Title order={3}>Backups</Title>
          <Text size="sm" c="dimmed">
            {workspace.name} · {workspace.environment}
          </Text>
          {catalog.loading && <Loader size="xs" />}
        </Group>
        <Group gap="xs" wrap="nowrap">
          {mayChange && (
            <Button size="xs" leftSection={<DatabaseBackup size={13} />} onClick={() => setBackingUp(true)}>
              Back up a tenant
            </Button>
          )}
          <Button size="xs" variant="default" leftSection={<RefreshCw size={13} />} onClick={catalog.reload}>
            Refresh
          </Button>
        </Group>
      </Group>
      <FolderPanel workspaceId={workspace.id} mayChange={mayChange} onChanged={catalog.reload} />
      <Group gap="sm" align="flex-end">
        <Select
          size="xs"
          w={320}
          label="Tenant"
          placeholder="All tenants"
          clearable
          searchable
          data={tenants}
          value={tenantFilter}
          onChange={setTenantFilter}
        />
        <Select
          size="xs"
          w={160}
          label="Status"
          placeholder="Any status"
          clearable
          data={BundleStatus.options.map((value) => ({ value, label: STATUS_LABELS[value] }))}
          value={statusFilter}
          onChange={(value) => setStatusFilter(BundleStatus.safeParse(value).data ?? null)}
        />
        <Text size="xs" c="dimmed" pb={6} data-testid="bundle-count">
          {catalog.data ? `${shown.length} of ${bundles.length} bundle${bundles.length === 1 ? '' : 's'} in ${catalog.data.folder}` : ''}
        </Text>
      </Group>
      {catalog.error && (
        <Alert color="red" variant="light" p="xs" title="The catalog could not be read">
          {catalog.error}
        </Alert>
      )}
      {catalog.data && bundles.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="no-bundles">
          No bundles in this folder yet.{mayChange ? ' Back up a tenant to make the first.' : ''}
        </Text>
      )}
      {shown.length > 0 && <BundleTable bundles={shown} onOpen={(bundleId) => navigate({ name: 'backupBundle', bundleId })} />}
      {catalog.data && bundles.length > 0 && shown.length === 0 && (
        <Text size="sm" c="dimmed">
          No bundle matches these filters.
        </Text>
      )}
      {mayChange && <RetentionPanel workspaceId={workspace.id} onDeleted={catalog.reload} />}
      {mayChange && workspace.endpoints.postgres && <DatabaseDumpPanel workspaceId={workspace.id} />}
      {backingUp && <BackupTenantDialog workspace={workspace} opened onClose={() => setBackingUp(false)} />}
    </Stack>
  );
}
