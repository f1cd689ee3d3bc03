import type { LaneGap } from '@shared/model/lifecycle';
import { STORE_KINDS, STORE_LABELS, type StoreKind, type StoreStatus } from '@shared/model/workspace';
import type { TenancyPreset } from '@shared/tenancy';

/**
 * The stores a preset uses that cannot be read here at all — `unavailable` (wanted, but its server
 * cannot run on this machine) or wanted by the demo and never started — each with the reason the
 * status bar gives. A store that is merely down is still asked: it fails at once with its own reason.
 */
export function unavailableStores(
  preset: Pick<TenancyPreset, 'layout'>,
  statuses: Partial<Record<StoreKind, Pick<StoreStatus, 'state' | 'reason'>>>,
  reasons: Readonly<Partial<Record<StoreKind, string>>> = {},
): LaneGap[] {
  return STORE_KINDS.flatMap((store): LaneGap[] => {
    if (!preset.layout[store]) return [];
    const status = statuses[store];
    if (status?.state === 'unavailable') return [{ store, reason: status.reason ?? `${STORE_LABELS[store]} is not available here.` }];
    const reason = reasons[store];
    return !status && reason ? [{ store, reason }] : [];
  });
}
