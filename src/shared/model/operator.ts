import { z } from 'zod';
import { JustificationKind } from '../access/justification-kinds';
import { Role } from './session';

/** The person working in a workspace: who the audit journal names, and the role the policy applies. */
export const Operator = z
  .object({
    name: z.string().trim().min(1, 'a name is required').max(200),
    email: z.string().trim().max(320).regex(/^$|^[^\s@]+@[^\s@]+$/, 'an email address like pat@example.com').default(''),
    role: Role,
  })
  .strict();
export type Operator = z.infer<typeof Operator>;

/**
 * The reason a refused call waits for, carried in the refusal's details as `reasonNeeded`: the
 * console asks for exactly this and retries. A refusal without it is one no reason lifts.
 */
const kind = JustificationKind.enum;
export const ReasonNeeded = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal(kind.tenant), workspaceId: z.string(), tenantId: z.string() }),
  z.object({ scope: z.literal(kind['cross-tenant']), workspaceId: z.string() }),
  z.object({ scope: z.literal(kind.unmask), workspaceId: z.string(), tenantId: z.string(), field: z.string() }),
  z.object({ scope: z.literal(kind['prod-unlock']), workspaceId: z.string() }),
]);
export type ReasonNeeded = z.infer<typeof ReasonNeeded>;

/** One live reason an operator gave, as the status bar shows it. */
export const ActiveJustification = z.object({
  id: z.string(),
  scope: JustificationKind,
  tenantId: z.string().optional(),
  /** The masked field an unmask covers, `postgres:users#password_hash`. */
  field: z.string().optional(),
  reason: z.string(),
  ticket: z.string().optional(),
  expiresAt: z.string().datetime({ offset: true }),
});
export type ActiveJustification = z.infer<typeof ActiveJustification>;

/** Who signed a managed workspace, as the import screen and the status bar show it. */
export const ManagedInfo = z.object({
  /** SHA-256 of the signer's public key (DER, SPKI), hex: what an admin compares out of band. */
  keyFingerprint: z.string(),
  /** The file name of the trusted key in `<dataDir>/trusted-keys/` that verified it. */
  keyName: z.string(),
  issuedBy: z.string(),
  issuedAt: z.string(),
});
export type ManagedInfo = z.infer<typeof ManagedInfo>;

/** The access state of one workspace for the operator working in it. */
export const AccessSession = z.object({
  workspaceId: z.string(),
  operator: Operator,
  /** Present when the workspace came from a signed file: role and restrictions are fixed. */
  managed: ManagedInfo.nullable(),
  justifications: z.array(ActiveJustification),
  /** The live prod unlock, if any (also listed in `justifications`). */
  prodUnlock: z.object({ reason: z.string(), ticket: z.string().optional(), expiresAt: z.string().datetime({ offset: true }) }).nullable(),
});
export type AccessSession = z.infer<typeof AccessSession>;
