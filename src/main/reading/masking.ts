import type { RecordKind } from '@shared/masking';
import type { Session } from '@shared/model/session';
import { maskerFor, type Masker } from './timeline';

/** What an inspector method receives beside its arguments; the router's CallContext satisfies it. */
export interface InspectorCallContext {
  signal: AbortSignal;
  session: Pick<Session, 'operator' | 'role'>;
}

/**
 * The paths of a record family the operator has unmasked for a tenant, with a live, recorded
 * reason: `JustificationStore.unmaskedPaths` fits as it is.
 */
export type UnmaskedPaths = (session: Pick<Session, 'operator' | 'role'>, workspaceId: string, tenantId: string, kind: RecordKind) => string[];

/** The masker for one call: the caller's role and whatever the caller has unmasked in this tenant. */
export function callMasker(unmaskedPaths: UnmaskedPaths | undefined, context: InspectorCallContext, workspaceId: string, tenantId: string): Masker {
  return maskerFor(context.session.role, (kind) => unmaskedPaths?.(context.session, workspaceId, tenantId, kind) ?? []);
}
