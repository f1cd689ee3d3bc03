import { useEffect } from 'react';
import { MASK } from '@shared/masking';
import type { Role } from '@shared/model/session';
import { MaskedValue } from '../../components/MaskedValue';
import { useAppStore } from '../../store';
import { fieldLabel, mayGiveReason } from './needs';
import { roleIn } from './slice';

/** True for the forms the main process masks with: `••••1234`, `$2b$12$••••`, `j***@e***.com`. */
export function looksMasked(value: string | null): boolean {
  if (value === null) return false;
  return value.includes(MASK) || /^[^@\s]\*\*\*@[^@\s]\*\*\*(\.[^@\s]*)?$/.test(value);
}

const ROLE_NAME: Record<Role, string> = { platform_admin: 'A platform admin', dba: 'A DBA', support: 'Support' };

export interface UnmaskableValueProps {
  workspaceId: string;
  tenantId: string;
  /** The field as the masking rules name it: `postgres:users#password_hash`. */
  field: string;
  value: string | null;
  /** Reads the record again, now that the field is unmasked. */
  onUnmasked(): void;
}

/**
 * A value the main process may have masked, for the operator of the workspace: platform admins
 * unmask it with a reason (recorded, for 30 minutes), everyone else sees why they cannot.
 */
export function UnmaskableValue({ workspaceId, tenantId, field, value, onUnmasked }: UnmaskableValueProps) {
  const role = useAppStore((s) => roleIn(s, workspaceId));
  const known = useAppStore((s) => s.access[workspaceId] !== undefined);
  const loadAccess = useAppStore((s) => s.loadAccess);
  const giveReason = useAppStore((s) => s.giveReason);

  useEffect(() => {
    if (!known) void loadAccess(workspaceId);
  }, [known, loadAccess, workspaceId]);

  const label = fieldLabel(field);
  const permission =
    role && mayGiveReason(role, 'unmask')
      ? {
          allowed: true as const,
          async onUnmask(input: { reason: string; ticket?: string }) {
            await giveReason({ scope: 'unmask', workspaceId, tenantId, field }, input);
            onUnmasked();
          },
        }
      : {
          allowed: false as const,
          why: `${role ? ROLE_NAME[role] : 'Your role'} sees ${label} masked. Only a platform admin may unmask it, with a reason the audit journal records.`,
        };

  return <MaskedValue value={value} masked={looksMasked(value)} fieldLabel={label} context={`of tenant ${tenantId}`} unmask={permission} />;
}
