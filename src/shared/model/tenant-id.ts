import { z } from 'zod';
import { AppError } from '../errors';

/**
 * The one rule for a tenant id, used by the contract (arguments), the tenancy presets (scopes) and
 * the stores alike; a preset's own pattern (a UUID, an ObjectId) is applied on top of it.
 *
 * A tenant id is a value, never a piece of query text; still, it ends up inside schema names, key
 * prefixes, collection names and index patterns, so it is letters, digits, dashes and underscores,
 * starts with a letter or digit, holds no `--` (an SQL comment) and is at most 64 characters.
 * Everything else (quotes, `;`, `:` which separates a Redis key prefix, slashes, wildcards, spaces,
 * control characters, `..`) is refused whatever a preset allows.
 */
export const MAX_TENANT_ID_LENGTH = 64;
const TENANT_ID_CHARACTERS = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

const shown = (tenantId: string): string => JSON.stringify(tenantId.length > 40 ? `${tenantId.slice(0, 40)}…` : tenantId);

/** Why a value is not a tenant id, in words a person can act on; undefined when it is one. */
export function tenantIdProblem(tenantId: unknown): string | undefined {
  if (typeof tenantId !== 'string' || tenantId.length === 0) return 'A tenant id is required.';
  if (tenantId.length > MAX_TENANT_ID_LENGTH) {
    return `A tenant id is at most ${MAX_TENANT_ID_LENGTH} characters; ${shown(tenantId)} has ${tenantId.length}.`;
  }
  if (!TENANT_ID_CHARACTERS.test(tenantId) || tenantId.includes('--')) {
    return `${shown(tenantId)} is not a tenant id: a tenant id is letters, digits, dashes and underscores, starts with a letter or digit and never holds "--".`;
  }
  return undefined;
}

/** A tenant id as every platform spells one: a UUID, an ObjectId, a number, a short code. */
export const TenantId = z.string().superRefine((value, ctx) => {
  const problem = tenantIdProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});
export type TenantId = z.infer<typeof TenantId>;

/** Whether `tenantId` matches the whole of a preset's pattern, even one written without anchors. */
export function matchesTenantIdPattern(tenantId: string, pattern: string | RegExp): boolean {
  const source = typeof pattern === 'string' ? pattern : pattern.source;
  const whole = new RegExp(`^(?:${source.replace(/^\^/, '').replace(/\$$/, '')})$`, typeof pattern === 'string' ? '' : pattern.flags.replace('g', ''));
  return whole.test(tenantId);
}

/**
 * Checks a tenant id against the one rule and, when given, the preset's pattern. Returns the id;
 * throws `invalid_argument` with a reason a person can act on.
 */
export function validateTenantId(tenantId: unknown, pattern?: string | RegExp): string {
  const problem = tenantIdProblem(tenantId);
  if (problem !== undefined) throw new AppError('invalid_argument', problem);
  const id = tenantId as string;
  if (pattern !== undefined && !matchesTenantIdPattern(id, pattern)) {
    const source = typeof pattern === 'string' ? pattern : pattern.source;
    throw new AppError('invalid_argument', `${shown(id)} does not look like a tenant id of this platform (expected ${source}).`);
  }
  return id;
}
