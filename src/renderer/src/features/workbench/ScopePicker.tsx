import { Group, MultiSelect, SegmentedControl, Select, Text } from '@mantine/core';
import { Building2 } from 'lucide-react';
import type { TabScope } from './tabs-store';

export interface TenantChoice {
  value: string;
  label: string;
}

export interface ScopePickerProps {
  scope: TabScope;
  onChange(scope: TabScope): void;
  tenants: TenantChoice[];
  tenantsLoading: boolean;
  /** Support reads one tenant at a time: several and all are not offered. */
  oneTenantOnly: boolean;
}

/** Where a tab runs: one tenant, several, or all; several and all fan out and need a cross-tenant reason. */
export function ScopePicker({ scope, onChange, tenants, tenantsLoading, oneTenantOnly }: ScopePickerProps) {
  const nothing = tenantsLoading ? 'Reading tenants…' : 'No tenant by that name';
  return (
    <Group gap="xs" wrap="nowrap">
      {!oneTenantOnly && (
        <SegmentedControl
          size="xs"
          aria-label="Scope"
          value={scope.kind}
          onChange={(kind) => {
            if (kind === 'tenant') onChange({ kind, tenantId: scope.kind === 'tenants' ? (scope.tenantIds[0] ?? null) : null });
            else if (kind === 'tenants') onChange({ kind, tenantIds: scope.kind === 'tenant' && scope.tenantId ? [scope.tenantId] : [] });
            else onChange({ kind: 'all' });
          }}
          data={[
            { value: 'tenant', label: 'One tenant' },
            { value: 'tenants', label: 'Several' },
            { value: 'all', label: 'All tenants' },
          ]}
        />
      )}
      {scope.kind === 'tenant' && (
        <Select
          size="xs"
          w={230}
          aria-label="Tenant"
          placeholder="Choose a tenant…"
          searchable
          leftSection={<Building2 size={13} />}
          data={withChosen(tenants, scope.tenantId ? [scope.tenantId] : [])}
          value={scope.tenantId}
          nothingFoundMessage={nothing}
          onChange={(tenantId) => onChange({ kind: 'tenant', tenantId })}
          comboboxProps={{ width: 320, position: 'bottom-start' }}
        />
      )}
      {scope.kind === 'tenants' && (
        <MultiSelect
          size="xs"
          w={300}
          aria-label="Tenants"
          placeholder={scope.tenantIds.length ? undefined : 'Choose tenants…'}
          searchable
          data={withChosen(tenants, scope.tenantIds)}
          value={scope.tenantIds}
          nothingFoundMessage={nothing}
          maxValues={100_000}
          onChange={(tenantIds) => onChange({ kind: 'tenants', tenantIds })}
          styles={{ pillsList: { flexWrap: 'nowrap', overflow: 'hidden' } }}
        />
      )}
      {scope.kind === 'all' && (
        <Text size="xs" c="dimmed">
          {tenants.length ? `${tenants.length} tenants` : 'every tenant'}, a cross-tenant reason asked first
        </Text>
      )}
    </Group>
  );
}

/** A chosen tenant stays listed (by id) before the tenant list has been read. */
function withChosen(tenants: TenantChoice[], chosen: string[]): TenantChoice[] {
  const missing = chosen.filter((id) => !tenants.some((t) => t.value === id)).map((id) => ({ value: id, label: id }));
  return missing.length ? [...missing, ...tenants] : tenants;
}
