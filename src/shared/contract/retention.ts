import { z } from 'zod';
import { method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { TenantId } from '../model/tenant-id';
import { JobSummary } from '../model/job';
import { Month } from '../model/lifecycle';
import { MongoRetention, RedisRetention } from '../model/retention';

/** A logical collection or key family of the blueprint: plain words, never a pattern. */
const FamilyName = z.string().min(1).max(120).regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a family name of the blueprint: letters, digits and _');

/** The words an export-then-drop must be confirmed with: `drop 3 audit_logs`. */
export function dropConfirmation(months: readonly string[], family: string): string {
  return `drop ${months.length} ${family}`;
}

/**
 * Data lifecycle against the blueprint outside PostgreSQL and Elasticsearch: MongoDB monthly
 * buckets and TTL indexes, Redis key families' TTLs. Reading is `read` (names, sizes, TTLs; no
 * document or value); each change is a `schema-change` job (support never, prod only with an
 * unlock) with its audit entry.
 */
export const retention = section('retention', {
  mongo: method({
    access: 'read',
    summary:
      'MongoDB time buckets (`tenant_<id>_<name>_YYYY_MM`) per tenant against the blueprint’s retention — present, missing ' +
      'and expired months — and TTL indexes with their `expireAfterSeconds` against the blueprint. Without a tenant, the ' +
      'fleet by collection names; with one, each bucket’s count and size from `$collStats`. `available: false` with the ' +
      'reason when the workspace’s MongoDB cannot be read.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: TenantId.optional() }).strict(),
    result: MongoRetention,
  }),
  redis: method({
    access: 'read',
    summary:
      'Redis key families against the blueprint’s TTLs, from the namespace map (walked once and shared with the tenant ' +
      'list): the TTL distribution per family, keys without a prescribed TTL and TTLs longer than prescribed, fleet-wide ' +
      'and per tenant. `refresh` walks the keyspace again.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId.optional(),
        refresh: z.boolean().default(false),
        /** Tenants with findings listed at most. */
        limit: z.number().int().min(1).max(5_000).default(200),
      })
      .strict(),
    result: RedisRetention,
  }),
  exportDrop: method({
    access: 'schema-change',
    summary:
      'Starts the `retention.mongo-export-drop` job for a tenant’s expired buckets of one family: each is exported as ' +
      'gzip canonical Extended JSON with its SHA-256 into a folder of its own, the export is read back and its count ' +
      'checked against the collection’s, and only then is the collection dropped. A cancel before a drop leaves that ' +
      'collection. Months inside the retention are refused. `confirm` must read `drop <n> <family>`.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: TenantId,
        family: FamilyName,
        months: z.array(Month).min(1).max(240),
        confirm: z.string().max(200),
      })
      .strict()
      .refine((args) => new Set(args.months).size === args.months.length, { path: ['months'], message: 'each month once' })
      .refine((args) => args.confirm === dropConfirmation(args.months, args.family), {
        path: ['confirm'],
        message: 'type the confirmation exactly: drop <number of months> <family>',
      }),
    result: JobSummary,
  }),
  fixRedisTtl: method({
    access: 'schema-change',
    summary:
      'Starts the `retention.redis-ttl` job: SCAN through one family’s keys of one tenant, or of every tenant, and ' +
      '`EXPIRE … NX` in pipelines, which sets the blueprint’s TTL on exactly the keys without one and leaves every other ' +
      'TTL alone. Cancel stops between pipelines; a family the blueprint gives no TTL is refused.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        family: FamilyName,
        tenantId: TenantId.optional(),
        allTenants: z.literal(true).optional(),
      })
      .strict()
      .refine((args) => (args.tenantId === undefined) !== (args.allTenants === undefined), {
        path: ['tenantId'],
        message: 'name one tenant by tenantId, or every tenant by allTenants: true',
      }),
    result: JobSummary,
  }),
});
