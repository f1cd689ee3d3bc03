import { z } from 'zod';
import { AppError } from '../errors';
import { TenantId, validateTenantId } from './tenant-id';

export { MAX_TENANT_ID_LENGTH, validateTenantId } from './tenant-id';

/** A PostgreSQL identifier the stores will quote: 1–63 bytes, no NUL. */
const pgIdentifier = z
  .string()
  .min(1)
  .refine((name) => !name.includes('\0'), 'an identifier cannot hold NUL')
  .refine((name) => new TextEncoder().encode(name).length <= 63, 'PostgreSQL identifiers are at most 63 bytes');

/** A custom setting name, `namespace.name`, as `set_config` accepts it. */
const settingName = z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'a setting is namespace.name in lower case');
const mongoField = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a tenant field is a plain top-level field name');
const mongoCollectionPart = z.string().min(1).max(120).regex(/^[A-Za-z0-9_.-]+$/, 'collection names hold letters, digits, _ . - only').refine((v) => !v.includes('..'), 'no ".."');

/**
 * How one tenant is scoped in each store. Built by the tenancy preset (`scopeFor`), applied only
 * inside the stores layer:
 * - `postgres`: work runs in a transaction with `SET LOCAL search_path` to the quoted `schema` and
 *   `set_config(setting, tenantId, true)` so row-level security sees the tenant;
 * - `mongo`: either `mode: 'field'` — `{ [field]: tenantId }` is merged into every filter and
 *   pipeline on the tenant-scoped collections (`collections`, or every collection when absent) —
 *   or `mode: 'collection-prefix'` — only collections named `<collectionPrefix><name>` are reached;
 * - `redis`: every key read or written starts with `keyPrefix` (`<id>:`);
 * - `elastic`: only indices matching `indexPattern` (`tenant-<id>-*`) are searched or written.
 * A store without an entry here is not scoped, and refuses scoped calls.
 */
export const TenantScope = z.object({
  tenantId: TenantId,
  postgres: z
    .object({
      schema: pgIdentifier,
      setting: settingName.default('app.current_tenant_id'),
      /** The column RLS policies compare with the setting; informative for the console. */
      tenantColumn: z.string().optional(),
    })
    .optional(),
  mongo: z
    .discriminatedUnion('mode', [
      z.object({
        mode: z.literal('field'),
        field: mongoField.default('tenantId'),
        /** Whether the field holds an ObjectId or the id as a string. */
        valueType: z.enum(['objectId', 'string']).default('string'),
        /** The customer collections the filter applies to; a scoped call on any other is refused. */
        collections: z.array(mongoCollectionPart).optional(),
      }),
      z.object({
        mode: z.literal('collection-prefix'),
        /** `tenant_<id>_` */
        collectionPrefix: mongoCollectionPart,
        field: mongoField.optional(),
        valueType: z.enum(['objectId', 'string']).optional(),
      }),
    ])
    .optional(),
  redis: z.object({ keyPrefix: z.string().min(2).max(200).refine((v) => !/[\s*?[\]\\]/.test(v), 'a key prefix holds no spaces or glob characters') }).optional(),
  elastic: z
    .object({
      /** `tenant-<id>-*`: lower case, one trailing wildcard at most, no commas (which would widen it). */
      indexPattern: z.string().regex(/^[a-z0-9][a-z0-9_.+-]*\*?$/, 'an index pattern is lower case with one trailing * at most'),
    })
    .optional(),
});
export type TenantScope = z.infer<typeof TenantScope>;
export type TenantScopeInput = z.input<typeof TenantScope>;

/** Validates a scope (from a preset or from the contract) once, before any store uses it. */
export function parseTenantScope(scope: unknown): TenantScope {
  const parsed = TenantScope.safeParse(scope);
  if (!parsed.success) {
    throw new AppError('invalid_argument', `Not a valid tenant scope: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'scope'}: ${i.message}`).join('; ')}`, { issues: parsed.error.issues });
  }
  const value = parsed.data;
  // Each per-store form must be about this tenant, so a scope cannot point at a neighbour's data.
  if (value.redis && !value.redis.keyPrefix.startsWith(value.tenantId)) {
    throw new AppError('invalid_argument', `The Redis key prefix ${JSON.stringify(value.redis.keyPrefix)} is not the tenant's own.`);
  }
  if (value.elastic && !value.elastic.indexPattern.includes(value.tenantId.toLowerCase())) {
    throw new AppError('invalid_argument', `The index pattern ${value.elastic.indexPattern} does not name the tenant.`);
  }
  if (value.mongo?.mode === 'collection-prefix' && !value.mongo.collectionPrefix.includes(value.tenantId)) {
    throw new AppError('invalid_argument', `The collection prefix ${value.mongo.collectionPrefix} does not name the tenant.`);
  }
  return value;
}

/**
 * The scope the architecture describes when no preset says otherwise: schema `tenant_<id>`
 * (dashes as underscores) with `app.current_tenant_id`, a `tenantId` field filter, key prefix
 * `<id>:` and index pattern `tenant-<id>-*`.
 */
export function defaultTenantScope(tenantId: string, pattern?: string | RegExp): TenantScope {
  const id = validateTenantId(tenantId, pattern);
  return parseTenantScope({
    tenantId: id,
    postgres: { schema: `tenant_${id.replaceAll('-', '_')}`, setting: 'app.current_tenant_id' },
    mongo: { mode: 'field', field: 'tenantId', valueType: 'string' },
    redis: { keyPrefix: `${id}:` },
    elastic: { indexPattern: `tenant-${id.toLowerCase()}-*` },
  });
}
