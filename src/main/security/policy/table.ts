import type { JustificationKind, MethodClass } from '@shared/access';
import { METHOD_NAMES, isMethodName, methodSpec, type MethodName } from '@shared/contract';
import type { Role } from '@shared/model/session';

export type { MethodClass };

/** How a role may use a class of methods. */
export interface RoleGrant {
  /** On prod: allowed, only with an active unlock, or never. Dev and staging are always allowed. */
  prod: 'allow' | 'unlock' | 'deny';
  /** The reason that must be active first, for the tenant (or field) the call names. */
  justification?: Extract<JustificationKind, 'tenant' | 'cross-tenant' | 'unmask'>;
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
      platform_admin: { prod: 'allow', justification: 'cross-tenant' },
      dba: { prod: 'allow', justification: 'cross-tenant' },
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
  backup: {
    summary: 'run backups or manage backup files',
    audited: true,
    roles: { platform_admin: everywhere, dba: everywhere },
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
  'job-control': {
    summary: 'start or cancel jobs',
    // Each job writes one entry with its outcome (who started it, cancelled or not): recording the
    // call as well would say the same thing twice. Refusals are recorded as for every class.
    audited: false,
    roles: { platform_admin: everywhere, dba: everywhere },
  },
};

/**
 * Every contract method and its class, as the contract declares it next to the method's schema.
 * A name that is no contract method has no class and is refused.
 */
export const METHOD_CLASSES: Readonly<Record<MethodName, MethodClass>> = Object.freeze(
  Object.fromEntries(METHOD_NAMES.map((name) => [name, methodSpec(name).access])) as Record<MethodName, MethodClass>,
);

export function classOf(method: string): MethodClass | undefined {
  return isMethodName(method) ? METHOD_CLASSES[method] : undefined;
}

/** Who journals an allowed call: the policy (`call`), or the job it starts (`job`, as the contract declares). */
export function journalOf(method: string): 'call' | 'job' {
  return isMethodName(method) ? (methodSpec(method).journal ?? 'call') : 'call';
}
