import { z } from 'zod';
import { Month } from './lifecycle';
import { TenantId } from './tenant-id';
import { TtlBuckets } from './tenant';

/**
 * The shapes of the retention capability: MongoDB time-bucketed collections and TTL indexes, and
 * Redis key families' TTLs, each against the preset's blueprint. Plain JSON for both processes.
 */

// ── Months ──────────────────────────────────────────────────────────────────────────────────────

/** The UTC month of a date, `2026-12`. */
export function monthOf(date: Date): Month {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** `month` moved by `by` months (negative goes back). */
export function shiftMonth(month: Month, by: number): Month {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (mon - 1) + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Whole months from `from` to `to` (negative when `to` is earlier). */
export function monthDistance(from: Month, to: Month): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return ty * 12 + tm - (fy * 12 + fm);
}

/** The month a moment `seconds` after `now` falls in. */
export function monthAfterSeconds(now: Date, seconds: number): Month {
  return monthOf(new Date(now.getTime() + seconds * 1000));
}

// ── MongoDB ─────────────────────────────────────────────────────────────────────────────────────

/** One monthly bucket of a tenant: `tenant_<id>_audit_logs_2025_06`. */
export const MongoBucket = z.object({
  collection: z.string(),
  month: Month,
  /** `$collStats` figures; null where they were not read (the fleet list reads names only). */
  documents: z.number().int().nonnegative().nullable(),
  bytes: z.number().nonnegative().nullable(),
  /** Older than the blueprint's retention: offered for export-then-drop. */
  expired: z.boolean(),
});
export type MongoBucket = z.infer<typeof MongoBucket>;

/** One tenant's buckets of one bucketed collection family, against the blueprint's retention. */
export const MongoBucketFamily = z.object({
  tenantId: TenantId,
  /** The logical collection: `audit_logs`. */
  family: z.string(),
  retentionMonths: z.number().int().positive(),
  /** The oldest month the retention keeps (the current month counts as one). */
  keepFrom: Month,
  buckets: z.array(MongoBucket),
  /** Months inside the retention window, from the oldest kept bucket to now, with no bucket. */
  missingMonths: z.array(Month),
  expiredCount: z.number().int().nonnegative(),
  source: z.string(),
});
export type MongoBucketFamily = z.infer<typeof MongoBucketFamily>;

/**
 * - `ok`: the TTL index is there with the prescribed seconds;
 * - `missing`: the blueprint prescribes a TTL index the collection lacks (documents never expire);
 * - `wrong_seconds`: there, with other seconds than prescribed;
 * - `not_ttl`: an index of that name exists without `expireAfterSeconds`;
 * - `unexpected`: a TTL index the blueprint does not prescribe (documents expire nobody asked to);
 * - `no_collection`: the tenant has no such collection yet.
 */
export const TtlIndexState = z.enum(['ok', 'missing', 'wrong_seconds', 'not_ttl', 'unexpected', 'no_collection']);
export type TtlIndexState = z.infer<typeof TtlIndexState>;

export const TtlIndexCheck = z.object({
  /** Null for a shared collection of a field layout (one index serves every tenant). */
  tenantId: TenantId.nullable(),
  /** The logical collection (`ai_results_cache`) and the physical one. */
  family: z.string(),
  collection: z.string(),
  index: z.string(),
  field: z.string().nullable(),
  prescribedSeconds: z.number().int().nonnegative().nullable(),
  liveSeconds: z.number().int().nonnegative().nullable(),
  state: TtlIndexState,
  source: z.string().nullable(),
});
export type TtlIndexCheck = z.infer<typeof TtlIndexCheck>;

/** MongoDB's part of the retention view, or why there is none. */
export const MongoRetention = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    database: z.string(),
    now: Month,
    /** Whether collection sizes were read (one tenant's view) or only names (the fleet). */
    withSizes: z.boolean(),
    buckets: z.array(MongoBucketFamily),
    ttl: z.array(TtlIndexCheck),
    /** Tenants looked at. */
    tenants: z.number().int().nonnegative(),
    /** Bucket families the blueprint declares (`audit_logs`), with their retention, for a view with no bucket yet. */
    rules: z.array(z.object({ family: z.string(), retentionMonths: z.number().int().positive(), source: z.string() })),
  }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);
export type MongoRetention = z.infer<typeof MongoRetention>;

// ── Redis ───────────────────────────────────────────────────────────────────────────────────────

/**
 * - `ok`: every key read has a TTL no longer than prescribed (or the family prescribes none);
 * - `missing_ttl`: keys without a TTL where the blueprint prescribes one (they never leave);
 * - `ttl_too_long`: TTLs longer than prescribed;
 * - `both`: some of each;
 * - `unread`: the family has keys but none of their TTLs was read (a sample missed it).
 */
export const FamilyTtlState = z.enum(['ok', 'missing_ttl', 'ttl_too_long', 'both', 'unread']);
export type FamilyTtlState = z.infer<typeof FamilyTtlState>;

/** One key family's TTLs against the blueprint, fleet-wide or for one tenant. */
export const RedisFamilyTtl = z.object({
  family: z.string(),
  pattern: z.string().nullable(),
  /** Seconds the blueprint prescribes; null when the family lives until removed (or is `other`). */
  prescribedSeconds: z.number().int().positive().nullable(),
  keys: z.number().int().nonnegative(),
  /** Keys whose TTL was read. */
  sampled: z.number().int().nonnegative(),
  /** The distribution over the namespace map's buckets (scaled from the sample when the map says so). */
  ttl: TtlBuckets,
  /** Keys without a TTL where one is prescribed (0 when none is); an estimate when the TTLs were sampled. */
  noTtl: z.number().int().nonnegative(),
  /** Keys with a TTL longer than prescribed; an estimate when sampled. */
  overPrescribed: z.number().int().nonnegative(),
  /** The longest TTL read, in seconds; null when no key had one. */
  maxTtlSeconds: z.number().nonnegative().nullable(),
  state: FamilyTtlState,
  /** Tenants with at least one key of the family lacking its TTL or over it. */
  tenantsAffected: z.number().int().nonnegative(),
  source: z.string().nullable(),
});
export type RedisFamilyTtl = z.infer<typeof RedisFamilyTtl>;

export const RedisTenantTtl = z.object({
  tenantId: TenantId,
  keys: z.number().int().nonnegative(),
  noTtl: z.number().int().nonnegative(),
  overPrescribed: z.number().int().nonnegative(),
  families: z.array(RedisFamilyTtl),
});
export type RedisTenantTtl = z.infer<typeof RedisTenantTtl>;

export const RedisRetention = z.discriminatedUnion('available', [
  z.object({
    available: z.literal(true),
    /** When the namespace map the figures come from was walked. */
    builtAt: z.string(),
    totalKeys: z.number().int().nonnegative(),
    ttlIsEstimate: z.boolean(),
    ttlSampled: z.number().int().nonnegative(),
    families: z.array(RedisFamilyTtl),
    /** Tenants with findings, most keys lacking a TTL first (at most `limit`); one tenant when asked for one. */
    tenants: z.array(RedisTenantTtl),
    tenantsWithFindings: z.number().int().nonnegative(),
  }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);
export type RedisRetention = z.infer<typeof RedisRetention>;
