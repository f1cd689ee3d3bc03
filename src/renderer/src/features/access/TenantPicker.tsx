import { useState } from 'react';
import { Select, Text } from '@mantine/core';
import { Building2 } from 'lucide-react';
import type { Tenant } from '@shared/model/tenant';
import { api } from '../../api';
import { ReasonDialog } from '../../components/ReasonDialog';
import { useAppStore } from '../../store';
import { describeNeed } from './needs';

function label(tenant: Pick<Tenant, 'id' | 'name'>): string {
  return tenant.name ? `${tenant.name} · ${tenant.id}` : tenant.id;
}

/**
 * Support's way into a tenant: choose one, give the reason, and its page opens. Support has one
 * tenant open at a time, so the picker shows which one that is.
 */
export function TenantPicker({ workspaceId }: { workspaceId: string }) {
  const navigate = useAppStore((s) => s.navigate);
  const giveReason = useAppStore((s) => s.giveReason);
  const openTenant = useAppStore((s) => s.access[workspaceId]?.session?.justifications.find((j) => j.scope === 'tenant')?.tenantId ?? null);
  const [tenants, setTenants] = useState<Pick<Tenant, 'id' | 'name'>[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoice] = useState<string | null>(null);

  async function loadTenants(): Promise<void> {
    if (tenants || loading) return;
    setLoading(true);
    setError(null);
    try {
      const list = await api().tenants.list({ workspaceId });
      setTenants(list.tenants.map(({ id, name }) => ({ id, name })).sort((a, b) => label(a).localeCompare(label(b))));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setLoading(false);
    }
  }

  const data = (tenants ?? []).map((tenant) => ({ value: tenant.id, label: label(tenant) }));
  if (openTenant && !data.some((d) => d.value === openTenant)) data.unshift({ value: openTenant, label: openTenant });
  const chosenName = tenants?.find((tenant) => tenant.id === choice)?.name;
  const text = choice ? describeNeed({ scope: 'tenant', workspaceId, tenantId: choice }, openTenant ?? undefined, chosenName) : null;

  return (
    <>
      <Select
        aria-label="Open a tenant"
        size="xs"
        w={240}
        searchable
        placeholder="Open a tenant…"
        leftSection={<Building2 size={14} />}
        data={data}
        value={openTenant}
        allowDeselect={false}
        nothingFoundMessage={loading ? 'Reading tenants…' : (error ?? 'No tenant by that name')}
        onDropdownOpen={() => void loadTenants()}
        comboboxProps={{ width: 340, position: 'bottom-start' }}
        onChange={(id) => {
          if (!id) return;
          if (id === openTenant) navigate({ name: 'tenant', tenantId: id });
          else setChoice(id);
        }}
      />
      {text && choice && (
        <ReasonDialog
          key={choice}
          opened
          title={text.title}
          actionLabel={text.actionLabel}
          onCancel={() => setChoice(null)}
          onSubmit={async (input) => {
            await giveReason({ scope: 'tenant', workspaceId, tenantId: choice }, input);
            setChoice(null);
            navigate({ name: 'tenant', tenantId: choice });
          }}
        >
          <Text size="sm">{text.body}</Text>
        </ReasonDialog>
      )}
    </>
  );
}
