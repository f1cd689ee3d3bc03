import { z } from 'zod';
import { method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant';
import { Role } from '../model/session';
import { AccessSession, ManagedInfo } from '../model/operator';
import { JustificationKind } from '../access/justification-kinds';

/** A masked field as the rules name it: `<store>:<family>#<path>`, `postgres:users#password_hash`. */
const FieldRef = z
  .string()
  .max(710)
  .regex(/^(?:postgres|mongo|redis|elastic):[^#\s]{1,200}#[^#\s]{1,500}$/, 'a field like postgres:users#password_hash');

/** Who works in a workspace, with which role, and the reasons they gave. */
export const access = section('access', {
  session: method({
    access: 'app',
    summary: 'The operator of a workspace (name, email, role), whether it is managed, and the live reasons and prod unlock.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: AccessSession,
  }),
  setOperator: method({
    access: 'app', // the access service audits it and refuses it in a managed workspace
    summary: 'Sets the operator’s name, email and role for a workspace; refused (forbidden) in a managed workspace. Audited.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        name: z.string().trim().min(1, 'a name is required').max(200),
        email: z.string().trim().max(320).regex(/^$|^[^\s@]+@[^\s@]+$/, 'an email address like pat@example.com'),
        role: Role,
      })
      .strict(),
    result: AccessSession,
  }),
  justify: method({
    access: 'app', // who may give which reason is checked, and audited, when the reason is given
    summary:
      'Gives a reason (10 characters or more, optional ticket) for a scope: opening a tenant, cross-tenant work, ' +
      'unmasking one field of one tenant, or unlocking writes on prod (30 minutes unless told). Audited, refusals too.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        scope: JustificationKind,
        /** Required for `tenant` and `unmask`. */
        tenantId: TenantId.optional(),
        /** Required for `unmask`. */
        field: FieldRef.optional(),
        reason: z.string().trim().min(10, 'give a reason of at least 10 characters that a colleague could check later').max(2000),
        ticket: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._#:/-]{0,63}$/, 'a ticket id is letters, digits and . _ # : / - (at most 64)')
          .optional(),
        /** How long it holds; 30 minutes unless told, at most 8 hours. */
        minutes: z.number().int().min(1).max(480).optional(),
      })
      .strict()
      .superRefine((args, ctx) => {
        if ((args.scope === 'tenant' || args.scope === 'unmask') && !args.tenantId) {
          ctx.addIssue({ code: 'custom', path: ['tenantId'], message: `a ${args.scope} reason names the tenant` });
        }
        if (args.scope === 'unmask' && !args.field) ctx.addIssue({ code: 'custom', path: ['field'], message: 'an unmask names the field' });
        if (args.scope !== 'unmask' && args.field) ctx.addIssue({ code: 'custom', path: ['field'], message: 'only an unmask names a field' });
      }),
    result: z.object({ id: z.string(), expiresAt: z.string().datetime({ offset: true }) }),
  }),
  importManaged: method({
    access: 'workspace.manage',
    summary:
      'Imports a workspace file signed with a platform admin’s Ed25519 key, verified against the keys in ' +
      '<dataDir>/trusted-keys/. A tampered, unsigned or untrusted file is refused. Passwords are entered afterwards.',
    args: z.object({ fileText: z.string().min(1).max(1_000_000) }).strict(),
    result: z.object({ workspaceId: z.string(), name: z.string(), managed: ManagedInfo, session: AccessSession }),
  }),
  verifyManaged: method({
    access: 'workspace.read',
    summary: 'Checks a managed workspace’s stored signed file again against the trusted keys.',
    args: z.object({ workspaceId: WorkspaceId }).strict(),
    result: z.object({ managed: z.boolean(), valid: z.boolean(), message: z.string(), info: ManagedInfo.nullable() }),
  }),
});
