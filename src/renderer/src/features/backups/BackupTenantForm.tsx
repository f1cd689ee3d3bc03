import { useState } from 'react';
import { Alert, Button, Checkbox, Group, NumberInput, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { DatabaseBackup } from 'lucide-react';
import type { JobSummary } from '@shared/model/job';
import { STORE_KINDS, STORE_LABELS, type StoreKind, type WorkspaceView } from '@shared/model/workspace';
import { api } from '../../api';

interface BackupTenantFormProps {
  workspace: WorkspaceView;
  /** The tenant to back up; when absent the form offers a tenant picker. */
  tenantId?: string;
  onStarted(job: JobSummary): void;
}

/** The stores a workspace has, in the console's order: what a bundle of one of its tenants can hold. */
export function storesOf(workspace: WorkspaceView): StoreKind[] {
  return STORE_KINDS.filter((store) => workspace.endpoints[store] !== undefined);
}

/**
 * What a tenant backup is started with: the tenant, the stores (all of the workspace's by default),
 * PostgreSQL's dump format (one file, or a folder dumped by several workers) and a justification.
 */
export function BackupTenantForm({ workspace, tenantId, onStarted }: BackupTenantFormProps) {
  const available = storesOf(workspace);
  const [tenant, setTenant] = useState<string | null>(tenantId ?? null);
  const [tenants, setTenants] = useState<{ value: string; label: string }[] | null>(null);
  const [tenantsError, setTenantsError] = useState<string | null>(null);
  const [stores, setStores] = useState<StoreKind[]>(available);
  const [pgFormat, setPgFormat] = useState<'custom' | 'directory'>('custom');
  const [jobs, setJobs] = useState(2);
  const [justification, setJustification] = useState('');
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function loadTenants(): Promise<void> {
    if (tenants) return;
    try {
      const list = await api().tenants.list({ workspaceId: workspace.id });
      setTenants(list.tenants.map((t) => ({ value: t.id, label: t.name ? `${t.name} · ${t.id}` : t.id })).sort((a, b) => a.label.localeCompare(b.label)));
    } catch (failure) {
      setTenantsError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  const justificationProblem = justification.trim().length > 0 && justification.trim().length < 3 ? 'At least 3 characters, or none' : null;
  const missing = !tenant ? 'Choose a tenant' : stores.length === 0 ? 'Choose at least one store' : null;

  async function start(): Promise<void> {
    if (!tenant || missing || justificationProblem) return;
    setStarting(true);
    setError(null);
    try {
      const job = await api().backups.backupTenant({
        workspaceId: workspace.id,
        tenantId: tenant,
        // Every store left ticked is the service's default: all the stores it can back up here.
        ...(stores.length === available.length ? {} : { stores }),
        pgFormat,
        jobs,
        ...(justification.trim() ? { justification: justification.trim() } : {}),
      });
      onStarted(job);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setStarting(false);
    }
  }

  return (
    <form
      aria-label="Back up a tenant"
      onSubmit={(event) => {
        event.preventDefault();
        void start();
      }}
    >
      <Stack gap="xs">
        {tenantId === undefined && (
          <Select
            label="Tenant"
            size="xs"
            searchable
            placeholder="Choose a tenant…"
            data={tenants ?? (tenant ? [{ value: tenant, label: tenant }] : [])}
            value={tenant}
            onChange={setTenant}
            onDropdownOpen={() => void loadTenants()}
            nothingFoundMessage={tenantsError ?? (tenants ? 'No tenant by that name' : 'Reading tenants…')}
            comboboxProps={{ withinPortal: true }}
          />
        )}
        <Checkbox.Group label="Stores" size="xs" value={stores} onChange={(value) => setStores(available.filter((s) => value.includes(s)))}>
          <Group gap="md" mt={4}>
            {available.map((store) => (
              <Checkbox key={store} size="xs" value={store} label={STORE_LABELS[store]} />
            ))}
          </Group>
        </Checkbox.Group>
        {stores.includes('postgres') && (
          <Group gap="md" align="flex-end">
            <div>
              <Text size="xs" fw={500} mb={2}>
                PostgreSQL format
              </Text>
              <SegmentedControl
                size="xs"
                aria-label="PostgreSQL format"
                value={pgFormat}
                onChange={(value) => setPgFormat(value === 'directory' ? 'directory' : 'custom')}
                data={[
                  { value: 'custom', label: 'custom (one file)' },
                  { value: 'directory', label: 'directory (parallel)' },
                ]}
              />
            </div>
            {pgFormat === 'directory' && (
              <NumberInput size="xs" w={110} label="Workers" min={1} max={16} value={jobs} onChange={(value) => setJobs(typeof value === 'number' ? value : 2)} />
            )}
          </Group>
        )}
        <TextInput
          size="xs"
          label="Justification"
          placeholder="Why this backup (kept in the manifest and the audit)"
          value={justification}
          onChange={(event) => setJustification(event.currentTarget.value)}
          error={justificationProblem}
          maxLength={500}
        />
        {error && (
          <Alert color="red" variant="light" p="xs" title="The backup was not started">
            {error}
          </Alert>
        )}
        <Group gap="sm">
          <Button type="submit" size="xs" leftSection={<DatabaseBackup size={13} />} loading={starting} disabled={missing !== null || justificationProblem !== null}>
            Start backup
          </Button>
          {missing && (
            <Text size="xs" c="dimmed">
              {missing}
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}
