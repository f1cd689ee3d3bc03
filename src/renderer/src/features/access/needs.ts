import { AppError } from '@shared/errors';
import type { MethodArgs } from '@shared/contract';
import { mayJustify, type JustificationKind } from '@shared/access';
import { ReasonNeeded } from '@shared/model/operator';
import type { Role } from '@shared/model/session';
import type { ReasonInput } from '../../components/ReasonDialog';

/** A reason the console needs before it goes on: what it covers, in one workspace. */
export type JustificationNeed = ReasonNeeded;

/** Whether a role may give this reason at all: the same shared rule the main process applies when it is given. */
export function mayGiveReason(role: Role, scope: JustificationKind): boolean {
  return mayJustify(role, scope);
}

/** How long a prod unlock may hold, in minutes; the first is the default. */
export const UNLOCK_DURATIONS = [30, 60, 120, 240] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * The reason a refused call is waiting for: the policy names it in the refusal's details
 * (`reasonNeeded`). Null when no reason would help: the role may not do it at all, or it is not a
 * refusal. A data service's own `read_only` (a prod store) carries no details; an unlock of the
 * workspace the call names is what lifts it.
 */
export function needOfRefusal(error: unknown, args: unknown): JustificationNeed | null {
  if (!AppError.is(error)) return null;
  const carried = isRecord(error.details) ? ReasonNeeded.safeParse(error.details.reasonNeeded) : undefined;
  if (carried?.success) return carried.data;
  if (error.code === 'read_only' && isRecord(args) && typeof args.workspaceId === 'string') return { scope: 'prod-unlock', workspaceId: args.workspaceId };
  return null;
}

/** Two needs with the same key are answered by the same reason. */
export function needKey(need: JustificationNeed): string {
  switch (need.scope) {
    case 'tenant':
      return JSON.stringify([need.scope, need.workspaceId, need.tenantId]);
    case 'unmask':
      return JSON.stringify([need.scope, need.workspaceId, need.tenantId, need.field]);
    default:
      return JSON.stringify([need.scope, need.workspaceId]);
  }
}

/** The `access.justify` call that answers a need. */
export function justifyArgs(need: JustificationNeed, input: ReasonInput): MethodArgs<'access.justify'> {
  return {
    workspaceId: need.workspaceId,
    scope: need.scope,
    ...('tenantId' in need ? { tenantId: need.tenantId } : {}),
    ...(need.scope === 'unmask' ? { field: need.field } : {}),
    reason: input.reason,
    ...(input.ticket ? { ticket: input.ticket } : {}),
    ...(input.minutes ? { minutes: input.minutes } : {}),
  };
}

/** The field part of a field ref, for people: `postgres:users#password_hash` → `users.password_hash`. */
export function fieldLabel(field: string): string {
  const [family = field, path = ''] = field.split('#');
  const table = family.slice(family.indexOf(':') + 1);
  return path ? `${table}.${path}` : table;
}

/** What the reason dialog says for a need. */
export function describeNeed(need: JustificationNeed, openTenant?: string, tenantName?: string | null): { title: string; body: string; actionLabel: string } {
  switch (need.scope) {
    case 'tenant':
      return {
        title: `Open tenant ${tenantName ?? need.tenantId}`,
        body:
          'Support reads one tenant at a time, for a stated reason. The reason is recorded in the audit journal with every read.' +
          (openTenant && openTenant !== need.tenantId ? ` Opening it closes tenant ${openTenant}.` : ''),
        actionLabel: 'Open tenant',
      };
    case 'cross-tenant':
      return {
        title: 'Work across tenants',
        body: 'This reads or changes several tenants at once. Give the reason; it holds for 30 minutes in this workspace.',
        actionLabel: 'Continue',
      };
    case 'unmask':
      return {
        title: `Unmask ${fieldLabel(need.field)}`,
        body: `Shows ${fieldLabel(need.field)} of tenant ${need.tenantId} in clear, to you only, for 30 minutes. The unmask is recorded in the audit journal.`,
        actionLabel: 'Unmask',
      };
    case 'prod-unlock':
      return {
        title: `Unlock writes on ${need.workspaceId}`,
        body: 'This workspace is prod and opens read-only. Unlocking lets your changes through until it expires; every change is recorded.',
        actionLabel: 'Unlock writes',
      };
  }
}
