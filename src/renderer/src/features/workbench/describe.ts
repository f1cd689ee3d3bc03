import type { RunScope, WorkbenchTarget } from '@shared/model/workbench';
import { engineTitle, type TabScope } from './tabs-store';

/** A scope in words: `tenant Acme` (by name when known), `3 tenants`, `all tenants`. */
export function scopeLabel(scope: RunScope | undefined, names: ReadonlyMap<string, string> = new Map()): string {
  if (!scope) return 'no scope';
  const one = (id: string) => `tenant ${names.get(id) ?? id}`;
  if (scope.kind === 'tenant') return one(scope.tenantId);
  if (scope.kind === 'tenants') return scope.tenantIds.length === 1 ? one(scope.tenantIds[0]!) : `${scope.tenantIds.length} tenants`;
  return 'all tenants';
}

/** A target in words: `PostgreSQL`, `MongoDB cases · find`, `Elasticsearch logs-*`. */
export function targetLabel(target: WorkbenchTarget): string {
  if (target.engine === 'mongo') return `${engineTitle('mongo')} ${target.collection} · ${target.operation}`;
  if (target.engine === 'elastic') return `${engineTitle('elastic')} ${target.index}`;
  return engineTitle(target.engine);
}

/** A stored scope back as a tab's: support's tabs stay on one tenant whatever the stored run did. */
export function tabScopeOf(scope: RunScope | undefined, oneTenantOnly: boolean): TabScope {
  if (!scope) return { kind: 'tenant', tenantId: null };
  if (scope.kind === 'tenant') return { kind: 'tenant', tenantId: scope.tenantId };
  if (oneTenantOnly) return { kind: 'tenant', tenantId: scope.kind === 'tenants' ? (scope.tenantIds[0] ?? null) : null };
  return scope.kind === 'tenants' ? { kind: 'tenants', tenantIds: scope.tenantIds } : { kind: 'all' };
}

/** What a tab opened from a stored query holds: its engine's target fields. */
export function tabTargetFields(target: WorkbenchTarget): { collection: string | null; operation: 'find' | 'aggregate'; index: string | null } {
  return {
    collection: target.engine === 'mongo' ? target.collection : null,
    operation: target.engine === 'mongo' ? target.operation : 'find',
    index: target.engine === 'elastic' ? target.index : null,
  };
}
