import { AppError } from '@shared/errors';
import type { ReasonNeeded } from '@shared/model/operator';
import type { Environment } from '@shared/model/workspace';
import type { Role, Session } from '@shared/model/session';
import { namedScope, roleLabel, type Justification, type JustificationScope, type JustificationStore } from './justifications';
import { CLASS_RULES, classOf, type MethodClass, type RoleGrant } from './table';

/** What a call touches, read from its (already validated) arguments. */
export interface AccessTarget {
  workspaceId?: string;
  /** The tenants it names; `'all'` when it runs across every tenant. */
  tenants?: readonly string[] | 'all';
  /** The masked field an unmask names (`postgres:users#password_hash`). */
  field?: string;
}

export interface AccessContext {
  /** The environment of the target's workspace. Unknown counts as prod: the strictest. */
  environment?: Environment;
  justifications: JustificationStore;
}

export type AccessDecision =
  | { allowed: true; methodClass: MethodClass; audited: boolean; justifications: Justification[]; tenantIds: string[] }
  | { allowed: false; methodClass?: MethodClass; code: 'forbidden' | 'read_only'; message: string; tenantIds: string[]; reasonNeeded?: ReasonNeeded };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Reads the target from arguments that follow the contract's conventions: `workspaceId` (or `id`
 * in the workspaces section), `tenantId`, `tenantIds`, `allTenants: true` and `field`.
 */
export function targetOf(method: string, args: unknown): AccessTarget {
  if (!isRecord(args)) return {};
  const target: AccessTarget = {};
  const workspaceId = args.workspaceId ?? (method.startsWith('workspaces.') ? args.id : undefined);
  if (typeof workspaceId === 'string') target.workspaceId = workspaceId;
  if (args.allTenants === true) target.tenants = 'all';
  else if (Array.isArray(args.tenantIds)) target.tenants = args.tenantIds.filter((id): id is string => typeof id === 'string');
  else if (typeof args.tenantId === 'string') target.tenants = [args.tenantId];
  if (typeof args.field === 'string') target.field = args.field;
  return target;
}

function refuse(code: 'forbidden' | 'read_only', message: string, tenantIds: string[], methodClass?: MethodClass, reasonNeeded?: ReasonNeeded): AccessDecision {
  return { allowed: false, code, message, tenantIds, ...(methodClass ? { methodClass } : {}), ...(reasonNeeded ? { reasonNeeded } : {}) };
}

/**
 * Decides one call against the policy table. Pure apart from reading the justification store, so
 * every rule is testable as a table of cases.
 */
export function decide(method: string, target: AccessTarget, session: Pick<Session, 'operator' | 'role'>, context: AccessContext): AccessDecision {
  const declared = classOf(method);
  if (!declared) {
    const tenantIds = target.tenants === 'all' ? ['*'] : [...(target.tenants ?? [])];
    return refuse('forbidden', `${method} has no line in the access policy, so nobody may call it yet.`, tenantIds);
  }
  return decideForClass(declared, method, target, session, context);
}

/** The rules of one method class applied to a call; `decide` after looking the method up in the table. */
export function decideForClass(
  declared: MethodClass,
  method: string,
  target: AccessTarget,
  session: Pick<Session, 'operator' | 'role'>,
  context: AccessContext,
): AccessDecision {
  const tenantIds = target.tenants === 'all' ? ['*'] : [...(target.tenants ?? [])];
  const crossTenant = target.tenants === 'all' || (target.tenants?.length ?? 0) > 1;
  // Reading several tenants is cross-tenant work whatever the method is called.
  const methodClass: MethodClass = declared === 'tenant-read' && crossTenant ? 'cross-tenant-read' : declared;
  const rule = CLASS_RULES[methodClass];
  const role: Role = session.role;
  const grant = rule.roles[role];
  const who = `A ${roleLabel(role)}`;

  if (!grant) {
    const why =
      role === 'support' && methodClass === 'cross-tenant-read'
        ? ' Support works in one tenant at a time.'
        : role === 'support' && (methodClass === 'write' || methodClass === 'schema-change' || methodClass === 'workspace.manage')
          ? ' Support is read-only.'
          : role === 'support' && methodClass === 'backup'
            ? ' Support does not run backups or restores.'
          : '';
    return refuse('forbidden', `${who} may not ${rule.summary} (${method}).${why}`, tenantIds, methodClass);
  }

  const used: Justification[] = [];
  const workspaceId = target.workspaceId;
  const needsWorkspace = grant.prod !== 'allow' || grant.justification !== undefined;
  if (needsWorkspace && !workspaceId) {
    return refuse('forbidden', `${method} names no workspace, so the access policy cannot check it.`, tenantIds, methodClass);
  }

  const isProd = (context.environment ?? 'prod') === 'prod';
  if (isProd && grant.prod === 'deny') {
    return refuse('forbidden', `${who} may not ${rule.summary} on prod (${method}).`, tenantIds, methodClass);
  }
  if (isProd && grant.prod === 'unlock' && workspaceId) {
    const unlock = context.justifications.find(session, { kind: 'prod-unlock', workspaceId });
    if (!unlock) {
      return refuse(
        'read_only',
        `Workspace ${workspaceId} is prod and opens read-only: unlock writes with a reason before you ${rule.summary} (${method}).`,
        tenantIds,
        methodClass,
        namedScope({ kind: 'prod-unlock', workspaceId }),
      );
    }
    used.push(unlock);
  }

  if (crossTenant && workspaceId && (methodClass === 'write' || methodClass === 'schema-change') && tenantIds.length > 0) {
    const across = context.justifications.find(session, { kind: 'cross-tenant', workspaceId });
    if (!across) {
      return refuse(
        'forbidden',
        `Changing several tenants at once needs a reason: give one for cross-tenant work in ${workspaceId} first (${method}).`,
        tenantIds,
        methodClass,
        namedScope({ kind: 'cross-tenant', workspaceId }),
      );
    }
    used.push(across);
  }

  if (grant.justification && workspaceId) {
    const outcome = requireJustification(grant.justification, method, workspaceId, target, session, context, tenantIds, methodClass);
    if (!outcome.ok) return outcome.decision;
    used.push(outcome.justification);
  }

  return { allowed: true, methodClass, audited: rule.audited, justifications: used, tenantIds };
}

function requireJustification(
  kind: NonNullable<RoleGrant['justification']>,
  method: string,
  workspaceId: string,
  target: AccessTarget,
  session: Pick<Session, 'operator' | 'role'>,
  context: AccessContext,
  tenantIds: string[],
  methodClass: MethodClass,
): { ok: true; justification: Justification } | { ok: false; decision: AccessDecision } {
  const fail = (message: string, lift?: JustificationScope) => ({
    ok: false as const,
    decision: refuse('forbidden', message, tenantIds, methodClass, lift && namedScope(lift)),
  });
  const tenantId = target.tenants !== 'all' && target.tenants?.length === 1 ? target.tenants[0] : undefined;
  let scope: JustificationScope;
  if (kind === 'cross-tenant') scope = { kind, workspaceId };
  else if (!tenantId) return fail(`${method} must name exactly one tenant.`);
  else if (kind === 'tenant') scope = { kind, workspaceId, tenantId };
  else if (!target.field) return fail(`${method} must name the field to unmask.`);
  else scope = { kind, workspaceId, tenantId, field: target.field };

  const found = context.justifications.find(session, scope);
  if (found) return { ok: true, justification: found };
  if (scope.kind === 'tenant') {
    const open = context.justifications.openTenant(session, workspaceId);
    return fail(
      open
        ? `You have tenant ${open} open; support works in one tenant at a time. Open tenant ${scope.tenantId} with a reason first (${method}).`
        : `Open tenant ${scope.tenantId} with a reason first: support reads one tenant at a time, for a stated reason (${method}).`,
      scope,
    );
  }
  if (scope.kind === 'cross-tenant') {
    return fail(`Work across tenants needs a reason: give one for cross-tenant work in ${workspaceId} first (${method}).`, scope);
  }
  return fail(`Unmasking ${target.field} of tenant ${tenantId} needs a reason: give one for that field first (${method}).`, scope);
}

/**
 * Decides a call from its method and validated arguments and throws the refusal as an AppError
 * (`forbidden` or `read_only`). Returns the decision when allowed, so the caller can audit it.
 */
export function authorize(method: string, args: unknown, session: Pick<Session, 'operator' | 'role'>, context: AccessContext): AccessDecision & { allowed: true } {
  const decision = decide(method, targetOf(method, args), session, context);
  if (!decision.allowed) throw refusalError(method, decision);
  return decision;
}

/** The refusal as the caller receives it: the reason that would lift it, if any, in the details. */
export function refusalError(method: string, decision: AccessDecision & { allowed: false }): AppError {
  return new AppError(decision.code, decision.message, {
    method,
    ...(decision.methodClass ? { methodClass: decision.methodClass } : {}),
    ...(decision.reasonNeeded ? { reasonNeeded: decision.reasonNeeded } : {}),
  });
}
