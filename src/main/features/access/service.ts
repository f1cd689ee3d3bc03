import { AppError } from '@shared/errors';
import type { AuditEntryDraft } from '@shared/model/audit';
import type { AccessSession, ActiveJustification } from '@shared/model/operator';
import type { Session } from '@shared/model/session';
import type { SectionService } from '../../services/section';
import { namedScope, type AccessPolicy, type Justification, type JustificationScope, type JustificationStore } from '../../security/policy';
import { loadTrustedKeys, verifyWorkspaceFile, type ManagedPayload } from '../../security/managed/signed-workspace';
import type { OperatorDirectory } from './operators';

export interface AccessServiceDeps {
  directory: OperatorDirectory;
  justifications: JustificationStore;
  policy: AccessPolicy;
  /** Appends to a workspace's audit journal; resolves once on disk. */
  record(journalId: string, draft: AuditEntryDraft): Promise<unknown>;
  /** Whether a workspace exists, so a call naming a removed one says not_found. */
  workspaceExists(workspaceId: string): Promise<boolean>;
  /** Creates the workspace of a signed file, or replaces the settings of the one imported before. */
  saveWorkspace(workspace: ManagedPayload['workspace'], existingId: string | undefined, session: Session): Promise<{ id: string }>;
}

function shown(justification: Justification): ActiveJustification {
  const { workspaceId: _workspace, ...named } = namedScope(justification.scope);
  return {
    id: justification.id,
    ...named,
    reason: justification.reason,
    ...(justification.ticket ? { ticket: justification.ticket } : {}),
    expiresAt: new Date(justification.expiresAt).toISOString(),
  };
}

const operatorOf = (session: Session): AuditEntryDraft['operator'] => ({
  name: session.operator.name,
  ...(session.operator.email ? { email: session.operator.email } : {}),
});

/**
 * The access section: the operator of each workspace, the reasons they give, and managed
 * workspaces. The session a call carries is already the operator of the workspace it names.
 */
export function createAccessService(deps: AccessServiceDeps): SectionService<'access'> {
  async function mustExist(workspaceId: string): Promise<void> {
    if (!(await deps.workspaceExists(workspaceId))) throw new AppError('not_found', `There is no workspace "${workspaceId}".`);
  }

  async function sessionOf(workspaceId: string): Promise<AccessSession> {
    const { operator, managed } = await deps.directory.operatorOf(workspaceId);
    const asOperator = { operator: { name: operator.name, email: operator.email }, role: operator.role };
    const live = deps.justifications.active(asOperator).filter((j) => j.scope.workspaceId === workspaceId);
    const unlock = live.find((j) => j.scope.kind === 'prod-unlock');
    return {
      workspaceId,
      operator,
      managed: managed?.info ?? null,
      justifications: live.map(shown),
      prodUnlock: unlock
        ? { reason: unlock.reason, ...(unlock.ticket ? { ticket: unlock.ticket } : {}), expiresAt: new Date(unlock.expiresAt).toISOString() }
        : null,
    };
  }

  return {
    async session({ workspaceId }) {
      await mustExist(workspaceId);
      return sessionOf(workspaceId);
    },

    async setOperator({ workspaceId, name, email, role }, context) {
      await mustExist(workspaceId);
      const before = await deps.directory.operatorOf(workspaceId);
      const draft = {
        operator: operatorOf(context.session),
        role: context.session.role,
        action: 'access.setOperator',
        target: `access.setOperator · workspace ${workspaceId} · role ${role}`,
        tenantIds: [],
      };
      if (before.managed) {
        const message = `Workspace ${workspaceId} is managed: its operator and role come from the file a platform admin signed.`;
        await deps.record(workspaceId, { ...draft, outcome: 'refused', details: { code: 'forbidden', message } });
        throw new AppError('forbidden', message);
      }
      // Recorded first: a role change the journal does not show must not happen.
      await deps.record(workspaceId, {
        ...draft,
        outcome: 'allowed',
        details: { from: { name: before.operator.name, email: before.operator.email, role: before.operator.role }, to: { name, email, role } },
      });
      await deps.directory.setOperator(workspaceId, { name, email, role });
      return sessionOf(workspaceId);
    },

    async justify(args, context) {
      await mustExist(args.workspaceId);
      const { scope: kind, workspaceId, tenantId, field } = args;
      let scope: JustificationScope;
      if (kind === 'tenant' && tenantId) scope = { kind, workspaceId, tenantId };
      else if (kind === 'unmask' && tenantId && field) scope = { kind, workspaceId, tenantId, field };
      else if (kind === 'cross-tenant' || kind === 'prod-unlock') scope = { kind, workspaceId };
      else throw new AppError('invalid_argument', `A ${args.scope} reason names the tenant${kind === 'unmask' ? ' and the field' : ''}.`);
      const justification = await deps.policy.justify(context.session, scope, {
        reason: args.reason,
        ...(args.ticket ? { ticket: args.ticket } : {}),
        ...(args.minutes ? { ttlMinutes: args.minutes } : {}),
      });
      return { id: justification.id, expiresAt: new Date(justification.expiresAt).toISOString() };
    },

    async importManaged({ fileText }, context) {
      const verified = verifyWorkspaceFile(fileText, await loadTrustedKeys(deps.directory.trustedKeysDir));
      const { payload, info } = verified;
      const existing = await deps.directory.workspaceOfManaged(payload.id);
      const stillThere = existing !== undefined && (await deps.workspaceExists(existing));
      const { id } = await deps.saveWorkspace(payload.workspace, stillThere ? existing : undefined, context.session);
      await deps.directory.setManaged(id, fileText, verified);
      await deps.record(id, {
        operator: operatorOf(context.session),
        role: context.session.role,
        tenantIds: [],
        action: 'access.importManaged',
        target: `access.importManaged · workspace ${id} · managed ${payload.id}`,
        outcome: 'allowed',
        details: { managedId: payload.id, keyFingerprint: info.keyFingerprint, issuedBy: info.issuedBy, role: payload.operator.role },
      });
      return { workspaceId: id, name: payload.workspace.name, managed: info, session: await sessionOf(id) };
    },

    async verifyManaged({ workspaceId }) {
      await mustExist(workspaceId);
      try {
        const verified = await deps.directory.reverify(workspaceId);
        if (!verified) return { managed: false, valid: false, message: `Workspace ${workspaceId} is not managed.`, info: null };
        return { managed: true, valid: true, message: `Signed by ${verified.info.issuedBy} with key ${verified.info.keyName}.`, info: verified.info };
      } catch (error) {
        if (!AppError.is(error, 'forbidden')) throw error;
        return { managed: true, valid: false, message: error.message, info: null };
      }
    },
  };
}
