import type { FamilyTtlState, RedisFamilyTtl, RedisRetention, RedisTenantTtl } from '@shared/model/retention';
import type { FamilyTtlSample, NamespaceMap, NamespaceTenant, TtlBuckets } from '@shared/model/tenant';
import type { RedisKeyFamily } from '@shared/tenancy';

const EMPTY: FamilyTtlSample = { sampled: 0, none: 0, over: 0, maxTtlMs: 0, ttl: { none: 0, under_1m: 0, under_1h: 0, under_1d: 0, longer: 0 } };

/** A sampled count scaled to the family's keys when the map read a sample; as read when it read every key. */
function scaled(count: number, sample: FamilyTtlSample, keys: number, estimate: boolean): number {
  if (sample.sampled === 0) return 0;
  return estimate ? Math.round((count * keys) / sample.sampled) : count;
}

function stateOf(keys: number, sample: FamilyTtlSample, noTtl: number, over: number): FamilyTtlState {
  if (keys > 0 && sample.sampled === 0) return 'unread';
  if (noTtl > 0 && over > 0) return 'both';
  if (noTtl > 0) return 'missing_ttl';
  if (over > 0) return 'ttl_too_long';
  return 'ok';
}

/** Whether a tenant's sample of a family breaks the blueprint (keys lacking a prescribed TTL, or over it). */
function breaks(sample: FamilyTtlSample | undefined, prescribed: number | null): boolean {
  return sample !== undefined && ((prescribed !== null && sample.none > 0) || sample.over > 0);
}

function familyTtl(
  name: string,
  spec: RedisKeyFamily | undefined,
  keys: number,
  sample: FamilyTtlSample,
  ttl: TtlBuckets,
  estimate: boolean,
  tenantsAffected: number,
): RedisFamilyTtl {
  const prescribed = spec?.ttlSeconds ?? null;
  const noTtl = prescribed === null ? 0 : scaled(sample.none, sample, keys, estimate);
  const overPrescribed = scaled(sample.over, sample, keys, estimate);
  return {
    family: name,
    pattern: spec?.pattern ?? null,
    prescribedSeconds: prescribed,
    keys,
    sampled: sample.sampled,
    ttl,
    noTtl,
    overPrescribed,
    maxTtlSeconds: sample.maxTtlMs > 0 ? Math.round(sample.maxTtlMs / 1000) : null,
    state: stateOf(keys, sample, noTtl, overPrescribed),
    tenantsAffected,
    source: spec?.source ?? null,
  };
}

/** A sample's bucket counts scaled to the family's keys (largest remainder, so they add up). */
function scaledBuckets(sample: FamilyTtlSample, keys: number, estimate: boolean): TtlBuckets {
  if (!estimate || sample.sampled === 0) return sample.ttl;
  const names = Object.keys(sample.ttl) as Array<keyof TtlBuckets>;
  const exact = names.map((n) => (sample.ttl[n] * keys) / sample.sampled);
  const counts = exact.map(Math.floor);
  let left = keys - counts.reduce((a, b) => a + b, 0);
  for (const i of exact.map((v, i) => ({ i, rest: v - Math.floor(v) })).sort((a, b) => b.rest - a.rest).map((x) => x.i)) {
    if (left <= 0) break;
    counts[i] = (counts[i] as number) + 1;
    left -= 1;
  }
  return Object.fromEntries(names.map((n, i) => [n, counts[i] ?? 0])) as TtlBuckets;
}

/** One tenant's families from its row of the namespace map, each with the distribution of its own sample. */
export function tenantTtl(tenant: NamespaceTenant, specs: ReadonlyMap<string, RedisKeyFamily>, estimate: boolean): RedisTenantTtl {
  const families = Object.entries(tenant.families).map(([name, keys]) => {
    const spec = specs.get(name);
    const sample = tenant.familyTtl?.[name] ?? EMPTY;
    return familyTtl(name, spec, keys, sample, scaledBuckets(sample, keys, estimate), estimate, breaks(sample, spec?.ttlSeconds ?? null) ? 1 : 0);
  });
  families.sort((a, b) => b.noTtl - a.noTtl || b.overPrescribed - a.overPrescribed || a.family.localeCompare(b.family));
  return {
    tenantId: tenant.id,
    keys: tenant.keys,
    noTtl: families.reduce((sum, f) => sum + f.noTtl, 0),
    overPrescribed: families.reduce((sum, f) => sum + f.overPrescribed, 0),
    families,
  };
}

/**
 * Redis key families against the blueprint's TTLs, from the namespace map: the keyspace was walked
 * once (and its TTLs read, every one below the map's sample target) for the tenant list and this
 * view alike. With `tenantId` the tenant list holds that tenant alone, whatever it shows.
 */
export function redisRetention(map: NamespaceMap, blueprint: readonly RedisKeyFamily[], options: { tenantId?: string | undefined; limit: number }): RedisRetention {
  const specs = new Map(blueprint.map((f) => [f.name, f]));
  const estimate = map.ttlIsEstimate;
  const affected = new Map<string, number>();
  for (const tenant of map.tenants) {
    for (const [name, sample] of Object.entries(tenant.familyTtl ?? {})) {
      if (breaks(sample, specs.get(name)?.ttlSeconds ?? null)) affected.set(name, (affected.get(name) ?? 0) + 1);
    }
  }
  const families = map.families
    .filter((f) => f.keys > 0 || specs.has(f.name))
    .map((f) => familyTtl(f.name, specs.get(f.name), f.keys, f.ttlSample ?? EMPTY, f.ttl, estimate, affected.get(f.name) ?? 0));
  const rows = (options.tenantId === undefined ? map.tenants : map.tenants.filter((t) => t.id === options.tenantId)).map((t) => tenantTtl(t, specs, estimate));
  const withFindings = rows.filter((t) => t.noTtl > 0 || t.overPrescribed > 0);
  const listed = options.tenantId === undefined ? withFindings : rows;
  listed.sort((a, b) => b.noTtl - a.noTtl || b.overPrescribed - a.overPrescribed || a.tenantId.localeCompare(b.tenantId));
  return {
    available: true,
    builtAt: map.builtAt,
    totalKeys: map.totalKeys,
    ttlIsEstimate: estimate,
    ttlSampled: map.ttlSampled,
    families,
    tenants: listed.slice(0, options.limit),
    tenantsWithFindings: withFindings.length,
  };
}
