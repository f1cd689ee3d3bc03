import type { Month } from '@shared/model/lifecycle';
import { monthDistance, shiftMonth, type MongoBucket } from '@shared/model/retention';
import type { MongoCollection, MongoLayout, MongoTimeBuckets, TenancyPreset } from '@shared/tenancy';

/**
 * Monthly buckets of MongoDB collections (seed 003 §5.2.2): `tenant_<id>_<name>_YYYY_MM` under a
 * collection-prefix layout. Pure: names made and read back, months against a retention.
 */

export interface BucketRule {
  family: string;
  buckets: MongoTimeBuckets;
}

/** The bucketed families of a preset's blueprint (`audit_logs`, kept 12 months). */
export function bucketRules(preset: TenancyPreset): BucketRule[] {
  return (preset.blueprint.mongo?.collections ?? [])
    .filter((c): c is MongoCollection & { timeBuckets: MongoTimeBuckets } => c.timeBuckets !== undefined)
    .map((c) => ({ family: c.name, buckets: c.timeBuckets }));
}

/** `audit_logs` of 2025-06 for a tenant: `tenant_<id>_audit_logs_2025_06`. */
export function bucketName(layout: Extract<MongoLayout, { mode: 'collection-prefix' }>, tenantId: string, family: string, month: Month): string {
  return `${layout.collectionPrefix}${tenantId}_${family}_${month.replace('-', '_')}`;
}

export interface ParsedBucket {
  tenantId: string;
  family: string;
  month: Month;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Reads collection names back into (tenant, family, month). A name parses only when its family is
 * one of `families`, its month is a calendar month and its tenant part matches the preset's id
 * pattern; anything else (the family's base collection, a stray `audit_logs_2025_13`) is no bucket.
 */
export function bucketParser(prefix: string, families: readonly string[], idPattern: RegExp): (collection: string) => ParsedBucket | undefined {
  // Each family its own shape, longest first: the tenant part must pass the id pattern under that
  // family, so `logs` never claims the tail of `audit_logs`, nor the other way round.
  const shapes = [...families]
    .sort((a, b) => b.length - a.length)
    .map((family) => ({ family, shape: new RegExp(`^${escapeRegExp(prefix)}(.+)_${escapeRegExp(family)}_(\\d{4})_(0[1-9]|1[0-2])$`) }));
  return (collection) => {
    for (const { family, shape } of shapes) {
      const match = shape.exec(collection);
      if (!match) continue;
      const [, tenantId, year, month] = match as unknown as [string, string, string, string];
      if (idPattern.test(tenantId)) return { tenantId, family, month: `${year}-${month}` };
    }
    return undefined;
  };
}

/** The oldest month a retention of `retentionMonths` keeps, the current month counted as one. */
export function keepFrom(now: Month, retentionMonths: number): Month {
  return shiftMonth(now, -(Math.max(1, retentionMonths) - 1));
}

/** Whether a bucket of `month` is past the retention at `now`. */
export function isExpired(month: Month, now: Month, retentionMonths: number): boolean {
  return monthDistance(month, keepFrom(now, retentionMonths)) > 0;
}

/**
 * A tenant's buckets of one family against its retention: each marked expired or kept, and the
 * months with no bucket between the oldest bucket still kept (or the window's start) and now. A
 * month before the tenant's first bucket is not missing: the tenant did not exist yet.
 */
export function classifyBuckets(
  present: ReadonlyArray<{ collection: string; month: Month; documents?: number | null; bytes?: number | null }>,
  now: Month,
  retentionMonths: number,
): { buckets: MongoBucket[]; missingMonths: Month[]; keepFrom: Month } {
  const from = keepFrom(now, retentionMonths);
  const buckets = [...present]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((b) => ({ collection: b.collection, month: b.month, documents: b.documents ?? null, bytes: b.bytes ?? null, expired: isExpired(b.month, now, retentionMonths) }));
  const months = new Set(buckets.map((b) => b.month));
  const first = buckets[0]?.month;
  const missingMonths: Month[] = [];
  if (first !== undefined) {
    let month = first.localeCompare(from) > 0 ? first : from;
    while (month.localeCompare(now) <= 0) {
      if (!months.has(month)) missingMonths.push(month);
      month = shiftMonth(month, 1);
    }
  }
  return { buckets, missingMonths, keepFrom: from };
}
