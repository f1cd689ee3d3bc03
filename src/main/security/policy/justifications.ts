import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { mayJustify, type JustificationKind } from '@shared/access';
import { AppError } from '@shared/errors';
import type { ReasonNeeded } from '@shared/model/operator';
import type { Role, Session } from '@shared/model/session';

/** What a reason covers, its kind spelled as in `@shared/access`. Each is asked for once and then holds for a limited time. */
export type JustificationScope =
  | { kind: 'tenant'; workspaceId: string; tenantId: string }
  | { kind: 'cross-tenant'; workspaceId: string }
  | { kind: 'unmask'; workspaceId: string; tenantId: string; field: string }
  | { kind: 'prod-unlock'; workspaceId: string };

/** A scope as a refusal carries it and the status bar lists it: the same kind, named `scope`. */
export function namedScope(scope: JustificationScope): ReasonNeeded {
  switch (scope.kind) {
    case 'tenant':
      return { scope: scope.kind, workspaceId: scope.workspaceId, tenantId: scope.tenantId };
    case 'unmask':
      return { scope: scope.kind, workspaceId: scope.workspaceId, tenantId: scope.tenantId, field: scope.field };
    case 'cross-tenant':
    case 'prod-unlock':
      return { scope: scope.kind, workspaceId: scope.workspaceId };
  }
}

/** What a person types: a reason a colleague could check later, and optionally the ticket. */
export const JustificationInput = z
  .object({
    reason: z
      .string()
      .trim()
      .min(10, 'give a reason of at least 10 characters that a colleague could check later')
      .max(2000),
    ticket: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._#:/-]{0,63}$/, 'a ticket id is letters, digits and . _ # : / - (at most 64)')
      .optional(),
    /** How long it holds; 30 minutes unless told, at most 8 hours. */
    ttlMinutes: z.number().int().min(1).max(480).optional(),
  })
  .strict();
export type JustificationInput = z.input<typeof JustificationInput>;

export interface Justification {
  id: string;
  operator: string;
  role: Role;
  scope: JustificationScope;
  reason: string;
  ticket?: string;
  grantedAt: number;
  expiresAt: number;
}

export const DEFAULT_JUSTIFICATION_TTL_MS = 30 * 60_000;

const SCOPE_LABEL: Record<JustificationKind, string> = {
  tenant: 'open a tenant',
  'cross-tenant': 'work across tenants',
  unmask: 'unmask a field',
  'prod-unlock': 'unlock writes on prod',
};

/** The person behind a session, whatever window or connection they use. */
export function operatorKey(session: Pick<Session, 'operator' | 'role'>): string {
  return JSON.stringify([session.operator.email ?? '', session.operator.name, session.role]);
}

function scopeKey(scope: JustificationScope): string {
  switch (scope.kind) {
    case 'tenant':
      return JSON.stringify([scope.kind, scope.workspaceId, scope.tenantId]);
    case 'unmask':
      return JSON.stringify([scope.kind, scope.workspaceId, scope.tenantId, scope.field]);
    default:
      return JSON.stringify([scope.kind, scope.workspaceId]);
  }
}

/**
 * The reasons operators gave, in memory, each valid for a limited time. Support works in one
 * tenant at a time: opening a tenant closes the one that was open in that workspace.
 */
export class JustificationStore {
  private readonly byOperator = new Map<string, Map<string, Justification>>();

  // Read through Date each time (not a reference taken once), so the console's clock is the one in force.
  constructor(private readonly now: () => number = () => Date.now()) {}

  grant(session: Pick<Session, 'operator' | 'role'>, scope: JustificationScope, input: JustificationInput): Justification {
    if (!mayJustify(session.role, scope.kind)) {
      throw new AppError('forbidden', `A ${roleLabel(session.role)} may not ${SCOPE_LABEL[scope.kind]}.`, { scope: scope.kind });
    }
    const parsed = JustificationInput.safeParse(input);
    if (!parsed.success) {
      throw new AppError('invalid_argument', `The justification is not valid: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    }
    const key = operatorKey(session);
    const held = this.byOperator.get(key) ?? new Map<string, Justification>();
    this.byOperator.set(key, held);
    if (session.role === 'support' && scope.kind === 'tenant') {
      for (const [k, existing] of held) {
        if (existing.scope.kind === 'tenant' && existing.scope.workspaceId === scope.workspaceId) held.delete(k);
      }
    }
    const grantedAt = this.now();
    const justification: Justification = {
      id: randomUUID(),
      operator: key,
      role: session.role,
      scope,
      reason: parsed.data.reason,
      ...(parsed.data.ticket ? { ticket: parsed.data.ticket } : {}),
      grantedAt,
      expiresAt: grantedAt + (parsed.data.ttlMinutes ? parsed.data.ttlMinutes * 60_000 : DEFAULT_JUSTIFICATION_TTL_MS),
    };
    held.set(scopeKey(scope), justification);
    return justification;
  }

  /** The live justification for exactly this scope, if the operator gave one that has not expired. */
  find(session: Pick<Session, 'operator' | 'role'>, scope: JustificationScope): Justification | undefined {
    const held = this.byOperator.get(operatorKey(session));
    const key = scopeKey(scope);
    const found = held?.get(key);
    if (!found) return undefined;
    if (found.expiresAt <= this.now()) {
      held?.delete(key);
      return undefined;
    }
    return found;
  }

  /** The tenant a support operator has open in a workspace, if any. */
  openTenant(session: Pick<Session, 'operator' | 'role'>, workspaceId: string): string | undefined {
    for (const justification of this.active(session)) {
      if (justification.scope.kind === 'tenant' && justification.scope.workspaceId === workspaceId) return justification.scope.tenantId;
    }
    return undefined;
  }

  /** Every live justification of an operator, for the status bar. */
  active(session: Pick<Session, 'operator' | 'role'>): Justification[] {
    const held = this.byOperator.get(operatorKey(session));
    if (!held) return [];
    const now = this.now();
    for (const [key, justification] of held) if (justification.expiresAt <= now) held.delete(key);
    return [...held.values()];
  }

  /**
   * The paths of one record family a platform admin has unmasked, with a live reason, for one
   * tenant: what a service passes to maskRecord as `unmasked`.
   */
  unmaskedPaths(session: Pick<Session, 'operator' | 'role'>, workspaceId: string, tenantId: string, kind: string): string[] {
    const prefix = `${kind}#`;
    return this.active(session).flatMap((justification) => {
      const { scope } = justification;
      return scope.kind === 'unmask' && scope.workspaceId === workspaceId && scope.tenantId === tenantId && scope.field.startsWith(prefix)
        ? [scope.field.slice(prefix.length)]
        : [];
    });
  }

  revoke(session: Pick<Session, 'operator' | 'role'>, id: string): boolean {
    const held = this.byOperator.get(operatorKey(session));
    for (const [key, justification] of held ?? []) {
      if (justification.id === id) return held?.delete(key) ?? false;
    }
    return false;
  }
}

export function roleLabel(role: Role): string {
  return { platform_admin: 'platform admin', dba: 'DBA', support: 'support operator' }[role];
}
