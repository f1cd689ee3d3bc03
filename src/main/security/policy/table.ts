import type { Role } from '@shared/model/session';

/**
 * What a method does, as far as access is concerned. Every contract method belongs to exactly one
 * class; the class decides who may call it, where, with which reason, and whether it is audited.
 */
export type MethodClass =
  /** The console itself: version, transport round trip, the local vault. */
  | 'app'
  /** Workspace settings as the status bar and lists show them. */
  | 'workspace.read'
  /** Creating, changing, removing workspaces and trying their endpoints. */
  | 'workspace.manage'
  /** Store-wide metadata that holds no tenant's data: tenant directory, index lists, plans. */
  | 'read'
  /** One tenant's data. */
  | 'tenant-read'
  /** Data of several or all tenants at once. */
  | 'cross-tenant-read'
  /** Changing data. */
  | 'write'
  /** Index, partition and ILM changes. */
  | 'schema-change'
  /** Showing one masked field in clear. */
  | 'unmask'
  /** Lifting prod's read-only state for a while. */
  | 'unlock'
  /** Reading the console's audit journal. */
  | 'audit-read';

/** How a role may use a class of methods. */
export interface RoleGrant {
  /** On prod: allowed, only with an active unlock, or never. Dev and staging are always allowed. */
  prod: 'allow' | 'unlock' | 'deny';
  /** The reason that must be active first, for the tenant (or field) the call names. */
  justification?: 'tenant' | 'cross_tenant' | 'unmask';
}

export interface ClassRule {
  /** What the class does, to finish "A support operator may not …". */
  summary: string;
  /** Allowed calls are recorded in the journal before they run; refusals are recorded always. */
  audited: boolean;
  /** Roles left out may not call the class at all. */
  roles: Partial<Record<Role, RoleGrant>>;
}

const everywhere: RoleGrant = { prod: 'allow' };

/**
 * THE access policy. Support: read-only, one tenant at a time (a reason opens it), sees masked
 * fields. DBA: workbench and index/partition/ILM changes on dev and staging; on prod only with an
 * unlock. Platform admin: everything, with a reason for cross-tenant work, an unlock for prod
 * writes and a reason per unmasked field.
 */
export const CLASS_RULES: Readonly<Record<MethodClass, ClassRule>> = {
  app: {
    summary: 'use the console',
    audited: false,
    roles: { platform_admin: everywhere, dba: everywhere, support: everywhere },
  },
  'workspace.read': {
    summary: 'see workspace settings',
    audited: false,
    roles: { platform_admin: everywhere, dba: everywhere, support: everywhere },
  },
  'workspace.manage': {
    summary: 'change workspace settings',
    audited: true,
    roles: { platform_admin: everywhere, dba: everywhere },
  },
  read: {
    summary: 'read store metadata',
    audited: false,
    roles: { platform_admin: everywhere, dba: everywhere, support: everywhere },
  },
  'tenant-read': {
    summary: 'read a tenant’s data',
    audited: true,
    roles: { platform_admin: everywhere, dba: everywhere, support: { prod: 'allow', justification: 'tenant' } },
  },
  'cross-tenant-read': {
    summary: 'read across tenants',
    audited: true,
    roles: {
      platform_admin: { prod: 'allow', justification: 'cross_tenant' },
      dba: { prod: 'allow', justification: 'cross_tenant' },
    },
  },
  write: {
    summary: 'change data',
    audited: true,
    roles: { platform_admin: { prod: 'unlock' }, dba: { prod: 'unlock' } },
  },
  'schema-change': {
    summary: 'change indexes, partitions or lifecycle policies',
    audited: true,
    roles: { platform_admin: { prod: 'unlock' }, dba: { prod: 'unlock' } },
  },
  unmask: {
    summary: 'unmask a field',
    audited: true,
    roles: { platform_admin: { prod: 'allow', justification: 'unmask' } },
  },
  unlock: {
    summary: 'unlock writes',
    audited: true,
    roles: { platform_admin: everywhere, dba: everywhere },
  },
  'audit-read': {
    summary: 'read the audit journal',
    audited: false,
    roles: { platform_admin: everywhere },
  },
};

/**
 * Every contract method and its class. A method missing here is refused (and the policy test
 * fails), so a new capability cannot ship without a line in this table.
 */
export const METHOD_CLASSES: Readonly<Record<string, MethodClass>> = {
  'system.info': 'app',
  'system.ping': 'app',
  'system.sampleRows': 'app',
  'vault.status': 'app',
  'vault.unlock': 'app',
  'workspaces.list': 'workspace.read',
  'workspaces.get': 'workspace.read',
  'workspaces.status': 'workspace.read',
  'workspaces.create': 'workspace.manage',
  'workspaces.update': 'workspace.manage',
  'workspaces.remove': 'workspace.manage',
  'workspaces.testConnection': 'workspace.manage',
  'tenants.list': 'read',
  'tenants.namespaceMap': 'read',
  'tenants.get': 'tenant-read',
  'tenants.keys': 'tenant-read',
  'tenants.keyValue': 'tenant-read',
  'cases.search': 'tenant-read',
  'cases.get': 'tenant-read',
  'clients.search': 'tenant-read',
  'clients.get': 'tenant-read',
  // The access service checks and records these itself: a reason's own rules, an operator change.
  'access.session': 'app',
  'access.setOperator': 'app',
  'access.justify': 'app',
  'access.importManaged': 'workspace.manage',
  'access.verifyManaged': 'workspace.read',
  'audit.query': 'audit-read',
  'audit.verify': 'audit-read',
  'audit.export': 'audit-read',
  'audit.platformLogs': 'tenant-read',
};

export function classOf(method: string): MethodClass | undefined {
  return Object.hasOwn(METHOD_CLASSES, method) ? METHOD_CLASSES[method] : undefined;
}
