import { useEffect, useMemo, useState } from 'react';
import { Alert, Box, Button, Checkbox, Group, Loader, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { RefreshCw, Search, Users } from 'lucide-react';
import { STORE_KINDS, STORE_LABELS } from '@shared/model/workspace';
import { DataGrid, type SortState } from '../../components/DataGrid';
import { EmptyState } from '../../components/EmptyState';
import { useAppStore } from '../../store';
import { tenantColumns } from './columns';
import { filterTenants, isFiltering, statusesOf } from './filter';
import { StoreAnswers } from './StoreColumnHeader';

/** Every tenant of the active workspace, merged across its stores, filling in as each store answers. */
export function TenantBrowser() {
  const workspace = useAppStore((s) => s.workspaces.find((w) => w.id === s.activeWorkspaceId));
  const list = useAppStore((s) => s.tenantList);
  const filter = useAppStore((s) => s.tenantFilter);
  const setFilter = useAppStore((s) => s.setTenantFilter);
  const loadTenants = useAppStore((s) => s.loadTenants);
  const navigate = useAppStore((s) => s.navigate);
  // The stores' states as the status bar has them, for the stores the list does not ask.
  const storeStatuses = useAppStore((s) => (s.activeWorkspaceId ? s.storeStatus[s.activeWorkspaceId]?.statuses : undefined));
  const statusByStore = useMemo(() => new Map(storeStatuses?.map((status) => [status.store, status])), [storeStatuses]);
  const [sort, setSort] = useState<SortState | null>(null);

  const workspaceId = workspace?.id;
  const listed = list?.workspaceId === workspaceId ? list : null;
  useEffect(() => {
    if (workspaceId && !listed) void loadTenants(workspaceId);
  }, [workspaceId, listed, loadTenants]);

  const revision = listed?.revision ?? 0;
  const tenants = listed?.tenants;
  // The filter reads the rows in place, so it reruns on every revision of the list.
  const shown = useMemo(() => (tenants ? filterTenants(tenants, filter) : []), [tenants, filter, revision]); // eslint-disable-line react-hooks/exhaustive-deps
  const statuses = useMemo(() => (tenants ? statusesOf(tenants) : []), [tenants, revision]); // eslint-disable-line react-hooks/exhaustive-deps
  const stores = listed?.stores;
  const columns = useMemo(() => (stores ? tenantColumns(stores) : []), [stores]);

  if (!workspace) {
    return <EmptyState icon={<Users size={22} />} title="No workspace selected">Choose a workspace to see its tenants.</EmptyState>;
  }

  return (
    <Stack gap={8} p="md" h="calc(100dvh - 72px)" style={{ overflow: 'hidden' }}>
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Title order={3}>Tenants</Title>
          <Text size="xs" c="dimmed">
            {listed ? `${shown.length === listed.tenants.length ? '' : `${shown.length} of `}${listed.tenants.length} tenants` : 'Listing…'} in {workspace.name},
            merged from every configured store
            {listed?.loading ? ' — still listing' : ''}
          </Text>
        </div>
        <Button
          variant="default"
          leftSection={listed?.loading ? <Loader size={13} aria-label="Listing" /> : <RefreshCw size={13} />}
          disabled={listed?.loading}
          onClick={() => void loadTenants(workspace.id, { refreshRedis: true })}
        >
          Refresh
        </Button>
      </Group>
      <Group gap="xs" wrap="wrap" align="end">
        <TextInput
          aria-label="Search tenants"
          placeholder="Search id or name"
          leftSection={<Search size={13} />}
          w={260}
          value={filter.search}
          onChange={(e) => setFilter({ search: e.currentTarget.value })}
        />
        <Select
          aria-label="Status"
          placeholder="Any status"
          clearable
          w={150}
          data={statuses}
          value={filter.status}
          onChange={(status) => setFilter({ status })}
        />
        <Select
          aria-label="Present in"
          placeholder="In any store"
          clearable
          w={170}
          data={STORE_KINDS.filter((kind) => workspace.endpoints[kind]).map((kind) => ({ value: kind, label: `In ${STORE_LABELS[kind]}` }))}
          value={filter.presentIn}
          onChange={(value) => setFilter({ presentIn: STORE_KINDS.find((kind) => kind === value) ?? null })}
        />
        <Checkbox
          size="xs"
          label="Inconsistent only"
          checked={filter.inconsistentOnly}
          onChange={(e) => setFilter({ inconsistentOnly: e.currentTarget.checked })}
          mb={6}
        />
      </Group>
      {stores && <StoreAnswers stores={stores} statuses={statusByStore} />}
      {listed?.error && (
        <Alert color="red" variant="light" title="The tenant list could not be read">
          {listed.error}
        </Alert>
      )}
      <Box style={{ flex: 1, minHeight: 0 }}>
        <DataGrid
          label="Tenants"
          rows={shown}
          revision={revision}
          columns={columns}
          rowKey={(t) => t.id}
          sort={sort}
          onSortChange={setSort}
          onRowClick={(t) => navigate({ name: 'tenant', tenantId: t.id })}
          height="100%"
          empty={
            listed && !listed.loading ? (
              <Text size="sm" c="dimmed" p="md">
                {isFiltering(filter) ? 'No tenant matches the filter.' : 'No store lists any tenant.'}
              </Text>
            ) : null
          }
        />
      </Box>
    </Stack>
  );
}
