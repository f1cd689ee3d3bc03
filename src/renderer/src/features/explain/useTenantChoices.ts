import { api } from '../../api';
import { useCall } from '../../lib/useCall';

export interface TenantChoice {
  value: string;
  label: string;
}

/** The workspace's tenants for a picker, by name then id. */
export function useTenantChoices(workspaceId: string | null): { choices: TenantChoice[]; error: string | null; loading: boolean } {
  const call = useCall(
    workspaceId
      ? async (signal) => {
          const list = await api().tenants.list({ workspaceId }, { signal });
          return list.tenants
            .map((t) => ({ value: t.id, label: t.name ? `${t.name} · ${t.id}` : t.id }))
            .sort((a, b) => a.label.localeCompare(b.label));
        }
      : null,
    [workspaceId],
  );
  return { choices: call.data ?? [], error: call.error, loading: call.loading };
}
