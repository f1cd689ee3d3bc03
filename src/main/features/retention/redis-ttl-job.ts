import { z } from 'zod';
import { AppError } from '@shared/errors';
import { TenantId } from '@shared/model/tenant-id';
import { scopeFor, tenantIdPattern, tenantOfKey, type TenancyPreset } from '@shared/tenancy';
import type { JobKind } from '../../jobs';
import type { RedisFace } from '../../stores/redis/face';
import { familyTest } from './family-keys';

/** What the TTL fix uses of Redis: the key count, SCAN and the `EXPIRE … NX` pipelines. */
export type RetentionRedis = Pick<RedisFace, 'dbsize' | 'scanKeys' | 'expireWithoutTtl'>;

export interface RedisTtlJobStores {
  workspaceId: string;
  preset: TenancyPreset;
  redis: RetentionRedis;
}

export const RedisTtlParams = z
  .object({
    family: z.string().min(1).max(120),
    tenantId: TenantId.optional(),
    allTenants: z.literal(true).optional(),
  })
  .strict()
  .refine((p) => (p.tenantId === undefined) !== (p.allTenants === undefined), { path: ['tenantId'], message: 'one tenant, or allTenants' });
export type RedisTtlParams = z.infer<typeof RedisTtlParams>;

/** SCAN's COUNT per page: each page is followed by one pipeline of EXPIRE … NX for its keys. */
const SCAN_COUNT = 1000;

/** The family's TTL from the blueprint; a family without one has nothing to apply. */
export function prescribedTtl(preset: TenancyPreset, family: string): number {
  const families = preset.blueprint.redis?.families ?? [];
  const spec = families.find((f) => f.name === family);
  if (!spec) throw new AppError('not_found', `The blueprint has no Redis key family ${JSON.stringify(family)}.`);
  if (spec.ttlSeconds === null) throw new AppError('invalid_argument', `The blueprint gives ${family} (${spec.pattern}) no TTL: its keys live until removed, so there is no TTL to apply.`);
  return spec.ttlSeconds;
}

/**
 * `retention.redis-ttl`: SCAN through one family's keys of one tenant (MATCH on the tenant's
 * escaped prefix) or of every tenant (MATCH `*<separator><glob>`, then each key's prefix checked
 * against the preset's tenant id pattern, so a key whose prefix is no tenant's is never touched),
 * and after each page one pipeline of `EXPIRE key <blueprint TTL> NX`: the server sets the TTL only
 * where a key has none, so TTLs set meanwhile are kept. Cancel stops between pages.
 */
export function redisTtlKind(openStores: (workspaceId: string, signal: AbortSignal) => Promise<RedisTtlJobStores>, afterChange?: (workspaceId: string) => void): JobKind<RedisTtlParams, RedisTtlJobStores> {
  return {
    name: 'retention.redis-ttl',
    store: 'redis',
    params: RedisTtlParams,
    describe: (p) => ({ title: `Apply the blueprint TTL to ${p.family} keys without one in ${p.allTenants ? 'every tenant' : `tenant ${p.tenantId ?? ''}`}`, tenantIds: p.allTenants ? ['*'] : [p.tenantId ?? ''] }),
    openStores,
    async run(params, { signal, stores, progress, log }) {
      const { preset, redis } = stores;
      const layout = preset.layout.redis;
      if (!layout) throw new AppError('invalid_argument', `The ${preset.title} preset keeps nothing in Redis.`);
      const seconds = prescribedTtl(preset, params.family);
      const families = preset.blueprint.redis?.families ?? [];
      const belongs = familyTest(families, params.family);
      const glob = families.find((f) => f.name === params.family)?.glob ?? '*';
      const scope = params.tenantId === undefined ? undefined : scopeFor(preset, params.tenantId);
      const prefix = scope?.redis?.keyPrefix ?? '';
      const idPattern = tenantIdPattern(preset);
      const total = await redis.dbsize({ signal });
      const tenantsTouched = new Set<string>();
      let scanned = 0;
      let matched = 0;
      let set = 0;
      let kept = 0;
      let failed = 0;
      log(`${params.family}: EXPIRE … ${seconds} NX on its keys without a TTL (${scope ? `tenant ${params.tenantId ?? ''}` : 'every tenant'}).`);
      progress(0, total, 'scanning');
      try {
        for await (const page of redis.scanKeys({ match: scope ? glob : `*${layout.separator}${glob}`, count: SCAN_COUNT }, scope, { signal })) {
          scanned += page.length;
          const keys = page.filter((key) => {
            if (scope) return belongs(key.slice(prefix.length));
            const tenantId = tenantOfKey(layout.separator, key, idPattern);
            return tenantId !== undefined && belongs(key.slice(tenantId.length + layout.separator.length));
          });
          matched += keys.length;
          if (keys.length > 0) {
            const outcome = await redis.expireWithoutTtl(keys, seconds, scope, { signal });
            set += outcome.set;
            kept += outcome.kept;
            failed += outcome.failed.length;
            for (const f of outcome.failed.slice(0, 5)) log(`${f.key}: refused (${f.message}).`);
            if (!scope) for (const key of outcome.setKeys) tenantsTouched.add(key.slice(0, key.indexOf(layout.separator)));
          }
          progress(Math.min(scanned, total), total, `${set} key(s) given a TTL`);
        }
      } catch (error) {
        if (signal.aborted) log(`Cancelled after ${scanned} keys scanned: ${set} key(s) were given a TTL before the cancel; the keys not reached keep what they had.`);
        throw error;
      } finally {
        if (set > 0) afterChange?.(stores.workspaceId);
      }
      log(`${matched} ${params.family} key(s) found: ${set} given ${seconds} s, ${kept} already had a TTL (left alone)${failed ? `, ${failed} refused` : ''}.`);
      progress(total, total, 'done');
      if (failed > 0 && set === 0) throw new AppError('internal', `Redis refused every EXPIRE of ${params.family}; see the log.`);
      return { family: params.family, ttlSeconds: seconds, keys: matched, set, kept, failed, ...(scope ? {} : { tenants: tenantsTouched.size }) };
    },
  };
}
