import type { Lane, LaneCell, Month } from '@shared/model/lifecycle';
import { monthAfterSeconds, monthOf, type MongoBucketFamily, type RedisFamilyTtl, type TtlIndexCheck } from '@shared/model/retention';
import type { NamespaceMap } from '@shared/model/tenant';
import type { TenancyPreset } from '@shared/tenancy';
import type { LifecycleLaneSource } from '../../services/lifecycle-lanes';
import { readMongoRetention, type RetentionMongo } from './mongo-retention';
import { redisRetention } from './redis-retention';

const between = (month: Month, from: Month, to: Month): boolean => month.localeCompare(from) >= 0 && month.localeCompare(to) <= 0;

/** One bucketed family of one tenant as a lane: present, expired and missing months. */
export function bucketLane(family: MongoBucketFamily, months: readonly Month[]): Lane {
  const byMonth = new Map(family.buckets.map((b) => [b.month, b]));
  const missing = new Set(family.missingMonths);
  const cells = months.map((month): LaneCell => {
    const bucket = byMonth.get(month);
    if (bucket) {
      return {
        month,
        state: bucket.expired ? 'expired' : 'present',
        object: bucket.collection,
        ...(bucket.documents !== null && { count: bucket.documents }),
        ...(bucket.bytes !== null && { bytes: bucket.bytes }),
        ...(bucket.expired && { detail: `older than the ${family.retentionMonths}-month retention: offered for export-then-drop` }),
      };
    }
    if (missing.has(month)) return { month, state: 'missing', detail: 'no bucket for this month inside the retention' };
    return { month, state: 'none' };
  });
  return {
    store: 'mongo',
    kind: 'bucket',
    name: family.family,
    cells,
    horizon: family.buckets.at(-1)?.month ?? null,
    rule: `monthly buckets, kept ${family.retentionMonths} months (${family.source})`,
    ...(family.expiredCount > 0 && { note: `${family.expiredCount} bucket(s) past retention` }),
  };
}

/** Cells from `now` to `horizon` (inclusive) as reached, with `error` on the current month when the rule is broken. */
function horizonCells(months: readonly Month[], now: Month, horizon: Month | null, problem: string | undefined, object: string): LaneCell[] {
  return months.map((month): LaneCell => {
    if (problem && month === now) return { month, state: 'error', object, detail: problem.slice(0, 500) };
    if (horizon !== null && between(month, now, horizon)) return { month, state: 'present', object };
    return { month, state: 'none' };
  });
}

const TTL_WORDS: Record<TtlIndexCheck['state'], string> = {
  ok: '',
  missing: 'the prescribed TTL index is missing: documents never expire',
  wrong_seconds: 'expireAfterSeconds differs from the blueprint',
  not_ttl: 'the index exists without expireAfterSeconds',
  unexpected: 'a TTL index the blueprint does not prescribe',
  no_collection: '',
};

/**
 * A TTL index as a lane: its horizon is the month the newest document will be gone by — now plus
 * `expireAfterSeconds`, or, for `expireAfterSeconds: 0` (each document names its own moment), the
 * latest date in the indexed field.
 */
export function ttlLane(check: TtlIndexCheck, months: readonly Month[], now: Date, latestExpiry: Date | null): Lane {
  const current = monthOf(now);
  const seconds = check.liveSeconds ?? check.prescribedSeconds;
  const horizon = seconds === null ? null : seconds === 0 ? (latestExpiry ? monthOf(latestExpiry) : null) : monthAfterSeconds(now, seconds);
  const problem = TTL_WORDS[check.state] || undefined;
  const detail = problem && `${problem} (prescribed ${check.prescribedSeconds ?? 'none'}, found ${check.liveSeconds ?? 'none'})`;
  return {
    store: 'mongo',
    kind: 'ttl',
    name: `${check.family}.${check.field ?? check.index}`,
    cells: horizonCells(months, current, horizon, detail, check.collection),
    horizon,
    rule: check.prescribedSeconds === null ? 'no TTL prescribed' : `TTL ${check.prescribedSeconds} s on ${check.field ?? check.index}${check.source ? ` (${check.source})` : ''}`,
    ...(detail && { note: detail }),
  };
}

/** A Redis family of one tenant as a `ttl` lane: horizon now + the longest TTL read, `error` when keys lack a prescribed TTL. */
export function redisLane(family: RedisFamilyTtl, months: readonly Month[], now: Date): Lane {
  const current = monthOf(now);
  const reach = family.maxTtlSeconds ?? family.prescribedSeconds;
  const horizon = reach === null ? null : monthAfterSeconds(now, reach);
  const problems = [
    family.noTtl > 0 && `${family.noTtl} key(s) without the prescribed TTL of ${family.prescribedSeconds ?? 0} s: they never expire`,
    family.overPrescribed > 0 && `${family.overPrescribed} key(s) with a TTL longer than ${family.prescribedSeconds ?? 0} s`,
  ].filter((p): p is string => typeof p === 'string');
  const problem = problems.length > 0 ? problems.join('; ') : undefined;
  return {
    store: 'redis',
    kind: 'ttl',
    name: family.pattern ?? family.family,
    cells: horizonCells(months, current, horizon, problem, family.family),
    horizon,
    rule: family.prescribedSeconds === null ? 'no TTL prescribed' : `TTL ${family.prescribedSeconds} s`,
    ...(problem && { note: problem }),
  };
}

export interface LaneStores {
  preset: TenancyPreset;
  mongo?: RetentionMongo;
}

/**
 * MongoDB's lanes of the time view: one `bucket` lane per bucketed family the tenant has, and one
 * `ttl` lane per TTL index checked.
 */
export function mongoLanes(deps: { openStores(workspaceId: string, signal: AbortSignal): Promise<LaneStores>; now?: () => Date }): LifecycleLaneSource {
  return {
    store: 'mongo',
    async tenantLanes({ workspaceId, tenantId, months, now }, signal) {
      const { preset, mongo } = await deps.openStores(workspaceId, signal);
      if (!mongo) return [];
      const view = await readMongoRetention(mongo, preset, { tenantId, now, signal });
      if (!view.available) return [];
      const clock = deps.now?.() ?? new Date();
      const lanes = view.buckets.map((family) => bucketLane(family, months));
      for (const check of view.ttl) {
        if (check.state === 'no_collection' || (check.prescribedSeconds === null && check.state !== 'unexpected')) continue;
        const seconds = check.liveSeconds ?? check.prescribedSeconds;
        const latest = seconds === 0 && check.field ? await latestDate(mongo, check.collection, check.field, signal) : null;
        lanes.push(ttlLane(check, months, clock, latest));
      }
      return lanes;
    },
  };
}

async function latestDate(mongo: RetentionMongo, collection: string, field: string, signal: AbortSignal): Promise<Date | null> {
  const [newest] = await mongo.face.find({ database: mongo.database, collection }, { [field]: { $type: 'date' } }, { sort: { [field]: -1 }, limit: 1, projection: { [field]: 1 } }, undefined, { signal });
  const value = newest?.[field];
  return value instanceof Date ? value : null;
}

/** Redis's lanes of the time view: one `ttl` lane per key family the tenant has, from the shared namespace map. */
export function redisLanes(deps: {
  /** The workspace's preset and whether it has a Redis endpoint (without one there are no Redis lanes). */
  openStores(workspaceId: string, signal: AbortSignal): Promise<{ preset: TenancyPreset; redis: boolean }>;
  namespaceMap(workspaceId: string, options: { refresh: boolean; signal: AbortSignal }): Promise<NamespaceMap>;
  now?: () => Date;
}): LifecycleLaneSource {
  return {
    store: 'redis',
    async tenantLanes({ workspaceId, tenantId, months }, signal) {
      const { preset, redis } = await deps.openStores(workspaceId, signal);
      if (!redis || !preset.layout.redis) return [];
      const map = await deps.namespaceMap(workspaceId, { refresh: false, signal });
      const view = redisRetention(map, preset.blueprint.redis?.families ?? [], { tenantId, limit: 1 });
      if (!view.available) return [];
      const clock = deps.now?.() ?? new Date();
      return (view.tenants[0]?.families ?? []).filter((f) => f.family !== 'other').map((family) => redisLane(family, months, clock));
    },
  };
}
