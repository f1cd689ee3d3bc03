import { AppError } from '@shared/errors';
import { CONSOLE_JOURNAL_ID, type AuditEntryDraft, type AuditJustification } from '@shared/model/audit';
import type { Environment } from '@shared/model/workspace';
import type { Session } from '@shared/model/session';
import { decide, refusalError, targetOf, type AccessDecision, type AccessTarget } from './decide';
import type { Justification, JustificationInput, JustificationScope, JustificationStore } from './justifications';
import { journalOf } from './table';

export interface AccessPolicyOptions {
  justifications: JustificationStore;
  /** The environment of a workspace, or undefined when there is no such workspace (treated as prod). */
  environmentOf(workspaceId: string): Environment | undefined | Promise<Environment | undefined>;
  /**
   * Appends an entry to a journal (a workspace id, or CONSOLE_JOURNAL_ID) and resolves once it is
   * on disk. If it throws, the call is not run.
   */
  record(journalId: string, draft: AuditEntryDraft): Promise<unknown>;
}

/** What an allowed call carries on: the last reason or unlock the policy used for it, if any. */
export interface AuthorizedCall {
  justification: AuditJustification | null;
}

export interface AccessPolicy {
  /**
   * The router's `authorize` hook: refuses with `forbidden` / `read_only`, records what the table
   * says. Resolves to the reason (or unlock) the call was allowed on, which a method journaled by
   * its job (`journal: 'job'`) hands to that job instead of being recorded here.
   */
  authorize(method: string, args: unknown, session: Session): Promise<AuthorizedCall>;
  /** The decision alone, nothing recorded: for the UI to grey out what a role cannot do. */
  check(method: string, args: unknown, session: Session): Promise<AccessDecision>;
  /** Takes a reason for a scope (opening a tenant, cross-tenant work, an unmask, a prod unlock) and records it. */
  justify(session: Session, scope: JustificationScope, input: JustificationInput): Promise<Justification>;
  /** Records that an allowed, audited call then failed, so the journal does not claim it happened. */
  recordFailure(method: string, args: unknown, session: Session, error: unknown): Promise<void>;
}

function describeTarget(method: string, target: AccessTarget): string {
  const parts = [method];
  if (target.workspaceId) parts.push(`workspace ${target.workspaceId}`);
  if (target.tenants === 'all') parts.push('all tenants');
  else if (target.tenants?.length) {
    const shown = target.tenants.slice(0, 5).map((id) => id.slice(0, 64));
    const more = target.tenants.length - shown.length;
    parts.push(`tenant ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  if (target.field) parts.push(`field ${target.field.slice(0, 300)}`);
  return parts.join(' · ').slice(0, 1000);
}

const auditJustification = (justification: Justification | undefined): AuditJustification | null =>
  justification
    ? { id: justification.id, reason: justification.reason, ...(justification.ticket ? { ticket: justification.ticket } : {}) }
    : null;

const operatorOf = (session: Session): AuditEntryDraft['operator'] => ({
  name: session.operator.name,
  ...(session.operator.email ? { email: session.operator.email } : {}),
});

/**
 * The access policy wired to its surroundings: the workspaces (for their environment), the
 * reasons operators gave, and the audit journals. Refusals are always recorded; allowed calls of
 * an audited class are recorded before they run.
 */
export function createAccessPolicy(options: AccessPolicyOptions): AccessPolicy {
  async function decideCall(method: string, args: unknown, session: Session): Promise<{ decision: AccessDecision; target: AccessTarget }> {
    const target = targetOf(method, args);
    const environment = target.workspaceId ? await options.environmentOf(target.workspaceId) : undefined;
    const decision = decide(method, target, session, {
      justifications: options.justifications,
      ...(environment ? { environment } : {}),
    });
    return { decision, target };
  }

  return {
    async check(method, args, session) {
      return (await decideCall(method, args, session)).decision;
    },

    async authorize(method, args, session) {
      const { decision, target } = await decideCall(method, args, session);
      const journalId = target.workspaceId ?? CONSOLE_JOURNAL_ID;
      if (!decision.allowed) {
        await options.record(journalId, {
          operator: operatorOf(session),
          role: session.role,
          tenantIds: decision.tenantIds,
          action: method,
          target: describeTarget(method, target),
          outcome: 'refused',
          details: { code: decision.code, message: decision.message, ...(decision.methodClass ? { class: decision.methodClass } : {}) },
        });
        throw refusalError(method, decision);
      }
      const justification = auditJustification(decision.justifications.at(-1));
      // A call that starts a job is journaled by the job, which carries this justification along.
      if (!decision.audited || journalOf(method) === 'job') return { justification };
      await options.record(journalId, {
        operator: operatorOf(session),
        role: session.role,
        tenantIds: decision.tenantIds,
        action: method,
        target: describeTarget(method, target),
        justification,
        outcome: 'allowed',
        details: { class: decision.methodClass, justifications: decision.justifications.map((j) => j.id) },
      });
      return { justification };
    },

    async justify(session, scope, input) {
      const action = `access.justify.${scope.kind}`;
      const target: AccessTarget = {
        workspaceId: scope.workspaceId,
        ...('tenantId' in scope ? { tenants: [scope.tenantId] } : scope.kind === 'cross-tenant' ? { tenants: 'all' as const } : {}),
        ...('field' in scope ? { field: scope.field } : {}),
      };
      const base = {
        operator: operatorOf(session),
        role: session.role,
        tenantIds: 'tenantId' in scope ? [scope.tenantId] : scope.kind === 'cross-tenant' ? ['*'] : [],
        action,
        target: describeTarget(action, target),
      };
      let justification: Justification;
      try {
        justification = options.justifications.grant(session, scope, input);
      } catch (error) {
        if (AppError.is(error, 'forbidden')) {
          await options.record(scope.workspaceId, { ...base, outcome: 'refused', details: { code: 'forbidden', message: error.message } });
        }
        throw error;
      }
      await options.record(scope.workspaceId, {
        ...base,
        justification: auditJustification(justification),
        outcome: 'allowed',
        details: { expiresAt: new Date(justification.expiresAt).toISOString() },
      });
      return justification;
    },

    async recordFailure(method, args, session, error) {
      const target = targetOf(method, args);
      await options.record(target.workspaceId ?? CONSOLE_JOURNAL_ID, {
        operator: operatorOf(session),
        role: session.role,
        tenantIds: target.tenants === 'all' ? ['*'] : [...(target.tenants ?? [])],
        action: method,
        target: describeTarget(method, target),
        outcome: 'failed',
        details: AppError.is(error) ? { code: error.code, message: error.message } : { code: 'internal' },
      });
    },
  };
}
