import { useState } from 'react';
import { Group, MultiSelect, SegmentedControl, Select, Text } from '@mantine/core';
import { api } from '../../api';
import type { TargetChoice } from './indexes-state';

/**
 * Which tenants drift covers: one, a selection, or all of them (the latter two need a cross-tenant
 * reason). `single` offers one tenant only, for the views that read one tenant's store.
 */
export function TargetPicker({ workspaceId, choice, onChange, single = false }: { workspaceId: string; choice: TargetChoice; onChange(choice: TargetChoice): void; single?: boolean }) {
  const [tenants, setTenants] = useState<Array<{ value: string; label: string }> | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load(): Promise<void> {
    if (tenants) return;
    try {
      const list = await api().tenants.list({ workspaceId });
      setTenants(list.tenants.map((t) => ({ value: t.id, label: t.name ? `${t.name} · ${t.id}` : t.id })).sort((a, b) => a.label.localeCompare(b.label)));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  const data = tenants ?? [];
  const nothing = error ?? (tenants ? 'No tenant by that name' : 'Reading tenants…');
  return (
    <Group gap="sm" align="center" wrap="nowrap">
      {!single && (
      <SegmentedControl
        size="xs"
        aria-label="Tenants to compare"
        value={choice.mode}
        onChange={(mode) => onChange(mode === 'one' ? { mode, tenantId: null } : mode === 'some' ? { mode, tenantIds: [] } : { mode: 'all' })}
        data={[
          { value: 'one', label: 'One tenant' },
          { value: 'some', label: 'Several' },
          { value: 'all', label: 'All tenants' },
        ]}
      />
      )}
      {choice.mode === 'one' && (
        <Select
          size="xs"
          w={280}
          searchable
          aria-label="Tenant"
          placeholder="Choose a tenant…"
          data={data}
          value={choice.tenantId}
          onChange={(tenantId) => onChange({ mode: 'one', tenantId })}
          onDropdownOpen={() => void load()}
          nothingFoundMessage={nothing}
        />
      )}
      {choice.mode === 'some' && (
        <MultiSelect
          size="xs"
          w={420}
          searchable
          aria-label="Tenants"
          placeholder="Choose tenants…"
          data={data}
          value={choice.tenantIds}
          onChange={(tenantIds) => onChange({ mode: 'some', tenantIds })}
          onDropdownOpen={() => void load()}
          nothingFoundMessage={nothing}
          maxValues={1000}
        />
      )}
      {choice.mode !== 'one' && (
        <Text size="xs" c="dimmed">
          Several tenants at once need a cross-tenant reason.
        </Text>
      )}
    </Group>
  );
}
