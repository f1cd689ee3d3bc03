import { useState } from 'react';
import { Text } from '@mantine/core';
import { wrapApi } from '../../api';
import { ReasonDialog } from '../../components/ReasonDialog';
import { useAppStore, type AppState } from '../../store';
import { describeNeed, mayGiveReason, needOfRefusal, UNLOCK_DURATIONS } from './needs';
import { withReasons, type RefusalHandler } from './reasons-api';
import { roleIn } from './slice';

/** Asks for a reason when a refusal names one this operator's role may give; otherwise lets it through. */
export function refusalHandler(getState: () => AppState): RefusalHandler {
  return async (_method, args, error) => {
    const need = needOfRefusal(error, args);
    if (!need) return false;
    const role = roleIn(getState(), need.workspaceId) ?? (await getState().loadAccess(need.workspaceId))?.operator.role;
    if (!role || !mayGiveReason(role, need.scope)) return false;
    return getState().askForReason(need);
  };
}

/**
 * Puts the reason prompt between every view and the API, from the first render on (before any
 * view's effect calls the API).
 */
export function useReasonPrompts(): void {
  useState(() => {
    wrapApi((inner) => withReasons(inner, refusalHandler(useAppStore.getState)));
    return true;
  });
}

/** The reason dialog for the first call waiting for a reason; placed once, by the shell. */
export function ReasonPrompt() {
  const request = useAppStore((s) => s.reasonRequests[0]);
  const giveReason = useAppStore((s) => s.giveReason);
  const settle = useAppStore((s) => s.settleReasonRequest);
  // The tenant list, when it was read, names the tenant better than its id.
  const tenantName = useAppStore((s) => {
    const need = s.reasonRequests[0]?.need;
    return need && 'tenantId' in need ? s.tenantList?.tenants.find((t) => t.id === need.tenantId)?.name : undefined;
  });
  const openTenant = useAppStore((s) => {
    if (!request) return undefined;
    return s.access[request.need.workspaceId]?.session?.justifications.find((j) => j.scope === 'tenant')?.tenantId;
  });

  if (!request) return null;
  const { title, body, actionLabel } = describeNeed(request.need, openTenant, tenantName);
  return (
    <ReasonDialog
      key={request.key}
      opened
      title={title}
      actionLabel={actionLabel}
      durations={request.need.scope === 'prod-unlock' ? UNLOCK_DURATIONS : undefined}
      onCancel={() => settle(request.key, false)}
      onSubmit={async (input) => {
        await giveReason(request.need, input);
        settle(request.key, true);
      }}
    >
      <Text size="sm">{body}</Text>
    </ReasonDialog>
  );
}
