import { AppError } from '@shared/errors';
import { canonicalJson, type AuditEntryDraft } from '@shared/model/audit';
import type { Session } from '@shared/model/session';
import { WorkspaceInput } from '@shared/model/workspace';
import type { OperatorDirectory } from './operators';

/** A workspace's settings without the passwords, with defaults filled in, as one comparable text. */
function settingsText(workspace: unknown): string {
  const parsed = WorkspaceInput.parse(workspace);
  const endpoints = Object.fromEntries(
    Object.entries(parsed.endpoints).flatMap(([store, endpoint]) => {
      if (!endpoint) return [];
      const { password: _password, ...rest } = endpoint;
      return [[store, rest]];
    }),
  );
  return canonicalJson({ ...parsed, endpoints });
}

/**
 * In a managed workspace whose file locks the settings, `workspaces.update` may enter passwords
 * but change nothing else: refused with `forbidden`, and the refusal recorded.
 */
export async function refuseManagedChange(
  method: string,
  args: unknown,
  session: Session,
  deps: { directory: Pick<OperatorDirectory, 'operatorOf'>; record(journalId: string, draft: AuditEntryDraft): Promise<unknown> },
): Promise<void> {
  if (method !== 'workspaces.update') return;
  const { id, workspace } = args as { id: string; workspace: unknown };
  const { managed } = await deps.directory.operatorOf(id);
  if (!managed?.payload.restrictions.settingsLocked) return;
  if (settingsText(workspace) === settingsText(managed.payload.workspace)) return;
  const message = `Workspace ${id} is managed: its settings come from the file ${managed.info.issuedBy} signed; only passwords can be entered here.`;
  await deps.record(id, {
    operator: { name: session.operator.name, ...(session.operator.email ? { email: session.operator.email } : {}) },
    role: session.role,
    tenantIds: [],
    action: method,
    target: `${method} · workspace ${id}`,
    outcome: 'refused',
    details: { code: 'forbidden', message },
  });
  throw new AppError('forbidden', message);
}
