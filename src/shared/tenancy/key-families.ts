import type { TtlBucket } from '../model/tenant';
import { tenantIdPattern, type TenancyPreset } from './preset';

/** A key family as the preset's blueprint describes it: its name and a glob after the tenant prefix. */
export interface KeyFamilySpec {
  name: string;
  glob: string;
  /** The TTL the blueprint prescribes, when it does: the map counts keys without one and keys over it. */
  ttlSeconds?: number | null;
}

/** How a preset lays tenants out in Redis: `<id><separator><family…>`. */
export interface RedisLayout {
  separator: string;
  /** What a tenant id looks like; a prefix that does not match it is no tenant's. */
  tenantIdPattern: RegExp;
  families: readonly KeyFamilySpec[];
}

export const OTHER_FAMILY = 'other';

/** A preset's Redis layout with its key families, or undefined when the preset keeps nothing in Redis. */
export function redisLayoutOf(preset: TenancyPreset): RedisLayout | undefined {
  const redis = preset.layout.redis;
  if (!redis) return undefined;
  return { separator: redis.separator, tenantIdPattern: tenantIdPattern(preset), families: preset.blueprint.redis?.families ?? [] };
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\' && i + 1 < glob.length) source += (glob[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function literalLength(glob: string): number {
  return glob.replace(/[*?]/g, '').length;
}

/** The literal text a glob starts with, up to its first wildcard or escape. */
function literalHead(glob: string): string {
  const at = glob.search(/[*?[\\]/);
  return at < 0 ? glob : glob.slice(0, at);
}

/**
 * A test for one glob on a key from `offset` on, as cheap as the glob allows: the walk classifies
 * every key of the keyspace, so `session:*` is a `startsWith` and `online_users` an equality, with
 * no copy of the key; only globs with a wildcard in the middle (`case:*:viewers`) run their
 * regular expression, and only behind their literal head.
 */
function globTest(glob: string): (key: string, offset: number) => boolean {
  const head = literalHead(glob);
  if (head === glob) return (key, offset) => key.length - offset === glob.length && key.startsWith(glob, offset);
  if (glob === `${head}*`) return (key, offset) => key.startsWith(head, offset);
  const regex = globToRegExp(glob);
  return (key, offset) => key.startsWith(head, offset) && regex.test(key.slice(offset));
}

/** Tenant ids remembered per classifier; beyond this the pattern is tested each time. */
const TENANT_CACHE_SIZE = 200_000;

/**
 * Classifies keys by tenant prefix and key family. The most specific glob wins, so
 * `case:*:viewers` is not counted as `case:*`.
 */
export class KeyClassifier {
  readonly familyNames: readonly string[];
  readonly #matchers: Array<{ index: number; test: (key: string, offset: number) => boolean }>;
  readonly #tenantIds = new Map<string, boolean>();

  constructor(readonly layout: RedisLayout) {
    this.familyNames = [...layout.families.map((f) => f.name), OTHER_FAMILY];
    this.#matchers = layout.families
      .map((family, index) => ({ index, test: globTest(family.glob), weight: literalLength(family.glob) }))
      .sort((a, b) => b.weight - a.weight)
      .map(({ index, test }) => ({ index, test }));
  }

  /** The tenant id a key belongs to, or undefined for a key with no tenant prefix. */
  tenantOf(key: string): string | undefined {
    const at = key.indexOf(this.layout.separator);
    if (at <= 0) return undefined;
    const id = key.slice(0, at);
    return this.isTenantId(id) ? id : undefined;
  }

  /** Whether a key prefix is a tenant id of the preset (remembered: a keyspace repeats its tenants). */
  isTenantId(id: string): boolean {
    let valid = this.#tenantIds.get(id);
    if (valid === undefined) {
      valid = this.layout.tenantIdPattern.test(id);
      if (this.#tenantIds.size < TENANT_CACHE_SIZE) this.#tenantIds.set(id, valid);
    }
    return valid;
  }

  /** Index into familyNames of the family of the part after the tenant prefix. */
  familyIndex(rest: string): number {
    return this.familyIndexAt(rest, 0);
  }

  /** Index into familyNames of the family of `key` from `offset` on (just after its tenant prefix). */
  familyIndexAt(key: string, offset: number): number {
    for (const { index, test } of this.#matchers) if (test(key, offset)) return index;
    return this.familyNames.length - 1;
  }

  /** The family name of a whole key (`<tenant><separator><rest>`). */
  familyOfKey(key: string): string {
    const at = key.indexOf(this.layout.separator);
    return this.familyNames[this.familyIndex(at < 0 ? key : key.slice(at + this.layout.separator.length))] ?? OTHER_FAMILY;
  }

  familyIndexOfName(name: string): number {
    return this.familyNames.indexOf(name);
  }

  /** The glob of a family after the tenant prefix, or `*` for all; the store puts the tenant's prefix before it. */
  globOf(family?: string): string {
    const spec = family === undefined ? undefined : this.layout.families.find((f) => f.name === family);
    return spec ? spec.glob : '*';
  }
}

export const TTL_BUCKET_INDEX: Record<TtlBucket, number> = { none: 0, under_1m: 1, under_1h: 2, under_1d: 3, longer: 4 };

/** PTTL's answer to a bucket index; undefined when the key is gone. */
export function ttlBucketOf(pttl: number): number | undefined {
  if (pttl === -2) return undefined;
  if (pttl < 0) return TTL_BUCKET_INDEX.none;
  if (pttl < 60_000) return TTL_BUCKET_INDEX.under_1m;
  if (pttl < 3_600_000) return TTL_BUCKET_INDEX.under_1h;
  if (pttl < 86_400_000) return TTL_BUCKET_INDEX.under_1d;
  return TTL_BUCKET_INDEX.longer;
}
