import { z } from 'zod';
import type { Role } from '../model/session';

/**
 * What a reason covers: opening one tenant, work across tenants, unmasking one field, lifting
 * prod's read-only state. One spelling everywhere: the contract, the main process's policy, the
 * console's screens and the audit journal's actions (`access.justify.cross-tenant`).
 */
export const JUSTIFICATION_KINDS = ['tenant', 'cross-tenant', 'unmask', 'prod-unlock'] as const;

export const JustificationKind = z.enum(JUSTIFICATION_KINDS);
export type JustificationKind = z.infer<typeof JustificationKind>;

/**
 * Which reasons each role may give at all. The main process refuses the others when they are
 * given; the console offers only these. Where a reason is needed is the policy table's business.
 */
const MAY_JUSTIFY: Readonly<Record<Role, readonly JustificationKind[]>> = {
  support: ['tenant'],
  dba: ['tenant', 'cross-tenant', 'prod-unlock'],
  platform_admin: ['tenant', 'cross-tenant', 'unmask', 'prod-unlock'],
};

export function mayJustify(role: Role, kind: JustificationKind): boolean {
  return MAY_JUSTIFY[role].includes(kind);
}
